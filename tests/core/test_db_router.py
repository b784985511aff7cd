"""The replica router: marked views read from a replica that has replayed far enough, everything
else and every write from the primary; a user's own write sends their reads to the primary until
a replica has it; a replica that lags or is down is passed over. The real topology (a streaming
replica, two servers) is tests/topology/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from borderlink.accounts.models import User
from borderlink.core import cache_versions, db_router, replicas
from borderlink.ledger.models import Activity

ROUTER = db_router.ReplicaRouter()


class FakeReplicas:
    """replicas.aliases/usable/primary_position without a replica: what each replica has
    replayed, None for one that is down."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.replayed: dict[str, int | None] = {"replica1": 100}
        self.primary = 100
        self.asked: list[tuple[str, int]] = []
        monkeypatch.setattr(replicas, "aliases", lambda: list(self.replayed))
        monkeypatch.setattr(replicas, "usable", self.usable)
        monkeypatch.setattr(replicas, "primary_position", lambda: self.primary)

    def usable(self, alias: str, need: int = 0) -> bool:
        self.asked.append((alias, need))
        replayed = self.replayed[alias]
        return replayed is not None and replayed >= need


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeReplicas]:
    from django.core.cache import cache

    cache.delete(db_router.ANNOUNCED_KEY)
    yield FakeReplicas(monkeypatch)
    cache.delete(db_router.ANNOUNCED_KEY)


def serve(view: Any, cookie: str | None = None, user: Any = None, method: str = "get") -> Any:
    request = getattr(RequestFactory(), method)("/")
    if cookie:
        request.COOKIES[db_router.COOKIE] = cookie
    if user is not None:
        request.user = user
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    return db_router.ReadYourWritesMiddleware(view)(request)


def read_on(model: type[Any] = Activity) -> Any:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        response.read_from = ROUTER.db_for_read(model)  # type: ignore[attr-defined]
        return response

    return view


def test_outside_a_request_and_outside_marked_views_everything_is_the_primary(
    fake: FakeReplicas,
) -> None:
    assert ROUTER.db_for_read(Activity) == "default"
    assert serve(read_on()).read_from == "default"
    assert ROUTER.db_for_write(Activity) == "default"


def test_a_marked_view_reads_from_a_replica_that_has_replayed_far_enough(
    fake: FakeReplicas,
) -> None:
    assert serve(db_router.replica_reads(read_on())).read_from == "replica1"
    # Sessions, users and roles are always the primary's.
    assert serve(db_router.replica_reads(read_on(User))).read_from == "default"
    fake.replayed["replica1"] = None  # down
    assert serve(db_router.replica_reads(read_on())).read_from == "default"


def test_reads_after_ones_own_write_need_the_replica_to_have_it(fake: FakeReplicas) -> None:
    fake.replayed["replica1"] = 90
    behind = replicas.format_lsn(95)
    assert serve(db_router.replica_reads(read_on()), cookie=behind).read_from == "default"
    fake.replayed["replica1"] = 95
    assert serve(db_router.replica_reads(read_on()), cookie=behind).read_from == "replica1"


def test_a_change_announced_to_every_server_is_waited_for(fake: FakeReplicas) -> None:
    fake.replayed["replica1"] = 90
    fake.primary = 120
    assert db_router.announce() == 120
    assert serve(db_router.replica_reads(read_on())).read_from == "default"
    fake.replayed["replica1"] = 120
    assert serve(db_router.replica_reads(read_on())).read_from == "replica1"


def test_a_version_read_mid_request_may_send_the_rest_to_the_primary(fake: FakeReplicas) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        first = ROUTER.db_for_read(Activity)
        fake.primary = 200
        cache_versions._move_on(("t-thing",))  # another server published meanwhile
        cache_versions.current("t-thing")
        response = HttpResponse()
        response.read_from = (first, ROUTER.db_for_read(Activity))  # type: ignore[attr-defined]
        return response

    assert serve(db_router.replica_reads(view)).read_from == ("replica1", "default")


@pytest.mark.django_db
def test_a_logged_in_write_gives_the_user_the_primary_position(fake: FakeReplicas) -> None:
    user = User.objects.create_user("t-writer", password="pw-for-tests-only")
    fake.primary = 4242

    def write(request: HttpRequest) -> HttpResponse:
        ROUTER.db_for_write(Activity)
        return HttpResponse()

    response = serve(write, user=user, method="post")
    assert response.cookies[db_router.COOKIE].value == replicas.format_lsn(4242)
    assert response.cookies[db_router.COOKIE]["httponly"]
    # Reading gives no cookie; nor does a write by nobody in particular (the public site).
    assert db_router.COOKIE not in serve(read_on(), user=user).cookies
    from django.contrib.auth.models import AnonymousUser

    assert db_router.COOKIE not in serve(write, user=AnonymousUser(), method="post").cookies


def test_the_marker_header_says_where_the_reads_went(fake: FakeReplicas) -> None:
    view = db_router.replica_reads(read_on())
    assert db_router.MARKER_HEADER not in serve(view)
    with override_settings(DATABASE_REPLICA_MARKER=True):
        assert serve(view)[db_router.MARKER_HEADER] == "replica1"


def test_positions_read_and_write_as_postgresql_writes_them() -> None:
    assert replicas.parse_lsn("16/B374D848") == (0x16 << 32) | 0xB374D848
    assert replicas.format_lsn(replicas.parse_lsn("16/B374D848")) == "16/B374D848"
    assert replicas.parse_lsn("") == 0 and replicas.parse_lsn("nonsense") == 0


@pytest.mark.django_db
def test_a_probe_of_a_server_not_in_recovery_finds_its_own_position() -> None:
    if connection.vendor != "postgresql":
        assert replicas.primary_position() is None  # no WAL, and so no replicas, on SQLite
        return
    found = replicas.probe("default")
    assert not found.down and found.replayed > 0 and found.lag == 0
    position = replicas.primary_position()
    assert position is not None and position >= found.replayed


@pytest.mark.parametrize(
    "path",
    [
        "/stats/dashboard/VN-P02/",
        "/stats/figure/letters/VN-P02/",
        "/stats/map/VN-P02/",
        "/border/map/",
        "/r/activities/",  # its export (?export=csv)
    ],
)
def test_the_pages_that_read_much_are_marked_for_the_replicas(path: str) -> None:
    from django.urls import resolve

    assert getattr(resolve(path).func, "reads_from_replica", False), path


def test_the_public_pages_read_from_the_replicas(
    fake: FakeReplicas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from borderlink.portal import public
    from borderlink.portal.caching import public_page

    monkeypatch.setattr(public, "site", lambda: None)  # no query on a replica that is not there
    seen: list[str | None] = []

    def page(request: HttpRequest, lang: str) -> HttpResponse:
        seen.append(ROUTER.db_for_read(Activity))
        return HttpResponse("a page")

    serve(lambda request: public_page(page)(request, lang="en"))
    assert seen == ["replica1"]
