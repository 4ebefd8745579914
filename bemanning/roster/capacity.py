"""A cheap lower bound from the staff's capacity against the coverage (an LP, milliseconds).

CP-SAT's bound on the whole model is 0 on Curtois 13 (best known 1 905) and the bound from the
rows (`bound.py`) takes minutes on large models. This one asks only how many of the needed
passes the staff can work at all, counted in aggregate:

    y[p, t]  passes of type t person p works: at most the person's `max_pass` for t, only on
             types the model gives the person a variable for (same område, competence, not
             banned with max 0), all of them;
    Σ_t y[p, t]                 ≤ the days the person can work (days without absence, at most
                                  `max_dagar_i_rad` of them in a row);
    y split into weekday and weekend passes, u[p, k] = p works weekend k (0..1): Σ_k u ≤ the
             hard `max_helger`, u[k] + u[k+1] ≤ 1 under a hard `varannan`, the weekend passes
             ≤ Σ_k (free days of weekend k) · u[p, k];
    Σ_t paid_t · y[p, t]        within the person's hard minimum and maximum of paid
                                  minutes (`hour_limits`);
    s[p] ≥ |Σ_t paid_t · y[p, t] − the target| / 60   (the saldo, when the person has a target);
    z[d, t]  people covering the need on day d and type t: ≤ need[d, t], ≤ the people who can
             take t on d;
    Σ_t z[d, t]                 ≤ the people who can work on day d;
    Σ_{d in weekend k, t} z[d, t] ≤ Σ_p (free days of p in weekend k) · u[p, k];
    Σ_d z[d, t]                 ≤ Σ_p y[p, t], for weekdays and for weekend days apart;

    minimise  Σ w_under[d, t] · (need[d, t] − z[d, t])        (the tackning rule's weights)
            + Σ_t w_over_min[t] · (Σ_p y[p, t] − Σ_d z[d, t])  (passes beyond the need, each at
                                                              the type's cheapest over weight)
            + Σ_p saldo_per_timme · s[p]
            + the önskemål: a wish to work pass t on day d met at most once, the met ones of
              type t ≤ y[p, t] (of any pass ≤ Σ_t y[p, t]), at most one typed wish met a day;
              a wish not to work t broken at least y[p, t] − (free days without such a wish)
              times; a wish on a day of absence or for a pass the person cannot take costs its
              weight (the same wish given twice counts once, with both weights).

Why it is a lower bound of the model's optimum: take any roster that keeps the model's hard
rules and set y, z, u and s to its counts (z = min(need, people placed), u = the weekends it
works, s = its saldo). Every constraint above is one the roster keeps: `max_pass`, absence,
days in a row, the hour limits and the weekend limits are hard rules (arbetstid, franvaro,
dagar_i_rad, helger; a history before the period only takes days away, so leaving it out keeps
the limits), a person works at most one pass a day (`model.py`, unless `delade_turer`), and a
need of type t is covered only by passes of type t (tackning counts the pass type's own
variables). So the roster is a point of this LP, and its obemannat, over-staffing and saldo
costs are at least the LP's objective there: obemannat equals the first sum, the passes beyond
the need on (d, t) are exactly placed − z and each costs at least the type's cheapest over
weight, the model's saldo is the same hour difference rounded up, and the roster's wishes
met and broken (0 or 1 each) satisfy the wish constraints. All other costs of the
model (weekends, fairness, placement, changes in a re-plan) are weight × a variable
that is never below zero (the solver checks this on the model's terms before it uses the
bound), so they add at least 0: the model's optimum is at least the LP's minimum. Leaving out
the other hard rules (rest, veckovila, nattarbete, `minst`) only lowers the minimum. The LP is
solved to optimum by GLOP, a small margin is taken off for its tolerances and the rest rounded
up to a whole number (every cost of the model is whole).

Conservative cases, no bound (None): a weight below zero anywhere (behov, the rules' weights,
a wish), or an LP that is not solved to optimum. With `delade_turer` (more than one pass a day
allowed) the one-pass-a-day limits are left out, which keeps it a bound.
"""

