"""Kvartalsrapporten till IVO (individrapport) och kvartalsstatistiken till kommunfullmäktige.

Per beslut och kvartal, tills det är verkställt eller avslutat:

- *Nytt*: passerade tre månader under kvartalet och väntar vid kvartalets slut;
- *Kvarstår*: passerade tre månader före kvartalet och väntar fortfarande;
- *Verkställt*, *Återupptaget* (efter avbrott) eller *Avslutat* under kvartalet, med datum,
  om beslutet hann passera tre månader innan dess.

Ett avbrott som inte återupptagits inom tre månader är en egen väntetid med datum för avbrott.

## Ärende-id (IVO-stil)

`ÅÅÅÅMMDD-T` och tre siffror, till exempel `19520314-T124`. Födelsedatum tas ur
personnumret när person_id är ett. Ett okänt födelsedatum hittas aldrig på: raden får tomt
ärende-id och tomt födelsedatum, och rapporten bär en varning som namnger beslutet och ber om
datumet (`IvoRapport.varningar`). De tre siffrorna räknas fram ur beslut_id med SHA-256 (samma beslut ger alltid samma siffror,
inget personnummer ingår), och den tredje siffrans paritet bär kön: jämn = kvinna, udda = man.
Två beslut med samma födelsedatum och kön som skulle få samma id skiljs åt genom att det
yngre beslutet (senare beslutsdatum, sedan beslut_id) provar nästa hashvärde. Id:t är stabilt
över ärendets liv så länge kön och födelsedatum inte rättas (då ska id:t också ändras).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

import attrs

from bemanning.errors import UserError
from bemanning.model.beslut import ORSAK_TEXT
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.insats import Katalog, default_katalog
from bemanning.model.lagrum import INDIVIDRAPPORT, STATISTIK, VERKSTALLIGHET, lagrum_krav, sidfot
from bemanning.model.tremanadersregeln import Regel, antal_dagar
from bemanning.reports.ej_verkstallda import (
    ATERUPPTAGET,
    AVSLUTAT,
    VERKSTALLT,
    kon,
    orsak,
    vantetider,
)
from bemanning.reports.format import Decimal, Dokument, Stycke, Tabell, svenskt_datum
from bemanning.reports.installningar import Installningar
from bemanning.reports.motivering import Matchningsskal, forbjudna_ord, motivering

NYTT, KVARSTAR = "Nytt", "Kvarstår"
KATEGORI = {VERKSTALLT: "Verkställt", ATERUPPTAGET: "Återupptaget", AVSLUTAT: "Avslutat"}
KATEGORI_ORDNING = (NYTT, KVARSTAR, "Verkställt", "Återupptaget", "Avslutat")

_KVARTAL = re.compile(r"^\s*(\d{4})\s*[-_ ]?\s*[KkQq]([1-4])\s*$")


@attrs.frozen
class Kvartal:
    ar: int
    nummer: int

    @classmethod
    def parse(cls, text: str) -> Kvartal:
        match = _KVARTAL.match(text)
        if not match:
            raise UserError(f'"{text}" är inget kvartal; skriv år och kvartal, till exempel 2023K4.')
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Kvartal:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.ar, 3 * self.nummer - 2, 1)

    @property
    def slut(self) -> date:
        if self.nummer == 4:
            return date(self.ar, 12, 31)
        return date(self.ar, 3 * self.nummer + 1, 1) - timedelta(days=1)

    def previous(self) -> Kvartal:
        return Kvartal(self.ar - 1, 4) if self.nummer == 1 else Kvartal(self.ar, self.nummer - 1)

    def __str__(self) -> str:
        return f"{self.ar}K{self.nummer}"

    def text(self) -> str:
        return f"kvartal {self.nummer} {self.ar}"

    def period(self) -> str:
        start, slut = self.start, self.slut
        return f"{start.day} {svenskt_datum(start).split()[1]}–{svenskt_datum(slut)}"


# --- ärende-id ---------------------------------------------------------------------------


def fodelsedatum(lage: BeslutLage) -> date | None:
    """Den enskildes födelsedatum ur personnumret; None när det inte är känt (gissas aldrig)."""
    return lage.enskild.birth_date() if lage.enskild is not None else None


def fodelsedatum_varning(lage: BeslutLage) -> str:
    """Varningen för ett beslut vars enskilde saknar känt födelsedatum."""
    known = ""
    if lage.enskild is not None and lage.enskild.fodelsear:
        known = f" (bara födelseåret {lage.enskild.fodelsear} är känt)"
    return (
        f"Beslut {lage.beslut.beslut_id}: den enskildes födelsedatum saknas{known}. Ärende-id och "
        "födelsedatum lämnas tomma i IVO-rapporten. Ange födelsedatumet (ÅÅÅÅ-MM-DD): registrera den "
        "enskilde med personnummer och gör rapporten igen, eller fyll i datumet i IVO:s e-tjänst."
    )


def _digits(beslut_id: str, attempt: int, man: bool) -> str:
    digest = hashlib.sha256(f"{beslut_id}\x00{attempt}".encode()).digest()
    n = int.from_bytes(digest[:8], "big") % 500
    return f"{n // 5:02d}{2 * (n % 5) + (1 if man else 0)}"


def arende_ids(lagen: Iterable[BeslutLage]) -> dict[str, str]:
    """IVO-stilens ärende-id för varje beslut vars enskilde har känt födelsedatum."""
    grunder = []
    for item in lagen:
        born = fodelsedatum(item)
        if born is not None:  # inget id utan känt födelsedatum; se fodelsedatum_varning
            grunder.append((item.beslut.beslutsdatum, item.beslut.beslut_id, born, kon(item) == "M"))
    return arende_ids_av(grunder)


def arende_ids_av(grunder: Iterable[tuple[date, str, date, bool]]) -> dict[str, str]:
    """Ärende-id ur (beslutsdatum, beslut_id, födelsedatum, man) för besluten i registret. Ett id
    som redan är taget av ett tidigare beslut (samma födelsedatum och kön) ger nästa försök, så
    alla besluts id räknas i samma ordning vare sig de kommer ur hopvikta lägen eller ur
    projektionen (reports/urval.py)."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for _beslutsdatum, beslut_id, born, man in sorted(grunder, key=lambda g: (g[0], g[1])):
        prefix = born.strftime("%Y%m%d") + "-T"
        for attempt in range(10_000):
            candidate = prefix + _digits(beslut_id, attempt, man)
            if candidate not in taken:
                break
        else:  # pragma: no cover - fler än 500 beslut med samma födelsedatum och kön
            raise UserError(f"För många beslut med födelsedatum {prefix[:8]} för unika ärende-id.")
        taken.add(candidate)
        result[beslut_id] = candidate
    return result


