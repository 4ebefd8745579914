"""The neighbourhood `tidslucka` of the search: the day with the largest coverage penalty and the
people with room left to take more passes.

On a model where the cost is nearly all uncovered passes (Curtois 12: 97 % of the cost; 60
people of whom most work their most hours; ten pass types in four times of day) an uncovered
pass is filled by a chain: in the neighbourhoods that filled one on a fixed roster of Curtois
12, about twenty people over about eleven days changed passes, and the number of passes worked
went up by one, always by someone below their most hours (16 or 17 passes of at most 18)
taking one more. The other kinds drawn around a gap (`lucka`, `tackning`) choose the people who
could take it at random or by the coverage faults they touch, not by whether they have room for
another pass.

`tidslucka` draws a day by its coverage penalty (people missing × the cost of one × the score of
the pass type, so that passes nobody more can take count less), takes that day's dearest
uncovered pass, and frees a block of days around it (`lucka`'s shape) for:

- the people free that day who could take the pass, those with the most minutes left below
  their most hours (`max_minuter`, else their target) first;
- the people working another pass that day who could take it (one of them can move to it and
  leave theirs to someone with room);
- then those touching the most coverage faults in the window, as in `tackning`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from bemanning.roster.neighbourhood import Gap, Neighbourhood, NeighbourhoodSearch

SLOT = "tidslucka"
START_SIZE = 0.2  # a share of the people × days, as `lucka`

# read once per search: the cost of one missing person on each coverage variable, and each
# person's pass variables with their paid minutes and the most minutes they may work
_costs: WeakKeyDictionary = WeakKeyDictionary()
_minutes: WeakKeyDictionary = WeakKeyDictionary()


def gap_costs(search: NeighbourhoodSearch) -> dict[int, int]:
    """Variable index -> the objective's coefficient, for the coverage variables (people
    missing) of the search's model."""
    costs = _costs.get(search)
    if costs is None:
        indices = {g.index for g in search._gaps}
        costs = {}
        for term in search.ctx.objective.terms:
            index = getattr(term.var, "index", None)
            if index is not None and index in indices:
                costs[index] = costs.get(index, 0) + term.coef
        _costs[search] = costs
    return costs


def room(search: NeighbourhoodSearch) -> list[int]:
    """Minutes each person may still work in the current roster: their most minutes
    (`max_minuter`, else the target `mal_minuter`) less the paid minutes of their passes; 0 for
    a person with neither."""
    read = _minutes.get(search)
    if read is None:
        problem = search.ctx.problem
        cells: list[list[tuple[int, int]]] = [[] for _ in problem.personal]
        for (p, _d, t), var in search.ctx.x.items():
            cells[p].append((var.index, problem.pass_typer[t].paid))
        most = [person.max_minuter if person.max_minuter is not None else person.mal_minuter
                for person in problem.personal]
        read = _minutes[search] = (cells, most)
    cells, most = read
    values = search._current.values
    return [0 if most[p] is None else max(0, most[p] - sum(m for i, m in cells[p] if values[i]))
            for p in range(len(cells))]


def day_penalties(search: NeighbourhoodSearch) -> dict[int, float]:
    """Day -> its coverage penalty (people missing × cost × the pass type's score)."""
    from bemanning.roster.neighbourhood import FLOOR

    values = search._current.values
    costs = gap_costs(search)
    scores = search.type_scores
    penalty: dict[int, float] = defaultdict(float)
    for g in search._open_gaps():
        penalty[g.day] += values[g.index] * max(1, costs.get(g.index, 1)) * max(
            FLOOR, scores.get(g.pass_type, 1.0))
    return penalty


def draw_day(search: NeighbourhoodSearch, penalty: dict[int, float]) -> int:
    """A day drawn in proportion to its coverage penalty."""
    days = sorted(penalty)
    return search.rng.choices(days, [penalty[d] for d in days])[0]


def slot(search: NeighbourhoodSearch) -> Neighbourhood:
    """The `tidslucka` neighbourhood (under the search's lock: it reads the roster). With no
    uncovered pass, a block."""
    from bemanning.roster.neighbourhood import Neighbourhood

    penalty = day_penalties(search)
    if not penalty:
        return search.block(SLOT)
    rng = search.rng
    size = search.sizes[SLOT]
    n_days = search._n_days
    day = draw_day(search, penalty)
    gap = _dearest(search, day)
    search._target = gap.pass_type
    people, width = search._block_shape(size)
    d0 = max(0, min(n_days - width, day - rng.randrange(width)))
    chosen = takers(search, gap, people)
    if len(chosen) < people:
        chosen |= search._touching(gap, lambda d: d0 <= d < d0 + width, people - len(chosen))
    return Neighbourhood(SLOT, size, lambda p, d: p in chosen and d0 <= d < d0 + width)


def takers(search: NeighbourhoodSearch, gap: Gap, people: int) -> set[int]:
    """At most `people` people who could take `gap`: of those free that day, the ones with the
    most room first (ties at random), making up at most two thirds; then those working another
    pass that day, at random."""
    rng, values = search.rng, search._current.values
    left = room(search)
    busy = {p for p, index in search._working[gap.day] if values[index]}
    able = [p for p, index in search._able.get((gap.day, gap.pass_type), ()) if not values[index]]
    ties = {p: rng.random() for p in able}
    idle = sorted((p for p in able if p not in busy), key=lambda p: (-left[p], ties[p]))
    working = sorted(p for p in able if p in busy)
    chosen = set(idle[: max(1, people * 2 // 3)])
    chosen |= set(rng.sample(working, min(len(working), max(0, people - len(chosen)))))
    return chosen


def _dearest(search: NeighbourhoodSearch, day: int) -> Gap:
    """The uncovered pass of `day` with the most people missing × cost (ties at random)."""
    values, costs, rng = search._current.values, gap_costs(search), search.rng
    today = [g for g in search._open_gaps() if g.day == day]
    ties = {g.index: rng.random() for g in today}
    return max(today, key=lambda g: (values[g.index] * costs.get(g.index, 1), ties[g.index]))
