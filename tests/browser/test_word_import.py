"""An agency lead downloads a return's Word form, the agency completes it in Word, and the
lead uploads it, checks what was read and accepts it. axe-core runs on every page."""

import pytest
from playwright.sync_api import Page, expect

from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Answer, ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.exchange.tests.documents import fill_in_python_docx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_uploads_a_completed_word_form_reviews_and_accepts_it(
    live_server, page: Page, axe_check, sign_in, health, health_lead, tmp_path
) -> None:
    ret = make_return(make_case(make_programme(), identifier="204518"), health)
    base = live_server.url

    sign_in(health_lead)
    page.goto(f"{base}/returns/{ret.pk}/")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word").click()
    assert download.value.suggested_filename.endswith(f"return {ret.pk}.docx")

    columns = {item.key: item.columns for part in parts_for(ret) for item in part.items}
    completed = tmp_path / "completed.docx"
    completed.write_bytes(
        fill_in_python_docx(
            download.value.path().read_bytes(),
            {
                "plan_clear_objectives": {"text": "Clear objectives.", "evidence": "Plan"},
                "planning_judgement": {"text": "The plan is followed.", "grade": "2 - Good"},
                "review_judgement": {"text": "Reviewed monthly.", "grade": "Brilliant"},
            },
            columns,
        )
    )

    page.get_by_role("link", name="Upload a completed Word form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a completed Word form")
    axe_check(page)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a completed Word form")
    axe_check(page)

    page.get_by_label("Completed Word form").set_input_files(completed)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the uploaded Word form")
    expect(page.locator("#unreadable + .govuk-warning-text")).to_be_visible()
    expect(page.get_by_role("cell", name="Brilliant")).to_have_count(2)
    axe_check(page)
    assert not Answer.objects.filter(ret=ret).exists()

    page.get_by_role("button", name="Accept and save to the return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The Word form has been imported: 3 answers saved to the return."
    )
    axe_check(page)

    planning = Answer.objects.get(ret=ret, item_key="planning_judgement")
    assert (planning.text, planning.grade) == ("The plan is followed.", 2)
    assert Answer.objects.get(ret=ret, item_key="review_judgement").grade is None
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.IN_PROGRESS