def kon_of_arende_id(arende_id: str) -> str:
    return "K" if int(arende_id[-1]) % 2 == 0 else "M"


# --- individrapporten ----------------------------------------------------------------------


@attrs.frozen
class IvoRad:
    arende_id: str  # tomt när födelsedatum saknas
    kategori: str
    lag: str
    insats: str
    lagrum: str
    beslutsdatum: date
    kon: str
    avbrott_datum: date | None
    erbjudanden: str  # "2023-01-16 tackat nej, 2023-04-11 tackat nej"
    antal_tackat_nej: int
    orsak: int
    verkstallighetsdatum: date | None  # verkställt, eller återupptaget efter avbrott
    avslutsdatum: date | None
    avslutsorsak: str
    antal_dagar: int  # till kvartalets slut, eller till verkställighet/avslut
    forsta_rapportering: bool  # passerade tre månader under kvartalet
    beslut_id: str = attrs.field(default="", eq=False)  # internt; skrivs bara med --intern
    fodelsedatum: date | None = None  # None när det inte är känt (aldrig påhittat)
    fodelsear: int | None = None  # till revisorerna: året ur födelsedatumet, annars registrerat år
    motivering: str = ""  # skälen till dröjsmålet med ord (utkast eller handläggarens text)

    @property
    def orsak_text(self) -> str:
        return ORSAK_TEXT[self.orsak]


