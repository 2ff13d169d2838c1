from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children’s social care"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    EDUCATION = "education", "Education"
    EARLY_HELP = "early_help", "Early help"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    OTHER = "other", "Other"


class Agency(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    is_business_unit = models.BooleanField(
        default=False, help_text="The partnership’s own business unit (coordinators’ agency)."
    )

    class Meta:
        verbose_name_plural = "agencies"
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["is_business_unit"],
                condition=models.Q(is_business_unit=True),
                name="one_business_unit",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_childrens_social_care(self) -> bool:
        return self.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    AUDITOR = "auditor", "Auditor"
    BOARD_VIEWER = "board_viewer", "Board viewer"
    ADMINISTRATOR = "administrator", "Administrator"


ROLE_FIELDS = {
    Role.COORDINATOR: "is_coordinator",
    Role.AGENCY_LEAD: "is_agency_lead",
    Role.AUDITOR: "is_auditor",
    Role.BOARD_VIEWER: "is_board_viewer",
    Role.ADMINISTRATOR: "is_administrator",
}


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields["is_administrator"] = True
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)

    def with_role(self, role: Role) -> "models.QuerySet[User]":
        return self.filter(**{ROLE_FIELDS[role]: True})


class User(AbstractBaseUser):
    """A person who signs in. Roles are a set: one person may hold several."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    is_coordinator = models.BooleanField("coordinator", default=False)
    is_agency_lead = models.BooleanField("agency lead", default=False)
    is_auditor = models.BooleanField("auditor", default=False)
    is_board_viewer = models.BooleanField("board viewer", default=False)
    is_administrator = models.BooleanField("administrator", default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar = ["full_name", "agency"]

    class Meta:
        ordering: ClassVar = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.agency})"

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(role for role, field in ROLE_FIELDS.items() if getattr(self, field))

    def has_role(self, role: Role) -> bool:
        return bool(getattr(self, ROLE_FIELDS[role]))

    def role_labels(self) -> list[str]:
        return [role.label for role in Role if role in self.roles]

    # The Django admin asks these; only administrators may use it.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_administrator

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff


class PartnershipSettings(models.Model):
    """Settings the administrator keeps for the whole partnership (one row)."""

    escalation_procedure = models.TextField(
        default=(
            "If you believe a child is not safe, do not wait for the audit meeting. Contact "
            "the child’s social worker or their manager today. If you cannot reach them, "
            "contact the Multi-Agency Safeguarding Hub. If the child is in immediate danger, "
            "call 999."
        )
    )
    escalation_contacts = models.TextField(
        blank=True,
        default="Multi-Agency Safeguarding Hub: 0300 000 0000 (Monday to Friday, 9am to 5pm)\n"
        "Emergency duty team (out of hours): 0300 000 0001",
    )
    reminder_days_before_deadline = models.PositiveSmallIntegerField(default=7)

    class Meta:
        verbose_name = "partnership settings"
        verbose_name_plural = "partnership settings"

    def __str__(self) -> str:
        return "Partnership settings"

    @classmethod
    def load(cls) -> "PartnershipSettings":
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class UserSession(models.Model):
    """A session a user signed in to, so that all of them can be ended at once: when the
    account is deactivated, when its roles change, or when the user signs out everywhere."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Session of {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"


class SignInMethod(models.TextChoices):
    PASSWORD = "password", "Password"
    AUTHENTICATOR = "authenticator", "Code from authenticator app"
    RECOVERY_CODE = "recovery_code", "Recovery code"


class SignInEvent(models.Model):
    """One attempt to sign in to an account that exists: the user's own sign-in history.
    Never holds what was typed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    address = models.GenericIPAddressField(null=True)
    method = models.CharField(max_length=20, choices=SignInMethod.choices)
    succeeded = models.BooleanField()

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["user", "method", "at"]),
            models.Index(fields=["address", "method", "at"]),
        ]

    def __str__(self) -> str:
        outcome = "succeeded" if self.succeeded else "failed"
        return f"{self.get_method_display()} sign-in {outcome} at {self.at:%Y-%m-%d %H:%M}"
