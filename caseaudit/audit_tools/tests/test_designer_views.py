"""The tool designer's pages: access, every form step, export and import."""

import html
import re

import pytest
import yaml

from caseaudit.audit_tools import actions
from caseaudit.audit_tools.loading import dump_tool, load_tool
from caseaudit.audit_tools.models import ToolSource, ToolVersion

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["health_auditor", "health_lead", "board_viewer", "administrator"]


@pytest.fixture
def full_tool() -> ToolVersion:
    return ToolVersion.objects.published().get(tool_key="children_in_need_full", version=1)


@pytest.fixture
def draft(full_tool, coordinator) -> ToolVersion:
    return actions.start_draft(
        based_on=full_tool,
        tool_key="neglect_focus",
        title="Multi agency audit tool – neglect focus",
        short_title="Neglect focus",
        by=coordinator,
    )


@pytest.fixture
def coordinator_client(client_for, coordinator):
    return client_for(coordinator)


def list_urls() -> list[str]:
    return ["/tools/new/", "/tools/import/", "/tools/compare/", "/tools/neglect_focus/versions/"]


def object_urls(draft: ToolVersion, full_tool: ToolVersion) -> list[str]:
    design = f"/tools/{draft.pk}/design"
    return [
        f"/tools/{full_tool.pk}/derive/",
        f"/tools/{full_tool.pk}/export/",
        f"{design}/",
        f"{design}/settings/",
        f"{design}/sections/add/",
        f"{design}/sections/planning/",
        f"{design}/sections/planning/remove/",
        f"{design}/sections/planning/questions/add/",
        f"{design}/questions/plan_child_centred/",
        f"{design}/questions/plan_child_centred/remove/",
    ]


def move_urls(draft: ToolVersion) -> list[str]:
    design = f"/tools/{draft.pk}/design"
    return [f"{design}/sections/planning/move/", f"{design}/questions/plan_child_centred/move/"]


def errors(response) -> list[str]:
    """The messages listed in the page's GOV.UK error summary."""
    page = response.content.decode()
    start = page.index("govuk-error-summary")
    summary = page[start : page.index("</ul>", start)]
    return [
        html.unescape(re.sub(r"\s+", " ", text).strip())
        for text in re.findall(r'<a href="[^"]*">(.*?)</a>', summary, re.S)
    ]


# Access -------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, draft, full_tool) -> None:
    for url in [*list_urls(), *object_urls(draft, full_tool)]:
        assert client.get(url)["Location"].startswith("/accounts/sign-in/?next="), url
    for url in move_urls(draft):
        assert client.post(url, {"direction": "up"})["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_other_roles_get_403_on_lists_and_forms_and_404_on_tool_versions(
    request, client_for, draft, full_tool, persona
) -> None:
    client = client_for(request.getfixturevalue(persona))
    before = draft.content_hash
    for url in list_urls():
        assert client.get(url).status_code == 403, url
    assert client.post("/tools/new/", {"kind": "new_tool"}).status_code == 403
    for url in object_urls(draft, full_tool):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    for url in move_urls(draft):
        assert client.post(url, {"direction": "up"}).status_code == 404, url
    draft.refresh_from_db()
    assert draft.content_hash == before


def test_coordinator_reaches_every_page(coordinator_client, draft, full_tool) -> None:
    for url in [*list_urls(), *object_urls(draft, full_tool)]:
        assert coordinator_client.get(url).status_code == 200, url


def test_an_unknown_section_or_question_is_404(coordinator_client, draft) -> None:
    design = f"/tools/{draft.pk}/design"
    assert coordinator_client.get(f"{design}/sections/nothing/").status_code == 404
    assert coordinator_client.get(f"{design}/questions/nothing/").status_code == 404
    assert coordinator_client.post(f"{design}/questions/nothing/move/").status_code == 404


def test_a_published_version_cannot_be_edited(coordinator_client, full_tool) -> None:
    design = f"/tools/{full_tool.pk}/design"
    pages = [
        f"{design}/",
        f"{design}/settings/",
        f"{design}/sections/planning/",
        f"{design}/questions/plan_child_centred/remove/",
    ]
    for url in pages:
        assert coordinator_client.get(url).status_code == 403, url
    response = coordinator_client.post(f"{design}/questions/plan_child_centred/remove/")
    assert response.status_code == 403
    response = coordinator_client.post(f"{design}/sections/planning/move/", {"direction": "up"})
    assert response.status_code == 403
    full_tool.refresh_from_db()
    assert [s.id for s in full_tool.tool.sections][4] == "planning"
    html = coordinator_client.get(f"/tools/{full_tool.pk}/").content.decode()
    assert "Edit this draft" not in html and "Start a new tool from this version" in html


