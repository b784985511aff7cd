"""The editorial workflow of an article version: draft → review → published → withdrawn.

    draft      → review     the author sends the text for review       (permission "change")
    review     → draft      the reviewer sends it back                  ("change")
    review     → published  the figures are frozen, the text goes out   ("publish")
    published  → withdrawn  it leaves every public page, feed and map   ("publish")
    withdrawn  → draft      to correct it and publish again             ("change")

Only a draft can be edited; a published text changes only by being withdrawn, corrected and
published again (with its figures taken anew). Every move is a Transition; every edit a
ChangeRecord. Permissions are the gate's (core.permissions) on the article's unit: "publish" is
an action of its own in accounts/roles.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.core.permissions import AnyUser, can_under
from borderlink.portal.models import Article, ArticleVersion, PublicSite, State, Transition

PUBLISH = "publish"

MOVES: dict[tuple[str, str], str] = {
    (State.DRAFT, State.REVIEW): "change",
    (State.REVIEW, State.DRAFT): "change",
    (State.REVIEW, State.PUBLISHED): PUBLISH,
    (State.PUBLISHED, State.WITHDRAWN): PUBLISH,
    (State.WITHDRAWN, State.DRAFT): "change",
}


class WorkflowError(ValueError):
    pass


def may(user: AnyUser, action: str, article: Article) -> bool:
    return can_under(user, Article, action, article.unit.path)


def moves_for(user: AnyUser, version: ArticleVersion) -> list[str]:
    """The states the user may move the version to now."""
    return [
        to
        for (src, to), action in MOVES.items()
        if src == version.state and may(user, action, version.article)
    ]


@transaction.atomic
def move(version: ArticleVersion, to: str, user: Any = None, note: str = "") -> Transition:
    """Move `version` to state `to`; `user` None means a trusted caller (a command, the demo)."""
    version = (
        ArticleVersion.objects.select_for_update()
        .select_related("article__unit")
        .get(pk=version.pk)
    )
    source = version.state
    action = MOVES.get((source, to))
    if action is None:
        raise WorkflowError(
            _("A version that is %(state)s cannot become %(to)s.")
            % {"state": State(source).label, "to": State(to).label}
        )
    if user is not None and not may(user, action, version.article):
        raise WorkflowError(_("You may not do this to this article."))
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
    version.state = to
    version.save()
    step = Transition.objects.create(
        version=version,
        from_state=source,
        to_state=to,
        actor=user if user is not None and user.is_authenticated else None,
        note=note[:500],
    )
    if State.PUBLISHED in (source, to):
        # Inside the transaction: whoever reads the new generation also reads the new state.
        PublicSite.bump()
        from borderlink.portal import public

        public.forget_site()
    return step
