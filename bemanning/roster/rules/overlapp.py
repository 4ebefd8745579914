"""Ett pass i taget: no overlapping passes, and no delade turer (two passes the same day)
unless the rules allow them. Passes that cross midnight overlap the next day's early passes."""

from __future__ import annotations

NAMN = "Ett pass i taget"


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    delade = problem.regler.delade_turer
    history: dict[str, list[tuple[int, int]]] = {}
    for h in problem.historik:
        history.setdefault(h.person_id, []).append((h.start, h.start + h.langd))
    for p, person in enumerate(problem.personal):
        text = f"{person.label}: ett pass i taget"
        for d in range(problem.dagar):
            today = ctx.by_pd.get((p, d), [])
            if not delade and len(today) > 1:
                ctx.hard(model.add(sum(v for _, v in today) <= 1), NAMN, person.person_id, text)
            pairs = []
            if delade:
                for i, (t, a) in enumerate(today):
                    for u, b in today[i + 1:]:
                        pairs.append((d, t, a, d, u, b))
            for t, a in today:
                for u, b in ctx.by_pd.get((p, d + 1), []):
                    pairs.append((d, t, a, d + 1, u, b))
            for d1, t, a, d2, u, b in pairs:
                s1, e1 = ctx.abs_start(d1, t), ctx.abs_end(d1, t)
                s2, e2 = ctx.abs_start(d2, u), ctx.abs_end(d2, u)
                if s1 < e2 and s2 < e1:
                    ctx.hard(model.add_bool_or([~a, ~b]), NAMN, person.person_id, text)
        for start, end in history.get(person.person_id, []):
            for d in range(min(2, problem.dagar)):
                for t, var in ctx.by_pd.get((p, d), []):
                    if ctx.abs_start(d, t) < end and start < ctx.abs_end(d, t):
                        ctx.hard(model.add(var == 0), NAMN, person.person_id, text)
