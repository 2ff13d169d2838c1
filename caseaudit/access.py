"""Who may see or change what: the one place.

Every view, API endpoint, export and report gets case-bearing objects through these functions.
Default deny: anything not granted here is refused. An object the user may not see raises
Http404, exactly as one that does not exist, so nobody can learn that a child's case exists.
"""

from collections.abc import Callable
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from caseaudit.accounts.models import User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.models import (
    EDITABLE_STATUSES,
    Case,
    Escalation,
    Programme,
    ProgrammeStatus,
    Return,
    ReturnStatus,
)
from caseaudit.meetings.models import Action, Finding, Meeting

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> TypeGuard[User]:
    return user.is_authenticated and user.is_active


def is_coordinator(user: AnyUser) -> bool:
    return _active(user) and user.is_coordinator


def can_manage_accounts(user: AnyUser) -> bool:
    """Administrators manage users and agencies (and nothing else by that role alone)."""
    return _active(user) and user.is_administrator


def can_manage_tools(user: AnyUser) -> bool:
    """Coordinators import, derive and publish audit tools."""
    return is_coordinator(user)


def visible_tool_versions(user: AnyUser) -> QuerySet[ToolVersion]:
    """Coordinators see every tool version, drafts included; nobody else browses tools."""
    if can_manage_tools(user):
        return ToolVersion.objects.all()
    return ToolVersion.objects.none()


def get_tool_version(user: AnyUser, tool_version_id: int) -> ToolVersion:
    try:
        return visible_tool_versions(user).get(pk=tool_version_id)
    except ToolVersion.DoesNotExist:
        raise Http404("No such tool version") from None


def can_publish_tool_version(user: AnyUser, tool_version: ToolVersion) -> bool:
    return can_manage_tools(user) and not tool_version.is_published


# Programmes, cases and returns -----------------------------------------------------------------

SUBMITTED_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.CLOSED)


def _is_lead_of(user: User, ret: Return) -> bool:
    return user.is_agency_lead and user.agency_id == ret.agency_id


def can_manage_programmes(user: AnyUser) -> bool:
    """Coordinators create programmes, complete cases centrally and assign agencies."""
    return is_coordinator(user)


def visible_programmes(user: AnyUser) -> QuerySet[Programme]:
    """Coordinators see every programme; agency leads and auditors the programmes their
    agency has a return in."""
    if not _active(user):
        return Programme.objects.none()
    if user.is_coordinator:
        return Programme.objects.all()
    return Programme.objects.filter(cases__in=visible_cases(user)).distinct()


def get_programme(user: AnyUser, programme_id: int) -> Programme:
    try:
        return visible_programmes(user).get(pk=programme_id)
    except Programme.DoesNotExist:
        raise Http404("No such programme") from None


def get_managed_programme(user: AnyUser, programme_id: int) -> Programme:
    """A programme the user may change: coordinators only."""
    if not can_manage_programmes(user):
        raise Http404("No such programme")
    return get_programme(user, programme_id)


def listed_returns(user: AnyUser) -> QuerySet[Return]:
    """Returns whose existence, status and progress the user may see (not their answers):
    coordinators all; agency leads their agency's; auditors those assigned to them; and any
    return they may read."""
    if not _active(user):
        return Return.objects.none()
    return Return.objects.filter(_listed_by_role(user) | _meeting_returns(user))


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    """Case details: coordinators all; agency leads and auditors the cases of the returns
    they are listed on."""
    if not _active(user):
        return Case.objects.none()
    if user.is_coordinator:
        return Case.objects.all()
    return Case.objects.filter(returns__in=listed_returns(user)).distinct()


def get_case(user: AnyUser, case_id: int) -> Case:
    try:
        return visible_cases(user).select_related("programme").get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def readable_returns(user: AnyUser) -> QuerySet[Return]:
    """Returns whose answers the user may read: their own drafts as auditor, their agency's as
    lead, submitted ones as coordinator, and other agencies' submitted returns for cases opened
    for the meeting that the user's agency took part in (as its lead or one of its auditors)."""
    if not _active(user):
        return Return.objects.none()
    return Return.objects.filter(_own_returns(user) | _meeting_returns(user))


