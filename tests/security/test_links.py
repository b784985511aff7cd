"""Linked records go through the gate (issue 16, items 1 and 2), and a record is written one way.

- Every link field of every register offers and accepts, for every demo account, exactly the
  records that account may view (registers/links.py); on the page, in the API and in the import
  a record out of scope or above the user's clearance is refused with the very message of a
  record that does not exist, and nothing of it (its title, its label) appears in the answer.
- A child record (a delegation's members, an incident's steps, a hand-over's persons…) is as
  secret as its parent and in the parent's scope: declared once (`sensitivity_lookup` beside
  `scope_path_lookup`) and applied by the gate everywhere.
- One invalid record driven through the page, the API and the import gets the same messages:
  the three call the same write function (registers/write.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.forms import ModelChoiceField
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.models import Source
from borderlink.core.permissions import clearance, restrict, scope, sensitivity_lookup
from borderlink.demo.users import DEMO_USERS
from borderlink.places.models import Unit
from borderlink.registers import imports, write
from borderlink.registers.fields import CodesField, natural_key_field
from borderlink.registers.forms import form_class
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import Register, get_register, register_for, registers
from borderlink.ties.models import Programme
from tests.conftest import api_client
from tests.registers.samples import IN_SCOPE, OUT_OF_SCOPE, SAMPLES

pytestmark = pytest.mark.django_db

# Reference data every role may view whole: nothing of it can be hidden from a user.
REFERENCE: tuple[type[models.Model], ...] = (Unit, Source, Programme)
SECRET = 3  # above every clearance but the administrator's


def link_fields(spec: Register) -> list[str]:
    return [
        name
        for name in spec.fields
        if spec.model_field(name).is_relation
        and spec.model_field(name).related_model not in REFERENCE
    ]


def linked_model(spec: Register, name: str) -> type[models.Model]:
    """The model a link field of the register points at."""
    model = spec.model_field(name).related_model
    assert model is not None, name
    return model


def has_sensitivity(model: type[models.Model]) -> bool:
    return any(f.name == "sensitivity" for f in model._meta.concrete_fields)


LINKS = [(slug, name) for slug in sorted(SAMPLES) for name in link_fields(get_register(slug))]
HIDDEN_CASES = [
    pytest.param(slug, name, why, id=f"{slug}.{name}-{why}")
    for slug, name in LINKS
    for why in ("other-district", "above-clearance")
    if why == "other-district" or has_sensitivity(linked_model(get_register(slug), name))
]


def _system_record(model: type[models.Model], where: tuple[str, str]) -> Any:
    spec = register_for(model)
    assert spec is not None and spec.slug in SAMPLES, model
    form = form_class(spec)(data=SAMPLES[spec.slug](*where))
    assert form.is_valid(), form.errors
    with acting_as(None, reason="test"):
        return form.save()


def hidden_record(model: type[models.Model], why: str) -> Any:
    """A record the test officer (Vị Xuyên, clearance 1) may not view: another district's
    secret one, or one of their own district above their clearance."""
    record = _system_record(model, OUT_OF_SCOPE if why == "other-district" else IN_SCOPE)
    if has_sensitivity(model):
        model._default_manager.filter(pk=record.pk).update(sensitivity=SECRET)
    return model._default_manager.get(pk=record.pk)


def key_of(record: models.Model) -> str:
    return str(getattr(record, natural_key_field(type(record))))


def missing_key(model: type[models.Model]) -> str:
    if natural_key_field(model) == "pk":
        last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
        return str(last + 1_000_000)
    return "no-such-record-0"


def revealing(record: models.Model) -> list[str]:
    """What an answer must not carry of a hidden record: its label and its titles."""
    texts = [str(record)]
    for name in ("title", "title_vi", "title_en", "name_vi", "purpose", "text", "action"):
        value = getattr(record, name, None)
        if isinstance(value, str) and len(value) >= 5:
            texts.append(value)
    return texts


# --- the three ways in ------------------------------------------------------------------------


def as_json(spec: Register, data: dict[str, str]) -> dict[str, object]:
    out: dict[str, object] = dict(data)
    for name, value in data.items():
        if spec.model_field(name).many_to_many:
            out[name] = [v.strip() for v in str(value).split(";") if v.strip()]
    return out


def via_page(
    client: Client, spec: Register, data: dict[str, str]
) -> tuple[dict[str, list[str]], str]:
    response = client.post(f"/r/{spec.slug}/new/", data)
    assert response.status_code == 200, (spec.slug, response.status_code)
    form = response.context["form"]
    return {k: [str(m) for m in v] for k, v in form.errors.items()}, response.content.decode()


def via_api(user: User, spec: Register, data: dict[str, str]) -> tuple[dict[str, list[str]], str]:
    response = api_client(user).post(
        f"/api/{spec.slug}/", as_json(spec, data), content_type="application/json"
    )
    assert response.status_code == 400, (spec.slug, response.status_code, response.content)
    errors = response.json()
    return (
        {("__all__" if k == "non_field_errors" else k): v for k, v in errors.items()},
        response.content.decode(),
    )


def via_import(
    user: User, spec: Register, data: dict[str, str]
) -> tuple[dict[str, list[str]], str]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(data))
    writer.writeheader()
    writer.writerow(data)
    job = ImportJob.objects.create(
        register=spec.slug,
        user=user,
        filename="links.csv",
        content=out.getvalue().encode("utf-8"),
        status=ImportJob.Status.CHECKING,
    )
    imports.check(job)
    job.refresh_from_db()
    errors: dict[str, list[str]] = {}
    for error in job.errors:
        errors.setdefault(error["field"] or "__all__", []).append(error["message"])
    return errors, json.dumps(job.errors, ensure_ascii=False)


# --- 1. every link field: exactly the viewable records --------------------------------------


def _expected(model: type[models.Model], user: User) -> set[Any]:
    """Written from the rule, not from links.py: what the gate lets the user view, and for a
    model framing the units below it, the records of the units above the user's reach."""
    viewable = set(
        restrict(model._default_manager.all(), user, "view").values_list("pk", flat=True)
    )
    if not getattr(model, "links_from_below", False):
        return viewable
    everywhere, reaches = scope(user, model, "view")
    if everywhere:
        return viewable
    reached = [path for reach in reaches for path in (reach.own, *reach.plus)]
    level = clearance(user)
    for record in model._default_manager.select_related("home_unit"):
        above = any(p.startswith(record.home_unit.path) for p in reached)  # type: ignore[attr-defined]
        cleared = not has_sensitivity(model) or record.sensitivity <= level  # type: ignore[attr-defined]
        if above and cleared:
            viewable.add(record.pk)
    return viewable


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_every_link_field_offers_exactly_what_each_demo_account_may_view(username: str) -> None:
    user = User.objects.get(username=username)
    # Secret records of two districts, so that each link has something to hide from someone.
    for model in {linked_model(get_register(s), n) for s, n in LINKS}:
        for why in ("other-district", "above-clearance"):
            hidden_record(model, why)
    expected: dict[type[models.Model], set[Any]] = {}
    wrong = []
    checked = 0
    for spec in registers():
        form = write.form_for(spec, user)
        for name in spec.fields:
            field = spec.model_field(name)
            if not field.is_relation or name not in form.fields:
                continue
            model = linked_model(spec, name)
            choice = form.fields[name]
            assert isinstance(choice, ModelChoiceField | CodesField), name
            assert choice.queryset is not None, name
            offered = choice.queryset
            if model in (Unit, Source):  # whole for everybody: compared by size
                want = restrict(model._default_manager.all(), user, "view").count()
                if offered.count() != want:
                    wrong.append(f"{spec.slug}.{name}")
            else:
                if model not in expected:
                    expected[model] = _expected(model, user)
                if set(offered.values_list("pk", flat=True)) != expected[model]:
                    wrong.append(f"{spec.slug}.{name}")
            checked += 1
    assert checked > 90 and not wrong, wrong


