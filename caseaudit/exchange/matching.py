"""Matching the rows of an older Word form to the questions of a tool by their wording.

Texts are compared after folding case, punctuation and whitespace away, by difflib's ratio, so
small wording changes still match; a row below the threshold stays unmatched. Each question is
matched to at most one row: the closest pairs are taken first."""

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from caseaudit.exchange.parsing import words

THRESHOLD = 0.82


@dataclass(frozen=True)
class Candidate:
    """Something a row may be: a question id and the ways its wording may appear."""

    key: str
    phrasings: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    key: str
    score: float


def normalise(text: str) -> str:
    return words(text)


def similarity(row: str, phrasing: str, threshold: float = 0.0) -> float:
    """0 to 1 between two normalised texts; 0 as soon as they cannot reach the threshold."""
    if row == phrasing:
        return 1.0
    if not row or not phrasing:
        return 0.0
    matcher = SequenceMatcher(None, row, phrasing, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return 0.0
    return matcher.ratio()


def _best_score(row: str, phrasings: tuple[str, ...], threshold: float) -> float:
    return max((similarity(row, phrasing, threshold) for phrasing in phrasings), default=0.0)


def _prepare(candidates: Sequence[Candidate]) -> list[tuple[str, ...]]:
    return [tuple(normalise(phrasing) for phrasing in c.phrasings) for c in candidates]


def match_rows(
    rows: Sequence[str], candidates: Sequence[Candidate], threshold: float = THRESHOLD
) -> list[Match | None]:
    """For each row, the candidate it matches, or None; no candidate is used twice."""
    normalised = [normalise(row) for row in rows]
    prepared = _prepare(candidates)
    pairs = []
    for row_index, row in enumerate(normalised):
        for candidate_index, phrasings in enumerate(prepared):
            score = _best_score(row, phrasings, threshold)
            if score >= threshold:
                pairs.append((-score, row_index, candidate_index))
    pairs.sort()
    result: list[Match | None] = [None] * len(rows)
    used: set[int] = set()
    for negative_score, row_index, candidate_index in pairs:
        if result[row_index] is None and candidate_index not in used:
            result[row_index] = Match(candidates[candidate_index].key, -negative_score)
            used.add(candidate_index)
    return result


def closest(
    row: str, candidates: Sequence[Candidate], threshold: float = THRESHOLD
) -> Match | None:
    """The one candidate a single text is closest to (headings, labels: may repeat)."""
    text = normalise(row)
    scored = [
        (_best_score(text, phrasings, threshold), candidate.key)
        for phrasings, candidate in zip(_prepare(candidates), candidates, strict=True)
    ]
    score, key = max(scored, default=(0.0, ""))
    return Match(key, score) if score >= threshold and key else None
