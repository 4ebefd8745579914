"""Resurspass: the hours of full-time schedules beyond the home unit's need, and where they went.

Every pass in the roster is either part of its unit's bemanningsbehov or a resurspass:

- **annan enhets lucka**: a person from another unit of the samplaneringsområde fills a need
  the unit's own staff leave open;
- **öppet för bemanningsenheten**: a pass beyond the need; bemanningsenheten books it where
  absence appears, from 14 days before — the own unit first, then the samplaneringsområde;
- **kontaktpersonsuppdrag**: hours of a kontaktperson uppdrag laid into the person's schedule.

Within a pass the home unit's staff count toward the need first.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import attrs

from bemanning.roster.problem import RosterProblem, Schema

ANNAN_ENHET = "annan enhets lucka"
OPPET = "öppet för bemanningsenheten"
KONTAKTPERSON = "kontaktpersonsuppdrag"
USES = (ANNAN_ENHET, KONTAKTPERSON, OPPET)


@attrs.frozen
class Resurspass:
    person_id: str
    hemenhet: str
    anvandning: str
    timmar: float
    dag: int | None = None
    pass_id: str | None = None
    enhet: str | None = None
    varfor: str = ""


@attrs.frozen
class Obemannat:
    dag: int
    pass_id: str
    enhet: str
    saknas: int
    timmar: float


def classify(problem: RosterProblem, schema: Schema) -> tuple[list[Resurspass], list[Obemannat]]:
    """Resurspass (with where each went and why) and the passes left obemannade."""
    demand = {(b.dag, b.pass_id): b.antal for b in problem.behov}
    people: dict[tuple[int, str], list[str]] = defaultdict(list)
    for a in schema.tilldelningar:
        people[a.dag, a.pass_id].append(a.person_id)
    units = problem.enhet_map
    out: list[Resurspass] = []
    for (d, pass_id), who in sorted(people.items()):
        pt = problem.pass_typ(pass_id)
        need = demand.get((d, pass_id), 0)
        ordered = sorted(who, key=lambda pid: (problem.person(pid).enhet != pt.enhet, pid))
        for rank, pid in enumerate(ordered):
            home = problem.person(pid).enhet
            hours = pt.paid / 60
            if rank < need:
                if home != pt.enhet:
                    out.append(Resurspass(
                        pid, home, ANNAN_ENHET, hours, d, pass_id, pt.enhet,
                        f"{units[pt.enhet].label} saknar egen personal för {pt.label} "
                        f"{problem.day_label(d)}"))
                continue
            when = problem.date_of(d)
            book = (f" från {(when - timedelta(days=14)).isoformat()}" if when else
                    " från 14 dagar före")
            out.append(Resurspass(
                pid, home, OPPET, hours, d, pass_id, pt.enhet,
                f"utöver behovet; bemanningsenheten kan boka om passet{book} "
                f"(först {units[home].label if home in units else home}, sedan området)"))
    for person in problem.personal:
        if person.kontaktperson_minuter:
            weeks = problem.dagar / 7
            per_week = f"{person.kontaktperson_minuter / 60 / weeks:.1f}".replace(".", ",")
            source = f" ({person.kontaktperson_kalla})" if person.kontaktperson_kalla else ""
            out.append(Resurspass(
                person.person_id, person.enhet, KONTAKTPERSON, person.kontaktperson_minuter / 60,
                varfor=f"kontaktpersonsuppdrag {per_week} h i veckan i ordinarie schema{source}"))
    missing = []
    for b in problem.behov:
        n = len(people.get((b.dag, b.pass_id), []))
        if n < b.antal:
            pt = problem.pass_typ(b.pass_id)
            missing.append(Obemannat(b.dag, b.pass_id, pt.enhet, b.antal - n,
                                     (b.antal - n) * pt.paid / 60))
    missing.sort(key=lambda o: (o.dag, o.pass_id))
    return out, missing


def hours_by_use(items: list[Resurspass]) -> dict[str, float]:
    totals = dict.fromkeys(USES, 0.0)
    for item in items:
        totals[item.anvandning] += item.timmar
    return totals
