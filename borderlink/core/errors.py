"""The error pages of the staff site (400, 403, 404, 500): in the page's language, inside the
site's layout, saying what happened and where to go next.

Django calls these as `handler400`… (borderlink/urls.py, which sends the public portal's
addresses to the portal's own pages instead). A record outside the user's reach stays a 404, as
the gate answers (core/permissions.py): the page says the record does not exist *or* is not
theirs to see, never which. The layout needs the database (the user, the menu); when it cannot
be drawn, a plain page in the same words is answered instead, never a second error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorText:
    title: Promise
    what: Promise  # what happened, in the reader's words
    next: Promise  # what to do now


TEXTS: dict[int, ErrorText] = {
    400: ErrorText(
        _("The request could not be understood"),
        _("Something in the address or the form sent was not valid, so nothing was done."),
        _("Go back and try again, or start again from the home page."),
    ),
    403: ErrorText(
        _("You may not do this"),
        _("Your roles do not allow this page or this action."),
        _(
            "If your work needs it, ask an administrator to change your roles; your roles are "
            "listed on “My roles”."
        ),
    ),
    404: ErrorText(
        _("Page not found"),
        _(
            "There is no page at this address, or the record it names does not exist or is "
            "not yours to see."
        ),
        _("Check the address, search for the unit or record, or start again from the home page."),
    ),
    500: ErrorText(
        _("Something went wrong on our side"),
        _(
            "The server could not finish this request. The error has been logged; what you "
            "were doing may not have been saved."
        ),
        _("Try again in a moment. If it happens again, tell an administrator the time shown."),
    ),
}


# A form refused by the CSRF check (Django's CSRF_FAILURE_VIEW): most often a page left open past
# the session, or the session ended by logging out in another tab. Said as what to do.
FORM_EXPIRED = ErrorText(
    _("This form has expired"),
    _(
        "The page was open too long, or you logged out or in again meanwhile, so the form "
        "could not be accepted and nothing was saved."
    ),
    _("Go back, reload the page and send the form again."),
)


def detail_of(exception: BaseException | None) -> str:
    """The gate's own reason for a refusal ("You may not change this record."): our code raises
    PermissionDenied with a translated sentence. Other exceptions' texts are not shown; they may
    be Django's English or name things the reader should not see."""
    if isinstance(exception, PermissionDenied) and exception.args:
        reason = exception.args[0]
        if isinstance(reason, str | Promise):
            return str(reason)
    return ""


def _back(request: HttpRequest) -> str:
    """The page the reader came from, when it is one of ours (a link back, never elsewhere)."""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except Exception:  # a 400 for a host not allowed: no host to compare with
        return ""
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    )
    return referer if referer and ours and referer != request.build_absolute_uri() else ""


def plain_page(status: int, text: ErrorText | None = None) -> str:
    """The error as a page without the layout (used when the layout itself fails)."""
    text = text or TEXTS[status]
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(text.title)}</title>"
        f"</head><body><main><h1>{escape(text.title)}</h1><p>{escape(text.what)}</p>"
        f"<p>{escape(text.next)}</p><p><a href='/'>BorderLink</a></p></main></body></html>"
    )


def error_page(
    request: HttpRequest,
    status: int,
    exception: BaseException | None = None,
    text: ErrorText | None = None,
) -> HttpResponse:
    text = text or TEXTS[status]
    if request.path.startswith("/api/"):  # a program reads JSON, as the API's own errors are
        return JsonResponse({"detail": str(text.title)}, status=status)
    context = {
        "status": status,
        "text": text,
        "detail": detail_of(exception),
        "back": _back(request),
    }
    page: str
    try:
        page = render_to_string("core/error.html", context, request=request)
    except Exception:  # the layout reads the database and the session, which may be what failed
        log.exception("the %s page could not be drawn in the layout", status)
        page = plain_page(status, text)
    return HttpResponse(page, status=status)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 400, exception)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 403, exception)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a 403 that says the form expired (Django's reason is for the
    log, not the reader)."""
    log.info("form refused by the CSRF check: %s", reason)
    return error_page(request, 403, text=FORM_EXPIRED)
