"""Returns: reading an agency's answers, saving draft answers with the version read (a stale
version is refused with 409, never overwriting someone else's save) and submitting."""

import datetime as dt
from collections import defaultdict
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field, StringConstraints

from caseaudit import access
from caseaudit.api.v1.assignments import AssignmentOut, ProgressOut, assignment_out
from caseaudit.api.v1.common import PathId, Storable, errors, log_view, user_of
from caseaudit.api.v1.problems import ApiProblem, field_error
from caseaudit.audits import actions
from caseaudit.audits.forms import MAX_TEXT, NOT_APPLICABLE, PartForm
from caseaudit.audits.items import Item, Part, parts_for, progress
from caseaudit.audits.models import Answer, Return

router = Router(tags=["Returns"])

MAX_VERSION = 2**31 - 1
ItemKey = Annotated[str, StringConstraints(max_length=80)]


class AnswerOut(Schema):
    text: str
    evidence: str
    grade: int | None
    not_applicable: bool
    choice: str
    date: dt.date | None


class ItemOut(Schema):
    key: str
    kind: str
    label: str
    columns: list[str] = Field(description="The answer's columns this item uses")
    required: list[str] = Field(description="The columns that must be filled to submit")
    report_key: str
    allow_not_applicable: bool
    applies: bool = Field(description="Whether the item is for this return's agency")
    answer: AnswerOut | None


class PartOut(Schema):
    slug: str
    title: str
    applies: bool
    status: str
    items: list[ItemOut]


class ReturnOut(AssignmentOut):
    editable: bool = Field(description="Whether you may change the answers now")
    amendment_reason: str
    progress: ProgressOut
    parts: list[PartOut]


class AnswerIn(Schema):
    """The columns to change of one item's answer; columns not sent keep their value."""

    model_config = ConfigDict(extra="forbid")

    text: Storable | None = Field(None, max_length=MAX_TEXT)
    evidence: Storable | None = Field(None, max_length=MAX_TEXT)
    grade: int | None = Field(None, ge=0, le=100, description="A grade of the tool's scale")
    not_applicable: bool | None = Field(None, description="Graded items the tool allows it on")
    choice: Literal["yes", "no", "not_known", ""] | None = None
    date: dt.date | None = None


class AnswersIn(Schema):
    version: int = Field(ge=1, le=MAX_VERSION, description="The return's version you read")
    answers: dict[ItemKey, AnswerIn] = Field(
        min_length=1, max_length=1000, description="Answers by item key"
    )


class SubmitIn(Schema):
    version: int = Field(ge=1, le=MAX_VERSION, description="The return's version you read")


def _answers(ret: Return) -> dict[str, Answer]:
    return {answer.item_key: answer for answer in ret.answers.all()}


def _item_out(item: Item, answer: Answer | None) -> dict[str, Any]:
    return {
        "key": item.key,
        "kind": item.kind.value,
        "label": item.label,
        "columns": list(item.columns),
        "required": list(item.required),
        "report_key": item.report_key,
        "allow_not_applicable": item.allow_not_applicable,
        "applies": item.applies,
        "answer": answer.values() if answer is not None else None,
    }


def return_out(request: HttpRequest, ret: Return) -> dict[str, Any]:
    parts = parts_for(ret)
    answers = _answers(ret)
    done = progress(parts, answers)
    return {
        **assignment_out(ret),
        "editable": access.can_edit_return(user_of(request), ret),
        "amendment_reason": ret.amendment_reason,
        "progress": {"completed": done.completed, "total": done.total},
        "parts": [
            {
                "slug": part.slug,
                "title": part.title,
                "applies": part.applies,
                "status": done.statuses[part.slug].value,
                "items": [_item_out(item, answers.get(item.key)) for item in part.items],
            }
            for part in parts
        ],
    }


def _stale(ret: Return) -> ApiProblem:
    current = Return.objects.values_list("version", flat=True).get(pk=ret.pk)
    return ApiProblem(
        "stale-return",
        f"Someone else saved this return since you read version {ret.version}: nothing was "
        "saved. Read it again and reapply your changes.",
        current_version=current,
    )


@router.get("/returns/{return_id}", response={200: ReturnOut, **errors()})
def get_return(request: HttpRequest, return_id: PathId) -> dict[str, Any]:
    """A return's parts, items and answers, if you may read them: your own as its auditor,
    your agency's as its lead, submitted ones as coordinator, and other agencies' submitted
    returns once the case is opened for a meeting your agency took part in."""
    ret = access.get_return(user_of(request), return_id)
    log_view(request, ret)
    return return_out(request, ret)


# Saving answers ------------------------------------------------------------------------------


