"""Månadens statistikrapport som dokument: titel, rubrik, standardtext och tre tabeller.

Bildtexter och kolumnrubriker är exakt specifikationens. Rapporten är offentlig (den hamnar
i nämndens protokoll): inga namn, personnummer eller id, bara raderna i `Statistikrapport`.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from itertools import chain, repeat

from bemanning.errors import UserError
from bemanning.model.lagrum import RAPPORTERING, sidfot
from bemanning.reports.ej_verkstallda import Statistikrapport
from bemanning.reports.format import Dokument, Stycke, Tabell, table_csv
from bemanning.reports.installningar import Installningar

RUBRIK_1 = (
    "Antal beslut som inte har verkställts inom tre månader. Andel kvinnor respektive män och "
    "antal av dessa som tackat nej till erbjudande."
)
RUBRIK_2 = "Vilken typ av insats som inte verkställts inom tre månader."
RUBRIK_3 = (
    "Antal dagar från dagen för respektive beslut till rapporteringstillfälle samt orsak till "
    "beslut som inte verkställts."
)
#: Sidfotens lagrum (34 kap. 3 § SoL och 28 h § LSS från 2025-07-01, enligt data/lagrum.toml).
SIDFOT = (RAPPORTERING,)
KOLUMNER_1 = ("Antal beslut", "Varav kvinnor", "Varav män", "Antal som tackat nej till erbjudande")
KOLUMNER_2 = ("Beslut om", "Antal")
KOLUMNER_3 = (
    "Beslut om",
    "Besluts-datum",
    "Antal dagar",
    "Kvinna eller man",
    "Tackat nej till erbjuden plats (1) Resursbrist (2) Annat (3)",
)


def tabell_1(rapport: Statistikrapport) -> Tabell:
    s = rapport.sammanfattning
    row = (s.antal_beslut, s.varav_kvinnor, s.varav_man, s.antal_tackat_nej)
    return Tabell(KOLUMNER_1, (row,), rubrik=RUBRIK_1)


def tabell_2(rapport: Statistikrapport) -> Tabell:
    return Tabell(KOLUMNER_2, tuple(rapport.per_insats), rubrik=RUBRIK_2)


def tabell_3(rapport: Statistikrapport) -> Tabell:
    """Tabell 3. En rad som står flera gånger i följd (en grupp av beslut) blir samma cellrad
    upprepad, så att skrivarna kan skriva den en gång per grupp."""
    rows = tuple(chain.from_iterable(repeat((r.beslut_om, r.datum, r.antal_dagar, r.kon, r.orsak), n)
                                     for r, n in rapport.upprepningar()))
    return Tabell(KOLUMNER_3, rows, rubrik=RUBRIK_3, blad="Detalj")


def dokument(rapport: Statistikrapport, installningar: Installningar) -> Dokument:
    day = rapport.rapportdatum
    delar: list = list(installningar.standardtext(day))
    delar += [tabell_1(rapport), tabell_2(rapport), tabell_3(rapport)]
    if rapport.antal_avbrott:
        n = rapport.antal_avbrott
        if n == 1:
            text = ("1 av raderna avser ett avbrott i verkställigheten som inte har återupptagits inom "
                    "tre månader; för den raden anges avbrottets datum och dagarna räknas från avbrottet.")
        else:
            text = (f"{n} av raderna avser avbrott i verkställigheten som inte har återupptagits inom "
                    "tre månader; för dem anges avbrottets datum och dagarna räknas från avbrottet.")
        delar.append(Stycke(text, kursiv=True))
    delar.append(Stycke(sidfot(SIDFOT, day), kursiv=True))
    return Dokument(
        titel=installningar.titel_per(day),
        rubrik=installningar.rubrik_per(day),
        delar=tuple(delar),
        forfattare=installningar.namnd,
        datum=day,
    )


def detalj_csv(rapport: Statistikrapport) -> bytes:
    """Tabell 3, maskinläsbar: exakt specifikationens rubrikrad, ISO-datum, K/M, kod 1–3."""
    return table_csv(KOLUMNER_3, tabell_3(rapport).rader)


def read_detalj_csv(data: bytes) -> list[dict]:
    """Läser tillbaka `detalj_csv` till rader i samma form som `to_json()["detalj"]`."""
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader, None)
    if tuple(header or ()) != KOLUMNER_3:
        raise UserError("Filen har inte detaljtabellens rubrikrad: " + ";".join(header or ()))
    rows = []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(
                {
                    "beslut_om": row[0],
                    "beslutsdatum": date.fromisoformat(row[1]).isoformat(),
                    "antal_dagar": int(row[2]),
                    "kon": row[3],
                    "orsak": int(row[4]),
                }
            )
        except (IndexError, ValueError):
            raise UserError(f"rad {line}: kan inte läsas som en rad i detaljtabellen") from None
    return rows
