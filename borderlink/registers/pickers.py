"""Type-ahead pickers for link fields: what a form's or a list filter's link offers, as JSON.

`static/registers/picker.js` turns each code box carrying `data-picker-url` into a WAI-ARIA
combobox that asks here as the user types; without JavaScript the box still takes codes, and
files and the API take codes as before. A picker offers only what the form would accept:

- the records the user may view (registers/links.py: the one answer for every link field);
- for units, those valid on the record's date (`on`, the form's date as typed);
- for the field that decides who may record (the register's `unit_field`), only what the
  gate lets the user add (or change) under (core.permissions.can_under).

Units are found by the gazetteer's search (any script, no diacritics needed, pinyin); other
records by their register's own list search.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from borderlink.core import dates
from borderlink.core.permissions import can_at_all, can_under
from borderlink.core.text import fold
from borderlink.places.choices import KIND_ORDER
from borderlink.places.models import Unit
from borderlink.places.search import matching, search_units
from borderlink.registers import links, query
from borderlink.registers.fields import can_hold, natural_key_field
from borderlink.registers.spec import Register, get_register, register_for

MAX_RESULTS = 20
# Records other than units are searched by their register's list search, then narrowed by the
# gate in Python where the link decides who may record: read this many to keep MAX_RESULTS.
_RECORD_CANDIDATES = 200
# Up to this many records of a kind, titles typed without diacritics are matched in Python.
_FOLD_LIMIT = 2000
_TITLE_FIELDS = [f"{stem}_{lang}" for stem in ("title", "name") for lang in ("vi", "en", "zh")]


# Which field of a form a picker reads --------------------------------------------------------


def record_date_field(spec: Register) -> str | None:
    """The field holding the record's date (the first plain date among its fields): the day on
    which the units it links to must exist."""
    for name in spec.fields:
        field = spec.model_field(name)
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return name
    return None


def gating_field(spec: Register) -> str:
    """The link whose value decides who may record (home_unit; activity for activity.home_unit)."""
    return spec.unit_field.split(".")[0] if spec.unit_field else ""


def widget_attrs(url: str, multiple: bool = False, on: str = "") -> dict[str, str]:
    """The attributes that make a code box a picker (read by picker.js), with the messages it
    speaks in the page's language (no inline script may carry them)."""
    attrs = {
        "data-picker-url": url,
        "autocomplete": "off",
        "data-picker-none": _("No matching records"),
        "data-picker-count": _("%(count)s choices; Up and Down to move, Enter to choose"),
        "data-picker-remove": _("Remove %(name)s"),
        "data-picker-chosen": _("Chosen"),
        "data-picker-placeholder": _("Type a name or a code"),
    }
    if multiple:
        attrs["data-picker-multiple"] = ""
    if on:
        attrs["data-picker-on"] = on
    return attrs


def form_attrs(form: Any, name: str, field: Any) -> dict[str, str]:
    """Picker attributes for the link field `name` of a form (fields.PickerBoundField): a
    register's form, or any form whose field names its register link (`field.picker`)."""
    source = getattr(field, "picker", None)
    spec: Register | None
    if source is not None:
        spec, link = get_register(source[0]), source[1]
    else:
        spec = getattr(form, "register", None)
        meta = getattr(form, "_meta", None)
        if spec is None and meta is not None:
            spec = register_for(meta.model)
        link = name
    if spec is None or link not in spec.fields:
        return {}
    url = reverse("registers:pick", args=[spec.slug, link])
    instance = getattr(form, "instance", None)
    if source is None and instance is not None and instance.pk is not None:
        url += "?action=change"
    on = ""
    if links.related_model(spec, link) is Unit and source is None:
        date_name = record_date_field(spec)
        if date_name and date_name in form.fields:
            on = form.add_prefix(date_name)
    from borderlink.registers.fields import CodesField

    return widget_attrs(url, multiple=isinstance(field, CodesField), on=on)


def filter_attrs(spec: Register, name: str) -> dict[str, str]:
    """Picker attributes for the link filter `name` of a register's list."""
    return widget_attrs(reverse("registers:pick-filter", args=[spec.slug, name]))


def unit_attrs(on: str = "") -> dict[str, str]:
    """Picker attributes for a unit box outside the registers (a report's or a page's unit):
    any unit the user may view, valid on the date in the field named `on` when it has one."""
    return widget_attrs(reverse("registers:pick-unit"), on=on)


# What a picker offers ------------------------------------------------------------------------


