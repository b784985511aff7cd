from django.urls import path

from borderlink.accounts import password, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.code_view, name="login-code"),
    path("password/", password.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", password.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("roles/", views.my_roles, name="my-roles"),
    path("api-keys/", views.api_keys_page, name="api-keys"),
    path("api-keys/<int:pk>/revoke/", views.api_key_revoke, name="api-key-revoke"),
]