def test_a_district_officer_sees_their_province_agreements_offered_but_not_another_districts(
    vixuyen_officer: User,
) -> None:
    from borderlink.ties.models import Agreement

    spec = get_register("labour-registrations")
    choice = write.form_for(spec, vixuyen_officer).fields["agreement"]
    assert isinstance(choice, ModelChoiceField) and choice.queryset is not None
    offered = choice.queryset
    provincial = Agreement.objects.filter(domain="labour", home_unit__code="VN-P02")
    assert provincial.exists() and set(provincial) <= set(offered)
    theirs = _system_record(Agreement, OUT_OF_SCOPE)
    assert theirs not in offered


# --- 1. a hidden record reads as no record, through page, API and import -------------------


@pytest.mark.parametrize(("slug", "name", "why"), HIDDEN_CASES)
def test_a_hidden_record_is_refused_as_a_missing_one_everywhere(
    slug: str,
    name: str,
    why: str,
    vixuyen_officer: User,
    client_of: Callable[[User], Client],
) -> None:
    spec = get_register(slug)
    model = linked_model(spec, name)
    hidden = hidden_record(model, why)
    missing = missing_key(model)
    client = client_of(vixuyen_officer)
    answers: dict[str, list[str]] = {}
    for channel in ("page", "api", "import"):
        seen: dict[str, list[str]] = {}
        for label, value in (("hidden", key_of(hidden)), ("missing", missing)):
            data = {**SAMPLES[slug](*IN_SCOPE), name: value}
            if channel == "page":
                errors, body = via_page(client, spec, data)
            elif channel == "api":
                errors, body = via_api(vixuyen_officer, spec, data)
            else:
                errors, body = via_import(vixuyen_officer, spec, data)
            assert errors.get(name), (channel, label, errors)
            seen[label] = [m.replace(value, "<code>") for m in errors[name]]
            if label == "hidden":
                typed = " ".join(data.values())  # the form shows back what the user typed
                for text in revealing(hidden):
                    assert text in typed or text not in body, (channel, text)
        assert seen["hidden"] == seen["missing"], (channel, seen)
        answers[channel] = seen["hidden"]
    assert answers["page"] == answers["api"] == answers["import"], answers