def offered_units(
    spec: Register,
    name: str,
    user: Any,
    text: str,
    on: datetime.date | None = None,
    gate_action: str | None = None,
) -> list[Unit]:
    """Units the link `name` offers `user` for `text`, best first."""
    units = links.choices(spec, name, user)
    units = _limit(spec, name, units)
    if on is not None:
        units = units.valid_on(on)
    if gate_action is not None:
        candidates = matching(text, units) if fold(text) else units
        allowed = [
            pk
            for pk, path in candidates.values_list("pk", "path")
            if can_under(user, spec.model, gate_action, path)
        ]
        units = units.filter(pk__in=allowed)
        if not fold(text):
            # Nothing typed yet: the units the user may record for, the highest first.
            found = list(units.select_related("parent")[:500])
            found.sort(key=lambda u: (KIND_ORDER.get(u.kind, 99), u.code))
            return found[:MAX_RESULTS]
    return search_units(text, on=on, limit=MAX_RESULTS, queryset=units)


def offered_records(
    spec: Register, name: str, user: Any, text: str, gate_action: str | None = None
) -> list[models.Model]:
    """Records (not units) the link `name` offers `user` for `text`: the newest first."""
    model = links.related_model(spec, name)
    records = _limit(spec, name, links.choices(spec, name, user))
    own = register_for(model)
    params = QueryDict(mutable=True)
    if own is not None and own.ordering:
        first = own.ordering[0]
        dated = isinstance(own.model_field(first), models.DateField)
        params["sort"] = f"-{first}" if dated else first
    key = natural_key_field(model)
    text = text.strip()
    if text:
        exact = Q(**{key: text}) if can_hold(model, key, text) else Q(pk__in=[])
        if own is not None and own.search_fields:
            params["q"] = text
            searched = query.apply(own, records, params, user)
            match = Q(pk__in=searched.values("pk"))
        else:
            match = Q(**{f"{key}__icontains": text}) if key != "pk" else Q(pk__in=[])
        records = records.filter(match | exact | Q(pk__in=_folded_matches(records, text)))
    if own is not None:
        records = records.order_by(*query.sort_order(own, params))
    limit = _RECORD_CANDIDATES if gate_action else MAX_RESULTS
    found = list(records[:limit])
    if gate_action:
        rest = spec.unit_field.split(".")[1:]
        found = [r for r in found if _may_record_under(user, spec, gate_action, r, rest)]
    return found[:MAX_RESULTS]


def _folded_matches(records: Any, text: str) -> list[Any]:
    """Records whose titles hold every word of `text` typed without diacritics ("hoi dam" for
    "Hội đàm"), which the database's search cannot see: read in Python where the user's records
    of the kind are few (partnerships, agreements, mechanisms); the ledger is searched as above."""
    if records.count() > _FOLD_LIMIT:
        return []
    words = fold(text).split(" ")
    return [r.pk for r in records if all(w in _folded_titles(r) for w in words)]


def _folded_titles(record: models.Model) -> str:
    names = {f.name for f in record._meta.concrete_fields}
    titles = [getattr(record, n) or "" for n in _TITLE_FIELDS if n in names]
    return fold(" ".join([str(record), *map(str, titles)]))


def _may_record_under(
    user: Any, spec: Register, action: str, record: models.Model, path: list[str]
) -> bool:
    unit: Any = record
    for attribute in path:
        unit = getattr(unit, attribute, None)
    return unit is not None and can_under(user, spec.model, action, unit.path)


def _limit(spec: Register, name: str, queryset: Any) -> Any:
    """The model's own limit on the link (limit_choices_to), as its admin and forms apply it."""
    field = spec.model_field(name)
    limit = field.get_limit_choices_to() if hasattr(field, "get_limit_choices_to") else None
    return queryset.complex_filter(limit) if limit else queryset


def chosen(spec: Register, name: str, user: Any, codes: list[str]) -> list[models.Model]:
    """The records named by `codes` that the link offers `user` (to label a box's value)."""
    model = links.related_model(spec, name)
    key = natural_key_field(model)
    wanted = [c for c in codes if can_hold(model, key, c)][:MAX_RESULTS]
    records = links.choices(spec, name, user).filter(**{f"{key}__in": wanted})
    if model is Unit:
        records = records.select_related("parent")
    return list(records)


# How a choice reads --------------------------------------------------------------------------


def _language() -> str:
    return get_language() or "vi"


