"""Articles: built from a report template, edited, reviewed, published with frozen figures,
withdrawn; the history kept at every step; only those allowed may move them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.models import ChangeRecord
from borderlink.ledger.models import AggregateReturn
from borderlink.places.models import Unit
from borderlink.portal import figures, markup
from borderlink.portal.compose import draft_from_template
from borderlink.portal.models import Article, ArticleVersion, State, Transition
from borderlink.portal.workflow import WorkflowError, move, moves_for
from borderlink.stats.engine import Window
from tests.portal.conftest import FOREIGN, version
from tests.portal.helpers import DAY, make_article, text_of
from tests.typed import Login

pytestmark = pytest.mark.django_db

STATION = "VN-02-BGS-THANHTHUY"


def test_a_draft_keeps_the_template_figures_as_references() -> None:
    draft = draft_from_template(
        "foreign-relations", Unit.objects.get(code="VN-P02"), Window(None, DAY, DAY), "en"
    )
    assert "## 1. Overview" in draft.body
    assert "{name:VN-P02}" in draft.body
    assert f"{{fig:station.letters@{STATION}}}" in draft.body
    assert "{money:aid.received_value:USD}" in draft.body
    assert f"{{table:station.letters@{STATION} " in draft.body
    assert "1,456" not in draft.body  # a reference, not a number typed into the text
    assert figures.check(markup.parse(draft.body)) == []


def test_the_text_reads_back_as_it_was_written() -> None:
    text = (
        "## Heading\n\nA {fig:station.letters@VN-02-BGS-THANHTHUY} and {name:CN-530000}.\n\n"
        "{table:station.talks@VN-02-BGS-THANHTHUY aid.received_value|Caption}\n\n"
        "{chart:exchanges.all|Per year}\n"
    )
    parsed = markup.parse(text)
    assert markup.to_text(parsed.blocks) == text
    assert [r.token for r in parsed.figure_refs()] == [
        "fig:station.letters@VN-02-BGS-THANHTHUY",
        "fig:station.talks@VN-02-BGS-THANHTHUY",
        "fig:aid.received_value",
    ]


def _new(client: Client, slug: str, langs: list[str], unit: str = "VN-P02") -> Article:
    response = client.post(
        "/editorial/new/",
        {
            "template": "foreign-relations",
            "unit": unit,
            "period_to": "2021-06-30",
            "as_of": "2021-06-30",
            "slug": slug,
            "langs": langs,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(slug=slug)


def test_an_editor_writes_reviews_and_publishes(editor: User, client_of: Login) -> None:
    client: Client = client_of(editor)
    art = _new(client, "t-foreign", ["en"])
    v = art.versions.get(lang="en")
    assert v.state == State.DRAFT and not art.versions.filter(lang="vi").exists()

    body = v.body + "\nThe residents' agreement was signed with {name:CN-532624-TIANBAO}.\n"
    response = client.post(
        f"/editorial/{art.pk}/en/edit/",
        {"title": "An edited title", "lead": "A lead about {name:CN-532624}.", "body": body},
    )
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.title == "An edited title"

    client.post(f"/editorial/{art.pk}/en/state/", {"to": State.REVIEW})
    client.post(f"/editorial/{art.pk}/en/state/", {"to": State.PUBLISHED, "note": "checked"})
    v.refresh_from_db()
    assert v.state == State.PUBLISHED and v.published_at and v.figures_taken_at
    frozen = {f.token: f for f in v.figures.all()}
    assert frozen[f"fig:station.letters@{STATION}"].text == "1,456 letters"
    assert frozen[f"fig:station.letters@{STATION}"].value == 1456
    assert frozen["money:aid.received_value:USD"].text.startswith("about 1.8 million USD")
    assert frozen["fig:coverage.stations_paired"].text == "12/12"
    steps = list(v.transitions.values_list("from_state", "to_state", "actor", "note"))
    assert steps == [
        (State.DRAFT, State.REVIEW, editor.pk, ""),
        (State.REVIEW, State.PUBLISHED, editor.pk, "checked"),
    ]
    # Every edit is in the change history, with who made it and what it was before.
    edits = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticleVersion), object_id=str(v.pk)
    )
    assert any(
        c.changes.get("title", [None, None])[1] == "An edited title" and c.actor_id == editor.pk
        for c in edits
    )

    page = Client().get("/public/en/articles/t-foreign/")
    assert page.status_code == 200
    text = text_of(page.content)
    assert "An edited title" in text and "Tianbao Town" in text and "Malipo County" in text
    assert "1,456 letters" in text


def test_only_a_draft_can_be_edited(editor: User, client_of: Login) -> None:
    client: Client = client_of(editor)
    v = version(FOREIGN, "en")
    assert v.state == State.PUBLISHED
    response = client.post(
        f"/editorial/{v.article_id}/en/edit/", {"title": "Changed", "lead": "", "body": "x"}
    )
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.title != "Changed"


def test_publishing_skips_no_step() -> None:
    art = make_article("t-skip", publish=False)
    v = art.versions.get()
    with pytest.raises(WorkflowError):
        move(v, State.PUBLISHED)
    with pytest.raises(WorkflowError):
        move(v, State.WITHDRAWN)
    v.refresh_from_db()
    assert v.state == State.DRAFT and not v.figures.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{fig:no.such.indicator}", "There is no indicator no.such.indicator"),
        ("{fig:station.letters@NO-SUCH-UNIT}", "No unit has the code NO-SUCH-UNIT"),
        ("{fig:trade.turnover_as_printed}", "is not public"),
        ("{money:station.letters:USD}", "is not an amount of money"),
        ("{money:aid.received_value:XXX}", "is not a currency code"),
        ("{figure:station.letters}", "is not a reference the portal knows"),
        ("{chart:no.such.indicator}", "There is no indicator no.such.indicator"),
    ],
)
def test_a_wrong_reference_is_refused(
    body: str, error: str, editor: User, client_of: Login
) -> None:
    client: Client = client_of(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    art = make_article("t-wrong", publish=False)
    response = client.post(
        f"/editorial/{art.pk}/vi/edit/", {"title": "T", "lead": "", "body": f"Text.\n\n{body}\n"}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert body not in art.versions.get().body


def test_a_lead_holds_names_only(editor: User, client_of: Login) -> None:
    client: Client = client_of(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    art = make_article("t-lead", publish=False)
    response = client.post(
        f"/editorial/{art.pk}/vi/edit/",
        {"title": "T", "lead": "{fig:station.letters}", "body": "Text."},
    )
    assert "only {name:UNIT} references" in response.content.decode()


def test_withdrawing_keeps_the_history_and_allows_a_correction(editor: User) -> None:
    v = version(FOREIGN, "en")
    move(v, State.WITHDRAWN, editor, "a correction is needed")
    assert Client().get(f"/public/en/articles/{FOREIGN}/").status_code == 410
    move(v, State.DRAFT, editor)
    v.refresh_from_db()
    v.title = "Corrected"
    v.save()
    move(v, State.REVIEW, editor)
    move(v, State.PUBLISHED, editor)
    states = list(
        Transition.objects.filter(version=v).values_list("to_state", flat=True).order_by("id")
    )
    assert states[-4:] == [State.WITHDRAWN, State.DRAFT, State.REVIEW, State.PUBLISHED]
    assert states[:2] == [State.REVIEW, State.PUBLISHED]  # the demo's first publication


def test_a_district_officer_writes_but_does_not_publish(
    vixuyen_officer: User, dongvan_officer: User, client_of: Login
) -> None:
    client: Client = client_of(vixuyen_officer)
    art = _new(client, "t-vixuyen", ["vi"], unit="VN-D030")
    v = art.versions.get()
    assert moves_for(vixuyen_officer, v) == [State.REVIEW]
    client.post(f"/editorial/{art.pk}/vi/state/", {"to": State.REVIEW})
    v.refresh_from_db()
    assert v.state == State.REVIEW
    assert moves_for(vixuyen_officer, v) == [State.DRAFT]
    client.post(f"/editorial/{art.pk}/vi/state/", {"to": State.PUBLISHED})
    v.refresh_from_db()
    assert v.state == State.REVIEW
    with pytest.raises(WorkflowError):
        move(v, State.PUBLISHED, vixuyen_officer)
    # Another district's officer does not see it; nobody may write about a unit outside scope.
    other: Client = client_of(dongvan_officer)
    assert other.get(f"/editorial/{art.pk}/").status_code == 404
    assert other.get(f"/editorial/{version(FOREIGN, 'en').article_id}/").status_code == 404
    response = other.post(
        "/editorial/new/",
        {
            "template": "foreign-relations",
            "unit": "VN-D030",
            "period_to": "2021-06-30",
            "slug": "t-dongvan",
            "langs": ["vi"],
        },
    )
    assert response.status_code == 200 and not Article.objects.filter(slug="t-dongvan").exists()


def test_anonymous_visitors_reach_no_editorial_page() -> None:
    art = make_article("t-anon", publish=False)
    for url in (
        "/editorial/",
        "/editorial/new/",
        f"/editorial/{art.pk}/",
        f"/editorial/{art.pk}/vi/preview/",
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_frozen_figures_do_not_follow_later_records(editor: User) -> None:
    v = version(FOREIGN, "en")
    frozen = v.figures.get(token=f"fig:station.letters@{STATION}")
    log = AggregateReturn.objects.get(
        home_unit__code=STATION, kind="letter", measure="count", period_to=DAY
    )
    log.value = 1500
    log.save()
    article = text_of(Client().get(f"/public/en/articles/{FOREIGN}/").content)
    assert "1,456 letters" in article and "1,500" not in article
    page = Client().get(f"/public/en/figures/{frozen.pk}/")
    text = text_of(page.content)
    assert "1,456 letters" in text  # as published
    assert "The records now give 1,500 letters" in text  # and what the engine says today


def test_the_preview_shows_live_figures(editor: User, client_of: Login) -> None:
    client: Client = client_of(editor)
    art = make_article("t-preview", langs=("zh",), publish=False)
    response = client.get(f"/editorial/{art.pk}/zh/preview/")
    text = text_of(response.content)
    assert response.status_code == 200 and "1,456" in text and "天保边境检查站" in text
