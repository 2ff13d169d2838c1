from typing import Any

from django import forms

from caseaudit.audits.models import Return
from caseaudit.exchange import safety
from caseaudit.exchange.importing import ReadUpload, read_upload


class UploadForm(forms.Form):
    """A completed Word form for one return: checked and read when the form is validated."""

    document = forms.FileField(
        label="Upload a completed Word form",
        error_messages={
            "required": "Select a completed Word form",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, ret: Return, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ret = ret
        self.read: ReadUpload | None = None
        # An upload over the size limit was dropped while it was received (SizeLimit).
        self.too_large = too_large
        self.fields["document"].required = not too_large

    def clean_document(self) -> Any:
        if self.too_large:
            raise forms.ValidationError(safety.too_large().message, code="too_large")
        upload = self.cleaned_data["document"]
        try:
            self.read = read_upload(self.ret, upload)
        except safety.RefusedUpload as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        return upload


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
