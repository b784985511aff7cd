"""The public site: pages in the language of their address, rendered from cached figures.

Every view here goes through `caching.public_page` and reads only what `portal.public` allows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from borderlink.places.models import Unit
from borderlink.places.scope import default_as_of
from borderlink.portal import explain, figures, markup, public, visits
from borderlink.portal import render as body
from borderlink.portal.caching import public_page
from borderlink.portal.gates import find_gate, public_gates
from borderlink.portal.langs import ARTICLE_LANG, HREFLANG, LANGS, LANGUAGE_NAMES
from borderlink.portal.models import Article, FrozenFigure, PublicSite, State
from borderlink.reports.compose import unit_name
from borderlink.stats import indicators
from borderlink.stats.engine import Figure, Window, activities_behind

ACTIVITIES_SHOWN = 100

UrlFor = Callable[[str], str | None]


def _site() -> PublicSite:
    s = public.site()
    if s is None:
        raise Http404(_("The public portal has not been set up yet."))
    return s


def _alternates(request: HttpRequest, url_for: UrlFor) -> list[dict[str, str]]:
    out = []
    for code in LANGS:
        url = url_for(code)
        if url:
            out.append(
                {
                    "code": code,
                    "hreflang": HREFLANG[code],
                    "name": LANGUAGE_NAMES[code],
                    "url": request.build_absolute_uri(url),
                    "path": url,
                }
            )
    return out


def _named(name: str, *args: Any) -> UrlFor:
    def url_for(code: str) -> str | None:
        try:
            return reverse(name, args=[code, *args])
        except NoReverseMatch:
            return None

    return url_for


def _page(
    request: HttpRequest,
    lang: str,
    template: str,
    context: dict[str, Any],
    url_for: UrlFor,
    status: int = 200,
) -> HttpResponse:
    s = _site()
    alternates = _alternates(request, url_for)
    canonical = next((a["url"] for a in alternates if a["code"] == lang), "")
    switch = []
    for code in LANGS:
        target = url_for(code) or reverse("portal:home", args=[code])
        switch.append(
            {
                "code": code,
                "hreflang": HREFLANG[code],
                "name": LANGUAGE_NAMES[code],
                "url": reverse("portal:language", args=[code]) + "?next=" + quote(target),
                "current": code == lang,
            }
        )
    base = {
        "site": s,
        "site_name": s.name(lang),
        "url_lang": lang,
        "lang": ARTICLE_LANG[lang],
        "html_lang": HREFLANG[lang],
        "alternates": alternates,
        "x_default": next((a["url"] for a in alternates if a["code"] == "vi"), ""),
        "canonical": canonical if status == 200 else "",
        "switch": switch,
        "visits": visits.summary(timezone.localdate()),
        "feed_rss": reverse("portal:feed-rss", args=[lang]),
        "feed_atom": reverse("portal:feed-atom", args=[lang]),
    }
    return render(request, template, {**base, **context}, status=status)


# Entry points that are not pages ------------------------------------------------------------


def root(request: HttpRequest) -> HttpResponse:
    """/public/: the visitor's remembered language (a cookie they chose), else Vietnamese."""
    remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    lang = remembered if remembered in LANGS else settings.LANGUAGE_CODE
    response = HttpResponseRedirect(reverse("portal:home", args=[lang]))
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


