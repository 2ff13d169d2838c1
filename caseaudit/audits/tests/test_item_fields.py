"""The return form writes the GOV.UK radios and textarea markup out itself, for speed: it must
be the markup GOV.UK Frontend's own macros make, in every state the form shows."""

import pytest
from django import forms

from conftest import rendered_markup

GRADES = [("1", "1 Outstanding"), ("2", "2 Good"), ("na", "Not applicable")]


class SampleForm(forms.Form):
    grade = forms.ChoiceField(choices=GRADES)
    comment = forms.CharField(widget=forms.Textarea)


OURS = """{% from "audits/_item_fields.html" import radios, text_area %}
{{ radios(form, "grade", "Grade", choices, inline=inline) }}
{{ text_area(form, "comment", "Comments", hint=hint, rows=3, label_classes=label_classes) }}"""

THEIRS = """
{% from "govuk_frontend_jinja/components/textarea/macro.html" import govukTextarea %}
{% from "govuk_frontend_jinja/components/radios/macro.html" import govukRadios %}
{%- set items = [] %}
{%- for value, text in choices %}
  {%- set _ = items.append({"value": value, "text": text, "checked": form["grade"].value() == value}) %}
{%- endfor %}
{{ govukRadios({
  "name": "grade", "idPrefix": "grade",
  "classes": "govuk-radios--inline" if inline else "govuk-radios--small",
  "fieldset": {"legend": {"text": "Grade", "classes": "govuk-fieldset__legend--s"}},
  "items": items,
  "errorMessage": error_message(form, "grade")
}) }}
{{ govukTextarea({
  "name": "comment", "id": "comment", "rows": 3,
  "label": {"text": "Comments", "classes": label_classes},
  "hint": {"text": hint} if hint else none,
  "value": form["comment"].value() or "",
  "errorMessage": error_message(form, "comment")
}) }}"""


@pytest.mark.parametrize(
    ("data", "inline", "hint", "label_classes"),
    [
        (None, False, "", "govuk-label--s"),
        ({"grade": "2", "comment": "Seen <b>in</b> the record."}, False, "", "govuk-label--s"),
        ({"grade": "", "comment": ""}, True, "Say what you saw.", "govuk-label--m"),
        ({"grade": "nonsense", "comment": "Kept"}, False, "A hint", ""),
    ],
)
def test_the_form_markup_is_govuk_frontends(data, inline, hint, label_classes):
    form = SampleForm(data)
    if data is not None:
        form.is_valid()
    context = {
        "form": form,
        "choices": GRADES,
        "inline": inline,
        "hint": hint,
        "label_classes": label_classes,
    }
    ours = rendered_markup(OURS, **context)
    assert ours == rendered_markup(THEIRS, **context)
    if data and not data["comment"]:
        assert (
            "govuk-form-group--error" in ours
            and 'aria-describedby="comment-hint comment-error"' in ours
        )
    if data and data["grade"] == "2":
        assert 'value="2" checked' in ours and "Seen &lt;b&gt;in&lt;/b&gt;" in ours
