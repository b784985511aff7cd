"""The public site under /public/ (its language in the address) and the editors' pages under
/editorial/. Mounted at the root by borderlink/urls.py, so that neither takes over "/"."""

from django.urls import path, register_converter

from borderlink.portal.caching import public_page
from borderlink.portal.feeds import ArticlesAtom, ArticlesRss
from borderlink.portal.langs import LangConverter
from borderlink.portal.views import editorial, public

register_converter(LangConverter, "lang")

app_name = "portal"

urlpatterns = [
    path("public/", public.root, name="root"),
    path("public/visit/", public.visit, name="visit"),
    path("public/sitemap.xml", public.sitemap, name="sitemap"),
    path("public/language/<lang:lang>/", public.choose_language, name="language"),
    path("public/<lang:lang>/", public.home, name="home"),
    path("public/<lang:lang>/articles/", public.articles, name="articles"),
    path("public/<lang:lang>/articles/<slug:slug>/", public.article, name="article"),
    path("public/<lang:lang>/figures/<int:pk>/", public.frozen_figure, name="frozen-figure"),
    path("public/<lang:lang>/figures/live/<str:code>/", public.live_figure, name="live-figure"),
    path(
        "public/<lang:lang>/figures/live/<str:code>/<str:unit>/",
        public.live_figure,
        name="live-figure-unit",
    ),
    path("public/<lang:lang>/partnerships/", public.partnerships, name="partnerships"),
    path("public/<lang:lang>/partnerships/<int:pk>/", public.partnership, name="partnership"),
    path("public/<lang:lang>/gates/", public.gates, name="gates"),
    path("public/<lang:lang>/gates/<str:code>/", public.gate, name="gate"),
    path("public/<lang:lang>/feed.rss", public_page(ArticlesRss()), name="feed-rss"),
    path("public/<lang:lang>/feed.atom", public_page(ArticlesAtom()), name="feed-atom"),
    path("editorial/", editorial.index, name="editorial"),
    path("editorial/new/", editorial.new, name="editorial-new"),
    path("editorial/<int:pk>/", editorial.article, name="editorial-article"),
    path("editorial/<int:pk>/<str:lang>/add/", editorial.add_version, name="editorial-add"),
    path("editorial/<int:pk>/<str:lang>/edit/", editorial.edit, name="editorial-edit"),
    path("editorial/<int:pk>/<str:lang>/preview/", editorial.preview, name="editorial-preview"),
    path("editorial/<int:pk>/<str:lang>/state/", editorial.change_state, name="editorial-state"),
]
