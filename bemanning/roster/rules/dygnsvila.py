"""Dygnsvila (AB 24, from 2023-10-01): at least 11 h consecutive rest in every 24-hour period
counted from the dygnsbryt, and at least 11 h between two passes.

The 24-hour periods are those of the person's home unit (`Enhetsinfo.dygnsbryt`, a time of
day); only the part of a rest that lies inside a period counts for it, so kväll 13–21 followed
by dag 08–16 keeps the 11-hour gap but leaves only 8 h in the period from a dygnsbryt at 00:00.
Where the home unit and every pass in a period are marked for it (`kort_dygnsvila`), a period
may hold a shorter rest, down to the short limit, when the next period holds a rest of 11 h
plus the shortfall (compensating rest, directly after).

The gap between passes:

Measured in clock time from the end of one pass to the start of the next, so a pass that
crosses midnight counts until it ends on the next day. A pass longer than 24 h minus the rest
can never leave the rest inside its 24-hour period and is not allowed. Where the unit is marked
for it (`kort_dygnsvila`), a planned exception down to 9 h is allowed when the rest directly
after the next pass is extended by the shortfall (compensating rest).

When the problem gives explicit forbidden successions (Curtois: shift B may not follow shift A
on the next day) they replace the clock computation.
"""

from __future__ import annotations

import itertools

import attrs

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
    after: dict[tuple[int, int], set[int]] = {}  # a set: tried once per person, day and pass
    for t, u, k in forbidden:
        after.setdefault((t, k), set()).add(u)
    implied: dict[tuple[frozenset[int], int], bool] = {}  # (pass types, dygnsbryt) → implied
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
        _periods(ctx, p, None if delade else frozenset(forbidden), implied)


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


def _window_options(ctx, work, fixed, p0: int, p1: int, length: int, also=()):
    """Literals, one per way to keep `length` minutes free inside [p0, p1): each forces the
    passes it overlaps (and `also`) off. None when some such stretch is free whatever is chosen.

    A longest free stretch can always be moved to begin at p0 or where a pass ends, so those are
    the only starts tried; options whose passes include another option's are dropped.
    """
    starts = {p0} | {e for _s, e, _v in work if p0 < e} | {e for _s, e in fixed if p0 < e}
    by_index = {v.index: v for _s, _e, v in work} | {v.index: v for v in also}
    sets: dict[frozenset[int], None] = {}
    for tau in sorted(starts):
        if tau + length > p1:
            continue
        if any(s < tau + length and e > tau for s, e in fixed):
            continue
        hit = frozenset(v.index for s, e, v in work if s < tau + length and e > tau)
        hit |= frozenset(v.index for v in also)
        if not hit:
            return None
        sets.setdefault(hit, None)
    minimal = [h for h in sets if not any(o < h for o in sets)]
    options = []
    for hit in minimal:
        y = ctx.model.new_bool_var(f"dygnsvila_fonster[{p0},{len(options)}]")
        ctx.model.add_bool_and([~by_index[i] for i in sorted(hit)]).only_enforce_if(y)
        options.append(y)
    return options


def implied_by_gap(problem, types, bryt: int, forbidden: frozenset, rest: int) -> bool:
    """True when every way to work these pass types on three days in a row, one pass a day,
    that the gap and overlap rules allow leaves `rest` minutes free inside the 24-hour period
    from `bryt` on the middle day. A period only holds passes of those three days, so the
    period constraints would then add nothing for a person with these pass types."""
    pts = problem.pass_typer
    usable = [t for t in sorted(types) if pts[t].langd <= 1440 - rest]  # longer: banned
    p0, p1 = 1440 + bryt, 2 * 1440 + bryt
    for combo in itertools.product([None, *usable], repeat=3):
        spans = [(d * 1440 + pts[t].start, d * 1440 + pts[t].start + pts[t].langd, d, t)
                 for d, t in enumerate(combo) if t is not None]
        allowed = all(b[0] >= a[1] and (a[3], b[3], b[2] - a[2]) not in forbidden
                      for a, b in itertools.combinations(spans, 2))
        if not allowed or not any(s < p1 and e > p0 for s, e, _d, _t in spans):
            continue
        if _free_inside(p0, p1, [(s, e) for s, e, _d, _t in spans]) < rest:
            return False
    return True