def _own_returns(user: User) -> Q:
    """The grounds for reading a return that its own columns settle."""
    condition = Q(pk__in=[])
    if user.is_auditor:
        condition |= Q(auditor=user)
    if user.is_agency_lead:
        condition |= Q(agency_id=user.agency_id)
    if user.is_coordinator:
        condition |= Q(status__in=SUBMITTED_STATUSES)
    return condition


def _meeting_returns(user: User) -> Q:
    """The ground for reading another agency's return: its case is open for the meeting."""
    condition = Q(pk__in=[])
    meeting_cases = Case.objects.filter(opened_for_meeting_at__isnull=False)
    if user.is_agency_lead:
        taking_part = meeting_cases.filter(returns__agency_id=user.agency_id)
        condition |= Q(case__in=taking_part, status__in=SUBMITTED_STATUSES)
    if user.is_auditor:
        taking_part = meeting_cases.filter(returns__auditor=user)
        condition |= Q(case__in=taking_part, status__in=SUBMITTED_STATUSES)
    return condition


def _listed_by_role(user: User) -> Q:
    return Q(pk__isnull=False) if user.is_coordinator else _own_returns(user)


def _return_by(user: AnyUser, return_id: int, *grounds: Callable[[User], Q]) -> Return:
    """The return, if one of the grounds gives it to the user: tried one at a time, so that
    most return pages never build the meeting ground's subqueries, which cost more than the
    rest of the page's queries together."""
    if _active(user):
        returns = Return.objects.select_related(
            "case__programme", "case__referring_agency", "agency", "tool_version", "auditor"
        ).filter(pk=return_id)
        for ground in grounds:
            try:
                return returns.filter(ground(user)).get()
            except Return.DoesNotExist:
                continue
    raise Http404("No such return")


def get_return(user: AnyUser, return_id: int) -> Return:
    """A return whose answers the user may read (`readable_returns`)."""
    return _return_by(user, return_id, _own_returns, _meeting_returns)


def get_listed_return(user: AnyUser, return_id: int) -> Return:
    """A return whose status and progress the user may see (`listed_returns`)."""
    return _return_by(user, return_id, _listed_by_role, _meeting_returns)


def can_edit_return(user: AnyUser, ret: Return) -> bool:
    """The named auditor edits a draft; with no auditor named, the agency lead does."""
    if not _active(user) or ret.status not in EDITABLE_STATUSES:
        return False
    if ret.case.programme.status == ProgrammeStatus.CLOSED:
        return False
    if ret.auditor_id is not None:
        return ret.auditor_id == user.pk and user.is_auditor
    return _is_lead_of(user, ret)


def get_editable_return(user: AnyUser, return_id: int) -> Return:
    """A return the user may change now; any other answers 404."""
    # Whoever may edit a return (its auditor, or its lead) reads it by its own columns.
    ret = _return_by(user, return_id, _own_returns)
    if not can_edit_return(user, ret):
        raise Http404("No such return")
    return ret


def can_assign_auditor(user: AnyUser, ret: Return) -> bool:
    """Agency leads name auditors within their own agency, while the return is a draft."""
    return _active(user) and _is_lead_of(user, ret) and ret.status in EDITABLE_STATUSES


def can_return_for_amendment(user: AnyUser, ret: Return) -> bool:
    if not _active(user) or ret.status != ReturnStatus.SUBMITTED:
        return False
    if ret.case.programme.status == ProgrammeStatus.CLOSED:
        return False
    return user.is_coordinator or _is_lead_of(user, ret)


def can_view_history(user: AnyUser, ret: Return) -> bool:
    """The agency lead at once; the auditor their own; the coordinator once submitted."""
    if not _active(user):
        return False
    if _is_lead_of(user, ret):
        return True
    if ret.auditor_id == user.pk:
        return True
    return user.is_coordinator and ret.submitted_at is not None


