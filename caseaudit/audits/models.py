import re
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from caseaudit.accounts.models import Agency, AgencyKind
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audit_tools.schema import Audience
from caseaudit.audits.window import audit_window_start

INITIALS = re.compile(r"^[A-Z](?:[A-Z'\-]){0,3}$")


def validate_initials(value: str) -> None:
    """Data minimisation: initials only, never a name."""
    if not INITIALS.match(value):
        raise ValidationError(
            "Enter initials only, in capital letters, like JS or ABC (up to 4 letters), "
            "never a name",
            code="initials",
        )


class ProgrammeStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    AUDITING = "auditing", "Auditing"
    MEETING = "meeting", "Meeting"
    REPORTING = "reporting", "Reporting"
    CLOSED = "closed", "Closed"


class Programme(models.Model):
    """One multi-agency audit: a set of cases audited by the participating agencies."""

    title = models.CharField(max_length=200)
    focus = models.TextField(blank=True, help_text="The theme or question this audit looks at.")
    audit_date = models.DateField()
    window_months_before_audit = models.PositiveSmallIntegerField(
        "months back from the audit date", default=18
    )
    window_months_before_referral = models.PositiveSmallIntegerField(
        "months before the referral", null=True, blank=True, default=6
    )
    return_deadline = models.DateField()
    meeting_date = models.DateField(null=True, blank=True)
    review_threshold_months = models.PositiveSmallIntegerField(default=6)
    status = models.CharField(
        max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNING
    )
    agencies = models.ManyToManyField(Agency, related_name="programmes", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-audit_date", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == ProgrammeStatus.CLOSED


class CaseCategory(models.TextChoices):
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked-after child"
    CARE_LEAVER = "care_leaver", "Care leaver"


class Case(models.Model):
    """A child's case within a programme, completed centrally by the coordinator."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    case_identifier = models.CharField(
        max_length=40,
        help_text="The case-management system's number: links the same child across programmes.",
    )
    initials = models.CharField(max_length=4, validators=[validate_initials])
    gender = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only when the date of birth is not recorded."
    )
    ethnicity = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=30, choices=CaseCategory.choices)
    referral_date = models.DateField(
        null=True, blank=True, help_text="Referral to children’s social care."
    )
    referring_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Children’s social care lead: receives safety escalations.",
    )
    lead_team = models.CharField(max_length=120, blank=True)
    opened_for_meeting_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["programme", "case_identifier"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "case_identifier"], name="one_case_per_identifier"
            )
        ]

    def __str__(self) -> str:
        return f"Case {self.case_identifier} ({self.initials})"

    @property
    def audit_window_start(self) -> date:
        return audit_window_start(
            self.programme.audit_date,
            self.referral_date,
            months_before_audit=self.programme.window_months_before_audit,
            months_before_referral=self.programme.window_months_before_referral,
        )

    @property
    def age_at_audit(self) -> int | None:
        if self.date_of_birth is None:
            return self.age
        audit = self.programme.audit_date
        born = self.date_of_birth
        return audit.year - born.year - ((audit.month, audit.day) < (born.month, born.day))

    def clean(self) -> None:
        if self.date_of_birth is None and self.age is None:
            raise ValidationError({"date_of_birth": "Enter the child’s date of birth or their age"})


class FamilyMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family_members")
    initials = models.CharField(max_length=4, validators=[validate_initials])
    relationship = models.CharField(max_length=60)
    age = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        age = f", {self.age}" if self.age is not None else ""
        return f"{self.initials} ({self.relationship}{age})"


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for amendment"
    CLOSED = "closed", "Closed"


EDITABLE_STATUSES = (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.RETURNED)


class Return(models.Model):
    """One agency's audit of one case: the assignment is the return before it starts."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="returns")
    tool_version = models.ForeignKey(ToolVersion, on_delete=models.PROTECT, related_name="+")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_returns",
        help_text="With no named auditor, the agency lead completes the return.",
    )
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised by every save.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amendment_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["case", "agency__name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "agency"], name="one_return_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} return for {self.case}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def applies(self, audience: Audience | None, default: Audience) -> bool:
        """Whether a question with this audience is for this return's agency on this case."""
        audience = audience or default
        is_csc = self.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE
        if audience == Audience.ALL_RELEVANT_AGENCIES:
            return True
        if audience == Audience.OTHER_THAN_CHILDRENS_SOCIAL_CARE:
            return not is_csc
        if audience == Audience.CHILDRENS_SOCIAL_CARE:
            return is_csc
        return is_csc or self.case.referring_agency_id == self.agency_id


ANSWER_COLUMNS = ("text", "evidence", "grade", "not_applicable", "choice", "date")


class Answer(models.Model):
    """One item of a return: a question, a judgement, an outcome, a key question, a field.

    One row per item, with the grade as a column, so the grade heat map is one GROUP BY."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="answers")
    item_key = models.CharField(max_length=80)
    report_key = models.CharField(max_length=60, blank=True, db_index=True)
    text = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    choice = models.CharField(max_length=20, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["ret", "item_key"], name="one_answer_per_item")
        ]
        indexes: ClassVar = [
            # The grade reports read only these columns of graded answers: from this index
            # alone, never the rows with their comments and evidence.
            models.Index(
                fields=["ret", "report_key", "grade", "not_applicable"],
                condition=models.Q(grade__isnull=False),
                name="answer_grades",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_key} of {self.ret_id}"

    def values(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "evidence": self.evidence,
            "grade": self.grade,
            "not_applicable": self.not_applicable,
            "choice": self.choice,
            "date": self.date.isoformat() if self.date else None,
        }


class Escalation(models.Model):
    """An auditor said the child is not safe, or not known, or actions are outstanding."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="escalations")
    item_key = models.CharField(max_length=80)
    answer = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-raised_at"]

    def __str__(self) -> str:
        return f"Escalation on {self.ret}"

    @property
    def is_open(self) -> bool:
        return self.responded_at is None


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    REMINDER = "reminder", "Reminder before the deadline"
    OVERDUE = "overdue", "Overdue"
    RETURNED = "returned", "Returned for amendment"
    ESCALATION = "escalation", "Safety escalation"


class Notification(models.Model):
    """An e-mail sent; the unique key makes sending idempotent (no duplicate reminders)."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    recipient = models.EmailField()
    key = models.CharField(max_length=120, help_text="What makes this notification distinct.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["ret", "kind", "recipient", "key"], name="one_notification_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"


class SampleStratification(models.TextChoices):
    NONE = "none", "Not stratified"
    CATEGORY = "category", "By category"
    TEAM = "lead_team", "By team"


class SampleDraw(models.Model):
    """A random draw of cases from a list of eligible cases, kept so that anyone can see the
    draw was fair and repeat it: the same seed and the same list draw the same cases."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sample_draws")
    seed = models.PositiveBigIntegerField()
    stratify_by = models.CharField(
        max_length=20, choices=SampleStratification.choices, default=SampleStratification.NONE
    )
    n = models.PositiveIntegerField("number of cases drawn")
    eligible_count = models.PositiveIntegerField("number of eligible cases")
    eligible_fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the sorted eligible case identifiers."
    )
    drawn_identifiers = models.JSONField(default=list)
    drawn_cases = models.JSONField(
        default=list,
        blank=True,
        help_text="The drawn cases' details, kept only until they are added to the programme.",
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    added_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"Draw of {self.n} from {self.eligible_count} (seed {self.seed})"

    @property
    def is_added(self) -> bool:
        return self.added_at is not None