def test_the_probes_case_another_districts_secret_handover_is_not_named(
    vixuyen_officer: User,
) -> None:
    """A district officer posting {"handovers": [id]} to /api/incidents/ got the title of
    another district's secret activity in the 400."""
    from borderlink.ledger.models import Activity

    secret = hidden_record(Activity, "other-district")
    rest = api_client(vixuyen_officer)
    data = as_json(get_register("incidents"), SAMPLES["incidents"](*IN_SCOPE))
    hidden = rest.post(
        "/api/incidents/", {**data, "handovers": [secret.pk]}, content_type="application/json"
    )
    missing = rest.post(
        "/api/incidents/", {**data, "handovers": [10**9]}, content_type="application/json"
    )
    assert hidden.status_code == missing.status_code == 400
    assert secret.title not in hidden.content.decode()
    assert hidden.json()["handovers"] == [
        m.replace(str(10**9), str(secret.pk)) for m in missing.json()["handovers"]
    ]


# --- 2. child records: the parent's sensitivity and scope ----------------------------------


def _parent(model: type[models.Model]) -> str | None:
    lookup = getattr(model, "scope_path_lookup", "")
    first, _sep, rest = lookup.partition("__")
    return first if rest.endswith("path") and "__" in rest else None


CHILDREN = sorted(
    spec.slug
    for spec in registers()
    if _parent(spec.model) or getattr(spec.model, "sensitivity_lookup", None)
)


def test_every_child_register_takes_its_parents_sensitivity() -> None:
    """Declared once: a register scoped through its parent also reads its parent's
    sensitivity (where the parent has one); a child's own copy is not what the gate reads."""
    missing = []
    for spec in registers():
        parent = _parent(spec.model)
        if parent is None:
            continue
        level = sensitivity_lookup(linked_model(spec, parent))
        if level is not None and sensitivity_lookup(spec.model) != f"{parent}__{level}":
            missing.append(spec.slug)
    assert not missing, missing
    assert {"delegation-members", "delegation-approvals", "incident-steps"} <= set(CHILDREN)
    assert {"handover-counts", "handover-persons", "commitments"} <= set(CHILDREN)