def visible_escalations(user: AnyUser) -> QuerySet[Escalation]:
    """Coordinators see every escalation; a case's children's social care lead sees that
    case's; the agency lead and auditor see their own return's."""
    if not _active(user):
        return Escalation.objects.none()
    condition = Q(ret__case__lead_social_worker=user) | Q(ret__auditor=user)
    if user.is_coordinator:
        condition |= Q(pk__isnull=False)
    if user.is_agency_lead:
        condition |= Q(ret__agency_id=user.agency_id)
    return Escalation.objects.filter(condition)


def can_respond_to_escalation(user: AnyUser, escalation: Escalation) -> bool:
    if not _active(user) or not escalation.is_open:
        return False
    return user.is_coordinator or escalation.ret.case.lead_social_worker_id == user.pk


# Tool designer ---------------------------------------------------------------------------------


def can_design_tools(user: AnyUser) -> bool:
    """Coordinators start new tools (blank or from any version), import YAML and compare
    versions."""
    return can_manage_tools(user)


def can_edit_tool_version(user: AnyUser, tool_version: ToolVersion) -> bool:
    """A draft may be edited freely by a coordinator; a published version never changes."""
    if not can_manage_tools(user):
        return False
    return not tool_version.is_published


def can_export_tool_version(user: AnyUser, tool_version: ToolVersion) -> bool:
    """Coordinators download any version, draft or published, as YAML to share it."""
    return can_manage_tools(user)


# Meetings, findings, themes and actions --------------------------------------------------------


def can_run_meetings(user: AnyUser) -> bool:
    """Coordinators open cases for the meeting, record it, and code findings."""
    return is_coordinator(user)


def meeting_cases(user: AnyUser) -> QuerySet[Case]:
    """Cases whose consolidated view the user may open: coordinators any case; the agency lead
    and the assigned auditors of an agency that took part, once the case is opened."""
    if not _active(user):
        return Case.objects.none()
    if user.is_coordinator:
        return Case.objects.all()
    condition = Q(pk__in=[])
    if user.is_agency_lead:
        condition |= Q(returns__agency_id=user.agency_id)
    if user.is_auditor:
        condition |= Q(returns__auditor=user)
    return Case.objects.filter(condition, opened_for_meeting_at__isnull=False).distinct()


def get_meeting_case(user: AnyUser, case_id: int) -> Case:
    try:
        return meeting_cases(user).select_related("programme").get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def consolidated_returns(user: AnyUser, case: Case) -> QuerySet[Return]:
    """The submitted returns of a case that the user may read, side by side."""
    return readable_returns(user).filter(case=case, status__in=SUBMITTED_STATUSES)


def can_record_meeting(user: AnyUser, programme: Programme) -> bool:
    """The meeting record and findings are locked once the programme closes."""
    return can_run_meetings(user) and programme.status != ProgrammeStatus.CLOSED


def visible_findings(user: AnyUser) -> QuerySet[Finding]:
    """Coordinators see every finding; others the findings of cases they may consolidate."""
    if not _active(user):
        return Finding.objects.none()
    if user.is_coordinator:
        return Finding.objects.all()
    return Finding.objects.filter(case__in=meeting_cases(user))


def can_manage_themes(user: AnyUser) -> bool:
    return is_coordinator(user)


def can_view_themes(user: AnyUser) -> bool:
    """Theme names hold no case content: every active user with a role may read the register."""
    return _active(user) and bool(user.roles)


def visible_actions(user: AnyUser) -> QuerySet[Action]:
    """Coordinators track every action; agency leads their own agency's."""
    if not _active(user):
        return Action.objects.none()
    if user.is_coordinator:
        return Action.objects.all()
    if user.is_agency_lead:
        return Action.objects.filter(owner_agency_id=user.agency_id)
    return Action.objects.none()


def get_action(user: AnyUser, action_id: int) -> Action:
    try:
        return visible_actions(user).select_related("owner_agency", "programme").get(pk=action_id)
    except Action.DoesNotExist:
        raise Http404("No such action") from None


def can_update_action(user: AnyUser, action: Action) -> bool:
    """Actions outlive their programme: they are updated after it closes too."""
    if not _active(user):
        return False
    return user.is_coordinator or (user.is_agency_lead and user.agency_id == action.owner_agency_id)


