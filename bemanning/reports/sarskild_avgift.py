"""Risk för särskild avgift, som lagen har den (34 kap. 5–7 och 10 §§ SoL (2025:400), 28 a–28 e §§ LSS).

Särskild avgift kan tas ut när kommunen inte har gett insatsen *inom skälig tid* (34 kap. 5 §).
Tremånadersgränsen är gränsen för rapporteringen, inte för avgiften: vad som är skälig tid
avgörs i varje fall. Underlaget visar därför för varje väntande beslut efter rapportgränsen:

- hur många dagar det har gått sedan rapportgränsen (dagen efter `Regel.frist`);
- avgiftens ram, vald efter **beslutets** datum (`avgiftsram` i data/lagrum.toml: beslut före
  2026-01-01 har kvar 10 000–1 000 000 kr, senare beslut 15 000–1 500 000 kr);
- preskriptionen: avgift kan bara tas ut om IVO:s ansökan har kommit in till kommunen inom två
  år från beslutet (eller från avbrottet, för en väntan efter ett avbrott). Tiden löper ut på
  dagen med samma nummer två år senare; dagen därpå är väntan *preskriberad*;
- undantaget i 34 kap. 6 §: ingen avgift när den enskilde har begärt att verkställandet skjuts
  upp (händelsen "senareläggning begärd av den enskilde"), så länge begäran gäller.

Arbetsunderlag med beslut-id (aldrig person_id); publiceras inte.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from bemanning.model.beslutslage import BeslutLage, Senarelaggning
from bemanning.model.lagrum import (
    AVGIFT,
    AVGIFTSRAM,
    PRESKRIPTION,
    UNDANTAG,
    Lydelse,
    default_lagrum,
    lagrum_krav,
    lagrum_per,
    sidfot,
)
from bemanning.model.tremanadersregeln import Regel, add_months
from bemanning.reports.ej_verkstallda import Rad, Vantetid, rapporterade
from bemanning.reports.format import Dokument, Stycke, Tabell, svenskt_datum
from bemanning.reports.installningar import Installningar

PRESKRIPTION_AR = 2
FRAN_BESLUTET, FRAN_AVBROTTET = "beslutet", "avbrottet"


def sista_ansokningsdag(start: date) -> date:
    """Sista dagen IVO:s ansökan kan komma in: samma dagnummer två år efter beslutet eller
    avbrottet (högst månadens sista dag, så 2024-02-29 → 2026-02-28)."""
    return add_months(start, 12 * PRESKRIPTION_AR)


def aktiv_senarelaggning(vantetid: Vantetid, rapportdatum: date) -> Senarelaggning | None:
    """En begärd senareläggning som gäller vid rapportdatum för just denna väntan, om
    undantaget (34 kap. 6 §) gällde då."""
    if lagrum_per(UNDANTAG, rapportdatum) is None:
        return None
    for item in reversed(vantetid.lage.senarelaggningar):
        if item.datum >= vantetid.start and item.galler(rapportdatum):
            return item
    return None


@attrs.frozen
class AvgiftRad:
    rad: Rad
    frist: date  # sista dagen inom rapportgränsen (tre månader)
    ram: Lydelse | None = None  # avgiftsramen efter beslutets datum
    preskription_fran: str = FRAN_BESLUTET
    sista_ansokan: date | None = None
    preskriberad: bool = False
    senarelaggning: Senarelaggning | None = None

    @property
    def undantagen(self) -> bool:
        return self.senarelaggning is not None

    @property
    def kan_ge_avgift(self) -> bool:
        """Inte preskriberad och inte undantagen: domstolen kan pröva om tiden var skälig."""
        return not self.preskriberad and not self.undantagen

    def status(self) -> str:
        """Läget i ord, på svenska."""
        if self.preskriberad:
            return (f"Preskriberad: två år från {self.preskription_fran} gick ut "
                    f"{self.sista_ansokan.isoformat() if self.sista_ansokan else ''}")
        if self.senarelaggning is not None:
            till = f" till {self.senarelaggning.till.isoformat()}" if self.senarelaggning.till else ""
            return (f"Ingen avgift: senareläggning begärd av den enskilde "
                    f"{self.senarelaggning.datum.isoformat()}{till} (34 kap. 6 §)")
        return "Kan prövas om insatsen inte getts inom skälig tid"


@attrs.frozen
class InsatsSumma:
    insats: str
    antal: int
    summa_dagar: int  # sammanlagt för alla beslut; ingen enskild väntan
    flest_dagar: int
    aldsta_datum: date
    antal_preskriberade: int = 0
    antal_undantagna: int = 0


@attrs.frozen
class Avgiftsrisk:
    rapportdatum: date
    rader: tuple[AvgiftRad, ...]

    @property
    def kan_ge_avgift(self) -> tuple[AvgiftRad, ...]:
        return tuple(r for r in self.rader if r.kan_ge_avgift)

    @property
    def per_insats(self) -> list[InsatsSumma]:
        """Per insats, den insats som har det äldsta beslutet först."""
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
                antal_preskriberade=sum(1 for i in items if i.preskriberad),
                antal_undantagna=sum(1 for i in items if i.undantagen and not i.preskriberad),
            )
            for insats, items in groups.items()
        ]


def avgiftsrad(vantetid: Vantetid, rad: Rad, rapportdatum: date, regel: Regel) -> AvgiftRad:
    return avgiftsrad_av(rad, rapportdatum, regel, aktiv_senarelaggning(vantetid, rapportdatum))


def avgiftsrad_av(rad: Rad, rapportdatum: date, regel: Regel,
                  senarelaggning: Senarelaggning | None = None) -> AvgiftRad:
    """Raden ur tabell 3:s rad (väntans start, beslutsdatum, avbrott) och en eventuell begärd
    senareläggning: samma rad vare sig den kommer ur ett hopvikt läge eller ur projektionen."""
    sista = sista_ansokningsdag(rad.datum)
    return AvgiftRad(
        rad=rad,
        frist=regel.frist(rad.datum),
        ram=lagrum_per(AVGIFTSRAM, rad.beslutsdatum),
        preskription_fran=FRAN_AVBROTTET if rad.avbrott else FRAN_BESLUTET,
        sista_ansokan=sista,
        preskriberad=rapportdatum > sista,
        senarelaggning=senarelaggning,
    )


def avgiftsrisk(lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel | None = None) -> Avgiftsrisk:
    regel = regel or Regel()
    rows = tuple(
        avgiftsrad(vantetid, rad, rapportdatum, regel)
        for vantetid, rad in rapporterade(lagen, rapportdatum, regel)
    )
    return Avgiftsrisk(rapportdatum, rows)


def dagar_over_per_beslut(
    lagen: Iterable[BeslutLage], rapportdatum: date, regel: Regel | None = None
) -> dict[str, int]:
    """beslut_id → dagar efter tremånadersgränsen för rapportering vid rapportdatum (för registervyn)."""
    return {r.rad.beslut_id: r.rad.dagar_over for r in avgiftsrisk(lagen, rapportdatum, regel).rader}


def _inledning(risk: Avgiftsrisk) -> str:
    day = risk.rapportdatum
    avgift = lagrum_krav(AVGIFT, day)
    text = (
        f"IVO kan ansöka hos förvaltningsrätten om särskild avgift när kommunen inte har gett en "
        f"beviljad insats inom skälig tid ({avgift.kort}). Tre månader är gränsen för rapporteringen, "
        "inte för avgiften; vad som är skälig tid prövas i varje enskilt fall. Tabellerna visar därför "
        "hur länge varje väntande beslut har väntat efter rapportgränsen, inte en avgift. "
    )
    ramar = default_lagrum().regler.get(AVGIFTSRAM, ())
    if ramar:
        text += "Avgiftens ram beror på beslutets datum: " + "; ".join(
            f"beslut från {r.fran.isoformat()}{' till ' + r.till.isoformat() if r.till else ''}: {r.ram}"
            for r in ramar
        ) + ". "
    preskription = lagrum_krav(PRESKRIPTION, day)
    text += (
        f"Avgift kan bara tas ut om IVO:s ansökan har kommit in till kommunen inom två år från beslutet "
        f"eller avbrottet ({preskription.kort}); därefter är väntan preskriberad. "
    )
    undantag = lagrum_per(UNDANTAG, day)
    if undantag is not None:
        text += (f"Ingen avgift tas ut när den enskilde har begärt att verkställandet skjuts upp "
                 f"({undantag.kort}). ")
    return text + "Arbetsunderlag med beslut-id; publiceras inte."


def avgift_dokument(risk: Avgiftsrisk, installningar: Installningar) -> Dokument:
    per = Tabell(
        ("Beslut om", "Antal beslut", "Varav preskriberade", "Varav senareläggning begärd",
         "Längst väntat efter rapportgränsen (dagar)", "Sammanlagda dagar efter rapportgränsen, alla beslut",
         "Äldsta besluts-datum"),
        tuple(
            (s.insats, s.antal, s.antal_preskriberade, s.antal_undantagna, s.flest_dagar, s.summa_dagar,
             s.aldsta_datum)
            for s in risk.per_insats
        ),
        rubrik="Per insats (äldsta beslut först). Den sammanlagda summan gäller alla beslut tillsammans, "
               "inte en enskild väntan.",
    )
    detail = Tabell(
        ("Beslut-id", "Beslut om", "Besluts-datum", "Sista dag inom rapportgränsen", "Antal dagar",
         "Dagar efter rapportgränsen", "Orsak", "Avgiftsram (efter beslutets datum)",
         "Preskription räknas från", "Sista dag för IVO:s ansökan", "Läge"),
        tuple(
            (r.rad.beslut_id, r.rad.beslut_om, r.rad.datum, r.frist, r.rad.antal_dagar, r.rad.dagar_over,
             r.rad.orsak, r.ram.ram if r.ram else "", r.preskription_fran, r.sista_ansokan, r.status())
            for r in risk.rader
        ),
        rubrik="Varje beslut som väntat längre än rapportgränsen, äldst först.",
        blad="Beslut",
    )
    return Dokument(
        titel=f"Risk för särskild avgift den {svenskt_datum(risk.rapportdatum)}",
        rubrik=installningar.namnd,
        delar=(
            Stycke(_inledning(risk), kursiv=True),
            per,
            detail,
            Stycke(sidfot((AVGIFT, UNDANTAG, PRESKRIPTION), risk.rapportdatum), kursiv=True),
        ),
        forfattare=installningar.namnd,
        datum=risk.rapportdatum,
    )
