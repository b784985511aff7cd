from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.accounts.recording import default_home_unit
from borderlink.accounts.requests import SignedInRequest
from borderlink.core.permissions import can_under
from borderlink.ledger.models import Activity
from borderlink.reports.forms import ReportForm
from borderlink.reports.models import ReportJob
from borderlink.reports.render import start
from borderlink.reports.writers import CONTENT_TYPES
from borderlink.stats.indicators import lang_key


@login_required
def new(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            unit = data["unit"]
            if not can_under(request.user, Activity, "view", unit.path):
                form.add_error("unit", _("You may not report on this unit."))
            else:
                job = ReportJob.objects.create(
                    user=request.user,
                    template=data["template"],
                    unit=unit,
                    period_from=data["period_from"],
                    period_to=data["period_to"],
                    as_of=data["as_of"] or data["period_to"],
                    lang=data["lang"],
                    format=data["format"],
                    status=ReportJob.Status.RUNNING,
                )
                start(job)
                return redirect("reports:job", job.pk)
    else:
        # Today's work by default: the user's own unit, this year to date; a period asked for
        # with an end and no start runs from the first record, as before.
        today = timezone.localdate()
        own = default_home_unit(request.user, today)
        asked_end = request.GET.get("to")
        initial = {
            "unit": request.GET.get("unit") or (own.code if own else ""),
            "period_from": request.GET.get("from")
            or (None if asked_end else today.replace(month=1, day=1)),
            "period_to": request.GET.get("to") or today,
            "as_of": request.GET.get("as_of") or None,
            "lang": lang_key(),
            "format": "docx",
        }
        form = ReportForm(initial=initial)
    mine = ReportJob.objects.filter(user_id=request.user.pk or 0)
    jobs = mine.select_related("unit")[:10]
    return render(request, "reports/new.html", {"form": form, "jobs": jobs})


def _job(request: HttpRequest, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("unit"), pk=pk)
    if job.user_id != request.user.pk:
        raise PermissionDenied
    return job


@login_required
def job(request: SignedInRequest, pk: int) -> HttpResponse:
    report = _job(request, pk)
    template = "reports/_progress.html" if request.htmx else "reports/job.html"
    return render(request, template, {"job": report})


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    report = _job(request, pk)
    if report.status != ReportJob.Status.DONE or report.content is None:
        raise PermissionDenied(_("The report is not ready."))
    response = HttpResponse(bytes(report.content), content_type=CONTENT_TYPES[report.format])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
