"""Serving public pages fast and cacheable.

`public_page` wraps every public view: the page's language comes from its address
(/public/en/…), the rendered page is kept in Django's cache under the site's generation (bumped
when something is published or withdrawn) and the shared versions of the portal and the figures
(core/cache_versions.py: with a shared cache, a publication or a ledger change through one app
server renews the pages of all), its reads may come from a read replica (core/db_router.py), and
the response says how long any cache may keep
it (Cache-Control: public, max-age), with an ETag for revalidation and a content-security policy
with no inline script. A public response reads no session and sets no cookie, and
`PublicResponseMiddleware` drops the Vary headers the session and locale middleware would add,
so shared caches can keep one copy per address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag

from borderlink.core import cache_versions
from borderlink.core.db_router import reading_from_replica
from borderlink.env import env_int
from borderlink.portal import public

PAGE_SECONDS = env_int("PORTAL_PAGE_SECONDS", 300)
ERROR_SECONDS = 60
# The only query parameters a public page reads; others do not make a new cache entry.
QUERY_KEYS = ("page",)
CACHED_STATUSES = (200, 404, 410)

View = Callable[..., HttpResponse]


def content_security_policy() -> str:
    images = "'self' data:"
    if settings.MAP_TILE_URL:
        parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
        if parts.scheme and parts.netloc:
            images += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Charts are inline SVG whose shapes carry style attributes; no script is inline.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def mark_public(response: HttpResponse, seconds: int) -> HttpResponse:
    """Headers of a public response (see PublicResponseMiddleware for the Vary headers)."""
    patch_cache_control(response, public=True, max_age=seconds)
    response["Content-Security-Policy"] = content_security_policy()
    response["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.portal_public = True  # type: ignore[attr-defined]
    return response


def _key(request: HttpRequest) -> str:
    versions = f"{cache_versions.current('portal')}.{cache_versions.current('figures')}"
    s = public.site()
    generation = f"{s.pk}.{s.generation}" if s else "0"
    query = urlencode(sorted((k, request.GET[k]) for k in QUERY_KEYS if k in request.GET))
    raw = f"{generation}|{versions}|{request.get_host()}|{request.path}|{query}"
    return "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()


def public_page(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        with reading_from_replica():
            return _serve(view, request, *args, **kwargs)

    return wrapped


def _serve(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    key = _key(request)
    entry = cache.get(key)
    if entry is None:
        with translation.override(kwargs.get("lang") or settings.LANGUAGE_CODE):
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render):
                render()
        if response.status_code not in CACHED_STATUSES or response.streaming:
            return response
        entry = (response.status_code, response["Content-Type"], response.content)
        seconds = PAGE_SECONDS if response.status_code == 200 else ERROR_SECONDS
        cache.set(key, entry, seconds)
    status, content_type, content = entry
    etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
    seconds = PAGE_SECONDS if status == 200 else ERROR_SECONDS
    match = parse_etags(request.headers.get("If-None-Match", ""))
    if status == 200 and (etag in match or "*" in match):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type=content_type, status=status)
    response["ETag"] = etag
    if kwargs.get("lang"):
        response["Content-Language"] = kwargs["lang"]
    return mark_public(response, seconds)


class PublicResponseMiddleware:
    """For public pages: no Vary on Cookie or Accept-Language (the address says the language and
    nothing depends on a cookie), and never a cookie. Sits above the session and locale
    middleware in settings.MIDDLEWARE so that it sees their headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "portal_public", False):
            vary = [
                v.strip()
                for v in response.get("Vary", "").split(",")
                if v.strip() and v.strip().lower() not in ("cookie", "accept-language")
            ]
            if vary:
                response["Vary"] = ", ".join(vary)
            elif "Vary" in response:
                del response["Vary"]
            response.cookies.clear()
        return response
