"""Arbetsgången efter matchningen, som daterade händelser i registret.

Förslag → godkänt av enhetschefen → erbjudet den enskilde (datum) med utfallet accepterat
eller tackat nej → verkställt den dag första träffen äger rum. Tackat nej stänger inte
beslutet; det ger orsakskod 1 i rapporterna och paret föreslås aldrig igen. Ett avvisat
förslag (enhetschefen sa nej) föreslås inte heller igen för samma beslut.

Funktionerna `*_events` bygger händelserna ur ett beslutsläge och kontrollerar att steget går
ihop med historiken; de rör inte registret. Funktionerna utan `_events` läser läget ur
registret och sparar händelserna i en transaktion.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bemanning.errors import UserError
from bemanning.model.beslutslage import BeslutLage, Forslag
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp

KALLA = "matchning"
UTFALL_ALIAS = {"accepterat": "accepterat", "accepterad": "accepterat", "ja": "accepterat",
                "tackat nej": "tackat nej", "tackat-nej": "tackat nej", "nej": "tackat nej"}


def _event(lage: BeslutLage, typ: HandelseTyp, datum: date, data: dict[str, Any], kalla: str) -> Handelse:
    return Handelse(Entitet.BESLUT, lage.beslut_id, typ, datum, data, kalla)


def _current(lage: BeslutLage, kandidat: str) -> Forslag | None:
    for f in lage.forslag:
        if f.kandidat == kandidat:
            return f
    return None


def _check_open(lage: BeslutLage, datum: date) -> None:
    if datum < lage.beslut.beslutsdatum:
        raise UserError(f"Datumet {datum} är före beslutsdatum {lage.beslut.beslutsdatum}.")
    if lage.is_avslutat:
        raise UserError(f"Beslutet {lage.beslut_id} är avslutat ({lage.avslutad_datum}).")
    if lage.is_verkstallt:
        raise UserError(f"Beslutet {lage.beslut_id} är redan verkställt ({lage.verkstalld_datum}).")


def _check_not_excluded(lage: BeslutLage, kandidat: str) -> None:
    if kandidat in lage.declined_candidates:
        raise UserError(f"Den enskilde har tackat nej till {kandidat} för beslut {lage.beslut_id}; "
                        "paret föreslås inte igen.")
    if kandidat in lage.beslut.onskemal.undantagna:
        raise UserError(f"{kandidat} är undantagen i beslut {lage.beslut_id} och får inte föreslås.")


def forslag_events(lage: BeslutLage, kandidat: str, datum: date, motivering: str = "",
                   kalla: str = KALLA) -> list[Handelse]:
    """Ett nytt förslag; inget om samma person redan är föreslagen eller godkänd."""
    _check_open(lage, datum)
    _check_not_excluded(lage, kandidat)
    current = _current(lage, kandidat)
    if current is not None and current.status in ("föreslagen", "godkänd", "accepterad"):
        return []
    return [_event(lage, HandelseTyp.FORSLAG, datum, {"kandidat": kandidat, "motivering": motivering}, kalla)]


def godkann_events(lage: BeslutLage, kandidat: str, datum: date, kalla: str = "enhetschef") -> list[Handelse]:
    """Enhetschefen godkänner en person (föreslagen av matchningen eller vald själv)."""
    _check_open(lage, datum)
    _check_not_excluded(lage, kandidat)
    for f in lage.forslag:
        if f.kandidat != kandidat and f.status in ("godkänd", "accepterad"):
            raise UserError(
                f"{f.kandidat} är redan {f.status} för beslut {lage.beslut_id}; avvisa det förslaget "
                f"först (bemanning matcha avvisa {lage.beslut_id} {f.kandidat})."
            )
    current = _current(lage, kandidat)
    if current is not None and current.status == "godkänd":
        raise UserError(f"{kandidat} är redan godkänd för beslut {lage.beslut_id}.")
    if current is not None and current.status == "accepterad":
        raise UserError(f"{kandidat} har redan accepterats för beslut {lage.beslut_id}.")
    events = []
    if current is None or current.status == "avvisad":
        events.append(_event(lage, HandelseTyp.FORSLAG, datum,
                             {"kandidat": kandidat, "motivering": "vald av enhetschefen"}, kalla))
    events.append(_event(lage, HandelseTyp.GODKANT, datum, {"kandidat": kandidat}, kalla))
    return events


def avvisa_events(lage: BeslutLage, kandidat: str, datum: date, kommentar: str = "",
                  kalla: str = "enhetschef") -> list[Handelse]:
    _check_open(lage, datum)
    current = _current(lage, kandidat)
    if current is None or current.status not in ("föreslagen", "godkänd"):
        raise UserError(f"{kandidat} har inget förslag som väntar för beslut {lage.beslut_id}.")
    data: dict[str, Any] = {"kandidat": kandidat}
    if kommentar:
        data["kommentar"] = kommentar
    return [_event(lage, HandelseTyp.AVVISAT, datum, data, kalla)]


def erbjud_events(lage: BeslutLage, kandidat: str, datum: date, utfall: str, kommentar: str = "",
                  kalla: str = "enhetschef") -> list[Handelse]:
    """Erbjudandet till den enskilde och dess utfall (accepterat eller tackat nej)."""
    canonical = UTFALL_ALIAS.get(utfall.strip().lower())
    if canonical is None:
        raise UserError(f'"{utfall}" är inget utfall; skriv "accepterat" eller "tackat nej".')
    _check_open(lage, datum)
    current = _current(lage, kandidat)
    if current is None or current.status != "godkänd":
        raise UserError(f"{kandidat} är inte godkänd för beslut {lage.beslut_id}; godkänn först "
                        f"(bemanning matcha godkann {lage.beslut_id} {kandidat}).")
    if datum < current.datum:
        raise UserError(f"Erbjudandet ({datum}) kan inte vara före förslaget ({current.datum}).")
    data: dict[str, Any] = {"utfall": canonical, "kandidat": kandidat}
    if kommentar:
        data["kommentar"] = kommentar
    return [_event(lage, HandelseTyp.ERBJUDANDE, datum, data, kalla)]


def verkstall_events(lage: BeslutLage, datum: date, kalla: str = "enhetschef") -> list[Handelse]:
    """Verkställt den dag första träffen äger rum (kräver ett accepterat erbjudande)."""
    _check_open(lage, datum)
    accepted = [e for e in lage.erbjudanden if e.utfall == "accepterat" and e.kandidat]
    if not accepted:
        raise UserError(f"Beslut {lage.beslut_id} har inget accepterat erbjudande; registrera "
                        "erbjudandet först (bemanning matcha erbjud … --utfall accepterat).")
    if datum < accepted[-1].datum:
        raise UserError(f"Första träffen ({datum}) kan inte vara före erbjudandet ({accepted[-1].datum}).")
    typ = HandelseTyp.ATERUPPTAGET if lage.open_avbrott is not None else HandelseTyp.VERKSTALLT
    return [_event(lage, typ, datum, {"kandidat": accepted[-1].kandidat}, kalla)]


# -- mot registret -----------------------------------------------------------------------------


def _lage(reg: Any, beslut_id: str) -> BeslutLage:
    lage = reg.beslut_lage(beslut_id, date.max)
    if lage is None:
        raise UserError(f'Beslutet "{beslut_id}" finns inte i registret.')
    return lage


def _check_person(reg: Any, kandidat: str, datum: date) -> None:
    known = {u.uppdragstagare_id for u in reg.uppdragstagare(datum)} | {p.personal_id for p in reg.personal(datum)}
    if kandidat not in known:
        raise UserError(f'"{kandidat}" finns inte bland uppdragstagarna eller personalen.')


def spara_forslag(reg: Any, resultat: Any, datum: date) -> int:
    """Spara matchningens förslag som förslag-händelser (de som inte redan finns)."""
    events: list[Handelse] = []
    for f in resultat.forslag:
        lage = _lage(reg, f.beslut_id)
        events += forslag_events(lage, f.kandidat.kandidat_id, datum, f.motivering)
    reg.append(events)
    return len(events)


def godkann(reg: Any, beslut_id: str, kandidat: str, datum: date) -> list[Handelse]:
    _check_person(reg, kandidat, datum)
    events = godkann_events(_lage(reg, beslut_id), kandidat, datum)
    reg.append(events)
    return events


def avvisa(reg: Any, beslut_id: str, kandidat: str, datum: date, kommentar: str = "") -> list[Handelse]:
    events = avvisa_events(_lage(reg, beslut_id), kandidat, datum, kommentar)
    reg.append(events)
    return events


def erbjud(reg: Any, beslut_id: str, kandidat: str, datum: date, utfall: str, kommentar: str = "") -> list[Handelse]:
    events = erbjud_events(_lage(reg, beslut_id), kandidat, datum, utfall, kommentar)
    reg.append(events)
    return events


def verkstall(reg: Any, beslut_id: str, datum: date) -> list[Handelse]:
    events = verkstall_events(_lage(reg, beslut_id), datum)
    reg.append(events)
    return events
