"""Läser en tabell ur CSV (semikolon eller komma; UTF-8 med/utan BOM, annars cp1252) eller XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import attrs

from bemanning.io.problems import Problem


@attrs.frozen
class Table:
    fil: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (radnummer i filen, celler)
    warnings: tuple[Problem, ...] = ()

    def column_number(self, name: str) -> int | None:
        return _column_index(self.header).get(name)


@lru_cache(maxsize=64)
def _column_index(header: tuple[str, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        index.setdefault(name, number)
    return index


class TableError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _decode(name: str, raw: bytes) -> tuple[str, list[Problem]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        warning = Problem(
            name, None, None, None,
            "filen är inte UTF-8 och lästes som Windows-1252 (cp1252); kontrollera å, ä och ö "
            "och spara gärna som UTF-8 nästa gång",
            varning=True,
        )
        return text, [warning]


def _delimiter(name: str, header_line: str) -> str:
    if header_line.count(";") >= 1:
        return ";"
    if header_line.count(",") >= 1:
        return ","
    found = next((d for d in ("\t", "|") if d in header_line), None)
    hint = f' (filen verkar använda {"tabb" if found == chr(9) else repr(found)} som avgränsare)' if found else ""
    raise TableError(
        Problem(
            name, 1, None, None,
            f'hittar inga kolumner avgränsade med ";" eller ","{hint}; spara filen som CSV med '
            "semikolon som avgränsare",
        )
    )


def read_csv_text(name: str, text: str, warnings: list[Problem] | None = None) -> Table:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise TableError(Problem(name, None, None, None, "filen är tom; den ska börja med en rubrikrad"))
    delimiter = _delimiter(name, lines[first])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: tuple[str, ...] | None = None
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        cleaned = tuple(c.strip() for c in cells)
        if header is None:
            header = tuple(c.lower() for c in cleaned)
            continue
        rows.append((line, cleaned))
    assert header is not None
    if not rows:
        raise TableError(
            Problem(name, None, None, None, "filen har bara en rubrikrad och inga rader att importera")
        )
    return Table(name, header, tuple(rows), tuple(warnings or ()))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> Table:
    import openpyxl

    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl kastar många olika fel för trasiga filer
        raise TableError(Problem(name, None, None, None, "filen går inte att läsa som Excel (xlsx)")) from None
    sheet = book.worksheets[0]
    header: tuple[str, ...] | None = None
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = tuple(_cell_text(v).strip() for v in values)
        if not any(cells):
            continue
        if header is None:
            header = tuple(c.lower() for c in cells)
            continue
        rows.append((number, cells))
    book.close()
    if header is None:
        raise TableError(Problem(name, None, None, None, "filen är tom; den ska börja med en rubrikrad"))
    if not rows:
        raise TableError(Problem(name, None, None, None, "filen har bara en rubrikrad och inga rader att importera"))
    return Table(name, header, tuple(rows))


def read_table(path: Path) -> Table:
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TableError(Problem(name, None, None, None, f"filen finns inte ({path})")) from None
    except IsADirectoryError:
        raise TableError(Problem(name, None, None, None, "är en katalog, inte en fil")) from None
    if not raw:
        raise TableError(Problem(name, None, None, None, "filen är tom (0 byte); exportera den igen ur verksamhetssystemet"))
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path)
    text, warnings = _decode(name, raw)
    return read_csv_text(name, text, warnings)
