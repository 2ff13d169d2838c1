"""A fair, repeatable random draw of cases from a list of eligible cases.

The same seed and the same list (in any order) always draw the same cases, so a coordinator
can show how a sample was chosen and anyone can repeat the draw.
"""

import hashlib
import random
import secrets
from collections.abc import Callable, Sequence

from caseaudit.audits.case_import import CaseRow
from caseaudit.audits.models import SampleStratification

MAX_SEED = 999_999_999


class SampleError(ValueError):
    pass


def new_seed() -> int:
    """A seed short enough to read out and type back in."""
    return secrets.randbelow(MAX_SEED) + 1


def stratum_key(stratify_by: str) -> Callable[[CaseRow], str] | None:
    if stratify_by == SampleStratification.CATEGORY:
        return lambda row: row.category
    if stratify_by == SampleStratification.TEAM:
        return lambda row: row.lead_team.casefold()
    return None


def strata(eligible: Sequence[CaseRow], stratify_by: str) -> dict[str, list[CaseRow]]:
    """The eligible cases by stratum (one stratum when the draw is not stratified), each
    sorted by identifier so that the order of the list does not matter."""
    key = stratum_key(stratify_by) or (lambda row: "")
    groups: dict[str, list[CaseRow]] = {}
    for row in sorted(eligible, key=lambda row: row.case_identifier.casefold()):
        groups.setdefault(key(row), []).append(row)
    return dict(sorted(groups.items()))


def allocate(sizes: Sequence[int], n: int) -> list[int]:
    """How many to draw from each stratum: one from each, then the rest in proportion to the
    strata's remaining sizes (largest remainder; ties go to the earlier stratum)."""
    if n < len(sizes):
        raise SampleError(f"Draw at least {len(sizes)} cases, one from each group")
    if n > sum(sizes):
        raise SampleError(f"There are only {sum(sizes)} eligible cases")
    spare = [size - 1 for size in sizes]
    rest = n - len(sizes)
    total = sum(spare)
    if total == 0:
        return [1] * len(sizes)
    shares = [divmod(rest * size, total) for size in spare]
    counts = [1 + whole for whole, _ in shares]
    leftover = rest - sum(whole for whole, _ in shares)
    by_remainder = sorted(range(len(sizes)), key=lambda index: (-shares[index][1], index))
    for index in by_remainder[:leftover]:
        counts[index] += 1
    return counts


def draw(eligible: Sequence[CaseRow], n: int, *, seed: int, stratify_by: str) -> list[CaseRow]:
    """N cases drawn at random with random.Random(seed), from every stratum when stratified."""
    groups = strata(eligible, stratify_by)
    if not groups:
        raise SampleError("There are no eligible cases")
    if stratify_by == SampleStratification.NONE:
        if n > len(eligible):
            raise SampleError(f"There are only {len(eligible)} eligible cases")
        counts = [n]
    else:
        counts = allocate([len(rows) for rows in groups.values()], n)
    generator = random.Random(seed)  # noqa: S311  # nosec B311 # a reproducible draw, no secret
    drawn: list[CaseRow] = []
    for rows, count in zip(groups.values(), counts, strict=True):
        drawn.extend(generator.sample(rows, count))
    return drawn


def fingerprint(eligible: Sequence[CaseRow]) -> str:
    """Identifies the list of eligible cases (what a draw depends on: identifiers, categories
    and teams) whatever its order, so a repeated draw can show it used the same list."""
    lines = sorted(
        "\t".join([row.case_identifier.casefold(), row.category, row.lead_team.casefold()])
        for row in eligible
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
