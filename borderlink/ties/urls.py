from django.urls import path

from borderlink.ties import views

app_name = "ties"

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("follow-up/", views.follow_up, name="follow-up"),
]
