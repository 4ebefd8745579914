"""Omplanering: absence that arrives during a running period (sjukskrivning).

The absent person's passes open. The roster is solved again from `fran_dag` with the days
before it fixed, the current roster as hint and a penalty for every changed pass, so as few
other passes as possible move. Moving a resurspass (a pass beyond the need) costs a third of
moving an ordinary pass, so open resurspass in the samplaneringsområde fill the gaps first;
what is still open is listed for timvikarier. The hard rules hold as always.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from bemanning.roster.problem import Franvaro, RosterProblem, Schema, Tilldelning
from bemanning.roster.resurspass import OPPET, Obemannat, classify
from bemanning.roster.soft import ANDRING
from bemanning.roster.solver import Installningar, Resultat, solve


@attrs.frozen
class Omplanering:
    resultat: Resultat
    problem: RosterProblem
    borttagna: tuple[Tilldelning, ...]  # the absent people's passes that opened
    andrade: tuple[tuple[Tilldelning | None, Tilldelning | None], ...]  # (before, after)
    fran_resurspass: tuple[Tilldelning, ...]  # gaps filled by someone who had a resurspass
    timvikarie: tuple[Obemannat, ...]  # still open from fran_dag

    @property
    def antal_andrade(self) -> int:
        return len(self.andrade)

    def lines(self) -> list[str]:
        p = self.problem
        out = [
            f"Frånvaron öppnade {len(self.borttagna)} pass.",
            f"{len(self.fran_resurspass)} luckor fylldes med resurspass; "
            f"{self.antal_andrade} andra pass ändrades.",
            f"Kvar till timvikarier: {sum(o.saknas for o in self.timvikarie)} pass.",
        ]
        for before, after in self.andrade:
            who = (before or after).person_id
            day = (before or after).dag
            out.append(f"  {p.person(who).label} {p.day_label(day)}: "
                       f"{before.pass_id if before else 'ledig'} -> "
                       f"{after.pass_id if after else 'ledig'}")
        return out


def _adjust_targets(problem: RosterProblem, new: Sequence[Franvaro]) -> RosterProblem:
    """Absence lowers the person's target by their average per day."""
    extra: dict[str, int] = {}
    for f in new:
        if (f.person_id, f.dag) not in problem.franvaro_set:
            extra[f.person_id] = extra.get(f.person_id, 0) + 1
    personal = []
    for person in problem.personal:
        n = extra.get(person.person_id, 0)
        if n and person.mal_minuter is not None:
            already = sum(1 for f in problem.franvaro if f.person_id == person.person_id)
            per_day = person.mal_minuter / max(1, problem.dagar - already)
            person = attrs.evolve(person, mal_minuter=max(0, round(person.mal_minuter - per_day * n)))
        personal.append(person)
    merged = {(f.person_id, f.dag): f for f in (*problem.franvaro, *new)}
    return attrs.evolve(problem, personal=tuple(personal),
                        franvaro=tuple(sorted(merged.values(), key=lambda f: (f.person_id, f.dag))))


def replan(problem: RosterProblem, current: Schema, new_absence: Sequence[Franvaro], *,
           fran_dag: int = 0, settings: Installningar | None = None, progress=None,
           cancel=None) -> Omplanering:
    settings = settings or Installningar(time_limit_s=30)
    new_problem = _adjust_targets(problem, new_absence)
    absent = new_problem.franvaro_set
    removed = tuple(t for t in current.tilldelningar if (t.person_id, t.dag) in absent)
    kept = Schema.of(t for t in current.tilldelningar if (t.person_id, t.dag) not in absent)
    before = kept.as_set()
    resurs, _ = classify(problem, current)
    open_resurs = {(r.person_id, r.dag, r.pass_id) for r in resurs if r.anvandning == OPPET}
    weight = new_problem.regler.andring_vikt

    def prepare(ctx) -> None:
        for (p, d, t), var in ctx.x.items():
            key = (new_problem.personal[p].person_id, d, new_problem.pass_typer[t].pass_id)
            if d < fran_dag:
                ctx.model.add(var == int(key in before))
                continue
            label = f"{new_problem.personal[p].label} {new_problem.day_label(d)}"
            if key in before:
                cost = max(1, weight // 3) if key in open_resurs else weight
                ctx.objective.add(ANDRING, f"{label}: pass tas bort", cost, ~var)
            else:
                ctx.objective.add(ANDRING, f"{label}: nytt pass", weight, var)

    result = solve(new_problem, settings, hint=kept, prepare=prepare, progress=progress,
                   cancel=cancel)
    changed: list[tuple[Tilldelning | None, Tilldelning | None]] = []
    filled: list[Tilldelning] = []
    if result.schema is not None:
        after = {(t.person_id, t.dag): t for t in result.schema.tilldelningar}
        was = {(t.person_id, t.dag): t for t in kept.tilldelningar}
        opened = {(t.dag, t.pass_id) for t in removed}
        for key in sorted(set(after) | set(was)):
            a, b = was.get(key), after.get(key)
            if a == b:
                continue
            changed.append((a, b))
            if b is not None and (b.dag, b.pass_id) in opened and a is not None \
                    and (a.person_id, a.dag, a.pass_id) in open_resurs:
                filled.append(b)
        _, missing = classify(new_problem, result.schema)
        missing = [o for o in missing if o.dag >= fran_dag]
    else:
        missing = []
    return Omplanering(result, new_problem, removed, tuple(changed), tuple(filled),
                       tuple(missing))
