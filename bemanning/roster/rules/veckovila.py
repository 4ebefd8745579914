"""Veckovila: at least 36 h consecutive rest in every period of seven days.

The seven-day periods are calendar weeks (Monday 00:00 to Monday 00:00) by default, or every
seven days from each day's midnight (`veckovila_fonster = "rullande"`). Days outside the
schemaperiod count as free, except passes given as history before the period.
A rest may start at the beginning of the period or at the end of any pass; the model picks one
such start per period and keeps every pass off the 36 hours after it.
"""

from __future__ import annotations

NAMN = "Veckovila"
WEEK = 7 * 1440


def windows(problem) -> list[int]:
    """Start minute (relative to day 0) of each seven-day period checked."""
    if problem.regler.veckovila_fonster == "rullande":
        if problem.dagar < 7:
            return [0]
        return [d * 1440 for d in range(problem.dagar - 6)]
    return [week[0] * 1440 - problem.weekday(week[0]) * 1440 for week in problem.weeks()]


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    if problem.regler.veckovila_timmar is None:
        return
    rest = round(problem.regler.veckovila_timmar * 60)
    history: dict[str, list[tuple[int, int]]] = {}
    for h in problem.historik:
        history.setdefault(h.person_id, []).append((h.start, h.start + h.langd))
    for p, person in enumerate(problem.personal):
        instances = [(ctx.abs_start(d, t), ctx.abs_end(d, t), var)
                     for d, t, var in ctx.person_vars(p)]
        fixed = history.get(person.person_id, [])
        for w0 in windows(problem):
            w1 = w0 + WEEK
            inside = [(s, e, v) for s, e, v in instances if s < w1 and e > w0]
            if not inside:
                continue
            candidates = {w0} | {e for s, e, v in inside if e >= w0}
            candidates |= {e for s, e in fixed if w0 <= e}
            choices = []
            for tau in sorted(candidates):
                if tau + rest > w1:
                    continue
                if any(s < tau + rest and e > tau for s, e in fixed):
                    continue
                overlapping = [v for s, e, v in inside if s < tau + rest and e > tau]
                if not overlapping:
                    choices = None  # a rest that no pass can touch: the period is fine
                    break
                y = model.new_bool_var(f"veckovila[{person.person_id},{w0},{tau}]")
                model.add_bool_and([~v for v in overlapping]).only_enforce_if(y)
                choices.append(y)
            if choices is None:
                continue
            ctx.hard(model.add_bool_or(choices) if choices else model.add_bool_or([False]),
                     NAMN, person.person_id, f"{person.label}: veckovila 36 h")
