"""Celler som är säkra att öppna i Excel: text blir aldrig en formel.

Alla CSV- och XLSX-skrivare (registrets export, rapporterna, schemat) skriver sina celler genom
den här modulen:

- CSV: en text som börjar med `=`, `+`, `-`, `@`, tabb eller vagnretur får en inledande apostrof
  (`'=1+1`), som OWASP rekommenderar mot formelinjektion. Ett rent tal (`-2,5`) lämnas som det
  är, så att det förblir ett tal. Importen tar bort apostrofen igen (`csv_unescape`), så att en
  export följd av en import ger samma register.
- XLSX: en text skrivs alltid som textcell (openpyxl gör annars `=…` till en formel), och tecken
  som XML inte tillåter (styrtecken) skrivs som `\\x1b`. Datum och tal skrivs som datum och tal.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def csv_text(text: str) -> str:
    """Texten för en CSV-cell: apostrof före en text som Excel annars läser som formel."""
    return "'" + text if is_formula_like(text) else text


def csv_unescape(text: str) -> str:
    """Apostrofen som `csv_text` satte dit tas bort vid import."""
    return _ESCAPED.sub("", text)


def csv_row(values: list[Any] | tuple[Any, ...], fmt: Any = str) -> list[str]:
    """En rad för csv.writer: varje värde formateras med `fmt` och skyddas. Ett tal eller datum
    blir aldrig en formelliknande text (`-2,5` är ett rent tal), så det förblir sig likt."""
    return [csv_text(fmt(v)) for v in values]


def xlsx_text(text: str) -> str:
    return _ILLEGAL_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def xlsx_cell(ws: Any, value: Any, font: Any = None) -> Any:
    """En cell för `ws.append` (fungerar både i write_only och vanligt läge). Text blir textcell."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=xlsx_text(value))
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    return cell


def xlsx_row(ws: Any, values: list[Any] | tuple[Any, ...], font: Any = None) -> list[Any]:
    return [xlsx_cell(ws, v, font) for v in values]
