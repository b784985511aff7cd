"""The border map with tiles configured but unreachable: layers toggle, a marker opens its record."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pytest_django import Settings

from borderlink.border.models import Marker
from tests.browser.test_gazetteer import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_works_without_tiles_toggles_layers_and_opens_a_marker(
    page: Page, demo_live_server: object, settings: Settings
) -> None:
    # A tile server is configured but nothing answers: every tile request fails.
    settings.MAP_TILE_URL = "http://tiles.invalid/{z}/{x}/{y}.png"
    tile_requests: list[str] = []

    def refuse(route: Route) -> None:
        tile_requests.append(route.request.url)
        route.abort()

    page.route("http://tiles.invalid/**", refuse)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Marker 234 was found intact 100 days ago: green by condition, red by days since.
    import datetime

    from borderlink.border.models import Inspection, MarkerCheck
    from borderlink.places.models import Unit

    marker = Marker.objects.get(number="234")
    visit = Inspection.objects.create(
        home_unit=Unit.objects.get(code="VN-02-BGS-THANHTHUY"),
        inspected_on=datetime.date.today() - datetime.timedelta(days=100),
    )
    MarkerCheck.objects.create(inspection=visit, marker=marker, condition="intact")

    base = str(demo_live_server)
    log_in(page, base, "editor")
    switch_language(page, "en")
    page.goto(f"{base}/border/map/")
    expect(page.locator("#border-map[data-ready=true]")).to_be_attached()
    assert tile_requests, "the configured tile layer was asked for tiles"

    # The line and the sections are drawn as SVG; markers as circles or clusters.
    expect(page.locator("#border-map path.leaflet-interactive").first).to_be_attached()
    markers = page.locator("#border-map .bl-cluster, #border-map path.bl-kind-marker")
    expect(markers.first).to_be_visible()
    expect(page.locator("#unplaced")).to_contain_text("have no recorded position")

    # Switching the markers layer off removes them; on again brings them back.
    switch = (
        page.locator(".leaflet-control-layers-overlays label")
        .filter(has=page.locator('[data-layer="markers"]'))
        .locator("input")
    )
    switch.uncheck()
    expect(markers).to_have_count(0)
    switch.check()
    expect(markers.first).to_be_visible()

    # Zoom into clusters until marker 234 stands alone, then click it.
    target = page.locator(f"path.bl-feature-marker-{marker.pk}")
    cluster = page.locator(f'#border-map .bl-cluster[title*="Marker {marker.number} "]')
    for _ in range(10):
        if target.count():
            break
        # A cluster redrawn by a zoom still under way is clicked again on the next turn.
        with contextlib.suppress(PlaywrightTimeoutError):
            cluster.click(timeout=3000)
        page.wait_for_function(
            "() => !document.querySelector('#border-map').classList.contains('leaflet-zoom-anim')"
        )
        page.wait_for_timeout(300)
    expect(target).to_be_visible()
    assert target.get_attribute("fill") == "#2e7d32"  # intact
    page.select_option("#colour-by", "age")
    expect(target).to_have_attribute("fill", "#c62828")  # more than 90 days ago
    target.click(force=True)
    expect(page).to_have_url(f"{base}/r/markers/{marker.pk}/")
    expect(page.locator("h1")).to_contain_text("234")
    assert not errors, errors