def _day(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def unit_choice(unit: Unit) -> dict[str, Any]:
    lang = _language()
    validity = ""
    if unit.valid_from or unit.valid_to:
        validity = "{} – {}".format(_day(unit.valid_from) or "…", _day(unit.valid_to) or _("today"))
    parent = unit.parent.display_name(lang)[0] if unit.parent is not None else ""
    detail = [unit.get_kind_display(), parent, validity, unit.code]
    return {
        "value": unit.code,
        "label": unit.display_name(lang)[0],
        "detail": " · ".join(p for p in detail if p),
    }


def _title(record: models.Model) -> str:
    """The record's title in the page's language where it has one per language."""
    lang = "zh" if _language().startswith("zh") else _language()[:2]
    names = {f.name for f in record._meta.concrete_fields}
    for stem in ("title", "name", "headline"):
        for candidate in (f"{stem}_{lang}", stem, f"{stem}_vi", f"{stem}_en", f"{stem}_zh"):
            if candidate in names and getattr(record, candidate):
                return str(getattr(record, candidate))
    return str(record)


def _record_day(record: models.Model) -> datetime.date | None:
    own = register_for(type(record))
    names = [*own.list_display, *own.fields] if own is not None else []
    for name in names:
        field = record._meta.get_field(name)
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            value = getattr(record, name)
            if value:
                return value
    return None


def record_choice(record: models.Model) -> dict[str, Any]:
    """A short label (date · title) and what kind of record it is, and whose."""
    title = _title(record)
    day = _record_day(record)
    shown = {_day(day), day.strftime("%d/%m/%Y")} if day else set()
    label = f"{_day(day)} · {title}" if day and not any(d in title for d in shown) else title
    detail = []
    if hasattr(record, "get_kind_display"):
        detail.append(str(record.get_kind_display()))
    own = register_for(type(record))
    unit = own.unit_of({own.unit_field.split(".")[0]: _first(record, own)}) if own else None
    if isinstance(unit, Unit):
        detail.append(unit.display_name(_language())[0])
    key = natural_key_field(type(record))
    return {
        "value": str(getattr(record, key)),
        "label": label,
        "detail": " · ".join(d for d in detail if d),
    }


def _first(record: models.Model, own: Register) -> Any:
    first = own.unit_field.split(".")[0] if own.unit_field else ""
    return getattr(record, first, None) if first else None


# The endpoints -------------------------------------------------------------------------------


def _link(slug: str, name: str, among: str) -> Register:
    try:
        spec = get_register(slug)
    except KeyError:
        raise Http404(_("No such register.")) from None
    names = spec.fields if among == "fields" else spec.filter_fields
    if name not in names or not spec.model_field(name).is_relation:
        raise Http404(_("No such link."))
    return spec


def _answer(spec: Register, name: str, request: HttpRequest, found: list[Any]) -> JsonResponse:
    describe = unit_choice if links.related_model(spec, name) is Unit else record_choice
    response = JsonResponse({"results": [describe(r) for r in found]})
    response["Cache-Control"] = "private, no-store"  # what is offered depends on the user
    return response


def _codes(request: HttpRequest) -> list[str]:
    return [c.strip() for c in request.GET.getlist("code") if c.strip()]


@login_required
def form_choices(request: HttpRequest, slug: str, field: str) -> JsonResponse:
    """GET ?q=…&on=… (the record's date as typed) &action=add|change; or ?code=… to label a
    value already in the box."""
    spec = _link(slug, field, "fields")
    action = "change" if request.GET.get("action") == "change" else "add"
    if not can_at_all(request.user, spec.model, action):
        raise PermissionDenied(_("You may not add records here."))
    if codes := _codes(request):
        return _answer(spec, field, request, chosen(spec, field, request.user, codes))
    text = request.GET.get("q", "")[:100]
    gate_action = action if field == gating_field(spec) else None
    if links.related_model(spec, field) is Unit:
        on = dates.parse_or(request.GET.get("on"))
        found: list[Any] = offered_units(spec, field, request.user, text, on, gate_action)
    else:
        found = offered_records(spec, field, request.user, text, gate_action)
    return _answer(spec, field, request, found)


@login_required
def unit_choices(request: HttpRequest) -> JsonResponse:
    """GET ?q=…&on=… for a unit box outside the registers: the units the user may view."""
    units = links.of_model(Unit, request.user)
    if codes := _codes(request):
        found = list(units.filter(code__in=codes[:MAX_RESULTS]).select_related("parent"))
    else:
        on = dates.parse_or(request.GET.get("on"))
        text = request.GET.get("q", "")[:100]
        found = search_units(text, on=on, limit=MAX_RESULTS, queryset=units)
    response = JsonResponse({"results": [unit_choice(u) for u in found]})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def filter_choices(request: HttpRequest, slug: str, field: str) -> JsonResponse:
    """GET ?q=… for a list's link filter: what the user may view, whatever its date."""
    spec = _link(slug, field, "filters")
    if not can_at_all(request.user, spec.model, "view"):
        raise PermissionDenied(_("You may not see this register."))
    if codes := _codes(request):
        return _answer(spec, field, request, chosen(spec, field, request.user, codes))
    text = request.GET.get("q", "")[:100]
    if links.related_model(spec, field) is Unit:
        found: list[Any] = offered_units(spec, field, request.user, text)
    else:
        found = offered_records(spec, field, request.user, text)
    return _answer(spec, field, request, found)
