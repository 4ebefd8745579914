"""The neighbourhood `helger`: whole rows of the people who touch the weekends' coverage faults
and of those who work half weekends.

On a long period the weekends are what is left uncovered (Curtois 14–16: four fifths of the
uncovered passes fall on a Saturday or Sunday), because everybody has worked their most weekends
and a weekend counts as worked when only one of its days is: a half weekend spends a weekend of
the quota on one pass. Making it whole, moving a block of work days Thursday–Saturday to
Friday–Sunday, or moving a weekend to another person changes the days around the weekend (days
in a row, days off in a row, passes that may not follow each other) and, when everybody is at
their most minutes, a pass on a weekday somewhere else in the period. Freeing only the days
around the weekends was tried first: on Curtois 16 from the same roster it improved 2 of 38
neighbourhoods, whole rows 5 of 15 (and took 4 048 to 3 666 in the same deterministic time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bemanning.roster.neighbourhood import Gap, NeighbourhoodSearch

# what a half weekend a person works counts for when the people are drawn, against one person
# missing on a pass they could take
HALF = 2.0


def half_weekends(search: NeighbourhoodSearch, weekends: list[list[int]]) -> list[int]:
    """Per person: how many weekends of the period they work on one of the two days only."""
    values = search._current.values
    works: set[tuple[int, int]] = set()
    for weekend in weekends:
        for d in weekend:
            for p, index in search._working[d]:
                if values[index]:
                    works.add((p, d))
    half = [0] * search._n_people
    for weekend in weekends:
        if len(weekend) < 2:
            continue
        for p in range(search._n_people):
            if sum((p, d) in works for d in weekend) == 1:
                half[p] += 1
    return half


def choose_people(search: NeighbourhoodSearch, gap: Gap | None, days: frozenset[int],
                  weekends: list[list[int]], people: int) -> set[int]:
    """`people` people drawn by the coverage faults they touch on `days` (as in `tackning`:
    people missing on the passes they could take, people beyond the need on the passes they
    work) and the half weekends they work (weighted, without replacement; one touching nothing
    now and then), always one who could take `gap`."""
    start = [HALF * h for h in half_weekends(search, weekends)]
    return search._touching(gap, days.__contains__, people, start)