def _free_inside(p0: int, p1: int, spans) -> int:
    """The longest stretch without work inside [p0, p1); `spans` (start, end) sorted by start."""
    best, cursor = 0, p0
    for s, e in spans:
        if e > p0 and s < p1:
            best = max(best, min(s, p1) - cursor)
            cursor = max(cursor, e)
    return max(best, p1 - cursor)


def _periods(ctx, p: int, forbidden: frozenset | None = None,
             implied: dict | None = None) -> None:
    """At least the rest inside every 24-hour period from the home unit's dygnsbryt.

    With one pass a day (`forbidden` given: the gap rule's forbidden successions), a person
    whose pass types can never break the period rule where the gap rule holds gets no period
    constraints, except in periods that touch passes before the schemaperiod.
    """
    problem, model = ctx.problem, ctx.model
    regler = problem.regler
    if regler.forbjudna_foljder is not None or regler.dygnsvila_timmar is None:
        return
    rest = _minutes(regler.dygnsvila_timmar)
    short = _minutes(regler.kort_dygnsvila_timmar)
    units = problem.enhet_map
    person = problem.personal[p]
    home = units.get(person.enhet)
    bryt = dygnsbryt_of(problem, person)
    work = []
    for d, t, var in ctx.person_vars(p):
        work.append((ctx.abs_start(d, t), ctx.abs_end(d, t), var, problem.pass_typer[t].enhet))
    if not work:
        return
    fixed = [(h.start, h.start + h.langd) for h in problem.historik
             if h.person_id == person.person_id]
    marked_home = home is not None and home.kort_dygnsvila and short < rest
    compensate = rest + (rest - short)
    skip = False
    if forbidden is not None:
        types = frozenset(t for _d, t, _v in ctx.person_vars(p))
        key = (types, bryt)
        if implied is None:
            implied = {}
        if key not in implied:
            implied[key] = implied_by_gap(problem, types, bryt, forbidden, rest)
        skip = implied[key]
    first = (min(s for s, _e, _v, _u in work) - bryt) // 1440
    last = (max(e for _s, e, _v, _u in work) - 1 - bryt) // 1440
    text = f"{person.label}: dygnsvila per 24-timmarsperiod"
    for k in range(first, last + 1):
        p0 = bryt + k * 1440
        p1 = p0 + 1440
        inside = [(s, e, v) for s, e, v, _u in work if s < p1 and e > p0]
        if not inside or (skip and not any(s < p1 and e > p0 for s, e in fixed)):
            continue
        options = _window_options(ctx, inside, fixed, p0, p1, rest)
        if options is None:
            continue
        if marked_home:
            unmarked = [v for s, e, v, u in work if s < p1 and e > p0
                        and not (units.get(u) is not None and units[u].kort_dygnsvila)]
            shorter = _window_options(ctx, inside, fixed, p0, p1, short, unmarked)
            if shorter is None:  # a short rest is always there; only the compensation counts
                shorter = [model.new_bool_var(f"kort_dygnsvila[{person.person_id},{p0}]")]
            nxt = [(s, e, v) for s, e, v, _u in work if s < p1 + 1440 and e > p1]
            comp = _window_options(ctx, nxt, fixed, p1, p1 + 1440, compensate)
            for z in shorter:
                if comp is not None:
                    ctx.hard(model.add_bool_or(comp or [False]).only_enforce_if(z), NAMN,
                             person.person_id,
                             f"{person.label}: kompenserande vila efter kort dygnsvila")
            options = options + shorter
        ctx.hard(model.add_bool_or(options or [False]), NAMN, person.person_id, text)


def dygnsbryt_of(problem, person) -> int:
    """Minutes after midnight where the person's 24-hour periods begin: the home unit's."""
    home = problem.enhet_map.get(person.enhet)
    return home.dygnsbryt if home is not None else 0


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _alone(pt, bryt: int) -> int:
    """The least rest a pass type leaves inside a 24-hour period from `bryt` when it is the
    only pass around."""
    span = (1440 + pt.start, 1440 + pt.start + pt.langd)
    periods = [(bryt + k * 1440, bryt + (k + 1) * 1440) for k in range(3)]
    return min(_free_inside(p0, p1, [span]) for p0, p1 in periods
               if span[0] < p1 and span[1] > p0)


