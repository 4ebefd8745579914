"""Frånvaro: no pass on a day of absence (semester, utbildning, föräldraledighet, sjuk)."""

from __future__ import annotations

NAMN = "Frånvaro"


def add(ctx) -> None:
    problem = ctx.problem
    absent_days: dict[str, list[int]] = {}
    for f in problem.franvaro:
        absent_days.setdefault(f.person_id, []).append(f.dag)
    for person_id, days in absent_days.items():
        p = problem.person_index.get(person_id)
        if p is None:
            continue
        label = problem.personal[p].label
        for d in days:
            for _t, var in ctx.by_pd.get((p, d), ()):
                ctx.hard(ctx.model.add(var == 0), NAMN, person_id,
                         f"{label} är frånvarande {len(days)} dagar")
