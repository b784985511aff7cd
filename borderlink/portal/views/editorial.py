"""The editors' pages: articles from report templates, their texts, the workflow, a preview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.core.models import ChangeRecord
from borderlink.core.permissions import can_at_all, restrict
from borderlink.places.choices import Lang
from borderlink.portal import render as body
from borderlink.portal.compose import start_versions
from borderlink.portal.figures import FreezeError
from borderlink.portal.forms import MoveForm, NewArticleForm, VersionForm
from borderlink.portal.langs import URL_LANG
from borderlink.portal.models import Article, ArticleVersion, State
from borderlink.portal.workflow import WorkflowError, may, move, moves_for
from borderlink.reports.compose import TemplateError


def _article(request: HttpRequest, pk: int) -> Article:
    article = restrict(Article.objects.select_related("unit", "source"), request.user, "view")
    return get_object_or_404(article, pk=pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    found = restrict(Article.objects.select_related("unit"), request.user, "view")
    found = found.prefetch_related("versions").order_by("-period_to", "slug")
    return render(
        request,
        "portal/editorial/index.html",
        {"articles": found, "may_add": can_at_all(request.user, Article, "add")},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    form = NewArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        if not may(request.user, "add", Article(unit=unit)):
            form.add_error("unit", _("You may not write articles about this unit."))
        else:
            try:
                with transaction.atomic():
                    article = Article.objects.create(
                        slug=data["slug"],
                        template=data["template"],
                        unit=unit,
                        period_from=data["period_from"],
                        period_to=data["period_to"],
                        as_of=data["as_of"] or data["period_to"],
                        source=data["source"],
                    )
                    start_versions(article, data["langs"])
            except TemplateError as exc:
                form.add_error("template", str(exc))
            else:
                messages.success(request, _("The drafts are ready for editing."))
                return redirect("portal:editorial-article", article.pk)
    return render(request, "portal/editorial/new.html", {"form": form})


@login_required
def article(request: HttpRequest, pk: int) -> HttpResponse:
    art = _article(request, pk)
    versions = {v.lang: v for v in art.versions.prefetch_related("transitions__actor")}
    rows = []
    for lang, label in Lang.choices:
        v = versions.get(lang)
        rows.append(
            {
                "lang": lang,
                "label": label,
                "version": v,
                "moves": [(m, State(m).label) for m in moves_for(request.user, v)] if v else [],
                "may_edit": v is not None
                and v.state == State.DRAFT
                and may(request.user, "change", art),
                "public_url": reverse("portal:article", args=[URL_LANG[lang], art.slug])
                if v is not None and v.state == State.PUBLISHED
                else "",
            }
        )
    types = ContentType.objects.get_for_models(Article, ArticleVersion)
    changes = restrict(ChangeRecord.objects.all(), request.user, "view").filter(
        Q(content_type=types[Article], object_id=str(art.pk))
        | Q(
            content_type=types[ArticleVersion],
            object_id__in=[str(v.pk) for v in versions.values()],
        )
    )
    return render(
        request,
        "portal/editorial/article.html",
        {
            "article": art,
            "rows": rows,
            "may_add": may(request.user, "add", art),
            "changes": changes[:100],
        },
    )


@login_required
@require_POST
def add_version(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    art = _article(request, pk)
    if lang not in Lang.values or not art.template:
        raise Http404
    if not may(request.user, "add", art):
        raise PermissionDenied(_("You may not do this to this article."))
    if not art.versions.filter(lang=lang).exists():
        start_versions(art, [lang])
    return redirect("portal:editorial-article", art.pk)


def _version(request: HttpRequest, pk: int, lang: str) -> ArticleVersion:
    art = _article(request, pk)
    return get_object_or_404(
        ArticleVersion.objects.select_related("article__unit"), article=art, lang=lang
    )


@login_required
def edit(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    version = _version(request, pk, lang)
    if not may(request.user, "change", version.article):
        raise PermissionDenied(_("You may not do this to this article."))
    if version.state != State.DRAFT:
        messages.error(request, _("Only a draft can be edited; send it back to draft first."))
        return redirect("portal:editorial-article", pk)
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        if "preview" in request.POST:
            return redirect("portal:editorial-preview", pk, lang)
        return redirect("portal:editorial-article", pk)
    return render(request, "portal/editorial/edit.html", {"form": form, "version": version})


@login_required
def preview(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    version = _version(request, pk, lang)
    from django.utils import translation

    from borderlink.stats.display import django_lang

    rendered = body.live(version)
    with translation.override(django_lang(lang)):
        title, lead = body.plain(version.title, lang), body.plain(version.lead, lang)
    return render(
        request,
        "portal/editorial/preview.html",
        {"version": version, "rendered": rendered, "title": title, "lead": lead},
    )


@login_required
@require_POST
def change_state(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    version = _version(request, pk, lang)
    form = MoveForm(request.POST, moves=moves_for(request.user, version))
    if not form.is_valid():
        messages.error(request, _("You may not do this to this article."))
        return redirect("portal:editorial-article", pk)
    try:
        move(version, form.cleaned_data["to"], request.user, form.cleaned_data["note"])
    except FreezeError as exc:
        for error in exc.errors:
            messages.error(request, error)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(lang)s version: %(state)s.")
            % {"lang": Lang(lang).label, "state": State(form.cleaned_data["to"]).label},
        )
    return redirect("portal:editorial-article", pk)
