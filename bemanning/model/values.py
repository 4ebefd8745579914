"""Gemensamma värdetyper och tolkning av enskilda fält (datum, kön, listor, tal)."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

from bemanning.model.display import shown
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
        raise ValidationError(field, f'"{shown(text)}" är inget datum; skriv ÅÅÅÅ-MM-DD, till exempel 2023-11-30')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(field, f'"{shown(text)}" är inget datum (finns inte i kalendern)') from None


def parse_kon(field: str, text: str) -> Kon:
    value = text.strip().upper()
    aliases = {"K": "K", "KVINNA": "K", "M": "M", "MAN": "M"}
    if value not in aliases:
        raise ValidationError(field, f'"{shown(text)}" är inget kön; skriv K eller M')
    return Kon(aliases[value])


def parse_bool(field: str, text: str) -> bool:
    value = text.strip().lower()
    if value in {"ja", "j", "1", "sant", "true", "x"}:
        return True
    if value in {"nej", "n", "0", "falskt", "false", ""}:
        return False
    raise ValidationError(field, f'"{shown(text)}" är varken ja eller nej')


#: Största belopp ett talfält tar emot (timmar, km, procent …); större är ett skrivfel.
NUMBER_MAX = 1_000_000.0
#: Högst så många siffror i ett heltal.
INT_DIGITS_MAX = 9
#: Längsta id (beslut_id, person_id, enhet …); samma gräns som databasens kolumn.
ID_MAX = 100

_NUMBER = re.compile(r"-?[0-9]{1,9}(?:[,.][0-9]{1,6})?", re.ASCII)
_HOURS_MINUTES = re.compile(r"([0-9]{1,4}):([0-5][0-9])", re.ASCII)
_INT = re.compile(r"-?[0-9]+", re.ASCII)


def _number_hint(text: str) -> str:
    if any(c.isdigit() and not c.isascii() for c in text):
        return "; skriv siffrorna 0–9"
    if "_" in text:
        return "; skriv talet utan understreck"
    if any(c in text for c in "eE") and any(c.isdigit() for c in text):
        return "; skriv talet utan exponent (e)"
    return ""


def parse_number(
    field: str, text: str, *, minimum: float | None = 0.0, maximum: float | None = NUMBER_MAX
) -> float:
    """Tal med siffrorna 0–9 och decimalkomma (eller decimalpunkt); `38:15` läses som timmar och
    minuter. Aldrig NaN, oändligt, exponent, understreck eller andra skriftsystems siffror."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    match = _HOURS_MINUTES.fullmatch(value)
    if match:
        number = int(match.group(1)) + int(match.group(2)) / 60
    elif _NUMBER.fullmatch(value):
        number = float(value.replace(",", "."))
    else:
        raise ValidationError(field, f'"{shown(text)}" är inget tal{_number_hint(text)}')
    if minimum is not None and number < minimum:
        raise ValidationError(field, f'"{shown(text)}" får inte vara mindre än {format_number(minimum)}')
    if maximum is not None and number > maximum:
        raise ValidationError(field, f'"{shown(text)}" är för stort; högst {format_number(maximum)}')
    return number


def parse_int(field: str, text: str, *, minimum: int | None = 0, maximum: int | None = None) -> int:
    """Heltal med siffrorna 0–9, högst `INT_DIGITS_MAX` siffror."""
    value = text.strip()
    if not _INT.fullmatch(value):
        raise ValidationError(field, f'"{shown(text)}" är inget heltal{_number_hint(text)}')
    if len(value.lstrip("-")) > INT_DIGITS_MAX:
        raise ValidationError(field, f'"{shown(text)}" har för många siffror; högst {INT_DIGITS_MAX}')
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValidationError(field, f'"{shown(text)}" får inte vara mindre än {minimum}')
    if maximum is not None and number > maximum:
        raise ValidationError(field, f'"{shown(text)}" får inte vara större än {maximum}')
    return number


def parse_id(field: str, text: str) -> str:
    """Ett id: NFC, utan inledande och avslutande blanksteg, utan styrtecken och osynliga tecken
    (ett id med nollbreddsmellanslag ser ut som ett annat id men är det inte), högst `ID_MAX` tecken."""
    import unicodedata

    from bemanning.model.display import char_name, first_invisible

    value = unicodedata.normalize("NFC", text.strip())
    bad = first_invisible(value)
    if bad is not None:
        raise ValidationError(
            field,
            f'"{shown(value)}" innehåller tecknet {char_name(bad)}, som inte syns; ta bort det '
            "(ett id med ett sådant tecken ser ut som ett annat id men är det inte)",
        )
    if len(value) > ID_MAX:
        raise ValidationError(field, f"är {len(value)} tecken långt; ett id får vara högst {ID_MAX} tecken")
    return value


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
