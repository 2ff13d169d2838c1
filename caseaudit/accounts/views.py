from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from caseaudit import access
from caseaudit.accounts import lockout, passwords, sessions, two_factor
from caseaudit.accounts.actions import record_sign_in
from caseaudit.accounts.forms import (
    AuthenticatorCodeForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RecoveryCodeForm,
    SignInForm,
)
from caseaudit.accounts.middleware import allowed_before_two_factor
from caseaudit.accounts.models import SignInMethod, User
from caseaudit.lib.client_address import client_address
from caseaudit.lib.types import AuthenticatedRequest

NEXT_AFTER_SIGN_IN = "sign_in_next"
RECOVERY_CODES_TO_SHOW = "recovery_codes_to_show"
HISTORY_LENGTH = 20


def _safe_next(request: HttpRequest, next_url: str) -> str:
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def _signed_in_destination(request: HttpRequest) -> HttpResponse:
    return redirect(request.session.pop(NEXT_AFTER_SIGN_IN, "") or "home")


@login_not_required
@allowed_before_two_factor
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)  # a new session id
            record_sign_in(request, user, SignInMethod.PASSWORD, succeeded=True)
            request.session[NEXT_AFTER_SIGN_IN] = next_url
            if two_factor.authenticator(user) is not None:
                request.session[two_factor.CODE_PENDING] = True
                return redirect("accounts:two-factor")
            if two_factor.is_required(user):
                return redirect("accounts:two-factor-set-up")
            return _signed_in_destination(request)
        _record_wrong_password(request, form)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


