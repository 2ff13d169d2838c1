"""The Word form links on a return's overview page, registered as a Jinja global."""

from dataclasses import dataclass, field

from caseaudit import access
from caseaudit.accounts.models import User
from caseaudit.audits.models import Return
from caseaudit.exchange.models import ImportedDocument, ImportStatus


@dataclass(frozen=True)
class WordFormLinks:
    download: bool = False
    upload: bool = False
    pending: list[ImportedDocument] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return self.download or self.upload or bool(self.pending)


def word_form_links(user: User, ret: Return) -> WordFormLinks:
    download = access.can_download_word_form(user, ret)
    upload = access.can_import_word_form(user, ret)
    pending = []
    if access.can_review_word_imports(user, ret):
        pending = list(ImportedDocument.objects.filter(ret=ret, status=ImportStatus.PROPOSED))
    return WordFormLinks(download, upload, pending)
