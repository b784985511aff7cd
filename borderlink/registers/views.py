"""The pages every register gets: list, detail, create, edit, delete, export, import."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from borderlink.accounts.requests import SignedInRequest
from borderlink.core.db_router import replica_reads_when
from borderlink.core.history import history_of
from borderlink.core.pagination import ScopedPaginator
from borderlink.core.permissions import can, can_at_all, restrict
from borderlink.core.templatetags.sample_data import is_sample
from borderlink.registers import (
    docs,
    entry,
    exports,
    imports,
    links,
    personal,
    query,
    template_book,
    write,
)
from borderlink.registers.forms import VERSION_FIELD, version_token
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import Register, get_register
from borderlink.registers.tabular import XLSX_TYPE
from borderlink.registers.templatetags.cells import cell

PAGE_SIZE = 50


def _spec(slug: str) -> Register:
    try:
        return get_register(slug)
    except KeyError:
        raise Http404(_("No such register.")) from None


def _object(request: HttpRequest, spec: Register, pk: int) -> Any:
    obj = restrict(spec.model._default_manager.all(), request.user, "view").filter(pk=pk).first()
    if obj is None:
        raise Http404(_("No such record, or not yours to see."))
    return obj


class ChoiceLabels:
    """A page's choice labels, each translated once: `get_<field>_display()` builds the field's
    whole table of choices and translates a label on every call, 50 times for a list's column."""

    def __init__(self) -> None:
        self._labels: dict[tuple[models.Field, Any], Any] = {}

    def __call__(self, field: models.Field, value: Any) -> Any:
        key = (field, make_hashable(value))
        if key not in self._labels:
            table = dict(make_hashable(field.flatchoices))
            self._labels[key] = force_str(table.get(key[1], value), strings_only=True)
        return self._labels[key]


def display(
    spec: Register,
    obj: Any,
    name: str,
    seen: links.Seen | None = None,
    labels: ChoiceLabels | None = None,
) -> Any:
    """A field's value as a page shows it; with `seen`, a linked record the viewer may not see
    is not named (masked; left out of a list of several); with `labels`, a choice's label is
    the page's (read once per value)."""
    field = spec.model_field(name)
    if field.many_to_many:
        items = list(getattr(obj, name).all())
        return items if seen is None else [item for item in items if seen(item)]
    if field.choices:
        if labels is not None:
            return labels(field, getattr(obj, field.attname))
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if seen is not None and isinstance(value, models.Model) and not seen(value):
        return personal.MASK
    return value


@replica_reads_when(lambda request: bool(request.GET.get("export")))
@login_required
def list_view(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    export = request.GET.get("export")
    action = "export" if export else "view"
    if not can_at_all(request.user, spec.model, action):
        raise PermissionDenied(_("You may not see this register."))
    records = query.apply(
        spec,
        restrict(spec.model._default_manager.all(), request.user, action),
        request.GET,
        request.user,
    )
    if export in ("csv", "xlsx"):
        return _export(spec, records, export, request.user, request.GET)
    # The lists and links no column shows stay unread (the API sends them, the page does not).
    listed = query.listing(spec, records, shown=spec.list_display)
    page = ScopedPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query.fetch_links(spec, page.object_list, shown=spec.list_display)
    shown = personal.revealed(spec, request.user, [obj.pk for obj in page.object_list])
    seen = links.Seen(request.user)
    seen.prime(_linked_records(spec, page.object_list))
    labels = ChoiceLabels()
    rows = _rows_html(
        request,
        spec,
        [
            (
                obj,
                [
                    personal.mask(
                        spec, name, display(spec, obj, name, seen, labels), obj.pk in shown
                    )
                    for name in spec.list_display
                ],
            )
            for obj in page.object_list
        ],
    )
    if any(personal.is_personal(spec, name) for name in spec.list_display):
        personal.audit(spec, request.user, sorted(shown), "list", shown)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "registers/list.html",
        {
            "spec": spec,
            "page": page,
            "rows": rows,
            "columns": _columns(spec, request),
            "filters": query.filters_for(spec, request.GET),
            "q": request.GET.get("q", ""),
            "params": params.urlencode(),
            "can_add": can_at_all(request.user, spec.model, "add"),
            "can_import": can_at_all(request.user, spec.model, "import"),
            "can_export": can_at_all(request.user, spec.model, "export"),
        },
    )


