"""Vilka beslut en rapport behöver, valda i databasen.

Månadens statistikrapport och jämförelsen mellan två rapportdagar tar bara med beslut som väntar
på rapportdagen med en väntetid äldre än tremånadersregelns gräns. Registrets projektion svarar på
det med en intervallfråga, och bara de besluten viks ihop: rapporten kostar så mycket som den är
lång, inte så mycket som historiken. Rapporten räknas sedan precis som förut ur lägena, så urvalet
kan aldrig ändra en siffra (det prövas av tests/store/test_projection.py).
"""

from __future__ import annotations

from datetime import date

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


def lagen_for_jamforelse(reg: Register, fran: date, till: date, regel: Regel
                         ) -> tuple[list[BeslutLage], list[BeslutLage]]:
    """Lägena som jämförelsen mellan två rapportdagar behöver: besluten som står i någon av de två
    rapporterna, som de stod vid vardera dagen (ett beslut som lämnat rapporten förklaras ur sitt
    läge vid den senare dagen)."""
    ids = set(reg.waiting_beslut_ids(fran, regel.senaste_startdatum(fran)))
    ids |= set(reg.waiting_beslut_ids(till, regel.senaste_startdatum(till)))
    return reg.beslut_lagen(fran, ids=ids), reg.beslut_lagen(till, ids=ids)


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