def choose_language(request: HttpRequest, lang: str) -> HttpResponse:
    """A language link: remembers the choice (the language cookie, as the staff pages' switcher
    sets it) and goes to the page in that language."""
    target = request.GET.get("next", "")
    if not target.startswith("/public/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home", args=[lang])
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
def visit(request: HttpRequest) -> HttpResponse:
    """One page view (see portal.visits): counted, nothing about the visitor kept."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin", "")
    same_origin = site == "same-origin" or (
        site is None and origin and origin.split("://", 1)[-1] == request.get_host()
    )
    if not same_origin:
        return HttpResponseBadRequest()
    visits.record(timezone.localdate(), request)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


# Pages ---------------------------------------------------------------------------------------


@public_page
def home(request: HttpRequest, lang: str) -> HttpResponse:
    s = _site()
    key = ARTICLE_LANG[lang]
    latest = list(public.published(key).order_by("-published_at", "-pk")[:6])
    layers = public.layers(s, key, lang)
    window = figures.site_window(s)
    tiles = []
    for h in figures.headline(s, key):
        args = [lang, h.ref.code, *([h.ref.unit] if h.ref.unit else [])]
        name = "portal:live-figure-unit" if h.ref.unit else "portal:live-figure"
        tiles.append({"h": h, "url": reverse(name, args=args)})
    context = {
        "tiles": tiles,
        "window": window,
        "latest": body.listed(latest),
        **layers,
    }
    return _page(request, lang, "portal/home.html", context, _named("portal:home"))


@public_page
def articles(request: HttpRequest, lang: str) -> HttpResponse:
    key = ARTICLE_LANG[lang]
    versions = public.published(key).order_by("-published_at", "-pk")
    page = Paginator(versions, 20).get_page(request.GET.get("page"))
    rows = body.listed(list(page.object_list))
    return _page(
        request,
        lang,
        "portal/articles.html",
        {"page": page, "rows": rows},
        _named("portal:articles"),
    )


def _article_url(slug: str, published: set[str]) -> UrlFor:
    def url_for(code: str) -> str | None:
        if ARTICLE_LANG[code] not in published:
            return None
        return reverse("portal:article", args=[code, slug])

    return url_for


@public_page
def article(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    key = ARTICLE_LANG[lang]
    art = Article.objects.filter(slug=slug).select_related("source", "unit").first()
    if art is None:
        raise Http404(_("No such article."))
    versions = {v.lang: v for v in art.versions.all()}
    published = {k for k, v in versions.items() if v.state == State.PUBLISHED}
    url_for = _article_url(slug, published)
    others = [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "hreflang": HREFLANG[code],
            "title": body.plain(versions[ARTICLE_LANG[code]].title, ARTICLE_LANG[code]),
            "url": url_for(code),
        }
        for code in LANGS
        if ARTICLE_LANG[code] in published and code != lang
    ]
    version = versions.get(key)
    if version is None or version.state != State.PUBLISHED:
        if not published:
            raise Http404(_("No such article."))
        withdrawn = version is not None and version.state == State.WITHDRAWN
        return _page(
            request,
            lang,
            "portal/missing.html",
            {"others": others, "withdrawn": withdrawn},
            url_for,
            status=410 if withdrawn else 404,
        )
    rendered = body.frozen(version, lang)
    url = request.build_absolute_uri(reverse("portal:article", args=[lang, slug]))
    title = body.plain(version.title, key)
    context = {
        "version": version,
        "article": art,
        "title": title,
        "lead": body.plain(version.lead, key),
        "rendered": rendered,
        "others": others,
        "share": share_links(url, title, key),
    }
    return _page(request, lang, "portal/article.html", context, url_for)


def share_links(url: str, title: str, lang: str) -> list[dict[str, str]]:
    """Plain addresses of the sharing services: no script or image of theirs on our pages."""
    u, t = quote(url, safe=""), quote(title, safe="")
    links = [
        {"name": "Facebook", "url": f"https://www.facebook.com/sharer/sharer.php?u={u}"},
        {"name": "X (Twitter)", "url": f"https://twitter.com/intent/tweet?url={u}&text={t}"},
        {"name": "Zalo", "url": f"https://zalo.me/share?url={u}"},
    ]
    if lang == "zh":
        links.append(
            {"name": "微博", "url": f"https://service.weibo.com/share/share.php?url={u}&title={t}"}
        )
    links.append({"name": _("E-mail"), "url": f"mailto:?subject={t}&body={u}"})
    return links


# Figures -------------------------------------------------------------------------------------


def _behind(fig: Figure, unit: Unit, window: Window) -> dict[str, Any]:
    """The public records behind a figure (never more than public clearance lets through)."""
    context: dict[str, Any] = {"fig": fig}
    if fig.indicator.rule == "ledger":
        qs = public.activities(activities_behind(fig, unit, window, public.PUBLIC))
        context["activities"] = list(qs.order_by("-occurred_on", "-id")[:ACTIVITIES_SHOWN])
        context["activities_total"] = qs.count()
    return context


@public_page
def frozen_figure(request: HttpRequest, lang: str, pk: int) -> HttpResponse:
    key = ARTICLE_LANG[lang]
    frozen = (
        FrozenFigure.objects.filter(pk=pk, version__state=State.PUBLISHED, version__lang=key)
        .select_related("version__article", "unit")
        .first()
    )
    if frozen is None or not figures.is_public(frozen.indicator):
        raise Http404(_("No such figure."))
    version = frozen.version
    ref = markup.FigureRef("fig", frozen.indicator, frozen.unit.code)
    now = figures.live(frozen.unit, frozen.window, ref, key)
    siblings = {
        f.version.lang: f.pk
        for f in FrozenFigure.objects.filter(
            version__article=version.article, version__state=State.PUBLISHED, token=frozen.token
        ).select_related("version")
    }

    def url_for(code: str) -> str | None:
        pk_ = siblings.get(ARTICLE_LANG[code])
        return reverse("portal:frozen-figure", args=[code, pk_]) if pk_ else None

    ind = indicators.get(frozen.indicator)
    context = {
        "name": ind.name(key),
        "describe": explain.describe(ind),
        "frozen": frozen,
        "version": version,
        "version_title": body.plain(version.title, key),
        "article_url": reverse("portal:article", args=[lang, version.article.slug]),
        "live_text": now.text,
        "changed": now.figure.value != frozen.value,
        "unit": frozen.unit,
        "window": frozen.window,
        "sources": frozen.sources,
        **_behind(now.figure, frozen.unit, frozen.window),
    }
    return _page(request, lang, "portal/figure.html", context, url_for)


def _live_unit(s: PublicSite, code: str | None) -> Unit:
    if not code:
        return s.unit
    unit = Unit.objects.filter(code=code, path__startswith=s.unit.path).first()
    if unit is None:
        raise Http404(_("No such figure."))
    return unit


@public_page
def live_figure(
    request: HttpRequest, lang: str, code: str, unit: str | None = None
) -> HttpResponse:
    """A figure of the site's unit (or a unit inside it) as the engine gives it now."""
    s = _site()
    if not figures.is_public(code):
        raise Http404(_("No such figure."))
    where = _live_unit(s, unit)
    site_window = figures.site_window(s)
    as_of = min(site_window.as_of, default_as_of(where, site_window.as_of))
    window = Window(None, min(site_window.end, as_of), as_of)
    key = ARTICLE_LANG[lang]
    ref = markup.FigureRef("fig", code)
    now = figures.live(where, window, ref, key)
    ind = indicators.get(code)
    name = "portal:live-figure-unit" if unit else "portal:live-figure"
    context = {
        "name": ind.name(key),
        "describe": explain.describe(ind),
        "live_text": now.text,
        "unit": where,
        "window": window,
        "sources": now.sources,
        **_behind(now.figure, where, window),
    }
    return _page(
        request,
        lang,
        "portal/figure.html",
        context,
        _named(name, code, *([unit] if unit else [])),
    )


