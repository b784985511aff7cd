"""The sync: a batch of entries from a device, applied in order, each exactly once.

Each entry carries the UUID the device made when it was written. An entry already saved (the
same batch sent again after a cut connection) answers with what it made and makes nothing; a new
one goes through the one write path (registers/write.py) with its Submission in the same
transaction, so two copies racing each other make one record: the second waits on the first's
key and then finds it. Each entry gets its own result:

- saved: the record made or changed (its register, id, address);
- refused: the form's messages, in the user's language; the device keeps the entry to fix;
- conflict: the record changed on the server since the device took it; both versions are
  returned and the device lets the officer choose (nothing is overwritten silently);
- waiting: it belongs to an entry not saved yet (a person of a hand-over refused): try later.

A child entry names its parent by the parent's UUID ("@<uuid>" as the link's value).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.core.permissions import can_under, restrict
from borderlink.field.kinds import BY_KEY, EDITABLE
from borderlink.field.models import Submission
from borderlink.field.schema import starting_values
from borderlink.ledger import sheet as log
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers import write
from borderlink.registers.fields import linked_model, natural_key_field
from borderlink.registers.forms import version_of
from borderlink.registers.spec import Register, get_register
from borderlink.registers.tabular import cell_value

MAX_BATCH = 100  # entries in one request
SHEET = "log-sheet"  # a cell of the station's monthly log sheet (ledger/sheet.py)
MAX_PHOTO_BYTES = 8 * 1024 * 1024  # decoded; the device resizes before queueing
PARENT = "@"  # a link's value naming another entry by its UUID


class BatchError(ValueError):
    """The request as a whole cannot be read: nothing in it was applied."""


@dataclass
class Result:
    uuid: str
    status: str  # saved, refused, conflict, waiting
    errors: dict[str, list[str]] | None = None
    record: dict[str, Any] | None = None
    server: dict[str, Any] | None = None  # a conflict: the record as it is now
    replayed: bool = False  # saved before: nothing made this time

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}


def entries_of(body: Any) -> list[dict[str, Any]]:
    """The entries of a request body, checked for shape only (their content is the form's)."""
    entries = body.get("entries") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        raise BatchError(_("The request must carry a list of entries."))
    if len(entries) > MAX_BATCH:
        raise BatchError(_("At most %(count)d entries at a time.") % {"count": MAX_BATCH})
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("data", {}), dict):
            raise BatchError(_("An entry must be an object with its data."))
        try:
            uuid_lib.UUID(str(entry.get("uuid")))
        except ValueError as exc:
            raise BatchError(_("Every entry needs the identifier its device gave it.")) from exc
    return entries


def apply(user: Any, entries: list[dict[str, Any]]) -> list[Result]:
    starts: dict[str, dict[str, str]] = {}  # a form's starting values, once per batch
    return [apply_one(user, entry, starts) for entry in entries]


def apply_one(user: Any, entry: dict[str, Any], starts: dict[str, dict[str, str]]) -> Result:
    key = str(uuid_lib.UUID(str(entry["uuid"])))
    done = _saved_before(user, key)
    if done is not None:
        return done
    try:
        with transaction.atomic():
            result = _write(user, key, entry, starts)
            if result.status == "saved" and result.record is not None:
                Submission.objects.create(
                    uuid=key,
                    user=user,
                    register=result.record["register"],
                    record_id=result.record.get("id"),
                )
            return result
    except IntegrityError:
        # The same entry, sent twice at once: the other copy saved it (this one rolled back).
        done = _saved_before(user, key)
        if done is None:
            raise
        return done


def _saved_before(user: Any, key: str) -> Result | None:
    submission = Submission.objects.filter(uuid=key).first()
    if submission is None:
        return None
    if submission.user_id != user.pk:
        # Another user's identifier: refused without saying whose or what it made.
        return Result(key, "refused", errors={"": [_("This entry cannot be sent again.")]})
    if submission.register == SHEET or submission.record_id is None:
        return Result(key, "saved", record={"register": submission.register}, replayed=True)
    return Result(
        key,
        "saved",
        record=_record(get_register(submission.register), submission.record_id),
        replayed=True,
    )


def _record(spec: Register, pk: int, obj: Any = None) -> dict[str, Any]:
    try:
        url = reverse("registers:detail", args=[spec.slug, pk])
    except NoReverseMatch:
        url = ""
    found: dict[str, Any] = {"register": spec.slug, "id": pk, "url": url}
    if obj is not None:
        found["title"] = str(obj)
        found["version"] = version_of(obj)
    return found


def _write(user: Any, key: str, entry: dict[str, Any], starts: dict[str, dict[str, str]]) -> Result:
    if isinstance(entry.get("cell"), dict):
        return _cell(user, key, entry["cell"], entry.get("version"))
    if entry.get("record") not in (None, ""):
        return _change(user, key, entry)
    form = BY_KEY.get(str(entry.get("form")))
    if form is None:
        return Result(key, "refused", errors={"": [_("This kind of entry is not known.")]})
    spec = form.spec
    # What the device did not send starts as a new page form would (a device on an older
    # download may lack a field added since).
    if form.key not in starts:
        starts[form.key] = starting_values(form, user, timezone.localdate())
    data: dict[str, Any] = {
        **starts[form.key],
        **_texts(entry["data"]),
        **form.preset,
    }
    waiting = _resolve_parents(user, spec, data)
    if waiting:
        return Result(key, "waiting", errors={waiting: [_("Its entry has not been saved yet.")]})
    files, bad = _files(form.spec, entry.get("files"))
    if bad:
        return Result(key, "refused", errors=bad)
    outcome = write.save(spec, user, data, files, action="add")
    if not outcome.ok:
        return Result(key, "refused", errors=outcome.errors)
    return Result(key, "saved", record=_record(spec, outcome.saved.pk, outcome.saved))


