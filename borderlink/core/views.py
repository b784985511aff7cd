from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from borderlink.core.models import ChangeRecord
from borderlink.core.permissions import restrict


@login_required
def history(request: HttpRequest) -> HttpResponse:
    records = restrict(
        ChangeRecord.objects.select_related("actor", "content_type"), request.user, "view"
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "core/history.html", {"page": page})
