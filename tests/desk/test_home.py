"""The home page as each role's work queue: what each block shows, what it must not show (nothing
out of scope, no title above the user's clearance), counts against records made here, and a bound
on the page's queries."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.border.models import Alert
from borderlink.core.dates import same_day_last_year
from borderlink.core.roles import Role
from borderlink.delegations.models import Delegation, DelegationMember
from borderlink.desk.headline import headline
from borderlink.ledger.models import Activity, Commitment
from borderlink.places.models import Unit
from borderlink.registers.models import ImportJob
from borderlink.reports.models import ReportJob
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PROVINCE = "VN-P08-2025"  # Tuyên Quang, today
STATION = "VN-02-BGS-THANHTHUY-2025"
OTHER_STATION = "VN-02-BGS-XINMAN-2025"
COMMUNE = "VN-C00928-2025"  # Thanh Thủy, today
FAR_COMMUNE = "VN-C00721-2025"  # Đồng Văn: not one of Vị Xuyên's
COUNTERPART = "CN-532624-BGS-TIANBAO"

Get = Callable[[User], Client]


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def today() -> datetime.date:
    return timezone.localdate()


def record(home: str, title: str, on: datetime.date | None = None, **fields: Any) -> Activity:
    return Activity.objects.create(
        home_unit=unit(home),
        kind=fields.pop("kind", "letter"),
        occurred_on=on or today(),
        title=title,
        diplomacy="state",
        counterpart=unit(COUNTERPART),
        **fields,
    )


def page_of(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, ident: str) -> str:
    """The HTML of one block of the page (by its id), so a test reads only that block."""
    start = html.index(f'id="{ident}"')
    end = html.index("</section>", start)
    return html[start:end]


def badge(html: str, ident: str) -> int:
    match = re.search(r'data-count="(\d+)"', section(html, ident))
    assert match is not None
    return int(match.group(1))


def quiet_codes(html: str) -> list[str]:
    return re.findall(r'data-unit="([^"]+)"', section(html, "desk-quiet"))


def commitment(home: str, text: str, due: datetime.date) -> Commitment:
    meeting = record(home, f"Hội đàm {text}", on=due - datetime.timedelta(days=30), kind="meeting")
    return Commitment.objects.create(meeting=meeting, text=text, home_unit=unit(home), due_on=due)


def alert(home: str, identifier: str, **fields: Any) -> Alert:
    now = timezone.now()
    values: dict[str, Any] = {
        "identifier": identifier,
        "sender": "bdbp@tuyenquang.gov.vn",
        "direction": "sent",
        "home_unit": unit(home),
        "hazard": "flood",
        "event": "Lũ quét",
        "severity": "Severe",
        "urgency": "Expected",
        "certainty": "Likely",
        "issued_at": now - datetime.timedelta(hours=2),
        "area_desc": "Thanh Thủy",
        "headline_vi": f"Cảnh báo {identifier}",
    }
    values.update(fields)
    return Alert.objects.create(**values)


def test_a_visitor_gets_the_welcome_a_login_and_the_public_portal() -> None:
    html = page_of(Client())
    assert reverse("login") in html and reverse("portal:root") in html
    assert 'id="desk-actions"' not in html and 'id="desk-quiet"' not in html


def test_a_station_officer_records_first_and_watches_their_own_station(client_of: Get) -> None:
    officer = make_user("t-station", Role.STATION, STATION)
    html = page_of(client_of(officer))
    actions = section(html, "desk-actions")
    new = reverse("registers:new", args=["activities"])
    for kind in ("letter", "phone_call", "meeting", "handover"):
        assert f'href="{new}?kind={kind}"' in actions
    assert f'href="{reverse("ledger:sheet-here")}"' in actions
    assert f'href="{reverse("field:app")}"' in actions  # the same forms, offline on a phone
    # Quick actions come first on the page (a phone shows them without scrolling).
    assert html.index('id="desk-actions"') < html.index('id="desk-quiet"')

    assert quiet_codes(html) == [STATION] and badge(html, "desk-quiet") == 1
    assert reverse("ledger:sheet", args=[STATION, f"{today():%Y-%m}"]) in section(
        html, "desk-quiet"
    )
    assert 'id="desk-figures"' not in html  # figures are for leaders and editors

    record(OTHER_STATION, "Thư của đồn khác")  # another station's entry changes nothing here
    assert quiet_codes(page_of(client_of(officer))) == [STATION]
    record(STATION, "Thư gửi Thiên Bảo")
    html = page_of(client_of(officer))
    assert quiet_codes(html) == [] and badge(html, "desk-quiet") == 0


def test_a_province_editor_watches_the_border_units_of_today(client_of: Get) -> None:
    editor = make_user("t-editor", Role.FA_EDITOR, PROVINCE)
    html = page_of(client_of(editor))
    codes = quiet_codes(html)
    expected = set(
        Unit.objects.valid_on(today())
        .within(unit(PROVINCE))
        .filter(kind__in=["border_station", "commune"])
        .exclude(kind="commune", is_border=False)
        .values_list("code", flat=True)
    )
    assert set(codes) == expected and {STATION, COMMUNE, FAR_COMMUNE} <= expected
    assert "VN-C00928" not in codes  # the commune that ended with the reform
    assert badge(html, "desk-quiet") == len(expected)
    # The station's entry is the station's: its commune still has nothing of its own.
    record(STATION, "Thư gửi Thiên Bảo")
    codes = quiet_codes(page_of(client_of(editor)))
    assert STATION not in codes and COMMUNE in codes and len(codes) == len(expected) - 1
    # An entry dated last month does not count for this one.
    record(COMMUNE, "Thư tháng trước", on=today().replace(day=1) - datetime.timedelta(days=1))
    assert COMMUNE in quiet_codes(page_of(client_of(editor)))


def test_a_district_officer_after_the_reform_watches_the_communes_that_hold_the_district(
    client_of: Get,
) -> None:
    officer = make_user("t-vixuyen", Role.LOCAL, "VN-D030")
    codes = quiet_codes(page_of(client_of(officer)))
    assert COMMUNE in codes and FAR_COMMUNE not in codes
    assert all(unit(code).is_valid_on(today()) for code in codes)


def test_follow_up_lists_only_what_is_in_scope_with_counts(client_of: Get) -> None:
    officer = make_user("t-station", Role.STATION, STATION)
    yesterday = today() - datetime.timedelta(days=1)
    mine = commitment(STATION, "Trao đổi danh sách người vi phạm", yesterday)
    commitment(OTHER_STATION, "Cam kết của đồn khác", yesterday)
    commitment(STATION, "Chưa đến hạn", today() + datetime.timedelta(days=5))
    html = page_of(client_of(officer))
    block = section(html, "desk-follow-up")
    assert f"/r/commitments/{mine.pk}/" in block and "Cam kết của đồn khác" not in block
    assert "Chưa đến hạn" not in block
    assert re.search(r'id="desk-overdue-title".*?data-count="1"', block, re.S)


def test_alerts_awaiting_acknowledgement(client_of: Get) -> None:
    officer = make_user("t-station", Role.STATION, STATION)
    waiting = alert(STATION, "TQ-1")
    received = alert(STATION, "TQ-2", direction="received", received_at=timezone.now())
    alert(STATION, "TQ-3", acknowledged_at=timezone.now())
    alert(STATION, "TQ-4", expires_at=timezone.now() - datetime.timedelta(minutes=1))
    alert(STATION, "TQ-5", msg_type="Cancel")
    alert(OTHER_STATION, "TQ-6")
    block = section(page_of(client_of(officer)), "desk-alerts")
    shown = {int(pk) for pk in re.findall(r'data-alert="(\d+)"', block)}
    assert shown == {waiting.pk, received.pk}
    assert 'data-count="2"' in block


def test_only_the_users_own_imports_and_reports_under_way(client_of: Get) -> None:
    officer = make_user("t-station", Role.STATION, STATION)
    other = make_user("t-other", Role.STATION, STATION)
    checking = ImportJob.objects.create(
        register="activities",
        user=officer,
        filename="thang-12.xlsx",
        content=b"",
        status="checking",
    )
    ready = ImportJob.objects.create(
        register="activities", user=officer, filename="cho.csv", content=b"", status="preview"
    )
    ImportJob.objects.create(
        register="activities", user=officer, filename="xong.csv", content=b"", status="done"
    )
    ImportJob.objects.create(
        register="activities", user=other, filename="nguoi-khac.csv", content=b"", status="writing"
    )
    running = ReportJob.objects.create(
        user=officer,
        template="foreign-relations",
        unit=unit(STATION),
        period_to=today(),
        as_of=today(),
        lang="vi",
        format="docx",
        status="running",
    )
    ReportJob.objects.create(
        user=other,
        template="foreign-relations",
        unit=unit(STATION),
        period_to=today(),
        as_of=today(),
        lang="vi",
        format="pdf",
        status="running",
    )
    block = section(page_of(client_of(officer)), "desk-jobs")
    assert {int(pk) for pk in re.findall(r'data-import="(\d+)"', block)} == {checking.pk, ready.pk}
    assert re.findall(r'data-report="(\d+)"', block) == [str(running.pk)]
    assert reverse("registers:import-job", args=["activities", checking.pk]) in block


def test_recent_changes_never_show_a_title_above_the_users_clearance(client_of: Get) -> None:
    officer = make_user("t-commune", Role.LOCAL, COMMUNE)  # cleared for internal records only
    record(COMMUNE, "Nội dung mật về tuần tra", sensitivity=2)
    html = page_of(client_of(officer))
    assert "Nội dung mật" not in html
    assert COMMUNE in quiet_codes(html)  # an entry they cannot see does not count either

    visible = record(COMMUNE, "Thư nội bộ gửi xã Thiên Bảo", sensitivity=1)
    gone = record(COMMUNE, "Thư đã xoá nhầm", sensitivity=1)
    gone.delete()
    html = page_of(client_of(officer))
    changes = section(html, "desk-changes")
    assert "Thư nội bộ gửi xã Thiên Bảo" in changes
    assert f"/r/activities/{visible.pk}/" in changes
    assert "Thư đã xoá nhầm" not in html  # a deleted record is named by its kind only
    assert COMMUNE not in quiet_codes(html)

    editor = make_user("t-editor", Role.FA_EDITOR, PROVINCE)  # confidential, not secret
    record(STATION, "Báo cáo tối mật", sensitivity=3)
    html = page_of(client_of(editor))
    assert "Báo cáo tối mật" not in html
    assert "Nội dung mật về tuần tra" in section(html, "desk-changes")


def test_a_child_record_is_not_listed_above_its_parents_clearance(client_of: Get) -> None:
    officer = make_user("t-commune", Role.LOCAL, COMMUNE)  # cleared for internal records only
    for title, level in (("Đoàn mật sang Thiên Bảo", 2), ("Đoàn xã sang Thiên Bảo", 1)):
        delegation = Delegation.objects.create(
            title=title,
            way="sent",
            level="commune",
            home_unit=unit(COMMUNE),
            counterpart=unit("CN-532624"),
            purpose="Trao đổi",
            diplomacy="state",
            starts_on=today(),
            ends_on=today(),
            sensitivity=level,
        )
        DelegationMember.objects.create(delegation=delegation, full_name="Lò Văn A", position="Phó")
    changes = section(page_of(client_of(officer)), "desk-changes")
    assert "Đoàn mật sang Thiên Bảo" not in changes
    assert "Đoàn xã sang Thiên Bảo · Phó" in changes  # the member of the internal one


def test_changes_out_of_scope_are_not_listed(client_of: Get) -> None:
    officer = make_user("t-station", Role.STATION, STATION)
    record(OTHER_STATION, "Thư của đồn Xín Mần")
    record(STATION, "Thư của đồn Thanh Thủy")
    changes = section(page_of(client_of(officer)), "desk-changes")
    assert "Thư của đồn Thanh Thủy" in changes and "Thư của đồn Xín Mần" not in changes


def _unit_on(day: datetime.date) -> str:
    """The Thanh Thủy station as it stood on `day` (it goes on under a new code after 2025)."""
    return STATION if unit(STATION).is_valid_on(day) else "VN-02-BGS-THANHTHUY"


def test_a_leader_reads_this_year_against_last_year(client_of: Get) -> None:
    leader = make_user("t-leader", Role.VIEWER, PROVINCE)
    day = today()
    last = same_day_last_year(day)
    before = {h.figure.indicator.code: h for h in headline(unit(PROVINCE), day, 2)}
    record(_unit_on(day), "Ba thư", on=day, count=3)
    record(_unit_on(last), "Một thư năm ngoái", on=last, count=1)
    record(_unit_on(last), "Thư sau ngày này năm ngoái", on=last + datetime.timedelta(days=1))
    record(_unit_on(day), "Thư tối mật", on=day, count=50, sensitivity=3)
    after = {h.figure.indicator.code: h for h in headline(unit(PROVINCE), day, 2)}
    letters, was = after["station.letters"], before["station.letters"]
    assert letters.figure.value == (was.figure.value or 0) + 3
    assert letters.before is not None and was.before is not None  # last year is always read
    assert letters.before.value == (was.before.value or 0) + 1
    assert letters.delta == (was.delta or 0) + 2

    html = page_of(client_of(leader))
    assert 'id="desk-actions"' not in html  # a viewer records nothing
    assert html.index('id="desk-figures"') < html.index('id="desk-quiet"')
    figures = section(html, "desk-figures")
    link = reverse("stats:figure", args=["station.letters", PROVINCE])
    assert f"{link}?from={day.year}-01-01&amp;to={day.isoformat()}&amp;as_of={day.isoformat()}" in (
        figures
    )
    assert reverse("stats:dashboard", args=[PROVINCE]) in figures


def test_an_editor_sees_the_figures_after_the_queue(client_of: Get) -> None:
    editor = make_user("t-editor", Role.FA_EDITOR, PROVINCE)
    html = page_of(client_of(editor))
    assert html.index('id="desk-actions"') < html.index('id="desk-quiet"')
    assert html.index('id="desk-changes"') < html.index('id="desk-figures"')


def test_a_labour_officer_neither_records_activities_nor_reads_figures(client_of: Get) -> None:
    officer = make_user("t-labour", Role.LABOUR, PROVINCE)
    html = page_of(client_of(officer))
    assert 'id="desk-actions"' not in html and 'id="desk-figures"' not in html


def test_a_user_with_no_unit_is_told_so(client_of: Get) -> None:
    nobody = User.objects.create_user(username="t-nobody", password="pw-for-tests-only")
    commitment(STATION, "Cam kết không ai được xem", today() - datetime.timedelta(days=1))
    html = page_of(client_of(nobody))
    assert 'id="desk-actions"' not in html and 'id="desk-figures"' not in html
    assert 'data-unit="' not in html and "Cam kết không ai được xem" not in html
    assert badge(html, "desk-follow-up") == 0
    assert "desk-quiet" in html and not re.search(r"data-(alert|change)=", html)


def test_a_superuser_sees_every_overdue_commitment(client_of: Get) -> None:
    admin = User.objects.create_superuser(username="t-root", password="pw-for-tests-only")
    late = commitment(OTHER_STATION, "Cam kết của Xín Mần", today() - datetime.timedelta(days=1))
    block = section(page_of(client_of(admin)), "desk-follow-up")
    assert f"/r/commitments/{late.pk}/" in block


def test_the_page_costs_a_bounded_number_of_queries(client_of: Get) -> None:
    """More records in every block add no query: the page reads each block in one or two."""
    editor = make_user("t-editor", Role.FA_EDITOR, PROVINCE)
    client = client_of(editor)
    page_of(client)  # the gate's reform scopes are cached per process after the first page
    with CaptureQueriesContext(connection) as first:
        page_of(client)
    yesterday = today() - datetime.timedelta(days=1)
    for n, code in enumerate([STATION, OTHER_STATION, COMMUNE, FAR_COMMUNE] * 3):
        record(code, f"Thư số {n}")
        commitment(code, f"Cam kết {n}", yesterday)
        alert(code, f"TQ-{n}")
    with CaptureQueriesContext(connection) as second:
        page_of(client)
    assert len(first.captured_queries) <= 45
    assert len(second.captured_queries) <= len(first.captured_queries) + 2  # new kinds of record
