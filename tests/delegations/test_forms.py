"""The delegation form refuses what cannot be, and says why; a refused import writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.utils import ErrorDict
from django.test import Client
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.delegations.models import Delegation, DelegationApproval
from borderlink.registers.forms import form_class
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register
from tests.delegations.conftest import make_delegation
from tests.registers.samples import IN_SCOPE, SAMPLES

pytestmark = pytest.mark.django_db


def errors_of(slug: str, **changes: str) -> ErrorDict:
    data = {**SAMPLES[slug](*IN_SCOPE), **changes}
    form = form_class(get_register(slug))(data=data)
    assert not form.is_valid()
    return form.errors


def test_the_sample_is_valid() -> None:
    form = form_class(get_register("delegations"))(data=SAMPLES["delegations"](*IN_SCOPE))
    assert form.is_valid(), form.errors


def test_the_partner_is_on_the_other_side() -> None:
    assert "counterpart" in errors_of("delegations", counterpart="VN-D026")


def test_hosts_and_guests_fit_the_direction() -> None:
    errors = errors_of("delegations", host_units="VN-D030", guest_units="CN-532624")
    assert {"host_units", "guest_units"} <= set(errors)
    # Incoming: we host, they visit.
    form = form_class(get_register("delegations"))(
        data={
            **SAMPLES["delegations"](*IN_SCOPE),
            "way": "received",
            "host_units": "VN-D030",
            "guest_units": "CN-532624",
        }
    )
    assert form.is_valid(), form.errors


def test_dates_in_order_and_a_budget_with_its_currency() -> None:
    errors = errors_of("delegations", ends_on="2020-05-01", budget="1000")
    assert "ends_on" in errors and "budget_currency" in errors
    assert "budget_currency" in errors_of("delegations", budget_currency="XYZ")


def test_units_must_exist_on_the_date() -> None:
    # Vị Xuyên district ended with the 2025 reform.
    errors = errors_of("delegations", starts_on="2026-01-05", ends_on="2026-01-06")
    assert "home_unit" in errors


def test_an_approval_is_not_given_in_the_future_and_names_who_gave_it() -> None:
    errors = errors_of("delegation-approvals", given_on="2999-01-01", given_by="")
    assert {"given_on", "given_by"} <= set(errors)


def test_a_file_with_a_bad_row_imports_no_delegation(
    editor: User, client_of: Callable[[User], Client], settings: Settings
) -> None:
    settings.IMPORTS_IN_BACKGROUND = False
    spec = get_register("delegations")
    good = SAMPLES["delegations"](*IN_SCOPE)
    bad = {**good, "title": "Hàng sai", "counterpart": "VN-D026"}
    lines = [",".join(spec.fields)]
    for row in (good, bad):
        lines.append(",".join(f'"{row.get(name, "")}"' for name in spec.fields))
    before = Delegation.objects.count()
    client = client_of(editor)
    content = ("\n".join(lines) + "\n").encode()
    client.post("/r/delegations/import/", {"file": SimpleUploadedFile("d.csv", content)})
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["field"]) for e in job.errors} == {(3, "counterpart")}
    client.post(f"/r/delegations/import/{job.pk}/")
    assert Delegation.objects.count() == before


def test_imported_delegations_start_as_proposals(
    editor: User, client_of: Callable[[User], Client], settings: Settings
) -> None:
    settings.IMPORTS_IN_BACKGROUND = False
    spec = get_register("delegations")
    row = {**SAMPLES["delegations"](*IN_SCOPE), "title": "Đoàn nhập từ tệp"}
    content = (
        ",".join(spec.fields) + "\n" + ",".join(f'"{row.get(n, "")}"' for n in spec.fields) + "\n"
    ).encode()
    client = client_of(editor)
    client.post("/r/delegations/import/", {"file": SimpleUploadedFile("d.csv", content)})
    job = ImportJob.objects.latest("pk")
    client.post(f"/r/delegations/import/{job.pk}/")
    imported = Delegation.objects.get(title="Đoàn nhập từ tệp")
    assert imported.status == "proposed" and imported.activity is None


def test_approvals_list_on_the_delegations_page(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    delegation = make_delegation()
    DelegationApproval.objects.create(delegation=delegation, authority="Ban Đối ngoại Tỉnh ủy")
    page = client_of(editor).get(f"/r/delegations/{delegation.pk}/").content.decode()
    assert "Ban Đối ngoại Tỉnh ủy" in page and 'id="move-approved"' in page
