"""Visningsformat på svenska: tal med mellanrum som tusentalsavgränsare, decimalkomma.

Formaten finns i kärnan (`bemanning.svenska`) så att kommandoraden och programmet skriver
tal, antal och datum på samma sätt; här hämtas de bara in för skärmarna."""

from __future__ import annotations

import calendar
from datetime import date

from bemanning.svenska import antal, datum_kort, omrade_namn, procent, tal, tal_kort, veckodag

__all__ = ["antal", "datum", "datum_kort", "manad_slut", "omrade_namn", "procent", "tal", "tal_kort", "veckodag"]


def datum(value: date | None) -> str:
    return value.isoformat() if value else ""


def manad_slut(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
