"""Risk för särskild avgift: för varje väntande beslut, dagar efter tremånadersfristen.

Fristen är sista dagen inom tre månader (dagen före första rapportdagen), så ett beslut är
1 dag över på sin första rapportdag. Summeras per insats; äldst först. Arbetsunderlag med
beslut-id (aldrig person_id).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from bemanning.model.beslutslage import BeslutLage
from bemanning.reports.ej_verkstallda import Rad, rapporterade
from bemanning.reports.format import Dokument, Stycke, Tabell, svenskt_datum
from bemanning.reports.installningar import Installningar
from bemanning.model.tremanadersregeln import Regel


@attrs.frozen
class AvgiftRad:
    rad: Rad
    frist: date


@attrs.frozen
class InsatsSumma:
    insats: str
    antal: int
    summa_dagar: int
    flest_dagar: int
    aldsta_datum: date


@attrs.frozen
class Avgiftsrisk:
    rapportdatum: date
    rader: tuple[AvgiftRad, ...]

    @property
    def per_insats(self) -> list[InsatsSumma]:
        """Summa per insats, den insats som har det äldsta beslutet först."""
        groups: dict[str, list[AvgiftRad]] = {}
        for item in self.rader:
            groups.setdefault(item.rad.beslut_om, []).append(item)
        return [
            InsatsSumma(
                insats=insats,
                antal=len(items),
                summa_dagar=sum(i.rad.dagar_over for i in items),
                flest_dagar=max(i.rad.dagar_over for i in items),
                aldsta_datum=min(i.rad.datum for i in items),
            )
            for insats, items in groups.items()
        ]


def avgiftsrisk(lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel | None = None) -> Avgiftsrisk:
    regel = regel or Regel()
    rows = tuple(
        AvgiftRad(rad, regel.frist(vantetid.start)) for vantetid, rad in rapporterade(lagen, rapportdatum, regel)
    )
    return Avgiftsrisk(rapportdatum, rows)


def dagar_over_per_beslut(
    lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel | None = None
) -> dict[str, int]:
    """beslut_id → dagar över tre månader vid rapportdatum (för registervyn)."""
    return {r.rad.beslut_id: r.rad.dagar_over for r in avgiftsrisk(lagen, rapportdatum, regel).rader}


def avgift_dokument(risk: Avgiftsrisk, installningar: Installningar) -> Dokument:
    per = Tabell(
        ("Beslut om", "Antal beslut", "Summa dagar över tre månader", "Flest dagar över tre månader",
         "Äldsta besluts-datum"),
        tuple((s.insats, s.antal, s.summa_dagar, s.flest_dagar, s.aldsta_datum) for s in risk.per_insats),
        rubrik="Dagar efter tremånadersfristen, summerat per insats (äldsta beslut först).",
    )
    detail = Tabell(
        ("Beslut-id", "Beslut om", "Besluts-datum", "Frist", "Antal dagar", "Dagar över tre månader", "Orsak"),
        tuple(
            (r.rad.beslut_id, r.rad.beslut_om, r.rad.datum, r.frist, r.rad.antal_dagar, r.rad.dagar_over, r.rad.orsak)
            for r in risk.rader
        ),
        rubrik="Varje väntande beslut efter fristen, äldst först.",
        blad="Beslut",
    )
    return Dokument(
        titel=f"Risk för särskild avgift den {svenskt_datum(risk.rapportdatum)}",
        rubrik=installningar.namnd,
        delar=(
            Stycke(
                "IVO kan ansöka hos förvaltningsrätten om särskild avgift (10 000–1 000 000 kr) för beslut "
                "som inte verkställts inom skälig tid. Tabellerna visar hur länge varje väntande beslut "
                "har gått över tremånadersfristen. Arbetsunderlag med beslut-id; publiceras inte.",
                kursiv=True,
            ),
            per,
            detail,
        ),
        forfattare=installningar.namnd,
        datum=risk.rapportdatum,
    )
