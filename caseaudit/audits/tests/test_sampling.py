"""The random draw of cases: repeatable from its seed, fair across strata."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.audits.case_import import CaseRow
from caseaudit.audits.models import CaseCategory, SampleStratification
from caseaudit.audits.sampling import (
    MAX_SEED,
    SampleError,
    allocate,
    draw,
    fingerprint,
    new_seed,
)

CATEGORIES = [choice.value for choice in CaseCategory]


def eligible(count: int, teams: int = 3) -> list[CaseRow]:
    return [
        CaseRow(
            case_identifier=f"CS-{number:04d}",
            initials="JS",
            category=CATEGORIES[number % len(CATEGORIES)] if number % 7 else CATEGORIES[0],
            lead_team=f"Team {number % teams}",
            age=10,
        )
        for number in range(count)
    ]


def identifiers(rows: list[CaseRow]) -> list[str]:
    return [row.case_identifier for row in rows]


@pytest.mark.parametrize("stratify_by", list(SampleStratification))
def test_the_same_seed_and_list_draw_the_same_cases(stratify_by) -> None:
    cases = eligible(40)
    first = draw(cases, 8, seed=482913, stratify_by=stratify_by)
    again = draw(cases, 8, seed=482913, stratify_by=stratify_by)
    assert identifiers(first) == identifiers(again)
    assert len(set(identifiers(first))) == 8


def test_the_order_of_the_list_does_not_matter() -> None:
    cases = eligible(40)
    shuffled = cases[:]
    random.Random(1).shuffle(shuffled)
    assert identifiers(draw(cases, 6, seed=7, stratify_by="category")) == identifiers(
        draw(shuffled, 6, seed=7, stratify_by="category")
    )
    assert fingerprint(cases) == fingerprint(shuffled)


def test_another_seed_draws_other_cases() -> None:
    cases = eligible(200)
    assert identifiers(draw(cases, 10, seed=1, stratify_by="none")) != identifiers(
        draw(cases, 10, seed=2, stratify_by="none")
    )


def test_a_known_draw_stays_the_same_across_releases() -> None:
    """The draw is evidence: a change to the algorithm must not change old draws silently."""
    assert identifiers(draw(eligible(30), 4, seed=482913, stratify_by="none")) == [
        "CS-0021",
        "CS-0023",
        "CS-0017",
        "CS-0005",
    ]


@pytest.mark.parametrize(
    ("stratify_by", "key"),
    [("category", lambda row: row.category), ("lead_team", lambda row: row.lead_team)],
)
def test_a_stratified_draw_takes_from_every_stratum(stratify_by, key) -> None:
    cases = eligible(60, teams=5)
    for seed in range(20):
        drawn = draw(cases, 6, seed=seed, stratify_by=stratify_by)
        assert {key(row) for row in drawn} == {key(row) for row in cases}


def test_strata_are_drawn_in_proportion_to_their_size() -> None:
    assert allocate([10, 10], 6) == [3, 3]
    # One from each, then the other 7 in proportion to 30, 10 and 1.
    assert allocate([31, 11, 2], 10) == [6, 3, 1]
    assert allocate([1, 1, 50], 5) == [1, 1, 3]
    assert allocate([3, 3, 3], 9) == [3, 3, 3]


def test_impossible_draws_are_refused_with_a_reason() -> None:
    with pytest.raises(SampleError, match="Draw at least 4 cases, one from each group"):
        draw(eligible(40), 3, seed=1, stratify_by="category")
    with pytest.raises(SampleError, match="There are only 5 eligible cases"):
        draw(eligible(5), 6, seed=1, stratify_by="none")
    with pytest.raises(SampleError, match="There are only 5 eligible cases"):
        draw(eligible(5), 6, seed=1, stratify_by="lead_team")


def test_new_seeds_are_short_enough_to_type() -> None:
    seeds = {new_seed() for _ in range(50)}
    assert all(1 <= seed <= MAX_SEED for seed in seeds)
    assert len(seeds) > 45


@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=6),
    data=st.data(),
)
@settings(max_examples=200, deadline=None)
def test_allocation_takes_n_within_each_stratum(sizes: list[int], data) -> None:
    n = data.draw(st.integers(len(sizes), sum(sizes)))
    counts = allocate(sizes, n)
    assert sum(counts) == n
    assert all(1 <= count <= size for count, size in zip(counts, sizes, strict=True))


@given(
    count=st.integers(1, 60),
    teams=st.integers(1, 6),
    seed=st.integers(1, MAX_SEED),
    stratify_by=st.sampled_from(list(SampleStratification)),
    data=st.data(),
)
@settings(max_examples=150, deadline=None)
def test_any_draw_is_n_distinct_eligible_cases_from_every_stratum(
    count, teams, seed, stratify_by, data
) -> None:
    cases = eligible(count, teams)
    strata = (
        Counter(row.category for row in cases)
        if stratify_by == "category"
        else Counter(row.lead_team for row in cases)
        if stratify_by == "lead_team"
        else Counter({"": count})
    )
    n = data.draw(st.integers(len(strata), count))
    drawn = draw(cases, n, seed=seed, stratify_by=stratify_by)
    assert len(drawn) == n == len(set(identifiers(drawn)))
    assert set(identifiers(drawn)) <= set(identifiers(cases))
    if stratify_by == "category":
        assert {row.category for row in drawn} == set(strata)
    if stratify_by == "lead_team":
        assert {row.lead_team for row in drawn} == set(strata)
    assert identifiers(draw(cases, n, seed=seed, stratify_by=stratify_by)) == identifiers(drawn)
