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

from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from bemanning.config import read_toml
from bemanning.errors import UserError
from bemanning.io.tabular import Table

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


def load_mapping(path: Path) -> ColumnMapping:
    raw: dict[str, Any] = read_toml(path)
    kinds = {}
    for kind, section in raw.items():
        if not isinstance(section, dict):
            raise UserError(f"{path.name}: [{kind}] ska vara en tabell med kolumner, varden och datumformat.")
        kinds[kind] = KindMapping(
            kolumner={k: str(v) for k, v in section.get("kolumner", {}).items()},
            varden={k: {str(a): str(b) for a, b in v.items()} for k, v in section.get("varden", {}).items()},
            datumformat=section.get("datumformat"),
        )
    return ColumnMapping(kinds)
