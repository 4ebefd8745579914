"""Ett beslut som det kommer in, från en fil eller ett formulär: beslutet, den enskilde och de
datum som raden anger. Importen läser sådana rader och registret för in dem som händelser."""

from __future__ import annotations

from datetime import date

import attrs

from bemanning.model.beslut import Beslut
from bemanning.model.enskild import Enskild


@attrs.frozen
class BeslutRow:
    fil: str
    line: int
    beslut: Beslut
    enskild: Enskild
    verkstalld_datum: date | None
    avslutad_datum: date | None
    avslutsorsak: str
    columns: frozenset[str]
