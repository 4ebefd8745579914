"""Kolumnmappning i TOML för export från andra verksamhetssystem.

Exempel (`mappning.toml`):

    [beslut]
    datumformat = "%d.%m.%Y"          # hur datum skrivs i källfilen
    [beslut.kolumner]                 # vårt namn = källans kolumnrubrik
    beslut_id = "Beslutsnummer"
    person_id = "Personnummer"
    kon = "Kön"
    insats = "Insats"
    beslutsdatum = "Beslutsdatum"
    [beslut.varden.kon]               # källans värde = vårt värde
    Kvinna = "K"
    Man = "M"

Tabellerna heter som filslagen: beslut, erbjudanden, uppdragstagare, personal, enheter, omraden.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from bemanning.errors import UserError
from bemanning.io.tabular import Table
from bemanning.model.display import shown

DATE_COLUMNS = {"beslutsdatum", "verkstalld_datum", "avslutad_datum", "datum", "registerutdrag_datum"}


@attrs.frozen
class KindMapping:
    kolumner: dict[str, str] = attrs.field(factory=dict)  # vårt namn -> källans rubrik
    varden: dict[str, dict[str, str]] = attrs.field(factory=dict)
    datumformat: str | None = None

    def apply(self, table: Table) -> Table:
        renames = {source.strip().lower(): ours for ours, source in self.kolumner.items()}
        header = tuple(renames.get(h, h) for h in table.header)
        rows = []
        for line, cells in table.rows:
            converted = []
            for name, cell in zip(header, cells, strict=False):
                value = cell
                if name in self.varden and value in self.varden[name]:
                    value = self.varden[name][value]
                if self.datumformat and name in DATE_COLUMNS and value:
                    try:
                        value = datetime.strptime(value, self.datumformat).date().isoformat()
                    except ValueError:
                        pass  # lämnas orört; datumkontrollen säger vad som är fel
                converted.append(value)
            rows.append((line, tuple(converted)))
        return attrs.evolve(table, header=header, rows=tuple(rows))


@attrs.frozen
class ColumnMapping:
    kinds: dict[str, KindMapping] = attrs.field(factory=dict)

    def for_kind(self, kind: str) -> KindMapping | None:
        return self.kinds.get(kind)


def _reads_dates(datumformat: str) -> bool:
    """Does `datumformat` give back a day it wrote? ("%d.%m" has no year, "%d.%M.%Y" minutes.)"""
    probe = date(2024, 11, 5)
    try:
        return datetime.strptime(probe.strftime(datumformat), datumformat).date() == probe
    except ValueError:
        return False


def _mapping_error(name: str, message: str) -> UserError:
    return UserError(
        f"Kolumnmappningen {name}: {message}. Rätta filen och försök igen "
        "(se exemplet i bemanning importera --help och i README)."
    )


_SECTION_KEYS = {"kolumner", "varden", "datumformat"}


def _strings(name: str, where: str, table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        raise _mapping_error(name, f"[{where}] ska vara en tabell med text = text")
    out = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise _mapping_error(
                name, f'{where}.{shown(str(key))} ska vara text inom citattecken, inte {_type_name(value)}'
            )
        out[unicodedata.normalize("NFC", str(key))] = unicodedata.normalize("NFC", value)
    return out


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "ett sanningsvärde"
    if isinstance(value, (int, float)):
        return "ett tal"
    if isinstance(value, dict):
        return "en tabell"
    if isinstance(value, list):
        return "en lista"
    return "ett " + type(value).__name__


def parse_mapping(name: str, raw: dict[str, Any]) -> ColumnMapping:
    from bemanning.io.formats import KINDS

    kinds = {}
    for kind, section in raw.items():
        if kind not in KINDS:
            raise _mapping_error(
                name, f"tabellen [{shown(kind)}] känns inte igen; använd {', '.join(KINDS)}"
            )
        if not isinstance(section, dict):
            raise _mapping_error(name, f"[{kind}] ska vara en tabell med kolumner, varden och datumformat")
        unknown = sorted(set(section) - _SECTION_KEYS)
        if unknown:
            raise _mapping_error(
                name, f'"{shown(unknown[0])}" i [{kind}] känns inte igen; använd kolumner, varden och datumformat'
            )
        datumformat = section.get("datumformat")
        if datumformat is not None and not isinstance(datumformat, str):
            raise _mapping_error(name, f"{kind}.datumformat ska vara text, till exempel \"%d.%m.%Y\"")
        if datumformat is not None and not _reads_dates(datumformat):
            raise _mapping_error(
                name, f'{kind}.datumformat "{shown(datumformat)}" kan inte läsa ett datum; det ska ha dag, månad '
                'och år, till exempel "%d.%m.%Y" för 05.11.2024 eller "%Y%m%d" för 20241105',
            )
        varden_raw = section.get("varden", {})
        if not isinstance(varden_raw, dict):
            raise _mapping_error(name, f"[{kind}.varden] ska vara en tabell med en tabell per kolumn")
        kinds[kind] = KindMapping(
            kolumner=_strings(name, f"{kind}.kolumner", section.get("kolumner", {})),
            varden={
                str(column): _strings(name, f"{kind}.varden.{column}", values)
                for column, values in varden_raw.items()
            },
            datumformat=datumformat,
        )
    return ColumnMapping(kinds)


def load_mapping(path: Path) -> ColumnMapping:
    """Läs och kontrollera en mappningsfil. Allt som är fel blir ett svenskt `UserError`."""
    import tomli

    from bemanning.io.tabular import TableError, display_name, read_bytes

    path = Path(path)
    name = display_name(path)
    try:
        raw = read_bytes(path, name)
    except TableError as exc:
        raise _mapping_error(name, exc.problem.meddelande) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _mapping_error(name, f"rad {line}: filen är inte UTF-8; spara den som UTF-8") from None
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        from bemanning.config import toml_error_text

        raise _mapping_error(name, toml_error_text(exc)) from None
    return parse_mapping(name, data)
