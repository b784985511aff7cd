from django.urls import path

from borderlink.stats import views

app_name = "stats"

urlpatterns = [
    path("dashboard/<str:code>/", views.dashboard, name="dashboard"),
    path("figure/<str:indicator>/<str:code>/", views.figure, name="figure"),
    path("map/<str:code>/", views.indicator_map, name="map"),
]
