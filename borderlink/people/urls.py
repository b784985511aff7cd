from django.urls import path

from borderlink.people import views

app_name = "people"
urlpatterns = [
    path("totals/", views.totals_view, name="totals"),
    path("views/", views.views_log, name="views-log"),
]
