import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("coordinator", "Coordinating audits"),
        ("health_lead", "Health’s returns"),
        ("health_auditor", "My audits"),
        ("board_viewer", "Reports"),
        ("administrator", "Administration"),
    ],
)
def test_each_role_sees_its_own_home_page(request, client_for, persona: str, heading: str) -> None:
    user = request.getfixturevalue(persona)
    html = client_for(user).get("/").content.decode()
    assert f">{heading}</h2>" in html
    others = {"Coordinating audits", "Health’s returns", "My audits", "Reports", "Administration"}
    for other in others - {heading}:
        assert f">{other}</h2>" not in html


def test_a_person_with_several_roles_sees_each_part(client_for, coordinator) -> None:
    coordinator.is_administrator = True
    coordinator.save()
    html = client_for(coordinator).get("/").content.decode()
    assert "Coordinating audits" in html and "Administration" in html


def test_navigation_shows_only_what_the_role_may_use(
    client_for, coordinator, health_auditor
) -> None:
    assert 'href="/tools/"' in client_for(coordinator).get("/").content.decode()
    assert 'href="/tools/"' not in client_for(health_auditor).get("/").content.decode()
