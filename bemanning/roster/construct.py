"""A first roster built person by person: each person's row is solved alone against the need
that the people placed before them left uncovered (the same rule modules, one person at a
time), a pass counting more the less the people still to come can be expected to take it
(`_Supply`). The result is the starting point (hint) for the full model and the neighbourhood
search.

Rules that tie people together (a new employee never alone, hard minimum staffing) are left to
the full model; the construction only steers new employees towards passes where an introduced
colleague already works.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs

from bemanning.roster.cpsat import Installningar, make_solver, watch
from bemanning.roster.model import build
from bemanning.roster.problem import Behov, Onskemal, RosterProblem, Schema, Tilldelning
from bemanning.roster.soft import TACKNING

log = logging.getLogger("bemanning.roster")

# CP-SAT's deterministic time for one person's row (about 0,02 to an optimum for the first
# person in the demo over 6 weeks, later rows need more; 0,1 gave a start 4 % cheaper for 20 %
# more work, 0,02 one 27 % dearer)
DET_PER_ROW = 0.05
# how much more a pass counts in a row while its hard minimum staffing (`minst`) is not reached:
# the full model needs every minimum, one row cannot be made to keep it
MINST_FACTOR = 10
# the least share a round must take off the cost of the uncovered passes for another to start
# (norr over 6 weeks: 38 %, 34 %, 15 %, 15 % in rounds 2–5; söder: 14 %, 5 %, 2 %, 1 %, -3 %)
SWEEP_GAIN = 0.03
# past the deadline a row is copied from one already placed: at most this many of them (the
# ones that fill the most of the need left) are tried against the person's own rules
FALLBACK_TRIES = 40
# how much more a pass counts in a row of the first round when the people still to come can
# hardly cover what is left of its need (`_Supply`): its weight times 1 + URGENCY × need left /
# (need left + their expected supply); 0: every pass by its weight alone. With 3 the first
# round left 6 200 uncovered on Curtois 15 instead of 9 900 (14: 3 800 / 5 300, 16: 6 100 /
# 7 000, 8: 3 400 / 5 200, 12: 7 200 / 9 900, the demo's norr 52 850 / 60 200), and the search
# from it ended lower on 15 and 16 in 60 s (bench/RESULTS.md, roster13)
URGENCY = 3.0
# a person counts on a weekend day at the share of the period's weekends they may work at most
# (the hard `max_helger`): without it the weekends looked plentiful, the rows filled weekdays
# first and on Curtois 14, where what stays uncovered is weekends after everybody's last
# weekend, the 60 s search ended higher than without `URGENCY` (1 689 / 1 971 against 1 548 /
# 1 752, seeds 1 and 3; with it 1 473 / 1 604); False: every day alike
SUPPLY_WEEKENDS = True


def order(problem: RosterProblem) -> list[int]:
    """The most constrained first: introduced before new, fewest usable pass types first."""

    def key(p: int):
        person = problem.personal[p]
        usable = sum(1 for t in problem.eligible_passes(person)
                     if problem.qualified(person, problem.pass_typer[t])
                     and person.max_pass.get(problem.pass_typer[t].pass_id, 1) != 0)
        return (not person.introducerad, usable, p)

    return sorted(range(len(problem.personal)), key=key)


def construct(problem: RosterProblem, *, seconds_per_person: float = 0.5, seed: int = 1,
              is_cancelled: Callable[[], bool] = lambda: False,
              workers: int = 1, sweeps: int = 0, until: float | None = None,
              deadline: float | None = None) -> Schema | None:
    """A roster that keeps every rule of each single person (a person whose row is not found
    in time is left empty).

    With `workers` > 1 that many people are solved at once, each against the need left by the
    people before their group (CP-SAT releases the GIL, so two cores halve the time); the
    groups follow the same order every time, so the result does not depend on which thread
    finishes first.

    `sweeps` more rounds then solve each row again against all the others (the first people
    chose before they knew what the later ones could take), as long as the monotonic clock is
    before `until`; a row that is not found again stays as it was. On the demo's norr over 6
    weeks (56 people) the start cost 63 000–70 000 after the first round, 41 000 after one
    more and 38 000 after two: one row on its own model costs about a tenth of a neighbourhood
    on the whole model.

    `deadline` (monotonic clock) bounds the first round too: the rows not solved when it has
    passed are copied from rows already placed (moved by whole weeks) that keep every rule of
    the person's own (`_State.fallback_row`, checked by the independent checker, no CP-SAT),
    and only a person none of them fits gets CP-SAT. So a short time limit still gives a
    complete roster in about that time (on the demo's norr, 56 people, the first round took
    3–10 s whatever the limit), though a much dearer one than the rows solved one by one."""
    began = time.monotonic()
    state = _State(problem)
    settings = Installningar(time_limit_s=seconds_per_person, workers=1, lns=False)
    people = order(problem)
    group = max(1, workers)
    pool = ThreadPoolExecutor(group, thread_name_prefix="bemanning-konstruktion") \
        if group > 1 else None
    last = 0
    best: tuple[int, dict[int, list[Tilldelning]]] | None = None  # (uncovered, rows) so far
    late: list[int] = []  # the people whose row came after the deadline
    supply = _Supply(problem) if URGENCY > 0 else None
    try:
        for sweep in range(1 + max(0, sweeps)):
            for start in range(0, len(people), group):
                if is_cancelled():
                    return None
                if sweep and until is not None and time.monotonic() > until:
                    break  # the rows not solved again yet keep the last round's
                chunk = people[start:start + group]
                if not sweep and deadline is not None and time.monotonic() >= deadline:
                    for p in chunk:
                        state.place(p, _late_row(state, p, settings, seconds_per_person,
                                                 seed + p, is_cancelled))
                        late.append(p)
                    continue
                for p in chunk:
                    state.remove(p)
                boost = None
                if supply is not None and not sweep:
                    for p in chunk:
                        supply.leave(p)
                    boost = supply.boost(state, URGENCY)
                subs = [(state.sub_problem(p), state.must_keep(p)) for p in chunk]

                def row(item: tuple[int, tuple[RosterProblem, set[tuple[int, str]]]],
                        sweep: int = sweep, boost=boost) -> list[Tilldelning] | None:
                    p, (sub, keep) = item
                    return _solve_row(sub, settings, seconds_per_person,
                                      seed + p + 7919 * sweep, is_cancelled, keep,
                                      state.removed(p), boost)

                items = list(zip(chunk, subs, strict=True))
                rows = list(pool.map(row, items)) if pool is not None else [row(i) for i in items]
                for p, placed in zip(chunk, rows, strict=True):
                    if placed is None:
                        log.info("konstruktion: ingen rad för person nr %d", p)
                        state.restore(p)
                        continue
                    state.place(p, placed)
            else:
                if late:
                    state.mend_minimum(late, lambda p: _solve_row(
                        state.sub_problem(p), settings, seconds_per_person, seed + p,
                        is_cancelled, state.must_keep(p)))
                missing = state.uncovered()
                log.info("konstruktion: varv %d klart efter %.1f s, obemannat %d", sweep + 1,
                         time.monotonic() - began, missing)
                best = _better(best, missing, state.rows)
                if sweep and missing > (1 - SWEEP_GAIN) * last:
                    break  # the rounds have stopped paying: leave the time to the search
                last = missing
                continue
            best = _better(best, state.uncovered(), state.rows)
            break  # out of time in the middle of a round
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    rows = state.rows
    if best is not None and best[0] < state.uncovered():
        log.info("konstruktion: det sista varvet gjorde täckningen sämre; varvet med "
                 "obemannat %d behålls", best[0])
        rows = best[1]
    placed = [t for row in rows.values() for t in row]
    log.info("konstruktion: %d pass på %.1f s", len(placed), time.monotonic() - began)
    return Schema.of(placed)


def _late_row(state: _State, p: int, settings: Installningar, seconds: float, seed: int,
              is_cancelled: Callable[[], bool]) -> list[Tilldelning]:
    """A row for a person after the deadline: a copy of a row already placed that keeps the
    person's own rules, else CP-SAT's row for the person (an empty row when that finds none
    in time, as for a row not found before the deadline)."""
    row = state.fallback_row(p)
    if row is not None:
        return row
    found = _solve_row(state.sub_problem(p), settings, seconds, seed, is_cancelled)
    return found if found is not None else []


def _better(best: tuple[int, dict[int, list[Tilldelning]]] | None, missing: int,
            rows: dict[int, list[Tilldelning]]) -> tuple[int, dict[int, list[Tilldelning]]]:
    """The rows to keep after a round: these when they leave no more uncovered than the best
    round so far, else that round's (a round solves each row again against the others, and on
    Curtois 13 one took the uncovered from 9 400 to 10 400: rows that each looked better alone
    left passes that the rows after them did not take)."""
    if best is not None and missing > best[0]:
        return best
    return missing, dict(rows)  # the rows themselves are lists never changed in place


def _weekend_limits(problem: RosterProblem, person) -> tuple[int | None, bool]:  # noqa: ANN001
    """(most weekends the person may work, never two in a row), as the capacity bound reads
    them from the hard rules."""
    from bemanning.roster.capacity import _weekend_limits as limits

    return limits(problem, person)


class _Supply:
    """What the people not yet placed in the first round can be expected to work of each
    (day, pass): a person's share of the days they work spread evenly over their available
    days and, within those, over the pass types they may take (each type at most its
    `max_pass` share), a weekend day at the share of the weekends they may work. A pass whose need left is near or above that expected supply must be
    taken by the row being solved or most likely stays uncovered (on Curtois 15 the nights:
    few may work them, each only a few), so the row counts it more (`boost`)."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        absent = problem.franvaro_set
        self.rates: dict[int, dict[tuple[int, str], float]] = {}
        self.total: Counter[tuple[int, str]] = Counter()
        days = problem.dagar
        weekends = problem.weekends()
        weekend_days = {d for w in weekends for d in w}
        for p, person in enumerate(problem.personal):
            types = [problem.pass_typer[t] for t in problem.eligible_passes(person)
                     if problem.qualified(person, problem.pass_typer[t])
                     and person.max_pass.get(problem.pass_typer[t].pass_id, 1) != 0]
            available = [d for d in range(days) if (person.person_id, d) not in absent]
            if not types or not available:
                continue
            _low, high = problem.hour_limits(person)
            mean_paid = sum(pt.paid for pt in types) / len(types)
            work = 1.0 if high is None or mean_paid <= 0 else min(
                1.0, high / mean_paid / len(available))
            raw = {pt.pass_id: min(1.0, person.max_pass.get(pt.pass_id, days) / len(available))
                   for pt in types}
            spread = max(1.0, sum(raw.values()))
            # a weekend day at the share of the weekends the person may work at most
            limit, _in_turn = _weekend_limits(problem, person)
            weekend = 1.0 if limit is None or not weekends or not SUPPLY_WEEKENDS else min(
                1.0, limit / len(weekends))
            mine = {(d, pass_id): work * share / spread * (weekend if d in weekend_days else 1.0)
                    for pass_id, share in raw.items() for d in available}
            self.rates[p] = mine
            self.total.update(mine)

    def leave(self, p: int) -> None:
        """Person `p` is being placed: no longer among those still to come."""
        mine = self.rates.pop(p, None)
        if mine:
            self.total.subtract(mine)

    def boost(self, state: _State, urgency: float) -> dict[tuple[int, str], float]:
        """(day, pass) -> 1 + urgency × need left / (need left + expected supply of those to
        come): near 1 + urgency where nobody to come is likely to take it, near 1 where many
        are (capped at need left / supply ≥ 1 instead, two passes both short of supply weighed
        the same however short, and the start on Curtois 14 and 15 was 20–35 % dearer)."""
        result = {}
        covered, total = state.covered, self.total
        for key, b in state.demand.items():
            left = b.antal - covered[key]
            if left > 0:
                result[key] = 1.0 + urgency * left / (left + max(0.0, total[key]))
        return result


