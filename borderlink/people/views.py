from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from borderlink.core.models import PersonalDataView
from borderlink.core.permissions import can_at_all, restrict, scope
from borderlink.core.roles import PERSONAL
from borderlink.people import totals
from borderlink.people.models import HandoverPerson, LabourRegistration, Scholarship


@login_required
def totals_view(request: HttpRequest) -> HttpResponse:
    """Counts only: whoever may see the registers sees these, identities or not."""
    user = request.user
    labour = can_at_all(user, LabourRegistration, "view")
    scholarships = can_at_all(user, Scholarship, "view")
    if not (labour or scholarships):
        raise PermissionDenied(_("You may not see this register."))
    return render(
        request,
        "people/totals.html",
        {
            "labour": totals.labour_totals(user) if labour else None,
            "scholarships": totals.scholarship_totals(user) if scholarships else None,
            "returns": totals.declared_returns(user, ("labour_dispatch", "scholarship")),
        },
    )


@login_required
def views_log(request: HttpRequest) -> HttpResponse:
    """Who looked at personal data: for those who hold a personal-data grant somewhere."""
    everywhere, _paths = scope(request.user, PersonalDataView, "view")
    holds_grant = any(
        can_at_all(request.user, model, PERSONAL)
        for model in (LabourRegistration, Scholarship, HandoverPerson)
    )
    if not (everywhere or holds_grant):
        raise PermissionDenied(_("You may not see this register."))
    entries = restrict(PersonalDataView.objects.all(), request.user, "view").select_related(
        "content_type"
    )[:500]
    return render(request, "people/views_log.html", {"entries": entries})
