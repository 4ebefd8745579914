"""Enheter och samplaneringsområden: personal flyttar bara mellan enheter inom sitt område."""

from __future__ import annotations

import attrs

from bemanning.model.errors import ValidationError

ENHETSTYPER = ("hemtjänst", "särskilt boende", "nattpatrull", "LSS gruppbostad", "LSS daglig verksamhet", "annan")


@attrs.frozen
class Samplaneringsomrade:
    omrade_id: str
    namn: str


@attrs.frozen
class Enhet:
    enhet_id: str
    namn: str
    omrade: str
    typ: str = "annan"
    kort_dygnsvila_tillaten: bool = False  # planerat undantag ned till 9 h dygnsvila
    kraver_introducerad: bool = False  # en ny medarbetare får aldrig vara ensam på ett pass
    # AB 24 dygnsbryt: klockslaget då enhetens 24-timmarsperioder börjar (dygnsvila räknas i dem).
    # None: inte angiven; schemat väljer då ett klockslag som rymmer enhetens pass och säger det.
    dygnsbryt: str | None = None


def parse_dygnsbryt(field: str, text: str) -> str:
    """Ett klockslag TT:MM (00:00–23:59), normaliserat till två siffror för timmar och minuter."""
    value = text.strip().replace(".", ":")
    try:
        hours, minutes = (int(part) for part in value.split(":"))
    except ValueError:
        raise ValidationError(field, f'"{text}" är inget klockslag; skriv TT:MM, till exempel 07:00') from None
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValidationError(field, f'"{text}" är inget klockslag på dygnet; skriv 00:00–23:59')
    return f"{hours:02d}:{minutes:02d}"


def dygnsbryt_minuter(text: str) -> int:
    """Minuter efter midnatt för ett normaliserat klockslag ("07:00" → 420)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)
