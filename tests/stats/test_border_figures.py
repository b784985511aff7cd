"""The border's figures are a statistics page (stats.views.border_figures) kept at the border's
address, /border/indicators/, and the border map links to it."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import resolve, reverse

from borderlink.accounts.models import User
from borderlink.stats import views


def test_the_page_keeps_its_address_and_asks_for_a_login(client: Client) -> None:
    assert reverse("border-figures") == "/border/indicators/"
    assert resolve("/border/indicators/").func is views.border_figures
    assert client.get("/border/indicators/").status_code == 302


def test_the_border_map_links_to_the_figures(
    client_of: Callable[[User], Client], editor: User
) -> None:
    client = client_of(editor)
    assert 'href="/border/indicators/"' in client.get("/border/map/").content.decode()
    page = client.get("/border/indicators/?unit=VN-P02&from=2020-01-01&to=2020-12-31")
    assert page.status_code == 200
    assert page.templates[0].name == "stats/border_figures.html"
