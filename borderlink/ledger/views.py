"""The station's monthly log sheet (ledger/sheet.py holds the logic)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.recording import home_units
from borderlink.core.permissions import can_under
from borderlink.ledger import sheet as log
from borderlink.ledger.models import Activity
from borderlink.places.lineage import made_of, went_to
from borderlink.places.models import Unit
from borderlink.ties.recording import default_counterpart


def _month(text: str) -> datetime.date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        raise Http404(_("No such month.")) from None


def _unit(user: Any, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    # Out of scope looks like missing: the sheet's entries are not the user's to see.
    if unit is None or not can_under(user, Activity, "view", unit.path):
        raise Http404(_("No such unit, or not yours to see."))
    return unit


def _refused(unit: Unit) -> str:
    return _("You may not record activities for %(unit)s.") % {"unit": unit}


def _url(unit: Unit, month: datetime.date) -> str:
    return reverse("ledger:sheet", args=[unit.code, month.strftime("%Y-%m")])


@login_required
def sheet_here(request: HttpRequest) -> HttpResponse:
    """The user's own unit (or the one chosen), this month (or the one chosen)."""
    today = timezone.localdate()
    month = _month(request.GET["month"]) if request.GET.get("month") else today.replace(day=1)
    code = request.GET.get("unit", "")
    if code:
        return redirect(_url(_unit(request.user, code), month))
    units = home_units(request.user, today)
    if not units:
        return render(request, "ledger/sheet_none.html", status=404)
    return redirect(_url(units[0], month))


def _was(text: str | None) -> int | str | None:
    """The value a cell showed when the user started ("" when the page did not say)."""
    if text is None:
        return ""
    try:
        return log.parse_count(text)
    except log.CellError:
        return ""


@login_required
def sheet(request: HttpRequest, code: str, month: str) -> HttpResponse:
    unit, first = _unit(request.user, code), _month(month)
    editable = can_under(request.user, Activity, "add", unit.path)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    error_list: list[tuple[str, str, str]] = []
    if request.method == "POST":
        # The whole sheet at once: the page without JavaScript, and "save again" after a cell
        # failed. Only cells that differ from what the page showed are written.
        if not editable:
            raise PermissionDenied(_refused(unit))
        for row in log.build(unit, first, request.user).rows:
            for cell in row.cells:
                text = request.POST.get(cell.name)
                was = _was(request.POST.get(f"was-{cell.name}"))
                if text is None or cell.several or not row.open:
                    continue
                try:
                    if log.parse_count(text) == was:
                        continue
                    log.save_cell(request.user, unit, row.day, cell.column, text, was)
                except log.CellError as error:
                    errors[cell.name], typed[cell.name] = error.message, text
                    label = f"{cell.column.label}, {date_format(row.day, 'SHORT_DATE_FORMAT')}"
                    error_list.append((cell.name, label, error.message))
        if not errors:
            messages.success(request, _("Saved."))
            return redirect(_url(unit, first))
    built = log.build(unit, first, request.user)
    today = timezone.localdate()
    units = home_units(request.user, today)
    if unit not in units:
        units = [unit, *units]
    return render(
        request,
        "ledger/sheet.html",
        {
            "sheet": built,
            "columns": log.COLUMNS,
            "editable": editable,
            "errors": errors,
            "error_list": error_list,
            "set_aside_query": urlencode(
                {
                    "home_unit": unit.code,
                    "kind": "letter",
                    "direction": "joint",
                    "occurred_on": first.isoformat(),
                    "occurred_on__to": log.month_end(first).isoformat(),
                }
            ),
            "typed": typed,
            "units": units,
            "counterpart": default_counterpart(unit, min(log.month_end(first), today)),
            "related": _related_sheets(request.user, unit, built),
            "list_url": reverse("registers:list", args=["activities"]),
            "list_query": _list_queries(built),
            "previous_url": _url(unit, built.previous),
            "next_url": _url(unit, built.next),
            "cell_url": reverse("ledger:sheet-cell", args=[unit.code, month]),
        },
        status=400 if errors else 200,
    )


def _related_sheets(user: Any, unit: Unit, built: log.Sheet) -> list[tuple[Unit, str]]:
    """On days the unit did not exist, the unit before or after it kept the log: their sheets
    of the same month (a station carried over in the 2025 reform)."""
    if all(row.open for row in built.rows):
        return []
    start, end = built.month, log.month_end(built.month)
    others = [s.predecessor for s in made_of(unit)] + [s.successor for s in went_to(unit)]
    return [
        (other, _url(other, built.month))
        for other in others
        if (other.valid_from is None or other.valid_from <= end)
        and (other.valid_to is None or other.valid_to >= start)
        and can_under(user, Activity, "view", other.path)
    ]


def _list_queries(built: log.Sheet) -> dict[str, str]:
    """For each cell holding several entries: the activities list filtered to them."""
    queries = {}
    for row in built.rows:
        for cell in row.cells:
            if cell.several:
                params = {
                    "home_unit": built.unit.code,
                    "kind": cell.column.kind,
                    "occurred_on": row.day.isoformat(),
                    "occurred_on__to": row.day.isoformat(),
                }
                if cell.column.direction:
                    params["direction"] = cell.column.direction
                queries[cell.name] = urlencode(params)
    return queries


@login_required
@require_POST
def sheet_cell(request: HttpRequest, code: str, month: str) -> JsonResponse:
    """One cell, saved as it is typed: a weak connection loses at most that cell, and the page
    says which one failed and why."""
    unit, first = _unit(request.user, code), _month(month)
    if not can_under(request.user, Activity, "add", unit.path):
        return JsonResponse(
            {"ok": False, "message": _refused(unit)},
            status=403,
        )
    column = log.COLUMN_BY_KEY.get(request.POST.get("column", ""))
    try:
        day = first.replace(day=int(request.POST.get("day", "")))
    except ValueError:
        day = None
    if column is None or day is None:
        return JsonResponse({"ok": False, "message": _("No such cell.")}, status=400)
    try:
        value = log.save_cell(
            request.user,
            unit,
            day,
            column,
            request.POST.get("value", ""),
            _was(request.POST.get("was")),
        )
    except log.CellError as error:
        answer: dict[str, Any] = {
            "ok": False,
            "message": error.message,
            "cells": log.day_cells(unit, day, request.user),
        }
        if error.known:
            answer["current"] = error.current
        return JsonResponse(answer, status=400)
    return JsonResponse(
        {"ok": True, "value": value, "cells": log.day_cells(unit, day, request.user)}
    )