def _record_wrong_password(request: HttpRequest, form: SignInForm) -> None:
    email = form.cleaned_data.get("username")
    if email and form.cleaned_data.get("password"):
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            record_sign_in(request, user, SignInMethod.PASSWORD, succeeded=False)


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The same page for every lockout, so it says nothing about whether an account exists."""
    logout(request)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": lockout.cool_off().seconds // 60},
        status=429,
    )


@require_POST
@allowed_before_two_factor
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:sign-in")


# Two-factor sign-in ------------------------------------------------------------------------


@allowed_before_two_factor
@sensitive_post_parameters("code")
@never_cache
def two_factor_code(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if two_factor.is_verified(request):
        return _signed_in_destination(request)
    device = two_factor.authenticator(user)
    if device is None:
        return redirect("accounts:two-factor-set-up")
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if lockout.codes_locked(user, client_address(request)):
            return locked_out(request)
        accepted = two_factor.check_authenticator_code(device, form.cleaned_data["code"])
        record_sign_in(request, user, SignInMethod.AUTHENTICATOR, succeeded=accepted)
        if accepted:
            two_factor.mark_verified(request, device)
            return _signed_in_destination(request)
        form.add_error(
            "code", "The security code is not correct: enter the code your app shows now"
        )
    return render(request, "accounts/two_factor.html", {"form": form})


@allowed_before_two_factor
@sensitive_post_parameters("code")
@never_cache
def two_factor_recovery(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if two_factor.is_verified(request):
        return _signed_in_destination(request)
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if lockout.codes_locked(user, client_address(request)):
            return locked_out(request)
        device = two_factor.check_recovery_code(user, form.cleaned_data["code"])
        record_sign_in(request, user, SignInMethod.RECOVERY_CODE, succeeded=device is not None)
        if device is not None:
            two_factor.mark_verified(request, device)
            left = two_factor.unused_recovery_codes(user)
            messages.info(
                request,
                f"You used a recovery code: {left} left. If you have lost your phone, "
                "ask your administrator to reset your two-factor sign-in.",
            )
            return _signed_in_destination(request)
        form.add_error("code", "The recovery code is not correct, or it has already been used")
    return render(request, "accounts/two_factor_recovery.html", {"form": form})


@allowed_before_two_factor
@sensitive_post_parameters("code")
@never_cache
def two_factor_set_up(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if two_factor.authenticator(user) is not None:
        # Replacing an app needs the old one (or an administrator): never a way round it.
        if two_factor.is_verified(request):
            return redirect("accounts:your-account")
        return redirect("accounts:two-factor")
    device = two_factor.new_authenticator(request)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if lockout.codes_locked(user, client_address(request)):
            return locked_out(request)
        accepted = two_factor.check_new_authenticator_code(device, form.cleaned_data["code"])
        record_sign_in(request, user, SignInMethod.AUTHENTICATOR, succeeded=accepted)
        if accepted:
            codes = two_factor.confirm_authenticator(request, device)
            two_factor.mark_verified(request, device)
            request.session[RECOVERY_CODES_TO_SHOW] = codes
            return redirect("accounts:recovery-codes")
        form.add_error(
            "code", "The security code is not correct: enter the code your app shows now"
        )
    return render(
        request,
        "accounts/two_factor_set_up.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "required": two_factor.is_required(user),
        },
    )


@never_cache
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """Shows new recovery codes once: they are not kept anywhere they could be shown again."""
    codes = request.session.pop(RECOVERY_CODES_TO_SHOW, None)
    if not codes:
        return redirect("accounts:your-account")
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": [two_factor.show_codes_in_groups(code) for code in codes],
            "next": request.session.pop(NEXT_AFTER_SIGN_IN, "") or reverse("home"),
        },
    )


@require_POST
def new_recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    if two_factor.authenticator(request.user) is None:
        return redirect("accounts:your-account")
    request.session[RECOVERY_CODES_TO_SHOW] = two_factor.new_recovery_codes(request.user)
    return redirect("accounts:recovery-codes")


# Your account and sessions ------------------------------------------------------------------


@never_cache
def your_account(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/your_account.html",
        {
            "user": user,
            "has_authenticator": two_factor.authenticator(user) is not None,
            "recovery_codes_left": two_factor.unused_recovery_codes(user),
            "two_factor_required": two_factor.is_required(user),
            "history": [
                {
                    "at": timezone.localtime(event.at),
                    "address": event.address,
                    "how": event.get_method_display(),
                    "succeeded": event.succeeded,
                }
                for event in user.sign_in_events.all()[:HISTORY_LENGTH]
            ],
            "open_sessions": user.sessions.count(),
        },
    )


@require_POST
def sign_out_everywhere(request: AuthenticatedRequest) -> HttpResponse:
    sessions.end_all(request.user)
    logout(request)
    messages.success(request, "You have been signed out on every device.")
    return redirect("accounts:sign-in")


@login_not_required
@allowed_before_two_factor
@require_http_methods(["GET", "POST"])
@never_cache
def session_status(request: HttpRequest) -> JsonResponse:
    """For the timeout warning: how long the session has left. A GET is not activity (the
    middleware leaves it out); a POST is "stay signed in". The CSRF token lets a page whose
    user signed in again in another tab send its form without losing what was typed."""
    signed_in = request.user.is_authenticated and not two_factor.needs_code(request)
    if not signed_in:
        return JsonResponse({"signed_in": False})
    now = sessions.now_seconds()
    if request.method == "POST":
        request.session[sessions.LAST_ACTIVITY] = now
    return JsonResponse(
        {
            "signed_in": True,
            "user": request.user.pk,
            "seconds_left": sessions.seconds_left(request.session, now),
            "csrf_token": get_token(request),
        }
    )


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/home.html",
        {
            "user": user,
            "can_manage_tools": access.can_manage_tools(user),
            "can_manage_accounts": access.can_manage_accounts(user),
            "open_escalations": access.visible_escalations(user)
            .filter(responded_at__isnull=True)
            .count(),
        },
    )


# Password reset -----------------------------------------------------------------------------


@login_not_required
@allowed_before_two_factor
@csrf_protect
@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.request_reset(form.cleaned_data["email"])
        return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@login_not_required
@allowed_before_two_factor
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class ResetPasswordView(PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        # The old password may be what someone else knew: end every session it opened,
        # and let the owner, who has proved they hold the e-mail, try again at once.
        sessions.end_all(form.user)
        lockout.forget_password_failures(form.user)
        return response


password_reset_confirm = allowed_before_two_factor(ResetPasswordView.as_view())


@login_not_required
@allowed_before_two_factor
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")
