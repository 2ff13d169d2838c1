"""Reading grades, yes/no answers and dates as people type them into a Word form."""

from datetime import date

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from caseaudit.audit_tools.schema import Grade, GradeScale
from caseaudit.exchange.parsing import (
    NOT_APPLICABLE,
    Unreadable,
    parse_choice,
    parse_date,
    parse_grade,
)

OFSTED = GradeScale(
    grades=[
        Grade(value=1, label="Outstanding"),
        Grade(value=2, label="Good"),
        Grade(value=3, label="Adequate"),
        Grade(value=4, label="Inadequate"),
    ]
)
CURRENT_OFSTED = GradeScale(
    grades=[
        Grade(value=1, label="Outstanding"),
        Grade(value=2, label="Good"),
        Grade(value=3, label="Requires improvement to be good"),
        Grade(value=4, label="Inadequate"),
    ]
)
SCALES = st.sampled_from([OFSTED, CURRENT_OFSTED])
WRITINGS = (
    "{value}",
    "{label}",
    "{value} - {label}",
    "{value}={label}",
    "{value} – {label}",
    "({value}) {label}",
    "{label} ({value})",
    "{value}. {label}",
    "Grade: {value}",
    "{value} = {label}",
)
SPACE = st.text(alphabet=" \t\n\u00a0", max_size=3)


def cased(text: str, pattern: list[bool]) -> str:
    return "".join(
        c.upper() if pattern[i % len(pattern)] else c.lower() for i, c in enumerate(text)
    )


@pytest.mark.parametrize(
    "text", ["2", "Good", "2 - Good", "2=Good", "2 – good", "(2) Good", "good", " 2 "]
)
def test_the_ways_people_write_good_are_all_grade_2(text) -> None:
    assert parse_grade(text, OFSTED) == 2


@given(
    scale=SCALES,
    index=st.integers(0, 3),
    writing=st.sampled_from(WRITINGS),
    before=SPACE,
    after=SPACE,
    case=st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_a_grade_written_any_usual_way_is_read(scale, index, writing, before, after, case):
    grade = scale.grades[index]
    text = before + cased(writing.format(value=grade.value, label=grade.label), case) + after

    assert parse_grade(text, scale) == grade.value


@given(scale=SCALES, number=st.integers(1, 4), named=st.integers(1, 4))
def test_a_number_and_name_that_disagree_are_unreadable_never_guessed(scale, number, named):
    assume(number != named)
    text = f"{number} - {scale.label_for(named)}"

    result = parse_grade(text, scale)

    assert isinstance(result, Unreadable)
    assert result.text == text


@given(scale=SCALES, value=st.integers().filter(lambda value: value not in (1, 2, 3, 4)))
def test_a_number_off_the_scale_is_unreadable(scale, value):
    assert isinstance(parse_grade(str(value), scale), Unreadable)


@given(text=st.text(alphabet=" \t\n\r\u00a0", max_size=10))
def test_a_blank_box_is_no_grade(text):
    assert parse_grade(text, OFSTED) is None


@pytest.mark.parametrize("text", ["N/A", "n/a", "NA", "Not applicable", "not applicable."])
def test_not_applicable_is_understood(text) -> None:
    assert parse_grade(text, OFSTED) is NOT_APPLICABLE


@given(scale=SCALES, text=st.text(max_size=40))
@example(scale=OFSTED, text="2.5")
@example(scale=OFSTED, text="Goodish")
@example(scale=OFSTED, text="2 or 3")
@example(scale=OFSTED, text="1 2")
def test_any_text_gives_a_grade_of_the_scale_or_says_why_not(scale, text):
    result = parse_grade(text, scale)

    if isinstance(result, int):
        assert result in {grade.value for grade in scale.grades}
    elif isinstance(result, Unreadable):
        assert result.text == text and result.reason
    else:
        assert result is None or result is NOT_APPLICABLE
    if result is None:
        assert not text.strip()


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("Yes", "yes"),
        ("y", "yes"),
        ("NO", "no"),
        ("Not known", "not_known"),
        ("don't know", "not_known"),
    ],
)
def test_yes_no_and_not_known_are_understood(text, choice) -> None:
    assert parse_choice(text) == choice


def test_a_choice_with_more_words_is_unreadable() -> None:
    assert isinstance(parse_choice("Yes, but only just"), Unreadable)


@pytest.mark.parametrize(
    "text",
    [
        "15/01/2026",
        "15/1/2026",
        "15-01-2026",
        "15.01.2026",
        "2026-01-15",
        "15 January 2026",
        "15th Jan 2026",
    ],
)
def test_dates_are_read_day_first(text) -> None:
    assert parse_date(text) == date(2026, 1, 15)


@pytest.mark.parametrize("text", ["01/15/2026", "31/02/2026", "January 2026", "15/01/26", "soon"])
def test_dates_that_are_not_clear_are_unreadable(text) -> None:
    assert isinstance(parse_date(text), Unreadable)


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_written_as_the_form_asks_is_read_back(day) -> None:
    assert parse_date(day.strftime("%d/%m/%Y")) == day
