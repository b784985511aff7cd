"""Shared cache versions: writers move them on after commit, once per transaction; whatever a
process keeps (the portal's settings and pages, resolved scopes) follows them, so a change made
through another server is seen at once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from borderlink.core import cache_versions
from borderlink.ledger.models import Activity
from borderlink.places import scope
from borderlink.places.models import Unit
from borderlink.portal import public
from borderlink.portal.models import PublicSite


def test_a_bump_outside_a_transaction_moves_the_version_at_once() -> None:
    before = cache_versions.current("t-thing")
    cache_versions.bump("t-thing")
    assert cache_versions.current("t-thing") == before + 1


@pytest.mark.django_db
def test_a_transaction_moves_each_version_once_and_only_when_it_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = cache_versions.current("t-thing")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(50):
            cache_versions.bump("t-thing")
    assert len(callbacks) == 1
    assert cache_versions.current("t-thing") == before + 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                cache_versions.bump("t-thing")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and cache_versions.current("t-thing") == before + 1


def test_a_version_emptied_from_the_cache_starts_again_above_where_it_was() -> None:
    from django.core.cache import cache

    before = cache_versions.current("t-thing")
    cache.delete(cache_versions.PREFIX + "t-thing")
    assert cache_versions.current("t-thing") > before


@pytest.mark.django_db
def test_a_ledger_save_moves_the_figures_version(
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = cache_versions.current("figures")
    activity = Activity.objects.order_by("pk").first()
    assert activity is not None
    with django_capture_on_commit_callbacks(execute=True):
        activity.title = activity.title + " (t)"
        activity.save()
    assert cache_versions.current("figures") > before


@pytest.mark.django_db
def test_the_portal_settings_follow_a_change_made_through_another_server(
    django_capture_on_commit_callbacks: Any,
) -> None:
    site = public.site()
    assert site is not None
    # Another server changed the settings: this process's copy is fresh, the database is not.
    PublicSite.objects.filter(pk=site.pk).update(name_en="T elsewhere")
    cached = public.site()
    assert cached is not None and cached.name_en == site.name_en
    with django_capture_on_commit_callbacks(execute=True):
        cache_versions.bump("portal")  # what that server's PublicSite.bump did, at its commit
    fresh = public.site()
    assert fresh is not None and fresh.name_en == "T elsewhere"


@pytest.mark.django_db
def test_a_public_page_is_rendered_again_after_a_publication_elsewhere(
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = Client().get("/public/en/").content
    PublicSite.objects.update(name_en="T renamed elsewhere")
    assert Client().get("/public/en/").content == first  # cached
    with django_capture_on_commit_callbacks(execute=True):
        cache_versions.bump("portal")
    assert b"T renamed elsewhere" in Client().get("/public/en/").content


@pytest.mark.django_db
def test_resolved_scopes_are_dropped_when_the_gazetteer_changes_elsewhere() -> None:
    unit = Unit.objects.get(code="VN-P02")
    day = datetime.date(2024, 1, 1)
    scope.resolve(unit, day)
    assert scope._cache
    cache_versions._move_on(("gazetteer",))  # another process saved a unit and committed
    scope.resolve(unit, day)
    assert len(scope._cache) == 1 and scope._version == [cache_versions.current("gazetteer")]
