"""The access policy as a matrix: every role, every object, every action."""

import pytest
from django.http import Http404

from caseaudit import access
from caseaudit.accounts.models import Agency, AgencyKind, Role, User
from caseaudit.audit_tools.actions import create_draft
from caseaudit.audit_tools.models import ToolSource, ToolVersion

pytestmark = pytest.mark.django_db

ROLES = list(Role)


@pytest.fixture
def users() -> dict[str, User]:
    agency = Agency.objects.create(name="Health", kind=AgencyKind.HEALTH)
    people = {
        role.value: User.objects.create_user(
            f"{role.value}@example.org",
            "x" * 12,
            full_name=role.label,
            agency=agency,
            **{f"is_{role.value}": True},
        )
        for role in ROLES
    }
    people["no_role"] = User.objects.create_user(
        "nobody@example.org", "x" * 12, full_name="Nobody", agency=agency
    )
    people["inactive_coordinator"] = User.objects.create_user(
        "gone@example.org",
        "x" * 12,
        full_name="Gone",
        agency=agency,
        is_coordinator=True,
        is_active=False,
    )
    return people


@pytest.fixture
def tool_versions(users) -> dict[str, ToolVersion]:
    published = ToolVersion.objects.published().get(tool_key="children_in_need_full")
    draft = create_draft(published.tool, by=users["coordinator"], source=ToolSource.IMPORTED)
    return {"published": published, "draft": draft}


# (who, object, action) → allowed. Anything not listed as True is refused.
EXPECTED = {
    ("coordinator", "published", "view"): True,
    ("coordinator", "draft", "view"): True,
    ("coordinator", "draft", "publish"): True,
    ("coordinator", "published", "publish"): False,  # already frozen
}
WHO = [*(role.value for role in ROLES), "no_role", "inactive_coordinator", "anonymous"]


def allowed(user, tool_version: ToolVersion, action: str) -> bool:
    if action == "view":
        try:
            access.get_tool_version(user, tool_version.pk)
        except Http404:
            return False
        return True
    return access.can_publish_tool_version(user, tool_version)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("obj", ["published", "draft"])
@pytest.mark.parametrize("action", ["view", "publish"])
def test_tool_version_matrix(users, tool_versions, who: str, obj: str, action: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else users[who]
    assert allowed(user, tool_versions[obj], action) is EXPECTED.get((who, obj, action), False)


@pytest.mark.parametrize("who", WHO)
def test_role_level_permissions(users, who: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else users[who]
    assert access.can_manage_tools(user) is (who == "coordinator")
    assert access.can_manage_accounts(user) is (who == "administrator")
    assert access.visible_tool_versions(user).exists() is (who == "coordinator")


def test_an_unknown_tool_version_is_the_same_404_as_a_forbidden_one(users, tool_versions) -> None:
    with pytest.raises(Http404) as unknown:
        access.get_tool_version(users["coordinator"], 999_999)
    with pytest.raises(Http404) as forbidden:
        access.get_tool_version(users["auditor"], tool_versions["draft"].pk)
    assert str(unknown.value) == str(forbidden.value)
