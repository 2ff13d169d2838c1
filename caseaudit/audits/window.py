"""The audit window: how far back the audit looks for one case."""

import calendar
from datetime import date


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier; a day the month lacks (29 February in a
    common year, 31 April) falls on that month's last day."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def audit_window_start(
    audit_date: date,
    referral_date: date | None,
    *,
    months_before_audit: int,
    months_before_referral: int | None,
) -> date:
    """N months back from the audit date, or M months before the referral to children's
    social care, whichever is more recent."""
    start = months_before(audit_date, months_before_audit)
    if referral_date is not None and months_before_referral is not None:
        start = max(start, months_before(referral_date, months_before_referral))
    return start
