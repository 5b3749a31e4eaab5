"""E-mails of the account services, written in the language the person chose."""

from __future__ import annotations

import logging
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.services.errors import AccountError

logger = logging.getLogger(__name__)


def send_templated_mail(to: str, template: str, context: dict[str, Any], language: str) -> None:
    """Send operators/email/<template>_subject.txt and _body.txt to `to` in `language`.

    A mail server that refuses or cannot be reached is an AccountError, so the caller's
    transaction is undone and the person is told to try again.
    """
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"operators/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"operators/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except (SMTPException, OSError) as error:
        logger.warning("An e-mail could not be sent: %s", error)
        raise AccountError(
            None, _("The e-mail could not be sent. Please try again in a few minutes.")
        ) from None
