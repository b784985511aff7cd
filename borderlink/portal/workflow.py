"""The editorial workflow of an article version: draft → review → published → withdrawn.

    draft      → review     the author sends the text for review       (permission "change")
    review     → draft      the reviewer sends it back                  ("change")
    review     → published  the figures are frozen, the text goes out   ("publish")
    published  → withdrawn  it leaves every public page, feed and map   ("publish")
    withdrawn  → draft      to correct it and publish again             ("change")

Only a draft can be edited; a published text changes only by being withdrawn, corrected and
published again (with its figures taken anew). Every move is a Transition; every edit a
ChangeRecord. Permissions are the gate's (core.permissions) on the article's unit: "publish" is
an action of its own in accounts/roles.py. The machinery (the row lock, the table, the refusals,
the step) is core/workflow.py's; this module gives it the editorial table and checks.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderlink.core.permissions import AnyUser, can_under
from borderlink.core.workflow import Workflow, WorkflowError
from borderlink.portal.models import Article, ArticleVersion, PublicSite, State, Transition

__all__ = ["MOVES", "PUBLISH", "WORKFLOW", "WorkflowError", "may", "move", "moves_for"]

PUBLISH = "publish"

MOVES: dict[tuple[str, str], str] = {
    (State.DRAFT, State.REVIEW): "change",
    (State.REVIEW, State.DRAFT): "change",
    (State.REVIEW, State.PUBLISHED): PUBLISH,
    (State.PUBLISHED, State.WITHDRAWN): PUBLISH,
    (State.WITHDRAWN, State.DRAFT): "change",
}


def may(user: AnyUser, action: str, article: Article) -> bool:
    return can_under(user, Article, action, article.unit.path)


def _prepare(version: ArticleVersion, source: str, to: str) -> None:
    now = timezone.now()
    if to == State.PUBLISHED:
        from borderlink.portal.figures import freeze

        if not version.title.strip() or not version.body.strip():
            raise WorkflowError(_("A version needs a title and a text to be published."))
        freeze(version, now)  # raises FreezeError with every problem in the text
        version.published_at = now
        version.withdrawn_at = None
    elif to == State.WITHDRAWN:
        version.withdrawn_at = now


def _after(version: ArticleVersion, source: str, to: str) -> None:
    if State.PUBLISHED in (source, to):
        # Inside the transaction: whoever reads the new generation also reads the new state.
        PublicSite.bump()
        from borderlink.portal import public

        public.forget_site()


WORKFLOW: Workflow[ArticleVersion, Transition] = Workflow(
    model=ArticleVersion,
    state_field="state",
    states=State,
    moves=MOVES,
    may=lambda user, action, version: may(user, action, version.article),
    step=Transition,
    cannot_become=gettext_lazy("A version that is %(state)s cannot become %(to)s."),
    not_allowed=gettext_lazy("You may not do this to this article."),
    related=("article__unit",),
    prepare=_prepare,
    after=_after,
)


def moves_for(user: AnyUser, version: ArticleVersion) -> list[str]:
    """The states the user may move the version to now."""
    return WORKFLOW.moves_for(user, version)


def move(version: ArticleVersion, to: str, user: Any = None, note: str = "") -> Transition:
    """Move `version` to state `to`; `user` None means a trusted caller (a command, the demo)."""
    return WORKFLOW.move(version, to, user, note)
