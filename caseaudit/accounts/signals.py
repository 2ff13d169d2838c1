"""Session bookkeeping on sign-in and sign-out, and ending a user's sessions when their
account is deactivated or their roles change (a role change is a change of privilege, so the
session must start again)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from caseaudit.accounts import sessions
from caseaudit.accounts.models import ROLE_FIELDS, User

SECURITY_FIELDS = ("is_active", *ROLE_FIELDS.values())


@receiver(user_logged_in)
def _session_started(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sessions.start(request.session, user)


@receiver(user_logged_out)
def _session_ended(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    sessions.forget(request)


@receiver(pre_save, sender=User)
def _note_security_change(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    instance._end_sessions = False  # type: ignore[attr-defined]
    update_fields = kwargs.get("update_fields")
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(SECURITY_FIELDS):
        return  # e.g. last_login at every sign-in
    before = User.objects.filter(pk=instance.pk).values(*SECURITY_FIELDS).first()
    instance._end_sessions = before is not None and any(  # type: ignore[attr-defined]
        before[field] != getattr(instance, field) for field in SECURITY_FIELDS
    )


@receiver(post_save, sender=User)
def _end_sessions_after_change(sender: Any, instance: User, **kwargs: Any) -> None:
    if getattr(instance, "_end_sessions", False):
        instance._end_sessions = False  # type: ignore[attr-defined]
        sessions.end_all(instance)
