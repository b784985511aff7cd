"""Who is acting, for the change history: set per request by the middleware, per command by hand."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("borderlink_actor", default=None)
_reason: contextvars.ContextVar[str] = contextvars.ContextVar("borderlink_reason", default="")


def current_actor() -> Any:
    return _actor.get()


def current_reason() -> str:
    return _reason.get()


@contextmanager
def acting_as(user: Any, reason: str = "") -> Iterator[None]:
    token_user = _actor.set(user)
    token_reason = _reason.set(reason)
    try:
        yield
    finally:
        _actor.reset(token_user)
        _reason.reset(token_reason)


def become(user: Any, reason: str) -> None:
    """Within a request already wrapped by `acting_as` (CurrentUserMiddleware, which restores
    the outer actor when the request ends): the user who authenticated only later, inside the
    view — an API token is read by the API view, after the middleware ran."""
    _actor.set(user)
    _reason.set(reason)
