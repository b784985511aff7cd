"""The demo's sample ledger (demo/sample_plan.py, demo/sample.py): reproducible, dated from
01/07/2021 to today, marked as sample data wherever a register shows it, never on the public
portal, never moving a seed figure, and the reason dashboards show figures from records."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.models import ChangeRecord
from borderlink.demo import sample
from borderlink.demo.sample_plan import POSTS, START, plan
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.portal import public
from borderlink.portal.compose import PUBLIC_CLEARANCE
from borderlink.portal.figures import PUBLIC_INDICATORS, site_window
from borderlink.stats import rollup
from borderlink.stats.engine import Window, evaluate_many
from borderlink.ties.recording import counterparts_of

pytestmark = pytest.mark.django_db

STATION = "VN-02-BGS-THANHTHUY"
STATION_NOW = "VN-02-BGS-THANHTHUY-2025"
SEED_END = datetime.date(2021, 6, 30)
STATION_LOG = [
    "station.letters",
    "station.talks",
    "station.political_exchanges",
    "station.unscheduled_exchanges",
    "station.phone_calls",
    "station.joint_checks",
    "station.handovers",
    "station.persons_handed_over",
]


def load() -> dict[str, object]:
    with acting_as(None, reason="load-demo"):
        return sample.load()


def samples() -> QuerySet[Activity]:
    return Activity.objects.filter(source__code=sample.SOURCE_CODE).select_related("home_unit")


# Each code's (value, denominator, basis).
Shown = dict[str, tuple[Decimal | None, Decimal | None, str]]


def figures(codes: list[str], unit: str, window: Window, clearance: int) -> Shown:
    found = evaluate_many(codes, Unit.objects.get(code=unit), window, clearance)
    return {code: (fig.value, fig.denominator, fig.basis) for code, fig in found.items()}


def client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


# Reproducible ------------------------------------------------------------------------------


def test_same_seed_same_rows_and_a_later_day_only_adds() -> None:
    day = datetime.date(2026, 3, 15)
    assert plan(day) == plan(day)
    assert plan(day, seed=7) != plan(day)
    later = plan(day + datetime.timedelta(days=40))
    assert [e for e in later if e.day <= day] == plan(day)
    assert len(later) > len(plan(day))


def test_the_ledger_holds_exactly_the_plan_and_a_second_load_adds_nothing() -> None:
    today = timezone.localdate()
    first = load()
    assert first["missing units"] == [] and first["left out"] == 0
    stored = {(a.home_unit.code, a.kind, a.occurred_on, a.title) for a in samples()}
    assert stored == {e.key for e in plan(today)}
    assert first["created"] == len(stored) > 1500
    assert load()["created"] == 0
    assert samples().count() == len(stored)


# Dated 2021-07-01 to today, under the units of the day --------------------------------------


def test_dated_from_july_2021_to_today_under_the_units_valid_that_day() -> None:
    today = timezone.localdate()
    load()
    days = sorted(samples().values_list("occurred_on", flat=True))
    assert days[0] >= START == datetime.date(2021, 7, 1)
    assert days[-1] <= today
    assert days[-1] >= today - datetime.timedelta(days=31)  # the ledger reaches today
    for a in samples().select_related("counterpart"):
        assert a.home_unit.is_valid_on(a.occurred_on), a
        assert a.counterpart is not None, a
        assert a.counterpart.is_valid_on(a.occurred_on) and a.counterpart.country == "CN", a
    homes = set(samples().values_list("home_unit__code", flat=True))
    assert homes == {p.before for p in POSTS} | {p.after for p in POSTS}


def test_counterparts_are_the_partners_in_force_or_the_mechanism_members() -> None:
    load()
    pairs = set(samples().values_list("home_unit__code", "counterpart__code", "occurred_on"))
    checked: set[tuple[str, str]] = set()
    for home, theirs, day in sorted(pairs):
        if (home, theirs) in checked:
            continue
        checked.add((home, theirs))
        partners = {u.code for u in counterparts_of(Unit.objects.get(code=home), day)}
        through_mechanism = samples().filter(
            home_unit__code=home, counterpart__code=theirs, mechanism__isnull=False
        )
        assert theirs in partners or through_mechanism.exists(), (home, theirs, partners)


def test_seasons_and_restrictions_show_in_the_volumes() -> None:
    entries = plan(datetime.date(2026, 12, 31))
    station = [e for e in entries if e.unit in (STATION, STATION_NOW)]

    def per_month(kinds: set[str], first: datetime.date, last: datetime.date) -> float:
        n = sum(1 for e in station if e.kind in kinds and first <= e.day <= last)
        return n / ((last.year - first.year) * 12 + last.month - first.month + 1)

    covid = (datetime.date(2021, 7, 1), datetime.date(2022, 6, 30))
    open_ = (datetime.date(2023, 7, 1), datetime.date(2024, 12, 31))
    in_person = {"meeting", "bilateral_check", "joint_patrol", "unscheduled_exchange"}
    assert per_month(in_person, *covid) < 0.7 * per_month(in_person, *open_)
    assert per_month({"letter", "phone_call"}, *covid) > 1.2 * per_month(
        {"letter", "phone_call"}, *open_
    )
    letters_a_week = per_month({"letter"}, *open_) * 12 / 52
    assert 2 <= letters_a_week <= 5
    holiday = [
        e for e in station if datetime.date(2024, 2, 9) <= e.day <= datetime.date(2024, 2, 13)
    ]
    ordinary = [
        e for e in station if datetime.date(2024, 3, 11) <= e.day <= datetime.date(2024, 3, 15)
    ]
    assert len(holiday) < len(ordinary)


# Marked as sample data --------------------------------------------------------------------


def test_every_sample_record_cites_the_synthetic_source_and_is_internal() -> None:
    load()
    source = sample.sample_source()
    assert source.synthetic
    assert not samples().exclude(source=source).exists()
    assert set(samples().values_list("sensitivity", flat=True)) == {1}
    assert not Activity.objects.filter(source__synthetic=True).exclude(pk__in=samples()).exists()
    history = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity),
        object_id__in=[str(pk) for pk in samples().values_list("pk", flat=True)[:50]],
    )
    assert history.filter(action="create").count() == 50


def test_lists_and_detail_pages_mark_sample_records_and_only_them() -> None:
    load()
    editor = client("editor")
    listed = editor.get(reverse("registers:list", args=["activities"]), {"q": "Thiên Bảo"})
    assert listed.status_code == 200
    assert listed.content.decode().count("bl-sample-badge") == len(listed.context["rows"]) > 0
    one = samples().filter(home_unit__code=STATION_NOW).first()
    assert one is not None
    detail = editor.get(reverse("registers:detail", args=["activities", one.pk]))
    assert "bl-sample-badge" in detail.content.decode()
    seed = Activity.objects.exclude(source__synthetic=True).first()
    assert seed is not None
    page = client("admin").get(reverse("registers:detail", args=["activities", seed.pk]))
    assert page.status_code == 200 and "bl-sample-badge" not in page.content.decode()


def test_exports_carry_the_sample_source_code() -> None:
    load()
    response = client("admin").get(
        reverse("registers:list", args=["activities"]),
        {"home_unit": STATION_NOW, "export": "csv", "columns": "codes"},
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == samples().filter(home_unit__code=STATION_NOW).count() > 0
    assert {r["source"] for r in rows} == {sample.SOURCE_CODE}


# Never on the portal; never a seed figure ---------------------------------------------------


def _portal_figures() -> dict[tuple[str, datetime.date], Shown]:
    """The public indicators at the public clearance, for the portal's window and for today's,
    over the site's unit and the demo's units that exist on each window's date."""
    site = public.site()
    assert site is not None
    today = timezone.localdate()
    codes = sorted(PUBLIC_INDICATORS)
    out = {}
    for window in (site_window(site), Window(None, today, today)):
        for code in (site.unit.code, "VN-P02", STATION, STATION_NOW, "VN-P08-2025"):
            if Unit.objects.get(code=code).is_valid_on(window.as_of):
                out[code, window.as_of] = figures(codes, code, window, PUBLIC_CLEARANCE)
    return out


