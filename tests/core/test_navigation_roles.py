"""The menu by role (borderlink/navigation.py, issue 20): every part of the system is one menu
away for whoever may use it — registers by the gate's view grant, the editorial area, reports,
dashboards, the log sheet and the administration by the same test their pages apply — and
nothing is offered that would answer 403."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from borderlink.accounts.models import User
from borderlink.core.roles import Role
from borderlink.navigation import Navigation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _links(user: User) -> dict[str, list[str]]:
    request = RequestFactory().get("/")
    request.user = user
    return {
        group.key: [link.url for section in group.sections for link in section.links]
        for group in Navigation(request).groups
    }


def _all(links: dict[str, list[str]]) -> list[str]:
    return [url for urls in links.values() for url in urls]


def test_an_administrator_reaches_every_part() -> None:
    admin = make_user("t-nav-admin", Role.ADMIN, "VN")
    admin.is_staff = True
    admin.save()
    urls = _all(_links(admin))
    for part in (
        "/r/activities/",  # registers
        "/r/labour-registrations/",  # people
        "/r/delegations/",  # delegations
        "/r/enterprises/",  # economy
        "/border/map/",  # border
        "/reports/",  # reports
        "/editorial/",  # editorial
        "/admin/",  # administration
    ):
        assert part in urls, part
    assert any(url.startswith("/stats/dashboard/") for url in urls)


def test_a_provincial_viewer_reads_but_is_not_offered_the_log_sheet_or_admin() -> None:
    viewer = make_user("t-nav-viewer", Role.VIEWER, "VN-P02")
    urls = _all(_links(viewer))
    assert "/stats/dashboard/VN-P08-2025/" in urls  # today's province, the one they act on
    assert "/reports/" in urls and "/r/activities/" in urls
    assert "/ledger/sheet/" not in urls  # may not add to the ledger
    assert "/admin/" not in urls


def test_people_registers_are_shown_only_to_those_who_may_see_them() -> None:
    labour = make_user("t-nav-labour", Role.LABOUR, "VN-P02")
    station = make_user("t-nav-station", Role.STATION, "VN-02-BGS-THANHTHUY")
    assert "/r/labour-registrations/" in _all(_links(labour))
    assert "/r/handover-persons/" in _all(_links(station))


def test_every_link_offered_opens_for_that_user() -> None:
    """No link in anyone's menu answers 403 or 404."""
    for username in ("leader", "thanhthuy", "labour"):
        user = User.objects.get(username=username)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _all(_links(user)):
            answer = client.get(url)
            assert answer.status_code in (200, 302), (username, url, answer.status_code)


def test_a_visitor_gets_no_menu() -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert Navigation(request).groups == []
