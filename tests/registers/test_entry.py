"""Entering a record quickly: defaults from who is recording, the short form of a kind, a title
made when none is typed, "save and add another" and "copy"."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from tests.typed import Response

pytestmark = pytest.mark.django_db
NEW = reverse("registers:new", args=["activities"])


def _station_officer() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="thanhthuy"))
    return client


def test_a_new_letter_starts_from_who_is_recording() -> None:
    response = _station_officer().get(NEW, {"kind": "letter"})
    form = response.context["form"]
    today = timezone.localdate()
    assert form.initial["home_unit"] == "VN-02-BGS-THANHTHUY-2025"
    assert form.initial["counterpart"] == "CN-532624-BGS-TIANBAO"
    assert form.initial["occurred_on"] == today
    assert form.initial["channel"] == "letter"
    assert form.initial["direction"] == "sent"
    assert form.initial["diplomacy"]  # from the station pairing in force
    layout = response.context["layout"]
    assert [f.name for f in layout.first] == [
        "kind",
        "occurred_on",
        "direction",
        "counterpart",
        "count",
        "title",
    ]
    assert "home_unit" in [f.name for f in layout.more]
    assert not layout.more_open
    assert 'value="CN-532624-BGS-TIANBAO"' in response.content.decode()


def _post_letter(client: Client, **extra: str) -> Response:
    today = timezone.localdate()
    data = {
        "kind": "letter",
        "occurred_on": today.isoformat(),
        "title": "",
        "home_unit": "VN-02-BGS-THANHTHUY-2025",
        "counterpart": "CN-532624-BGS-TIANBAO",
        "channel": "letter",
        "diplomacy": "state",
        "direction": "received",
        "sensitivity": "1",
        "count": "2",
        **extra,
    }
    return client.post(NEW, data)


def test_a_letter_left_without_a_title_gets_one_made_from_the_rest() -> None:
    response = _post_letter(_station_officer())
    assert response.status_code == 302
    saved = Activity.objects.filter(home_unit__code="VN-02-BGS-THANHTHUY-2025").latest("pk")
    assert saved.title.startswith("Thư")
    assert timezone.localdate().strftime("%d/%m/%Y") in saved.title


def test_save_and_add_another_keeps_the_context_but_not_the_content() -> None:
    client = _station_officer()
    response = _post_letter(client, _addanother="1", title="Thư số 12")
    assert response.status_code == 302
    assert response["Location"].startswith(NEW)
    follow = client.get(response["Location"])
    initial = follow.context["form"].initial
    assert initial["kind"] == "letter"
    assert initial["direction"] == "received"
    assert initial["counterpart"] == "CN-532624-BGS-TIANBAO"
    assert "title" not in initial
    assert "count" not in initial


def test_an_error_behind_more_opens_it() -> None:
    response = _post_letter(_station_officer(), home_unit="VN-C00721-2025")  # not theirs
    assert response.status_code == 200
    assert response.context["layout"].more_open


def test_copy_starts_from_a_viewable_record_dated_today() -> None:
    original = Activity.objects.create(
        kind="meeting",
        occurred_on=datetime.date(2024, 3, 1),
        title="Hội đàm định kỳ",
        home_unit=Unit.objects.get(code="VN-02-BGS-THANHTHUY"),
        counterpart=Unit.objects.get(code="CN-532624-BGS-TIANBAO"),
        diplomacy="state",
    )
    initial = _station_officer().get(NEW, {"copy": original.pk}).context["form"].initial
    assert initial["title"] == "Hội đàm định kỳ"
    assert initial["occurred_on"] == timezone.localdate()


def test_copy_of_a_record_the_user_may_not_see_discloses_nothing() -> None:
    hidden = Activity.objects.create(
        kind="meeting",
        occurred_on=datetime.date(2024, 3, 1),
        title="Hội đàm bí mật của xã khác",
        home_unit=Unit.objects.get(code="VN-C00721-2025"),
        diplomacy="state",
        sensitivity=1,
    )
    response = _station_officer().get(NEW, {"copy": hidden.pk})
    assert "Hội đàm bí mật" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "persons", "value"), [("vi", "1.456", "12,5"), ("en", "1,456", "12.5")]
)
def test_numbers_are_typed_as_the_pages_language_writes_them(
    language: str, persons: str, value: str
) -> None:
    from django.conf import settings

    client = _station_officer()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _post_letter(
        client, title=f"Số liệu {language}", persons=persons, value=value, currency="VND"
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    saved = Activity.objects.get(title=f"Số liệu {language}")
    assert saved.persons == 1456
    assert str(saved.value) == "12.50"
    shown = client.get(reverse("registers:edit", args=["activities", saved.pk])).content.decode()
    assert f'value="{persons}"' in shown
    assert 'inputmode="numeric"' in shown


def test_files_and_the_api_keep_the_plain_notation() -> None:
    """Only a page's form reads 1.456 as a thousand-grouped number: in a file or the API, "1.5"
    stays one and a half, whatever the language."""
    from borderlink.registers import write
    from borderlink.registers.spec import get_register

    user = User.objects.get(username="thanhthuy")
    spec = get_register("activities")
    data = {
        "kind": "letter",
        "occurred_on": timezone.localdate().isoformat(),
        "title": "Tệp",
        "home_unit": "VN-02-BGS-THANHTHUY-2025",
        "channel": "letter",
        "diplomacy": "state",
        "direction": "sent",
        "sensitivity": "1",
        "count": "1",
        "value": "1.5",
        "currency": "USD",
    }
    from django.utils import translation

    with translation.override("vi"):
        outcome = write.check(spec, user, data)
    assert outcome.ok, outcome.errors
    assert str(outcome.form.cleaned_data["value"]) == "1.5"
