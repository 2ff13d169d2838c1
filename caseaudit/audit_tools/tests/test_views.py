import pytest

from caseaudit.audit_tools.actions import create_draft
from caseaudit.audit_tools.models import ToolSource, ToolVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_tool() -> ToolVersion:
    return ToolVersion.objects.get(tool_key="children_in_need_full", version=1)


def test_anonymous_is_sent_to_sign_in(client, full_tool) -> None:
    for url in ("/tools/", f"/tools/{full_tool.pk}/"):
        assert client.get(url)["Location"].startswith("/accounts/sign-in/?next=")


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "board_viewer", "administrator"]
)
def test_other_roles_get_403_on_the_list_and_404_on_a_tool(
    request, client_for, full_tool, persona
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/tools/").status_code == 403
    assert client.get(f"/tools/{full_tool.pk}/").status_code == 404
    assert client.post(f"/tools/{full_tool.pk}/publish/").status_code == 404


def test_coordinator_lists_the_shipped_tools(client_for, coordinator) -> None:
    html = client_for(coordinator).get("/tools/").content.decode()
    assert "Children in Need — full" in html and "Focused support — short" in html
    assert html.count("Published") == 2


def test_preview_renders_every_section_and_question_in_source_order(
    client_for, coordinator, full_tool
) -> None:
    html = client_for(coordinator).get(f"/tools/{full_tool.pk}/").content.decode()
    tool = full_tool.tool
    positions = [
        html.index("Key questions to be answered"),
        html.index("Every Child Matters outcomes"),
    ]
    for section in tool.sections:
        positions.append(html.index(f'id="section-{section.id}"'))
        for question in section.questions:
            first_words = question.text.split(" (")[0][:40].replace("’", "&#8217;")
            assert first_words in html or question.text[:40] in html
    positions.append(html.index("Judgement on quality of work"))
    assert positions == sorted(positions)
    assert "RESTRICTED WHEN COMPLETED" in html
    assert "Section 17 of the Children Act 1989" in html
    assert "Publish version" not in html


def test_coordinator_publishes_a_draft_once(client_for, coordinator, full_tool) -> None:
    draft = create_draft(full_tool.tool, by=coordinator, source=ToolSource.IMPORTED)
    client = client_for(coordinator)
    assert "Publish version 2" in client.get(f"/tools/{draft.pk}/").content.decode()
    assert client.get(f"/tools/{draft.pk}/publish/").status_code == 405
    response = client.post(f"/tools/{draft.pk}/publish/", follow=True)
    assert "is published and can now be assigned" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published
    assert client.post(f"/tools/{draft.pk}/publish/").status_code == 403
