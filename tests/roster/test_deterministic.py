"""`deterministisk`: the search limited by CP-SAT's deterministic time (the work done) instead
of the clock gives the same roster for the same seed, however busy the machine is."""

from __future__ import annotations

import threading

import attrs

from bemanning.roster import curtois
from bemanning.roster.checker import check
from bemanning.roster.solver import solve
from tests.roster.conftest import CURTOIS, needs_shared


def _busy(stop: threading.Event) -> None:
    """Load on the machine (and on the GIL) while a solve runs."""
    n = 0
    while not stop.is_set():
        n = (n * 31 + 7) % 1_000_003


@needs_shared
def test_same_seed_same_roster_under_load():
    inst = curtois.parse(CURTOIS / "Instance8.txt")
    problem = curtois.to_problem(inst)
    # a short budget on a model the search cannot close in it: the neighbourhoods and the
    # whole-model slices both run; the clock's safety net far away, so the work decides
    settings = attrs.evolve(curtois.settings(inst, time_limit_s=4, workers=2, seed=3),
                            deterministisk=True, deterministisk_vakt=40.0)
    quiet = solve(problem, settings)
    stop = threading.Event()
    load = [threading.Thread(target=_busy, args=(stop,), daemon=True) for _ in range(3)]
    for thread in load:
        thread.start()
    try:
        busy = solve(problem, settings)
    finally:
        stop.set()
        for thread in load:
            thread.join()
    assert quiet.iterationer > 0  # the neighbourhood search ran
    assert quiet.objektiv is not None and quiet.status != "optimal"
    assert busy.objektiv == quiet.objektiv
    assert busy.iterationer == quiet.iterationer
    assert busy.schema.as_set() == quiet.schema.as_set()
    assert check(problem, quiet.schema) == []