def _change(user: Any, key: str, entry: dict[str, Any]) -> Result:
    """A record the device took (an alert to acknowledge, a recent entry): the fields it may
    change, on top of the record as it is now, if it is still the version the device took."""
    register = str(entry.get("register"))
    if register not in EDITABLE:
        return Result(key, "refused", errors={"": [_("This record cannot be changed here.")]})
    spec = get_register(register)
    pk = str(entry.get("record"))
    instance = (
        restrict(spec.model._default_manager.all(), user, "change").filter(pk=pk).first()
        if pk.isdigit()
        else None
    )
    if instance is None:  # gone, or not theirs to change: the same answer
        return Result(key, "refused", errors={"": [_("This record no longer exists.")]})
    data = {name: cell_value(spec, instance, name) for name in spec.fields}
    data = {k: "" if v is None else v for k, v in data.items()}
    changes = _texts(entry["data"])
    data.update({k: v for k, v in changes.items() if k in EDITABLE[register]})
    version = entry.get("version")
    outcome = write.save(
        spec,
        user,
        data,
        instance=instance,
        action="change",
        version=write.etag_version([str(version)]) if version and not entry.get("force") else None,
    )
    if outcome.conflict is not None:
        current = outcome.conflict
        return Result(
            key,
            "conflict",
            errors=outcome.errors,
            server={
                "version": version_of(current),
                "values": {
                    name: "" if (v := cell_value(spec, current, name)) is None else str(v)
                    for name in EDITABLE[register]
                },
            },
        )
    if not outcome.ok:
        return Result(key, "refused", errors=outcome.errors)
    return Result(key, "saved", record=_record(spec, outcome.saved.pk, outcome.saved))


def _texts(data: dict[str, Any]) -> dict[str, Any]:
    """Form data as text, the way a page posts it (a checkbox left out is unticked)."""
    found: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                found[str(name)] = "on"
            continue
        found[str(name)] = str(value)
    return found


def _resolve_parents(user: Any, spec: Register, data: dict[str, Any]) -> str:
    """Links naming another entry by its UUID get that entry's record; the name of a link whose
    entry is not saved yet ('' when none)."""
    for name, value in list(data.items()):
        if not (isinstance(value, str) and value.startswith(PARENT)):
            continue
        try:
            parent = str(uuid_lib.UUID(value[len(PARENT) :]))
        except ValueError:
            return name
        submission = Submission.objects.filter(uuid=parent, user=user).first()
        if submission is None:
            return name
        related = linked_model(spec.model_field(name))
        key = natural_key_field(related)
        if key == "pk":
            data[name] = str(submission.record_id)
        else:
            obj = related._default_manager.filter(pk=submission.record_id).first()
            data[name] = str(getattr(obj, key)) if obj is not None else ""
    return ""


def _files(spec: Register, sent: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Photos sent as base64 (the device resized them): uploaded files for the form."""
    files: dict[str, Any] = {}
    if not isinstance(sent, dict):
        return files, {}
    for name, item in sent.items():
        if name not in spec.file_fields or not isinstance(item, dict):
            continue
        try:
            content = base64.b64decode(str(item.get("data", "")), validate=True)
        except (binascii.Error, ValueError):
            return {}, {name: [_("The photo could not be read.")]}
        if len(content) > MAX_PHOTO_BYTES:
            return {}, {name: [_("The photo is too large.")]}
        files[name] = SimpleUploadedFile(
            str(item.get("name") or "photo.jpg")[:100],
            content,
            str(item.get("type") or "image/jpeg"),
        )
    return files, {}


def _cell(user: Any, key: str, cell: dict[str, Any], was: Any) -> Result:
    """A cell of the monthly log sheet, written as the sheet's page writes it (ledger/sheet.py):
    `was` is the value the device showed (None: empty); a cell changed on the server since is a
    conflict, answered with its value now."""
    unit = Unit.objects.filter(code=str(cell.get("unit", ""))).first()
    column = log.COLUMN_BY_KEY.get(str(cell.get("column", "")))
    try:
        day = datetime.date.fromisoformat(str(cell.get("day", "")))
    except ValueError:
        day = None
    if unit is None or not can_under(user, Activity, "view", unit.path):
        return Result(key, "refused", errors={"": [_("No such unit, or not yours to see.")]})
    if column is None or day is None:
        return Result(key, "refused", errors={"": [_("No such cell.")]})
    shown = was if was is None or isinstance(was, int) else ""
    try:
        value = log.save_cell(user, unit, day, column, str(cell.get("value") or ""), shown)
    except log.CellError as error:
        if error.known and shown != "" and shown != error.current:
            return Result(
                key,
                "conflict",
                errors={"value": [error.message]},
                server={"version": error.current, "values": {"value": error.current}},
            )
        return Result(key, "refused", errors={"value": [error.message]})
    return Result(key, "saved", record={"register": SHEET, "value": value})
