"""The workflow machinery both workflows share (core/workflow.py), on a table of its own: the
editorial workflow's models and wording, with a test table, gate and hooks."""

from __future__ import annotations

import dataclasses
import datetime
import threading
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.core.workflow import Workflow, WorkflowError
from borderlink.places.models import Unit
from borderlink.portal import workflow as editorial
from borderlink.portal.models import Article, ArticleVersion, State, Transition

DAY = datetime.date(2021, 6, 30)
REFUSED_ACTION = "sign"  # the test gate refuses it to everyone but a trusted caller


def version_in(unit: Unit, slug: str = "t-core-workflow") -> ArticleVersion:
    article = Article.objects.create(slug=slug, unit=unit, period_to=DAY, as_of=DAY)
    return ArticleVersion.objects.create(article=article, lang="en", title="A", body="B")


def toy_workflow(calls: list[tuple[str, str, str]], **changes: Any) -> Workflow[Any, Any]:
    """The editorial workflow's models and refusals with this test's table, gate and hooks."""

    def prepare(version: ArticleVersion, source: str, to: str) -> None:
        calls.append(("prepare", source, to))
        version.title = "changed by prepare"
        if version.body == "refuse":
            raise WorkflowError("not this text")

    def after(version: ArticleVersion, source: str, to: str) -> None:
        calls.append(("after", source, to))

    return dataclasses.replace(
        editorial.WORKFLOW,
        moves={
            (State.DRAFT, State.REVIEW): "change",
            (State.REVIEW, State.PUBLISHED): REFUSED_ACTION,
        },
        may=lambda user, action, version: action != REFUSED_ACTION,
        prepare=prepare,
        after=after,
        **changes,
    )


def nothing_recorded(version: ArticleVersion, state: str) -> None:
    version.refresh_from_db()
    assert version.state == state and version.title == "A"
    assert not Transition.objects.filter(version=version).exists()


@pytest.mark.django_db
def test_a_move_not_in_the_table_records_nothing_and_says_why_in_the_users_language() -> None:
    version = version_in(Unit.objects.get(code="VN-P02"))
    calls: list[tuple[str, str, str]] = []
    flow = toy_workflow(calls)
    with translation.override("zh-hans"), pytest.raises(WorkflowError) as refused:
        flow.move(version, State.PUBLISHED)
    assert str(refused.value) == "处于“草案”状态的版本不能转为“已发布”。"
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        flow.move(version, State.PUBLISHED)
    assert str(refused.value) == "A version that is Draft cannot become Published."
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        flow.move(version, "nonsense")  # a forged form: refused like any other move
    assert str(refused.value) == "A version that is Draft cannot become nonsense."
    nothing_recorded(version, State.DRAFT)
    assert calls == []


@pytest.mark.django_db
def test_a_move_the_gate_refuses_records_nothing_unless_the_caller_is_trusted() -> None:
    version = version_in(Unit.objects.get(code="VN-P02"))
    calls: list[tuple[str, str, str]] = []
    flow = toy_workflow(calls)
    flow.move(version, State.REVIEW)
    version.refresh_from_db()
    calls.clear()
    user = User.objects.create_user("t-core-workflow", password="pw-for-tests-only")
    assert flow.moves_for(user, version) == []
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        flow.move(version, State.PUBLISHED, user)
    assert str(refused.value) == "You may not do this to this article."
    version.refresh_from_db()
    assert version.state == State.REVIEW and calls == []
    assert Transition.objects.filter(version=version).count() == 1
    flow.move(version, State.PUBLISHED)  # user None: a command, the demo
    version.refresh_from_db()
    assert version.state == State.PUBLISHED


@pytest.mark.django_db
def test_a_refusal_of_the_apps_own_check_undoes_what_it_began() -> None:
    version = version_in(Unit.objects.get(code="VN-P02"))
    ArticleVersion.objects.filter(pk=version.pk).update(body="refuse")
    calls: list[tuple[str, str, str]] = []
    with pytest.raises(WorkflowError, match="not this text"):
        toy_workflow(calls).move(version, State.REVIEW)
    nothing_recorded(version, State.DRAFT)
    assert calls == [("prepare", "draft", "review")]


@pytest.mark.django_db
def test_a_move_changes_the_state_and_keeps_the_step() -> None:
    version = version_in(Unit.objects.get(code="VN-P02"))
    calls: list[tuple[str, str, str]] = []
    flow = toy_workflow(calls)
    assert flow.moves_for(AnonymousUser(), version) == [State.REVIEW]
    step = flow.move(version, State.REVIEW, AnonymousUser(), "x" * 600)
    version.refresh_from_db()
    assert version.state == State.REVIEW and version.title == "changed by prepare"
    assert calls == [("prepare", "draft", "review"), ("after", "draft", "review")]
    step.refresh_from_db()
    assert (step.from_state, step.to_state, step.actor, len(step.note)) == (
        "draft",
        "review",
        None,  # no one signed in: no actor
        500,
    )
    assert str(step) == f"{version.pk}: draft → review"
    assert step.get_to_state_display() == State.REVIEW.label
    user = User.objects.create_user("t-core-workflow", password="pw-for-tests-only")
    back = dataclasses.replace(flow, moves={(State.REVIEW, State.DRAFT): "change"})
    assert back.move(version, State.DRAFT, user).actor == user
    assert list(Transition.objects.filter(version=version)) == [step, back.step.objects.last()]


@pytest.mark.django_db(transaction=True)
def test_of_two_moves_from_the_same_state_at_once_one_wins() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the race needs PostgreSQL's row locks")
    # A transactional test: the shared demo may be gone, so the test makes its own unit.
    unit = Unit.objects.create(code="t-core-workflow", kind="province", country="VN")
    version = version_in(unit)
    holding = threading.Event()  # the first move is inside, its row locked
    release = threading.Event()

    def prepare(record: ArticleVersion, source: str, to: str) -> None:
        if not holding.is_set():
            holding.set()
            release.wait(10)

    flow = dataclasses.replace(toy_workflow([]), prepare=prepare)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            flow.move(version, State.REVIEW)
            outcomes.append("moved")
        except WorkflowError:
            outcomes.append("refused")
        finally:
            connection.close()

    first = threading.Thread(target=attempt)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=attempt)
    second.start()
    # Let the first finish once the second waits for the row (or, were it not locked, is done).
    with connection.cursor() as cursor:
        for _ in range(200):
            second.join(0.05)
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock'"
            )
            if not second.is_alive() or cursor.fetchone()[0]:
                break
    release.set()
    first.join(10)
    second.join(10)
    assert sorted(outcomes) == ["moved", "refused"]
    assert Transition.objects.filter(version=version).count() == 1
    version.refresh_from_db()
    assert version.state == State.REVIEW
