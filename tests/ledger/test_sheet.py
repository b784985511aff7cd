"""The station's monthly log sheet: each cell one ledger entry, written through the gate and the
register's form, with history; read-only for viewers; its cells count in the station figures."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from borderlink.accounts.models import User
from borderlink.core.models import ChangeRecord
from borderlink.core.roles import Role
from borderlink.ledger import sheet as log
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.stats.engine import Window, evaluate
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

STATION = "VN-02-BGS-THANHTHUY-2025"  # the station after the 2025 reform
BEFORE = "VN-02-BGS-THANHTHUY"  # the same station until 30/06/2025
TIANBAO = "CN-532624-BGS-TIANBAO"
MONTH = "2026-11"
FIRST = datetime.date(2026, 11, 1)


def on(day: int) -> datetime.date:
    return FIRST.replace(day=day)


@pytest.fixture
def station() -> Unit:
    return Unit.objects.get(code=STATION)


@pytest.fixture
def officer(station: Unit) -> User:
    return make_user("t-station", Role.STATION, STATION)


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def put(c: Client, day: int, column: str, value: str, was: str | None = None) -> Any:
    data = {"day": str(day), "column": column, "value": value}
    if was is not None:
        data["was"] = was
    return c.post(reverse("ledger:sheet-cell", args=[STATION, MONTH]), data)


def entries(station: Unit, day: int, kind: str) -> list[Activity]:
    return list(Activity.objects.filter(home_unit=station, occurred_on=on(day), kind=kind))


def history(activity_pk: int) -> list[str]:
    return list(
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Activity), object_id=str(activity_pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_cell_filled_changed_and_cleared_is_one_entry_with_its_history(
    station: Unit, editor: User
) -> None:
    c = client(editor)
    answer = put(c, 3, "letters_sent", "2", was="")
    assert answer.status_code == 200 and answer.json()["ok"], answer.content
    (letter,) = entries(station, 3, "letter")
    assert letter.counterpart is not None
    assert (letter.direction, letter.count, letter.counterpart.code) == ("sent", 2, TIANBAO)
    assert (letter.channel, letter.diplomacy) == ("letter", "state")
    assert letter.partnership is not None  # the station's partnership in force
    with translation.override("vi"):
        assert letter.title == f"{gettext('Letter sent')} · 03/11/2026"
    assert answer.json()["cells"]["letters_sent"] == {"value": 2, "several": False}

    assert put(c, 3, "letters_sent", "5", was="2").json()["ok"]
    (same,) = entries(station, 3, "letter")
    assert (same.pk, same.count) == (letter.pk, 5)

    assert put(c, 3, "letters_sent", "", was="5").json()["ok"]
    assert entries(station, 3, "letter") == []
    assert history(letter.pk) == ["create", "update", "delete"]
    record = ChangeRecord.objects.filter(object_id=str(letter.pk)).first()
    assert record is not None and record.actor == editor


def test_zero_is_no_entry_and_grouped_numbers_read_as_the_language_writes_them() -> None:
    with translation.override("vi"):
        assert log.parse_count("1.456") == 1456
        assert log.parse_count(" 0 ") is None
        assert log.parse_count("") is None
    with translation.override("en"):
        assert log.parse_count("1,456") == 1456
    for text in ("abc", "-2", "1.5"):
        with pytest.raises(log.CellError):
            log.parse_count(text)


def test_a_bad_number_is_refused_and_nothing_is_written(station: Unit, officer: User) -> None:
    answer = put(client(officer), 4, "talks", "2x", was="")
    assert answer.status_code == 400
    assert not answer.json()["ok"] and answer.json()["message"]
    assert "current" not in answer.json()  # the cell was not read: the page keeps its value
    assert entries(station, 4, "meeting") == []


def test_a_station_officer_fills_changes_and_clears_their_own_log(
    station: Unit, officer: User
) -> None:
    c = client(officer)
    assert put(c, 5, "calls", "3", was="").json()["ok"]
    (call,) = entries(station, 5, "phone_call")
    assert (call.direction, call.channel, call.count) == ("joint", "phone", 3)
    assert put(c, 5, "calls", "", was="3").json()["ok"]  # the station corrects its own log
    assert entries(station, 5, "phone_call") == []
    assert history(call.pk) == ["create", "delete"]


def test_a_role_without_the_delete_grant_cannot_clear_a_cell(station: Unit, editor: User) -> None:
    """The gate decides: a viewer of the province may neither fill nor clear."""
    assert put(client(editor), 7, "calls", "2", was="").json()["ok"]
    (call,) = entries(station, 7, "phone_call")
    leader = User.objects.get(username="leader")
    answer = put(client(leader), 7, "calls", "", was="2")
    assert answer.status_code == 403
    assert entries(station, 7, "phone_call") == [call]


def test_someone_elses_change_meanwhile_is_not_overwritten(station: Unit, officer: User) -> None:
    c = client(officer)
    assert put(c, 6, "checks", "1", was="").json()["ok"]
    answer = put(c, 6, "checks", "4", was="")  # the page still showed an empty cell
    assert answer.status_code == 400 and answer.json()["current"] == 1
    assert [e.count for e in entries(station, 6, "bilateral_check")] == [1]
    assert put(c, 6, "checks", "4", was="1").json()["ok"]  # knowingly over it
    assert [e.count for e in entries(station, 6, "bilateral_check")] == [4]


def test_hand_overs_and_persons_are_one_entry(station: Unit, editor: User) -> None:
    c = client(editor)
    refused = put(c, 7, "persons", "9", was="")
    assert refused.status_code == 400 and entries(station, 7, "handover") == []
    assert put(c, 7, "handovers", "2", was="").json()["ok"]
    answer = put(c, 7, "persons", "9", was="")
    assert answer.json()["ok"]
    (handover,) = entries(station, 7, "handover")
    assert (handover.count, handover.persons) == (2, 9)
    # Clearing the hand-overs deletes the entry, and the day's persons cell says so.
    answer = put(c, 7, "handovers", "", was="2")
    assert answer.json()["cells"]["persons"] == {"value": None, "several": False}
    assert entries(station, 7, "handover") == []


def test_a_day_with_several_entries_is_read_only_with_a_link_to_them(
    station: Unit, officer: User
) -> None:
    for title in ("Letter A", "Letter B"):
        Activity.objects.create(
            home_unit=station,
            kind="letter",
            direction="received",
            occurred_on=on(8),
            title=title,
            diplomacy="state",
            count=2,
        )
    c = client(officer)
    page = c.get(reverse("ledger:sheet", args=[STATION, MONTH])).content.decode()
    link = re.search(
        r'<a href="([^"]+)" class="sheet-several" data-value="4" id="c-08-letters_received"', page
    )
    assert link is not None
    listed = c.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Letter A" in listed and "Letter B" in listed
    assert 'name="c-08-letters_received"' not in page
    answer = put(c, 8, "letters_received", "1", was="4")
    assert answer.status_code == 400
    assert Activity.objects.filter(home_unit=station, occurred_on=on(8)).count() == 2


def test_an_entry_made_from_the_form_is_the_cells_entry(station: Unit, officer: User) -> None:
    made = Activity.objects.create(
        home_unit=station,
        kind="meeting",
        occurred_on=on(9),
        title="Talks on the spring market",
        diplomacy="state",
        count=1,
    )
    c = client(officer)
    page = c.get(reverse("ledger:sheet", args=[STATION, MONTH])).content.decode()
    assert re.search(r'name="c-09-talks" id="c-09-talks" value="1"', page)
    assert put(c, 9, "talks", "2", was="1").json()["ok"]
    made.refresh_from_db()
    assert made.count == 2 and made.title == "Talks on the spring market"


def test_totals_by_day_and_by_column(station: Unit, officer: User) -> None:
    c = client(officer)
    for day, column, value in [
        (1, "letters_sent", "2"),
        (1, "letters_received", "1"),
        (1, "handovers", "1"),
        (1, "persons", "6"),
        (2, "letters_sent", "3"),
    ]:
        assert put(c, day, column, value, was="").json()["ok"], (day, column)
    built = log.build(station, FIRST, officer)
    assert [r.total for r in built.rows[:3]] == [4, 3, 0]  # persons are not exchanges
    totals = {column.key: total for column, total in built.totals}
    assert totals["letters_sent"] == 5 and totals["persons"] == 6
    assert built.total == 7
    page = c.get(reverse("ledger:sheet", args=[STATION, MONTH])).content.decode()
    assert re.search(r'id="t-day-1">4<', page) and re.search(r'id="t-all">7<', page)
    assert re.search(r'id="t-col-letters_sent">5<', page)


def test_the_station_figures_count_the_sheets_entries(station: Unit, officer: User) -> None:
    c = client(officer)
    cells = [
        (2, "letters_sent", 2),
        (3, "letters_received", 1),
        (4, "talks", 1),
        (5, "calls", 4),
        (6, "checks", 1),
        (7, "handovers", 2),
        (7, "persons", 11),
    ]
    for day, column, value in cells:
        assert put(c, day, column, str(value), was="").json()["ok"], (day, column)
    window = Window(FIRST, log.month_end(FIRST), log.month_end(FIRST))
    figures = {
        code: evaluate(code, station, window, 3).value
        for code in (
            "station.letters",
            "station.talks",
            "station.phone_calls",
            "station.joint_checks",
            "station.handovers",
            "station.persons_handed_over",
        )
    }
    assert figures == {
        "station.letters": 3,
        "station.talks": 1,
        "station.phone_calls": 4,
        "station.joint_checks": 1,
        "station.handovers": 2,
        "station.persons_handed_over": 11,
    }
    # Every column names the figure it counts in, and that figure counts its kind.
    from borderlink.stats.indicators import get as get_indicator

    for sheet_column in log.COLUMNS:
        assert sheet_column.kind in get_indicator(sheet_column.indicator).kinds, sheet_column.key


def test_the_whole_sheet_saves_at_once_and_keeps_what_failed(station: Unit, officer: User) -> None:
    url = reverse("ledger:sheet", args=[STATION, MONTH])
    c = client(officer)
    form = {"c-10-talks": "1", "was-c-10-talks": "", "c-11-calls": "two", "was-c-11-calls": ""}
    answer = c.post(url, form)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert 'id="sheet-errors"' in page
    assert re.search(r'name="c-11-calls" id="c-11-calls" value="two"', page)
    assert [e.count for e in entries(station, 10, "meeting")] == [1]
    fixed = c.post(url, {**form, "c-10-talks": "1", "was-c-10-talks": "1", "c-11-calls": "2"})
    assert fixed.status_code == 302
    assert [e.count for e in entries(station, 11, "phone_call")] == [2]
    assert [e.count for e in entries(station, 10, "meeting")] == [1]  # unchanged: not rewritten
    assert history(entries(station, 10, "meeting")[0].pk) == ["create"]


def test_out_of_scope_is_not_found_and_a_viewer_reads_only(
    station: Unit, dongvan_officer: User
) -> None:
    url = reverse("ledger:sheet", args=[STATION, MONTH])
    outsider = client(dongvan_officer)
    assert outsider.get(url).status_code == 404
    assert put(outsider, 3, "talks", "1", was="").status_code == 404
    viewer = client(make_user("t-leader", Role.VIEWER, "VN-P08-2025"))
    page = viewer.get(url)
    assert page.status_code == 200
    assert 'class="form-control form-control-sm sheet-input' not in page.content.decode()
    assert put(viewer, 3, "talks", "1", was="").status_code == 403
    assert viewer.post(url, {"c-03-talks": "1", "was-c-03-talks": ""}).status_code == 403
    assert entries(station, 3, "meeting") == []
    assert Client().get(url).status_code == 302  # to the login page


def test_days_the_unit_did_not_exist_are_closed_and_point_to_the_other_sheet(
    editor: User,
) -> None:
    c = client(editor)
    page = c.get(reverse("ledger:sheet", args=[BEFORE, "2025-07"])).content.decode()
    assert 'name="c-01-talks"' not in page  # the old station ended on 30/06/2025
    assert reverse("ledger:sheet", args=[STATION, "2025-07"]) in page
    answer = c.post(
        reverse("ledger:sheet-cell", args=[BEFORE, "2025-07"]),
        {"day": "1", "column": "talks", "value": "1", "was": ""},
    )
    assert answer.status_code == 400
    assert not Activity.objects.filter(home_unit__code=BEFORE, occurred_on__month=7).exists()
    # Before the reform, the old station's own sheet takes entries.
    answer = c.post(
        reverse("ledger:sheet-cell", args=[BEFORE, "2025-06"]),
        {"day": "30", "column": "talks", "value": "1", "was": ""},
    )
    assert answer.json()["ok"], answer.content
    assert Activity.objects.get(home_unit__code=BEFORE, occurred_on="2025-06-30").count == 1


def test_the_sheet_here_is_the_users_unit_this_month(officer: User) -> None:
    answer = client(officer).get(reverse("ledger:sheet-here"))
    month = timezone.localdate().strftime("%Y-%m")
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/{month}/")
    chosen = client(officer).get(reverse("ledger:sheet-here"), {"unit": STATION, "month": MONTH})
    assert chosen["Location"] == reverse("ledger:sheet", args=[STATION, MONTH])
    nobody = User.objects.create_user(username="t-nobody", password="pw-for-tests-only")
    assert client(nobody).get(reverse("ledger:sheet-here")).status_code == 404


def test_months_and_units_on_the_page(station: Unit, officer: User) -> None:
    page = client(officer).get(reverse("ledger:sheet", args=[STATION, MONTH])).content.decode()
    assert reverse("ledger:sheet", args=[STATION, "2026-10"]) in page
    assert reverse("ledger:sheet", args=[STATION, "2026-12"]) in page
    assert page.count('class="sheet-day') == 30
    assert client(officer).get(f"/ledger/sheet/{STATION}/2025-13/").status_code == 404
