"""Reads the roster inputs (pass types, bemanningsbehov, absence, önskemål, kontaktperson
uppdrag) from a directory like `data/demo/schema/` and builds a `RosterProblem` for one
samplaneringsområde and schemaperiod from the register's staff and units.

File formats are described in `data/demo/schema/README.md`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from bemanning.errors import UserError
from bemanning.model.enhet import Enhet, dygnsbryt_minuter, parse_dygnsbryt
from bemanning.model.errors import ValidationError
from bemanning.model.resurser import Personal
from bemanning.model.values import parse_bool, parse_date, parse_int, parse_list, parse_number
from bemanning.roster.problem import (
    Behov,
    Enhetsinfo,
    Franvaro,
    Onskemal,
    PassTyp,
    Person,
    Regler,
    RosterProblem,
)
from bemanning.svenska import antal

DAY_COLUMNS = ("man", "tis", "ons", "tor", "fre", "lor", "son")
#: Where a staff member's kontaktperson hours come from, as shown with the resurspass.
KALLA_REGISTER = "accepterat i matchningen"
KALLA_INDATA = "enligt kontaktperson.csv"


def read_rows(path: Path, required: Sequence[str] = ()) -> list[tuple[int, dict[str, str]]]:
    """(line number in the file, row) of a semicolon-separated file, UTF-8 with or without BOM
    (a file in plain Windows-1252 is read as such); blank lines and `#` lines skipped.

    The file is read like an import file (`bemanning.io.tabular`: a regular file, at most
    `MAX_FILE_BYTES`, broken UTF-8 or a NUL byte said with line and column). `required` columns
    must be in the header and filled in on every row; a row with more fields than the header
    has columns is an error. Every fault is a `UserError` that says the file, the line and how
    to fix it."""
    from bemanning.io.tabular import FileMissing, TableError, decode, read_bytes

    try:
        text, _warnings = decode(path.name, read_bytes(path, path.name), import_hint=False)
    except FileMissing:
        raise UserError(f"Filen {path} finns inte.") from None
    except TableError as exc:
        raise UserError(f"{exc.problem}.") from None
    numbered = [(number, line) for number, line in enumerate(text.split("\n"), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:  # an empty file: nothing (no absence, no wishes)
        return []
    try:
        cells = [(number, next(csv.reader([line.rstrip("\r")], delimiter=";")))
                 for number, line in numbered]
    except csv.Error as exc:
        raise UserError(f"{path.name}: raden går inte att läsa som CSV ({exc}).") from None
    header_line, header = cells[0]
    columns = [c.strip().lstrip("\ufeff").lower() for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise UserError(f"{path.name}, rad {header_line}: kolumnen {', '.join(missing)} saknas i "
                        f"rubrikraden; den ska ha {';'.join(required)} (åtskilda med semikolon).")
    rows = []
    for number, values in cells[1:]:
        if len(values) > len(columns) and any(v.strip() for v in values[len(columns):]):
            raise UserError(f"{path.name}, rad {number}: raden har {len(values)} fält men "
                            f"rubrikraden {len(columns)} kolumner; ta bort de extra semikolonen.")
        row = {c: (values[i].strip() if i < len(values) else "") for i, c in enumerate(columns) if c}
        empty = [c for c in required if not row.get(c)]
        if empty:
            raise UserError(f"{path.name}, rad {number}: {empty[0]}: värde saknas; fältet måste "
                            "fyllas i.")
        rows.append((number, row))
    return rows


def _where(path: Path, number: int, exc: ValidationError) -> UserError:
    return UserError(f"{path.name}, rad {number}: {exc.field}: {exc.message}")


def _clock(field: str, text: str) -> int:
    value = text.strip()
    try:
        hours, minutes = value.split(":")
        result = int(hours) * 60 + int(minutes)
    except ValueError:
        raise ValidationError(field, f'"{text}" är ingen tid; skriv TT:MM, till exempel 07:00') from None
    if not 0 <= result <= 24 * 60:
        raise ValidationError(field, f'"{text}" är ingen tid på dygnet')
    return result


def pass_id(enhet: str, name: str) -> str:
    return f"{enhet}/{name}"


def load_pass_types(path: Path) -> list[PassTyp]:
    out = []
    for number, row in read_rows(path, ("enhet", "pass", "start", "slut")):
        try:
            start = _clock("start", row["start"])
            end = _clock("slut", row["slut"])
            length = end - start if end > start else end + 1440 - start
            rast = parse_int("rast_minuter", row.get("rast_minuter") or "0")
            natt = parse_bool("natt", row.get("natt", ""))
        except ValidationError as exc:
            raise _where(path, number, exc) from None
        except KeyError as exc:
            raise UserError(f"{path.name}: kolumnen {exc.args[0]} saknas") from None
        enhet = row["enhet"]
        out.append(PassTyp(
            pass_id(enhet, row["pass"]), enhet, start, length, betald=length - rast,
            kompetens=row.get("kompetens") or None, natt=natt,
            namn=f"{enhet} {row.get('namn') or row['pass']}",
        ))
    return out


def load_behov(path: Path, start: date, days: int, pass_ids: set[str]) -> list[Behov]:
    """Weekly recurring demand (one column per weekday), optionally `datum` rows for one date."""
    out: dict[tuple[int, str], Behov] = {}
    dated = []
    for number, row in read_rows(path, ("enhet", "pass")):
        pid = pass_id(row.get("enhet", ""), row.get("pass", ""))
        if pid not in pass_ids:
            raise UserError(f"{path.name}, rad {number}: passet {pid} finns inte i pass.csv")
        try:
            minst = parse_int("minst", row.get("minst") or "0")
            if row.get("datum"):
                when = parse_date("datum", row["datum"])
                dated.append((when, pid, parse_int("antal", row.get("antal") or "0"), minst))
                continue
            counts = [parse_int(col, row.get(col) or "0") for col in DAY_COLUMNS]
        except ValidationError as exc:
            raise _where(path, number, exc) from None
        for d in range(days):
            n = counts[(start + timedelta(days=d)).weekday()]
            if n:
                out[d, pid] = Behov(d, pid, n, minst=min(minst, n))
    for when, pid, n, minst in dated:
        d = (when - start).days
        if 0 <= d < days:
            out[d, pid] = Behov(d, pid, n, minst=min(minst, n))
    return [out[k] for k in sorted(out)]


def _days(start: date, days: int, first: date, last: date) -> range:
    return range(max(0, (first - start).days), min(days, (last - start).days + 1))


def load_franvaro(path: Path, start: date, days: int) -> list[Franvaro]:
    out = []
    for number, row in read_rows(path, ("personal_id", "fran")):
        try:
            first = parse_date("fran", row["fran"])
            last = parse_date("till", row.get("till") or row["fran"])
        except ValidationError as exc:
            raise _where(path, number, exc) from None
        for d in _days(start, days, first, last):
            out.append(Franvaro(row["personal_id"], d, row.get("orsak") or "frånvaro"))
    return out


def load_onskemal(path: Path, start: date, days: int, pass_ids: set[str]) -> list[Onskemal]:
    out = []
    for number, row in read_rows(path, ("personal_id", "datum")):
        try:
            when = parse_date("datum", row["datum"])
            wanted = parse_bool("onskat", row.get("onskat") or "ja")
            weight = parse_int("vikt", row.get("vikt") or "1")
        except ValidationError as exc:
            raise _where(path, number, exc) from None
        d = (when - start).days
        if not 0 <= d < days:
            continue
        pid = None
        if row.get("pass"):
            pid = row["pass"] if "/" in row["pass"] else None
            if pid is None or pid not in pass_ids:
                raise UserError(f"{path.name}, rad {number}: passet {row['pass']} finns inte; "
                                "skriv ENHET/PASS, till exempel HT-NORR/D")
        out.append(Onskemal(row["personal_id"], d, pid, wanted, weight))
    return out


def load_kontaktperson(path: Path) -> dict[str, float]:
    """Hours per week of kontaktperson uppdrag per staff member."""
    out = {}
    for number, row in read_rows(path, ("personal_id",)):
        try:
            if row.get("timmar_per_vecka"):
                out[row["personal_id"]] = parse_number("timmar_per_vecka", row["timmar_per_vecka"])
            else:
                out[row["personal_id"]] = parse_number(
                    "timmar_per_manad", row.get("timmar_per_manad") or "0") * 12 / 52
        except ValidationError as exc:
            raise _where(path, number, exc) from None
    return out


def read_enheter_csv(path: Path) -> list[Enhet]:
    """Enheter for a roster without the register; without `dygnsbryt` (TT:MM) one that fits the
    unit's passes is chosen when the roster is built (`rules.dygnsvila.fit_dygnsbryt`)."""
    out = []
    for number, row in read_rows(path, ("enhet_id",)):
        try:
            out.append(Enhet(
                row["enhet_id"], row.get("namn", ""), row.get("omrade", ""),
                row.get("typ") or "annan",
                parse_bool("kort_dygnsvila_tillaten", row.get("kort_dygnsvila_tillaten", "")),
                parse_bool("kraver_introducerad", row.get("kraver_introducerad", "")),
                dygnsbryt=parse_dygnsbryt("dygnsbryt", row["dygnsbryt"]) if row.get("dygnsbryt") else None,
            ))
        except ValidationError as exc:
            raise _where(path, number, exc) from None
        except KeyError as exc:
            raise UserError(f"{path.name}: kolumnen {exc.args[0]} saknas") from None
    return out


