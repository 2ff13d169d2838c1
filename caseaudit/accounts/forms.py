from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.http import HttpRequest

from caseaudit.accounts.models import User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been deactivated. Ask your administrator.",
    }


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the security code from your authenticator app"},
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 8-character recovery codes you saved when you set up "
        "two-factor sign-in. Each code works once.",
        max_length=20,
        error_messages={"required": "Enter one of your recovery codes"},
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class NewPasswordForm(SetPasswordForm[User]):
    """Django's set-password form with the service's wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 12 characters. A few unrelated words are easy to remember and hard to guess."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        mismatch = "The passwords do not match"
        self.error_messages = {"password_mismatch": mismatch}


class SignatureForm(forms.Form):
    """Base for a form that signs something in the user's name: the user enters their
    password again, so a session left open cannot be used to sign. Wrong passwords count
    towards the account's sign-in lockout."""

    signature_label = "Enter your password to sign this return"

    password = forms.CharField(
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["password"].label = self.signature_label

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        signer = authenticate(self.request, username=user.get_username(), password=password)
        if signer is None or signer.pk != user.pk:
            raise forms.ValidationError(
                "The password is not correct: enter the one you sign in with"
            )
        return password
