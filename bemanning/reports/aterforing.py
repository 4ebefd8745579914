"""Återföring till verksamhetssystemet: en fil nyckad på beslut_id.

Kolumnerna är den kanoniska beslutsfilens (dataformat.md) följda av det verktyget vet:
aktuell orsak, dagar i väntan, senaste erbjudandet och status. `orsak` är fortfarande den
*registrerade* koden (tom om ingen), så att filen kan läsas in igen utan att en härledd kod
låses fast; den härledda står i `aktuell_orsak`. Filen innehåller person_id och är inte en
rapport: den går bara tillbaka till verksamhetssystemet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bemanning.model.beslut import ORSAK_TEXT
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.tremanadersregeln import Regel, antal_dagar
from bemanning.reports.ej_verkstallda import oppen_vantetid, orsak
from bemanning.reports.format import table_csv

KANONISKA = (
    "beslut_id",
    "person_id",
    "kon",
    "insats",
    "beslutsdatum",
    "verkstalld_datum",
    "avslutad_datum",
    "avslutsorsak",
    "orsak",
)
TILLAGDA = (
    "status",
    "aktuell_orsak",
    "aktuell_orsak_text",
    "antal_dagar",
    "over_tre_manader",
    "senaste_erbjudande_datum",
    "senaste_erbjudande_utfall",
    "rapportdatum",
)
KOLUMNER = KANONISKA + TILLAGDA


def aterforing_rader(
    lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel | None = None, *, bara_oppna: bool = False
) -> list[tuple]:
    regel = regel or Regel()
    rows = []
    for lage in sorted(lagen, key=lambda x: x.beslut.beslut_id):
        b = lage.beslut
        vantetid = oppen_vantetid(lage, rapportdatum)
        if bara_oppna and vantetid is None:
            continue
        verkstalld = lage.verkstalld_datum if lage.verkstalld_datum and lage.verkstalld_datum <= rapportdatum else None
        avslutad = lage.avslutad_datum if lage.avslutad_datum and lage.avslutad_datum <= rapportdatum else None
        offers = [e for e in lage.erbjudanden if e.datum <= rapportdatum]
        latest = offers[-1] if offers else None
        if vantetid is None:
            status = "avslutat" if avslutad and (not verkstalld or avslutad < verkstalld) else "verkställt"
        else:
            status = "avbrott" if vantetid.avbrott else "ej verkställt"
        code = orsak(lage, rapportdatum) if vantetid is not None else None
        rows.append(
            (
                b.beslut_id,
                b.person_id,
                lage.enskild.kon.value if lage.enskild else "",
                b.insats,
                b.beslutsdatum,
                verkstalld,
                avslutad,
                lage.avslutsorsak if avslutad else "",
                b.orsak,
                status,
                code,
                ORSAK_TEXT[code] if code else "",
                antal_dagar(vantetid.start, rapportdatum) if vantetid else None,
                ("ja" if regel.ska_rapporteras(vantetid.start, rapportdatum) else "nej") if vantetid else "",
                latest.datum if latest else None,
                latest.utfall if latest else "",
                rapportdatum,
            )
        )
    return rows


def aterforing_csv(
    lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel | None = None, *, bara_oppna: bool = False
) -> bytes:
    return table_csv(KOLUMNER, aterforing_rader(lagen, rapportdatum, regel, bara_oppna=bara_oppna))
