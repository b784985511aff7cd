from django.urls import path, register_converter

from borderlink.ledger import views


class MonthConverter:
    """A month as it stands in the sheet's address: 2026-12."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MonthConverter, "month")

app_name = "ledger"

urlpatterns = [
    path("sheet/", views.sheet_here, name="sheet-here"),
    path("sheet/<str:code>/<month:month>/", views.sheet, name="sheet"),
    path("sheet/<str:code>/<month:month>/cell/", views.sheet_cell, name="sheet-cell"),
]
