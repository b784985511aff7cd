"""The economic cooperation registers refuse what cannot be, and say why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.economy.models import ElectricityFlow, Enterprise
from borderlink.places.models import Unit
from borderlink.registers.forms import RegisterForm, form_class
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register
from tests.registers.samples import IN_SCOPE, SAMPLES

pytestmark = pytest.mark.django_db


def form(slug: str, **changes: str) -> RegisterForm:
    return form_class(get_register(slug))(data={**SAMPLES[slug](*IN_SCOPE), **changes})


def errors_of(slug: str, **changes: str) -> set[str]:
    bound = form(slug, **changes)
    assert not bound.is_valid()
    return set(bound.errors)


@pytest.mark.parametrize(
    "slug", ["enterprises", "investment-projects", "project-issues", "electricity-flows"]
)
def test_the_samples_are_valid(slug: str) -> None:
    bound = form(slug)
    assert bound.is_valid(), bound.errors


def test_an_enterprise_is_a_gazetteer_unit_of_kind_enterprise() -> None:
    assert errors_of("enterprises", unit="VN-C00928") == {"unit"}
    saved = form("enterprises")
    assert saved.is_valid()
    enterprise = saved.save()
    assert isinstance(enterprise, Enterprise) and enterprise.code == enterprise.unit.code


def test_a_project_joins_the_two_sides_and_keeps_its_money_straight() -> None:
    ours = Enterprise.objects.create(
        unit=Unit.objects.get(code=SAMPLES["enterprises"](*IN_SCOPE)["unit"]),
        sector="mining",
        home_unit=Unit.objects.get(code="VN-D030"),
    )
    assert "enterprises" in errors_of("investment-projects", enterprises=ours.code)
    assert "location" in errors_of("investment-projects", location="CN-532624")
    assert "currency" in errors_of("investment-projects", currency="")
    assert "registered_on" in errors_of("investment-projects", registered_on="")
    errors = errors_of(
        "investment-projects", disbursed_capital="2000000", disbursed_as_of="2020-01-01"
    )
    assert errors == {"disbursed_capital"}
    assert "licence_number" in errors_of("investment-projects", status="operating")
    assert "licensed_on" in errors_of("investment-projects", licence_number="01/GP")


def test_a_resolved_problem_says_when_and_how() -> None:
    assert {"resolved_on", "resolution"} <= errors_of("project-issues", status="resolved")
    assert "resolved_on" in errors_of(
        "project-issues", status="resolved", resolved_on="2020-01-01", resolution="Đã xử lý"
    )
    assert "status" in errors_of("project-issues", resolved_on="2020-03-01")


def test_electricity_flows_cross_the_border_once_per_period() -> None:
    assert "counterpart" in errors_of("electricity-flows", counterpart="VN-D026")
    assert "period_to" in errors_of("electricity-flows", period_to="2019-12-01")
    assert "currency" in errors_of("electricity-flows", currency="")
    assert "energy_unit" in errors_of("electricity-flows", energy_unit="TWh")
    data = SAMPLES["electricity-flows"](*IN_SCOPE)
    first = form_class(get_register("electricity-flows"))(data=data)
    assert first.is_valid(), first.errors
    first.save()
    again = form_class(get_register("electricity-flows"))(data=data)
    assert not again.is_valid() and set(again.errors) == {"__all__"}


def test_a_refused_electricity_sheet_writes_nothing(
    editor: User, client_of: Callable[[User], Client], settings: Settings
) -> None:
    settings.IMPORTS_IN_BACKGROUND = False
    spec = get_register("electricity-flows")
    good = SAMPLES["electricity-flows"](*IN_SCOPE)
    rows = [good, {**good, "period_from": "2020-12-30", "period_to": "2020-12-31", "energy": "-5"}]
    lines = [",".join(spec.fields)] + [",".join(r.get(n, "") for n in spec.fields) for r in rows]
    client = client_of(editor)
    before = ElectricityFlow.objects.count()
    content = ("\n".join(lines) + "\n").encode()
    client.post("/r/electricity-flows/import/", {"file": SimpleUploadedFile("e.csv", content)})
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["field"]) for e in job.errors} == {(3, "energy")}
    client.post(f"/r/electricity-flows/import/{job.pk}/")
    assert ElectricityFlow.objects.count() == before