@attrs.frozen
class IvoRapport:
    kvartal: Kvartal
    rader: tuple[IvoRad, ...]
    #: Svenska varningar om det som saknas (t.ex. födelsedatum), med beslut-id: till
    #: förvaltningen (terminalen, skärmen), aldrig in i filen till IVO.
    varningar: tuple[str, ...] = ()
    #: Varningar om motiveringarna (en text som inte kan lämnas ut, orsak Annat utan text);
    #: de gäller också revisorernas rapport.
    motiveringsvarningar: tuple[str, ...] = ()

    def antal(self, kategori: str) -> int:
        return sum(1 for r in self.rader if r.kategori == kategori)


def rad_ordning(r: IvoRad) -> tuple:
    """Individrapportens ordning: kategori, datum (avbrottets eller beslutets), insats, ärende-id, beslut."""
    return (KATEGORI_ORDNING.index(r.kategori), r.avbrott_datum or r.beslutsdatum, r.insats, r.arende_id,
            r.beslut_id)


def _lag_och_lagrum(katalog: Katalog, insats: str, day: date) -> tuple[str, str]:
    found = katalog.find(insats)
    if found is None:
        return ("", "")
    return (found.lag, found.lagrum_per(day))


def ivo_rapport(
    lagen: Sequence[BeslutLage],
    kvartal: Kvartal,
    regel: Regel | None = None,
    katalog: Katalog | None = None,
    *,
    matchning: Mapping[str, Matchningsskal] | None = None,
    namn: Iterable[str] = (),
    arende: Mapping[str, str] | None = None,
    forbjudna_ovriga: Iterable[str] = (),
    forbjudna_alla: set[str] | None = None,
) -> IvoRapport:
    """Individrapporten för kvartalet ur besluten som de stod vid kvartalets slut.

    `matchning` (beslut_id → bindande krav) och `namn` (uppdragstagares och personals namn,
    som aldrig får stå i en motivering) är valfria. När `lagen` bara är ett urval (de beslut som
    kan stå i rapporten) ger anroparen ärende-id (`arende`) och de id som aldrig får stå i en
    motivering (`forbjudna_ovriga`) räknade över hela registret, som reports/urval.py gör; eller,
    med `forbjudna_alla`, hela mängden färdig (den ska innehålla `forbjudna_ord(lagen, namn)`),
    så att den inte byggs om för varje sats av beslut."""
    regel = regel or Regel()
    katalog = katalog or default_katalog()
    forbjudna = forbjudna_alla if forbjudna_alla is not None else forbjudna_ord(lagen, namn) | set(forbjudna_ovriga)
    start, slut = kvartal.start, kvartal.slut
    ids = arende_ids(lagen) if arende is None else arende
    rows: list[IvoRad] = []
    varningar: dict[str, str] = {}
    skalvarningar: dict[str, str] = {}
    for lage in lagen:
        for vantetid in vantetider(lage, slut):
            forsta = regel.forsta_rapportdag(vantetid.start)
            if forsta > slut:
                continue
            if vantetid.slut is not None and (vantetid.slut <= forsta or vantetid.slut < start):
                continue  # verkställt i tid, eller rapporterat som avslutat ett tidigare kvartal
            if vantetid.slut is None:
                kategori = NYTT if forsta >= start else KVARSTAR
                stop = slut
            else:
                kategori = KATEGORI[vantetid.slutsatt]
                stop = vantetid.slut
            offers = [e for e in lage.erbjudanden if e.datum <= slut]
            lag, lagrum = _lag_och_lagrum(katalog, lage.beslut.insats, lage.beslut.beslutsdatum)
            born = fodelsedatum(lage)
            if born is None:
                varningar[lage.beslut.beslut_id] = fodelsedatum_varning(lage)
            skal = motivering(lage, vantetid.start, stop, avbrott=vantetid.avbrott, katalog=katalog,
                              matchning=matchning, forbjudna=forbjudna)
            if skal.varning:
                skalvarningar[lage.beslut.beslut_id] = skal.varning
            rows.append(
                IvoRad(
                    arende_id=ids.get(lage.beslut.beslut_id, ""),
                    kategori=kategori,
                    lag=lag,
                    insats=lage.beslut.insats,
                    lagrum=lagrum,
                    beslutsdatum=lage.beslut.beslutsdatum,
                    kon=kon(lage),
                    avbrott_datum=vantetid.start if vantetid.avbrott else None,
                    erbjudanden=", ".join(f"{e.datum.isoformat()} {e.utfall}" for e in offers),
                    antal_tackat_nej=sum(1 for e in offers if e.declined),
                    orsak=orsak(lage, stop),
                    verkstallighetsdatum=vantetid.slut if vantetid.slutsatt in (VERKSTALLT, ATERUPPTAGET) else None,
                    avslutsdatum=vantetid.slut if vantetid.slutsatt == AVSLUTAT else None,
                    avslutsorsak=lage.avslutsorsak if vantetid.slutsatt == AVSLUTAT else "",
                    antal_dagar=antal_dagar(vantetid.start, stop),
                    forsta_rapportering=forsta >= start,
                    beslut_id=lage.beslut.beslut_id,
                    fodelsedatum=born,
                    motivering=skal.text,
                    fodelsear=born.year if born else (lage.enskild.fodelsear if lage.enskild else None),
                )
            )
    rows.sort(key=rad_ordning)
    return IvoRapport(
        kvartal, tuple(rows),
        tuple(varningar[k] for k in sorted(varningar)) + tuple(skalvarningar[k] for k in sorted(skalvarningar)),
        tuple(skalvarningar[k] for k in sorted(skalvarningar)),
    )


