from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from caseaudit import access
from caseaudit.activity.actions import record_access
from caseaudit.audits.actions import StaleReturn
from caseaudit.exchange import actions
from caseaudit.exchange.forms import DecisionForm, UploadForm
from caseaudit.exchange.models import ImportedDocument, ImportStatus
from caseaudit.exchange.review import build_review
from caseaudit.exchange.safety import SizeLimit, max_upload_bytes, size_text
from caseaudit.exchange.word_form import CONTENT_TYPE, build_word_form, file_name
from caseaudit.lib.types import AuthenticatedRequest


@require_GET
def download(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_word_form_return(request.user, return_id)
    with_answers = access.can_read_return_answers(request.user, ret)
    data = build_word_form(ret, include_answers=with_answers)
    record_access(request, ret, "download word form")
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name(ret))
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def upload(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    # The size limit must be in place before anything reads the request body, the CSRF check
    # included: so the check is made just below, once the limit is set.
    limit = SizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _upload(request, return_id, limit)


@csrf_protect
def _upload(request: AuthenticatedRequest, return_id: int, limit: SizeLimit) -> HttpResponse:
    ret = access.get_word_import_return(request.user, return_id)
    can_import = access.can_import_word_form(request.user, ret)
    form = UploadForm(ret)
    status = 200
    if request.method == "POST":
        if not can_import:
            status = 409
        else:
            form = UploadForm(ret, request.POST, request.FILES, too_large=limit.exceeded)
            if form.is_valid() and form.read is not None:
                imported, created = actions.propose_import(ret, form.read, by=request.user)
                record_access(request, ret, "upload word form")
                if not created:
                    messages.info(
                        request,
                        "This file was uploaded for this return before: this is what was read "
                        "from it then.",
                    )
                return redirect("exchange:import-review", imported.pk)
            status = 422
    pending = ImportedDocument.objects.filter(ret=ret, status=ImportStatus.PROPOSED).select_related(
        "uploaded_by"
    )
    return render(
        request,
        "exchange/upload.html",
        {
            "ret": ret,
            "case": ret.case,
            "tool": ret.tool_version.tool,
            "form": form,
            "can_import": can_import,
            "can_download": access.can_download_word_form(request.user, ret),
            "pending": pending,
            "max_size": size_text(max_upload_bytes()),
        },
        status=status,
    )


@require_GET
def review(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    imported = access.get_word_import(request.user, import_id)
    ret = imported.ret
    show_draft = access.can_read_return_answers(request.user, ret)
    record_access(request, imported, "view")
    return render(
        request,
        "exchange/review.html",
        {
            "imported": imported,
            "ret": ret,
            "case": ret.case,
            "tool": ret.tool_version.tool,
            "review": build_review(imported, show_draft=show_draft),
            "show_draft": show_draft,
            "can_decide": imported.is_proposed and access.can_import_word_form(request.user, ret),
        },
    )


@require_POST
def accept(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    imported = access.get_word_import(request.user, import_id)
    ret = imported.ret
    form = DecisionForm(request.POST)
    if not access.can_import_word_form(request.user, ret):
        messages.error(request, _not_editable(ret.get_status_display()))
        return redirect("exchange:import-review", imported.pk)
    if not form.is_valid():
        messages.error(request, "Something went wrong: review the answers and accept again.")
        return redirect("exchange:import-review", imported.pk)
    try:
        result = actions.accept_import(
            imported, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except StaleReturn:
        messages.error(
            request,
            "This return was changed by someone else since you opened this page, so nothing "
            "was saved. Check the answers below again before accepting.",
        )
        return redirect("exchange:import-review", imported.pk)
    except actions.AlreadyDecided:
        messages.error(request, "This upload has already been accepted or discarded.")
        return redirect("exchange:import-review", imported.pk)
    except actions.ReturnNotEditable:
        messages.error(request, _not_editable(ret.get_status_display()))
        return redirect("exchange:import-review", imported.pk)
    record_access(request, ret, "import word form")
    text = f"The Word form has been imported: {result.changed} answers saved to the return."
    if result.escalations:
        text += (
            " The form says the child may not be safe or actions are outstanding: a safety "
            "escalation has been raised."
        )
    messages.success(request, text)
    return redirect("audits:return-overview", ret.pk)


@require_POST
def discard(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    imported = access.get_word_import(request.user, import_id)
    try:
        actions.discard_import(imported, by=request.user)
    except actions.AlreadyDecided:
        messages.error(request, "This upload has already been accepted or discarded.")
        return redirect("exchange:import-review", imported.pk)
    messages.success(request, "The upload has been discarded: nothing from it was saved.")
    return redirect("exchange:word-upload", imported.ret_id)


def _not_editable(status: str) -> str:
    return (
        f"This return is {status.lower()}, so a Word form cannot be imported into it. If it "
        "needs to change, its agency lead or the coordinator can return it for amendment first."
    )
