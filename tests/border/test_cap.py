"""Early warning in CAP 1.2: export then import gives the same alert; the schema refuses bad files."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from lxml import etree

from borderlink.accounts.models import User
from borderlink.border import cap
from borderlink.border.models import Alert
from borderlink.places.models import Unit
from borderlink.registers.spec import get_register
from borderlink.registers.tabular import cell_value
from tests.typed import Login

pytestmark = pytest.mark.django_db

CAP_FIELDS = [
    "identifier",
    "sender",
    "msg_type",
    "hazard",
    "event",
    "severity",
    "urgency",
    "certainty",
    "issued_at",
    "expires_at",
    "area_desc",
    "area_units",
    "polygon",
    *[
        f"{part}_{lang}"
        for part in ("headline", "description", "instruction")
        for lang in ("vi", "en", "zh")
    ],
]


def make_alert() -> Alert:
    alert = Alert.objects.create(
        identifier="VN-02-2020-0042",
        sender="songoaivu@hagiang.gov.vn",
        direction="sent",
        home_unit=Unit.objects.get(code="VN-P02"),
        counterpart=Unit.objects.get(code="CN-532600"),
        hazard="flood",
        event="Lũ quét / Flash flood / 山洪",
        severity="Severe",
        urgency="Expected",
        certainty="Likely",
        issued_at=datetime.datetime(
            2020, 7, 1, 8, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
        ),
        expires_at=datetime.datetime(
            2020, 7, 3, 8, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
        ),
        area_desc="Vị Xuyên – Malipo, lưu vực sông Lô",
        polygon="22.9,104.8 23.0,104.8 23.0,104.9 22.9,104.9 22.9,104.8",
        headline_vi="Cảnh báo lũ quét",
        headline_en="Flash flood warning",
        headline_zh="山洪预警",
        description_vi="Mưa lớn kéo dài; nguy cơ lũ quét.",
        description_en="Prolonged heavy rain; risk of flash floods.",
        description_zh="持续强降雨，有山洪风险。",
        instruction_vi="Tránh xa suối.",
        instruction_en="Keep away from streams.",
        instruction_zh="远离溪流。",
    )
    alert.area_units.set(Unit.objects.filter(code__in=["VN-D030", "CN-532624"]))
    return alert


def snapshot(alert: Alert) -> dict[str, object]:
    spec = get_register("alerts")
    values = {name: cell_value(spec, alert, name) for name in CAP_FIELDS}
    values["issued_at"] = alert.issued_at
    values["expires_at"] = alert.expires_at
    return values


def test_an_export_has_one_info_block_per_language_and_passes_the_schema() -> None:
    document = etree.fromstring(cap.to_xml(make_alert()))
    assert cap.schema().validate(document)
    languages = [e.text for e in document.iter(f"{{{cap.NS}}}language")]
    assert languages == ["vi-VN", "en-US", "zh-CN"]
    assert document.findtext(f"{{{cap.NS}}}sent") == "2020-07-01T08:30:00+07:00"


def test_export_then_import_gives_the_same_alert(client_of: Login, editor: User) -> None:
    alert = make_alert()
    before = snapshot(alert)
    client: Client = client_of(editor)
    response = client.get(f"/border/alerts/{alert.pk}/cap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    xml = response.content
    alert.delete()
    imported = client.post(
        "/border/alerts/import-cap/",
        {
            "file": SimpleUploadedFile("alert.xml", xml),
            "home_unit": "VN-P02",
            "counterpart": "CN-532600",
        },
    )
    assert imported.status_code == 302, imported.content.decode()[-2000:]
    again = Alert.objects.get(identifier="VN-02-2020-0042")
    assert snapshot(again) == before
    assert again.direction == "received" and again.received_at is not None


def test_a_file_that_fails_the_schema_is_refused_and_nothing_saved(
    client_of: Login, editor: User
) -> None:
    xml = cap.to_xml(make_alert()).replace(
        b"<severity>Severe</severity>", b"<severity>Terrible</severity>"
    )
    Alert.objects.all().delete()
    client: Client = client_of(editor)
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.post(
        "/border/alerts/import-cap/",
        {"file": SimpleUploadedFile("bad.xml", xml), "home_unit": "VN-P02"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "does not follow the CAP 1.2 schema" in text and "Terrible" in text
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"not xml at all",
        b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.1'><identifier>x</identifier></alert>",
        b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><a>&e;</a>",
    ],
)
def test_other_files_are_refused_with_a_reason(content: bytes) -> None:
    with translation.override("en"), pytest.raises(cap.CapError):
        cap.read(content)


def test_an_acknowledgement_records_the_time_to_acknowledge(client_of: Login, editor: User) -> None:
    alert = make_alert()
    ack = f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>CN-532600-ACK-1</identifier><sender>wsfao@example.cn</sender>
  <sent>2020-07-01T10:00:00+07:00</sent><status>Actual</status><msgType>Ack</msgType>
  <scope>Public</scope>
  <references>{alert.sender},{alert.identifier},{cap.cap_time(alert.issued_at)}</references>
</alert>""".encode()
    client: Client = client_of(editor)
    response = client.post(
        "/border/alerts/import-cap/",
        {"file": SimpleUploadedFile("ack.xml", ack), "home_unit": "VN-P02"},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.time_to_acknowledge == datetime.timedelta(hours=1, minutes=30)


def test_an_out_of_scope_officer_cannot_import_for_another_unit(
    client_of: Login, dongvan_officer: User
) -> None:
    xml = cap.to_xml(make_alert())
    Alert.objects.all().delete()
    client: Client = client_of(dongvan_officer)
    page = client.post(
        "/border/alerts/import-cap/",
        {"file": SimpleUploadedFile("a.xml", xml), "home_unit": "VN-D030"},
    )
    assert page.status_code == 200 and not Alert.objects.exists()


def test_alerts_received_wait_from_receipt_and_the_active_ones_expire() -> None:
    alert = make_alert()
    alert.direction = "received"
    alert.received_at = alert.issued_at + datetime.timedelta(minutes=10)
    alert.acknowledged_at = alert.issued_at + datetime.timedelta(minutes=25)
    assert alert.time_to_acknowledge == datetime.timedelta(minutes=15)
    assert alert.is_active(alert.issued_at) and not alert.is_active(timezone.now())
