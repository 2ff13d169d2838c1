"""The Jinja2 environment: GOV.UK Frontend macros, Django helpers, strict undefined names."""

from typing import Any

import jinja2
from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format

from caseaudit.exchange.links import word_form_links
from caseaudit.lib.forms import error_list, error_message, selected_values, widget_kind
from caseaudit.lib.navigation import navigation_items


class StrictNameUndefined(jinja2.Undefined):
    """Fails when a missing template variable is printed or looped over, but lets the GOV.UK
    macros test optional params and `caller` (undefined attributes or tests, not output)."""

    def _fail_if_name(self) -> None:
        if self._undefined_obj is jinja2.utils.missing:
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._fail_if_name()
        return super().__str__()

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._fail_if_name()
        return super().__iter__()


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value: Any, style: str = "j F Y") -> str:
    return date_format(value, style) if value else ""


def environment(**options: Any) -> jinja2.Environment:
    options["loader"] = jinja2.ChoiceLoader(
        [
            options["loader"],
            jinja2.PrefixLoader(
                {"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}
            ),
        ]
    )
    if settings.STRICT_TEMPLATES:
        options["undefined"] = StrictNameUndefined
    options["autoescape"] = True
    env = jinja2.Environment(**options)  # noqa: S701  # nosec B701 # autoescape is set just above
    env.globals.update(
        static=static,
        url=url,
        get_messages=get_messages,
        navigation_items=navigation_items,
        error_list=error_list,
        error_message=error_message,
        widget_kind=widget_kind,
        selected_values=selected_values,
        word_form_links=word_form_links,
    )
    env.filters["date"] = format_date
    env.filters["zip"] = lambda left, right: zip(left, right, strict=True)
    return env
