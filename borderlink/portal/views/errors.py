"""The public site's error pages (400, 403, 404, 500): in the language of the address, inside the
portal's layout, with the way back to its pages. borderlink/urls.py sends every address under
/public/ here; the staff site's pages are core/errors.py, whose words the portal shares where
they fit a visitor.

Like every public page these read no session and set no cookie; a 404 may be kept by caches
for a minute (caching.ERROR_SECONDS), the others not at all.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from borderlink.core import errors
from borderlink.portal.caching import ERROR_SECONDS, mark_public
from borderlink.portal.langs import LANGS
from borderlink.portal.views.public import _named, _page

log = logging.getLogger(__name__)

_LANG_IN_PATH = re.compile(r"^/public/(?P<lang>vi|en|zh-hans)(/|$)")

TEXTS: dict[int, errors.ErrorText] = {
    **errors.TEXTS,
    403: errors.ErrorText(
        _("This page is not public"),
        _("The page you asked for is not open to the public."),
        _("The province's public pages are listed below."),
    ),
    404: errors.ErrorText(
        _("Page not found"),
        _("There is no public page at this address. It may have been moved or withdrawn."),
        _("Start again from the home page, or look through the articles, partnerships and gates."),
    ),
}


def is_public(request: HttpRequest) -> bool:
    return request.path == "/public" or request.path.startswith("/public/")


def language_of(request: HttpRequest) -> str:
    """The address's language (/public/en/…), else the visitor's chosen one, else Vietnamese."""
    found = _LANG_IN_PATH.match(request.path)
    if found:
        return found["lang"]
    remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return remembered if remembered in LANGS else settings.LANGUAGE_CODE


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    lang = language_of(request)
    with translation.override(lang):
        try:
            response = _page(
                request,
                lang,
                "portal/error.html",
                {"status": status, "text": TEXTS[status]},
                _named("portal:home"),
                status=status,
            )
        except Exception:  # no site set up, or the database is what failed: a plain page
            log.exception("the public %s page could not be drawn in the layout", status)
            response = HttpResponse(errors.plain_page(status), status=status)
        response["Content-Language"] = lang
    if status == 404:
        return mark_public(response, ERROR_SECONDS)
    mark_public(response, 0)
    add_never_cache_headers(response)
    return response