@pytest.mark.parametrize(
    "slug",
    [
        s
        for s in CHILDREN
        if s in SAMPLES and getattr(get_register(s).model, "sensitivity_lookup", None)
    ],
)
def test_a_child_of_a_secret_record_is_secret_on_every_page_and_in_the_api(
    slug: str, vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    spec = get_register(slug)
    form = form_class(spec)(data=SAMPLES[slug](*IN_SCOPE))
    assert form.is_valid(), form.errors
    with acting_as(None, reason="test"):
        child = form.save()
    parent_name = spec.model.sensitivity_lookup.split("__")[0]  # type: ignore[attr-defined]
    parent = getattr(child, parent_name)
    client = client_of(vixuyen_officer)
    rest = api_client(vixuyen_officer)

    def shown() -> dict[str, Any]:
        listing = client.get(f"/r/{slug}/").content.decode()
        exported = client.get(f"/r/{slug}/?export=csv").content.decode("utf-8-sig")
        ids: list[int] = []
        url: str | None = f"/api/{slug}/"
        while url:
            page = rest.get(url).json()
            ids += [item["id"] for item in page["results"]]
            url = page["next"]
        return {
            "list": f"/r/{slug}/{child.pk}/" in listing,
            "detail": client.get(f"/r/{slug}/{child.pk}/").status_code == 200,
            "api": rest.get(f"/api/{slug}/{child.pk}/").status_code == 200,
            "api list": child.pk in ids,
            "exported rows": len(list(csv.DictReader(io.StringIO(exported)))),
        }

    type(parent)._default_manager.filter(pk=parent.pk).update(sensitivity=1)
    visible = shown()
    assert all(visible.values()), visible
    type(parent)._default_manager.filter(pk=parent.pk).update(sensitivity=SECRET)
    secret = shown()
    assert secret == {
        "list": False,
        "detail": False,
        "api": False,
        "api list": False,
        "exported rows": visible["exported rows"] - 1,
    }, secret


# --- one invalid record, three ways in, the same messages ----------------------------------


def _invalid(slug: str) -> dict[str, str]:
    """The sample with every link pointing at nothing and its unit unknown."""
    spec = get_register(slug)
    data = dict(SAMPLES[slug](*IN_SCOPE))
    for name in data:
        field = spec.model_field(name)
        if field.is_relation:
            data[name] = missing_key(linked_model(spec, name))
    return data


@pytest.mark.parametrize("slug", sorted(SAMPLES))
def test_one_invalid_record_gets_the_same_messages_on_the_page_in_the_api_and_the_import(
    slug: str, editor: User, client_of: Callable[[User], Client]
) -> None:
    spec = get_register(slug)
    data = _invalid(slug)
    page, _body = via_page(client_of(editor), spec, data)
    api, _body = via_api(editor, spec, data)
    imported, _body = via_import(editor, spec, data)
    assert page, slug
    assert page == api == imported, {"page": page, "api": api, "import": imported}


def test_a_hidden_record_linked_by_someone_else_is_not_named_on_the_officers_pages(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    """The province links an incident of the district to a hand-over the officer may not see:
    the officer's pages of the incident do not name it."""
    from borderlink.border.models import Incident
    from borderlink.ledger.models import Activity

    secret = hidden_record(Activity, "above-clearance")
    seen = hidden_record(Activity, "other-district")
    Activity.objects.filter(pk=seen.pk).update(sensitivity=1, home_unit=secret.home_unit)
    seen.refresh_from_db()
    incident = _system_record(Incident, IN_SCOPE)
    incident.handovers.set([secret, seen])
    client = client_of(vixuyen_officer)
    detail = client.get(f"/r/incidents/{incident.pk}/").content.decode()
    assert secret.title not in detail and seen.title in detail
    listing = client.get("/r/incidents/").content.decode()
    assert secret.title not in listing
