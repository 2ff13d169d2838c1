"""An uploaded Word form, checked and read for one return, ready to become a proposal."""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.models import Return
from caseaudit.exchange.identity import FormIdentity, TamperedForm, identity_of
from caseaudit.exchange.models import ImportKind
from caseaudit.exchange.reading import Reading, read_form
from caseaudit.exchange.safety import CheckedUpload, RefusedUpload, check_upload


@dataclass(frozen=True)
class ReadUpload:
    upload: CheckedUpload
    kind: ImportKind
    reading: Reading


def read_upload(ret: Return, upload: UploadedFile) -> ReadUpload:
    """Check the file, make sure it is this return's form, and read it; RefusedUpload if not."""
    checked = check_upload(upload)
    try:
        identity = identity_of(checked.document)
    except TamperedForm:
        raise RefusedUpload(
            "tampered",
            "The selected file’s Case Audit reference has been changed, so it cannot be matched "
            "to a return. Download the form again from this return’s page",
        ) from None
    if identity is not None:
        check_identity(ret, identity)
    reading = read_form(ret, checked.document, legacy=identity is None)
    if not reading.found_rows:
        raise RefusedUpload(
            "no_questions",
            "The selected file has none of this audit tool’s questions in it. Upload the "
            "completed audit form",
        )
    kind = ImportKind.LEGACY if identity is None else ImportKind.EXPORTED
    return ReadUpload(checked, kind, reading)


def check_identity(ret: Return, identity: FormIdentity) -> None:
    tool_version = ret.tool_version
    if identity.return_id != ret.pk:
        raise RefusedUpload(
            "other_return",
            f"The selected file is the form for another return (case {identity.case_identifier}"
            "). Upload it on that return’s page, or download this return’s form",
        )
    if identity.tool_key != tool_version.tool_key:
        other = ToolVersion.objects.filter(tool_key=identity.tool_key).first()
        raise RefusedUpload(
            "other_tool",
            f"The selected file is a form of another audit tool (“"
            f"{other.title if other else identity.tool_key}”). This return uses “"
            f"{tool_version.title}”: download its form from this return’s page",
        )
    if identity.tool_version != tool_version.version:
        raise RefusedUpload(
            "other_tool_version",
            f"The selected file is a form for version {identity.tool_version} of "
            f"“{tool_version.title}”, but this return now uses version {tool_version.version}. "
            "Download this return’s form again",
        )
    if identity != FormIdentity.of(ret):
        raise RefusedUpload(
            "other_case",
            "This return’s case or agency has changed since the selected form was downloaded. "
            "Download this return’s form again",
        )
