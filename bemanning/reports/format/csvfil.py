"""CSV för Excel: semikolon, UTF-8 med BOM, ISO-datum, radslut CRLF."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import TextIO

from bemanning.io.excelsafe import csv_row, csv_text
from bemanning.reports.format.dokument import Cell, Dokument, Stycke, Tabell, cell_text

DELIMITER = ";"
BOM = "\ufeff"


def _writer(buffer: TextIO) -> csv.writer:
    return csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def table_csv(kolumner: Sequence[str], rader: Iterable[Sequence[Cell]]) -> bytes:
    """En tabell: rubrikrad och datarader (maskinläsbar form), som registrets egen export."""
    from bemanning.io.exporter import csv_bytes

    return csv_bytes(kolumner, rader)


def tabell_csv(tabell: Tabell) -> bytes:
    return table_csv(tabell.kolumner, tabell.rader)


def _write_rows(buffer: TextIO, writer, rader: Iterable[Sequence[Cell]]) -> None:  # noqa: ANN001
    """Tabellens rader som säkra texter. En rapport kan ha hundratusentals rader men få olika
    värden (insatser, datum, kön, koder), så varje värdes text räknas en gång per kolumn. En rad
    som står flera gånger i följd (samma objekt, som i en rapport räknad i grupper) skrivs en gång
    och upprepas som text."""
    texts: list[dict[Cell, str]] = []
    line = io.StringIO()
    line_writer = _writer(line)
    for _, run in groupby(rader, key=id):
        same = list(run)
        row, n = same[0], len(same)
        while len(texts) < len(row):
            texts.append({})
        out = []
        for column, value in zip(texts, row, strict=False):
            text = column.get(value) if value.__class__ is not bool else None  # True == 1 som nyckel
            if text is None:
                text = csv_text(cell_text(value))
                if value.__class__ is not bool:
                    column[value] = text
            out.append(text)
        if n == 1:
            writer.writerow(out)
        else:
            line.seek(0)
            line.truncate()
            line_writer.writerow(out)
            buffer.write(line.getvalue() * n)


def dokument_csv(dokument: Dokument) -> bytes:
    """Hela rapporten för Excel: titel, rubrik, sedan varje tabell efter sin bildtext.

    Stycken (standardtexten) hoppas över utom korta kursiva noter under tabellerna.
    """
    # Texten kodas i bitar medan den skrivs (inte hela rapporten som text och sedan en gång till
    # som byte): en rapport med hundratusentals rader hålls en gång i minnet.
    raw = io.BytesIO()
    buffer = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    buffer.write(BOM)
    writer = _writer(buffer)
    writer.writerow([csv_text(dokument.titel)])
    writer.writerow([csv_text(dokument.rubrik)])
    for del_ in dokument.delar:
        if isinstance(del_, Tabell):
            writer.writerow([])
            if del_.rubrik:
                writer.writerow([csv_text(del_.rubrik)])
            writer.writerow(csv_row(del_.kolumner, cell_text))
            _write_rows(buffer, writer, del_.rader)
        elif isinstance(del_, Stycke) and del_.kursiv:
            writer.writerow([csv_text(del_.text)])
    buffer.flush()
    return raw.getvalue()
