"""Tremånadersregeln: när ett ej verkställt beslut ska rapporteras.

Ett beslut rapporteras vid rapportdatum `R` när det inte är verkställt och inte avslutat vid
`R` och `beslutsdatum <= R - 3 kalendermånader` (samma dagnummer tre månader tidigare, men
högst månadens sista dag: 2023-11-30 → 2023-08-30, 2024-05-31 → 2024-02-29).

Vissa kommuner räknar i stället "mer än N dagar"; det väljs i `data/rapport.toml`
(`[regel] variant = "dagar"`). Regeln finns bara här: alla rapporter frågar `Regel`.

`Antal dagar` är `R - beslutsdatum` i kalenderdagar, utan +1.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import attrs

from bemanning.errors import UserError

MANADER = "manader"
DAGAR = "dagar"


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@lru_cache(maxsize=8192)
def add_months(day: date, months: int) -> date:
    """Samma dagnummer `months` månader bort (negativt = bakåt), högst månadens sista dag."""
    year, month = divmod(day.year * 12 + (day.month - 1) + months, 12)
    last = 29 if month == 1 and calendar.isleap(year) else _DAYS[month]
    return date(year, month + 1, min(day.day, last))


def antal_dagar(start: date, rapportdatum: date) -> int:
    """Kalenderdagar från `start` (beslutsdatum) till rapportdatum, utan +1."""
    return (rapportdatum - start).days


@attrs.frozen
class Regel:
    """Tremånadersregeln eller varianten "mer än N dagar"."""

    variant: str = MANADER
    manader: int = 3
    dagar: int = 90

    def __attrs_post_init__(self) -> None:
        if self.variant not in (MANADER, DAGAR):
            raise UserError(
                f'Regeln "{self.variant}" finns inte; skriv variant = "manader" eller "dagar" '
                "under [regel] i inställningarna."
            )
        if self.manader < 1 or self.dagar < 1:
            raise UserError("Regelns antal månader och dagar måste vara minst 1.")

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> Regel:
        raw = dict(section or {})
        return cls(
            variant=str(raw.get("variant", MANADER)),
            manader=int(raw.get("manader", 3)),
            dagar=int(raw.get("dagar", 90)),
        )

    def senaste_startdatum(self, rapportdatum: date) -> date:
        """Det senaste beslutsdatum som rapporteras vid `rapportdatum`."""
        if self.variant == MANADER:
            return add_months(rapportdatum, -self.manader)
        return rapportdatum - timedelta(days=self.dagar + 1)

    def ska_rapporteras(self, start: date, rapportdatum: date) -> bool:
        """Har väntan från `start` passerat gränsen vid `rapportdatum`? (Den enda regeln.)"""
        return start <= self.senaste_startdatum(rapportdatum)

    def forsta_rapportdag(self, start: date) -> date:
        """Första dag då ett beslut från `start` rapporteras om det fortfarande väntar."""
        if self.variant == DAGAR:
            return start + timedelta(days=self.dagar + 1)
        # Samma dagnummer tre månader senare; finns inte dagen där (31 → november) hamnar
        # add_months på månadens sista dag, som pekar tillbaka före start: då dagen efter.
        day = add_months(start, self.manader)
        return day if day.day == start.day else day + timedelta(days=1)

    def frist(self, start: date) -> date:
        """Sista dagen inom tre månader (dagen före första rapportdagen)."""
        return self.forsta_rapportdag(start) - timedelta(days=1)

    def dagar_over(self, start: date, rapportdatum: date) -> int:
        """Dagar efter fristen till rapportdatum; 0 om fristen inte har passerats."""
        return max(0, (rapportdatum - self.frist(start)).days)

    def beskrivning(self) -> str:
        """Regeln i ord, för rapporternas text."""
        if self.variant == MANADER:
            return "tre månader" if self.manader == 3 else f"{self.manader} månader"
        return f"mer än {self.dagar} dagar"