def _fitting(problem, types: list[int], rest: int, forbidden) -> list[int]:
    steps = range(0, 1440, 30)
    fits = [b for b in steps if implied_by_gap(problem, set(types), b, forbidden, rest)]
    return fits or [b for b in steps if all(_alone(problem.pass_typer[t], b) >= rest for t in types)]


def fit_dygnsbryt(problem):
    """Units without a dygnsbryt (None) get one that fits their passes: the first time of day,
    in half hours from 00:00, where the gap rule already gives 11 h inside every period (or, if
    none does, where every pass alone leaves 11 h). Marked `dygnsbryt_vald`, so that the
    schemaläggare is told (`dygnsbryt_anteckningar`). Without a dygnsvila rule: 00:00."""
    missing = [e for e in problem.enheter if e.dygnsbryt is None]
    if not missing:
        return problem
    regler = problem.regler
    chosen: dict[str, int] = {}
    if regler.forbjudna_foljder is None and regler.dygnsvila_timmar is not None:
        rest = _minutes(regler.dygnsvila_timmar)
        forbidden = frozenset(successions(problem)[0])
        for unit in missing:
            types = [t for t, pt in enumerate(problem.pass_typer)
                     if pt.enhet == unit.enhet_id and pt.langd <= 1440 - rest]
            fits = _fitting(problem, types, rest, forbidden) if types else [0]
            chosen[unit.enhet_id] = fits[0] if fits else 0
    units = tuple(
        attrs.evolve(e, dygnsbryt=chosen.get(e.enhet_id, 0), dygnsbryt_vald=True) if e.dygnsbryt is None else e
        for e in problem.enheter
    )
    return attrs.evolve(problem, enheter=units)


def dygnsbryt_anteckningar(problem) -> list[str]:
    """Swedish notes for the units whose dygnsbryt was chosen by the roster (not given)."""
    from bemanning.roster.problem import hhmm

    return [f"{e.label} har ingen dygnsbryt angiven; schemat räknar dygnsvilan från {hhmm(e.dygnsbryt)}, "
            "som rymmer enhetens pass. Står en annan dygnsbryt i ert kollektivavtal eller lokala avtal, "
            "ange den i enhetsfilen (kolumnen dygnsbryt)."
            for e in problem.enheter if e.dygnsbryt_vald and any(pt.enhet == e.enhet_id for pt in problem.pass_typer)]


def dygnsbryt_varningar(problem) -> list[str]:
    """Swedish warnings for pass types that, even alone, leave too little rest inside a 24-hour
    period from their unit's dygnsbryt, so the unit's own staff can never work them; each with
    a dygnsbryt that would hold the unit's passes."""
    regler = problem.regler
    if regler.forbjudna_foljder is not None or regler.dygnsvila_timmar is None:
        return []
    from bemanning.roster.kallor import kalla
    from bemanning.roster.problem import hhmm

    rest = _minutes(regler.dygnsvila_timmar)
    forbidden = frozenset(successions(problem)[0])
    by_unit: dict[str, list[int]] = {}
    for t, pt in enumerate(problem.pass_typer):
        if pt.langd <= 1440 - rest:
            by_unit.setdefault(pt.enhet, []).append(t)
    out = []
    for unit_id, types in sorted(by_unit.items()):
        info = problem.enhet_map[unit_id]
        bad = [problem.pass_typer[t] for t in types
               if _alone(problem.pass_typer[t], info.dygnsbryt) < rest]
        if not bad:
            continue
        fits = _fitting(problem, types, rest, forbidden)
        passes = ", ".join(f"{pt.label} {pt.tider} (som mest "
                           f"{_hours(_alone(pt, info.dygnsbryt))} h)" for pt in bad)
        advice = (f"ange en annan dygnsbryt i enhetsfilen (kolumnen dygnsbryt), till exempel "
                  f"{hhmm(fits[0])}" if fits
                  else "ingen dygnsbryt rymmer alla enhetens pass; se över passtiderna")
        out.append(f"Dygnsvila ({kalla(NAMN)}): {info.label} har dygnsbryt "
                   f"{hhmm(info.dygnsbryt)}, och {passes} lämnar då mindre än "
                   f"{_hours(rest)} h sammanhängande vila inom sin 24-timmarsperiod, så enhetens "
                   f"egen personal kan inte få {'det' if len(bad) == 1 else 'dem'}; {advice}.")
    return out
