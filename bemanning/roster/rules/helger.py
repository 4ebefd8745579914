"""Helger: a weekend is worked when a pass starts on its Saturday or Sunday. The rule is
`varannan` (never two weekends in a row), `max` (at most `max_helger` in the period) or
`ingen`; hard by default, or a penalty per breach when `helg_hard = false`.
"""

from __future__ import annotations

NAMN = "Helger"
HARD = True


def add(ctx) -> None:
    from bemanning.roster.soft import HELG

    problem, model = ctx.problem, ctx.model
    regler = problem.regler
    weekends = problem.weekends()
    for p, person in enumerate(problem.personal):
        worked = ctx.weekends_worked(p)
        pid = person.person_id
        limit = person.max_helger
        if limit is None and regler.helg == "max":
            limit = regler.max_helger
        if limit is not None:
            total = [worked[k] for k in range(len(weekends)) if k in worked]
            if len(total) > limit:
                text = f"{person.label}: högst {limit} helger"
                if regler.helg_hard or person.max_helger is not None:
                    ctx.hard(model.add(sum(total) <= limit), NAMN, pid, text)
                else:
                    excess = model.new_int_var(0, len(total), f"helg_over[{pid}]")
                    model.add(excess >= sum(total) - limit)
                    ctx.objective.add(HELG, text, regler.helg_mjuk_vikt, excess)
        if regler.helg == "varannan":
            text = f"{person.label}: varannan helg"
            for k in range(len(weekends) - 1):
                a, b = worked.get(k), worked.get(k + 1)
                if a is None or b is None:
                    continue
                if regler.helg_hard:
                    ctx.hard(model.add_bool_or([~a, ~b]), NAMN, pid, text)
                else:
                    both = model.new_bool_var(f"helg_i_rad[{pid},{k}]")
                    model.add_bool_or([~a, ~b, both])
                    ctx.objective.add(HELG, f"{text} ({problem.day_label(weekends[k][0])})",
                                      regler.helg_mjuk_vikt, both)