def test_the_portals_figures_and_activities_are_the_same_with_and_without_the_sample() -> None:
    public.forget_site()
    before = _portal_figures()
    public_before = list(public.activities().values_list("pk", flat=True))
    site = public.site()
    assert site is not None
    internal_before = figures(["exchanges.all"], site.unit.code, site_window(site), 1)

    load()

    assert _portal_figures() == before
    assert list(public.activities().values_list("pk", flat=True)) == public_before
    # The same figures one clearance up do count the sample: the portal's are not blind to it.
    assert figures(["exchanges.all"], site.unit.code, site_window(site), 1) != internal_before


def test_seed_figures_do_not_move_and_the_returns_still_count() -> None:
    seed_window = Window(None, SEED_END, SEED_END)
    codes = [*STATION_LOG, "exchanges.all", "aid.given_quantity", "aid.received_value"]
    before = {u: figures(codes, u, seed_window, 3) for u in (STATION, "VN-P02")}
    all_time = Window(None, datetime.date(2025, 6, 30), datetime.date(2025, 6, 30))
    log_before = figures(STATION_LOG, STATION, all_time, 3)

    load()

    assert {u: figures(codes, u, seed_window, 3) for u in (STATION, "VN-P02")} == before
    assert figures(["station.letters"], STATION, seed_window, 3)["station.letters"][0] == 1456
    # Over the whole life of the old station: the seed's return plus the sample records, the
    # return neither set aside nor shortened (no seed period overlaps the sample's).
    found = evaluate_many(STATION_LOG, Unit.objects.get(code=STATION), all_time, 3)
    letters = samples().filter(home_unit__code=STATION, kind="letter").count()
    letters_before = log_before["station.letters"][0]
    assert letters_before is not None
    assert found["station.letters"].value == letters_before + letters
    assert found["station.letters"].basis == "combined"
    assert found["station.letters"].covered_by_returns == 0
    assert [r.value for r in found["station.letters"].returns] == [1456]


def test_the_rollup_is_in_step_after_the_bulk_load() -> None:
    load()
    assert rollup.differences() == []


# Dashboards show figures from records --------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "unit"), [("leader", "VN-P08-2025"), ("thanhthuy", STATION_NOW)]
)
def test_this_years_dashboard_shows_figures_from_records(username: str, unit: str) -> None:
    today = timezone.localdate()
    load()
    response = client(username).get(reverse("stats:dashboard", args=[unit]))
    assert response.status_code == 200
    window = response.context["window"]
    assert window.start == today.replace(month=1, day=1) and window.end == today
    shown = {
        c.figure.indicator.code: c.figure
        for _label, tiles in response.context["sections"]
        for c in tiles
    }
    letters = samples().filter(
        home_unit__path__startswith=Unit.objects.get(code=unit).path,
        kind="letter",
        occurred_on__gte=window.start,
    )
    assert shown["station.letters"].basis == "records"
    assert shown["station.letters"].value == letters.count() > 20
    assert shown["station.handovers"].value > 0 and shown["station.talks"].value > 0


def test_this_years_map_colours_the_communes_that_recorded() -> None:
    load()
    response = client("leader").get(reverse("stats:map", args=["VN-P08-2025"]))
    assert response.status_code == 200
    values = {child.code: fig for child, fig, _text in response.context["rows"]}
    recorded = {p.after for p in POSTS if p.role == "commune"}
    for code in recorded:
        assert values[code].value > 0 and values[code].basis == "records", code