def read_personal_csv(path: Path) -> list[Personal]:
    out = []
    for number, row in read_rows(path, ("personal_id", "enhet")):
        try:
            out.append(Personal(
                personal_id=row["personal_id"], namn=row.get("namn", ""), enhet=row["enhet"],
                kompetenser=parse_list(row.get("kompetenser", "")),
                arbetstidsmatt=parse_number("arbetstidsmatt", row.get("arbetstidsmatt") or "38,25"),
                sysselsattningsgrad=parse_number("sysselsattningsgrad",
                                                 row.get("sysselsattningsgrad") or "100"),
                onskad_grad=(parse_number("onskad_grad", row["onskad_grad"])
                             if row.get("onskad_grad") else None),
                kan_kontaktperson=parse_bool("kan_kontaktperson", row.get("kan_kontaktperson", "")),
                introducerad=parse_bool("introducerad", row.get("introducerad") or "ja"),
            ))
        except ValidationError as exc:
            raise _where(path, number, exc) from None
    return out


def target_minutes(p: Personal, weeks: float, absent_days: int, days: int) -> int:
    """mått × sysselsättningsgrad × weeks, less absence at the person's average per day."""
    full = p.arbetstidsmatt * 60 * p.sysselsattningsgrad / 100 * weeks
    per_day = full / days if days else 0
    return round(full - per_day * absent_days)


