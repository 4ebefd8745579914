"""Gemensamma värdetyper och tolkning av enskilda fält (datum, kön, listor, tal)."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

from bemanning.model.errors import ValidationError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Kon(str, Enum):
    """Kön som det skrivs i registret och rapporterna."""

    K = "K"
    M = "M"

    @property
    def ord(self) -> str:
        return "kvinna" if self is Kon.K else "man"


def parse_date(field: str, text: str) -> date:
    """Tolka `ÅÅÅÅ-MM-DD`; annat ger ett svenskt fel som säger vad som är fel."""
    value = text.strip()
    if not _ISO_DATE.match(value):
        raise ValidationError(field, f'"{text}" är inget datum; skriv ÅÅÅÅ-MM-DD, till exempel 2023-11-30')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(field, f'"{text}" är inget datum (finns inte i kalendern)') from None


def parse_kon(field: str, text: str) -> Kon:
    value = text.strip().upper()
    aliases = {"K": "K", "KVINNA": "K", "M": "M", "MAN": "M"}
    if value not in aliases:
        raise ValidationError(field, f'"{text}" är inget kön; skriv K eller M')
    return Kon(aliases[value])


def parse_bool(field: str, text: str) -> bool:
    value = text.strip().lower()
    if value in {"ja", "j", "1", "sant", "true", "x"}:
        return True
    if value in {"nej", "n", "0", "falskt", "false", ""}:
        return False
    raise ValidationError(field, f'"{text}" är varken ja eller nej')


def parse_number(field: str, text: str, *, minimum: float | None = 0.0) -> float:
    """Tal med decimalkomma eller decimalpunkt; `38:15` läses som timmar och minuter."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    match = re.fullmatch(r"(\d+):([0-5]\d)", value)
    if match:
        number = int(match.group(1)) + int(match.group(2)) / 60
    else:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ValidationError(field, f'"{text}" är inget tal') from None
    if minimum is not None and number < minimum:
        raise ValidationError(field, f'"{text}" får inte vara mindre än {format_number(minimum)}')
    return number


def parse_int(field: str, text: str, *, minimum: int | None = 0) -> int:
    value = text.strip()
    if not re.fullmatch(r"-?\d+", value):
        raise ValidationError(field, f'"{text}" är inget heltal')
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValidationError(field, f'"{text}" får inte vara mindre än {minimum}')
    return number


def parse_list(text: str) -> tuple[str, ...]:
    """Kommaseparerad lista, små bokstäver, utan tomma poster och dubbletter, sorterad."""
    items = {part.strip().lower() for part in re.split(r"[,|]", text) if part.strip()}
    return tuple(sorted(items))


def format_number(number: float) -> str:
    """Svenskt talformat: decimalkomma, inga onödiga decimaler."""
    if float(number).is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").replace(".", ",")


def format_list(items: tuple[str, ...]) -> str:
    return ",".join(items)