def can_download_minutes(user: AnyUser, meeting: Meeting) -> bool:
    """The coordinator, and the lead of every agency that attended."""
    if not _active(user):
        return False
    if user.is_coordinator:
        return True
    return user.is_agency_lead and meeting.attendees.filter(agency_id=user.agency_id).exists()


# Reports and exports ---------------------------------------------------------------------------

from caseaudit.reports.models import (  # noqa: E402 - kept with its block
    Audience,
    LearningSummaryEdition,
    ReportJob,
)

REPORTING_STATUSES = (ProgrammeStatus.REPORTING, ProgrammeStatus.CLOSED)


def can_view_reports(user: AnyUser) -> bool:
    """Coordinators, agency leads and board viewers open the reports."""
    if not _active(user):
        return False
    return bool(user.is_coordinator or user.is_agency_lead or user.is_board_viewer)


def reports_are_suppressed(user: AnyUser) -> bool:
    """Board viewers see only anonymised aggregates with small numbers suppressed; a
    coordinator sees everything and an agency lead their own agency's slice in full."""
    if not _active(user):
        return True
    return not (user.is_coordinator or user.is_agency_lead)


def report_agency_id(user: AnyUser) -> int | None:
    """The agency an agency lead's reports are confined to; None for the whole partnership."""
    if not _active(user) or user.is_coordinator:
        return None
    if user.is_agency_lead:
        return user.agency_id
    return None


def report_programmes(user: AnyUser) -> QuerySet[Programme]:
    """Programmes a user may report on: coordinators every one; agency leads those their
    agency has a return in; board viewers those that reached reporting."""
    if not _active(user) or not can_view_reports(user):
        return Programme.objects.none()
    if user.is_coordinator:
        return Programme.objects.all()
    if user.is_agency_lead:
        return visible_programmes(user)
    return Programme.objects.filter(status__in=REPORTING_STATUSES)


def get_report_programme(user: AnyUser, programme_id: int) -> Programme:
    try:
        return report_programmes(user).get(pk=programme_id)
    except Programme.DoesNotExist:
        raise Http404("No such programme") from None


def can_see_finding_text(user: AnyUser) -> bool:
    """Findings and actions are free text that may describe a child: not for board viewers."""
    return not reports_are_suppressed(user)


def can_export_answers(user: AnyUser) -> bool:
    """Coordinators export every submitted return's answers; agency leads their agency's."""
    return is_coordinator(user) or (_active(user) and user.is_agency_lead)


def exportable_returns(user: AnyUser) -> QuerySet[Return]:
    """Returns whose answers go into a user's export: coordinators every submitted return;
    an agency lead only their own agency's returns (never another agency's)."""
    if not _active(user) or not can_export_answers(user):
        return Return.objects.none()
    if user.is_coordinator:
        return Return.objects.filter(status__in=SUBMITTED_STATUSES)
    return Return.objects.filter(agency_id=user.agency_id)


def can_download_inspection_pack(user: AnyUser) -> bool:
    return is_coordinator(user)


def can_download_full_export(user: AnyUser) -> bool:
    """Everything the partnership holds, so it is never locked in: coordinators only."""
    return is_coordinator(user)


def can_view_calibration(user: AnyUser) -> bool:
    """Coordinators see every agency's calibration; agency leads their own agency's."""
    return is_coordinator(user) or (_active(user) and user.is_agency_lead)


def can_edit_learning_summary(user: AnyUser, programme: Programme) -> bool:
    return is_coordinator(user)


def can_manage_resources(user: AnyUser) -> bool:
    return is_coordinator(user)


def visible_learning_editions(user: AnyUser) -> QuerySet[LearningSummaryEdition]:
    """Published learning summaries: the practitioners' and board edition for every user with
    a role; the edition that identifies cases for coordinators and the leads of agencies that
    took part in the programme."""
    if not (_active(user) and user.roles):
        return LearningSummaryEdition.objects.none()
    if user.is_coordinator:
        return LearningSummaryEdition.objects.all()
    condition = Q(audience=Audience.PRACTITIONERS)
    if user.is_agency_lead:
        condition |= Q(audience=Audience.PARTNERS, summary__programme__in=visible_programmes(user))
    return LearningSummaryEdition.objects.filter(condition)


