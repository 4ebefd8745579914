"""Skrivare för rapportdokument: Markdown, text, CSV för Excel, DOCX och XLSX."""

from __future__ import annotations

from bemanning.reports.format.csvfil import dokument_csv, tabell_csv, table_csv
from bemanning.reports.format.dokument import (
    Decimal,
    Dokument,
    Rubrik,
    Stycke,
    Tabell,
    svenskt_datum,
)
from bemanning.reports.format.kontor import docx_bytes, xlsx_bytes
from bemanning.reports.format.text import markdown, plain_text

#: Format som alla rapporter kan skrivas i, med filändelse.
FORMAT = {"docx": "docx", "xlsx": "xlsx", "csv": "csv", "md": "md", "txt": "txt"}


def render(dokument: Dokument, fmt: str) -> bytes:
    """Dokumentet som bytes i formatet `fmt` (en nyckel i FORMAT)."""
    if fmt == "md":
        return markdown(dokument).encode("utf-8")
    if fmt == "txt":
        return plain_text(dokument).encode("utf-8")
    if fmt == "csv":
        return dokument_csv(dokument)
    if fmt == "docx":
        return docx_bytes(dokument)
    if fmt == "xlsx":
        return xlsx_bytes(dokument)
    raise ValueError(f"okänt format {fmt!r}")


__all__ = [
    "FORMAT",
    "Decimal",
    "Dokument",
    "Rubrik",
    "Stycke",
    "Tabell",
    "docx_bytes",
    "dokument_csv",
    "markdown",
    "plain_text",
    "render",
    "svenskt_datum",
    "table_csv",
    "tabell_csv",
    "xlsx_bytes",
]
