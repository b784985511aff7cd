from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from borderlink.core import busy, errors, files
from borderlink.core import views as core_views
from borderlink.desk import views as desk_views
from borderlink.places.api import UnitViewSet
from borderlink.portal.views import errors as portal_errors
from borderlink.registers.api import viewset_class
from borderlink.registers.spec import registers
from borderlink.stats import views as stats_views

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
for spec in registers():
    router.register(spec.slug, viewset_class(spec), basename=spec.slug)

urlpatterns = [
    # The API first: a program's every request resolves its address, and behind some forty
    # patterns (the public site's included at "") that was 0.18 ms of a kept answer's 0.9 ms.
    # No pattern below answers an address under api/, so the order changes nothing else.
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", desk_views.home, name="home"),
    path("units/", include("borderlink.places.urls")),
    path("history/", core_views.history, name="history"),
    # Uploaded files, through the gate of the record that owns them (core/files.py).
    path("files/<str:model>/<int:pk>/<str:field>/", files.download, name="file-download"),
    path("r/", include("borderlink.registers.urls")),
    # Cooperation pages that read both ties and the ledger, so they live above both.
    path("cooperation/coverage/", stats_views.coverage_page, name="coverage"),
    path("cooperation/follow-up/", desk_views.follow_up, name="follow-up"),
    path("ledger/", include("borderlink.ledger.urls")),  # the station's monthly log sheet
    path("stats/", include("borderlink.stats.urls")),
    path("reports/", include("borderlink.reports.urls")),
    path("", include("borderlink.portal.urls")),  # /public/ (the public site), /editorial/
    # The border's figures: a statistics page (stats/rules_border.py) under the border's address.
    path("border/indicators/", stats_views.border_figures, name="border-figures"),
    path("border/", include("borderlink.border.urls")),
    path("delegations/", include("borderlink.delegations.urls")),
    path("people/", include("borderlink.people.urls")),
    path("field/", include("borderlink.field.urls")),  # the offline field app
    path("accounts/", include("borderlink.accounts.urls")),  # login (lockout, codes)
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]


# Error pages in the reader's language, inside the layout of the part of the site they are on:
# the public portal's (portal/views/errors.py) under /public/, else the staff site's
# (core/errors.py). A request the database stayed too busy to serve is a 503 that says so
# (core/busy.py).
def _error(status: int) -> Callable[..., HttpResponse]:
    def handler(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
        if portal_errors.is_public(request):
            return portal_errors.error_page(request, status)
        if status == 500:
            return busy.server_error(request)
        return errors.error_page(request, status, exception)

    return handler


handler400 = _error(400)
handler403 = _error(403)
handler404 = _error(404)


def handler500(request: HttpRequest) -> HttpResponse:
    return _error(500)(request)