def build_problem(
    *,
    personal: Sequence[Personal],
    enheter: Sequence[Enhet],
    omrade: str | None,
    start: date,
    weeks: int,
    schema_dir: Path,
    regler: Regler | None = None,
    extra_franvaro: Sequence[Franvaro] = (),
    kontaktperson: dict[str, float] | None = None,
    uppdrag: Mapping[str, float] | None = None,
) -> RosterProblem:
    """A RosterProblem for one samplaneringsområde (or all, with `omrade=None`).

    Kontaktperson uppdrag in staff members' schedules, in hours per week, come from two places:
    `uppdrag`, the uppdrag accepted in the matching workflow (`bemanning.uppdrag.
    register_hours_per_week`), counted for whoever has them; and `kontaktperson` (by default
    `kontaktperson.csv` in `schema_dir`), counted only for staff who may take uppdrag. For a
    person in both the file wins: it is the schemaläggare's own figure for that person, and the
    same uppdrag is never counted twice.
    """
    if not 1 <= weeks <= 16:
        raise UserError("Schemaperioden ska vara mellan 1 och 16 veckor (4, 6 och 8 är vanligast).")
    days = weeks * 7
    units = [e for e in enheter if omrade is None or e.omrade == omrade]
    if not units:
        known = ", ".join(sorted({e.omrade for e in enheter})) or "inga"
        raise UserError(f"Samplaneringsområdet {omrade} finns inte (kända: {known}).")
    unit_ids = {e.enhet_id for e in units}
    all_types = load_pass_types(schema_dir / "pass.csv")
    pass_types = [p for p in all_types if p.enhet in unit_ids]
    ids = {p.pass_id for p in pass_types}
    behov = load_behov(schema_dir / "behov.csv", start, days, {p.pass_id for p in all_types})
    behov = [b for b in behov if b.pass_id in ids]
    staff = [p for p in personal if p.enhet in unit_ids]
    staff_ids = {p.personal_id for p in staff}
    franvaro = list(extra_franvaro)
    if (schema_dir / "franvaro.csv").exists():
        franvaro += load_franvaro(schema_dir / "franvaro.csv", start, days)
    franvaro = sorted({(f.person_id, f.dag): f for f in franvaro if f.person_id in staff_ids}
                      .values(), key=lambda f: (f.person_id, f.dag))
    onskemal = []
    if (schema_dir / "onskemal.csv").exists():
        onskemal = [o for o in load_onskemal(schema_dir / "onskemal.csv", start, days,
                                             {p.pass_id for p in all_types})
                    if o.person_id in staff_ids]
    if kontaktperson is None and (schema_dir / "kontaktperson.csv").exists():
        kontaktperson = load_kontaktperson(schema_dir / "kontaktperson.csv")
    kontaktperson = kontaktperson or {}
    uppdrag = uppdrag or {}
    absent: dict[str, int] = {}
    for f in franvaro:
        absent[f.person_id] = absent.get(f.person_id, 0) + 1
    people = []
    for p in staff:
        kp, kalla = 0.0, ""
        if p.kan_kontaktperson and p.personal_id in kontaktperson:
            kp, kalla = kontaktperson[p.personal_id], KALLA_INDATA
        elif uppdrag.get(p.personal_id):
            kp, kalla = uppdrag[p.personal_id], KALLA_REGISTER
        people.append(Person(
            person_id=p.personal_id, namn=p.namn, enhet=p.enhet,
            kompetenser=frozenset(p.kompetenser), introducerad=p.introducerad,
            mal_minuter=target_minutes(p, weeks, absent.get(p.personal_id, 0), days),
            kontaktperson_minuter=round(kp * 60 * weeks), kontaktperson_kalla=kalla if kp else "",
            grad=p.sysselsattningsgrad, onskad_grad=p.onskad_grad, arbetstidsmatt=p.arbetstidsmatt,
        ))
    info = tuple(Enhetsinfo(e.enhet_id, e.namn, e.omrade, e.kort_dygnsvila_tillaten,
                            e.kraver_introducerad,
                            dygnsbryt=dygnsbryt_minuter(e.dygnsbryt) if e.dygnsbryt else None)
                 for e in units)
    problem = RosterProblem(
        dagar=days, pass_typer=tuple(pass_types), behov=tuple(behov), personal=tuple(people),
        enheter=info, franvaro=tuple(franvaro), onskemal=tuple(onskemal),
        regler=regler or Regler(), start=start,
        namn=f"{omrade or 'alla områden'} {start.isoformat()}, {antal(weeks, 'vecka', 'veckor')}",
    )
    from bemanning.roster.rules.dygnsvila import fit_dygnsbryt

    return fit_dygnsbryt(problem)