class _State:
    """What the rows placed so far cover, and the sub-problem of one more person."""

    def __init__(self, problem: RosterProblem) -> None:
        self.problem = problem
        self.covered: Counter[tuple[int, str]] = Counter()
        # (day, unit) -> introduced people working there
        self.introduced_at: Counter[tuple[int, str]] = Counter()
        self.units = {e.enhet_id: e for e in problem.enheter}
        self.relaxed_units = tuple(attrs.evolve(e, kraver_introducerad=False)
                                   for e in problem.enheter)
        self.demand = {(b.dag, b.pass_id): b for b in problem.behov}
        self.new_at: Counter[tuple[int, str]] = Counter()  # (day, unit) -> new people there
        # (day, pass) -> introduced people on it (a copied row of a new employee only takes a
        # pass of such a unit where one already works: the same pass overlaps for sure)
        self.introduced_on: Counter[tuple[int, str]] = Counter()
        self.rows: dict[int, list[Tilldelning]] = {}
        self._removed: dict[int, list[Tilldelning]] = {}
        self._left_cache: dict[tuple[int, str], tuple[int, Behov]] = {}

    def sub_problem(self, p: int) -> RosterProblem:
        problem, covered = self.problem, self.covered
        person = problem.personal[p]
        pid = person.person_id
        # a hard minimum not reached yet stays in `minst` as what is missing of it (the row's
        # model gets it as a much larger weight, not as a hard rule one person cannot keep)
        behov = [self._left(key, b, covered[key]) for key, b in self.demand.items()]
        wishes = [o for o in problem.onskemal if o.person_id == pid]
        if not person.introducerad:
            for d in range(problem.dagar):
                for pt in problem.pass_typer:
                    unit = self.units.get(pt.enhet)
                    if unit is not None and unit.kraver_introducerad \
                            and self.introduced_at[d, pt.enhet] <= 0:
                        wishes.append(Onskemal(pid, d, pt.pass_id, False, 1000))
        return attrs.evolve(
            problem,
            personal=(person,),
            behov=tuple(behov),
            franvaro=tuple(f for f in problem.franvaro if f.person_id == pid),
            onskemal=tuple(wishes),
            historik=tuple(h for h in problem.historik if h.person_id == pid),
            enheter=self.relaxed_units,
        )

    def _left(self, key: tuple[int, str], b: Behov, covered: int) -> Behov:
        """The need of one (day, pass) less what is covered, made again only when what is
        covered has changed (a row changes a few dozen of the need's hundreds of entries)."""
        cached = self._left_cache.get(key)
        if cached is not None and cached[0] == covered:
            return cached[1]
        left = attrs.evolve(b, antal=max(0, b.antal - covered), minst=max(0, b.minst - covered))
        self._left_cache[key] = (covered, left)
        return left

    def place(self, p: int, row: list[Tilldelning]) -> None:
        self._count(p, row, 1)
        self.rows[p] = row
        self._removed.pop(p, None)

    def remove(self, p: int) -> None:
        """Take the person's row out (to solve it again against the others)."""
        row = self.rows.pop(p, None)
        if row is not None:
            self._count(p, row, -1)
            self._removed[p] = row

    def uncovered(self) -> int:
        """What the missing people cost (the coverage part of the objective)."""
        from bemanning.roster.rules import tackning

        problem = self.problem
        total = 0
        for (d, pass_id), b in self.demand.items():
            missing = b.antal - self.covered[d, pass_id]
            if missing > 0 and pass_id in problem.pass_index:
                total += missing * tackning.weights(problem, b, problem.pass_typ(pass_id))[0]
        return total

    def fallback_row(self, p: int) -> list[Tilldelning] | None:
        """A row already placed, as it is or moved by whole weeks, for person `p`: one that
        keeps every rule of the person's own (the independent checker on the person alone:
        hours, rest, days in a row, weekends, absence, competence) and that, for a new
        employee, only takes a unit's pass that an introduced colleague already works that
        day; of those, the one that fills the most of the need left. None when none fits."""
        from bemanning.roster.checker import check

        problem = self.problem
        person = problem.personal[p]
        pid = person.person_id
        days = problem.dagar
        low, high = problem.hour_limits(person)
        usable = {problem.pass_typer[t].pass_id for t in problem.eligible_passes(person)
                  if problem.qualified(person, problem.pass_typer[t])
                  and person.max_pass.get(problem.pass_typer[t].pass_id, 1) != 0}
        seen: set[frozenset[tuple[int, str]]] = set()
        candidates = []
        for row in self.rows.values():
            # only rows of pass types the person may work, with hours within the person's
            # limits (what the checker would turn down first, found cheaply)
            paid = sum(problem.pass_typ(t.pass_id).paid for t in row)
            if any(t.pass_id not in usable for t in row) \
                    or (low is not None and paid < low) or (high is not None and paid > high):
                continue
            for weeks in range(max(1, days // 7)):
                # moved round the period, so that the copies spread over the need instead of
                # piling up on the same days (by whole weeks: moved by any number of days,
                # nearly every copy tried broke a weekend or a rest, and CP-SAT had to solve
                # 12 of the 14 rows in `test_deadline`)
                cells = frozenset(((t.dag + 7 * weeks) % days, t.pass_id) for t in row)
                if cells in seen:
                    continue
                seen.add(cells)
                gain = sum(self._gain(cell) for cell in cells)
                candidates.append((-gain, len(candidates), cells))
        candidates.sort()
        alone = None
        for _gain, _n, cells in candidates[:FALLBACK_TRIES]:
            if not person.introducerad and any(
                    (info := self.units.get(problem.pass_typ(pass_id).enhet)) is not None
                    and info.kraver_introducerad
                    and self.introduced_on[d, pass_id] <= 0 for d, pass_id in cells):
                continue
            if alone is None:
                alone = attrs.evolve(
                    problem, personal=(person,), behov=(), onskemal=(),
                    franvaro=tuple(f for f in problem.franvaro if f.person_id == pid),
                    historik=tuple(h for h in problem.historik if h.person_id == pid),
                    enheter=self.relaxed_units)
            row = [Tilldelning(pid, d, pass_id) for d, pass_id in sorted(cells)]
            if not check(alone, Schema.of(row)):
                return row
        return None

    def mend_minimum(self, late: list[int],
                     solve: Callable[[int], list[Tilldelning] | None]) -> None:
        """Choose the rows of people placed after the deadline again, last first, while a hard
        minimum staffing is not reached: a row is changed only when that leaves fewer places
        of the minimums empty and no new employee without the introduced colleague on the
        same pass. First among the copies (`fallback_row`), then, for what is still short,
        by `solve` (CP-SAT on the person's row, where a minimum not reached weighs ten times):
        the minimum is a hard rule of the full model, which would not take the start."""
        for choose in (lambda p: self.fallback_row(p), solve):
            for p in reversed(late):
                short = self._short()
                if not short:
                    return
                old = self.rows.get(p, [])
                self.remove(p)
                row = choose(p)
                if row is not None:
                    self.place(p, row)
                    if self._short() < short and not self._new_alone():
                        continue
                    self.remove(p)
                self.place(p, old)

    def _short(self) -> int:
        covered = self.covered
        return sum(max(0, b.minst - covered[cell]) for cell, b in self.demand.items() if b.minst)

    def _new_alone(self) -> bool:
        """Whether a new employee works a pass of a unit that needs an introduced colleague
        alongside without one on the same pass (the rule copied rows keep)."""
        problem = self.problem
        for p, row in self.rows.items():
            if problem.personal[p].introducerad:
                continue
            for t in row:
                info = self.units.get(problem.pass_typ(t.pass_id).enhet)
                if info is not None and info.kraver_introducerad \
                        and self.introduced_on[t.dag, t.pass_id] <= 0:
                    return True
        return False

    def _gain(self, cell: tuple[int, str]) -> int:
        """What one more person on a (day, pass) is worth to a copied row: much while a hard
        minimum is not reached (as in a row's model), one while need is left, else minus one."""
        b = self.demand.get(cell)
        if b is None:
            return -1
        covered = self.covered[cell]
        if covered < b.minst:
            return MINST_FACTOR
        return 1 if covered < b.antal else -1

    def removed(self, p: int) -> frozenset[tuple[int, str]]:
        """The (day, pass) of the row taken out (a hint when it is solved again)."""
        return frozenset((t.dag, t.pass_id) for t in self._removed.get(p, ()))

    def restore(self, p: int) -> None:
        row = self._removed.pop(p, None)
        if row is not None:
            self.place(p, row)

    def must_keep(self, p: int) -> set[tuple[int, str]]:
        """The passes of a row taken out that the others need it to keep when it is solved
        again: where it is needed for a hard minimum staffing, and where it is the only
        introduced person of a unit in which a new employee works that day (rules between
        people, which one row's model does not see; the old row keeps them, so it stays a
        solution)."""
        keep = set()
        for t in self._removed.get(p, ()):
            b = self.demand.get((t.dag, t.pass_id))
            if b is not None and self.covered[t.dag, t.pass_id] < b.minst:
                keep.add((t.dag, t.pass_id))
            unit = self.problem.pass_typ(t.pass_id).enhet
            info = self.units.get(unit)
            if self.problem.personal[p].introducerad and info is not None \
                    and info.kraver_introducerad and self.introduced_at[t.dag, unit] <= 0 \
                    and self.new_at[t.dag, unit] > 0:
                keep.add((t.dag, t.pass_id))
        return keep

    def _count(self, p: int, row: list[Tilldelning], sign: int) -> None:
        introduced = self.problem.personal[p].introducerad
        at = self.introduced_at if introduced else self.new_at
        for t in row:
            self.covered[t.dag, t.pass_id] += sign
            if introduced:
                self.introduced_on[t.dag, t.pass_id] += sign
            at[t.dag, self.problem.pass_typ(t.pass_id).enhet] += sign


def _solve_row(sub: RosterProblem, settings: Installningar, seconds: float, seed: int,
               is_cancelled: Callable[[], bool],
               keep: set[tuple[int, str]] = frozenset(),
               hint: frozenset[tuple[int, str]] = frozenset(),
               boost: dict[tuple[int, str], float] | None = None) -> list[Tilldelning] | None:
    """One person's row against the need left, or None when none was found.

    The coverage is a plain term per pass in the objective (for one person a pass either
    fills a missing place or is one too many), which spares CP-SAT the coverage variables.
    The solve is bounded by CP-SAT's deterministic time (`DET_PER_ROW`, a measure of work that
    does not depend on how busy the machine is), so the construction gives the same roster on
    a loaded machine as on an idle one; `seconds` is only a wall-clock safety net."""
    from ortools.sat.python import cp_model

    from bemanning.roster.rules import RULES, tackning

    ctx = build(sub, rules=[r for r in RULES if r is not tackning])
    demand = {(b.dag, sub.pass_index[b.pass_id]): b for b in sub.behov
              if b.pass_id in sub.pass_index}
    for (_q, d, t), var in ctx.x.items():
        b = demand.get((d, t))
        w_under, w_over = tackning.weights(sub, b, sub.pass_typer[t])
        if b is not None and b.minst > 0:
            coef = -MINST_FACTOR * w_under  # a hard minimum not reached yet comes first
        elif b is not None and b.antal > 0:
            coef = -w_under if boost is None else -round(
                w_under * boost.get((d, sub.pass_typer[t].pass_id), 1.0))
        else:
            coef = w_over
        ctx.objective.add(TACKNING, "", coef, var)
        key = (d, sub.pass_typer[t].pass_id)
        if key in keep:
            ctx.model.add(var == 1)
        if hint:
            ctx.model.add_hint(var, key in hint)
    ctx.model.minimize(ctx.objective.expression())
    for attempt in range(3):  # more work when a row is not found at once
        solver = make_solver(settings, max(1.0, seconds) * 3**attempt, 1, seed)
        solver.parameters.max_deterministic_time = DET_PER_ROW * 3**attempt
        with watch(solver, is_cancelled):
            status = solver.solve(ctx.model)
        if status != cp_model.UNKNOWN or is_cancelled():
            break
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    pid = sub.personal[0].person_id
    return [Tilldelning(pid, d, sub.pass_typer[t].pass_id)
            for (_q, d, t), var in ctx.x.items() if solver.value(var)]


def behov_left(problem: RosterProblem, schema: Schema) -> list[Behov]:
    counts = Counter((t.dag, t.pass_id) for t in schema.tilldelningar)
    return [attrs.evolve(b, antal=max(0, b.antal - counts[b.dag, b.pass_id]))
            for b in problem.behov]
