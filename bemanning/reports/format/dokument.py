"""Ett rapportdokument som data: rubriker, stycken och tabeller med typade celler.

Rapporterna bygger ett `Dokument`; skrivarna (Markdown, text, CSV, DOCX, XLSX) gör bytes av
det. Så ser varje format samma siffror, och ett nytt format behöver bara en skrivare.
"""

from __future__ import annotations

from datetime import date

import attrs

MANADER = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def svenskt_datum(day: date) -> str:
    """`31 december 2023`: svenskt månadsnamn, dag utan inledande nolla."""
    return f"{day.day} {MANADER[day.month - 1]} {day.year}"


@attrs.frozen
class Decimal:
    """Ett tal med decimaler; skrivs med decimalkomma och ett fast antal decimaler."""

    value: float
    decimals: int = 1

    def __str__(self) -> str:
        return f"{self.value:.{self.decimals}f}".replace(".", ",")


Cell = str | int | date | Decimal | None


def cell_text(value: Cell) -> str:
    """Cellens text i textformaten: ISO-datum, heltal, decimalkomma, tomt för None."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def is_numeric(value: Cell) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


@attrs.frozen
class Stycke:
    text: str
    punkt: bool = False  # en punkt i en punktlista
    kursiv: bool = False


@attrs.frozen
class Rubrik:
    text: str
    niva: int = 2


@attrs.frozen
class Tabell:
    kolumner: tuple[str, ...]
    rader: tuple[tuple[Cell, ...], ...]
    rubrik: str = ""  # bildtexten före tabellen
    blad: str = ""  # XLSX: skriv också tabellen på ett eget blad med detta namn

    def __attrs_post_init__(self) -> None:
        width = len(self.kolumner)
        if any(n != width for n in set(map(len, self.rader))):  # en prövning i C per rad
            row = next(row for row in self.rader if len(row) != width)
            raise ValueError(f"raden {row!r} har fel antal celler för {self.kolumner!r}")

    def numeric_columns(self) -> tuple[bool, ...]:
        """Kolumner där alla ifyllda celler är tal (högerställs)."""
        result = []
        for index in range(len(self.kolumner)):
            values = [row[index] for row in self.rader if row[index] is not None]
            result.append(bool(values) and all(is_numeric(v) for v in values))
        return tuple(result)


Del = Stycke | Rubrik | Tabell


@attrs.frozen
class Dokument:
    titel: str
    rubrik: str
    delar: tuple[Del, ...] = ()
    forfattare: str = "bemanning"
    datum: date | None = None  # dokumentets datum (rapportdatum), för DOCX/XLSX-egenskaper

    @property
    def tabeller(self) -> list[Tabell]:
        return [d for d in self.delar if isinstance(d, Tabell)]
