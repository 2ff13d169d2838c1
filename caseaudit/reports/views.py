from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from caseaudit import access
from caseaudit.activity.actions import record_access
from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY
from caseaudit.lib.types import AuthenticatedRequest
from caseaudit.reports import actions, aggregates, briefing, calibration, learning, tables, tasks
from caseaudit.reports.forms import (
    EqualityForm,
    ExportForm,
    InspectionPackForm,
    LearningSummaryForm,
    LogoForm,
    ReportFilterForm,
    ResourceForm,
    TrendForm,
)
from caseaudit.reports.models import Audience, Branding, JobKind, LearningSummary, Resource
from caseaudit.reports.suppression import threshold


def _reader(request: AuthenticatedRequest) -> dict[str, Any]:
    """Who is reading, as the reports need to know it."""
    if not access.can_view_reports(request.user):
        raise PermissionDenied
    return {
        "suppressed": access.reports_are_suppressed(request.user),
        "agency_id": access.report_agency_id(request.user),
        "threshold": threshold(),
        "can_see_text": access.can_see_finding_text(request.user),
    }


def index(request: AuthenticatedRequest) -> HttpResponse:
    reader = _reader(request)
    user = request.user
    programmes = access.report_programmes(user).select_related("learning_summary")
    editions = (
        access.visible_learning_editions(user)
        .select_related("summary__programme")
        .order_by("summary__programme__title", "-number", "audience")
    )
    latest: dict[tuple[int, str], Any] = {}
    for edition in editions:
        latest.setdefault((edition.summary_id, edition.audience), edition)
    return render(
        request,
        "reports/index.html",
        {
            **reader,
            "programmes": programmes,
            "editions": list(latest.values()),
            "can_edit_summaries": access.is_coordinator(user),
            "can_view_calibration": access.can_view_calibration(user),
            "can_manage_resources": access.can_manage_resources(user),
            "jobs": access.visible_report_jobs(user)[:10],
        },
    )


def _filter_form(
    request: AuthenticatedRequest, form_class: type[ReportFilterForm], **kwargs: Any
) -> ReportFilterForm:
    lead = access.report_agency_id(request.user) is not None
    return form_class(request.GET or None, agencies=not lead, **kwargs)


