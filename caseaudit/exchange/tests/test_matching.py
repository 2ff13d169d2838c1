"""Matching an older form's rows to the tool's questions by wording, whatever the whitespace,
punctuation, case and small changes of wording."""

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.audit_tools.loading import load_tool
from caseaudit.exchange.matching import Candidate, closest, match_rows

SHIPPED = Path(__file__).parents[2] / "audit_tools" / "shipped" / "children_in_need_full.yaml"
TOOL = load_tool(SHIPPED.read_text(encoding="utf-8"))
QUESTIONS = [question for section in TOOL.sections for question in section.questions]
CANDIDATES = [
    Candidate(question.id, (question.text, " ".join([question.text, *question.sub_questions])))
    for question in QUESTIONS
]
LONG_QUESTIONS = [question for question in QUESTIONS if len(question.text.split()) >= 8]


@st.composite
def retyped(draw, text: str) -> str:
    """The same wording typed again: case, spacing, punctuation and quotes all different."""
    words = re.findall(r"\S+", text)
    out = []
    for word in words:
        match draw(st.integers(0, 5)):
            case 0:
                word = word.upper()
            case 1:
                word = word.lower()
            case 2:
                word = re.sub(r"[^\w’']", "", word) or word
            case 3:
                word = word.replace("’", "'")
        out.append(word)
        out.append(draw(st.sampled_from([" ", "  ", "\n", " \t", "\u00a0"])))
    ending = draw(st.sampled_from(["", ":", "?", " .", " ?"]))
    return "".join(out).strip() + ending


@st.composite
def rows_of_questions(draw) -> tuple[list[str], list[str]]:
    questions = draw(st.lists(st.sampled_from(QUESTIONS), min_size=1, max_size=12, unique_by=id))
    rows = [draw(retyped(question.text)) for question in questions]
    return rows, [question.id for question in questions]


@settings(deadline=None, max_examples=60)
@given(rows_of_questions())
def test_every_question_retyped_matches_its_own_id(rows_and_ids) -> None:
    rows, ids = rows_and_ids
    assert [match.key if match else None for match in match_rows(rows, CANDIDATES)] == ids


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_a_question_with_one_word_dropped_or_changed_still_matches(data) -> None:
    question = data.draw(st.sampled_from(LONG_QUESTIONS))
    words = question.text.split()
    position = data.draw(st.integers(0, len(words) - 1))
    replacement = data.draw(st.sampled_from(["", "the", "a", "agency", "worker", "family"]))
    words[position : position + 1] = [replacement] if replacement else []

    [match] = match_rows([" ".join(words)], CANDIDATES)

    assert match is not None and match.key == question.id


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_a_question_with_its_sub_questions_in_the_same_cell_matches(data) -> None:
    question = data.draw(st.sampled_from([q for q in QUESTIONS if q.sub_questions]))
    cell = data.draw(retyped("\n\n".join([question.text, *question.sub_questions])))

    [match] = match_rows([cell], CANDIDATES)

    assert match is not None and match.key == question.id


@given(st.text(alphabet="0123456789 -/", max_size=60))
def test_numbers_and_dates_match_no_question(row) -> None:
    assert match_rows([row], CANDIDATES) == [None]


@settings(deadline=None, max_examples=30)
@given(question=st.sampled_from(QUESTIONS), copies=st.integers(2, 4))
def test_a_question_is_matched_to_one_row_only(question, copies) -> None:
    matches = match_rows([question.text] * copies, CANDIDATES)

    assert [match.key for match in matches if match] == [question.id]


@settings(deadline=None, max_examples=30)
@given(rows_and_ids=rows_of_questions(), data=st.data())
def test_the_order_of_the_rows_does_not_change_what_they_match(rows_and_ids, data) -> None:
    rows, _ = rows_and_ids
    order = data.draw(st.permutations(range(len(rows))))

    straight = match_rows(rows, CANDIDATES)
    shuffled = match_rows([rows[index] for index in order], CANDIDATES)

    assert [shuffled[order.index(index)] for index in range(len(rows))] == straight


def test_a_section_heading_is_found_with_or_without_its_number() -> None:
    sections = [
        Candidate(section.id, (section.title, f"{section.number}. {section.title}"))
        for section in TOOL.sections
    ]
    assert closest("6.  PLANNING", sections).key == "planning"
    assert closest("8. Management oversight & recording", sections).key == "management_oversight"
    assert closest("Auditor Comments", sections) is None
