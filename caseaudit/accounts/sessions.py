"""Sessions: each user's open sessions, when each began and was last used, and ending them.

Every sign-in records its session key (UserSession), so that deactivating an account, changing
its roles or "sign out everywhere" can end all of its sessions at once, whatever device they
are on. The sign-in time and the last activity are kept in the session itself and checked on
every request by SessionTimeoutMiddleware.
"""

from importlib import import_module
from typing import Literal

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from caseaudit.accounts.models import User, UserSession

SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVITY = "last_activity"
# Writing the session on every request would double the writes; a minute of slack does not
# matter against a 30-minute idle timeout.
ACTIVITY_GRANULARITY_SECONDS = 15

EndReason = Literal["absolute", "idle", "unknown"]


def now_seconds() -> float:
    return timezone.now().timestamp()


def start(session: SessionBase, user: User) -> None:
    """Stamp a session that has just been signed in to and record it against the user."""
    now = now_seconds()
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY] = now
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})


def forget(request: HttpRequest) -> None:
    """The session is being signed out of: it need not be ended again later."""
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()


def rotate(request: HttpRequest) -> None:
    """Give the session a new id, as on any rise in privilege, keeping its record."""
    old_key = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)


def end_all(user: User) -> int:
    """End every session of the user, on every device, at once. Returns how many ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_reason(session: SessionBase, now: float) -> EndReason | None:
    """Why a signed-in session must end now, or None while it may go on."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_activity = session.get(LAST_ACTIVITY)
    if signed_in_at is None or last_activity is None:
        return "unknown"  # not stamped at sign-in, so not one this service started
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        return "absolute"
    if now - last_activity >= settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return "idle"
    return None


def touch(session: SessionBase, now: float) -> None:
    if now - session.get(LAST_ACTIVITY, 0) >= ACTIVITY_GRANULARITY_SECONDS:
        session[LAST_ACTIVITY] = now


def seconds_left(session: SessionBase, now: float) -> int:
    """Seconds until the session ends, by whichever timeout comes first."""
    idle_end = session.get(LAST_ACTIVITY, 0) + settings.SESSION_IDLE_TIMEOUT_SECONDS
    absolute_end = session.get(SIGNED_IN_AT, 0) + settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS
    return max(0, int(min(idle_end, absolute_end) - now))
