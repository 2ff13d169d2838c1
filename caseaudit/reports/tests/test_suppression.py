"""Small-number suppression on known tables, threshold 5."""

from caseaudit.reports.suppression import Shown, count, plain_table, suppress


def states(table):
    return [[cell.state for cell in row] for row in table.cells]


S, W, V = Shown.SMALL, Shown.WITHHELD, Shown.SHOWN


def test_counts_under_the_threshold_are_shown_as_fewer_than_five() -> None:
    assert count(4, 5).text == "fewer than 5"
    assert count(1, 5).text == "fewer than 5"
    assert count(5, 5).text == "5"
    assert count(0, 5).text == "0"  # zero is not a small number
    assert count(3, 10).text == "fewer than 10"


def test_one_small_cell_in_a_row_withholds_the_next_smallest_and_its_columns_follow() -> None:
    table = suppress([[10, 3, 8], [7, 6, 9]], limit=5)
    # Row 0 has 3 (small): 8 is the next smallest. Column 1 then has one hidden (3): 6 goes;
    # column 2 has one hidden (8): 9 goes. Row 1 now has two hidden: done.
    assert states(table) == [[V, S, W], [V, W, W]]
    assert [t.text for t in table.row_totals] == ["21", "22"]
    assert [t.text for t in table.column_totals] == ["17", "9", "17"]
    assert table.grand_total.text == "43"
    assert table.cells[0][1].text == "fewer than 5"
    assert table.cells[0][2].text == "withheld"
    assert table.cells[0][1].shown_value is None
    assert table.cells[0][0].shown_value == 10


def test_no_row_or_column_is_left_with_exactly_one_hidden_cell() -> None:
    table = suppress([[2, 30, 40, 50], [20, 30, 1, 60], [25, 35, 45, 55]], limit=5)
    hidden = table.hidden_cells
    for r in range(3):
        in_row = [c for c in range(4) if (r, c) in hidden] + (
            [4] if table.row_totals[r].hidden else []
        )
        assert len(in_row) != 1
    for c in range(4):
        in_column = [r for r in range(3) if (r, c) in hidden] + (
            [3] if table.column_totals[c].hidden else []
        )
        assert len(in_column) != 1
    assert table.cells[0][0].state == S and table.cells[1][2].state == S
    # Row 0: 2 is small, 30 the next smallest; row 1: 1 is small, 20 the next smallest.
    assert table.cells[0][1].state == W and table.cells[1][0].state == W


def test_zero_is_shown_and_not_chosen_as_complement_while_a_count_remains() -> None:
    table = suppress([[0, 3, 12]], limit=5, column_totals=False)
    assert states(table) == [[V, S, W]]
    assert table.row_totals[0].text == "15"


def test_a_line_with_only_zeros_left_withholds_its_total_not_a_zero() -> None:
    table = suppress([[3, 0], [6, 0]], limit=5)
    # Column 0: 3 is small, 6 withheld. Row 1 is then 6 (withheld) and 0: withholding the
    # zero would be undone by column 1 (0 + 0 = 0), so row 1's total is withheld instead.
    assert states(table) == [[S, V], [W, V]]
    assert [t.state for t in table.row_totals] == [S, W]
    assert [t.text for t in table.column_totals] == ["9", "0"]
    assert table.grand_total.text == "9"


def test_a_single_small_count_hides_its_total_too() -> None:
    single = suppress([[3]], limit=5, column_totals=False)
    assert single.cells[0][0].state == S and single.row_totals[0].state == S


def test_a_small_total_is_suppressed_and_its_complement_found_among_the_totals() -> None:
    # Row totals 3, 20, 30 sum to the grand total: the row total 3 is small, so the next
    # smallest row total (20) is withheld in the totals column.
    table = suppress([[1, 2], [10, 10], [15, 15]], limit=5)
    assert table.row_totals[0].state == S
    assert table.row_totals[1].state == W
    assert table.row_totals[2].state == V
    assert table.grand_total.state == V


def test_forced_rows_hide_every_count_and_need_a_complementary_row() -> None:
    table = suppress([[6, 6], [7, 9], [8, 20]], limit=5, forced_rows=[0])
    assert states(table)[0] == [W, W]
    assert table.row_totals[0].state == W
    # Column 0 had one hidden (6): 7 is withheld; column 1 had one hidden (6): 9 withheld.
    assert states(table)[1] == [W, W]
    assert states(table)[2] == [V, V]


def test_plain_table_hides_nothing() -> None:
    table = plain_table([[1, 2], [3, 0]])
    assert [[c.text for c in row] for row in table.cells] == [["1", "2"], ["3", "0"]]
    assert table.grand_total.value == 6


def test_zeros_stay_shown_when_a_count_can_be_withheld_instead() -> None:
    # Returns by agency and status in a small programme: the totals row has one small total
    # (1 in progress), so the other non-zero total (5 submitted) is withheld — not a zero.
    table = suppress([[0, 0, 3, 0, 0], [0, 1, 1, 0, 0], [0, 0, 1, 0, 0]], limit=5)
    assert [c.text for c in table.column_totals] == ["0", "fewer than 5", "withheld", "0", "0"]
    assert table.grand_total.text == "6"
    assert all(cell.text == "0" for row in table.cells for cell in (row[0], row[3], row[4]))
