"""Error reports and log lines never carry what people typed or read.

Every form in the service may hold case text (answers, discussion notes, findings), so marking
views one by one with `sensitive_post_parameters` would always miss one. Instead the exception
reporter hides every POST value and every local variable of every frame, whatever the view, and
the log handlers drop the request object from their records so that no formatter or log shipper
can serialise a request body."""

import logging
from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


class CaseContentReporterFilter(SafeExceptionReporterFilter):
    """Outside DEBUG, an error report shows the names of POST fields and of local variables,
    never their values."""

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        if not self.is_active(request):
            return request.POST
        return self._hide_all(request.POST)

    def get_cleansed_multivaluedict(self, request: HttpRequest, multivaluedict: Any) -> Any:
        if not self.is_active(request):
            return multivaluedict
        return self._hide_all(multivaluedict)

    def _hide_all(self, multivaluedict: Any) -> Any:
        hidden = multivaluedict.copy()
        for name in hidden:
            hidden[name] = self.cleansed_substitute
        return hidden

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        if request is not None and not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class DropRequest(logging.Filter):
    """Takes the request off a log record (django.request attaches it): the message names the
    path, which holds only ids, and nothing downstream can reach the body."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True
