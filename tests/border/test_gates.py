"""Gates and their pairs across the line, and gate statistics."""

from __future__ import annotations

import pytest
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.border.models import Gate, GateFigure
from borderlink.registers import imports
from borderlink.registers.forms import RegisterForm, form_class
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register

pytestmark = pytest.mark.django_db


def test_the_demo_gate_pairs_point_at_each_other() -> None:
    thanhthuy = Gate.objects.get(code="VN-02-GATE-THANHTHUY")
    xinman = Gate.objects.get(code="VN-02-GATE-XINMAN")
    assert thanhthuy.kind == "international" and xinman.kind == "bilateral"
    tianbao, dulong = thanhthuy.counterpart, xinman.counterpart
    assert tianbao is not None and dulong is not None
    assert tianbao.code == "CN-532624-GATE-TIANBAO"
    assert tianbao.counterpart == thanhthuy
    assert dulong.code == "CN-532625-GATE-DULONG"


def test_a_gate_paired_with_a_gate_on_the_same_side_is_refused() -> None:
    xinman = Gate.objects.get(code="VN-02-GATE-XINMAN")
    with translation.override("en"):
        form = form_class(get_register("gates"))(
            instance=xinman,
            data={
                "unit": "VN-02-GATE-XINMAN",
                "kind": "bilateral",
                "home_unit": "VN-D033",
                "counterpart": "VN-02-GATE-THANHTHUY",
                "status": "open",
                "accuracy": "unknown",
            },
        )
        assert not form.is_valid()
        assert "same side of the border" in str(form.errors["counterpart"])
    xinman.refresh_from_db()
    assert xinman.counterpart is not None and xinman.counterpart.code == "CN-532625-GATE-DULONG"


def figure(**data: str) -> RegisterForm:
    base = {
        "gate": "VN-02-GATE-THANHTHUY",
        "home_unit": "VN-D030",
        "period_from": "2020-01-01",
        "period_to": "2020-01-31",
        "measure": "import_value",
        "value": "1000000",
        "unit_of_measure": "USD",
    }
    base.update(data)
    return form_class(get_register("gate-statistics"))(data=base)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"unit_of_measure": "tấn"}, "unit_of_measure"),  # a value in tonnes
        ({"measure": "persons_in", "unit_of_measure": "vehicles"}, "unit_of_measure"),
        ({"measure": "vehicles_out", "unit_of_measure": "USD"}, "unit_of_measure"),
        ({"period_to": "2020-02-15"}, "period_to"),  # neither a day nor a month
        ({"nationality": "VN"}, "nationality"),  # nationality is for persons
    ],
)
def test_a_gate_figure_with_the_wrong_unit_or_period_is_refused(
    data: dict[str, str], field: str
) -> None:
    form = figure(**data)
    assert not form.is_valid()
    assert field in form.errors


def test_a_day_or_a_month_with_its_unit_is_accepted() -> None:
    assert figure().is_valid()
    assert figure(
        period_from="2020-03-05", period_to="2020-03-05", unit_of_measure="cny"
    ).is_valid()
    assert figure(measure="persons_out", nationality="CN", unit_of_measure="persons").is_valid()


def test_a_gate_statistics_sheet_with_a_wrong_unit_imports_nothing(editor: User) -> None:
    content = (
        "gate,home_unit,period_from,period_to,measure,nationality,value,unit_of_measure\n"
        "VN-02-GATE-THANHTHUY,VN-D030,2020-01-01,2020-01-31,persons_in,VN,5120,persons\n"
        "VN-02-GATE-THANHTHUY,VN-D030,2020-01-01,2020-01-31,export_value,,2500,tấn\n"
    ).encode()
    job = ImportJob.objects.create(
        register="gate-statistics", user=editor, filename="gate.csv", content=content
    )
    with translation.override("en"):
        imports.check(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert job.errors[0]["row"] == 3 and job.errors[0]["field"] == "unit_of_measure"
    assert "not a currency" in job.errors[0]["message"]
    assert not GateFigure.objects.exists()


def test_a_new_pair_releases_the_former_partner() -> None:
    from borderlink.places.models import Unit

    thanhthuy = Gate.objects.get(code="VN-02-GATE-THANHTHUY")
    tianbao = Gate.objects.get(code="CN-532624-GATE-TIANBAO")
    dulong = Gate.objects.get(code="CN-532625-GATE-DULONG")
    dulong.counterpart = None
    dulong.save()
    thanhthuy.counterpart = dulong
    thanhthuy.save()
    tianbao.refresh_from_db()
    dulong.refresh_from_db()
    assert tianbao.counterpart is None
    assert dulong.counterpart == thanhthuy
    assert Unit.objects.filter(code="CN-532625-GATE-DULONG").exists()
