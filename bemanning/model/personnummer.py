"""Personnummer och samordningsnummer: igenkänning, Luhn-kontroll, födelsedatum och maskning.

Ett personnummer lagras i registret men skrivs aldrig i loggar eller rapporter.
"""

from __future__ import annotations

import re
from datetime import date

# Med bindestreck, plustecken, mellanslag eller inget mellan födelsedatum och de fyra sista.
_PATTERN = re.compile(r"^([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})([-+ ]?)([0-9]{4})$")


def looks_like_personnummer(text: str) -> bool:
    return bool(_PATTERN.match(text.strip()))


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_valid(text: str) -> bool:
    """Tio sista siffrorna klarar Luhn-kontrollen och datumdelen är ett datum (dag+60 för samordningsnummer)."""
    match = _PATTERN.match(text.strip())
    if not match:
        return False
    _, yy, mm, dd, _, last4 = match.groups()
    if not luhn_ok(yy + mm + dd + last4):
        return False
    day = int(dd) - 60 if int(dd) > 60 else int(dd)
    return 1 <= int(mm) <= 12 and 1 <= day <= 31


def birth_date(text: str, today: date | None = None) -> date | None:
    """Födelsedatum ur ett personnummer (None om det inte går att läsa ut)."""
    match = _PATTERN.match(text.strip())
    if not match:
        return None
    century, yy, mm, dd, sep, _ = match.groups()
    day = int(dd) - 60 if int(dd) > 60 else int(dd)
    if century:
        year = int(century + yy)
    else:
        ref = today or date.today()
        year = (ref.year // 100) * 100 + int(yy)
        if year > ref.year:
            year -= 100
        if sep == "+":
            year -= 100
    try:
        return date(year, int(mm), day)
    except ValueError:
        return None


def mask(text: str) -> str:
    """Visningsform utan de fyra sista siffrorna: 19520314-****."""
    match = _PATTERN.match(text.strip())
    if not match:
        return text
    century, yy, mm, dd, _, _ = match.groups()
    return f"{century or ''}{yy}{mm}{dd}-****"