def dashboard(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    """One programme: completion, the grade heat map, distributions, key questions, themes
    and actions. Board viewers see anonymised counts with small numbers suppressed."""
    reader = _reader(request)
    programme = access.get_report_programme(request.user, programme_id)
    form = _filter_form(request, ReportFilterForm, dates=False)
    f = form.report_filter(reader["agency_id"])
    programmes = access.report_programmes(request.user).filter(pk=programme.pk)
    suppressed = reader["suppressed"]
    heat = aggregates.heat_map(programmes, f)
    today = timezone.localdate()
    action_matrix = aggregates.action_rates(programmes, f, today)
    context: dict[str, Any] = {
        **reader,
        "programme": programme,
        "form": form,
        "completion": tables.count_table(
            aggregates.completion(programmes, f),
            caption="Returns by agency and status",
            row_heading="Agency",
            suppressed=suppressed,
        ),
        "heat": tables.heat_table(heat, suppressed=suppressed),
        "distribution": tables.count_table(
            aggregates.grade_distribution(heat),
            caption="Grades given, by report key (all agencies)",
            row_heading="Report key",
            suppressed=suppressed,
            column_totals=False,
        ),
        "not_applicable": aggregates.not_applicable_counts(programmes, f),
        "key_questions": tables.count_table(
            aggregates.key_question_answers(programmes, f),
            caption="Key questions: agencies’ answers",
            row_heading="Question",
            suppressed=suppressed,
            column_totals=False,
        ),
        "theme_counts": tables.count_table(
            aggregates.theme_counts(programmes, f),
            caption="Findings by theme",
            row_heading="Theme",
            suppressed=suppressed,
            column_totals=False,
        ),
        "actions_table": tables.count_table(
            action_matrix,
            caption="Actions by owner agency",
            row_heading="Agency",
            suppressed=suppressed,
            row_totals=False,
        ),
        "report_keys": REPORT_KEYS_BY_KEY,
        "today": today,
    }
    if reader["can_see_text"]:
        context["findings"] = aggregates.findings_by_theme(
            programmes, f, access.visible_findings(request.user)
        )
        context["open_actions"] = aggregates.open_actions(
            programmes, f, access.visible_actions(request.user)
        )
        record_access(request, programme, "view dashboard")
    context["summary"] = getattr(programme, "learning_summary", None)
    context["can_edit_summary"] = access.can_edit_learning_summary(request.user, programme)
    context["can_pack"] = access.can_download_inspection_pack(request.user)
    return render(request, "reports/dashboard.html", context)


def across(request: AuthenticatedRequest) -> HttpResponse:
    """Every programme the reader may see: themes over time, grade trends, recurring themes,
    actions by agency."""
    reader = _reader(request)
    form = _filter_form(request, TrendForm)
    f = form.report_filter(reader["agency_id"])
    programmes = access.report_programmes(request.user)
    suppressed = reader["suppressed"]
    report_key = form.cleaned_data.get("report_key", "") if form.is_valid() else ""
    today = timezone.localdate()
    action_matrix = aggregates.action_rates(programmes, f, today)
    trend_by_key, trend_by_agency = aggregates.grade_trends(programmes, f, report_key)
    return render(
        request,
        "reports/across.html",
        {
            **reader,
            "form": form,
            "frequency": tables.count_table(
                aggregates.theme_frequency(programmes, f),
                caption="Findings coded to each theme, programme by programme",
                row_heading="Theme",
                suppressed=suppressed,
                column_totals=False,
            ),
            "trend_by_key": tables.trend_table(
                trend_by_key,
                caption="Mean grade by report key (1 is best)",
                row_heading="Report key",
                suppressed=suppressed,
            ),
            "trend_by_agency": tables.trend_table(
                trend_by_agency,
                caption=(
                    f"Mean grade by agency: {REPORT_KEYS_BY_KEY[report_key].label}"
                    if report_key in REPORT_KEYS_BY_KEY
                    else "Mean grade by agency: every graded item"
                ),
                row_heading="Agency",
                suppressed=suppressed,
            ),
            "recurring": aggregates.recurring_themes(programmes, f),
            "actions_table": tables.count_table(
                action_matrix,
                caption="Actions by owner agency, every programme",
                row_heading="Agency",
                suppressed=suppressed,
                row_totals=False,
            ),
            "rates": [
                aggregates.completion_rate(action_matrix, row)
                for row in range(len(action_matrix.rows))
            ],
        },
    )


def equality(request: AuthenticatedRequest) -> HttpResponse:
    """Grades and findings by ethnicity, gender, age band, language, religion or category."""
    reader = _reader(request)
    programmes = access.report_programmes(request.user)
    lead = reader["agency_id"] is not None
    form = EqualityForm(request.GET or None, agencies=not lead, programmes=programmes)
    f = form.report_filter(reader["agency_id"])
    data = form.cleaned_data if form.is_valid() else {}
    programme_id = data.get("programme") or ""
    if programme_id.isdigit():
        programmes = programmes.filter(pk=int(programme_id))
    characteristics = (
        [data["characteristic"]] if data.get("characteristic") else list(aggregates.CHARACTERISTICS)
    )
    report_key = data.get("report_key") or "overall"
    label = REPORT_KEYS_BY_KEY[report_key].label
    breakdowns = [
        tables.equality_tables(
            aggregates.equality(programmes, f, characteristic, report_key),
            report_key_label=label,
            suppressed=reader["suppressed"],
        )
        for characteristic in characteristics
    ]
    return render(
        request,
        "reports/equality.html",
        {**reader, "form": form, "breakdowns": breakdowns, "report_key_label": label},
    )


def calibration_report(request: AuthenticatedRequest) -> HttpResponse:
    """How often, and which way, each agency's grades differed from the agreed ones."""
    reader = _reader(request)
    if not access.can_view_calibration(request.user):
        raise PermissionDenied
    form = _filter_form(request, ReportFilterForm)
    f = form.report_filter(reader["agency_id"])
    entries = calibration.calibration(access.report_programmes(request.user), f)
    return render(
        request,
        "reports/calibration.html",
        {
            **reader,
            "form": form,
            "entries": entries,
            "by_report_key": calibration.by_report_key(entries),
        },
    )


# Exports ------------------------------------------------------------------------------------


def _export_kinds(request: AuthenticatedRequest) -> list[tuple[str, str]]:
    user = request.user
    kinds = []
    if access.can_export_answers(user):
        kinds += [JobKind.ANSWERS_XLSX, JobKind.ANSWERS_CSV]
    kinds += [JobKind.AGGREGATES_XLSX, JobKind.AGGREGATES_CSV]
    if access.can_download_full_export(user):
        kinds.append(JobKind.FULL_EXPORT)
    return [(kind.value, kind.label) for kind in kinds]


def export_start(request: AuthenticatedRequest) -> HttpResponse:
    reader = _reader(request)
    programmes = access.report_programmes(request.user)
    form = ExportForm(
        request.POST or None,
        kinds=_export_kinds(request),
        programmes=programmes,
        initial={"programme": request.GET.get("programme", "")},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["programme"]
        programme = access.get_report_programme(request.user, int(chosen)) if chosen else None
        kind = JobKind(form.cleaned_data["kind"])
        job = actions.request_job(
            kind,
            by=request.user,
            programme=None if kind == JobKind.FULL_EXPORT else programme,
            parameters={"suppress": form.cleaned_data["suppress"]},
        )
        tasks.enqueue(job)
        return redirect("reports:job", job.pk)
    return render(
        request,
        "reports/exports.html",
        {**reader, "form": form},
        status=422 if form.errors else 200,
    )


def inspection_pack(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    if not access.can_download_inspection_pack(request.user):
        raise Http404("No such programme")
    programme = access.get_report_programme(request.user, programme_id)
    cases = access.visible_cases(request.user).filter(programme=programme)
    form = InspectionPackForm(request.POST or None, cases=cases.order_by("case_identifier"))
    if request.method == "POST" and form.is_valid():
        job = actions.request_job(
            JobKind.INSPECTION_PACK,
            by=request.user,
            programme=programme,
            parameters={"cases": [int(pk) for pk in form.cleaned_data["cases"]]},
        )
        tasks.enqueue(job)
        return redirect("reports:job", job.pk)
    return render(request, "reports/inspection_pack.html", {"programme": programme, "form": form})


def job_detail(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    """The export's progress; until it is ready the page asks the browser to reload it."""
    job = access.get_report_job(request.user, job_id)
    response = render(request, "reports/job.html", {"job": job})
    if not job.is_finished:
        response["Refresh"] = "3"
    response["Cache-Control"] = "no-store"
    return response


def job_download(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    job = access.get_report_job(request.user, job_id)
    if job.content is None or not job.file_name:
        raise Http404("Not ready")
    record_access(request, job.programme, f"download {job.kind}")
    response = HttpResponse(bytes(job.content), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


# Learning summary ---------------------------------------------------------------------------


def _editable_summary(request: AuthenticatedRequest, programme_id: int) -> LearningSummary:
    """The summary to work on; on a page that only shows it, unsaved until it is first saved."""
    programme = access.get_report_programme(request.user, programme_id)
    if not access.can_edit_learning_summary(request.user, programme):
        raise Http404("No such programme")
    if request.method == "POST":
        return learning.start_summary(programme, by=request.user)
    return learning.summary_to_show(programme, by=request.user)


def summary_edit(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    summary = _editable_summary(request, programme_id)
    form = LearningSummaryForm(
        request.POST or None,
        instance=summary,
        initial=None if summary.pk else {"resources": learning.summary_resources(summary)},
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # Saved through the action (with its history), not by the model form.
        summary.refresh_from_db()
        actions.save_summary(summary, by=request.user, **values)
        messages.success(request, "The learning summary has been saved.")
        return redirect("reports:summary", summary.programme_id)
    return render(
        request,
        "reports/summary_edit.html",
        {
            "summary": summary,
            "programme": summary.programme,
            "form": form,
            "editions": summary.editions.order_by("-number", "audience") if summary.pk else [],
            "resources_exist": Resource.objects.exists(),
        },
        status=422 if form.errors else 200,
    )


@require_POST
def summary_redraft(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    summary = _editable_summary(request, programme_id)
    actions.redraft_summary(summary, by=request.user)
    messages.success(
        request, "The parts drafted from the data have been written again from the data."
    )
    return redirect("reports:summary", summary.programme_id)


def summary_preview(
    request: AuthenticatedRequest, programme_id: int, audience: str
) -> HttpResponse:
    summary = _editable_summary(request, programme_id)
    if audience not in Audience.values:
        raise Http404("No such edition")
    content = learning.edition_content(summary, audience)
    mentions = []
    if audience == Audience.PRACTITIONERS:
        mentions = learning.identifying_mentions(content, learning.case_words(summary.programme))
    return render(
        request,
        "reports/edition.html",
        {
            "content": content,
            "edition": None,
            "summary": summary,
            "mentions": mentions,
            "sections": [(n, h) for n, h in briefing.SECTIONS if content.get(n)],
            "chart": briefing.chart_svg(content["chart"]),
        },
    )


@require_POST
def summary_publish(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    summary = _editable_summary(request, programme_id)
    try:
        editions = actions.publish_summary(summary, by=request.user)
    except actions.IdentifiesCase as error:
        messages.error(
            request,
            "Not published: the practitioners’ and board edition must not identify a case. "
            "Remove these from it: " + "; ".join(error.mentions),
        )
        return redirect("reports:summary", summary.programme_id)
    messages.success(request, f"Edition {editions[0].number} has been published in both editions.")
    return redirect("reports:edition", editions[1].pk)


def edition(request: AuthenticatedRequest, edition_id: int) -> HttpResponse:
    found = access.get_learning_edition(request.user, edition_id)
    if found.identifies_cases:
        record_access(request, found.summary.programme, "view learning summary")
    return render(
        request,
        "reports/edition.html",
        {**briefing.context(found), "summary": found.summary, "mentions": []},
    )


def _document(request: AuthenticatedRequest, edition_id: int, extension: str) -> HttpResponse:
    found = access.get_learning_edition(request.user, edition_id)
    if found.identifies_cases:
        record_access(request, found.summary.programme, f"download learning summary {extension}")
    if extension == "pdf":
        content, content_type = briefing.edition_pdf(found), "application/pdf"
    else:
        content, content_type = briefing.edition_docx(found), briefing.DOCX
    name = f"learning-summary-{found.summary.programme_id}-{found.number}-{found.audience}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


def edition_pdf(request: AuthenticatedRequest, edition_id: int) -> HttpResponse:
    return _document(request, edition_id, "pdf")


def edition_docx(request: AuthenticatedRequest, edition_id: int) -> HttpResponse:
    return _document(request, edition_id, "docx")


# Reminders and resources --------------------------------------------------------------------


def resource_list(request: AuthenticatedRequest) -> HttpResponse:
    """The partnership's reminders and resources, and its logo."""
    if not access.can_manage_resources(request.user):
        raise PermissionDenied
    form = LogoForm(request.POST, request.FILES) if request.method == "POST" else LogoForm()
    if request.method == "POST":
        if "remove" in request.POST:
            actions.save_logo(by=request.user, content=None)
            messages.success(request, "The logo has been removed.")
            return redirect("reports:resources")
        if form.is_valid():
            content, content_type = form.cleaned_data["logo"]
            actions.save_logo(by=request.user, content=content, content_type=content_type)
            messages.success(request, "The logo has been saved.")
            return redirect("reports:resources")
    return render(
        request,
        "reports/resource_list.html",
        {
            "resources": Resource.objects.all(),
            "form": form,
            "logo": Branding.load().logo_data_uri(),
        },
        status=422 if form.errors else 200,
    )


def resource_form(request: AuthenticatedRequest, resource_id: int | None = None) -> HttpResponse:
    if not access.can_manage_resources(request.user):
        raise PermissionDenied
    resource = (
        Resource() if resource_id is None else Resource.objects.filter(pk=resource_id).first()
    )
    if resource is None:
        raise Http404("No such resource")
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ResourceForm.Meta.fields}
        if resource.pk:
            resource.refresh_from_db()
        actions.save_resource(resource, by=request.user, **values)
        messages.success(request, f"“{resource.title}” has been saved.")
        return redirect("reports:resources")
    return render(
        request,
        "reports/resource_form.html",
        {"form": form, "resource": resource},
        status=422 if form.errors else 200,
    )
