from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from borderlink.accounts import api_keys, lockout, twofactor
from borderlink.accounts.forms import ApiKeyForm, LoginForm
from borderlink.accounts.models import ApiKey, Membership
from borderlink.accounts.reach import acts_on
from borderlink.accounts.requests import SignedInRequest
from borderlink.core import access_keys


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
    refused = lockout.refusal(user.get_username(), request)
    if request.method == "POST" and form.is_valid() and not refused:
        if twofactor.verify(device, form.cleaned_data["code"]):
            twofactor.finish(request)
            login(request, user, backend=state["backend"])
            next_url = state["next"]
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = reverse("home")
            return HttpResponseRedirect(next_url)
        lockout.record_failure(user.get_username(), request)
        form.add_error("code", _("The code is not right. Try again."))
        refused = lockout.refusal(user.get_username(), request)
    context = {
        "form": form,
        "locked": bool(refused),
        "locked_message": refused or "",
        "enrol": not device.confirmed,
        "secret": device.secret if not device.confirmed else "",
        "uri": twofactor.provisioning_uri(device) if not device.confirmed else "",
    }
    return render(request, "accounts/code.html", context)


@sensitive_post_parameters("code")
@login_required
@never_cache
def api_keys_page(request: SignedInRequest) -> HttpResponse:
    """The user's own API keys: make one (shown once, on the page the redirect leads to), see
    and revoke them."""
    form = ApiKeyForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        record, key = api_keys.issue(
            request.user, form.cleaned_data["name"], form.cleaned_data["days"]
        )
        messages.success(
            request,
            _("The key “%(name)s” is made. Copy it now: it is not shown again.")
            % {"name": record.name},
        )
        access_keys.show_once(request, "api-key", key)
        return redirect("api-keys")  # a reload shows the list, and makes no second key
    context = {
        "form": form,
        "new_key": access_keys.take_shown(request, "api-key"),
        "keys": request.user.api_keys.all(),
        "today": timezone.localdate(),
        "api_root": request.build_absolute_uri(reverse("api-root")),
    }
    return render(request, "accounts/api_keys.html", context)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk, user=request.user)
    api_keys.revoke(key)
    messages.success(request, _("The key “%(name)s” no longer works.") % {"name": key.name})
    return redirect("api-keys")


@login_required
def my_roles(request: HttpRequest) -> HttpResponse:
    """The user's roles and, for a role at a unit that has ended, the units it acts on today."""
    today = timezone.localdate()
    memberships = Membership.objects.filter(user_id=request.user.pk or 0).select_related("unit")
    memberships = memberships.prefetch_related("acts_on")
    rows = [
        {
            "membership": m,
            "ended": not m.unit.is_valid_on(today),
            "acts_on": acts_on(m, today),
            "narrowed": bool(m.acts_on.all()),
        }
        for m in memberships
    ]
    return render(request, "accounts/roles.html", {"rows": rows, "today": today})
