"""Site-wide account URLs, mounted under /accounts/: sign-up, invitations and passwords.

The password pages are Django's own views under the names Django's templates expect.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from dairyhaccp.web.operators.views import invitations, passwords, signup, twofactor

urlpatterns = [
    path("login/code/", twofactor.login_code, name="login-code"),
    path("two-factor/", twofactor.two_factor, name="two-factor"),
    path("signup/", signup.signup, name="signup"),
    path("signup/sent/", signup.signup_sent, name="signup-sent"),
    path("signup/verify/<str:token>/", signup.signup_verify, name="signup-verify"),
    path("invitation/<str:token>/", invitations.invitation, name="invitation"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
