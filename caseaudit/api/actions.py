"""Personal API tokens: creating, revoking and checking them, and counting each token's
requests against the rate limit."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from caseaudit.accounts.models import User
from caseaudit.activity.actions import record_change
from caseaudit.api.models import LONGEST_LIFETIME, ApiToken, RateWindow, TokenScope

# A recognisable prefix lets secret scanners and people spot a leaked token.
TOKEN_PREFIX = "caseaudit_"  # noqa: S105  # nosec B105 # a prefix, not a secret
SECRET_BYTES = 32
HINT_LENGTH = len(TOKEN_PREFIX) + 6


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(
    user: User, *, name: str, scope: TokenScope, lifetime: timedelta
) -> tuple[ApiToken, str]:
    """A new token for `user`, and its secret: the only time the secret is known."""
    if not timedelta(0) < lifetime <= LONGEST_LIFETIME:
        raise ValueError("A token lasts from one day to a year")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        key_hash=hash_secret(secret),
        hint=secret[:HINT_LENGTH],
        created_at=now,
        expires_at=now + lifetime,
    )
    record_change(token, by=user, field="created", old=None, new=f"{name} ({scope})")
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> ApiToken:
    """Stop a token working, at once and for good."""
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        record_change(token, by=by, field="revoked", old=None, new=now.isoformat())
    token.refresh_from_db(fields=["revoked_at"])
    return token


class TokenRefused(Exception):
    """The bearer token does not let anyone in; the message says why, in plain words."""


def authenticate(secret: str) -> ApiToken:
    """The usable token with this secret, its use recorded; TokenRefused otherwise."""
    if not secret:
        raise TokenRefused("Send a personal API token in an “Authorization: Bearer …” header")
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise TokenRefused("The token is not a Case Audit API token")
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    if token is None:
        raise TokenRefused("The token is not known")
    if token.is_revoked:
        raise TokenRefused("The token has been revoked")
    if token.is_expired:
        raise TokenRefused("The token has expired: create a new one")
    if not token.user.is_active:
        raise TokenRefused("The token’s account is deactivated")
    token.last_used_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


@dataclass(frozen=True)
class RateCount:
    limit: int
    count: int
    resets_in: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


def count_request(token: ApiToken, now: datetime | None = None) -> RateCount:
    """Count one request in the token's current fixed window (API_RATE_WINDOW_SECONDS long)
    and say whether it is within API_RATE_LIMIT."""
    window = settings.API_RATE_WINDOW_SECONDS
    seconds = int((now or timezone.now()).timestamp())
    start = seconds - seconds % window
    starts_at = datetime.fromtimestamp(start, tz=UTC)
    windows = RateWindow.objects.filter(token=token, starts_at=starts_at)
    if not windows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateWindow.objects.create(token=token, starts_at=starts_at, count=1)
        except IntegrityError:
            # Another server opened the window first.
            windows.update(count=F("count") + 1)
        else:
            RateWindow.objects.filter(token=token, starts_at__lt=starts_at).delete()
    count = windows.values_list("count", flat=True).get()
    return RateCount(settings.API_RATE_LIMIT, count, start + window - seconds)
