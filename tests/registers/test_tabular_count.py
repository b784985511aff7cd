"""A CSV's rows are counted without being made (registers/tabular.py): the count keeps exactly
the lines the reading keeps, whatever the cells, marks and headers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from borderlink.registers.tabular import (
    TEXT_MARK,
    _csv_counts,
    _csv_row,
    formula_unsafe,
    read_table,
)

CELLS = st.sampled_from(["", " ", "\t", "'", "' ", "'=", "'= ", "''", "'\t", " '\t", "x", "'-1"])
HEADERS = st.lists(st.sampled_from(["a", "b", "", "c"]), min_size=1, max_size=4)


@given(header=HEADERS, values=st.lists(CELLS, max_size=6))
def test_a_line_counts_when_the_reading_keeps_it(header: list[str], values: list[str]) -> None:
    assert _csv_counts(header)(values) == (_csv_row(header, values) is not None)


def _row_cell_by_cell(header: list[str], values: list[str]) -> dict[str, str] | None:
    """A line made a row one cell at a time, as the reading did before it zipped."""
    texts = [v.strip() for v in values]
    texts = [formula_unsafe(t).strip() if t[:1] == TEXT_MARK else t for t in texts]
    row = {h: texts[i] if i < len(texts) else "" for i, h in enumerate(header) if h}
    return row if any(row.values()) else None


@given(
    header=st.one_of(HEADERS, st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=4)),
    values=st.lists(st.one_of(CELLS, st.sampled_from(["it's", " a'b ", "x'"])), max_size=6),
)
def test_a_line_is_made_the_row_its_cells_make(header: list[str], values: list[str]) -> None:
    found = _csv_row(header, values)
    assert found == _row_cell_by_cell(header, values)
    assert found is None or list(found) == list(_row_cell_by_cell(header, values) or {})


def test_the_count_is_the_rows_read() -> None:
    text = "a,b,,a\n1,,x,\n,,x,\n ,' ,,\n,,,'=\n"
    header, rows = read_table("rows.csv", text.encode())
    assert header == ["a", "b", "", "a"]
    # "a" is read from its last column: only the lines with "' " under b and "'=" under the
    # second a are rows.
    assert len(rows) == len(list(rows)) == 2
    assert [row["a"] for row in rows] == ["", "="]
