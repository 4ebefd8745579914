"""Kontaktpersonsuppdrag i ordinarie personals schema: timmar per anställd, ur registret.

När den enskilde har accepterat en anställd som kontaktperson (eller ledsagare, avlösare) och
insatsen pågår, ska uppdragets timmar planeras in i den anställdes schema (heltid som norm:
resurstiden bär uppdraget). Timmarna per månad i beslutets omfattning räknas om till timmar per
vecka (× 12 / 52).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from bemanning.model.beslutslage import BeslutLage

WEEKS_PER_MONTH = 52 / 12


def staff_uppdrag(lagen: list[BeslutLage], staff_ids: set[str]) -> dict[str, list[BeslutLage]]:
    """Pågående eller accepterade uppdrag per anställd (senaste accepterade erbjudandets person)."""
    result: dict[str, list[BeslutLage]] = defaultdict(list)
    for lage in lagen:
        if lage.is_avslutat or lage.open_avbrott is not None:
            continue
        accepted = [e for e in lage.erbjudanden if e.utfall == "accepterat" and e.kandidat]
        if not accepted:
            continue
        kandidat = accepted[-1].kandidat
        if kandidat in staff_ids:
            result[kandidat].append(lage)
    return dict(result)


def kontaktperson_hours_per_week(lagen: list[BeslutLage], staff_ids: set[str]) -> dict[str, float]:
    """Timmar per vecka av uppdrag per anställd; ett beslut utan omfattning räknas inte."""
    hours: dict[str, float] = {}
    for personal_id, items in staff_uppdrag(lagen, staff_ids).items():
        total = sum(x.beslut.omfattning_timmar or 0.0 for x in items)
        if total > 0:
            hours[personal_id] = round(total / WEEKS_PER_MONTH, 2)
    return hours


def register_hours_per_week(reg, per: date) -> dict[str, float]:  # noqa: ANN001 - Register
    """Uppdragens timmar per vecka och anställd dag `per`. Bara beslut med ett accepterat erbjudande
    viks ihop (registret väljer dem), inte hela historiken."""
    staff_ids = {p.personal_id for p in reg.personal(per)}
    return kontaktperson_hours_per_week(reg.beslut_lagen(per, ids=reg.beslut_with_accepted_offer(per)), staff_ids)
