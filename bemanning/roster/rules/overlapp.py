"""Ett pass i taget: no overlapping passes, and no delade turer (two passes the same day)
unless the rules allow them. Passes that cross midnight overlap the next day's early passes."""

from __future__ import annotations

NAMN = "Ett pass i taget"


def _overlapping(problem) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The pairs of pass types (t, u) that overlap when both are worked the same day, and when
    u is worked the day after t. Whether two passes overlap does not depend on the day, so this
    is worked out once per model instead of once per person and day (Curtois 13: 475 000 pairs
    over the 120 rows of the construction)."""
    spans = [(pt.start, pt.start + pt.langd) for pt in problem.pass_typer]
    same, next_day = set(), set()
    for t, (s1, e1) in enumerate(spans):
        for u, (s2, e2) in enumerate(spans):
            if s1 < e2 and s2 < e1:
                same.add((t, u))
            if s1 < e2 + 1440 and s2 + 1440 < e1:
                next_day.add((t, u))
    return same, next_day


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    delade = problem.regler.delade_turer
    history: dict[str, list[tuple[int, int]]] = {}
    for h in problem.historik:
        history.setdefault(h.person_id, []).append((h.start, h.start + h.langd))
    same, next_day = _overlapping(problem)
    # pass type -> the pass types it overlaps the next day (the constraints are added in the
    # same order as when every pair was tried, so that CP-SAT gets the same model)
    later = {t: {u for v, u in next_day if v == t} for t in range(len(problem.pass_typer))}
    for p, person in enumerate(problem.personal):
        text = f"{person.label}: ett pass i taget"
        for d in range(problem.dagar):
            today = ctx.by_pd.get((p, d), [])
            if not delade and len(today) > 1:
                ctx.hard(model.add(sum(v for _, v in today) <= 1), NAMN, person.person_id, text)
            if delade:
                for i, (t, a) in enumerate(today):
                    for u, b in today[i + 1:]:
                        if (t, u) in same:
                            ctx.hard(model.add_bool_or([~a, ~b]), NAMN, person.person_id, text)
            tomorrow = ctx.by_pd.get((p, d + 1))
            if not tomorrow:
                continue
            for t, a in today:
                hits = later[t]
                if not hits:
                    continue
                for u, b in tomorrow:
                    if u in hits:
                        ctx.hard(model.add_bool_or([~a, ~b]), NAMN, person.person_id, text)
        for start, end in history.get(person.person_id, []):
            for d in range(min(2, problem.dagar)):
                for t, var in ctx.by_pd.get((p, d), []):
                    if ctx.abs_start(d, t) < end and start < ctx.abs_end(d, t):
                        ctx.hard(model.add(var == 0), NAMN, person.person_id, text)
