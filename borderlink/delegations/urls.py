from django.urls import path

from borderlink.delegations import views

app_name = "delegations"
urlpatterns = [
    path("<int:pk>/move/", views.move, name="move"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar-ics"),
    path("calendar/subscription/", views.calendar_subscription, name="calendar-subscription"),
    path("calendar/feed.ics", views.calendar_feed_ics, name="calendar-feed"),
]
