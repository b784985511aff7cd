"""The demo publishes the two seed articles, regenerated from the records, in three languages,
with the English seed's errors corrected."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from borderlink.portal.models import Article, ArticleVersion, PublicSite, State
from tests.portal.conftest import BORDER, FOREIGN
from tests.portal.helpers import text_of

pytestmark = pytest.mark.django_db

# What the English seed (seed-000) got wrong, and what the records say instead.
SEED_ERRORS = ["Malypho", "Thien Bao", "Bien Dien", "Van Son", "Baisha", "1,8 billion", "2,548"]


def test_both_seed_articles_are_published_in_three_languages() -> None:
    for slug, source in ((FOREIGN, "seed-000"), (BORDER, "seed-003")):
        article = Article.objects.get(slug=slug)
        assert article.source is not None and article.source.code == source
        states = dict(article.versions.values_list("lang", "state"))
        assert states == {"vi": State.PUBLISHED, "en": State.PUBLISHED, "zh": State.PUBLISHED}
        for v in article.versions.all():
            steps = list(v.transitions.values_list("to_state", flat=True))
            assert steps == [State.REVIEW, State.PUBLISHED]
            assert v.figures.exists() and v.figures_taken_at is not None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", ["1.456", "322", "2.693", "34/34", "12/12", "hơn 42 tỷ", "Tỉnh Vân Nam"]),
        (
            "en",
            [
                "1,456 letters",
                "2,693 persons",
                "34/34",
                "12/12",
                "more than 42 billion VND",
                "about 1.8 million USD",
                "Tianbao Immigration Border-Guard Station",
                "Wenshan",
            ],
        ),
        ("zh-hans", ["1,456", "2,693", "34/34", "12/12", "天保边境检查站", "云南省"]),
    ],
)
def test_the_foreign_relations_article_gives_the_recorded_figures(
    lang: str, expected: list[str]
) -> None:
    text = text_of(Client().get(f"/public/{lang}/articles/{FOREIGN}/").content)
    for words in expected:
        assert words in text, (lang, words)


def test_the_english_article_corrects_the_seed() -> None:
    for slug in (FOREIGN, BORDER):
        text = text_of(Client().get(f"/public/en/articles/{slug}/").content)
        for wrong in SEED_ERRORS:
            assert wrong not in text, (slug, wrong)
    text = text_of(Client().get(f"/public/en/articles/{FOREIGN}/").content)
    assert "1.8 million USD" in text and "Guangxi Zhuang Autonomous Region" in text


def test_the_border_management_article_gives_the_seed_003_figures() -> None:
    text = text_of(Client().get(f"/public/vi/articles/{BORDER}/").content)
    for words in ("7 huyện", "34 xã", "14", "5/7", "14/14", "20.800"):
        assert words in text, words


def test_every_frozen_figure_is_what_the_engine_gives() -> None:
    """Regenerated from the records: each frozen figure equals a fresh evaluation."""
    from borderlink.portal import markup
    from borderlink.portal.compose import composer
    from borderlink.portal.figures import evaluate

    for v in ArticleVersion.objects.filter(article__slug__in=[FOREIGN, BORDER]):
        comp = composer(v.article.unit, v.article.window, v.lang)
        for frozen in v.figures.all():
            kind, _sep, arg = frozen.token.partition(":")
            ev = evaluate(comp, markup.FigureRef.parse(kind, arg))
            assert ev.figure.value == frozen.value, frozen.token


def test_loading_the_demo_again_changes_nothing() -> None:
    generation = PublicSite.objects.get().generation
    before = list(ArticleVersion.objects.values_list("pk", "state", "published_at"))
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(ArticleVersion.objects.values_list("pk", "state", "published_at")) == before
    assert PublicSite.objects.count() == 1
    assert PublicSite.objects.get().generation >= generation


def test_the_editor_changed_the_generated_text() -> None:
    """The border article leaves out the pairs the sources do not count at 31/12/2020, and its
    chart says what it counts."""
    for lang in ("vi", "en", "zh"):
        body = ArticleVersion.objects.get(article__slug=BORDER, lang=lang).body
        assert "coverage.border_communes_paired" not in body
        assert "coverage.stations_paired" not in body
        assert "{chart:exchanges.all|" in body and "exchanges.all}" not in body
    text = text_of(Client().get(f"/public/en/articles/{BORDER}/").content)
    assert "Exchanges recorded one by one" in text
