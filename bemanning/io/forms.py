"""Formulär i gränssnittet kontrolleras med exakt samma regler som importen.

`parse_form("beslut", {"beslut_id": "B1", ...})` ger antingen modellobjektet eller ett fel per
fält (svensk text), så att gränssnittet kan visa felet vid fältet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from bemanning.io import formats
from bemanning.io.problems import Problem
from bemanning.io.rows import RowReader
from bemanning.io.tabular import Table
from bemanning.model.insats import Katalog, default_katalog

_PARSERS = {
    "uppdragstagare": formats.parse_uppdragstagare,
    "personal": formats.parse_personal,
    "enheter": formats.parse_enhet,
    "omraden": formats.parse_omrade,
}


@attrs.frozen
class FormResult:
    value: Any | None
    errors: dict[str, str]
    warnings: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.errors


def parse_form(kind: str, values: dict[str, str], *, katalog: Katalog | None = None,
               today: date | None = None) -> FormResult:
    header = tuple(values)
    table = Table("formulär", header, ((1, tuple((values[k] or "").strip() for k in header)),))
    problems: list[Problem] = []
    reader = RowReader(table, 1, table.rows[0][1], problems)
    if kind == "beslut":
        value: Any = formats.parse_beslut(reader, katalog or default_katalog(), today or date.today())
    elif kind in _PARSERS:
        value = _PARSERS[kind](reader)
    else:
        raise ValueError(f"okänt formulär: {kind}")
    errors = {p.falt or "": p.meddelande for p in problems if not p.varning}
    warnings = {p.falt or "": p.meddelande for p in problems if p.varning}
    return FormResult(value if not errors else None, errors, warnings)
