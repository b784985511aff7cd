from django.urls import path

from borderlink.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.code_view, name="login-code"),
]
