"""Two-factor sign-in: an authenticator app (TOTP) and single-use recovery codes (django-otp).

A user signs in with their password first; the session is then signed in but not verified,
and TwoFactorMiddleware lets it reach nothing but the sign-in, two-factor and sign-out pages
until a code from the app or a recovery code is accepted.
"""

import re
import time
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from markupsafe import Markup

from caseaudit.accounts.models import User
from caseaudit.accounts.sessions import rotate

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
# Set at sign-in when the account has an authenticator, so that the session needs a code
# even where two-factor sign-in is not required of everyone.
CODE_PENDING = "two_factor_pending"
NEW_AUTHENTICATOR_KEY = "two_factor_new_key"


def is_required(user: User) -> bool:
    """Everyone who can see case content, and administrators, must use two-factor sign-in."""
    return settings.REQUIRE_TWO_FACTOR and (
        user.is_coordinator or user.is_agency_lead or user.is_auditor or user.is_administrator
    )


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def needs_code(request: HttpRequest) -> bool:
    """A signed-in session that may not go further until a code is accepted."""
    if not request.user.is_authenticated or is_verified(request):
        return False
    return is_required(request.user) or bool(request.session.get(CODE_PENDING))  # type: ignore[arg-type]


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def new_authenticator(request: HttpRequest) -> TOTPDevice:
    """The authenticator being set up, not saved: its secret waits in the session until the
    user enters a code from it, so showing the set-up page changes nothing."""
    key = request.session.get(NEW_AUTHENTICATOR_KEY) or default_key()
    request.session[NEW_AUTHENTICATOR_KEY] = key
    return TOTPDevice(user=request.user, name=AUTHENTICATOR_NAME, key=key, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret key in groups of four letters, for an app that cannot scan the QR code."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> Markup:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, light="#fff")
    label = "QR code to scan with your authenticator app"
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    # segno draws it from the device's own key URI: nothing anyone typed reaches it.
    return Markup(svg)  # noqa: S704  # nosec B704


def _digits(code: str) -> str:
    return re.sub(r"[\s-]", "", code)


def check_authenticator_code(device: TOTPDevice, code: str) -> bool:
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return bool(locked.verify_token(code))


def check_recovery_code(user: User, code: str) -> StaticDevice | None:
    """The recovery-code device if the code is one of the user's unused codes; it is used up."""
    code = _digits(code).lower()
    if not re.fullmatch(r"[a-z2-7]{8}", code):
        return None
    with transaction.atomic():
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def check_new_authenticator_code(device: TOTPDevice, code: str) -> bool:
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance):
        return False
    device.last_t = totp.t()  # the code just used cannot be used again
    return True


@transaction.atomic
def confirm_authenticator(request: HttpRequest, device: TOTPDevice) -> list[str]:
    """The app gave a right code: make it the user's authenticator and issue recovery codes."""
    TOTPDevice.objects.filter(user=device.user).delete()
    device.confirmed = True
    device.save()
    request.session.pop(NEW_AUTHENTICATOR_KEY, None)
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_CODES_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def unused_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def mark_verified(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    """The session passed the second step: it gets a new id, as on any rise in privilege."""
    rotate(request)
    otp_login(request, device)
    request.session.pop(CODE_PENDING, None)


def show_codes_in_groups(code: str) -> str:
    return f"{code[:4]} {code[4:]}"
