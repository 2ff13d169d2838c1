"""The partnership-wide list of report keys.

Every graded item of every tool maps to one of these keys, so agencies using different tools
line up item by item in the meeting's grade matrix and in reports.
"""

from dataclasses import dataclass
from enum import StrEnum


class ReportKeyKind(StrEnum):
    SECTION = "section"
    OUTCOME = "outcome"
    OVERALL = "overall"


@dataclass(frozen=True)
class ReportKey:
    key: str
    label: str
    kind: ReportKeyKind


REPORT_KEYS: tuple[ReportKey, ...] = (
    ReportKey("early_intervention", "Early intervention", ReportKeyKind.SECTION),
    ReportKey("response_to_referral", "Referral and response to referral", ReportKeyKind.SECTION),
    ReportKey("assessment", "Assessment", ReportKeyKind.SECTION),
    ReportKey("planning", "Planning", ReportKeyKind.SECTION),
    ReportKey("review", "Review", ReportKeyKind.SECTION),
    ReportKey("management_oversight", "Management oversight and recording", ReportKeyKind.SECTION),
    ReportKey("outcome_being_healthy", "Being healthy", ReportKeyKind.OUTCOME),
    ReportKey("outcome_staying_safe", "Staying safe", ReportKeyKind.OUTCOME),
    ReportKey("outcome_enjoying_achieving", "Enjoying and achieving", ReportKeyKind.OUTCOME),
    ReportKey(
        "outcome_positive_contribution", "Making a positive contribution", ReportKeyKind.OUTCOME
    ),
    ReportKey("outcome_economic_wellbeing", "Achieving economic well-being", ReportKeyKind.OUTCOME),
    ReportKey("overall", "Overall: own agency's work", ReportKeyKind.OVERALL),
    ReportKey("overall_partnership", "Overall: partnership working", ReportKeyKind.OVERALL),
)

REPORT_KEYS_BY_KEY: dict[str, ReportKey] = {rk.key: rk for rk in REPORT_KEYS}