def _form_data(
    part: Part, answers: dict[str, Answer], given: dict[str, AnswerIn], version: int
) -> dict[str, Any]:
    """The part's answers as the return form would post them: those saved, with the columns
    sent laid over them."""
    data: dict[str, Any] = {"version": str(version)}
    for item in part.applicable_items:
        answer = answers.get(item.key)
        values = answer.values() if answer is not None else {}
        change = given.get(item.key)
        if change is not None:
            for column in change.model_fields_set:
                values[column] = getattr(change, column)
            if change.grade is not None and "not_applicable" not in change.model_fields_set:
                values["not_applicable"] = False
        for column in item.columns:
            name = f"{item.key}-{column}"
            if column == "grade":
                grade = values.get("grade")
                data[name] = (
                    NOT_APPLICABLE
                    if values.get("not_applicable")
                    else ("" if grade is None else str(grade))
                )
            elif column == "date":
                day = values.get("date")
                if isinstance(day, str):
                    day = dt.date.fromisoformat(day)
                parts = (day.day, day.month, day.year) if day else ("", "", "")
                for suffix, part_value in zip(("day", "month", "year"), parts, strict=True):
                    data[f"{name}-{suffix}"] = str(part_value)
            else:
                data[name] = values.get(column) or ""
    return data


def _checked_forms(ret: Return, payload: AnswersIn) -> tuple[list[PartForm], list[dict[str, Any]]]:
    """One checked form per part the answers belong to, and every error, by item and column."""
    parts = parts_for(ret)
    place = {item.key: (part, item) for part in parts for item in part.items}
    found: list[dict[str, Any]] = []
    by_part: dict[str, dict[str, AnswerIn]] = defaultdict(dict)
    for key, change in payload.answers.items():
        if key not in place:
            found.append(field_error(("answers", key), f"This return has no item “{key}”"))
            continue
        part, item = place[key]
        if not item.applies:
            found.append(field_error(("answers", key), f"“{item.label}” is not for this agency"))
            continue
        columns = set(item.columns) | ({"not_applicable"} if item.graded else set())
        for column in sorted(change.model_fields_set - columns):
            found.append(
                field_error(("answers", key, column), f"“{item.label}” has no {column} to give")
            )
        if change.grade is not None and change.not_applicable:
            found.append(
                field_error(("answers", key, "grade"), "Give a grade or not applicable, not both")
            )
        by_part[part.slug][key] = change
    if found:
        return [], found

    answers = _answers(ret)
    scale = ret.tool_version.tool.grade_scale
    forms = []
    for part in parts:
        if part.slug not in by_part:
            continue
        data = _form_data(part, answers, by_part[part.slug], payload.version)
        form = PartForm(part, scale, answers, data=data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                key, _, column = name.rpartition("-")
                found.extend(field_error(("answers", key, column), str(m)) for m in messages)
        forms.append(form)
    return forms, found


@router.patch("/returns/{return_id}/answers", response={200: ReturnOut, **errors(409)})
def save_answers(request: HttpRequest, return_id: PathId, payload: AnswersIn) -> dict[str, Any]:
    """Save draft answers, only the columns sent. Send the `version` you read: if someone saved
    the return since, nothing is saved and the answer is 409 with the current version.
    Only the return's auditor (or, with none named, its agency lead) may, while it is a draft."""
    user = user_of(request)
    ret = access.get_editable_return(user, return_id)
    forms, found = _checked_forms(ret, payload)
    if found:
        raise ApiProblem("validation-error", "Some answers are invalid", errors=found)
    read_version = payload.version
    try:
        with transaction.atomic():
            expected = read_version
            for form in forms:
                actions.save_answers(
                    ret, form.part, form.answer_values(), by=user, expected_version=expected
                )
                expected = ret.version
    except actions.StaleReturn:
        ret.version = read_version
        raise _stale(ret) from None
    ret = access.get_return(user, ret.pk)
    return return_out(request, ret)


@router.post("/returns/{return_id}/submit", response={200: ReturnOut, **errors(409)})
def submit_return(request: HttpRequest, return_id: PathId, payload: SubmitIn) -> dict[str, Any]:
    """Submit a complete return. If anything is missing the answer is 422, listing each missing
    answer by item and column; a stale version is 409."""
    user = user_of(request)
    ret = access.get_editable_return(user, return_id)
    try:
        actions.submit_return(ret, by=user, expected_version=payload.version)
    except actions.IncompleteReturn as incomplete:
        missing = [
            field_error(("answers", problem.item.key, problem.column), problem.message)
            for problem in incomplete.problems
        ]
        raise ApiProblem(
            "incomplete-return",
            f"{len(missing)} answer{'s are' if len(missing) != 1 else ' is'} missing",
            errors=missing,
        ) from None
    except actions.StaleReturn:
        ret.version = payload.version
        raise _stale(ret) from None
    ret = access.get_return(user, ret.pk)
    return return_out(request, ret)
