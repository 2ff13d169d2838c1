from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from caseaudit import access
from caseaudit.activity.actions import record_access
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
