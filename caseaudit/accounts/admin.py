from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from caseaudit.accounts import two_factor
from caseaudit.accounts.models import Agency, PartnershipSettings, User


def _sign_in_through_the_service(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # One sign-in page for everything, so the admin cannot become a way round its checks;
    # a signed-in person who is not an administrator is told nothing exists here.
    if request.user.is_authenticated:
        raise Http404
    return redirect_to_login(request.get_full_path())


admin.site.login = _sign_in_through_the_service  # type: ignore[method-assign]

_has_permission = admin.site.has_permission


def _administrator_past_two_factor(request: HttpRequest) -> bool:
    # TwoFactorMiddleware already keeps unverified sessions out; the admin checks again
    # because an unprotected admin is the classic way round two-factor sign-in.
    return _has_permission(request) and not two_factor.needs_code(request)


admin.site.has_permission = _administrator_past_two_factor  # type: ignore[method-assign]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ("name", "kind", "is_business_unit")
    list_filter = ("kind",)
    search_fields = ("name",)


class UserCreationForm(forms.ModelForm[User]):
    password = forms.CharField(
        widget=forms.PasswordInput, help_text="At least 12 characters; not a common password."
    )

    class Meta:
        model = User
        fields = ("email", "full_name", "job_title", "agency")

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("full_name", "email", "agency", "role_list", "is_active")
    list_filter = (
        "agency",
        "is_coordinator",
        "is_agency_lead",
        "is_auditor",
        "is_board_viewer",
        "is_administrator",
        "is_active",
    )
    search_fields = ("full_name", "email")
    ordering = ("full_name",)
    fieldsets = (
        (None, {"fields": ("email", "full_name", "job_title", "agency", "is_active")}),
        (
            "Roles",
            {
                "fields": (
                    "is_coordinator",
                    "is_agency_lead",
                    "is_auditor",
                    "is_board_viewer",
                    "is_administrator",
                )
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description="Roles")
    def role_list(self, user: User) -> str:
        return ", ".join(user.role_labels())

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = UserCreationForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        if obj is None:
            return ((None, {"fields": ("email", "full_name", "job_title", "agency", "password")}),)
        return super().get_fieldsets(request, obj)


@admin.register(PartnershipSettings)
class PartnershipSettingsAdmin(admin.ModelAdmin[PartnershipSettings]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not PartnershipSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
