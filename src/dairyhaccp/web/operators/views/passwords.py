"""Password reset and change: Django's own views, with the login lock lifted after a reset."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as reset_login_failures
from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link.

    Whoever holds the link owns the mailbox, so earlier wrong passwords for the username no
    longer count: a locked login works again with the new password.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        reset_login_failures(username=form.user.get_username())
        return response
