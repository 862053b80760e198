"""Reading a CSV file a record at a time, with the line number a spreadsheet shows.

A file is read as it streams, so memory stays flat however long it is. A record that cannot
be read (bytes that are not text in the file's encoding, a broken quote) comes back with a
reason instead of its cells, and reading carries on with the next one.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from crm.text import clean_text

ENCODINGS = {
    "utf-8": "UTF-8 (what ‘CSV UTF-8’ in Excel, LibreOffice and Google Sheets saves)",
    "windows-1252": "Windows Western European (what older Excel saves as ‘CSV’)",
}
# Beyond this a cell is not a contact's detail; csv's own limit is 128 KiB.
MAX_CELL = 100_000


@dataclass(frozen=True)
class CsvRecord:
    line_number: int
    cells: list[str]
    problem: str | None = None


def csv_records(
    lines: Iterable[bytes],
    *,
    encoding: str = "utf-8",
    on_bytes: Callable[[int], None] = lambda _size: None,
) -> Iterator[CsvRecord]:
    """Every record of the file, blank lines skipped. `on_bytes` hears how much was read."""
    undecodable: set[int] = set()
    reader = csv.reader(_text_lines(lines, encoding, undecodable, on_bytes))
    last_line = 0
    while True:
        try:
            cells = next(reader)
            problem = None
        except StopIteration:
            return
        except csv.Error as error:
            cells, problem = [], f"The line cannot be read as CSV ({error})"
        first_line, last_line = last_line + 1, reader.line_num
        spanned = set(range(first_line, last_line + 1))
        if spanned & undecodable:
            undecodable -= spanned
            cells, problem = [], _encoding_problem(encoding)
        if not problem and not any(cell.strip() for cell in cells):
            continue
        if not problem and any(len(cell) > MAX_CELL for cell in cells):
            cells, problem = [], f"A cell is longer than {MAX_CELL:,} characters"
        yield CsvRecord(first_line, [clean_text(cell).strip() for cell in cells], problem)


def _text_lines(
    lines: Iterable[bytes],
    encoding: str,
    undecodable: set[int],
    on_bytes: Callable[[int], None],
) -> Iterator[str]:
    for line_number, line in enumerate(lines, start=1):
        on_bytes(len(line))
        if line_number == 1 and line.startswith(codecs.BOM_UTF8):
            # Excel starts "CSV UTF-8" files with a byte order mark.
            line = line[len(codecs.BOM_UTF8) :]
        try:
            yield line.decode(encoding)
        except UnicodeDecodeError:
            undecodable.add(line_number)
            yield line.decode(encoding, errors="replace")


def _encoding_problem(encoding: str) -> str:
    if encoding == "utf-8":
        return (
            "The line is not UTF-8 text. Save the file as ‘CSV UTF-8’ and import it again, "
            "or import it as Windows Western European"
        )
    return f"The line is not {encoding} text"