IVO_KOLUMNER = (
    "Ärende-id",
    "Kategori",
    "Lag",
    "Insats",
    "Lagrum",
    "Beslutsdatum",
    "Kön",
    "Födelsedatum",
    "Datum för avbrott",
    "Erbjudanden",
    "Antal tackat nej",
    "Orsak",
    "Orsak (text)",
    "Skäl till dröjsmålet",
    "Verkställighetsdatum",
    "Avslutsdatum",
    "Avslutsorsak",
    "Antal dagar",
    "Första rapportering",
)


def ivo_tabell(rapport: IvoRapport, *, intern: bool = False) -> Tabell:
    rows = []
    for r in rapport.rader:
        row = (
            r.arende_id,
            r.kategori,
            r.lag,
            r.insats,
            r.lagrum,
            r.beslutsdatum,
            r.kon,
            r.fodelsedatum,
            r.avbrott_datum,
            r.erbjudanden,
            r.antal_tackat_nej,
            r.orsak,
            r.orsak_text,
            r.motivering,
            r.verkstallighetsdatum,
            r.avslutsdatum,
            r.avslutsorsak,
            r.antal_dagar,
            "ja" if r.forsta_rapportering else "nej",
        )
        rows.append(row + ((r.beslut_id,) if intern else ()))
    kolumner = IVO_KOLUMNER + (("Beslut-id (internt)",) if intern else ())
    return Tabell(kolumner, tuple(rows), blad="Individrapport")