# Partnerships and gates ----------------------------------------------------------------------


@public_page
def partnerships(request: HttpRequest, lang: str) -> HttpResponse:
    s, key = _site(), ARTICLE_LANG[lang]
    rows = [(p, public.partnership_title(p, key)) for p in public.partnerships(s)]
    return _page(
        request, lang, "portal/partnerships.html", {"rows": rows}, _named("portal:partnerships")
    )


@public_page
def partnership(request: HttpRequest, lang: str, pk: int) -> HttpResponse:
    s, key = _site(), ARTICLE_LANG[lang]
    tie = public.partnerships(s).filter(pk=pk).first()
    if tie is None:
        raise Http404(_("No such partnership."))
    acts = public.activities(tie.activities.all()).order_by("-occurred_on", "-id")
    station_figures = []
    ours = list(tie.our_units.all())
    if tie.kind == tie.Kind.STATION and ours:
        station = ours[0]
        codes = [
            c for c in indicators.registry() if c.startswith("station.") and figures.is_public(c)
        ]
        for code in codes:
            station_figures.append(
                {
                    "name": indicators.get(code).name(key),
                    "url": reverse("portal:live-figure-unit", args=[lang, code, station.code])
                    if station.path.startswith(s.unit.path)
                    else "",
                    "code": code,
                }
            )
    context = {
        "tie": tie,
        "title": public.partnership_title(tie, key),
        "since": public.year_of(tie.started_on),
        "until": public.year_of(tie.ended_on),
        "programme": _programme_name(tie, key),
        "activities": list(acts[:ACTIVITIES_SHOWN]),
        "station_figures": station_figures,
        "ours": ours,
        "theirs": list(tie.their_units.all()),
    }
    return _page(
        request, lang, "portal/partnership.html", context, _named("portal:partnership", pk)
    )


