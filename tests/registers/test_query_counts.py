"""A list page costs the same number of SQL statements for 10 rows as for 50, in every register.

Every register declares what its list and API read beside each record (`Register.select_related`
/ `prefetch_related`, registers/spec.py); a link read row by row (N+1) makes the 50-row page cost
more than the 10-row one, and this test names the register, the page and the statements that
repeat. It iterates the register registry, so a new register is held to it the day it is added
(and needs a sample in samples.py, or a factory below, to be tested at all).
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.pagination import StrictPageNumberPagination
from borderlink.core.permissions import can_at_all
from borderlink.core.roles import Role
from borderlink.registers import views
from borderlink.registers.forms import form_class
from borderlink.registers.spec import Register, registers
from tests.conftest import api_client, make_user
from tests.registers.samples import IN_SCOPE, SAMPLES

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 50
_serial = itertools.count(1)


def _programme(spec: Register) -> None:
    from borderlink.ties.models import Programme

    n = next(_serial)
    Programme.objects.create(code=f"test-programme-{n}", name_vi=f"Chương trình thử {n}")


def _rate(spec: Register) -> None:
    from borderlink.stats.models import ExchangeRate

    day = datetime.date(2001, 1, 1) + datetime.timedelta(days=next(_serial))
    ExchangeRate.objects.create(currency="USD", quote="VND", rate=Decimal("24000"), on=day)


def _from_sample(spec: Register) -> None:
    form = form_class(spec)(data=SAMPLES[spec.slug](*IN_SCOPE))
    assert form.is_valid(), (spec.slug, form.errors)
    form.save()


# Reference registers the generic samples leave out (no unit: only administrators write them).
FACTORIES: dict[str, Callable[[Register], None]] = {"programmes": _programme, "rates": _rate}


def _make(spec: Register, count: int) -> None:
    factory = FACTORIES.get(spec.slug, _from_sample if spec.slug in SAMPLES else None)
    assert factory is not None, f"register {spec.slug!r} has no sample (tests/registers/samples.py)"
    with acting_as(None, reason="test"):
        for _ in range(count):
            factory(spec)


@pytest.fixture
def page_size(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    def set_size(size: int) -> None:
        monkeypatch.setattr(views, "PAGE_SIZE", size)
        monkeypatch.setattr(StrictPageNumberPagination, "page_size", size)

    return set_size


def _statements(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def _shape(sql: str) -> str:
    """A statement with its values taken out, so that the same query for another row matches."""
    return re.sub(r"\(\?(, \?)*\)", "(…)", re.sub(r"'[^']*'|\b\d+\b", "?", sql))[:300]


def _rows_shown(client: Client, url: str) -> int:
    response = client.get(url)
    if url.startswith("/api/"):
        return len(response.json()["results"])
    return response.content.decode().count("<tr>") - 1  # the header row


def _users() -> Iterator[tuple[str, User]]:
    """A district officer (their scope, masked personal data, links they may not see) and the
    province's foreign-affairs editor (a wider scope, personal data of delegations)."""
    yield "officer", make_user("t-count-officer", Role.LOCAL, "VN-D030")
    yield "editor", make_user("t-count-editor", Role.FA_EDITOR, "VN-P02")


@pytest.mark.parametrize("slug", sorted(spec.slug for spec in registers()))
def test_a_page_of_50_costs_the_statements_of_a_page_of_10(
    slug: str, page_size: Callable[[int], None]
) -> None:
    spec = next(s for s in registers() if s.slug == slug)
    _make(spec, LARGE)
    tested = 0
    for who, user in _users():
        if not can_at_all(user, spec.model, "view"):
            continue
        page, rest = Client(), api_client(user)
        page.force_login(user)
        for client, url in ((page, f"/r/{slug}/"), (rest, f"/api/{slug}/")):
            client.get(url)  # per-process caches (scopes, sample sources) filled once
            page_size(SMALL)
            small = _statements(client, url)
            page_size(LARGE)
            large = _statements(client, url)
            assert _rows_shown(client, url) == LARGE, (who, url)
            if len(large) > len(small):
                repeated = Counter(map(_shape, large)) - Counter(map(_shape, small))
                pytest.fail(
                    f"{url} as the {who}: {len(small)} statements for {SMALL} rows, "
                    f"{len(large)} for {LARGE}; declare in the register what it reads "
                    f"(select_related / prefetch_related). Repeated: {list(repeated)[:3]}"
                )
            tested += 1
    assert tested >= 2, f"{slug}: no user could list it"
