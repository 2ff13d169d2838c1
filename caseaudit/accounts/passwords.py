"""Password rules and password reset by e-mail.

The rules follow NIST SP 800-63B: at least 12 characters, at most 128, not a common password,
no composition rules and no forced expiry. A reset link is Django's token: it works once
(it is bound to the password it replaces) and expires after PASSWORD_RESET_TIMEOUT.
"""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from caseaudit.accounts.models import User

logger = logging.getLogger(__name__)

MAILER = "default"


class MaximumLengthValidator:
    """Refuse passwords longer than `max_length`: long passphrases are welcome, but hashing
    megabytes of text on every sign-in would be a way to slow the service down."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: it must be {self.max_length} characters or fewer.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password must be {self.max_length} characters or fewer."


def request_reset(email: str) -> None:
    """Send a reset link if an active account has this address. The caller always shows the
    same page, and the same work is done either way, so nobody learns whether it exists."""
    send_reset_link.enqueue(email.strip().lower())


@task()
def send_reset_link(email: str) -> None:
    users = [
        user
        for user in User.objects.filter(email__iexact=email, is_active=True)
        if user.has_usable_password()
    ]
    if not users:
        # The same work as for a real account (a token and the message), then nothing sent.
        _message(User(email=email, full_name=""))
        return
    for user in users:
        try:
            _message(user).send(using=MAILER)
        except OSError:
            logger.exception("Could not send a password reset e-mail")


def _message(user: User) -> EmailMessage:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token}
    )
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    body = (
        f"Dear {user.full_name},\n\n"
        f"Someone asked to reset the password of your Case Audit account for "
        f"{settings.PARTNERSHIP_NAME}. If it was you, use this link within {minutes} minutes "
        f"to choose a new password:\n\n{link}\n\n"
        "The link works once. If you did not ask for it, you can ignore this e-mail: your "
        "password has not changed.\n"
    )
    return EmailMessage(
        f"[{settings.PROTECTIVE_MARKING}] Reset your Case Audit password", body, to=[user.email]
    )
