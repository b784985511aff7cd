"""The permission matrix: every role × every register × every action × in scope / out of scope ×
sensitivity level, checked against the table declared by hand in expected.py.

The gate (core.permissions) is asked directly for the bulk of the cases; the API answers for
every role, register and scope, and the pages for a sample of registers per role, prove that
what is served follows the gate. Every test counts its cases and checks the count against
`cases_of`, so the number reported (`test_the_matrix_has_the_declared_size`) is the number run.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.test import Client

from borderlink.accounts.models import Membership, User
from borderlink.core.context import acting_as
from borderlink.core.permissions import can, can_at_all, can_under, restrict, sensitivity_lookup
from borderlink.places.models import Unit
from borderlink.registers.forms import form_class
from borderlink.registers.spec import get_register, registers
from tests.registers.samples import IN_SCOPE, OUT_OF_SCOPE, SAMPLES
from tests.security import expected as E

pytestmark = pytest.mark.django_db

SLUGS = sorted(spec.slug for spec in registers())
TARGETS = [E.GAZETTEER, *SLUGS]
# Every role holds its membership at the same unit in the matrix, Vị Xuyên: the gate reads
# nothing but the role and the unit's path, so "own" means the same subtree for each role.
MEMBERSHIP_UNIT = IN_SCOPE[0]
GATE_ACTION = {"list": "view", "view": "view", "edit": "change", "delete": "delete"}
GATE_ACTION["export"] = "export"
PER_RECORD = ("list", "view", "edit", "delete", "export")  # asked of a record, at each level
PER_UNIT = ("create", "import")  # asked of a unit (a record not yet made)
_serial = itertools.count()


def model_of(target: str) -> type[models.Model]:
    return Unit if target == E.GAZETTEER else get_register(target).model


def group(target: str) -> str:
    return E.GAZETTEER if target == E.GAZETTEER else E.group_of(target)


def has_sensitivity(target: str) -> bool:
    """Its own sensitivity, or its parent's (a delegation's members are as secret as it)."""
    return sensitivity_lookup(model_of(target)) is not None


def level_of(record: Any) -> int | None:
    """The record's sensitivity where the gate reads it (its own field, or its parent's)."""
    lookup = sensitivity_lookup(type(record))
    if lookup is None:
        return None
    return type(record)._default_manager.filter(pk=record.pk).values_list(lookup, flat=True).get()


def set_level(record: Any, level: int) -> None:
    lookup = sensitivity_lookup(type(record)) or ""
    if "__" in lookup:  # the parent's: set there
        record = getattr(record, lookup.split("__")[0])
    type(record)._default_manager.filter(pk=record.pk).update(sensitivity=level)


def has_unit(target: str) -> bool:
    return target == E.GAZETTEER or bool(get_register(target).unit_field)


def cases_of(target: str) -> int:
    """The number of cases the gate test of one register runs (and its API cases)."""
    levels = len(E.SENSITIVITY_LEVELS) if has_sensitivity(target) else 1
    per_record = len(PER_RECORD) + (1 if group(target) in E.PERSONAL else 0)
    gate = len(E.ROLES) * 2 * (per_record * levels + len(PER_UNIT))
    api = 0 if target == E.GAZETTEER else len(E.ROLES) * 2
    return gate + api


def test_the_matrix_has_the_declared_size() -> None:
    total = sum(cases_of(t) for t in TARGETS)
    print(f"\npermission matrix: {total} cases over {len(TARGETS)} registers")
    assert set(E.EXPECTED) == set(E.ROLES)
    assert len(TARGETS) == 31 and total > 5000


def _record(target: str, where: tuple[str, str]) -> Any:
    if target == E.GAZETTEER:
        return Unit.objects.get(code=where[1])
    spec = get_register(target)
    with acting_as(None, reason="test"):
        if target == "programmes":
            n = next(_serial)
            return spec.model._default_manager.create(code=f"t-matrix-{n}", name_vi=f"CT {n}")
        if target == "rates":
            day = datetime.date(2001, 1, 1) + datetime.timedelta(days=next(_serial))
            return spec.model._default_manager.create(
                currency="USD", quote="VND", rate=Decimal("23000"), on=day
            )
        form = form_class(spec)(data=SAMPLES[target](*where))
        assert form.is_valid(), form.errors
        return form.save()


def _users() -> dict[str, Any]:
    unit = Unit.objects.get(code=MEMBERSHIP_UNIT)
    users: dict[str, Any] = {"anonymous": AnonymousUser()}
    for role in E.ROLES:
        if role == "anonymous":
            continue
        user = User.objects.create(username=f"matrix-{role}")
        Membership.objects.create(user=user, role=role, unit=unit)
        users[role] = user
    return users


@pytest.mark.parametrize("target", TARGETS)
def test_the_gate_follows_the_declared_table(target: str) -> None:
    model = model_of(target)
    records = {True: _record(target, IN_SCOPE), False: _record(target, OUT_OF_SCOPE)}
    unit_paths = {
        True: Unit.objects.get(code=IN_SCOPE[0]).path,
        False: Unit.objects.get(code=OUT_OF_SCOPE[0]).path,
    }
    users = _users()
    levels: tuple[int | None, ...] = E.SENSITIVITY_LEVELS if has_sensitivity(target) else (None,)
    personal = group(target) in E.PERSONAL
    wrong: list[str] = []
    count = 0

    def check(role: str, action: str, in_scope: bool, level: int | None, got: bool) -> None:
        nonlocal count
        count += 1
        if action == "personal":
            reach = E.personal_reach(role, group(target))
        else:
            reach = E.reach(role, group(target), action)
        want = E.allowed(reach, in_scope) and (level is None or level <= E.CLEARANCE[role])
        if got != want:
            scope = "in scope" if in_scope else "out of scope"
            wrong.append(f"{role} {action} {scope} level={level}: got {got}, expected {want}")

    # The API, at the record's own level: 200 where the table lets the role view it, else 404
    # (401 for the anonymous public).
    if target != E.GAZETTEER:
        for role, user in users.items():
            client = Client()
            if role != "anonymous":
                client.force_login(user)
            for in_scope, record in records.items():
                status = client.get(f"/api/{target}/{record.pk}/").status_code
                assert status in (200, 404, 401, 403), (role, status)
                check(role, "view", in_scope, level_of(record), status == 200)

    for level in levels:
        if level is not None:
            for record in records.values():
                set_level(record, level)
        for role, user in users.items():
            for in_scope, record in records.items():
                listed = restrict(model._default_manager.all(), user, "view")
                check(role, "list", in_scope, level, listed.filter(pk=record.pk).exists())
                for action in ("view", "edit", "delete", "export"):
                    check(role, action, in_scope, level, can(user, GATE_ACTION[action], record))
                if personal:
                    check(role, "personal", in_scope, level, can(user, "personal", record))

    for role, user in users.items():
        for in_scope, path in unit_paths.items():
            for action, gate_action in (("create", "add"), ("import", "import")):
                if has_unit(target):
                    got = can_under(user, model, gate_action, path)
                else:  # the pages check no unit for a register without one
                    got = can_at_all(user, model, gate_action)
                check(role, action, in_scope, None, got)

    assert count == cases_of(target)
    assert not wrong, f"{target}: {len(wrong)} of {count} cases differ:\n" + "\n".join(wrong)


# Pages: a sample of registers (unit-scoped, personal data, delegation members, reference data)
# for every role, in and out of scope.
PAGE_SAMPLE = ("activities", "labour-registrations", "delegation-members", "rates")


def _deny_or(allowed: bool, visible: bool) -> int:
    """A page about a record: 404 when the record is not the user's to see, 403 when it is but
    the action is not theirs, 200 when it is."""
    if not visible:
        return 404
    return 200 if allowed else 403


@pytest.mark.parametrize("role", E.ROLES)
def test_the_pages_follow_the_gate(role: str) -> None:
    users = _users()
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    for slug in PAGE_SAMPLE:
        g = group(slug)
        records = {True: _record(slug, IN_SCOPE), False: _record(slug, OUT_OF_SCOPE)}
        if role == "anonymous":
            for record in records.values():
                for url in (f"/r/{slug}/", f"/r/{slug}/{record.pk}/", f"/r/{slug}/new/"):
                    response = client.get(url)
                    assert response.status_code == 302, url
                    assert "/accounts/login/" in response["Location"]
            continue
        level_ok = {k: (level_of(r) or 0) <= E.CLEARANCE[role] for k, r in records.items()}

        def reach(action: str, g: str = g) -> str:
            return E.reach(role, g, action)

        listing = client.get(f"/r/{slug}/")
        assert listing.status_code == (403 if reach("list") == E.NONE else 200), (slug, "list")
        for in_scope, record in records.items():
            visible = E.allowed(reach("view"), in_scope) and level_ok[in_scope]
            where = (slug, "in scope" if in_scope else "out of scope")
            if listing.status_code == 200:
                assert (f"/r/{slug}/{record.pk}/" in listing.content.decode()) == visible, where
            assert client.get(f"/r/{slug}/{record.pk}/").status_code == (200 if visible else 404), (
                where
            )
            edit = E.allowed(reach("edit"), in_scope)
            assert client.get(f"/r/{slug}/{record.pk}/edit/").status_code == _deny_or(
                edit, visible
            ), (*where, "edit")
            delete = E.allowed(reach("delete"), in_scope)
            assert client.get(f"/r/{slug}/{record.pk}/delete/").status_code == _deny_or(
                delete, visible
            ), (*where, "delete")
        assert client.get(f"/r/{slug}/new/").status_code == (
            403 if reach("create") == E.NONE else 200
        ), (slug, "new")
        assert client.get(f"/r/{slug}/import/").status_code == (
            403 if reach("import") == E.NONE else 200
        ), (slug, "import")
        assert client.get(f"/r/{slug}/?export=csv").status_code == (
            403 if reach("export") == E.NONE else 200
        ), (slug, "export")


def test_a_station_officer_sees_only_their_own_station() -> None:
    """The demo station officer holds the Thanh Thủy station as it went on after the reform: the
    commune's records above it are out of scope, the station's own are in, and so are the old
    station's, which it continues."""
    officer = User.objects.get(username="thanhthuy")
    station = officer.memberships.get().unit
    commune = station.parent
    assert commune is not None
    assert station.path.startswith(commune.path) and station.path != commune.path
    model = get_register("activities").model
    assert can_under(officer, model, "add", station.path)
    assert not can_under(officer, model, "add", commune.path)
    assert can_under(officer, model, "view", Unit.objects.get(code="VN-02-BGS-THANHTHUY").path)
    assert not can_under(officer, model, "view", Unit.objects.get(code=IN_SCOPE[0]).path)
    # A station corrects its own log (a cleared cell of the log sheet), nothing else it keeps.
    assert can_under(officer, model, "delete", station.path)
    assert not can_under(officer, get_register("commitments").model, "delete", station.path)
