"""What every endpoint shares: value types that the database can always store, pagination,
the documented error responses and the access log."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Annotated, Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.params.functions import Path as PathParam
from pydantic import AfterValidator, Field

from caseaudit.accounts.models import User
from caseaudit.activity.actions import record_access
from caseaudit.api.v1.problems import Problem

# Ids are 64-bit in every database the service runs on.
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000_000
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _storable(value: str) -> str:
    """Refuse text no database column can hold: NUL characters and unpaired surrogates."""
    if "\x00" in value:
        raise ValueError("Text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode") from None
    return value


# Text any database can store; give each field its own length with Field(max_length=…).
Storable = Annotated[str, AfterValidator(_storable)]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


class Page[T](Schema):
    count: int = Field(description="How many items there are in all")
    next: str | None = Field(description="The next page's address, if there is one")
    previous: str | None = Field(description="The previous page's address, if there is one")
    items: list[T]


def _page_link(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    page: PageParams,
    serialize: Callable[[Any], Any],
) -> dict[str, Any]:
    """One page of a list, with the total count and links to the pages either side."""
    count = queryset.count()
    items = list(queryset[page.offset : page.offset + page.limit])
    following = page.offset + page.limit
    return {
        "count": count,
        "next": _page_link(request, page.limit, following) if following < count else None,
        "previous": (
            _page_link(request, page.limit, max(page.offset - page.limit, 0))
            if page.offset > 0
            else None
        ),
        "items": [serialize(item) for item in items],
    }


def errors(*statuses: int) -> dict[int, type[Problem]]:
    """The error responses an operation documents: those every operation can give (bad
    request, no token, not allowed, not found, body too large, invalid values, rate-limited)
    and `statuses`."""
    return dict.fromkeys((400, 401, 403, 404, 413, 422, 429, *statuses), Problem)


def user_of(request: HttpRequest) -> User:
    """The token's owner: the API's authentication has put them on the request."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - every operation requires a token
    return user


def log_view(request: HttpRequest, obj: Model | None, action: str = "api view") -> None:
    """Record in the access log, as the pages do, that case content was read."""
    record_access(request, obj, action)


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def ids(objects: Iterable[Model]) -> list[int]:
    return [obj.pk for obj in objects]
