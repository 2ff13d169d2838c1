"""Throttling of sign-in attempts: a temporary lockout per account and, separately, per address.

Passwords are counted by django-axes (every attempt, for accounts that exist or not, so a
lockout says nothing about whether an account exists); one-time codes are counted here, from
the SignInEvent rows. An account is locked after LOCKOUT_FAILURE_LIMIT failures within the
cool-off time, which locks that account only; a client address is locked after the much
higher LOCKOUT_ADDRESS_FAILURE_LIMIT, so one person cannot lock out everyone behind the same
address by failing on one account.
"""

from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from caseaudit.accounts.models import SignInEvent, SignInMethod, User

CODE_METHODS = (SignInMethod.AUTHENTICATOR, SignInMethod.RECOVERY_CODE)


def cool_off() -> timedelta:
    return timedelta(minutes=settings.LOCKOUT_COOL_OFF_MINUTES)


def username_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address an attempt was for, in one spelling, whatever its letter case."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return str(username).strip().lower()


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit for a client address.

    Axes compares the largest of the per-account and per-address failure counts with one
    limit; here an address's failures count towards that limit only once they reach the
    address limit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = username_from_credentials(request, credentials)
        by_account = _sum(attempts.filter(username=username)) if username else 0
        by_address = _sum(attempts.filter(ip_address=request.axes_ip_address))  # type: ignore[attr-defined]
        if by_address >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account


def _sum(attempts: Any) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def codes_locked(user: User, address: str | None) -> bool:
    """Whether one-time codes are refused for now for this account or from this address."""
    since = timezone.now() - cool_off()
    codes = SignInEvent.objects.filter(method__in=CODE_METHODS, at__gte=since)
    last_success = codes.filter(user=user, succeeded=True).values_list("at", flat=True).first()
    account_failures = codes.filter(user=user, succeeded=False)
    if last_success is not None:
        account_failures = account_failures.filter(at__gt=last_success)
    if account_failures.count() >= settings.LOCKOUT_FAILURE_LIMIT:
        return True
    if address is None:
        return False
    address_failures = codes.filter(address=address, succeeded=False).count()
    return address_failures >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT


def forget_password_failures(user: User) -> None:
    """Clear the account's password failures (not its address's), after a password reset."""
    AccessAttempt.objects.filter(username=user.email.strip().lower()).delete()
