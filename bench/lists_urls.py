"""The site's addresses plus one bare view, for bench/lists.py: Django's floor on this server.

`/bench/bare/` answers a fixed JSON body through the same middleware (sessions, CSRF, security
headers, language) and the same server as the API; the API list's throughput is measured
against it. Only the benchmark's server loads this module (bench/lists_settings.py).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from borderlink.urls import urlpatterns as site

BODY = {"count": 1, "next": None, "previous": None, "results": [{"id": 1, "title": "bare"}]}


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse(BODY)


urlpatterns = [path("bench/bare/", bare), *site]