def _rows_html(
    request: HttpRequest, spec: Register, rows: list[tuple[Any, list[Any]]]
) -> list[SafeString]:
    """The table's rows as registers/list.html wrote them cell by cell, built in Python: the
    template engine's loop, `forloop.first`, tag and include per cell cost more than the cells
    (350 on a page). The same characters, whitespace included, as the template's loop gave."""
    detail = reverse("registers:detail", args=[spec.slug, _PK_MARK])
    head, tail = (conditional_escape(part) for part in detail.split(str(_PK_MARK)))
    badges: dict[bool, str] = {}  # the sample badge reads the same for every sample record
    named: dict[tuple[type, Any], SafeString] = {}  # a record's or a value's cell, once a page
    context = Context({"request": request})
    made = []
    for obj, values in rows:
        cells = []
        for i, value in enumerate(values):
            if isinstance(value, models.Model) and value.pk is not None:
                key: tuple[type, Any] = (type(value), value.pk)
            elif type(value) in _SCALARS:
                key = (type(value), value)  # a kind, a count, a day: many rows share them
            else:
                key = (object, None)
            if key[0] is object:
                shown = cell(value)
            else:
                if key not in named:
                    named[key] = cell(value)
                shown = named[key]
            if i == 0:
                sample = is_sample(context, obj)
                if sample not in badges:
                    badges[sample] = render_to_string(
                        "core/_sample_badge.html", {"record": obj}, request
                    )
                text = f'<a href="{head}{obj.pk}{tail}">{shown}</a>{badges[sample]}'
            else:
                text = shown
            cells.append(f"\n    <td>{text}</td>\n    ")
        made.append(mark_safe(f"\n  <tr>\n    {''.join(cells)}\n  </tr>\n  "))
    return made


# Values whose cell depends on nothing but the value (and the page's language), exactly these
# types: a subclass (bool of int, a safe string of str, a datetime of date) is written its way.
_SCALARS = frozenset({int, str, datetime.date})

# A record id no table reaches: its place in the detail address is where each row's id goes.
_PK_MARK = 987654321987654321


def _linked_records(spec: Register, objs: Any) -> list[models.Model]:
    """The records the list's columns name, so that whether each may be named is asked once."""
    found: list[models.Model] = []
    for name in spec.list_display:
        field = spec.model_field(name)
        if not field.is_relation:
            continue
        for obj in objs:
            if field.many_to_many:
                found.extend(getattr(obj, name).all())
            elif (value := getattr(obj, name)) is not None:
                found.append(value)
    return found


def _columns(spec: Register, request: HttpRequest) -> list[dict[str, Any]]:
    links = query.sort_links(spec, request.GET)
    return [
        {
            "label": spec.model_field(name).verbose_name,
            "query": links[name]["query"] if name in links else "",
            "state": links[name]["state"] if name in links else "",
        }
        for name in spec.list_display
    ]


def _export(spec: Register, records: Any, fmt: str, user: Any, params: Any) -> HttpResponse:
    """The list as a file in the page's language (registers/exports.py)."""
    made = exports.export(spec, records, fmt, user, params)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


@login_required
def detail_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    spec = _spec(slug)
    obj = _object(request, spec, pk)
    related = []
    for label, accessor in spec.related:
        manager = getattr(obj, accessor)
        items = restrict(manager.all(), request.user, "view")
        related.append((label, list(items[:100])))
    shown = personal.revealed(spec, request.user, [obj.pk])
    personal.audit(spec, request.user, [obj.pk], "detail", shown)
    seen = links.Seen(request.user)
    context = {
        "spec": spec,
        "object": obj,
        "fields": [
            (
                spec.model_field(n).verbose_name,
                personal.mask(spec, n, display(spec, obj, n, seen), obj.pk in shown),
            )
            for n in [*spec.fields, *spec.file_fields]
        ],
        "related": related,
        "history": history_of(obj)[:50],
        "can_edit": can(request.user, "change", obj),
        "can_delete": spec.allow_delete and can(request.user, "delete", obj),
        "can_copy": can_at_all(request.user, spec.model, "add"),
    }
    if spec.detail_extra:
        context.update(spec.detail_extra(obj, request.user))
    return render(request, "registers/detail.html", context)


