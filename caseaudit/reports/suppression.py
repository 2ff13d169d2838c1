"""Small-number suppression for every table a board viewer can open or export.

The rule (see docs/reports.md):

* **Primary suppression.** A count of 1 up to the threshold minus one (default 5: 1 to 4) is
  shown as "fewer than 5". Zero is *not* a small number: that nobody in a group had a grade
  identifies no one, so 0 is shown. Totals are counts too and follow the same rule.
* **Complementary suppression.** A table shows its totals, and every row and column with a
  total is a sum: if exactly one of its members were hidden, it could be worked out by
  subtraction. So whenever a row or column has exactly one hidden member, a second one is
  withheld: the smallest non-zero count in that line not already hidden; when there is none,
  the line's total (a withheld zero would be given away by the zeros around it); a zero only
  as the last resort. This is repeated until no row
  or column has exactly one hidden member.
* **Whole groups.** A group with fewer children than the threshold has every count of its
  row hidden ("forced" rows), whatever the counts, because six grades can still be two
  children.

The simple rule protects every single row and column. As with any cell-suppression rule, a
determined reader solving several rows and columns together could still narrow a hidden
count down to a range; they cannot derive it exactly from one row or column.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings


class Shown(StrEnum):
    SHOWN = "shown"
    SMALL = "small"
    WITHHELD = "withheld"


def threshold() -> int:
    return int(getattr(settings, "SUPPRESSION_THRESHOLD", 5))


@dataclass(frozen=True)
class Count:
    """A count as a report shows it: its value only when it is safe to show."""

    value: int
    state: Shown = Shown.SHOWN
    limit: int = 5

    @property
    def hidden(self) -> bool:
        return self.state != Shown.SHOWN

    @property
    def text(self) -> str:
        if self.state == Shown.SMALL:
            return f"fewer than {self.limit}"
        if self.state == Shown.WITHHELD:
            return "withheld"
        return str(self.value)

    @property
    def shown_value(self) -> int | None:
        """The value for an export: None when hidden."""
        return None if self.hidden else self.value

    def __str__(self) -> str:
        return self.text


def is_small(value: int, limit: int) -> bool:
    return 0 < value < limit


def count(value: int, limit: int | None = None) -> Count:
    """One count on its own (no table around it)."""
    limit = threshold() if limit is None else limit
    return Count(value, Shown.SMALL if is_small(value, limit) else Shown.SHOWN, limit)


def unsuppressed(value: int) -> Count:
    return Count(value, Shown.SHOWN, threshold())


@dataclass(frozen=True)
class Table:
    """A table of counts after suppression, with its totals."""

    cells: list[list[Count]]
    row_totals: list[Count]
    column_totals: list[Count]
    grand_total: Count

    @property
    def hidden_cells(self) -> set[tuple[int, int]]:
        return {
            (r, c) for r, row in enumerate(self.cells) for c, cell in enumerate(row) if cell.hidden
        }


def plain_table(cells: Sequence[Sequence[int]]) -> Table:
    """The same table with nothing suppressed (coordinators and agency leads)."""
    limit = threshold()
    rows = [list(row) for row in cells]
    columns = len(rows[0]) if rows else 0
    return Table(
        [[Count(v, Shown.SHOWN, limit) for v in row] for row in rows],
        [Count(sum(row), Shown.SHOWN, limit) for row in rows],
        [Count(sum(row[c] for row in rows), Shown.SHOWN, limit) for c in range(columns)],
        Count(sum(sum(row) for row in rows), Shown.SHOWN, limit),
    )


def suppress(
    cells: Sequence[Sequence[int]],
    *,
    limit: int | None = None,
    row_totals: bool = True,
    column_totals: bool = True,
    forced_rows: Iterable[int] = (),
) -> Table:
    """Suppress a table of counts (rows by columns) whose row and column totals are shown
    (or not, as the flags say). Totals are computed here from the cells."""
    limit = threshold() if limit is None else limit
    rows = [list(row) for row in cells]
    n_rows, n_columns = len(rows), len(rows[0]) if rows else 0
    # The extended grid: the cells, a column of row totals and a row of column totals.
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(row[c] for row in rows) for c in range(n_columns)] + [sum(map(sum, rows))])
    total_column, total_row = n_columns, n_rows

    state: dict[tuple[int, int], Shown] = {}
    for r in range(n_rows + 1):
        for c in range(n_columns + 1):
            if is_small(grid[r][c], limit):
                state[(r, c)] = Shown.SMALL
    for r in forced_rows:
        for c in range(n_columns + 1):
            state.setdefault((r, c), Shown.WITHHELD)

    # Each line is one sum: its members, the last of which is the total.
    lines: list[list[tuple[int, int]]] = []
    if row_totals:
        lines += [[(r, c) for c in range(n_columns + 1)] for r in range(n_rows + (column_totals))]
    if column_totals:
        lines += [[(r, c) for r in range(n_rows + 1)] for c in range(n_columns + (row_totals))]

    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [member for member in line if member in state]
            if len(hidden) != 1:
                continue
            complement = _complement(line, state, grid)
            if complement is not None:
                state[complement] = Shown.WITHHELD
                changed = True

    def shown(r: int, c: int) -> Count:
        return Count(grid[r][c], state.get((r, c), Shown.SHOWN), limit)

    return Table(
        [[shown(r, c) for c in range(n_columns)] for r in range(n_rows)],
        [shown(r, total_column) for r in range(n_rows)],
        [shown(total_row, c) for c in range(n_columns)],
        shown(total_row, total_column),
    )


def _complement(
    line: list[tuple[int, int]],
    state: dict[tuple[int, int], Shown],
    grid: list[list[int]],
) -> tuple[int, int] | None:
    """The member of a line to withhold beside its one hidden member: the smallest non-zero
    count other than the line's own total; then that total; then a zero."""
    total = line[-1]
    others = [m for m in line[:-1] if m not in state]
    non_zero = [m for m in others if grid[m[0]][m[1]] > 0]
    for group in (non_zero, [total] if total not in state else [], others):
        if group:
            return min(group, key=lambda m: (grid[m[0]][m[1]], m))
    return None