# Starting a tool ----------------------------------------------------------------------------------


def test_coordinator_derives_a_new_tool(coordinator_client, coordinator, full_tool) -> None:
    form = coordinator_client.get(f"/tools/{full_tool.pk}/derive/").content.decode()
    assert 'value="Multi agency audit tool – Children in Need"' in form
    response = coordinator_client.post(
        f"/tools/{full_tool.pk}/derive/",
        {"kind": "new_tool", "tool_id": "neglect_focus", "title": "Neglect", "short_title": "N"},
    )
    draft = ToolVersion.objects.get(tool_key="neglect_focus")
    assert response["Location"] == f"/tools/{draft.pk}/design/"
    assert (draft.version, draft.based_on, draft.created_by) == (1, full_tool, coordinator)


def test_coordinator_makes_a_new_version_of_the_same_tool(coordinator_client, full_tool) -> None:
    response = coordinator_client.post(
        f"/tools/{full_tool.pk}/derive/",
        {"kind": "new_version", "tool_id": "ignored", "title": "T", "short_title": "S"},
    )
    draft = ToolVersion.objects.get(tool_key="children_in_need_full", version=2)
    assert response["Location"] == f"/tools/{draft.pk}/design/"


def test_coordinator_starts_a_blank_tool(coordinator_client) -> None:
    html = coordinator_client.get("/tools/new/").content.decode()
    assert 'name="kind" value="new_tool"' in html
    coordinator_client.post(
        "/tools/new/", {"kind": "new_tool", "tool_id": "blank", "title": "B", "short_title": "B"}
    )
    assert ToolVersion.objects.get(tool_key="blank").based_on is None


@pytest.mark.parametrize(
    ("tool_id", "message"),
    [
        ("", "Enter a tool id, like neglect_focus"),
        ("Neglect focus", "Tool id must start with a lower-case letter"),
        ("children_in_need_full", "A tool with the id children_in_need_full already exists"),
    ],
)
def test_a_bad_tool_id_is_refused(coordinator_client, full_tool, tool_id, message) -> None:
    response = coordinator_client.post(
        f"/tools/{full_tool.pk}/derive/",
        {"kind": "new_tool", "tool_id": tool_id, "title": "T", "short_title": "S"},
    )
    assert response.status_code == 200
    assert errors(response)[0].startswith(message)
    assert "<title>Error: Start a new tool" in response.content.decode()
    assert 'href="#id_tool_id"' in response.content.decode()
    assert ToolVersion.objects.count() == 2


# Editing a draft ----------------------------------------------------------------------------------


def test_tool_settings_change_the_titles_and_grade_scale(coordinator_client, draft) -> None:
    url = f"/tools/{draft.pk}/design/settings/"
    form = coordinator_client.get(url).content.decode()
    assert 'value="ofsted_four_point" checked' in form
    data = {
        name: getattr(draft.tool, name)
        for name in (
            "title",
            "description",
            "guidance",
            "equality_prompt",
            "marking_notice",
            "recommendations_label",
            "feedback_label",
        )
    }
    data |= {"short_title": "Neglect (short)", "grade_scale": "ofsted_requires_improvement"}
    data = {key: value.replace("\n", "\r\n") for key, value in data.items()}
    response = coordinator_client.post(url, data)
    assert response["Location"] == f"/tools/{draft.pk}/design/#settings"
    draft.refresh_from_db()
    assert draft.title == "Neglect (short)"
    assert draft.tool.guidance.count("\r") == 0
    assert draft.tool.grade_scale.grades[2].label == "Requires improvement to be good"
    assert draft.tool.grade_scale.allow_not_applicable is False


def test_an_empty_setting_is_an_error_on_the_page(coordinator_client, draft) -> None:
    response = coordinator_client.post(f"/tools/{draft.pk}/design/settings/", {})
    assert "Enter the title" in errors(response)
    assert "Choose a grade scale" in errors(response)


