"""Script stored in every free-text field comes back escaped: pages and the minutes PDF."""

import pytest
from django.apps import apps
from django.db import models

from caseaudit.activity.models import AppendOnly
from caseaudit.audits.models import Return
from tests.security.conftest import World
from tests.security.routes import all_routes

pytestmark = pytest.mark.django_db


# Stored script ---------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
PAYLOAD = IMAGE + SCRIPT
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

# Every field people type into, by model. A text field that is neither here nor in STRUCTURAL
# fails test_every_text_field_is_attacked, so a new one cannot escape the attack.
FREE_TEXT = {
    "accounts.Agency": ["name"],
    "accounts.User": ["full_name", "job_title"],
    "accounts.PartnershipSettings": ["escalation_procedure", "escalation_contacts"],
    "audits.Programme": ["title", "focus"],
    "audits.Case": ["case_identifier", "gender", "ethnicity", "language", "religion", "lead_team"],
    "audits.FamilyMember": ["relationship"],
    "audits.Return": ["amendment_reason"],
    "audits.Answer": ["text", "evidence"],
    "audits.Escalation": ["comment", "response"],
    "meetings.Theme": ["name", "description"],
    "meetings.ExternalAudit": ["title", "notes"],
    "meetings.Meeting": ["decisions"],
    "meetings.Attendee": ["name", "role"],
    "meetings.CaseDiscussion": ["notes", "decisions"],
    "meetings.AgreedGrade": ["reason"],
    "meetings.Finding": ["text"],
    "meetings.Action": ["description", "completion_evidence"],
    "meetings.ActionUpdate": ["note"],
    "exchange.ImportedDocument": ["file_name"],
    "api.ApiToken": ["name"],
    "activity.Change": ["note"],
    "reports.Resource": ["title", "text", "contacts"],
}
# Text fields that hold keys, codes, hashes or machine-made values, never typed text.
STRUCTURAL = {
    "accounts.User": ["password", "email"],
    "accounts.UserSession": ["session_key"],
    "audits.Case": ["initials"],  # validated: capital letters only
    "audits.FamilyMember": ["initials"],
    "audits.Answer": ["item_key", "report_key", "choice"],
    "audits.Escalation": ["item_key", "answer"],
    "audits.Notification": ["recipient", "key"],
    "audits.SampleDraw": ["eligible_fingerprint"],
    "audit_tools.ToolVersion": ["tool_key", "title", "content_hash"],
    "activity.Change": ["object_type", "field"],
    "activity.AccessEvent": ["object_type", "action"],
    "activity.RetentionRun": ["run_by"],
    "meetings.AgreedGrade": ["report_key"],
    "exchange.ImportedDocument": ["sha256"],
    "api.ApiToken": ["key_hash", "hint"],
    "reports.ReportJob": ["message", "file_name", "content_type"],
    "reports.LearningSummary": ["practitioner_marking"],
    "reports.LearningSummaryEdition": ["marking"],
    "reports.Branding": ["logo_content_type"],
}
# The learning summary's parts are all typed text: attacked as a whole.
WHOLE_MODELS = {"reports.LearningSummary"}


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.EmailField | models.URLField)
    ]


def test_every_text_field_is_attacked() -> None:
    unknown = []
    for model in apps.get_models():
        label = model._meta.label
        if not label.startswith(("accounts.", "audits.", "audit_tools.", "meetings.",
                                 "activity.", "exchange.", "api.", "reports.")):  # fmt: skip
            continue
        if label in WHOLE_MODELS:
            continue
        for name in _text_fields(model):
            if name not in FREE_TEXT.get(label, []) + STRUCTURAL.get(label, []):
                unknown.append(f"{label}.{name}")
    assert not unknown, "add to FREE_TEXT (typed by people) or STRUCTURAL: " + ", ".join(unknown)


def _store_payloads() -> int:
    stored = 0
    for label in [*FREE_TEXT, *WHOLE_MODELS]:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = _text_fields(model) if label in WHOLE_MODELS else FREE_TEXT[label]
        if issubclass(model, AppendOnly):
            # History is never changed (PostgreSQL refuses it): add rows holding the payload.
            for ret in Return.objects.all():
                model.objects.create(
                    object_type="audits.return", object_id=ret.pk, field="status", note=PAYLOAD
                )
                stored += 1
            continue
        for obj in model.objects.all():
            values = {}
            for name in names:
                field = model._meta.get_field(name)
                limit = getattr(field, "max_length", None) or 10_000
                # Unique per row, so that unique names stay unique.
                for payload in (f"{PAYLOAD} {obj.pk}", f"{SCRIPT}{obj.pk}"):
                    if len(payload) <= limit:
                        values[name] = payload
                        break
            if values:
                model.objects.filter(pk=obj.pk).update(**values)
                stored += len(values)
    return stored


def test_stored_script_comes_back_escaped_on_every_page(world: World) -> None:
    assert _store_payloads() > 100
    problems = []
    escaped_pages = 0
    for persona in ("coordinator", "health.lead", "health.auditor", "board"):
        client = world.client(persona)
        for route in all_routes():
            if route.is_api:
                continue
            url = route.url(world.values(route, world.own, "own"))
            response = client.get(url)
            if not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            if SCRIPT in html or "<img src=x onerror" in html:
                problems.append(f"{url} as {persona}: the payload is not escaped")
            escaped_pages += ESCAPED_SCRIPT in html
    assert not problems, "\n".join(problems)
    assert escaped_pages > 20, "the payload was shown, escaped, on many pages"


def test_stored_script_is_text_in_the_minutes_pdf(world: World, tmp_path) -> None:
    import shutil
    import subprocess

    _store_payloads()
    programme = world.own["programme_id"]
    meeting_programme = type(programme).objects.filter(meeting__isnull=False).first()
    response = world.client("coordinator").get(
        f"/meetings/programmes/{meeting_programme.pk}/minutes.pdf"
    )
    assert response.status_code == 200
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>alert(1)</script>" in text.replace("\n", ""), "shown as text, not run"
