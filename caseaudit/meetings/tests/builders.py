"""A case with several agencies' submitted returns, graded as a test asks."""

from datetime import date

from caseaudit.accounts.models import Agency, User
from caseaudit.audits import actions as audit_actions
from caseaudit.audits.items import find_part, parts_for
from caseaudit.audits.models import Case, Return
from caseaudit.audits.tests.factories import make_return
from caseaudit.audits.tests.returns import fill_return


def submitted_return(
    case: Case, agency: Agency, auditor: User, grade: int = 2, **key_answers
) -> Return:
    ret = make_return(case, agency, auditor=auditor)
    fill_return(ret, auditor, grade=grade)
    if key_answers:
        part = find_part(parts_for(ret), "key-questions")
        values = {}
        for key, value in key_answers.items():
            values[key] = {"date": value} if isinstance(value, date) else {"choice": value}
        audit_actions.save_answers(ret, part, values, by=auditor, expected_version=ret.version)
    audit_actions.submit_return(ret, by=auditor, expected_version=ret.version)
    return ret
