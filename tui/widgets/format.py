"""Visningsformat på svenska: tal med mellanrum som tusentalsavgränsare, decimalkomma."""

from __future__ import annotations

import calendar
from datetime import date


def tal(value: float | int | None, decimaler: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimaler}f}".replace(",", "\u00a0").replace(".", ",")
    return text


def procent(value: float | None, decimaler: int = 1) -> str:
    """`value` är en andel (0–1) eller redan procent (> 1)."""
    if value is None:
        return "–"
    number = value * 100 if abs(value) <= 1 else value
    return f"{tal(number, decimaler)} %"


def datum(value: date | None) -> str:
    return value.isoformat() if value else ""


def manad_slut(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
