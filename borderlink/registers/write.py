"""The one write path of a register record. The page, the API, the import (and the log sheet, the
offline sync) all check and save a record here, so a record is refused or saved for the same
reasons with the same messages however it arrives:

1. the register's form, bound for the acting user: link fields accept only what the user may
   view (registers/links.py), personal fields only where the user may enter them;
2. the record's unit in the user's scope for the action (add, change, import);
3. personal data on a new record only under a unit where the user holds the personal grant;
4. the version the user started from (the page's signed token, the API's If-Match), compared
   with the record locked, so a save in between cannot slip past;
5. the save in one transaction, with the change history naming the user.

No request is needed: a user and the data (form-style: codes as text, "a; b" for several).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from borderlink.core.context import acting_as, current_actor
from borderlink.core.permissions import can_under
from borderlink.registers import personal
from borderlink.registers.forms import (
    RegisterForm,
    changes_since,
    conflict_message,
    form_class,
    localize_numbers,
    version_of,
)
from borderlink.registers.spec import Register

# What changed since the version the writer started from: None while the record (locked) is
# still that version, else one line per field changed (possibly none, when only the version
# is known to differ).
Version = Callable[[Any], list[str] | None]


@dataclass
class Outcome:
    form: RegisterForm
    saved: Any = None  # the record saved, when it was
    # Refused by the gate (the unit is outside the user's scope, or personal data there is not
    # theirs to enter): the API answers 403 rather than 400.
    denied: bool = False
    conflict: Any = None  # the record as it is now, when it changed since the version given

    @property
    def ok(self) -> bool:
        return not self.form.errors

    @property
    def errors(self) -> dict[str, list[str]]:
        """Field name → messages in the active language; "__all__" for the whole record."""
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}


def page_version(spec: Register, token: str, user: Any) -> Version:
    """The edit page's check: the signed token of the version and values the page showed."""
    return lambda current: changes_since(spec, token, current, user)


def etag_version(tags: list[str] | None) -> Version:
    """The API's check: the versions (ETags) the client says it edits; None accepts any."""
    return lambda current: None if tags is None or version_of(current) in tags else []


def form_for(
    spec: Register,
    user: Any,
    data: Any = None,
    files: Any = None,
    instance: Any = None,
    initial: dict[str, Any] | None = None,
    localized: bool = False,
) -> RegisterForm:
    """The register's form as `user` may fill it in: links narrowed to what they may view;
    personal fields left out where they may neither see nor enter them (the record keeps its
    values); numbers as the page's language writes them where `localized` (a page, not a file
    or the API, which keep the plain notation)."""
    form = form_class(spec)(data, files, instance=instance, initial=initial, user=user)
    if localized:
        localize_numbers(form)
    if spec.personal is not None and not _may_write_personal(spec, user, instance):
        for name in spec.personal.fields:
            form.fields.pop(name, None)
    return form


def _may_write_personal(spec: Register, user: Any, instance: Any) -> bool:
    if instance is not None and instance.pk is not None:
        return bool(personal.revealed(spec, user, [instance.pk]))
    return personal.may_enter(spec, user)


def check(
    spec: Register,
    user: Any,
    data: Any,
    files: Any = None,
    instance: Any = None,
    action: str | None = None,
    localized: bool = False,
) -> Outcome:
    """The record validated for `user` without saving it (an import's first pass)."""
    form = form_for(spec, user, data, files, instance=instance, localized=localized)
    return judge(spec, user, form, instance, action)


def judge(
    spec: Register, user: Any, form: RegisterForm, instance: Any = None, action: str | None = None
) -> Outcome:
    """Steps 1–3 for a bound form: its own checks, then the gate on the record's unit and on
    personal data. `check` binds one form per record; the batch form of this path
    (registers/bulk_write.py) binds one form to row after row and asks here for each."""
    action = action or ("add" if instance is None or instance.pk is None else "change")
    if not form.is_valid():
        return Outcome(form)
    unit = spec.unit_of(form.cleaned_data)
    if unit is not None and not can_under(user, spec.model, action, unit.path):
        form.add_error(
            spec.unit_field.split(".")[0],
            _("You may not record this for %(unit)s.") % {"unit": unit},
        )
        return Outcome(form, denied=True)
    if (
        (instance is None or instance.pk is None)
        and spec.personal is not None
        and any(form.cleaned_data.get(n) for n in spec.personal.fields)
        and not personal.may_enter(spec, user, unit)
    ):
        form.add_error(None, _("You may not record personal data for %(unit)s.") % {"unit": unit})
        return Outcome(form, denied=True)
    return Outcome(form)


def save(
    spec: Register,
    user: Any,
    data: Any,
    files: Any = None,
    instance: Any = None,
    *,
    action: str | None = None,
    version: Version | None = None,
    localized: bool = False,
) -> Outcome:
    """Check the record for `user` and save it; `instance` for an edit, `version` to refuse it
    when the record changed since the writer read it. The outcome holds the form, the errors
    or the record saved."""
    outcome = check(spec, user, data, files, instance=instance, action=action, localized=localized)
    if not outcome.ok:
        return outcome
    form = outcome.form
    # Inside an import's one transaction no savepoint per row: a failed row fails the file.
    with transaction.atomic(savepoint=False), _acting(user):
        current = None
        if instance is not None and instance.pk is not None:
            # Locked, then compared: a save in between cannot slip past the check.
            current = spec.model._default_manager.select_for_update().get(pk=instance.pk)
        changed = version(current) if current is not None and version is not None else None
        if changed is None:
            return Outcome(form, saved=form.save())
    form.add_error(None, conflict_message(current))
    for line in changed:
        form.add_error(None, line)
    return Outcome(form, conflict=current)


def _acting(user: Any) -> Any:
    """The change history names the user; a page or import has said so already, a caller
    without a request (the log sheet, the offline sync) need not."""
    return nullcontext() if current_actor() is not None else acting_as(user, reason="")
