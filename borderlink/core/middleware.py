from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from borderlink.core.context import acting_as


class CurrentUserMiddleware:
    """Makes the request's user the actor of every change written while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, reason="web"):
            return self.get_response(request)


class RejectNulMiddleware:
    """Answers 400 to a request carrying a NUL character in a parameter, a form field or a JSON
    body. PostgreSQL cannot store or even compare text containing NUL, so such input would
    otherwise fail deep inside a lookup; no user types one. Uploaded files are not inspected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return HttpResponseBadRequest(_("The request contains a NUL character."))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or any(
            "\x00" in k or "\x00" in v for k, values in request.GET.lists() for v in values
        ):
            return True
        content_type = request.content_type or ""
        form_types = ("multipart/form-data", "application/x-www-form-urlencoded")
        if request.method in ("POST", "PUT", "PATCH") and content_type.startswith(form_types):
            return any(
                "\x00" in k or "\x00" in v for k, values in request.POST.lists() for v in values
            )
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            body = request.body
            return b"\x00" in body or b"\\u0000" in body.lower()
        return False


def content_security_policy(inline_scripts: bool = False) -> str:
    """The policy of every page: scripts and everything else from this site only; inline style
    attributes are allowed (charts are inline SVG), inline scripts are not."""
    images = "'self' data:"
    if settings.MAP_TILE_URL:
        parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
        if parts.scheme and parts.netloc:
            images += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
    scripts = "'self' 'unsafe-inline'" if inline_scripts else "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


# drf-spectacular's Swagger page starts itself with an inline script; only it may run one.
INLINE_SCRIPT_PATHS = ("/api/docs/",)


class ContentSecurityPolicyMiddleware:
    """Sends a Content-Security-Policy on every response that has none (the public portal sets
    its own, the same, on its cached pages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            inline = request.path.startswith(INLINE_SCRIPT_PATHS)
            response["Content-Security-Policy"] = content_security_policy(inline)
        return response
