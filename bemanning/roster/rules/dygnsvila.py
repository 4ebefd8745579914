"""Dygnsvila: at least 11 h consecutive rest between two passes (AB, from 2023-10-01).

Measured in clock time from the end of one pass to the start of the next, so a pass that
crosses midnight counts until it ends on the next day. A pass longer than 24 h minus the rest
can never leave the rest inside its 24-hour period and is not allowed. Where the unit is marked
for it (`kort_dygnsvila`), a planned exception down to 9 h is allowed when the rest directly
after the next pass is extended by the shortfall (compensating rest).

When the problem gives explicit forbidden successions (Curtois: shift B may not follow shift A
on the next day) they replace the clock computation.
"""

from __future__ import annotations

NAMN = "Dygnsvila"


def _minutes(hours: float) -> int:
    return round(hours * 60)


def successions(problem) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int, int]]]:
    """(forbidden, short): forbidden (t, u, k) means pass t on day d and u on day d+k may not
    both be worked; short (t, u, k, gap) pairs are allowed only with compensating rest."""
    regler = problem.regler
    index = problem.pass_index
    if regler.forbjudna_foljder is not None:
        forbidden = [(index[a], index[b], 1) for a, b in sorted(regler.forbjudna_foljder)
                     if a in index and b in index]
        return forbidden, []
    if regler.dygnsvila_timmar is None:
        return [], []
    rest = _minutes(regler.dygnsvila_timmar)
    short_rest = _minutes(regler.kort_dygnsvila_timmar)
    units = problem.enhet_map
    forbidden, short = [], []
    types = problem.pass_typer
    for t, a in enumerate(types):
        for u, b in enumerate(types):
            for k in range(0, 3):
                gap = k * 1440 + b.start - (a.start + a.langd)
                if k == 0 and b.start <= a.start:
                    continue
                if gap < 0 or gap >= rest:
                    continue  # overlap is its own rule; enough rest is fine
                allowed_short = (
                    gap >= short_rest
                    and units.get(a.enhet) is not None and units[a.enhet].kort_dygnsvila
                    and units.get(b.enhet) is not None and units[b.enhet].kort_dygnsvila
                )
                if allowed_short:
                    short.append((t, u, k, gap))
                else:
                    forbidden.append((t, u, k))
    return forbidden, short


def add(ctx) -> None:
    problem, model = ctx.problem, ctx.model
    regler = problem.regler
    forbidden, short = successions(problem)
    delade = regler.delade_turer or ctx.explain
    after: dict[tuple[int, int], list[int]] = {}
    for t, u, k in forbidden:
        after.setdefault((t, k), []).append(u)
    for p, person in enumerate(problem.personal):
        text = f"{person.label}: dygnsvila"
        for d in range(problem.dagar):
            for t, a in ctx.by_pd.get((p, d), []):
                for k in range(0, 3):
                    followers = after.get((t, k))
                    if not followers:
                        continue
                    bs = [v for u, v in ctx.by_pd.get((p, d + k), []) if u in followers]
                    if not bs:
                        continue
                    if delade or k == 0:
                        for b in bs:
                            ctx.hard(model.add_bool_or([~a, ~b]), NAMN, person.person_id, text)
                    else:
                        # at most one pass a day, so the followers exclude each other
                        ctx.hard(model.add(a + sum(bs) <= 1), NAMN, person.person_id, text)
        _short_rest(ctx, p, short)
        _long_and_history(ctx, p)


def _short_rest(ctx, p: int, short) -> None:
    if not short:
        return
    problem, model = ctx.problem, ctx.model
    rest = _minutes(problem.regler.dygnsvila_timmar or 11)
    person = problem.personal[p]
    for t, u, k, gap in short:
        need = rest + (rest - gap)  # compensating rest after the next pass
        for d in range(problem.dagar):
            a = ctx.x.get((p, d, t))
            b = ctx.x.get((p, d + k, u))
            if a is None or b is None:
                continue
            end_b = ctx.abs_end(d + k, u)
            for d2 in range(d + k, min(problem.dagar, d + k + 3)):
                for c_t, c in ctx.by_pd.get((p, d2), []):
                    if (d2, c_t) == (d + k, u):
                        continue
                    start_c = ctx.abs_start(d2, c_t)
                    if end_b <= start_c < end_b + need:
                        ctx.hard(model.add_bool_or([~a, ~b, ~c]), NAMN, person.person_id,
                                 f"{person.label}: kompenserande vila efter kort dygnsvila")


def _long_and_history(ctx, p: int) -> None:
    problem, model = ctx.problem, ctx.model
    if problem.regler.forbjudna_foljder is not None or problem.regler.dygnsvila_timmar is None:
        return
    rest = _minutes(problem.regler.dygnsvila_timmar)
    person = problem.personal[p]
    text = f"{person.label}: dygnsvila"
    for d in range(problem.dagar):
        for t, var in ctx.by_pd.get((p, d), []):
            if problem.pass_typer[t].langd > 1440 - rest:
                ctx.hard(model.add(var == 0), NAMN, person.person_id, text)
    for h in problem.historik:
        if h.person_id != person.person_id:
            continue
        end = h.start + h.langd
        for d in range(min(3, problem.dagar)):
            for t, var in ctx.by_pd.get((p, d), []):
                start = ctx.abs_start(d, t)
                if end <= start < end + rest:
                    ctx.hard(model.add(var == 0), NAMN, person.person_id,
                             f"{person.label}: dygnsvila efter förra periodens sista pass")
