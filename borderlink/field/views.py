"""The field app's pages: the app shell (one page that draws every form on the device), its
manifest and service worker, the reference data of the user's scope, and the sync endpoint."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from borderlink.field import reference, sync

# What the service worker keeps for the app to start with no network (besides the shell page).
SHELL_ASSETS = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "borderlink/borderlink.css",
    "field/field.css",
    "field/field.js",
    "field/icon-192.png",
    "field/icon-512.png",
)


def _unauthorised() -> JsonResponse:
    # The device keeps its entries and asks the officer to log in again; no redirect to follow.
    return JsonResponse({"error": _("Log in again to send your entries.")}, status=401)


@login_required
@require_GET
def app(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "field/app.html",
        {
            "strings": _strings(),
            "urls": {
                "scope": reverse("field:scope"),
                "sync": reverse("field:sync"),
                "worker": reverse("field:worker"),
                "login": reverse("login"),
                "logout": reverse("logout"),
            },
        },
    )


def _strings() -> dict[str, str]:
    """The words the device shows, in the page's language (the shell is cached with them)."""
    return {
        "online": pgettext("connection", "Online"),
        "offline": _("Offline: entries are kept on this device"),
        "waiting": _("Waiting to send"),
        "last_sync": _("Last sent"),
        "never": _("never"),
        "failures": _("Not sent"),
        "send_now": _("Send now"),
        "sending": _("Sending…"),
        "save": _("Keep on this device"),
        "cancel": _("Cancel"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "delete_confirm": _("Delete this entry? It has not been sent."),
        "saved": _("Sent"),
        "refused": _("Refused: correct and keep again"),
        "conflict": _("Changed on the server meanwhile"),
        "waiting_parent": _("Waits for the entry it belongs to"),
        "keep_mine": _("Keep mine"),
        "keep_theirs": _("Keep the server's"),
        "mine": _("On this device"),
        "theirs": _("On the server"),
        "required": _("This field is required."),
        "bad_date": _("Enter a date as %(hint)s."),
        "bad_number": _("Enter a whole number."),
        "add_child": _("Add"),
        "children": _("Belonging to it"),
        "export": _("Save unsent entries to a file"),
        "import": _("Load entries from a file"),
        "imported": _("%(count)s entries loaded."),
        "logout": _("Log out"),
        "logout_waiting": _(
            "%(count)s entries have not been sent and will be deleted from this device. "
            "Save them to a file first? Press OK to log out anyway."
        ),
        "login_again": _("Log in again to send your entries."),
        "no_scope": _("Open this page once with a network to download your forms."),
        "recent": _("Recent entries and alerts"),
        "acknowledge": _("Acknowledge"),
        "change": _("Change"),
        "new_entry": _("New entry"),
        "photo_resized": _("Photo kept at %(size)s KB."),
        "storage_persisted": _("This device keeps the entries until they are sent."),
        "storage_not_persisted": _(
            "The browser may clear its storage: save unsent entries to a file now and then."
        ),
        "entry_kept": _("Kept on this device."),
        "sheet": _("Log sheet"),
    }


@login_required
@require_GET
@never_cache
@gzip_page  # names and codes compress ~5×: what counts on a slow mountain link
def scope(request: HttpRequest) -> HttpResponse:
    body = reference.snapshot(request.user, timezone.localdate())
    tag = f'"{body["version"]}"'
    if request.headers.get("If-None-Match") == tag:
        return HttpResponse(status=304, headers={"ETag": tag})
    response = JsonResponse(
        body, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )
    response["ETag"] = tag
    return response


@require_POST
@never_cache
def sync_entries(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _unauthorised()
    try:
        body = json.loads(request.body or b"{}")
        entries = sync.entries_of(body)
    except (ValueError, sync.BatchError) as exc:
        message = str(exc) if isinstance(exc, sync.BatchError) else _("The request is not JSON.")
        return JsonResponse({"error": message}, status=400)
    results = sync.apply(request.user, entries)
    return JsonResponse({"results": [r.as_json() for r in results]})


def _asset_version() -> str:
    digest = hashlib.sha256()
    for asset in SHELL_ASSETS:
        path = finders.find(asset)
        if isinstance(path, str):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@require_GET
def worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /field/ so that it controls the field app's pages."""
    path = finders.find("field/sw.js")
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    config: dict[str, Any] = {
        "version": _asset_version(),
        "shell": reverse("field:app"),
        "scope": reverse("field:scope"),
        "assets": [static(a) for a in SHELL_ASSETS],
    }
    body = f"const CONFIG = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("field:app")
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("BorderLink field app"),
        "short_name": "BorderLink",
        "description": _("Record the border work with or without a network."),
        "start_url": reverse("field:app"),
        "scope": reverse("field:app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(
        body,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
