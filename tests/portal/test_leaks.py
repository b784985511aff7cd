"""Nothing sensitive, personal or unpublished reaches the public site.

On top of the demo, the test records what must never be public — ledger entries above the public
sensitivity, personal names, notes, quotations, signatories, draft, in-review and withdrawn
articles — each carrying a marker string, plus one public entry as a control. It then walks every
public address it can reach (links, the sitemap, the feeds, the redirects) as an anonymous
visitor, and checks that no marker and no other non-public text appears anywhere, that the public
control does, and that the figures count the public entry and none of the others. The anonymous
API answers nothing either. Runs on SQLite and PostgreSQL like the rest of the suite.
"""

from __future__ import annotations

import datetime
import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.choices import Sensitivity
from borderlink.ledger.models import Activity, AggregateReturn, Commitment, HandoverDetail
from borderlink.places.models import Unit
from borderlink.portal.compose import start_versions
from borderlink.portal.models import State
from borderlink.portal.workflow import move
from borderlink.registers.spec import registers
from borderlink.ties.models import Agreement, Partnership
from tests.portal.conftest import FOREIGN, version
from tests.portal.helpers import make_article

pytestmark = pytest.mark.django_db

STATION = "VN-02-BGS-THANHTHUY"
TIANBAO = "CN-532624-BGS-TIANBAO"
PUBLIC_CONTROL = "ZQXPUBLICLETTER"
LINK = re.compile(r"""(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>|<link>([^<]+)</link>""")


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _activity(title: str, sensitivity: int, **fields: Any) -> Activity:
    return Activity.objects.create(
        home_unit=_unit(STATION),
        counterpart=_unit(TIANBAO),
        partnership=Partnership.objects.get(kind="station"),
        kind=fields.pop("kind", "letter"),
        occurred_on=fields.pop("occurred_on", datetime.date(2022, 3, 1)),
        title=title,
        diplomacy="state",
        sensitivity=sensitivity,
        count=fields.pop("count", 500),
        **fields,
    )


@pytest.fixture
def secrets() -> set[str]:
    """Records that must stay off the public site; returns their marker strings."""
    marks: set[str] = set()

    def mark(name: str) -> str:
        value = f"ZQXSECRET{name.upper()}"
        marks.add(value)
        return value

    for level in (
        int(Sensitivity.INTERNAL),
        int(Sensitivity.CONFIDENTIAL),
        int(Sensitivity.SECRET),
    ):
        a = _activity(
            mark(f"letter{level}"),
            level,
            outcomes=mark(f"outcome{level}"),
            source_quote=mark(f"quote{level}"),
        )
        Commitment.objects.create(home_unit=a.home_unit, meeting=a, text=mark(f"commitment{level}"))
    handover = _activity(mark("handover"), Sensitivity.CONFIDENTIAL, kind="handover", persons=40)
    HandoverDetail.objects.create(activity=handover, vn_male=40)
    # A public entry: the control that shows the walk really reaches the records.
    _activity(PUBLIC_CONTROL, Sensitivity.PUBLIC, count=1, outcomes=mark("publicoutcomes"))

    agreement = Agreement.objects.filter(level="national").first()
    assert agreement is not None
    agreement.our_signatory = mark("signatory")
    agreement.note = mark("agreementnote")
    agreement.save()
    for tie in Partnership.objects.all():
        tie.note = mark(f"tienote{tie.pk}")
        tie.source_quote = mark(f"tiequote{tie.pk}")
        tie.save()
    log = AggregateReturn.objects.get(
        home_unit__code=STATION,
        kind="letter",
        measure="count",
        period_to=datetime.date(2021, 6, 30),
    )
    log.note = mark("returnnote")
    log.source_quote = mark("returnquote")
    log.save()
    for code in (STATION, "VN-P02", "VN-02-GATE-THANHTHUY", TIANBAO):
        unit = _unit(code)
        unit.note = mark(f"unitnote{code.replace('-', '')}")
        unit.save()
    User.objects.create_user(
        "zqxperson",
        email="zqxperson@example.org",
        first_name=mark("firstname"),
        last_name=mark("lastname"),
    )
    # Articles that are not published, in every state and beside published versions.
    draft = make_article("zqx-draft", langs=("vi", "en"), publish=False, title=mark("drafttitle"))
    for v in draft.versions.all():
        v.lead = mark(f"draftlead{v.lang}")
        v.body = v.body + f"\n\n{mark(f'draftbody{v.lang}')}\n"
        v.save()
    review = make_article("zqx-review", langs=("zh",), publish=False, title=mark("reviewtitle"))
    move(review.versions.get(), State.REVIEW)
    withdrawn = make_article("zqx-withdrawn", langs=("en", "vi"), publish=False)
    for v in withdrawn.versions.all():
        if v.lang == "en":
            v.title = mark("withdrawntitle")
            v.save()
        move(v, State.REVIEW)
        move(v, State.PUBLISHED)
    move(withdrawn.versions.get(lang="en"), State.WITHDRAWN)
    mixed = make_article("zqx-mixed", langs=("vi",))
    (en,) = start_versions(mixed, ["en"])
    en.title = mark("untranslatedtitle")
    en.save()
    # A published version whose text is corrected in a draft sibling language keeps its own text.
    foreign_zh = version(FOREIGN, "zh")
    move(foreign_zh, State.WITHDRAWN)
    move(foreign_zh, State.DRAFT)
    foreign_zh.refresh_from_db()
    foreign_zh.title = mark("zhcorrection")
    foreign_zh.save()
    return marks


