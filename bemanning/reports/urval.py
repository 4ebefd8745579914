"""Vilka beslut en rapport behöver, valda i databasen.

Månadens statistikrapport och jämförelsen mellan två rapportdagar tar bara med beslut som väntar
på rapportdagen med en väntetid äldre än tremånadersregelns gräns. Registrets projektion svarar på
det med en intervallfråga, och bara de besluten viks ihop: rapporten kostar så mycket som den är
lång, inte så mycket som historiken. Rapporten räknas sedan precis som förut ur lägena, så urvalet
kan aldrig ändra en siffra (det prövas av tests/store/test_projection.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from bemanning.errors import UserError
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.tremanadersregeln import Regel
from bemanning.reports.ej_verkstallda import SORTERING, Rad, Statistikrapport, rad_av
from bemanning.store import Register


def lagen_for_statistik(reg: Register, rapportdatum: date, regel: Regel) -> list[BeslutLage]:
    """Besluten som kan stå i statistikrapporten vid `rapportdatum`, som de stod den dagen."""
    ids = reg.waiting_beslut_ids(rapportdatum, regel.senaste_startdatum(rapportdatum))
    return reg.beslut_lagen(rapportdatum, ids=ids)


def statistikrapport_ur_registret(reg: Register, rapportdatum: date, regel: Regel) -> Statistikrapport:
    """Månadens statistikrapport med raderna lästa direkt ur projektionen: ingen hopvikning alls,
    samma rader som `statistikrapport(reg.beslut_lagen(R), R)` (prövas på slumpade historier).

    Rapporten kan ha tiotusentals rader, så arbetet per rad hålls litet: dagarna räknas en gång
    per väntestart (många beslut delar dag), inte en gång per rad."""
    per_start: dict[date, tuple[int, int]] = {}
    rows = []
    append = rows.append
    # Kolumnerna i projection.statistik_query:s ordning (en ändrad ordning ger ett fel här, inte fel rader).
    for beslut_id, insats, beslutsdatum, start, avbrott, orsakskod, kon, _enhet in reg.waiting_rows(
            rapportdatum, regel.senaste_startdatum(rapportdatum)):
        if kon is None:
            raise UserError(
                f"Beslut {beslut_id} saknar uppgift om den enskilde (kön); "
                "rätta registret och gör rapporten igen."
            )
        dagar = per_start.get(start)
        if dagar is None:
            sample = rad_av(insats=insats, start=start, rapportdatum=rapportdatum, kon=kon, orsak=int(orsakskod),
                            beslut_id=beslut_id, beslutsdatum=beslutsdatum, avbrott=bool(avbrott), regel=regel)
            dagar = per_start[start] = (sample.antal_dagar, sample.dagar_over)
        append(Rad(insats, start, dagar[0], kon, int(orsakskod), beslut_id, beslutsdatum, bool(avbrott), dagar[1]))
    rows.sort(key=SORTERING)
    return Statistikrapport(rapportdatum=rapportdatum, rader=tuple(rows), regel=regel)


def statistikrapport_for_utskrift(reg: Register, rapportdatum: date, regel: Regel) -> Statistikrapport:
    """Månadens statistikrapport som den skrivs ut (`bemanning rapport manad`): samma tabeller byte
    för byte som `statistikrapport_ur_registret`, men raderna bär inga beslut-id eller
    beslutsdatum (som aldrig står i den offentliga rapporten).

    Databasen räknar raderna i grupper med samma väntestart, insats, kön, orsak och avbrott (se
    `projection.statistik_grupper_query`): varje grupp blir en rad ur `rad_av`, och rapportens
    rader är den raden upprepad så många gånger som gruppen har beslut (samma objekt, så en
    rapport med hundratusentals rader kostar några tusen rader i Python). Inom en grupp skiljer
    sig raderna i `statistikrapport_ur_registret` bara i beslut-id, som bara avgör ordningen
    mellan lika rader: tabellerna blir desamma (prövas på slumpade historier)."""
    from itertools import chain, repeat

    groups = reg.waiting_groups(rapportdatum, regel.senaste_startdatum(rapportdatum))
    if any(kon is None for _start, _insats, kon, *_rest in groups):
        # samma fel, om samma beslut, som rapporten med en rad per beslut
        return statistikrapport_ur_registret(reg, rapportdatum, regel)
    counted = []
    for start, insats, kon, orsakskod, avbrott, antal in groups:
        rad = rad_av(insats=insats, start=start, rapportdatum=rapportdatum, kon=kon, orsak=int(orsakskod),
                     beslut_id="", beslutsdatum=None, avbrott=bool(avbrott), regel=regel)
        counted.append((rad, antal))
    counted.sort(key=lambda pair: SORTERING(pair[0]))
    rows = tuple(chain.from_iterable(repeat(rad, antal) for rad, antal in counted))
    return Statistikrapport(rapportdatum=rapportdatum, rader=rows, regel=regel, grupper=tuple(counted))


def avgiftsrisk_ur_registret(reg: Register, rapportdatum: date, regel: Regel):
    """Särskild avgift ur statistikrapportens rader i projektionen. Bara beslut med en begärd
    senareläggning viks ihop (den avgör undantaget); samma rader som `avgiftsrisk` på alla
    beslut (prövas på slumpade historier)."""
    from bemanning.model.handelse import HandelseTyp
    from bemanning.reports.ej_verkstallda import rapporterade
    from bemanning.reports.sarskild_avgift import Avgiftsrisk, aktiv_senarelaggning, avgiftsrad_av

    rader = statistikrapport_ur_registret(reg, rapportdatum, regel).rader
    postponed = reg.beslut_with_event(HandelseTyp.SENARELAGGNING) & {r.beslut_id for r in rader}
    undantag = {}
    if postponed:
        for vantetid, rad in rapporterade(reg.beslut_lagen(rapportdatum, ids=postponed), rapportdatum, regel):
            undantag[rad.beslut_id] = aktiv_senarelaggning(vantetid, rapportdatum)
    return Avgiftsrisk(rapportdatum, tuple(avgiftsrad_av(r, rapportdatum, regel, undantag.get(r.beslut_id))
                                           for r in rader))


def lagen_for_kvartal(reg: Register, kvartal) -> list[BeslutLage]:  # noqa: ANN001 - Kvartal
    """Besluten som kvartalets statistik (KF) kan räkna, som de stod vid kvartalets slut: de som
    väntade någon gång under kvartalet. Samma statistik som ur alla beslut (prövas på slumpade
    historier), men bara de besluten viks ihop."""
    return reg.beslut_lagen(kvartal.slut, ids=reg.beslut_waiting_during(kvartal.start, kvartal.slut))


def ivo_ur_registret(reg: Register, kvartal, regel: Regel, katalog=None, *,  # noqa: ANN001
                     matchning=None):  # noqa: ANN001
    """IVO:s (och revisorernas) rapport för kvartalet. Bara besluten som kan ha en rad läses
    (`projection.kvartal_kandidater_query`: de som väntar vid kvartalets slut, de vars väntan kan
    ha slutat under kvartalet och de med rättelser eller avbrott), i satser (`Register.beslut_lagen_satsvis`:
    en enkel historik byggs direkt ur raderna, andra viks ihop), och varje sats släpps när dess
    rader är räknade. Ärende-id och de id och namn som aldrig får stå i en motivering
    (uppdragstagares och personals) räknas över hela registret, så raderna beror bara på sitt eget
    beslut och satserna kan räknas var för sig. Samma rapport som `ivo_rapport(reg.beslut_lagen(slut), …)`
    (prövas på slumpade historier)."""
    from bemanning.model import personnummer
    from bemanning.reports.ivo import IvoRapport, ivo_rapport, rad_ordning
    from bemanning.reports.motivering import forbjudna_ord

    slut = kvartal.slut
    namn = [u.namn for u in reg.uppdragstagare(slut)] + [p.namn for p in reg.personal(slut)]
    # Ett överurval med marginal: en väntan som började upp till en vecka efter gränsen prövas också.
    ids, people = reg.kvartal_kandidater(kvartal.start, slut, regel.senaste_startdatum(slut) + timedelta(days=7))
    # födelsedagarna för ärende-id: ur besluten personnummer (ett överurval: också de vars enskilde saknas)
    born = {personnummer.birth_date(pid) for pid in people if personnummer.looks_like_personnummer(pid)}
    arende = arende_ids_ur_registret(reg, slut, {d for d in born if d is not None})
    # Id och namn som aldrig får stå i en motivering, en gång för alla satser: registrets id
    # (beslut, person och kandidat till och med dagen) innehåller varje sats egna (`forbjudna_ord`).
    forbjudna = forbjudna_ord((), namn) | reg.ids_in_register(slut)
    rader: list = []
    varningar: list[str] = []
    skal: list[str] = []
    for sats in reg.beslut_lagen_satsvis(slut, ids):
        sats.sort(key=lambda x: (x.beslut.beslutsdatum, x.beslut_id))
        try:
            delrapport = ivo_rapport(sats, kvartal, regel, katalog, matchning=matchning, arende=arende,
                                     forbjudna_alla=forbjudna)
        except UserError:
            # ett beslut utan enskild: samma fel, om samma (det äldsta) beslut, som ur alla på en gång
            ivo_rapport(reg.beslut_lagen(slut, ids=ids), kvartal, regel, katalog, matchning=matchning,
                        namn=namn, arende=arende, forbjudna_ovriga=forbjudna)
            raise
        rader += delrapport.rader
        skal += delrapport.motiveringsvarningar
        varningar += delrapport.varningar[:len(delrapport.varningar) - len(delrapport.motiveringsvarningar)]
        del sats, delrapport
    # Raderna i rapportens ordning (lika nycklar bara inom ett beslut, vars rader står i samma
    # sats). Varningarna står i beslut-id:s ordning inom satsen, och satserna kommer i id-ordning:
    # samma ordning som i en rapport ur alla beslut på en gång.
    rader.sort(key=rad_ordning)
    return IvoRapport(kvartal, tuple(rader), tuple(varningar) + tuple(skal), tuple(skal))


def kvartalsstatistik_ur_registret(reg: Register, kvartal, regel: Regel, katalog=None):  # noqa: ANN001
    """KF:s statistik för kvartalet: samma som `kvartalsstatistik(ivo_ur_registret(…))` (prövas på
    slumpade historier), men de väntande vid kvartalets slut räknas i grupper i databasen. Bara
    besluten vars väntan kan ha slutat under kvartalet och de med rättelser eller avbrott läses
    och viks ihop; de ger verkställda, återupptagna och avslutade och sina egna väntande rader.

    Ordningen i tabellen över tiden sedan varje beslut avgörs vid lika datum, insats och kön av
    rapportens egen ordning (ärende-id, beslut); skulle en ihopvikt rad om ett avbrott dela dem
    med en grupp räknas kvartalet som förut, ur raderna."""
    from bemanning.model.insats import default_katalog
    from bemanning.model.tremanadersregeln import antal_dagar
    from bemanning.reports.ivo import KVARSTAR, NYTT, IvoRad, ivo_rapport, kvartalsstatistik

    katalog = katalog or default_katalog()
    start, slut = kvartal.start, kvartal.slut
    ids, groups = reg.kvartal_vantande(start, slut, regel.senaste_startdatum(slut) + timedelta(days=7))
    if any(kon is None or avbrott for _start, avbrott, _insats, kon, _n in groups):
        return kvartalsstatistik(ivo_ur_registret(reg, kvartal, regel, katalog))  # samma fel om kön som förut
    rader: list = []
    try:
        for sats in reg.beslut_lagen_satsvis(slut, ids):
            rader += ivo_rapport(sats, kvartal, regel, katalog, arende={}).rader
    except UserError:  # samma fel, om samma beslut, som ur alla rader
        return kvartalsstatistik(ivo_ur_registret(reg, kvartal, regel, katalog))
    waiting = [r for r in rader if r.kategori in (NYTT, KVARSTAR)]
    avbrott = {(r.avbrott_datum, r.insats, r.kon) for r in waiting if r.avbrott_datum}
    others = {(r.beslutsdatum, r.insats, r.kon) for r in waiting if not r.avbrott_datum}
    if avbrott & others:
        return kvartalsstatistik(ivo_ur_registret(reg, kvartal, regel, katalog))
    lag: dict[str, str] = {}
    for vantar_sedan, _avbrott, insats, kon, antal in groups:
        forsta = regel.forsta_rapportdag(vantar_sedan)
        if forsta > slut:
            continue
        if (vantar_sedan, insats, kon) in avbrott:
            return kvartalsstatistik(ivo_ur_registret(reg, kvartal, regel, katalog))
        if insats not in lag:
            found = katalog.find(insats)
            lag[insats] = found.lag if found is not None else ""
        # en rad per beslut i gruppen (samma objekt): statistiken läser bara de här fälten
        rad = IvoRad(arende_id="", kategori=NYTT if forsta >= start else KVARSTAR, lag=lag[insats], insats=insats,
                     lagrum="", beslutsdatum=vantar_sedan, kon=kon, avbrott_datum=None, erbjudanden="",
                     antal_tackat_nej=0, orsak=2, verkstallighetsdatum=None, avslutsdatum=None, avslutsorsak="",
                     antal_dagar=antal_dagar(vantar_sedan, slut), forsta_rapportering=forsta >= start)
        rader += [rad] * int(antal)
    return kvartalsstatistik(_Rader(kvartal, rader))


class _Rader:
    """Det `kvartalsstatistik` läser i en IVO-rapport: kvartalet, raderna och antal per kategori."""

    def __init__(self, kvartal, rader: list) -> None:  # noqa: ANN001
        self.kvartal = kvartal
        self.rader = rader

    def antal(self, kategori: str) -> int:
        return sum(1 for r in self.rader if r.kategori == kategori)


def arende_ids_ur_registret(reg: Register, per: date, born: Iterable[date] | None = None) -> dict[str, str]:
    """IVO:s ärende-id för besluten dag `per`, ur projektionen: samma som
    `arende_ids(reg.beslut_lagen(per))` utan att vika ihop något beslut.

    Ett id beror bara på besluten för personer med samma födelsedag (ett taget id ger nästa
    försök), så med `born` läses bara de besluten: då är id:na rätt för personer födda de dagarna."""
    from bemanning.model import personnummer
    from bemanning.reports.ivo import arende_ids_av

    prefixes = None if born is None else sorted(_birth_prefixes(born))
    grunder = []
    for row in reg.arende_grunder(per, prefixes):
        day = personnummer.birth_date(row.person_id) if personnummer.looks_like_personnummer(row.person_id) else None
        if day is not None and (born is None or day in born):  # inget id utan känt födelsedatum
            grunder.append((row.beslutsdatum, row.beslut_id, day, row.kon == "M"))
    return arende_ids_av(grunder)


def _birth_prefixes(born: Iterable[date]) -> set[str]:
    """Början på personnummer (ÅÅÅÅMMDD och ÅÅMMDD) för födelsedagarna, också som
    samordningsnummer (dag + 60)."""
    result = set()
    for day in born:
        for dd in (day.day, day.day + 60):
            result.add(f"{day.year:04d}{day.month:02d}{dd:02d}")
            result.add(f"{day.year % 100:02d}{day.month:02d}{dd:02d}")
    return result


def lagen_for_jamforelse(reg: Register, fran: date, till: date, regel: Regel
                         ) -> tuple[list[BeslutLage], list[BeslutLage]]:
    """Lägena som jämförelsen mellan två rapportdagar behöver: besluten som står i någon av de två
    rapporterna, som de stod vid vardera dagen (ett beslut som lämnat rapporten förklaras ur sitt
    läge vid den senare dagen)."""
    ids = set(reg.waiting_beslut_ids(fran, regel.senaste_startdatum(fran)))
    ids |= set(reg.waiting_beslut_ids(till, regel.senaste_startdatum(till)))
    return reg.beslut_lagen(fran, ids=ids), reg.beslut_lagen(till, ids=ids)


def jamforelse_ur_registret(reg: Register, fran: date, till: date, regel: Regel):
    """Jämförelsen mellan två rapportdatum med raderna lästa ur projektionen
    (`statistikrapport_ur_registret` vid vardera dagen); bara besluten som lämnat rapporten viks
    ihop (varför de lämnade). Samma jämförelse som ur alla beslut (prövas på slumpade historier)."""
    from bemanning.reports.jamforelse import jamforelse, jamforelse_av

    if fran >= till:
        raise UserError("Det första datumet (--fran) måste vara före det andra (--till).")
    try:
        before = statistikrapport_ur_registret(reg, fran, regel).rader
        after = statistikrapport_ur_registret(reg, till, regel).rader
    except UserError:  # ett beslut utan enskild: samma fel, om samma beslut, som ur lägena
        return jamforelse(*lagen_for_jamforelse(reg, fran, till, regel), fran, till, regel)
    kvar = {(r.beslut_id, r.datum) for r in after}
    left = {r.beslut_id for r in before if (r.beslut_id, r.datum) not in kvar}
    lagen = {x.beslut.beslut_id: x for sats in reg.beslut_lagen_satsvis(till, left) for x in sats}
    return jamforelse_av(before, after, lagen, fran, till, regel)


def aterforing_ur_registret(reg: Register, day: date, regel: Regel, *, bara_oppna: bool = False) -> bytes:
    """Återföringsfilen dag `day`: besluten läses i satser (`Register.beslut_lagen_satsvis`, i
    beslut-id:s ordning) och raderna skrivs medan de läses, så att hela registret aldrig står i
    minnet på en gång. Med `bara_oppna` bara de beslut som väntar (urvalet ur projektionen).
    Samma fil som `aterforing_csv(reg.beslut_lagen(day), …)` (prövas på slumpade historier)."""
    from bemanning.reports.aterforing import KOLUMNER, aterforing_rader
    from bemanning.reports.format import table_csv

    ids = reg.waiting_beslut_ids(day, day) if bara_oppna else reg.beslut_ids()

    def rows():
        for sats in reg.beslut_lagen_satsvis(day, ids):
            yield from aterforing_rader(sats, day, regel, bara_oppna=bara_oppna)

    return table_csv(KOLUMNER, rows())


def kan_ge_avgift_antal(reg: Register, rapportdatum: date, regel: Regel,
                        enheter: tuple[str, ...] | None = None) -> int:
    """Hur många beslut över gränsen som kan ge särskild avgift (varken preskriberade eller med
    en senareläggning begärd av den enskilde). Preskriptionen räknas ur projektionens väntestart
    med rapporternas egen regel; bara beslut som har en senareläggning viks ihop och prövas av
    `avgiftsrisk`. Samma antal som `avgiftsrisk(lagen).kan_ge_avgift` (prövas i testerna)."""
    from bemanning.model.handelse import HandelseTyp
    from bemanning.reports.sarskild_avgift import avgiftsrisk, sista_ansokningsdag

    rows = [r for r in reg.waiting_rows(rapportdatum, regel.senaste_startdatum(rapportdatum))
            if enheter is None or r.enhet in enheter]
    postponed = reg.beslut_with_event(HandelseTyp.SENARELAGGNING) & {r.beslut_id for r in rows}
    count = sum(1 for r in rows if r.beslut_id not in postponed
                and not rapportdatum > sista_ansokningsdag(r.vantar_sedan))
    if postponed:
        lagen = reg.beslut_lagen(rapportdatum, ids=postponed)
        count += len(avgiftsrisk(lagen, rapportdatum, regel).kan_ge_avgift)
    return count
