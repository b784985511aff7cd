from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from borderlink.core import files
from borderlink.core import views as core_views
from borderlink.desk import views as desk_views
from borderlink.places.api import UnitViewSet
from borderlink.registers.api import viewset_class
from borderlink.registers.spec import registers

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
for spec in registers():
    router.register(spec.slug, viewset_class(spec), basename=spec.slug)

urlpatterns = [
    path("", desk_views.home, name="home"),
    path("units/", include("borderlink.places.urls")),
    path("history/", core_views.history, name="history"),
    # Uploaded files, through the gate of the record that owns them (core/files.py).
    path("files/<str:model>/<int:pk>/<str:field>/", files.download, name="file-download"),
    path("r/", include("borderlink.registers.urls")),
    path("cooperation/", include("borderlink.ties.urls")),
    path("ledger/", include("borderlink.ledger.urls")),  # the station's monthly log sheet
    path("stats/", include("borderlink.stats.urls")),
    path("reports/", include("borderlink.reports.urls")),
    path("", include("borderlink.portal.urls")),  # /public/ (the public site), /editorial/
    path("border/", include("borderlink.border.urls")),
    path("delegations/", include("borderlink.delegations.urls")),
    path("people/", include("borderlink.people.urls")),
    path("accounts/", include("borderlink.accounts.urls")),  # login (lockout, codes)
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# A request the database stayed too busy to serve is a 503 that says so (core/busy.py).
handler500 = "borderlink.core.busy.server_error"
