"""The marker register: numbers once per section, positions never made up, the demo register."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.border.models import BorderSection, Marker
from borderlink.border.overdue import declared_count
from borderlink.places.models import Unit
from borderlink.registers.forms import RegisterForm, form_class
from borderlink.registers.spec import get_register
from tests.typed import Login

pytestmark = pytest.mark.django_db


def marker_form(**data: str) -> RegisterForm:
    base = {
        "number": "999",
        "kind": "main",
        "section": "vn-cn-ha-giang",
        "home_unit": "VN-02-BGS-THANHTHUY",
        "accuracy": "unknown",
        "condition": "unknown",
    }
    base.update(data)
    return form_class(get_register("markers"))(data=base)


def test_a_marker_number_used_twice_on_one_section_is_refused_and_nothing_saved() -> None:
    before = Marker.objects.count()
    with translation.override("en"):
        form = marker_form(number="234")
        assert not form.is_valid()
        assert "already used on this section" in str(form.errors)
    assert Marker.objects.count() == before


def test_the_same_number_on_another_section_is_a_different_marker() -> None:
    BorderSection.objects.create(code="other", name_vi="Khác", home_unit_id=1)
    form = marker_form(number="234", section="other", home_unit="VN")
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"latitude": "22.9", "accuracy": "surveyed"}, "longitude"),
        ({"latitude": "22.9", "longitude": "104.8"}, "accuracy"),
        ({"accuracy": "approximate"}, "accuracy"),
        ({"latitude": "95", "longitude": "104.8", "accuracy": "surveyed"}, "latitude"),
    ],
)
def test_a_position_comes_with_both_coordinates_and_its_accuracy(
    data: dict[str, str], field: str
) -> None:
    form = marker_form(**data)
    assert not form.is_valid()
    assert field in form.errors


def test_the_demo_register_holds_only_sourced_markers_and_no_made_up_points() -> None:
    markers = Marker.objects.filter(section__code="vn-cn-ha-giang")
    assert markers.count() == 12
    from borderlink.accounts.models import User

    admin = User.objects.get(username="admin")
    assert declared_count(admin, "border_markers").value == 442
    for marker in markers:
        assert marker.source is not None and marker.source_quote
        if marker.has_position:
            assert marker.accuracy == "surveyed"
            # The quoted coordinates are in the record's own quotation.
            assert "tọa độ" in marker.source_quote
        else:
            assert marker.accuracy == "unknown"
    commune = Marker.objects.get(number="325").commune
    assert commune is not None and commune.code == "VN-C00880"
    m261 = Marker.objects.get(number="261(2)")
    assert (float(m261.latitude), float(m261.longitude)) == pytest.approx(
        (22 + 56 / 60 + 12.727 / 3600, 104 + 50 / 60 + 58.426 / 3600), abs=1e-7
    )
    assert m261.kind == "twin" and m261.home_unit.code == "VN-02-BGS-THANHTHUY"


def test_a_station_officer_sees_the_markers_of_their_station_only(
    station_officer: User, client_of: Login
) -> None:
    client: Client = client_of(station_officer)
    listing = client.get("/r/markers/").content.decode()
    ours = Marker.objects.get(number="234")
    theirs = Marker.objects.get(number="345")
    assert f"/r/markers/{ours.pk}/" in listing
    assert f"/r/markers/{theirs.pk}/" not in listing
    assert client.get(f"/r/markers/{theirs.pk}/").status_code == 404


def test_a_marker_sheet_with_a_duplicate_number_imports_nothing(editor: User) -> None:
    from borderlink.registers import imports
    from borderlink.registers.models import ImportJob

    content = (
        b"number,kind,section,home_unit,accuracy,condition\n"
        b"901,main,vn-cn-ha-giang,VN-P02,unknown,unknown\n"
        b"901,main,vn-cn-ha-giang,VN-P02,unknown,unknown\n"
    )
    job = ImportJob.objects.create(
        register="markers", user=editor, filename="m.csv", content=content
    )
    imports.check(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW  # each row alone is valid…
    imports.commit(job)
    job.refresh_from_db()
    assert job.status != ImportJob.Status.DONE  # …together they are not: nothing is kept
    assert job.errors
    assert not Marker.objects.filter(number="901").exists()


def test_the_map_says_how_many_of_the_declared_markers_are_registered(
    client_of: Login, editor: User
) -> None:
    client: Client = client_of(editor)
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get("/border/map/").content.decode()
    assert "12 markers registered of the 442" in page


def test_markers_sort_in_the_protocols_numeric_order(editor: User, client_of: Login) -> None:
    province = Unit.objects.get(code="VN-P02")
    section = BorderSection.objects.create(code="order", name_vi="Thứ tự", home_unit=province)
    for number in ("10", "261(2)", "2", "519/2", "261", "100"):
        Marker.objects.create(
            section=section, number=number, kind="main", home_unit=province, accuracy="unknown"
        )
    in_order = ["2", "10", "100", "261", "261(2)", "519/2"]
    assert list(section.markers.values_list("number", flat=True)) == in_order
    # The register's list sorts its number column the same way, both ways.
    client: Client = client_of(editor)
    for sort, expected in (("number", in_order), ("-number", in_order[::-1])):
        page = client.get("/r/markers/", {"sort": sort, "section": "order"}).content.decode()
        shown = re.findall(r'href="/r/markers/\d+/">\s*(\S+?)\s*</a>', page)
        assert shown == expected, sort
