"""The demo partnership: the six partner agencies of the learning summary, the business unit,
and one account per role (an agency lead and an auditor in each agency)."""

from dataclasses import dataclass

from django.db import transaction

from caseaudit.accounts.models import Agency, AgencyKind, User

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_DOMAIN = "demo.example"


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    kind: AgencyKind
    lead: str
    auditor: str


BUSINESS_UNIT = "Partnership Business Unit"
AGENCIES = (
    DemoAgency(
        "yos", "Youth Offending Service", AgencyKind.YOUTH_JUSTICE, "Dev Patel", "Sam Okafor"
    ),
    DemoAgency(
        "eis", "Early Intervention Service", AgencyKind.EARLY_HELP, "Rachel Green", "Tom Hughes"
    ),
    DemoAgency(
        "csc",
        "Children’s Social Care",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        "Helen Carter",
        "Marcus Reid",
    ),
    DemoAgency("health", "Health", AgencyKind.HEALTH, "Dr Aisha Khan", "Nadia Brooks"),
    DemoAgency(
        "sen",
        "Special Educational Needs Service",
        AgencyKind.EDUCATION,
        "Gareth Evans",
        "Lucy Fraser",
    ),
    DemoAgency("vs", "Virtual School", AgencyKind.EDUCATION, "Fiona Walsh", "Ben Adeyemi"),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    agency: str
    roles: tuple[str, ...]


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount(f"coordinator@{DEMO_DOMAIN}", "Priya Shah", BUSINESS_UNIT, ("is_coordinator",)),
        DemoAccount(f"admin@{DEMO_DOMAIN}", "Alex Morgan", BUSINESS_UNIT, ("is_administrator",)),
        DemoAccount(f"board@{DEMO_DOMAIN}", "Jo Bennett", BUSINESS_UNIT, ("is_board_viewer",)),
    ]
    for agency in AGENCIES:
        accounts.append(
            DemoAccount(
                f"{agency.slug}.lead@{DEMO_DOMAIN}", agency.lead, agency.name, ("is_agency_lead",)
            )
        )
        accounts.append(
            DemoAccount(
                f"{agency.slug}.auditor@{DEMO_DOMAIN}", agency.auditor, agency.name, ("is_auditor",)
            )
        )
    return accounts


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    """Create (or bring back) the demo partnership. Safe to run again."""
    Agency.objects.update_or_create(
        name=BUSINESS_UNIT,
        defaults={"kind": AgencyKind.OTHER, "is_business_unit": True},
    )
    for agency in AGENCIES:
        Agency.objects.update_or_create(name=agency.name, defaults={"kind": agency.kind})
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    accounts = demo_accounts()
    for account in accounts:
        user, created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "agency": agencies[account.agency],
                "is_active": True,
                **dict.fromkeys(account.roles, True),
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return accounts