from __future__ import annotations

import logging
import math
import time

from bemanning.roster.problem import RosterProblem

log = logging.getLogger("bemanning.roster")

_WEIGHTS = ("obemannat_per_timme", "overbemanning_per_timme", "annan_enhet_per_timme",
            "onskemal_vikt", "saldo_per_timme", "helg_mjuk_vikt", "rattvisa_helger",
            "rattvisa_natter", "rattvisa_kvallar", "andring_vikt")


def _negative_weight(problem: RosterProblem) -> bool:
    regler = problem.regler
    if any((getattr(regler, name, 0) or 0) < 0 for name in _WEIGHTS):
        return True
    if any((b.vikt_under or 0) < 0 or (b.vikt_over or 0) < 0 for b in problem.behov):
        return True
    return any(o.vikt < 0 for o in problem.onskemal)


def _most_days(available: list[bool], in_a_row: int | None) -> int:
    """The most days of `available` a person can work with at most `in_a_row` in a row
    (greedy: work every available day, rest one day after each full run)."""
    if in_a_row is None:
        return sum(available)
    count = run = 0
    for ok in available:
        if ok and run < in_a_row:
            count += 1
            run += 1
        else:
            run = 0
    return count


def _weekend_limits(problem: RosterProblem, person) -> tuple[int | None, bool]:
    """(most weekends the person may work, whether never two in a row) as hard rules."""
    regler = problem.regler
    limit = person.max_helger
    if limit is None and regler.helg == "max":
        limit = regler.max_helger
    if limit is not None and not (regler.helg_hard or person.max_helger is not None):
        limit = None  # a soft limit: a cost, not a limit
    return limit, regler.helg == "varannan" and regler.helg_hard


def _wishes(problem: RosterProblem) -> dict[str, dict[tuple[int, int | None, bool], int]]:
    """Person -> (day, pass type or None, wanted) -> weight: the önskemål as the model
    prices them, the same wish given twice summed (one pass meets or breaks both)."""
    factor = problem.regler.onskemal_vikt
    result: dict[str, dict[tuple[int, int | None, bool], int]] = {}
    for o in problem.onskemal:
        if o.person_id not in problem.person_index or not 0 <= o.dag < problem.dagar:
            continue
        t = None if o.pass_id is None else problem.pass_index.get(o.pass_id, -1)
        key = (o.dag, t, o.onskat)
        mine = result.setdefault(o.person_id, {})
        mine[key] = mine.get(key, 0) + o.vikt * factor
    return result


def _wish_terms(solver, mine, types, available, split, ys, costs) -> int:  # noqa: ANN001
    """The önskemål of one person in the LP: a wish to work pass t on day d is met by at
    most one pass, the met ones of type t at most y[t], on one day at most one (one pass a
    day); a wish not to work breaks when the person works more passes of its kind than there
    are days without such a wish. Adds the costs (weight × unmet or broken) to `costs` and
    returns what the wishes that can never be met cost (absent, or a type the person cannot
    take); every wish kept or broken in a roster is the same here, so it stays a bound."""
    y = dict(ys)
    free = sum(available)
    constant = 0
    met_by_type: dict[int | None, list] = {}
    met_by_day: dict[int, list] = {}
    off: dict[int | None, list] = {}
    for (d, t, wanted), weight in sorted(mine.items(), key=lambda kv: (kv[0][0], kv[0][1] or -1,
                                                                       kv[0][2])):
        if wanted:
            if not available[d] or (t is not None and t not in y):
                constant += weight
                continue
            met = solver.NumVar(0, 1, "")
            costs.append(weight * (1 - met))
            met_by_type.setdefault(t, []).append(met)
            if t is not None:
                met_by_day.setdefault(d, []).append(met)
        elif available[d] and (t is None or t in y):
            broken = solver.NumVar(0, 1, "")
            costs.append(weight * broken)
            off.setdefault(t, []).append(broken)
    every = sum(y.values())
    for t, mets in met_by_type.items():
        solver.Add(sum(mets) <= (every if t is None else y[t]))
    if not split:
        for mets in met_by_day.values():
            if len(mets) > 1:
                solver.Add(sum(mets) <= 1)
    for t, broken in off.items():
        if t is None and split:
            continue  # several passes a day: the days worked are not the passes
        solver.Add(sum(broken) >= (every if t is None else y[t]) - (free - len(broken)))
    return constant


