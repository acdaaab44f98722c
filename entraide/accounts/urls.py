"""URLs of the accounts app."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from entraide.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    # Old links to the sign-up page: it is the volunteers' now.
    path(
        "signup/",
        RedirectView.as_view(pattern_name="volunteers:signup", permanent=True, query_string=True),
        name="signup",
    ),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("verify-again/", views.resend_verification, name="resend_verification"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("two-factor/", two_factor_views.two_factor, name="two_factor"),
    path("two-factor/qr.svg", two_factor_views.two_factor_qr, name="two_factor_qr"),
    path("two-factor/recovery/", two_factor_views.two_factor_recovery, name="two_factor_recovery"),
    path("home/", views.home, name="home"),
    path("role/", views.switch_role, name="switch_role"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("welcome/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("api-keys/", views.api_tokens, name="api_tokens"),
    path("api-keys/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