def ivo_dokument(rapport: IvoRapport, installningar: Installningar, *, intern: bool = False) -> Dokument:
    k = rapport.kvartal
    counts = ", ".join(f"{kategori.lower()} {rapport.antal(kategori)}" for kategori in KATEGORI_ORDNING)
    delar = (
        Stycke(
            f"Beslut som inte verkställts inom {installningar.regel.beskrivning()}, per beslut, för "
            f"{k.text()}: nya under kvartalet, kvarstående och de som verkställts, återupptagits "
            f"eller avslutats under kvartalet. Antal: {counts}."
        ),
        Stycke(
            "Ärende-id består av den enskildes födelsedatum, -T och tre siffror; den sista siffran "
            "är jämn för kvinnor och udda för män. Det innehåller inget personnummer och är detsamma "
            "varje kvartal för samma ärende. Saknas födelsedatum lämnas ärende-id och födelsedatum tomma; "
            "de hittas aldrig på."
        ),
        ivo_tabell(rapport, intern=intern),
    )
    saknas = sum(1 for r in rapport.rader if r.fodelsedatum is None)
    if saknas:
        delar += (Stycke(f"{saknas} av raderna saknar födelsedatum; det ska fyllas i innan rapporten lämnas.",
                         kursiv=True),)
        if intern:
            delar += tuple(Stycke(v, punkt=True) for v in rapport.varningar)
    delar += (Stycke(sidfot((INDIVIDRAPPORT, VERKSTALLIGHET), k.slut), kursiv=True),)
    return Dokument(
        titel=f"{installningar.namnd_genitiv} rapport till IVO om ej verkställda beslut, {k.text()}",
        rubrik=f"Individrapport för perioden {k.period()}",
        delar=delar,
        forfattare=installningar.namnd,
        datum=k.slut,
    )


# --- statistikrapporten till kommunfullmäktige (34 kap. 3 §) ----------------------------------


@attrs.frozen
class KvartalsStatistik:
    kvartal: Kvartal
    antal: int
    kvinnor: int
    man: int
    sol: int
    lss: int
    medel_dagar: float
    langsta_dagar: int
    nya: int
    verkstallda: int
    aterupptagna: int
    avslutade: int
    per_insats: tuple[tuple[str, str, int, int, int], ...]  # insats, lag, antal, kvinnor, män
    #: Tiden sedan varje beslut (eller avbrott) vid kvartalets slut (34 kap. 3 §), äldst först:
    #: (insats, lag, besluts- eller avbrottsdatum, avbrott "ja"/"", antal dagar, kön). Inga id.
    vantetider: tuple[tuple[str, str, date, str, int, str], ...] = ()


def kvartalsstatistik(rapport: IvoRapport) -> KvartalsStatistik:
    waiting = [r for r in rapport.rader if r.kategori in (NYTT, KVARSTAR)]
    per: dict[str, list[IvoRad]] = {}
    for r in sorted(waiting, key=lambda r: (r.avbrott_datum or r.beslutsdatum, r.insats)):
        per.setdefault(r.insats, []).append(r)
    return KvartalsStatistik(
        kvartal=rapport.kvartal,
        antal=len(waiting),
        kvinnor=sum(1 for r in waiting if r.kon == "K"),
        man=sum(1 for r in waiting if r.kon == "M"),
        sol=sum(1 for r in waiting if r.lag == "SoL"),
        lss=sum(1 for r in waiting if r.lag == "LSS"),
        medel_dagar=(sum(r.antal_dagar for r in waiting) / len(waiting)) if waiting else 0.0,
        langsta_dagar=max((r.antal_dagar for r in waiting), default=0),
        nya=rapport.antal(NYTT),
        verkstallda=rapport.antal("Verkställt"),
        aterupptagna=rapport.antal("Återupptaget"),
        avslutade=rapport.antal("Avslutat"),
        per_insats=tuple(
            (insats, items[0].lag, len(items), sum(1 for r in items if r.kon == "K"),
             sum(1 for r in items if r.kon == "M"))
            for insats, items in per.items()
        ),
        vantetider=tuple(
            (r.insats, r.lag, r.avbrott_datum or r.beslutsdatum, "ja" if r.avbrott_datum else "", r.antal_dagar, r.kon)
            for r in sorted(waiting, key=lambda r: (r.avbrott_datum or r.beslutsdatum, r.insats, r.kon, r.antal_dagar))
        ),
    )


