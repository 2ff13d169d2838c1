"""An older completed form, typed into the source tool's Word document (no Ref column, no Case
Audit properties), uploaded on the return it belongs to: rows are matched by their wording."""

import pytest

from caseaudit.audits.models import Answer
from caseaudit.exchange.models import ImportedDocument, ImportKind
from caseaudit.exchange.tests.documents import as_upload, legacy_form

pytestmark = pytest.mark.django_db

ANSWERS = {
    "outcome_staying_safe": ("Child protection plan ended; no incidents since May.", "2"),
    "outcome_being_healthy": ("Health checks up to date.", "Good"),
    "practitioner_name": ("A. Practitioner",),
    "ei_reasons_for_involvement": ("Health visitor since birth.", "HV records 3/2/2025"),
    "ei_previous_effectiveness": ("Timely advice given.", ""),
    "assessment_up_to_date": ("Yes, reviewed in January.", "Assessment 12/01/2026"),
    "assessment_judgement": ("Needs are understood by every agency.", "2 - Good"),
    "planning_judgement": ("The plan is followed.", "Very good indeed"),
    "referral_quality": ("Referral was thorough.", ""),  # not for Health on this case
    "recommendations": ("Share the plan with the school.",),
    "audit_date": ("14/02/2026",),
}


def upload(client, ret, data: bytes):
    return client.post(
        f"/exchange/returns/{ret.pk}/word/upload/", {"document": as_upload(data, "old.docx")}
    )


def legacy(ret, extra_rows=(), reworded=None, answers=ANSWERS) -> bytes:
    return legacy_form(ret.tool_version.tool, answers, extra_rows, reworded)


def test_an_older_form_is_matched_by_question_wording(client_for, health_lead, ret) -> None:
    response = upload(client_for(health_lead), ret, legacy(ret))

    assert response.status_code == 302
    imported = ImportedDocument.objects.get(ret=ret)
    assert imported.kind == ImportKind.LEGACY
    values = imported.values
    assert values["outcome_staying_safe"] == {
        "text": "Child protection plan ended; no incidents since May.",
        "grade": 2,
        "not_applicable": False,
    }
    assert values["outcome_being_healthy"]["grade"] == 2
    assert values["practitioner_name"] == {"text": "A. Practitioner"}
    assert values["ei_reasons_for_involvement"] == {
        "text": "Health visitor since birth.",
        "evidence": "HV records 3/2/2025",
    }
    assert values["assessment_judgement"] == {
        "text": "Needs are understood by every agency.",
        "grade": 2,
        "not_applicable": False,
    }
    assert values["recommendations"] == {"text": "Share the plan with the school."}
    assert values["audit_date"] == {"date": "2026-02-14"}
    items = imported.report["items"]
    assert items["planning_judgement"]["grade"]["status"] == "unreadable"
    assert items["planning_judgement"]["grade"]["raw"] == "Very good indeed"
    assert items["ei_previous_effectiveness"]["evidence"] == {"status": "blank"}
    assert items["plan_child_centred"]["text"] == {"status": "blank"}
    assert items["assessment_equality"]["text"] == {"status": "missing"}


def test_questions_not_for_the_agency_are_listed_and_not_read(client_for, health_lead, ret) -> None:
    upload(client_for(health_lead), ret, legacy(ret))

    imported = ImportedDocument.objects.get(ret=ret)
    assert "referral_quality" not in imported.values
    assert [row["note"] for row in imported.report["not_for_agency"]] == [
        "Quality of referral, was all relevant information supplied so that the nature and "
        "level of the child’s needs and any risks can be assessed?"
    ]


def test_a_question_with_small_wording_changes_still_matches(client_for, health_lead, ret) -> None:
    reworded = {
        "oversight_line_manager_support": (
            "is the front line worker supported and directed in safeguarding & promoting the "
            "welfare of the child by their line-manager (through supervision, presence at key "
            "meetings, management decisions, consultation or decisions by senior managers etc)"
        )
    }
    answers = {
        **ANSWERS,
        "oversight_line_manager_support": ("Monthly supervision recorded.", "Supervision notes"),
    }
    upload(client_for(health_lead), ret, legacy(ret, reworded=reworded, answers=answers))

    imported = ImportedDocument.objects.get(ret=ret)
    assert imported.values["oversight_line_manager_support"] == {
        "text": "Monthly supervision recorded.",
        "evidence": "Supervision notes",
    }


def test_every_unmatched_row_is_shown_on_the_review_page(client_for, health_lead, ret) -> None:
    client = client_for(health_lead)
    stray = ("How did the school attendance change?", "It improved <b>a lot</b>", "")
    response = upload(client, ret, legacy(ret, extra_rows=(stray,)))

    imported = ImportedDocument.objects.get(ret=ret)
    assert [row["cells"][0] for row in imported.report["unmatched"]] == [
        "How did the school attendance change?"
    ]
    html = client.get(response["Location"]).content.decode()
    assert "Rows that match no question" in html
    assert "How did the school attendance change?" in html
    assert "It improved &lt;b&gt;a lot&lt;/b&gt;" in html  # escaped, never rendered as HTML
    assert "Very good indeed" in html and "Could not be read" in html


def test_a_form_naming_another_child_warns_before_accepting(client_for, health_lead, ret) -> None:
    ret.case.case_identifier = "200002"
    ret.case.save()
    client = client_for(health_lead)
    response = upload(client, ret, legacy(ret))

    html = client.get(response["Location"]).content.decode()
    assert "The form gives the child’s case identifier as “100001”" in html


def test_accepting_an_older_form_saves_what_was_matched(client_for, health_lead, ret) -> None:
    client = client_for(health_lead)
    upload(client, ret, legacy(ret))
    imported = ImportedDocument.objects.get(ret=ret)

    client.post(f"/exchange/imports/{imported.pk}/accept/", {"version": str(ret.version)})

    answer = Answer.objects.get(ret=ret, item_key="assessment_up_to_date")
    assert answer.text == "Yes, reviewed in January."
    assert answer.evidence == "Assessment 12/01/2026"
    assert not Answer.objects.filter(ret=ret, item_key="referral_quality").exists()
    planning = Answer.objects.get(ret=ret, item_key="planning_judgement")
    assert planning.text == "The plan is followed." and planning.grade is None


def test_a_row_with_writing_but_no_question_is_shown(client_for, health_lead, ret) -> None:
    upload(client_for(health_lead), ret, legacy(ret, extra_rows=(("", "Seen at school", ""),)))

    imported = ImportedDocument.objects.get(ret=ret)
    assert [row["cells"] for row in imported.report["unmatched"]] == [["", "Seen at school", ""]]
