from django.urls import path

from borderlink.border import views

app_name = "border"
urlpatterns = [
    path("map/", views.border_map, name="map"),
    path("lengths/", views.lengths, name="lengths"),
    path("overdue/", views.overdue_view, name="overdue"),
    path("alerts/<int:pk>/cap.xml", views.alert_cap, name="alert-cap"),
    path("alerts/import-cap/", views.cap_import, name="cap-import"),
]
