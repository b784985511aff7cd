from django.urls import path

from borderlink.field import views

app_name = "field"

urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.worker, name="worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("scope.json", views.scope, name="scope"),
    path("sync/", views.sync_entries, name="sync"),
]
