from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from borderlink.core.context import acting_as


class CurrentUserMiddleware:
    """Makes the request's user the actor of every change written while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, reason="web"):
            return self.get_response(request)