def coverage_bound(problem: RosterProblem) -> float | None:
    """The LP's minimum obemannat cost (≥ 0), or None when it gives no valid bound."""
    from ortools.linear_solver import pywraplp

    from bemanning.roster.rules import tackning
    from bemanning.roster.rules.dagar_i_rad import _limits

    began = time.monotonic()
    if _negative_weight(problem):
        log.info("kapacitetsgräns: en vikt under noll, ingen gräns")
        return None
    n = problem.dagar
    rows = {(b.dag, problem.pass_index[b.pass_id]): b for b in problem.behov
            if b.pass_id in problem.pass_index and 0 <= b.dag < n}
    demand: dict[tuple[int, int], tuple[int, int]] = {}  # (day, type) -> (need, weight)
    for (d, t), b in rows.items():
        if b.antal > 0:
            demand[d, t] = (b.antal, tackning.weights(problem, b, problem.pass_typer[t])[0])
    # the least a pass beyond the need costs, per type (over all days of the period)
    over_cost = [min(tackning.weights(problem, rows.get((d, t)), pt)[1] for d in range(n))
                 if n else 0 for t, pt in enumerate(problem.pass_typer)]
    if any(w < 0 for _need, w in demand.values()) or any(w < 0 for w in over_cost):
        return None
    total = sum(need * w for need, w in demand.values())
    saldo = problem.regler.saldo_per_timme or 0
    split = problem.regler.delade_turer
    absent = problem.franvaro_set
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    supply: dict[int, list] = {}  # type -> the y variables on weekdays
    weekend_supply: dict[int, list] = {}  # type -> the y variables on weekend days
    weekends = problem.weekends()
    weekend_of = {d: k for k, wk in enumerate(weekends) for d in wk}
    per_weekend: dict[int, list] = {}  # weekend -> (the person's free days in it, u)
    can_take: dict[tuple[int, int], int] = {}  # (day, type) -> people who can take it
    on_day: dict[int, int] = {}  # day -> people who can work
    placed: dict[int, list] = {}  # type -> every y variable
    costs = []  # the saldo terms (weight, variable)
    wishes = _wishes(problem)
    for person in problem.personal:
        types = [t for t in problem.eligible_passes(person)
                 if problem.qualified(person, problem.pass_typer[t])
                 and person.max_pass.get(problem.pass_typer[t].pass_id, 1) != 0]
        mine = wishes.get(person.person_id, {})
        available = [(person.person_id, d) not in absent for d in range(n)]
        days = _most_days(available, _limits(problem, person)[0]) if types else 0
        if days == 0:
            # no pass at all: every wish to work is unmet
            total += sum(w for (d, t, wanted), w in mine.items() if wanted)
            continue
        for d in range(n):
            if available[d]:
                on_day[d] = on_day.get(d, 0) + 1
                for t in types:
                    can_take[d, t] = can_take.get((d, t), 0) + 1
        ys, weekday_ys, weekend_ys = [], [], []
        for t in types:
            most = min(person.max_pass.get(problem.pass_typer[t].pass_id, n), sum(available))
            y = solver.NumVar(0, most, "")
            weekday = solver.NumVar(0, most, "")
            weekend = solver.NumVar(0, most, "")
            solver.Add(weekday + weekend == y)
            supply.setdefault(t, []).append(weekday)
            placed.setdefault(t, []).append(y)
            weekend_supply.setdefault(t, []).append(weekend)
            ys.append((t, y))
            weekday_ys.append(weekday)
            weekend_ys.append(weekend)
        if not split:
            solver.Add(sum(y for _t, y in ys) <= days)
        # weekends: u[k] = the person works weekend k (at most `limit` of them, never two in
        # a row under a hard `varannan`); a weekend day's pass needs its weekend worked
        limit, in_turn = _weekend_limits(problem, person)
        us = []
        for k, wk in enumerate(weekends):
            free = [d for d in wk if available[d]]
            if not free:
                us.append(None)
                continue
            u = solver.NumVar(0, 1, "")
            us.append(u)
            per_weekend.setdefault(k, []).append((len(free), u))
        worked = [u for u in us if u is not None]
        if limit is not None and worked:
            solver.Add(sum(worked) <= limit)
        if in_turn:
            for a, b in zip(us, us[1:], strict=False):
                if a is not None and b is not None:
                    solver.Add(a + b <= 1)
        if weekend_ys:
            most_per_day = 1 if not split else len(types)
            solver.Add(sum(weekend_ys) <= most_per_day * sum(
                sum(1 for d in wk if available[d]) * u
                for wk, u in zip(weekends, us, strict=True) if u is not None))
        total += _wish_terms(solver, mine, types, available, split, ys, costs)
        low, high = problem.hour_limits(person)
        paid = sum(problem.pass_typer[t].paid * y for t, y in ys)
        if high is not None:
            solver.Add(paid <= high)
        if low is not None and low > 0:
            solver.Add(paid >= low)
        if person.mal_minuter is not None and saldo:
            goal = person.mal_minuter - person.kontaktperson_minuter
            dev = solver.NumVar(0, solver.infinity(), "")
            solver.Add(60 * dev >= paid - goal)
            solver.Add(60 * dev >= goal - paid)
            costs.append(saldo * dev)
    covered = []
    by_type: dict[int, list] = {}
    by_day: dict[int, list] = {}
    for (d, t), (need, w) in sorted(demand.items()):
        most = min(need, can_take.get((d, t), 0))
        if most <= 0:
            continue
        z = solver.NumVar(0, most, "")
        covered.append((w + over_cost[t]) * z)
        by_type.setdefault(t, []).append((d, z))
        by_day.setdefault(d, []).append(z)
    for t, zs in by_type.items():
        weekday = [z for d, z in zs if d not in weekend_of]
        weekend = [z for d, z in zs if d in weekend_of]
        if weekday:
            solver.Add(sum(weekday) <= sum(supply.get(t, [])))
        if weekend:
            solver.Add(sum(weekend) <= sum(weekend_supply.get(t, [])))
    if not split:
        for k, wk in enumerate(weekends):
            zs = [z for d in wk for z in by_day.get(d, [])]
            if zs:
                solver.Add(sum(zs) <= sum(days * u for days, u in per_weekend.get(k, [])))
    if not split:
        for d, zs in by_day.items():
            if len(zs) > 1:
                solver.Add(sum(zs) <= on_day.get(d, 0))
    # every pass placed beyond the need costs at least `over_cost`: Σ y − Σ z of them
    gain = covered + [-over_cost[t] * y for t, ys in placed.items() if over_cost[t] for y in ys]
    gain += [-c for c in costs]
    if gain:
        solver.Maximize(sum(gain))
        status = solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            log.info("kapacitetsgräns: LP-lösaren nådde inte optimum (status %s)", status)
            return None
        best_cover = solver.Objective().Value()
    else:
        best_cover = 0.0
    # GLOP's tolerances: a little less than the LP's minimum, then up to a whole number (every
    # cost in the model is whole, so no roster costs less than that)
    bound = float(max(0, math.ceil(total - best_cover - 1e-6 * max(1.0, total))))
    log.info("kapacitetsgräns: %.1f (av behov värt %d), %d variabler, %.2f s", bound, total,
             solver.NumVariables(), time.monotonic() - began)
    return bound
