"""A coordinator builds a neglect-focused tool from the full tool with the keyboard alone,
previews it, publishes it and compares it with the full tool; imports report their problems;
the designer's move buttons work with JavaScript off. axe-core runs on every page visited."""

import pytest
from playwright.sync_api import Locator, Page, expect

from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.models import ProgrammeStatus
from caseaudit.audits.tests.factories import make_case, make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEGLECT_TOOLKIT = "Was the neglect toolkit used to assess the child’s circumstances?"
THRESHOLD_MATRIX = "Was the threshold of needs matrix used to decide the level of support?"


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, locator: Locator, *, most: int = 30) -> None:
    """Press Tab until the element has the focus: it must be reachable by keyboard."""
    for _ in range(most):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} cannot be reached with the Tab key")


def press(page: Page, key: str) -> None:
    """Press a key that loads a new page (a link followed, a form sent), and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)


def follow(page: Page, link: Locator) -> None:
    """Follow a link from the keyboard."""
    link.focus()
    press(page, "Enter")


def test_coordinator_builds_a_neglect_focused_tool_by_keyboard(
    live_server, page: Page, sign_in, axe_check, coordinator, health, health_auditor
) -> None:
    sign_in(coordinator)
    follow(
        page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit tools")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit tools")
    axe_check(page)

    follow(page, page.get_by_role("link", name="Children in Need — full"))
    axe_check(page)
    follow(page, page.get_by_role("link", name="Start a new tool from this version"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new tool")
    axe_check(page)

    # Start: a new tool with its own id (the choice already made), then the titles.
    expect(page.get_by_label("A new tool, with its own id")).to_be_checked()
    page.get_by_label("A new tool, with its own id").focus()
    tool_id = page.get_by_label("Tool id")
    page.keyboard.press("Tab")
    assert is_focused(tool_id)
    tool_id.fill("neglect_focus")
    page.keyboard.press("Tab")
    title = page.get_by_label("Title", exact=True)
    assert is_focused(title)
    title.fill("Multi agency audit tool – neglect focus")
    page.keyboard.press("Tab")
    short_title = page.get_by_label("Short title")
    short_title.fill("Neglect focus")
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neglect focus")
    expect(page.get_by_text("Started Neglect focus, version 1 (draft)")).to_be_visible()
    axe_check(page)

    # Settings: the current Ofsted wording of the grade scale.
    follow(page, page.get_by_role("link", name="Change (Tool settings)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tool settings")
    axe_check(page)
    page.get_by_label("Ofsted four-point scale (as used in Ofsted inspections)").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Ofsted four-point scale (current wording)")).to_be_checked()
    save = page.get_by_role("button", name="Save settings")
    tab_to(page, save)
    press(page, "Enter")
    expect(page.get_by_text("Tool settings saved.")).to_be_visible()
    expect(page.get_by_text("Requires improvement to be good")).to_be_visible()

    # Briefer: leave out the two referral sections.
    for section in ("3. Referral", "3. Response to Referral"):
        follow(page, page.get_by_role("link", name=f"Remove section {section}", exact=True))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Remove this section from the draft?"
        )
        axe_check(page)
        page.get_by_role("button", name="Remove section").focus()
        press(page, "Space")
        expect(page.get_by_text("removed from this draft")).to_be_visible()
    axe_check(page)

    # A question on the neglect toolkit in Assessment (now section 3), answered yes or no.
    follow(page, page.get_by_role("link", name="Add a question to section 3. Assessment"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a question")
    axe_check(page)
    question = page.get_by_label("Question", exact=True)
    question.focus()
    question.fill(NEGLECT_TOOLKIT)
    page.keyboard.press("Tab")
    page.get_by_label("Sub-questions (optional)").fill("Which tool?\nWhen was it completed?")
    text_answer = page.get_by_label("Comments and evidence (free text)")
    tab_to(page, text_answer)
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Yes, no or not known, with comments")).to_be_checked()
    add = page.get_by_role("button", name="Add question")
    tab_to(page, add)
    press(page, "Enter")
    expect(page.get_by_text("Question added to “Assessment”.")).to_be_visible()

    # Moved up to follow the question on risks.
    move_up = page.get_by_role("button", name="Move up question 5 in section 3. Assessment")
    move_up.focus()
    press(page, "Space")
    expect(page.get_by_text("Question moved up.")).to_be_visible()
    expect(page.locator("#section-assessment")).to_contain_text(f"Question 4 {NEGLECT_TOOLKIT}")

    # A new section on the threshold of needs matrix; a missing title is explained first.
    follow(page, page.get_by_role("button", name="Add a section"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a section")
    axe_check(page)
    page.get_by_role("button", name="Add section").focus()
    press(page, "Enter")
    expect(page).to_have_title(
        "Error: Add a section – Case Audit – Safeguarding Children Partnership"
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the section title")
    expect(summary).to_contain_text("Enter the first question")
    axe_check(page)
    summary.get_by_role("link", name="Enter the section title").focus()
    page.keyboard.press("Enter")  # the summary's link moves the focus to the field
    section_title = page.get_by_label("Section title")
    assert is_focused(section_title)
    section_title.fill("Neglect")
    page.keyboard.press("Tab")
    page.get_by_label("First question").fill(THRESHOLD_MATRIX)
    tab_to(page, page.get_by_role("button", name="Add section"))
    press(page, "Enter")
    expect(page.get_by_text("Section “Neglect” added.")).to_be_visible()
    expect(page.get_by_role("heading", name="7. Neglect")).to_be_visible()
    axe_check(page)

    # Preview as the auditor will see it, then publish.
    follow(page, page.get_by_role("button", name="Preview and publish"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Multi agency audit tool – neglect focus"
    )
    expect(page.get_by_text(NEGLECT_TOOLKIT)).to_be_visible()
    expect(page.get_by_text(THRESHOLD_MATRIX)).to_be_visible()
    expect(page.get_by_role("heading", name="Referral", exact=True)).to_have_count(0)
    axe_check(page)
    page.get_by_role("button", name="Publish version 1").focus()
    press(page, "Enter")
    expect(page.get_by_text("is published and can now be assigned")).to_be_visible()
    expect(page.get_by_role("link", name="Edit this draft")).to_have_count(0)
    axe_check(page)

    # Its versions, and what changed from the full tool.
    follow(page, page.get_by_role("link", name="All versions of this tool"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions of Neglect focus")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Changes in version 1 since"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare versions")
    for line in ("2 sections removed", "1 section added", "2 questions added"):
        expect(page.get_by_text(line, exact=True)).to_be_visible()
    axe_check(page)

    published = ToolVersion.objects.get(tool_key="neglect_focus")
    assert published.is_published and published.based_on is not None
    assert [section.id for section in published.tool.sections][-1] == "neglect"

    # The coordinator assigns the new tool to Health for a case; the auditor sees its questions.
    programme = make_programme(status=ProgrammeStatus.AUDITING)
    programme.agencies.add(health)
    case = make_case(programme, identifier="NF-2001")
    page.goto(f"{live_server.url}/cases/{case.pk}/assignments/")
    page.locator("#id_agency").select_option(label="Health")
    page.locator("#id_tool_version").select_option(value=str(published.pk))
    page.locator("#id_auditor").select_option(value=str(health_auditor.pk))
    page.locator("#id_auditor").focus()
    tab_to(page, page.get_by_role("button", name="Assign"))
    press(page, "Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Health has been assigned")
    axe_check(page)

    page.context.clear_cookies()
    sign_in(health_auditor)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="My audits"))
    follow(page, page.get_by_role("link", name="Case NF-2001"))
    axe_check(page)
    follow(page, page.get_by_role("link", name="Neglect"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neglect")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Back to the return"))
    follow(page, page.get_by_role("link", name="Assessment"))
    expect(page.get_by_text(NEGLECT_TOOLKIT)).to_be_visible()
    axe_check(page)


def test_an_import_lists_its_problems_and_a_version_downloads(
    live_server, page: Page, sign_in, axe_check, coordinator, tmp_path
) -> None:
    sign_in(coordinator)
    full = ToolVersion.objects.get(tool_key="children_in_need_full")
    page.goto(f"{live_server.url}/tools/{full.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this version as YAML").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert exported.startswith("id: children_in_need_full\n")

    broken = tmp_path / "broken.yaml"
    broken.write_text(exported.replace("report_key: review\n", "report_key: reviews\n", 1))
    page.goto(f"{live_server.url}/tools/")
    follow(page, page.get_by_role("button", name="Import a tool from YAML"))
    axe_check(page)
    page.get_by_label("Upload a tool file (YAML)").set_input_files(broken)
    page.get_by_role("button", name="Import").focus()
    press(page, "Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("sections[5].judgement.report_key: unknown report key")
    expect(summary).to_contain_text("Line ")
    axe_check(page)

    good = tmp_path / "good.yaml"
    good.write_text(exported)
    page.get_by_label("Upload a tool file (YAML)").set_input_files(good)
    page.get_by_role("button", name="Import").focus()
    press(page, "Enter")
    expect(page.get_by_text("Imported Children in Need — full, version 2 (draft).")).to_be_visible()


def test_the_designer_works_without_javascript(live_server, browser, coordinator) -> None:
    from caseaudit.audit_tools import actions

    full = ToolVersion.objects.get(tool_key="children_in_need_full")
    draft = actions.start_draft(
        based_on=full,
        tool_key="no_script",
        title="No script",
        short_title="No script",
        by=coordinator,
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password", exact=True).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/tools/{draft.pk}/design/")
    page.get_by_role("button", name="Move down section 2. Early Intervention", exact=False).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("moved down")
    expect(page.get_by_role("heading", name="3. Early Intervention", exact=False)).to_be_visible()
    page.get_by_role("button", name="Move up question 1 in section 3. Early").click()
    expect(page.get_by_text("Question moved up.")).to_be_visible()
    expect(page.locator("#section-referral")).to_contain_text("Reasons for and nature")
    # axe-core cannot run with scripts off; the same page is checked in the journey above.
    context.close()
