"""The committed line, its geodesic length, and the official figures shown beside it."""

from __future__ import annotations

import itertools
import json
import math
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.border import geo
from borderlink.border.models import BorderSection
from tests.typed import Login

ROOT = Path(__file__).resolve().parents[2]


def vincenty_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Vincenty's inverse formula on WGS 84, written out here to check pyproj independently."""
    a, f = 6378137.0, 1 / 298.257223563
    b = (1 - f) * a
    u1, u2 = (
        math.atan((1 - f) * math.tan(math.radians(lat1))),
        math.atan((1 - f) * math.tan(math.radians(lat2))),
    )
    big_l = math.radians(lon2 - lon1)
    lam = big_l
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-12:
            break
    u_sq = cos2_alpha * (a**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return b * big_a * (sigma - delta)


def independent_length_km(geometry: dict) -> float:
    total = 0.0
    for line in geo.lines_of(geometry):
        for (x1, y1), (x2, y2) in itertools.pairwise(line):
            total += vincenty_m(x1, y1, x2, y2)
    return total / 1000


def test_the_committed_line_is_the_vietnam_china_boundary_from_natural_earth() -> None:
    data = json.loads(geo.BOUNDARY_FILE.read_text(encoding="utf-8"))
    feature = data["features"][0]
    assert feature["properties"]["countries"] == ["VN", "CN"]
    line = feature["geometry"]["coordinates"]
    # West end near the Vietnam–Laos–China tripoint, east end at the Gulf of Tonkin.
    assert 101.9 < line[0][0] < 102.3 and 107.8 < line[-1][0] < 108.1
    assert geo.check_line(feature["geometry"]) is None
    assert "world-atlas" in (ROOT / "docs" / "data-sources.md").read_text(encoding="utf-8")


def test_the_geodesic_length_agrees_with_an_independent_computation_within_0_1_percent() -> None:
    geometry = geo.boundary_geometry()
    ours = geo.geodesic_length_km(geometry)
    theirs = independent_length_km(geometry)
    assert ours is not None
    assert abs(ours - theirs) / theirs < 0.001
    # Generalised at 1:10m: far below the surveyed 1,449.566 km (shared/DATA.md).
    assert 900 < ours < 1200


def test_a_spherical_shortcut_would_not_pass_the_same_check() -> None:
    """The 0.1 % check can fail: a haversine on a sphere is off by more than that here."""
    geometry = geo.boundary_geometry()
    r = 6371.0088
    haversine = 0.0
    for line in geo.lines_of(geometry):
        for (x1, y1), (x2, y2) in itertools.pairwise(line):
            p1, p2 = math.radians(y1), math.radians(y2)
            h = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin(math.radians(x2 - x1) / 2) ** 2
            )
            haversine += 2 * r * math.asin(math.sqrt(h))
    ours = geo.geodesic_length_km(geometry)
    assert ours is not None and abs(ours - haversine) / ours > 0.001


def test_clipping_keeps_the_part_inside_the_box_cut_at_its_edges() -> None:
    line: list[geo.Coord] = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]]
    assert geo.clip_to_bounds(line, (-1, 0.5, 1, 2.5)) == [
        [0.5, 0.0],
        [1.0, 0.0],
        [2.0, 0.0],
        [2.5, 0.0],
    ]
    assert geo.clip_to_bounds(line, (5, 5, 6, 6)) == []


@pytest.mark.django_db
def test_the_demo_sections_carry_their_official_lengths_and_sources() -> None:
    whole = BorderSection.objects.get(code="vn-cn")
    hg = BorderSection.objects.get(code="vn-cn-ha-giang")
    assert whole.official_length_km == Decimal("1449.566")
    assert hg.official_length_km == Decimal("277.556")
    assert hg.source is not None and hg.source.code == "seed-003"
    assert hg.part_of == whole
    assert whole.length_km == pytest.approx(geo.geodesic_length_km(geo.boundary_geometry()))
    assert hg.length_km is not None and whole.length_km is not None
    assert hg.length_km < whole.length_km
    assert hg.length_ratio is not None and 0.6 < hg.length_ratio < 0.8
    # Assigned to Hà Giang before the reform, to Tuyên Quang after it.
    import datetime

    before, after = (
        hg.assignment_on(datetime.date(2020, 1, 1)),
        hg.assignment_on(datetime.date(2025, 8, 1)),
    )
    assert before is not None and before.home_unit.code == "VN-P02"
    assert after is not None and after.home_unit.code == "VN-P08-2025"


@pytest.mark.django_db
def test_the_lengths_page_shows_each_computed_length_beside_the_official_one(
    client_of: Login, editor: User
) -> None:
    client: Client = client_of(editor)
    page = client.get("/border/lengths/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    hg = BorderSection.objects.get(code="vn-cn-ha-giang")
    assert hg.length_ratio is not None
    assert "277.556 km" in page
    assert f"{hg.length_km:.3f} km".replace(",", "") in page.replace(",", "")
    assert f"{hg.length_ratio * 100:.1f} %" in page
    # Vietnamese conventions on the section's own page: 277,556 km.
    client.post("/i18n/setlang/", {"language": "vi"})
    detail = client.get(f"/r/border-sections/{hg.pk}/").content.decode()
    assert "277,556 km" in detail


@pytest.mark.django_db
def test_an_assignment_overlapping_another_for_the_same_section_is_refused() -> None:
    from borderlink.border.forms import AssignmentForm  # noqa: F401
    from borderlink.registers.forms import form_class
    from borderlink.registers.spec import get_register

    form = form_class(get_register("section-assignments"))(
        data={
            "section": "vn-cn-ha-giang",
            "home_unit": "VN-P02",
            "valid_from": "2024-01-01",
            "valid_to": "2024-12-31",
        }
    )
    with translation.override("en"):
        assert not form.is_valid()
        assert "already assigned" in str(form.errors)


@pytest.mark.django_db
def test_the_whole_line_is_shown_with_the_section_a_user_may_see(
    client_of: Login, editor: User
) -> None:
    client: Client = client_of(editor)
    page = client.get("/border/lengths/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1,449.566 km" in page
    whole = BorderSection.objects.get(code="vn-cn")
    assert f"/r/border-sections/{whole.pk}/" not in page  # shown, not opened: not the editor's


@pytest.mark.django_db
def test_a_sections_line_is_set_from_a_geojson_file(tmp_path: Path) -> None:
    import io

    from django.core.management import CommandError, call_command

    path = tmp_path / "line.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[104.8, 22.9], [104.9, 22.9]]},
            }
        )
    )
    out = io.StringIO()
    call_command("section_line", "vn-cn-ha-giang", str(path), note="test line", stdout=out)
    section = BorderSection.objects.get(code="vn-cn-ha-giang")
    assert section.geometry is not None and section.geometry["type"] == "LineString"
    assert section.geometry_note == "test line"
    assert "10.2" in out.getvalue()  # 0.1° of longitude at 22.9° N is about 10.26 km
    path.write_text(json.dumps({"type": "Point", "coordinates": [104.8, 22.9]}))
    with pytest.raises(CommandError):
        call_command("section_line", "vn-cn-ha-giang", str(path))