def get_learning_edition(user: AnyUser, edition_id: int) -> LearningSummaryEdition:
    try:
        return (
            visible_learning_editions(user).select_related("summary__programme").get(pk=edition_id)
        )
    except LearningSummaryEdition.DoesNotExist:
        raise Http404("No such learning summary") from None


def visible_report_jobs(user: AnyUser) -> QuerySet[ReportJob]:
    """Each person sees and downloads only the exports they asked for."""
    if not _active(user) or not can_view_reports(user):
        return ReportJob.objects.none()
    return ReportJob.objects.filter(requested_by=user)


def get_report_job(user: AnyUser, job_id: int) -> ReportJob:
    try:
        return visible_report_jobs(user).get(pk=job_id)
    except ReportJob.DoesNotExist:
        raise Http404("No such export") from None


# Word round-trip -------------------------------------------------------------------------------

from caseaudit.exchange.models import ImportedDocument  # noqa: E402 - kept with its block


def can_download_word_form(user: AnyUser, ret: Return) -> bool:
    """The coordinator, the agency's lead and the return's named auditor download its Word
    form (holding its answers only for those who may read them)."""
    if not _active(user):
        return False
    if user.is_coordinator:
        return True
    if _is_lead_of(user, ret):
        return True
    return user.is_auditor and ret.auditor_id == user.pk


def get_word_form_return(user: AnyUser, return_id: int) -> Return:
    ret = get_listed_return(user, return_id)
    if not can_download_word_form(user, ret):
        raise Http404("No such return")
    return ret


def can_read_return_answers(user: AnyUser, ret: Return) -> bool:
    """Whether a Word form or an import review may show the return's saved answers."""
    return readable_returns(user).filter(pk=ret.pk).exists()


def can_review_word_imports(user: AnyUser, ret: Return) -> bool:
    """The coordinator and the agency's lead upload completed Word forms and review them."""
    if not _active(user):
        return False
    return user.is_coordinator or _is_lead_of(user, ret)


def can_import_word_form(user: AnyUser, ret: Return) -> bool:
    """An upload is accepted only into a return that can still change."""
    if not can_review_word_imports(user, ret):
        return False
    if ret.status not in EDITABLE_STATUSES:
        return False
    return ret.case.programme.status != ProgrammeStatus.CLOSED


def get_word_import_return(user: AnyUser, return_id: int) -> Return:
    ret = get_listed_return(user, return_id)
    if not can_review_word_imports(user, ret):
        raise Http404("No such return")
    return ret


def visible_word_imports(user: AnyUser) -> QuerySet[ImportedDocument]:
    """Uploaded Word forms: the coordinator sees every one, an agency lead their agency's."""
    if not _active(user):
        return ImportedDocument.objects.none()
    condition = Q(pk__in=[])
    if user.is_coordinator:
        condition |= Q(pk__isnull=False)
    if user.is_agency_lead:
        condition |= Q(ret__agency_id=user.agency_id)
    return ImportedDocument.objects.filter(condition)


def get_word_import(user: AnyUser, import_id: int) -> ImportedDocument:
    try:
        return (
            visible_word_imports(user)
            .select_related("ret__case__programme", "ret__agency", "ret__tool_version")
            .get(pk=import_id)
        )
    except ImportedDocument.DoesNotExist:
        raise Http404("No such upload") from None


# Access log ------------------------------------------------------------------------------------


def can_view_access_log(user: AnyUser) -> bool:
    """Coordinators and administrators search the access log. It says who read which record
    and when, never what the record holds."""
    return is_coordinator(user) or can_manage_accounts(user)


def can_export_subject_access(user: AnyUser) -> bool:
    """Everything held about one child's case, for a subject-access request: coordinators
    only, and every export is itself logged."""
    return is_coordinator(user)