def test_coordinator_adds_a_graded_section_and_a_question(coordinator_client, draft) -> None:
    coordinator_client.post(f"/tools/{draft.pk}/design/sections/referral/remove/")
    response = coordinator_client.post(
        f"/tools/{draft.pk}/design/sections/add/",
        {
            "title": "Neglect",
            "first_question": "Was the threshold of needs matrix used?",
            "applies_to": "all_relevant_agencies",
            "equality": "on",
            "report_key": "",
        },
    )
    assert response["Location"] == f"/tools/{draft.pk}/design/#section-neglect"
    response = coordinator_client.post(
        f"/tools/{draft.pk}/design/sections/neglect/questions/add/",
        {
            "text": "Was the neglect toolkit used?",
            "sub_questions": "When?\r\n\r\nBy whom?",
            "audience": "other_than_childrens_social_care",
            "answer": "yes_no_not_known",
            "guidance": "",
        },
    )
    assert response["Location"].endswith("#question-neglect_was_the_neglect_toolkit")
    draft.refresh_from_db()
    section = draft.tool.sections[-1]
    assert (section.number, section.title, section.judgement) == (8, "Neglect", None)
    question = section.questions[1]
    assert question.sub_questions == ["When?", "By whom?"]
    assert (question.audience, question.answer) == (
        "other_than_childrens_social_care",
        "yes_no_not_known",
    )


def test_a_report_key_used_by_another_section_is_refused(coordinator_client, draft) -> None:
    response = coordinator_client.post(
        f"/tools/{draft.pk}/design/sections/referral/",
        {"title": "Referral", "applies_to": "all_relevant_agencies", "report_key": "planning"},
    )
    assert errors(response) == [
        "“Planning” already reports another graded item of this tool: choose another key, "
        "or leave this section not graded",
        "Enter the judgement question for the grade",
        "Enter the label for the impact answer",
    ]


def test_a_section_is_graded_with_a_free_report_key(coordinator_client, draft) -> None:
    coordinator_client.post(f"/tools/{draft.pk}/design/sections/review/remove/")
    coordinator_client.post(
        f"/tools/{draft.pk}/design/sections/referral/",
        {
            "title": "Referral",
            "applies_to": "referring_agency_and_childrens_social_care",
            "report_key": "review",
            "judgement_text": "Overall judgement on the referral?",
            "impact_label": "Impact",
        },
    )
    draft.refresh_from_db()
    judgement = draft.tool.sections[1].judgement
    assert (judgement.id, judgement.report_key) == ("referral_judgement", "review")


def test_coordinator_rewords_a_question(coordinator_client, draft) -> None:
    url = f"/tools/{draft.pk}/design/questions/plan_child_centred/"
    assert "Is the plan child-centred?" in coordinator_client.get(url).content.decode()
    coordinator_client.post(url, {"text": "Is the plan centred on the child?", "answer": "text"})
    draft.refresh_from_db()
    assert draft.tool.sections[4].questions[1].text == "Is the plan centred on the child?"


def test_removing_the_last_question_of_a_section_is_explained(coordinator_client, draft) -> None:
    design = f"/tools/{draft.pk}/design"
    coordinator_client.post(f"{design}/questions/referral_quality/remove/")
    response = coordinator_client.post(f"{design}/questions/referral_why_and_when/remove/")
    assert response.status_code == 200
    assert errors(response) == [
        "Section “Referral” needs at least one question: remove the section instead"
    ]


def test_move_buttons_reorder_without_javascript(coordinator_client, draft) -> None:
    design = f"/tools/{draft.pk}/design"
    html = coordinator_client.get(f"{design}/").content.decode()
    assert 'form="move-question-plan_child_centred" name="direction" value="up"' in html
    assert 'id="move-question-plan_child_centred" method="post"' in html
    response = coordinator_client.post(
        f"{design}/questions/plan_child_centred/move/", {"direction": "up"}
    )
    assert response["Location"] == f"{design}/#question-plan_child_centred"
    coordinator_client.post(f"{design}/sections/review/move/", {"direction": "up"})
    draft.refresh_from_db()
    assert draft.tool.sections[5].questions[0].id == "plan_child_centred"
    assert [s.id for s in draft.tool.sections][4:6] == ["review", "planning"]
    assert coordinator_client.post(f"{design}/sections/review/move/").status_code == 400


def test_a_move_past_the_end_is_explained(coordinator_client, draft) -> None:
    design = f"/tools/{draft.pk}/design"
    response = coordinator_client.post(
        f"{design}/sections/early_intervention/move/", {"direction": "up"}, follow=True
    )
    assert "The section is already the first" in response.content.decode()


# Versions, comparison, export and import ----------------------------------------------------------


