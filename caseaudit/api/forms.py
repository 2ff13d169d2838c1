from datetime import timedelta
from typing import Any

from django import forms

from caseaudit.api.models import DEFAULT_LIFETIME, LONGEST_LIFETIME, TokenScope

LIFETIME_CHOICES = [
    (30, "30 days"),
    (DEFAULT_LIFETIME.days, f"{DEFAULT_LIFETIME.days} days"),
    (180, "180 days"),
    (LONGEST_LIFETIME.days, "1 year"),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What the token is for, so that you can tell your tokens apart. "
        "For example, Case management system import.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="What may the token do?",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the token may do",
            "invalid_choice": "Select what the token may do",
        },
    )
    lifetime = forms.TypedChoiceField(
        label="How long should it last?",
        choices=LIFETIME_CHOICES,
        coerce=int,
        initial=DEFAULT_LIFETIME.days,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how long the token lasts",
            "invalid_choice": "Select how long the token lasts",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def token_values(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "scope": TokenScope(self.cleaned_data["scope"]),
            "lifetime": timedelta(days=self.cleaned_data["lifetime"]),
        }
