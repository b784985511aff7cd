"""Pages that connect (issue 20): a unit's page lists its counterparts, partnerships,
agreements, mechanisms, recent activities and figures, through the panels the apps above the
gazetteer declare (places/panels.py; ties/unit_panels.py, ledger/unit_panels.py); a partnership
lists the activities under it and the returns between its units; a mechanism offers "record a
meeting" (ties/pages.py)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.places import panels
from borderlink.places.models import Unit
from borderlink.ties.models import Mechanism, Partnership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

RESIDENTS = "Kết nghĩa cụm dân cư Thanh Thủy"


def _page(user: User, url: str) -> str:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def _section(html: str, ident: str) -> str:
    found = re.search(rf'<ul id="{ident}">(.*?)</ul>', html, re.S)
    assert found, ident
    return found.group(1)


def _activity(home: str, counterpart: str, day: datetime.date, **fields: Any) -> Activity:
    with acting_as(None, reason="test"):
        return Activity.objects.create(
            kind=fields.pop("kind", "meeting"),
            occurred_on=day,
            title=fields.pop("title", "Gặp mặt thử trang đơn vị"),
            home_unit=Unit.objects.get(code=home),
            counterpart=Unit.objects.get(code=counterpart),
            diplomacy="people",
            sensitivity=fields.pop("sensitivity", 1),
            **fields,
        )


def test_the_panels_are_declared_by_the_apps_above() -> None:
    assert panels.declared()[:2] == ["cooperation", "activities"]


def test_the_new_thanh_thuy_commune_shows_its_counterpart_ties_and_activities() -> None:
    """The commune made on 01/07/2025 continues the old one, which is in the residents'
    pairing with Tianbao (2018): its page names Tianbao, the pairing and the agreement."""
    today = timezone.localdate()
    _activity("VN-C00928-2025", "CN-532624-TIANBAO", today, title="Gặp mặt cụm dân cư hôm nay")
    _activity(
        "VN-C00928-2025",
        "CN-532624-TIANBAO",
        today.replace(year=today.year - 1),
        title="Gặp mặt cụm dân cư năm ngoái",
        count=3,
    )
    editor = make_user("t-up-editor", Role.FA_EDITOR, "VN-P02")
    html = _page(editor, "/units/VN-C00928-2025/")
    tianbao = Unit.objects.get(code="CN-532624-TIANBAO")
    assert f'href="/units/{tianbao.code}/"' in _section(html, "unit-counterparts")
    assert RESIDENTS in _section(html, "unit-partnerships")
    assert "Tianbao" in _section(html, "unit-agreements")  # the residents' agreement, in English
    recent = _section(html, "unit-recent")
    assert recent.index("hôm nay") < recent.index("năm ngoái")  # newest first
    assert 'data-figure="this-year">1<' in html
    assert 'data-figure="last-year">3<' in html
    assert "/stats/dashboard/VN-C00928-2025/" in html
    assert 'data-count="2"' in html  # both, with the units under it
    assert "/r/activities/?home_unit=VN-C00928-2025" in html  # its own, in the register


def test_a_unit_of_the_other_side_shows_ours_as_its_counterparts() -> None:
    editor = make_user("t-up-editor2", Role.FA_EDITOR, "VN-P02")
    html = _page(editor, "/units/CN-532624-TIANBAO/")
    assert 'href="/units/VN-C00928/"' in _section(html, "unit-counterparts")
    assert RESIDENTS in _section(html, "unit-partnerships")


def test_a_ties_and_activities_outside_the_viewers_reach_are_not_listed() -> None:
    """A Đồng Văn officer opening Thanh Thủy's page (units are reference data) sees none of
    Vị Xuyên's pairing, agreement or activities."""
    _activity("VN-C00928-2025", "CN-532624-TIANBAO", timezone.localdate(), title="Việc riêng")
    officer = make_user("t-up-dongvan", Role.LOCAL, "VN-D026")
    html = _page(officer, "/units/VN-C00928-2025/")
    assert RESIDENTS not in html and "Việc riêng" not in html
    assert 'id="panel-cooperation"' not in html and 'id="panel-activities"' not in html


def test_a_partnership_lists_its_activities_and_the_returns_between_its_units() -> None:
    station = Partnership.objects.get(home_unit__code="VN-02-BGS-THANHTHUY")
    for day in range(1, 10):
        _activity(
            "VN-02-BGS-THANHTHUY",
            "CN-532624-BGS-TIANBAO",
            datetime.date(2026, 1, day),
            title=f"Thư số {day}",
            kind="letter",
            partnership=station,
        )
    officer = make_user("t-up-station", Role.STATION, "VN-02-BGS-THANHTHUY")
    html = _page(officer, f"/r/partnerships/{station.pk}/")
    count = re.search(r'data-count="(\d+)"', html)
    assert count and int(count.group(1)) == station.activities.count() >= 9
    assert "Thư số 9" in _section(html, "tie-latest")
    assert "None." not in html  # the old "Activities: none"
    returns = html[html.index('id="tie-returns"') :]
    assert "Letter: 1,456" in returns and "Hand-over of citizens: 2,693 persons" in returns
    record = re.search(r'id="tie-record" href="([^"]+)"', html)
    assert record is not None
    link = record.group(1).replace("&amp;", "&")
    assert link.startswith("/r/activities/new/?") and f"partnership={station.pk}" in link
    assert "counterpart=CN-532624-BGS-TIANBAO" in link


def test_a_mechanism_offers_to_record_a_meeting_prefilled() -> None:
    mechanism = Mechanism.objects.get(code="hg-wenshan-secretaries-talks")
    editor = make_user("t-up-editor3", Role.FA_EDITOR, "VN-P02")
    html = _page(editor, f"/r/mechanisms/{mechanism.pk}/")
    record = re.search(r'id="tie-record" href="([^"]+)"', html)
    assert record is not None and record.group(0).count("Record a meeting") == 0
    link = record.group(1).replace("&amp;", "&")
    assert "kind=meeting" in link and f"mechanism={mechanism.code}" in link
    form = _page(editor, link)
    assert f'name="mechanism" value="{mechanism.code}"' in form
    assert re.search(r'<option value="meeting" selected>', form)

    viewer = make_user("t-up-viewer", Role.VIEWER, "VN-P02")  # may read, not record
    assert 'id="tie-record"' not in _page(viewer, f"/r/mechanisms/{mechanism.pk}/")
