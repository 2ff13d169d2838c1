"""The theme register: partnership-wide themes that findings, actions and audits held outside
the system are coded to. Everyone with a role reads it; coordinators add, rename and merge."""

from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from caseaudit import access
from caseaudit.accounts.models import User
from caseaudit.api.v1.common import (
    Id,
    Page,
    PageParams,
    PathId,
    Storable,
    errors,
    paginate,
    user_of,
)
from caseaudit.api.v1.forms import form_data
from caseaudit.api.v1.problems import ApiProblem, form_errors
from caseaudit.meetings import actions
from caseaudit.meetings.forms import MergeForm, ThemeForm
from caseaudit.meetings.models import Theme

router = Router(tags=["Themes"])


class ThemeRef(Schema):
    id: int
    name: str


class ThemeOut(Schema):
    id: int
    name: str
    description: str
    merged_into_id: int | None = Field(
        description="The theme it was merged into: its codings are there now"
    )
    finding_count: int
    programme_count: int = Field(description="Programmes with findings coded to it")
    external_audit_count: int = Field(description="Audits held outside the system that found it")
    created_at: datetime


class ThemeIn(Schema):
    name: Storable = Field(max_length=150)
    description: Storable = Field("", max_length=2000)


class ThemePatch(Schema):
    name: Storable | None = Field(None, max_length=150)
    description: Storable | None = Field(None, max_length=2000)


class MergeIn(Schema):
    target_id: Id = Field(description="The theme to fold this one into")


class ThemeFilters(Schema):
    include_merged: bool = Field(False, description="Also list themes merged into others")


def theme_ref(theme: Theme) -> dict[str, Any]:
    return {"id": theme.pk, "name": theme.name}


def theme_out(theme: Any) -> dict[str, Any]:
    """A theme annotated by `_with_counts`."""
    return {
        "id": theme.pk,
        "name": theme.name,
        "description": theme.description,
        "merged_into_id": theme.merged_into_id,
        "finding_count": theme.finding_count,
        "programme_count": theme.programme_count,
        "external_audit_count": theme.external_audit_count,
        "created_at": theme.created_at,
    }


def _with_counts(themes: QuerySet[Theme]) -> QuerySet[Theme]:
    return themes.annotate(
        finding_count=Count("findings", distinct=True),
        programme_count=Count("findings__programme", distinct=True),
        external_audit_count=Count("external_audits", distinct=True),
    )


def _fresh(theme: Theme) -> dict[str, Any]:
    return theme_out(_with_counts(Theme.objects.filter(pk=theme.pk)).get())


def _theme(user: User, theme_id: int, *, manage: bool = False) -> Theme:
    """A theme of the register; 404 for those who may not read it (or, with `manage`, change
    it), as for one that does not exist."""
    allowed = access.can_manage_themes(user) if manage else access.can_view_themes(user)
    theme = Theme.objects.filter(pk=theme_id).first() if allowed else None
    if theme is None:
        raise Http404("No such theme")
    return theme


def _refuse_if_merged(theme: Theme) -> None:
    if theme.merged_into_id is not None:
        raise ApiProblem(
            "conflict",
            f"This theme was merged into theme {theme.merged_into_id}: change that one",
        )


def _checked_form(values: dict[str, Any], theme: Theme | None = None) -> ThemeForm:
    form = ThemeForm(form_data(ThemeForm, values), theme=theme)
    if not form.is_valid():
        raise ApiProblem(
            "validation-error", "The theme has invalid values", errors=form_errors(form)
        )
    return form


@router.get("/themes", response={200: Page[ThemeOut], **errors()})
def list_themes(
    request: HttpRequest, page: Query[PageParams], filters: Query[ThemeFilters]
) -> dict[str, Any]:
    """The theme register, by name, with how often each theme was found. Everyone with a role
    may read it: theme names hold no case content."""
    if not access.can_view_themes(user_of(request)):
        themes = Theme.objects.none()
    else:
        themes = Theme.objects.all()
    if not filters.include_merged:
        themes = themes.filter(merged_into__isnull=True)
    return paginate(request, _with_counts(themes).order_by("name", "pk"), page, theme_out)


@router.post("/themes", response={201: ThemeOut, **errors()})
def create_theme(request: HttpRequest, payload: ThemeIn) -> Status:
    """Add a theme to the register (coordinators)."""
    user = user_of(request)
    if not access.can_manage_themes(user):
        raise ApiProblem("forbidden", "Only coordinators add themes to the register")
    form = _checked_form(payload.model_dump())
    theme = actions.create_theme(by=user, **form.cleaned_data)
    return Status(201, _fresh(theme))


@router.get("/themes/{theme_id}", response={200: ThemeOut, **errors()})
def get_theme(request: HttpRequest, theme_id: PathId) -> dict[str, Any]:
    """One theme. A merged theme still answers, naming the theme it was merged into; list its
    findings with `/findings?theme_id=…`."""
    return _fresh(_theme(user_of(request), theme_id))


@router.patch("/themes/{theme_id}", response={200: ThemeOut, **errors(409)})
def rename_theme(request: HttpRequest, theme_id: PathId, payload: ThemePatch) -> dict[str, Any]:
    """Rename a theme or change its description (coordinators). Only the fields sent change;
    every coding keeps the theme."""
    user = user_of(request)
    theme = _theme(user, theme_id, manage=True)
    _refuse_if_merged(theme)
    values = {
        "name": theme.name,
        "description": theme.description,
        **payload.model_dump(exclude_unset=True),
    }
    form = _checked_form(values, theme)
    actions.rename_theme(theme, by=user, **form.cleaned_data)
    return _fresh(theme)


@router.post("/themes/{theme_id}/merge", response={200: ThemeOut, **errors(409)})
def merge_theme(request: HttpRequest, theme_id: PathId, payload: MergeIn) -> dict[str, Any]:
    """Fold this theme into another (coordinators): every finding, action, audit and programme
    coded to it moves to the other, and this one stays, marked merged. Answers the theme merged
    into."""
    user = user_of(request)
    theme = _theme(user, theme_id, manage=True)
    _refuse_if_merged(theme)
    form = MergeForm(form_data(MergeForm, {"target": payload.target_id}), theme=theme)
    if not form.is_valid():
        raise ApiProblem(
            "validation-error",
            "The theme to merge into is not valid",
            errors=form_errors(form, names={"target": "target_id"}),
        )
    target = actions.merge_themes(theme, form.cleaned_data["target"], by=user)
    return _fresh(target)