KF_RUBRIK_1 = "Beslut som inte verkställts inom tre månader, vid kvartalets slut."
KF_KOLUMNER_1 = (
    "Kvartal",
    "Antal beslut",
    "Varav kvinnor",
    "Varav män",
    "Varav SoL",
    "Varav LSS",
    "Medelantal dagar",
    "Längsta antal dagar",
)
KF_RUBRIK_2 = "Förändring under kvartalet."
KF_KOLUMNER_2 = (
    "Kvartal",
    "Nya (passerat tre månader)",
    "Verkställda",
    "Återupptagna efter avbrott",
    "Avslutade utan verkställighet",
)
KF_RUBRIK_3 = "Vilken typ av insats som inte verkställts inom tre månader, vid det sista kvartalets slut."
KF_KOLUMNER_3 = ("Beslut om", "Lag", "Antal", "Varav kvinnor", "Varav män")
KF_RUBRIK_4 = (
    "Hur lång tid som har gått sedan varje beslut (för avbrott: sedan avbrottet) till det sista "
    "kvartalets slut, äldst först."
)
KF_KOLUMNER_4 = ("Beslut om", "Lag", "Besluts-datum", "Avbrott", "Antal dagar", "Kvinna eller man")


def kf_dokument(statistik: Sequence[KvartalsStatistik], installningar: Installningar) -> Dokument:
    """Kvartalsstatistiken (ett eller flera kvartal) utan id, namn eller personnummer."""
    if not statistik:
        raise UserError("Inga kvartal att rapportera.")
    last = statistik[-1]
    t1 = Tabell(
        KF_KOLUMNER_1,
        tuple(
            (str(s.kvartal), s.antal, s.kvinnor, s.man, s.sol, s.lss, Decimal(s.medel_dagar, 1), s.langsta_dagar)
            for s in statistik
        ),
        rubrik=KF_RUBRIK_1,
    )
    t2 = Tabell(
        KF_KOLUMNER_2,
        tuple((str(s.kvartal), s.nya, s.verkstallda, s.aterupptagna, s.avslutade) for s in statistik),
        rubrik=KF_RUBRIK_2,
    )
    t3 = Tabell(KF_KOLUMNER_3, last.per_insats, rubrik=KF_RUBRIK_3)
    t4 = Tabell(KF_KOLUMNER_4, last.vantetider, rubrik=KF_RUBRIK_4, blad="Tid sedan beslut")
    first = statistik[0].kvartal
    period = last.kvartal.text() if len(statistik) == 1 else f"{first.text()} – {last.kvartal.text()}"
    mottagare = f"{installningar.kommun}s kommunfullmäktige" if installningar.kommun else "kommunfullmäktige"
    lagrum = lagrum_krav(STATISTIK, last.kvartal.slut)
    intro = Stycke(
        f"Statistikrapport till {mottagare} enligt {lagrum.text} om gynnande beslut som inte verkställts "
        f"inom {installningar.regel.beskrivning()}, {period}: hur många beslut, vilka typer av insatser "
        "och hur lång tid som har gått sedan varje beslut. Uppgifterna är samma som i rapporten till "
        "IVO, utan uppgifter om enskilda; revisorerna får en egen rapport per beslut."
    )
    return Dokument(
        titel=f"{installningar.namnd_genitiv} statistikrapport om ej verkställda beslut, {period}",
        rubrik=f"Kvartalsstatistik den {svenskt_datum(last.kvartal.slut)}",
        delar=(intro, t1, t2, t3, t4, Stycke(sidfot((STATISTIK,), last.kvartal.slut), kursiv=True)),
        forfattare=installningar.namnd,
        datum=last.kvartal.slut,
    )