def non_public_texts() -> set[str]:
    """Every text of a record above public sensitivity, and every personal field, in any app:
    records other apps add to the demo (incidents, personal registers) are checked too."""
    found: set[str] = set()
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if "sensitivity" in names and texts:
            hidden = model._default_manager.filter(sensitivity__gt=Sensitivity.PUBLIC)
            public = model._default_manager.filter(sensitivity=Sensitivity.PUBLIC)
            shown = {v for row in public.values_list(*texts) for v in row if v}
            for row in hidden.values_list(*texts):
                found |= {v for v in row if v and len(v) >= 10 and v not in shown}
        masked = [n for n in getattr(model, "history_masked_fields", ()) if n in names]
        if masked:
            for row in model._default_manager.values_list(*masked):
                found |= {str(v) for v in row if v and len(str(v)) >= 6}
    return found


def walk(client: Client, starts: list[str]) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    todo = deque(starts)
    while todo:
        url = todo.popleft()
        if url in seen:
            continue
        response = client.get(url)
        body = response.content.decode() if response.content else ""
        seen[url] = (response.status_code, body)
        targets = [response["Location"]] if response.status_code in (301, 302) else []
        targets += [next(g for g in m.groups() if g) for m in LINK.finditer(body)]
        for target in targets:
            parts = urlsplit(urljoin("http://testserver" + url, target.replace("&amp;", "&")))
            if parts.netloc != "testserver" or not parts.path.startswith("/public/"):
                continue
            if parts.path == "/public/visit/":
                continue
            address = parts.path + (f"?{parts.query}" if parts.query else "")
            if address not in seen:
                todo.append(address)
    return seen


def test_nothing_that_is_not_public_reaches_a_public_address(secrets: set[str]) -> None:
    hidden = non_public_texts()
    # The scan finds what the ledger hides without being told (and so finds other apps' too).
    assert {"ZQXSECRETLETTER1", "ZQXSECRETOUTCOME2", "ZQXSECRETQUOTE3"} <= hidden
    starts = ["/public/", "/public/sitemap.xml"] + [
        f"/public/{lang}/{page}"
        for lang in ("vi", "en", "zh-hans")
        for page in ("", "feed.rss", "feed.atom")
    ]
    pages = walk(Client(), starts)

    # The walk reached every kind of public page.
    addresses = "\n".join(pages)
    for kind in (
        r"/public/(vi|en|zh-hans)/$",
        r"/articles/[a-z0-9-]+/$",
        r"/figures/\d+/$",
        r"/figures/live/[a-z._]+/$",
        r"/figures/live/[a-z._]+/[A-Z0-9-]+/$",
        r"/partnerships/\d+/$",
        r"/gates/[A-Z0-9-]+/$",
        r"feed\.(rss|atom)$",
        r"sitemap\.xml$",
        r"/public/language/",
    ):
        assert re.search(kind, addresses, re.M), kind
    assert len(pages) > 60
    assert all(status in (200, 302, 404, 410) for status, _body in pages.values())

    leaks = {
        (url, text)
        for url, (_status, body) in pages.items()
        for text in secrets | hidden
        if text in body
    }
    assert leaks == set()
    # Withdrawn, draft and in-review articles have no public address at all.
    for slug in ("zqx-draft", "zqx-review"):
        assert not any(slug in url for url in pages)
    # The control: a public record is shown, and the figures count it and nothing hidden.
    assert any(PUBLIC_CONTROL in body for _status, body in pages.values())
    home = pages["/public/en/"][1]
    letters = re.search(r'data-indicator="station.letters">\s*<span[^>]*>([^<]+)<', home)
    assert letters and letters.group(1).strip() == "1,457 letters"  # 1,456 + the public one


def test_the_anonymous_api_answers_nothing(secrets: set[str]) -> None:
    client = Client()
    for address in ["/api/", "/api/units/", *[f"/api/{spec.slug}/" for spec in registers()]]:
        response = client.get(address)
        assert response.status_code in (401, 403), address
        assert not any(text in response.content.decode() for text in secrets)


def test_no_public_page_depends_on_who_is_logged_in(secrets: set[str], editor: User) -> None:
    """A logged-in editor sees the same public pages: nothing of their clearance leaks into the
    shared cache."""
    staff = Client()
    staff.force_login(editor)
    for url in ("/public/en/", "/public/en/figures/live/station.letters/VN-02-BGS-THANHTHUY/"):
        mine = staff.get(url).content.decode()
        assert not any(text in mine for text in secrets)
        assert "1,457 letters" in mine


def test_staff_pages_and_search_are_closed_to_the_public(secrets: set[str]) -> None:
    """The portal has no search of its own; the staff pages' search and registers ask for a
    login, and the staff home shows nothing of the records."""
    client = Client()
    for address in (
        "/units/",
        f"/units/search/?q={PUBLIC_CONTROL}",
        "/units/search/?q=ZQXSECRET",
        "/r/activities/?q=ZQXSECRET",
        "/history/",
        "/stats/dashboard/VN-P02/",
        "/stats/figure/station.letters/VN-02-BGS-THANHTHUY/",
        "/reports/",
        "/editorial/",
    ):
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], address
    home = client.get("/").content.decode()
    assert not any(text in home for text in secrets)
