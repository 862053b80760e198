from __future__ import annotations

import csv
import io

import pytest

from crm.exports import csv_lines, safe_cell


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_cells_a_spreadsheet_would_run_are_made_text(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


def test_ordinary_cells_are_unchanged_and_the_csv_reads_back() -> None:
    text = "".join(csv_lines(["Name", "Note"], [["Jo, Chair", 'said "hi"'], ["=1+1", None]]))
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "Note"],
        ["Jo, Chair", 'said "hi"'],
        ["'=1+1", ""],
    ]
