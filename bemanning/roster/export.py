"""Export of a roster: CSV (semicolon, UTF-8 with BOM, for Excel) and XLSX, by person and by
unit, plus resurspass, obemannade pass and the figures in the workbook.

By person: one row per person, one column per day; a cell holds the pass (`ENHET/PASS`), `F`
for frånvaro (absence) or is empty (ledig). By unit: one row per unit and pass type, one
column per day; a cell lists who works it, and `obemannat N` when people are missing.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from bemanning.io.excelsafe import csv_row, csv_unescape, xlsx_row
from bemanning.roster.figures import Nyckeltal, compute
from bemanning.roster.problem import RosterProblem, Schema, Tilldelning


def _day_headers(problem: RosterProblem) -> list[str]:
    out = []
    for d in range(problem.dagar):
        when = problem.date_of(d)
        out.append(when.isoformat() if when else f"dag {d}")
    return out


def by_person_rows(problem: RosterProblem, schema: Schema) -> list[list[str]]:
    header = ["personal_id", "namn", "enhet", *_day_headers(problem), "timmar", "mal_timmar"]
    rows = [header]
    mine = schema.by_person()
    for person in problem.personal:
        cells = [""] * problem.dagar
        for d in range(problem.dagar):
            if (person.person_id, d) in problem.franvaro_set:
                cells[d] = "F"
        hours = 0
        for t in mine.get(person.person_id, []):
            cells[t.dag] = t.pass_id if not cells[t.dag] else f"{cells[t.dag]}+{t.pass_id}"
            hours += problem.pass_typ(t.pass_id).paid
        target = "" if person.mal_minuter is None else _num(person.mal_minuter / 60)
        rows.append([person.person_id, person.label, person.enhet, *cells, _num(hours / 60), target])
    return rows


def by_unit_rows(problem: RosterProblem, schema: Schema) -> list[list[str]]:
    header = ["enhet", "pass", "tider", *_day_headers(problem)]
    rows = [header]
    who: dict[tuple[int, str], list[str]] = defaultdict(list)
    names = problem.labels()
    for t in schema.tilldelningar:
        who[t.dag, t.pass_id].append(names[t.person_id])
    need = {(b.dag, b.pass_id): b.antal for b in problem.behov}
    for pt in problem.pass_typer:
        cells = []
        for d in range(problem.dagar):
            names = sorted(who.get((d, pt.pass_id), []))
            missing = need.get((d, pt.pass_id), 0) - len(names)
            text = ", ".join(names)
            if missing > 0:
                text = f"{text}; obemannat {missing}" if text else f"obemannat {missing}"
            cells.append(text)
        rows.append([pt.enhet, pt.label, pt.tider, *cells])
    return rows


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv_row(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(problem: RosterProblem, schema: Schema, path: Path) -> list[Path]:
    """`path` gets the roster by person, `<stem>-enhet.csv` the roster by unit."""
    path = Path(path)
    unit_path = path.with_name(f"{path.stem}-enhet{path.suffix or '.csv'}")
    path.write_bytes(csv_bytes(by_person_rows(problem, schema)))
    unit_path.write_bytes(csv_bytes(by_unit_rows(problem, schema)))
    return [path, unit_path]


def write_xlsx(problem: RosterProblem, schema: Schema, path: Path, figures: Nyckeltal | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    figures = figures or compute(problem, schema)
    book = Workbook()
    sheets = [
        ("Per person", by_person_rows(problem, schema)),
        ("Per enhet", by_unit_rows(problem, schema)),
        ("Resurspass", [["personal_id", "hemenhet", "användning", "timmar", "datum", "pass",
                         "enhet", "varför"]] + [
            [r.person_id, r.hemenhet, r.anvandning, r.timmar,
             _date(problem, r.dag), r.pass_id or "", r.enhet or "", r.varfor]
            for r in figures.resurspass]),
        ("Obemannat", [["datum", "enhet", "pass", "saknas", "timmar"]] + [
            [_date(problem, o.dag), o.enhet, o.pass_id, o.saknas, o.timmar]
            for o in figures.obemannade]),
        ("Nyckeltal", [["nyckeltal", "värde"]] + _figure_rows(figures)),
    ]
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2" if title.startswith("Per") else "A2"
    book.save(path)
    return Path(path)


def _date(problem: RosterProblem, dag: int | None) -> str:
    if dag is None:
        return ""
    when = problem.date_of(dag)
    return when.isoformat() if when else str(dag)


def _figure_rows(nt: Nyckeltal) -> list[list[object]]:
    rows: list[list[object]] = [
        ["täckningsgrad %", nt.tackningsgrad],
        ["behov timmar", nt.behov_timmar],
        ["obemannade timmar", nt.obemannade_timmar],
        ["obemannade pass", nt.obemannade_pass],
        ["förväntad andel timavlönade %", nt.andel_timavlonade],
        ["andel heltid anställda %", nt.andel_heltid_anstallda],
        ["andel heltid schemalagda %", nt.andel_heltid_schemalagda],
        ["önskemål uppfyllda", nt.onskemal_uppfyllda],
        ["önskemål totalt", nt.onskemal_totalt],
    ]
    for use, hours in nt.resurspass_timmar.items():
        rows.append([f"resurspass {use} (timmar)", hours])
    return rows


def read_csv(problem: RosterProblem, path: Path) -> Schema:
    """Read a roster exported by person (for re-planning)."""
    from bemanning.errors import UserError

    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows = [[csv_unescape(c) for c in row] for row in reader]
    if not rows or rows[0][:1] != ["personal_id"]:
        raise UserError(f"{path}: ingen schemafil per person (första kolumnen ska vara personal_id)")
    days = rows[0][3:3 + problem.dagar]
    if days != _day_headers(problem):
        raise UserError(f"{path}: datumen stämmer inte med schemaperioden "
                        f"({days[0] if days else '?'} …); ange samma --start och --veckor")
    items = []
    for row in rows[1:]:
        for d, cell in enumerate(row[3:3 + problem.dagar]):
            for pass_id in filter(None, cell.split("+")):
                if pass_id != "F":
                    items.append(Tilldelning(row[0], d, pass_id))
    return Schema.of(items)