@login_required
def edit_view(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    spec = _spec(slug)
    obj = None
    if pk is not None:
        obj = _object(request, spec, pk)
        if not can(request.user, "change", obj):
            raise PermissionDenied(_("You may not change this record."))
    elif not can_at_all(request.user, spec.model, "add"):
        raise PermissionDenied(_("You may not add records here."))
    # A re-shown form keeps the version the user started from; a fresh one gets the record's.
    version = request.POST.get(VERSION_FIELD, "") if request.method == "POST" else ""
    if obj is not None and not version:
        version = version_token(spec, obj)
    if request.method == "POST":
        outcome = write.save(
            spec,
            request.user,
            request.POST,
            request.FILES or None,
            instance=obj,
            version=write.page_version(spec, request.POST.get(VERSION_FIELD, ""), request.user),
            localized=True,
        )
        if outcome.saved is not None:
            messages.success(request, _("Saved."))
            if obj is None and entry.ADD_ANOTHER in request.POST:
                return redirect(entry.another_url(spec, outcome.saved))
            return redirect("registers:detail", slug=spec.slug, pk=outcome.saved.pk)
        form = outcome.form
        if outcome.conflict is not None:
            obj = outcome.conflict
            # The form now carries the version it was refused against: saving again replaces
            # what the other user saved, knowingly.
            version = version_token(spec, obj)
    else:
        form = write.form_for(
            spec,
            request.user,
            instance=obj,
            initial=(
                entry.initial_for(spec, request.user, request.GET, timezone.localdate())
                if obj is None
                else None
            ),
            localized=True,
        )
    return render(
        request,
        "registers/form.html",
        {
            "spec": spec,
            "form": form,
            "object": obj,
            "version_field": VERSION_FIELD,
            "version": version,
            "layout": entry.layout(spec, form, obj is None),
            "add_another": entry.ADD_ANOTHER,
        },
    )


@login_required
def delete_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    spec = _spec(slug)
    obj = _object(request, spec, pk)
    if not spec.allow_delete or not can(request.user, "delete", obj):
        raise PermissionDenied(_("You may not delete this record."))
    if request.method == "POST":
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError:
            messages.error(request, _("Other records depend on this one; it was not deleted."))
            return redirect("registers:detail", slug=spec.slug, pk=pk)
        messages.success(request, _("Deleted."))
        return redirect("registers:list", slug=spec.slug)
    return render(request, "registers/confirm_delete.html", {"spec": spec, "object": obj})


@login_required
def import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A workbook to fill in, in the page's language (registers/template_book.py)."""
    spec = _spec(slug)
    if fmt == "xlsx":
        content = template_book.write_template_xlsx(spec, request.user)
        response = HttpResponse(content, content_type=XLSX_TYPE)
    else:
        content = template_book.write_template_csv(spec, request.user)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{spec.slug}-template.{fmt}"'
    return response


@login_required
def import_formats(request: HttpRequest) -> HttpResponse:
    """docs/import-formats.md, every register's columns, as the import pages link it."""
    return HttpResponse(docs.render(), content_type="text/plain; charset=utf-8")


@login_required
def import_view(request: SignedInRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    if not can_at_all(request.user, spec.model, "import"):
        raise PermissionDenied(_("You may not import into this register."))
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to import."))
        elif (upload.size or 0) > 50 * 1024 * 1024:
            messages.error(request, _("The file is larger than 50 MB."))
        else:
            job = ImportJob.objects.create(
                register=spec.slug,
                user=request.user,
                filename=upload.name or "upload",
                content=upload.read(),
                status=ImportJob.Status.CHECKING,
            )
            imports.run(job.pk, "check", get_language() or "vi")
            return redirect("registers:import-job", slug=spec.slug, job=job.pk)
    return render(
        request,
        "registers/import.html",
        {
            "spec": spec,
            "jobs": ImportJob.objects.filter(register=slug, user=request.user)[:10],
            "columns": template_book.explained(spec),
        },
    )


@login_required
def import_job_view(request: SignedInRequest, slug: str, job: int) -> HttpResponse:
    spec = _spec(slug)
    item = get_object_or_404(ImportJob, pk=job, register=slug, user=request.user)
    item = imports.settle_interrupted(item)
    if request.method == "POST" and item.status == ImportJob.Status.PREVIEW:
        ImportJob.objects.filter(pk=item.pk).update(status=ImportJob.Status.WRITING, processed=0)
        imports.run(item.pk, "commit", get_language() or "vi")
        return redirect("registers:import-job", slug=slug, job=item.pk)
    template = "registers/_import_progress.html" if request.htmx else "registers/import_job.html"
    return render(
        request,
        template,
        {
            "spec": spec,
            "job": item,
            "poll_url": reverse("registers:import-job", args=[slug, item.pk]),
        },
    )
