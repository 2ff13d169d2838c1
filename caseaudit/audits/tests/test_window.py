from datetime import date

import pytest

from caseaudit.audits.window import audit_window_start, months_before


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 15), 18, date(2024, 9, 15)),
        (date(2026, 8, 29), 18, date(2025, 2, 28)),  # 29 February in a common year
        (date(2025, 8, 29), 18, date(2024, 2, 29)),  # a leap year keeps the day
        (date(2026, 10, 31), 6, date(2026, 4, 30)),  # 31 April → 30 April
        (date(2026, 1, 31), 1, date(2025, 12, 31)),
        (date(2026, 3, 31), 0, date(2026, 3, 31)),
    ],
)
def test_months_before_moves_by_calendar_months(day, months, expected) -> None:
    assert months_before(day, months) == expected


def test_the_audit_date_rule_wins_when_the_referral_is_long_ago() -> None:
    start = audit_window_start(
        date(2026, 3, 2), date(2020, 5, 1), months_before_audit=18, months_before_referral=6
    )
    assert start == date(2024, 9, 2)


def test_the_referral_rule_wins_when_the_referral_is_recent() -> None:
    start = audit_window_start(
        date(2026, 3, 2), date(2025, 9, 1), months_before_audit=18, months_before_referral=6
    )
    assert start == date(2025, 3, 1)


def test_with_no_referral_date_the_audit_date_rule_applies() -> None:
    start = audit_window_start(
        date(2026, 3, 2), None, months_before_audit=18, months_before_referral=6
    )
    assert start == date(2024, 9, 2)


def test_a_programme_without_a_referral_rule_ignores_the_referral() -> None:
    start = audit_window_start(
        date(2026, 3, 2), date(2025, 9, 1), months_before_audit=18, months_before_referral=None
    )
    assert start == date(2024, 9, 2)
