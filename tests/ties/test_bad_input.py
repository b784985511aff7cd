"""Bad input to the cooperation registers: a clear message naming the field, nothing saved."""

from __future__ import annotations

import pytest
from django.utils import translation

from borderlink.ledger.models import Activity
from borderlink.registers.forms import form_class
from borderlink.registers.spec import get_register
from borderlink.ties.models import Agreement, Partnership

pytestmark = pytest.mark.django_db


def errors(slug: str, data: dict[str, str], language: str = "en") -> dict[str, list[str]]:
    with translation.override(language):
        form = form_class(get_register(slug))(data=data)
        assert not form.is_valid()
        return {k: [str(m) for m in v] for k, v in form.errors.items()}


AGREEMENT = {
    "title_vi": "Thỏa thuận",
    "domain": "border",
    "level": "province",
    "home_unit": "VN-P02",
    "our_parties": "VN-P02",
    "their_parties": "CN-530000",
    "status": "signed",
    "diplomacy": "state",
    "signed_on": "2020-05-01",
}
PARTNERSHIP = {
    "title": "Kết nghĩa",
    "kind": "district",
    "home_unit": "VN-P02",
    "our_units": "VN-D030",
    "their_units": "CN-532624",
    "started_on": "2019-01-01",
    "diplomacy": "people",
}
ACTIVITY = {
    "kind": "handover",
    "occurred_on": "2020-05-01",
    "title": "Trao trả",
    "home_unit": "VN-02-BGS-THANHTHUY",
    "counterpart": "CN-532624-BGS-TIANBAO",
    "channel": "in_person",
    "diplomacy": "state",
    "direction": "joint",
    "sensitivity": "1",
    "count": "1",
}


def test_expiry_before_signature_is_refused_in_the_users_language() -> None:
    before = Agreement.objects.count()
    found = errors("agreements", {**AGREEMENT, "expires_on": "2019-01-01"})
    assert found["expires_on"] == ["The expiry date is before the signature date."]
    vi = errors("agreements", {**AGREEMENT, "expires_on": "2019-01-01"}, "vi")
    assert vi["expires_on"] == ["Ngày hết hạn sớm hơn ngày ký."]
    assert Agreement.objects.count() == before


def test_a_partnership_with_both_sides_in_one_country_is_refused() -> None:
    found = errors("partnerships", {**PARTNERSHIP, "their_units": "VN-D026"})
    assert "Huyện Đồng Văn" in found["their_units"][0]
    found = errors("partnerships", {**PARTNERSHIP, "our_units": "CN-532625"})
    assert "our side" in found["our_units"][0]
    assert not Partnership.objects.filter(title="Kết nghĩa").exists()


def test_a_unit_not_valid_on_the_activitys_date_is_refused() -> None:
    found = errors("activities", {**ACTIVITY, "occurred_on": "2025-08-01"})
    assert "did not exist on 01/08/2025" in found["home_unit"][0]
    assert not Activity.objects.filter(title="Trao trả").exists()


def test_a_negative_head_count_is_refused() -> None:
    assert "persons" in errors("activities", {**ACTIVITY, "persons": "-4"})
    assert "count" in errors("activities", {**ACTIVITY, "count": "-1"})


@pytest.mark.parametrize("currency", ["ZZZ", "vnd", "DOLLARS"])
def test_a_currency_outside_iso_4217_is_refused(currency: str) -> None:
    found = errors(
        "activities",
        {**ACTIVITY, "kind": "aid_received", "value": "42000000000", "currency": currency},
    )
    assert "currency" in found


def test_a_value_without_currency_is_refused() -> None:
    found = errors("activities", {**ACTIVITY, "kind": "aid_received", "value": "480000000"})
    assert found["currency"] == ["A value needs its currency."]
