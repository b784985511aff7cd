"""A CSV's rows are counted without being made (registers/tabular.py): the count keeps exactly
the lines the reading keeps, whatever the cells, marks and headers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from borderlink.registers.tabular import _csv_counts, _csv_row, read_table

CELLS = st.sampled_from(["", " ", "\t", "'", "' ", "'=", "'= ", "''", "'\t", " '\t", "x", "'-1"])
HEADERS = st.lists(st.sampled_from(["a", "b", "", "c"]), min_size=1, max_size=4)


@given(header=HEADERS, values=st.lists(CELLS, max_size=6))
def test_a_line_counts_when_the_reading_keeps_it(header: list[str], values: list[str]) -> None:
    assert _csv_counts(header)(values) == (_csv_row(header, values) is not None)


def test_the_count_is_the_rows_read() -> None:
    text = "a,b,,a\n1,,x,\n,,x,\n ,' ,,\n,,,'=\n"
    header, rows = read_table("rows.csv", text.encode())
    assert header == ["a", "b", "", "a"]
    # "a" is read from its last column: only the lines with "' " under b and "'=" under the
    # second a are rows.
    assert len(rows) == len(list(rows)) == 2
    assert [row["a"] for row in rows] == ["", "="]
