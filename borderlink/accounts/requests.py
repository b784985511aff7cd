"""The request a view behind `login_required` receives, typed as it is.

django-stubs types `request.user` as a User or an AnonymousUser and knows nothing of what
middleware adds; a view that only a signed-in user reaches annotates its request with this type
instead of casting, or ignoring, at each use.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from borderlink.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request past `login_required`: its user is signed in. `htmx` is set on every request by
    django-htmx's HtmxMiddleware (settings.MIDDLEWARE)."""

    user: User
    htmx: HtmxDetails
