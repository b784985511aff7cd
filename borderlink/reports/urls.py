from django.urls import path

from borderlink.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.new, name="new"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/download/", views.download, name="download"),
]
