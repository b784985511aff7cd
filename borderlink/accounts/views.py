from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from borderlink.accounts import lockout, twofactor
from borderlink.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    """The password step. Administrators go on to the code step (accounts/twofactor.py)."""

    form_class = LoginForm
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["locked"] = form is not None and form.has_error(NON_FIELD_ERRORS, "locked")
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not twofactor.required(user):
            return super().form_valid(form)
        twofactor.start(self.request, user, user.backend, self.get_success_url())
        return HttpResponseRedirect(reverse("login-code"))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=12, strip=True)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def code_view(request: HttpRequest) -> HttpResponse:
    found = twofactor.pending(request)
    if found is None:
        twofactor.finish(request)
        return redirect("login")
    user, state = found
    device = twofactor.device_for(user)
    form = CodeForm(request.POST or None)
    locked = lockout.is_locked(user.get_username(), request)
    if request.method == "POST" and form.is_valid() and not locked:
        if twofactor.verify(device, form.cleaned_data["code"]):
            twofactor.finish(request)
            login(request, user, backend=state["backend"])
            next_url = state["next"]
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = reverse("home")
            return HttpResponseRedirect(next_url)
        lockout.record_failure(user.get_username(), request)
        form.add_error("code", _("The code is not right. Try again."))
        locked = lockout.is_locked(user.get_username(), request)
    context = {
        "form": form,
        "locked": locked,
        "locked_message": LoginForm.error_messages["locked"]
        % {"minutes": int(lockout.window().total_seconds() // 60)},
        "enrol": not device.confirmed,
        "secret": device.secret if not device.confirmed else "",
        "uri": twofactor.provisioning_uri(device) if not device.confirmed else "",
    }
    return render(request, "accounts/code.html", context)