def test_versions_page_lists_every_version(coordinator_client, draft, coordinator) -> None:
    actions.publish(draft, by=coordinator)
    second = actions.create_draft(draft.tool, by=coordinator, source=ToolSource.IMPORTED)
    html = coordinator_client.get("/tools/neglect_focus/versions/").content.decode()
    assert html.index("Version 2") < html.index("Version 1")
    assert f"?old={draft.pk}&amp;new={second.pk}" in html
    assert coordinator_client.get("/tools/no_such_tool/versions/").status_code == 404


def test_compare_shows_the_difference(coordinator_client, draft, full_tool, coordinator) -> None:
    actions.remove_section(draft, "referral", by=coordinator)
    response = coordinator_client.get(f"/tools/compare/?old={full_tool.pk}&new={draft.pk}")
    html = response.content.decode()
    assert "1 section removed" in html
    assert "Why and when was referral made" in html
    assert "neglect_focus" in html
    response = coordinator_client.get("/tools/compare/?old=999999&new=")
    assert errors(response) == [
        "Choose a version from the list",
        "Choose the version to compare with",
    ]


def test_export_downloads_the_yaml(coordinator_client, full_tool) -> None:
    response = coordinator_client.get(f"/tools/{full_tool.pk}/export/")
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="children_in_need_full-version-1.yaml"'
    )
    assert load_tool(response.content.decode()) == full_tool.tool


# A few hundred bytes that would expand to ten to the twelfth strings if walked.
ALIAS_BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]
)


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/yaml")


def test_import_stores_a_new_draft(coordinator_client, coordinator, draft) -> None:
    exported = dump_tool(draft.tool).encode()
    response = coordinator_client.post("/tools/import/", {"file": upload("tool.yaml", exported)})
    imported = ToolVersion.objects.get(tool_key="neglect_focus", version=2)
    assert response["Location"] == f"/tools/{imported.pk}/design/"
    assert (imported.source, imported.created_by) == (ToolSource.IMPORTED, coordinator)
    assert imported.content_hash == draft.content_hash


def test_import_lists_every_problem_with_its_line(coordinator_client, full_tool) -> None:
    text = dump_tool(full_tool.tool)
    text = text.replace("report_key: review\n", "report_key: reviews\n", 1)
    text = text.replace("- id: plan_child_centred", "- id: plan_clear_objectives", 1)
    lines = text.splitlines()
    review_line = next(i for i, line in enumerate(lines, 1) if "report_key: reviews" in line)
    response = coordinator_client.post(
        "/tools/import/", {"file": upload("tool.yml", text.encode())}
    )
    found = errors(response)
    assert len(found) == 2
    assert any(
        line.startswith(f"Line {review_line}: sections[5].judgement.report_key: unknown report key")
        for line in found
    )
    assert any('duplicate id "plan_clear_objectives"' in line for line in found)
    html = response.content.decode()
    assert 'href="#id_file"' in html
    assert "Fix the problems listed above, then upload the file again" in html
    assert ToolVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.yaml", "title: café".encode("latin-1"), "The file must be saved as UTF-8 text"),
        ("tool.docx", b"id: x", "The file must be a YAML file (.yaml or .yml)"),
        ("tool.yaml", b"#" * (1024 * 1024 + 1), "The file must be smaller than 1 MB"),
        ("tool.yaml", b"- just\n- a list\n", "Line 1: (document): an audit tool must be a YAML"),
        ("tool.yaml", b"id: [unclosed\n", "Line 2: (document): not valid YAML"),
        ("tool.yaml", ALIAS_BOMB.encode(), "Line 12: (document): uses more than 100 YAML aliases"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_error(
    coordinator_client, name, content, message
) -> None:
    response = coordinator_client.post("/tools/import/", {"file": upload(name, content)})
    assert errors(response)[0].startswith(message)
    assert ToolVersion.objects.count() == 2


def test_an_import_without_a_file_is_an_error(coordinator_client) -> None:
    assert errors(coordinator_client.post("/tools/import/", {})) == ["Choose a YAML file to upload"]


def test_yaml_of_the_blank_tool_reimports(coordinator) -> None:
    draft = actions.start_draft(
        based_on=None, tool_key="blank", title="Blank", short_title="Blank", by=coordinator
    )
    assert load_tool(dump_tool(draft.tool)) == draft.tool
    assert yaml.safe_load(dump_tool(draft.tool))["id"] == "blank"
