"""Inspections: dates, damage → incident → repair, days since, the overdue list per station."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone, translation
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.border.models import Incident, Inspection, Marker, MarkerCheck
from borderlink.border.overdue import overdue
from borderlink.places.models import Unit
from borderlink.registers.forms import form_class
from borderlink.registers.spec import get_register
from tests.border.conftest import inspection
from tests.typed import Login

pytestmark = pytest.mark.django_db


def test_an_inspection_dated_in_the_future_is_refused_with_a_clear_message() -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("en"):
        form = form_class(get_register("inspections"))(
            data={"inspected_on": tomorrow.isoformat(), "home_unit": "VN-D030"}
        )
        assert not form.is_valid()
        assert "is in the future" in str(form.errors["inspected_on"])
    assert not Inspection.objects.filter(inspected_on=tomorrow).exists()


def test_a_joint_inspection_names_a_unit_of_the_other_side() -> None:
    spec = get_register("inspections")
    data = {"inspected_on": "2020-05-01", "home_unit": "VN-D030", "joint": "on"}
    assert "counterpart" in form_class(spec)(data=data).errors
    data["counterpart"] = "VN-D026"
    assert "counterpart" in form_class(spec)(data=data).errors
    data["counterpart"] = "CN-532624-BGS-TIANBAO"
    assert form_class(spec)(data=data).is_valid()


def check(
    marker: Marker, station: Unit, day: datetime.date, condition: str, **extra: object
) -> MarkerCheck:
    form = form_class(get_register("marker-checks"))(
        data={
            "inspection": str(inspection(station, day).pk),
            "marker": marker.code,
            "condition": condition,
            **{k: ("on" if v is True else v) for k, v in extra.items()},
        }
    )
    assert form.is_valid(), form.errors
    return form.save()


def test_damage_opens_an_incident_and_the_repair_closes_it(
    marker_234: Marker, station: Unit
) -> None:
    assert marker_234.open_incident() is None
    found = check(marker_234, station, datetime.date(2020, 5, 1), "damaged", notes="Nứt chân mốc")
    marker_234.refresh_from_db()
    assert marker_234.condition == "damaged"
    incident = marker_234.open_incident()
    assert incident is not None
    assert incident.kind == "marker_damage" and incident.opened_by == found
    assert incident.occurred_on == datetime.date(2020, 5, 1)
    assert incident.home_unit == station and incident.marker == marker_234

    # A second visit that still finds it damaged opens no second incident.
    check(marker_234, station, datetime.date(2020, 5, 10), "damaged")
    assert Incident.objects.filter(marker=marker_234).count() == 1

    repair = check(marker_234, station, datetime.date(2020, 5, 20), "damaged", repaired=True)
    incident.refresh_from_db()
    marker_234.refresh_from_db()
    assert incident.status == "resolved" and incident.resolved_on == datetime.date(2020, 5, 20)
    assert incident.closed_by == repair and incident.days_to_resolution == 19
    assert marker_234.condition == "intact"
    assert marker_234.last_inspected_on == datetime.date(2020, 5, 20)


def test_an_intact_check_opens_nothing(marker_234: Marker, station: Unit) -> None:
    check(marker_234, station, datetime.date(2020, 6, 1), "intact")
    assert not Incident.objects.filter(marker=marker_234).exists()
    marker_234.refresh_from_db()
    assert marker_234.condition == "intact"


def test_a_station_cannot_record_a_check_of_another_stations_marker(station: Unit) -> None:
    other = Marker.objects.get(number="345")  # Bạch Đích station's
    form = form_class(get_register("marker-checks"))(
        data={
            "inspection": str(inspection(station, datetime.date(2020, 5, 1)).pk),
            "marker": other.code,
            "condition": "intact",
        }
    )
    assert "marker" in form.errors


def test_days_since_the_last_inspection(marker_234: Marker, station: Unit) -> None:
    check(marker_234, station, datetime.date(2020, 5, 1), "intact")
    check(marker_234, station, datetime.date(2020, 3, 1), "intact")  # an older one entered later
    marker_234.refresh_from_db()
    assert marker_234.last_inspected_on == datetime.date(2020, 5, 1)
    assert marker_234.days_since_inspection(datetime.date(2020, 5, 31)) == 30


def test_the_overdue_list_names_per_station_the_markers_not_inspected_in_time(
    station: Unit, client_of: Login, editor: User
) -> None:
    today = timezone.localdate()
    m234 = Marker.objects.get(number="234")
    m261 = Marker.objects.get(number="261(2)")
    m2611 = Marker.objects.get(number="261(1)")
    check(m234, station, today - datetime.timedelta(days=5), "intact")
    check(m261, station, today - datetime.timedelta(days=45), "intact")
    stations, count = overdue(editor, today, 30)
    by_code = {s.unit.code: s for s in stations}
    thanhthuy = by_code["VN-02-BGS-THANHTHUY"]
    assert m234 not in thanhthuy.markers  # inspected 5 days ago
    assert m261 in thanhthuy.markers and m2611 in thanhthuy.markers  # 45 days / never
    assert thanhthuy.total == 3
    assert count == Marker.objects.count() - 1
    # A longer interval takes 261(2) off the list.
    stations, _ = overdue(editor, today, 60)
    assert m261 not in {m for s in stations for m in s.markers}

    client: Client = client_of(editor)
    page = client.get("/border/overdue/?days=30").content.decode()
    assert f"/r/markers/{m261.pk}/" in page and f"/r/markers/{m234.pk}/" not in page


def test_a_station_officer_sees_only_their_own_overdue_markers(
    station_officer: User, client_of: Login
) -> None:
    client: Client = client_of(station_officer)
    page = client.get("/border/overdue/").content.decode()
    assert f"/r/markers/{Marker.objects.get(number='234').pk}/" in page
    assert f"/r/markers/{Marker.objects.get(number='345').pk}/" not in page


def test_a_check_with_a_photo_is_recorded_through_the_page(
    marker_234: Marker,
    station: Unit,
    station_officer: User,
    client_of: Login,
    settings: Settings,
    tmp_path: Path,
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "grey").save(buffer, "JPEG")
    visit = inspection(station, datetime.date(2020, 5, 1))
    client: Client = client_of(station_officer)
    response = client.post(
        "/r/marker-checks/new/",
        {
            "inspection": str(visit.pk),
            "marker": marker_234.code,
            "condition": "lost",
            "photo": SimpleUploadedFile("moc.jpg", buffer.getvalue(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    found = MarkerCheck.objects.get(inspection=visit)
    assert (found.photo.name or "").startswith("border/checks/2")
    incident = Incident.objects.get(marker=marker_234)
    assert incident.status == "open" and incident.kind == "marker_damage"


def test_deleting_a_check_gives_the_marker_back_its_earlier_state(
    marker_234: Marker, station: Unit
) -> None:
    check(marker_234, station, datetime.date(2020, 5, 1), "intact")
    later = check(marker_234, station, datetime.date(2020, 6, 1), "moved")
    later.inspection.delete()  # the checks go with their inspection
    marker_234.refresh_from_db()
    assert marker_234.condition == "intact"
    assert marker_234.last_inspected_on == datetime.date(2020, 5, 1)


def test_the_station_carried_over_in_the_reform_inspects_its_predecessors_markers(
    marker_234: Marker, station: Unit
) -> None:
    successor = Unit.objects.get(code="VN-02-BGS-THANHTHUY-2025")
    found = check(marker_234, successor, timezone.localdate(), "intact")
    assert found.inspection.home_unit == successor
    # A station of another stretch of the line still may not.
    other = (
        Unit.objects.filter(kind=station.kind, valid_to__isnull=True)
        .exclude(pk=successor.pk)
        .exclude(path__startswith=successor.path)
        .first()
    )
    assert other is not None
    with translation.override("en"):
        form = form_class(get_register("marker-checks"))(
            data={
                "inspection": str(inspection(other, timezone.localdate()).pk),
                "marker": marker_234.code,
                "condition": "intact",
            }
        )
        assert "not of the inspecting unit" in str(form.errors["marker"])
