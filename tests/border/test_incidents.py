"""Incidents: sensitivity through the one gate, steps with it, hand-overs linked, dates checked."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from borderlink.accounts.models import User
from borderlink.border.models import Incident, IncidentStep
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers.forms import form_class
from borderlink.registers.spec import get_register
from tests.typed import Login

pytestmark = pytest.mark.django_db


def make_incident(sensitivity: int) -> Incident:
    incident = Incident.objects.create(
        kind="illegal_crossing",
        title="Xuất cảnh trái phép",
        occurred_on=datetime.date(2020, 4, 1),
        home_unit=Unit.objects.get(code="VN-D030"),
        sensitivity=sensitivity,
    )
    IncidentStep.objects.create(
        incident=incident, side="joint", taken_on=datetime.date(2020, 4, 2), action="Hội đàm"
    )
    return incident


def test_a_confidential_incident_and_its_steps_do_not_exist_for_a_low_clearance_officer(
    vixuyen_officer: User, client_of: Login
) -> None:
    incident = make_incident(sensitivity=2)
    step = incident.steps.get()
    assert step.sensitivity == 2
    client: Client = client_of(vixuyen_officer)
    assert client.get(f"/r/incidents/{incident.pk}/").status_code == 404
    assert client.get(f"/r/incident-steps/{step.pk}/").status_code == 404
    # Lowered to internal, both appear.
    incident.sensitivity = 1
    incident.save()
    assert client.get(f"/r/incident-steps/{step.pk}/").status_code == 200


def test_only_a_public_cleared_incident_is_for_the_public_site() -> None:
    incident = make_incident(sensitivity=0)
    assert incident not in Incident.public()
    incident.public_cleared = True
    incident.save()
    assert incident in Incident.public()
    form = form_class(get_register("incidents"))(
        data={
            "kind": "violation",
            "title": "x",
            "occurred_on": "2020-04-01",
            "home_unit": "VN-D030",
            "status": "open",
            "sensitivity": "2",
            "public_cleared": "on",
        }
    )
    assert "public_cleared" in form.errors


def test_hand_overs_link_to_the_incident_that_caused_them() -> None:
    incident = make_incident(sensitivity=1)
    handover = Activity.objects.create(
        kind="handover",
        occurred_on=datetime.date(2020, 4, 3),
        title="Trao trả 3 công dân",
        home_unit=Unit.objects.get(code="VN-02-BGS-THANHTHUY"),
        counterpart=Unit.objects.get(code="CN-532624-BGS-TIANBAO"),
        diplomacy="state",
        persons=3,
    )
    letter = Activity.objects.create(
        kind="letter",
        occurred_on=datetime.date(2020, 4, 3),
        title="Thư",
        home_unit=Unit.objects.get(code="VN-02-BGS-THANHTHUY"),
        diplomacy="state",
    )
    spec = get_register("incidents")
    data = {
        "kind": "illegal_crossing",
        "title": incident.title,
        "occurred_on": "2020-04-01",
        "home_unit": "VN-D030",
        "status": "resolved",
        "resolved_on": "2020-04-03",
        "sensitivity": "1",
        "handovers": f"{handover.pk}; {letter.pk}",
    }
    assert "handovers" in form_class(spec)(data=data, instance=incident).errors
    data["handovers"] = str(handover.pk)
    form = form_class(spec)(data=data, instance=incident)
    assert form.is_valid(), form.errors
    form.save()
    assert list(handover.border_incidents.all()) == [incident]
    assert incident.days_to_resolution == 2


def test_resolution_before_the_incident_and_a_step_before_it_are_refused() -> None:
    incident = make_incident(sensitivity=1)
    spec = get_register("incidents")
    form = form_class(spec)(
        data={
            "kind": "crime",
            "title": "x",
            "occurred_on": "2020-04-10",
            "home_unit": "VN-D030",
            "status": "resolved",
            "resolved_on": "2020-04-01",
            "sensitivity": "1",
        }
    )
    assert "resolved_on" in form.errors
    step = form_class(get_register("incident-steps"))(
        data={"incident": str(incident.pk), "side": "ours", "taken_on": "2020-03-01", "action": "x"}
    )
    assert "taken_on" in step.errors