def _programme_name(tie: Any, lang: str) -> str:
    p = tie.programme
    if p is None:
        return ""
    return {"vi": p.name_vi, "en": p.name_en, "zh": p.name_zh}.get(lang) or p.name_vi


@public_page
def gates(request: HttpRequest, lang: str) -> HttpResponse:
    s, key = _site(), ARTICLE_LANG[lang]
    found = public_gates(s)
    context = {"gates": found, "geojson": public.map_features(s, key, lang, found, [])}
    return _page(request, lang, "portal/gates.html", context, _named("portal:gates"))


@public_page
def gate(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    s, key = _site(), ARTICLE_LANG[lang]
    found = find_gate(s, code)
    if found is None:
        raise Http404(_("No such border gate."))
    context = {
        "gate": found,
        "name": unit_name(found.unit, key),
        "geojson": public.map_features(s, key, lang, [found], []),
    }
    return _page(request, lang, "portal/gate.html", context, _named("portal:gate", code))


# Everything public, for search engines -------------------------------------------------------


def public_addresses() -> list[list[dict[str, str]]]:
    """Every public page as its language versions ({code, hreflang, path}), one group per page."""
    s = public.site()
    groups: list[list[dict[str, str]]] = []

    def group(url_for: UrlFor) -> None:
        items = []
        for code in LANGS:
            path = url_for(code)
            if path:
                items.append({"code": code, "hreflang": HREFLANG[code], "path": path})
        if items:
            groups.append(items)

    if s is None:
        return groups
    group(_named("portal:home"))
    group(_named("portal:articles"))
    by_article: dict[int, set[str]] = {}
    slugs: dict[int, str] = {}
    for v in public.published():
        by_article.setdefault(v.article_id, set()).add(v.lang)
        slugs[v.article_id] = v.article.slug
    for article_id, langs in sorted(by_article.items()):
        group(_article_url(slugs[article_id], langs))
    group(_named("portal:partnerships"))
    for tie in public.partnerships(s):
        group(_named("portal:partnership", tie.pk))
    group(_named("portal:gates"))
    for g in public_gates(s):
        group(_named("portal:gate", g.code))
    for ref in figures.headline_refs(s):
        if ref.unit:
            group(_named("portal:live-figure-unit", ref.code, ref.unit))
        else:
            group(_named("portal:live-figure", ref.code))
    return groups


@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    groups = public_addresses()
    entries = []
    for items in groups:
        for item in items:
            entries.append(
                {
                    "loc": request.build_absolute_uri(item["path"]),
                    "alternates": [
                        {"hreflang": i["hreflang"], "url": request.build_absolute_uri(i["path"])}
                        for i in items
                    ],
                }
            )
    return render(
        request, "portal/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )
