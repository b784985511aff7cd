"""What a list page keeps for the length of one page (issue 18): the user's memberships read
once, a choice's label translated once, a unit's address reversed once, and each still what
the page would have shown without keeping it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

from borderlink.core.context import acting_as
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers.spec import registers
from borderlink.registers.templatetags.cells import cell
from borderlink.registers.views import ChoiceLabels
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_list_page_reads_the_users_memberships_once() -> None:
    """The gate and the menu's home unit (accounts/recording.py) both need them."""
    user = make_user("t-cost-editor", Role.FA_EDITOR, "VN-P02")
    client = Client()
    client.force_login(user)
    client.get("/r/activities/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/r/activities/")
    assert response.status_code == 200
    memberships = [
        q["sql"] for q in captured.captured_queries if 'FROM "accounts_membership"' in q["sql"]
    ]
    assert len(memberships) == 1, memberships


def test_a_choice_reads_as_get_display_says_in_each_language() -> None:
    checked = 0
    for spec in registers():
        for name in spec.list_display:
            field = spec.model_field(name)
            if not field.choices:
                continue
            values = [value for value, _label in field.flatchoices] + ["not-a-choice"]
            for language in ("vi", "en", "zh-hans"):
                with translation.override(language):
                    labels = ChoiceLabels()
                    for value in values:
                        record = spec.model(**{field.attname: value})
                        expected = getattr(record, f"get_{name}_display")()
                        assert labels(field, value) == expected, (spec.slug, name, value)
                        assert labels(field, value) == expected  # kept, the same
                        checked += 1
    assert checked > 50


def test_a_choice_label_is_kept_per_page_not_across_languages() -> None:
    with acting_as(None, reason="test"):
        Activity.objects.create(
            kind="meeting",
            occurred_on="2024-05-01",
            title="t-cost meeting",
            home_unit=Unit.objects.get(code="VN-P02"),
        )
    user = make_user("t-cost-lang", Role.FA_EDITOR, "VN-P02")
    client = Client()
    client.force_login(user)
    field = Activity._meta.get_field("kind")
    shown = {}
    for language in ("en", "vi"):
        with translation.override(language):
            label = dict(field.flatchoices)["meeting"]
            shown[language] = str(label)
        page = client.get("/r/activities/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f"<td>{shown[language]}</td>" in page, language
    assert shown["en"] != shown["vi"]


def test_a_units_address_follows_the_script_prefix() -> None:
    unit = Unit.objects.get(code="VN-P02")
    plain = cell(unit)
    assert 'href="/units/VN-P02/"' in plain
    set_script_prefix("/borderlink/")
    try:
        assert 'href="/borderlink/units/VN-P02/"' in cell(unit)
    finally:
        clear_script_prefix()
    assert cell(unit) == plain


@pytest.mark.parametrize("slug", sorted(spec.slug for spec in registers()))
def test_the_api_reads_a_record_as_drf_would(slug: str) -> None:
    """`represent` (registers/api.py) reads plain columns with getattr: the same answer as
    DRF's generic look-up, for every register's fields (links, dates, choices, decimals)."""
    from rest_framework import serializers
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from borderlink.registers.api import represent, serializer_class
    from tests.registers.test_query_counts import _make

    spec = next(s for s in registers() if s.slug == slug)
    _make(spec, 2)
    request = Request(APIRequestFactory().get(f"/api/{slug}/"))
    serializer = serializer_class(spec)(context={"request": request})
    records = list(spec.listing(spec.model._default_manager.all()))
    assert records, slug
    for record in records:
        expected = serializers.ModelSerializer.to_representation(serializer, record)
        assert represent(serializer, record) == expected
        assert list(represent(serializer, record)) == list(expected)  # the same order


def test_a_list_leaves_the_linked_units_shapes_in_the_database() -> None:
    """A unit named on a list page or an API page is read without its geometry (a province's
    outline), its search text and its note (Unit.listing_defer)."""
    spec = next(s for s in registers() if s.slug == "activities")
    sql = str(spec.listing(spec.model._default_manager.all()).query)
    assert '"places_unit"."code"' in sql
    assert '"geometry"' not in sql
    assert '"search_text"' not in sql


def test_the_units_in_a_reach_are_those_it_contains() -> None:
    """Reach.unit_ids reads only ids when nothing is taken out (`minus`), paths to check else:
    either way the units whose path the reach contains."""
    from borderlink.core.reach import Reach

    province = Unit.objects.get(code="VN-P02")
    district = Unit.objects.get(code="VN-D030")
    paths = dict(Unit.objects.values_list("pk", "path"))
    for reach in (
        Reach(own=district.path),
        Reach(own=district.path, plus=(province.path,)),
        Reach(own=district.path + "0/", plus=(province.path,), minus=(district.path,)),
    ):
        expected = {pk for pk, path in paths.items() if reach.contains(path)}
        assert expected
        assert reach.unit_ids(Unit) == expected
