"""Nattarbete: a night worker works at most 8 h per 24 h on average over the period.

The average is taken as ATL counts it: over the days of the period less the weekly rest
(1,5 days a week) and the person's days of absence.
"""

from __future__ import annotations

NAMN = "Nattarbete"


def cap_minutes(problem, person) -> int:
    absent = sum(1 for f in problem.franvaro if f.person_id == person.person_id)
    days = problem.dagar - absent - 1.5 * problem.dagar / 7
    return max(0, int(problem.regler.natt_max_timmar_per_dygn * 60 * days))


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    if problem.regler.natt_max_timmar_per_dygn is None:
        return
    for p, person in enumerate(problem.personal):
        items = ctx.person_vars(p)
        nights = [v for _d, t, v in items if problem.pass_typer[t].natt]
        if not nights:
            continue
        night_worker = model.new_bool_var(f"nattarbetare[{person.person_id}]")
        for v in nights:
            model.add_implication(v, night_worker)
        total = sum(problem.pass_typer[t].paid * v for _d, t, v in items)
        ctx.hard(model.add(total <= cap_minutes(problem, person)).only_enforce_if(night_worker),
                 NAMN, person.person_id, f"{person.label}: högst 8 h nattarbete per dygn i snitt")
