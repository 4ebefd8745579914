"""What the search steps share: the solver settings, a CP-SAT solver made from them, and a
cancel flag that stops a running solve. Both the construction of a first roster
(`construct.py`) and the search (`solver.py`) use these; neither imports the other's insides.

OR-Tools is imported inside the functions, so that the program starts fast.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

import attrs

log = logging.getLogger("bemanning.roster")


@attrs.define
class Installningar:
    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 1
    lns: bool = True
    forsta_andel: float = 0.15  # share of the time for phase 1 (full model)
    delsekunder: float = 1.0  # time limit of one neighbourhood
    delarbetare: int = 1  # CP-SAT workers per neighbourhood (`workers` neighbourhoods at once)
    linearisering: int = 2  # CP-SAT linearization_level (2: clauses in the LP too)
    konstruktion: bool = True  # start from a roster built person by person
    konstruktion_varv: int = 50  # rounds solving each row again against the others after that
    # (models from `stor_modell` variables only)
    konstruktion_andel: float = 0.8  # share of the time after which no more rounds start
    lns_skiva: float = 10.0  # seconds of neighbourhood search between whole-model slices
    hel_skiva: float = 5.0  # seconds of CP-SAT on the whole model from the best roster
    liten_modell: int = 2500  # fewer pass variables than this: half the time to phase 1
    delmodell_fran: int = 5000  # model variables from which a neighbourhood is solved as a
    # sub-model of only the constraints that can change (`submodel.py`; from 20 000 before the
    # small `byte` neighbourhoods: on Curtois 15, 15 k variables, they solved 117 in 15 s that
    # way against 47 on a clone of the whole model, where presolve of the whole model dominates)
    stor_modell: int = 20000  # model variables from which the construction goes on in rounds
    # and phase 1 gets at most 5 % of the time (the demo område, Curtois 13)
    rad_grans_andel: float = 0.0  # share of the time (at most `RAD_GRANS_MAX_S`) after the
    # search on small models for the lower bound from the people's rows (`bound.py`; 0: never).
    # Off by default: within 2 s it gave nothing above CP-SAT's bound on Curtois 4, 6 and 12
    # (not even after 10 s and 60 rounds on 4: 1 333 against 1 522), and it runs past the limit
    grannskap: tuple[str, ...] | None = None  # kinds of neighbourhood to draw (None: DEFAULT_KINDS)
    helarbetare: int | None = 8  # workers on the whole model (8: CP-SAT's portfolio with its
    # own neighbourhoods, worth it even on 2 cores); None: `workers`
    deterministisk: bool = False  # limit the search by CP-SAT's deterministic time (work done)
    # instead of the clock: every second of the settings is worth `det_per_sekund` deterministic
    # time, so that the same seed gives the same roster however busy the machine is; the clock
    # is then only a safety net at `deterministisk_vakt` times the time limit
    det_per_sekund: float = 0.0  # 0: `DET_PER_S`
    deterministisk_vakt: float = 3.0

    @property
    def det_rate(self) -> float:
        """Deterministic time per CPU second of one CP-SAT worker (the calibration)."""
        return self.det_per_sekund or DET_PER_S

    @classmethod
    def from_settings(cls, settings) -> Installningar:
        """From `[schema.losare]`; the keys users write keep their Swedish names."""
        table = settings.get("losare", {}) if hasattr(settings, "get") else {}
        names = {a.name for a in attrs.fields(cls)}
        values = {SETTING_KEYS.get(k, k): v for k, v in table.items()}
        return cls(**{k: v for k, v in values.items() if k in names})


# CP-SAT's deterministic time per CPU second of one worker (`deterministisk`): 0,53–0,69 on the
# neighbourhoods of Curtois 8 and 12, 0,6–1,0 on the whole model of Curtois 3, 8 and 12
# (measured with the threads' CPU time, so the same under load). A search of `workers` threads
# on as many cores does `workers` times this per second.
DET_PER_S = 0.6


# the keys of `[schema.losare]` in bemanning.toml that have another name in the code
SETTING_KEYS = {"sekunder": "time_limit_s", "arbetare": "workers", "slumpfro": "seed"}


@attrs.frozen
class Framsteg:
    """What the progress callback gets: time so far, best cost, bound, solutions, phase."""

    sekunder: float
    basta: float | None
    grans: float | None
    losningar: int
    fas: str  # PHASE_* below: what the solver is doing, said to the user


# the phases as the user reads them in the progress line
PHASE_WHOLE = "söker ett schema för hela perioden"
PHASE_PARTS = "förbättrar schemat del för del"
PHASE_DONE = "klart"


@attrs.define
class Incumbent:
    """The best roster found so far, as a full solution vector of the model, its cost, and the
    best lower bound known for the cost; `proven` when CP-SAT proved it optimal."""

    values: list[int]
    cost: int
    bound: float
    proven: bool = False

    @property
    def closed(self) -> bool:
        """Nothing better can exist: proven, or the cost has reached the bound."""
        return self.proven or self.cost <= math.ceil(self.bound - 1e-6)


@attrs.define(eq=False)
class Progress:
    """The figures that progress reports (best cost, bound, solutions seen) and the callback.

    The search updates the figures while it holds its lock and calls `send` only after it has
    released it, so that a slow callback (the TUI) never holds up the other search threads."""

    callback: Callable[[Framsteg], None] | None
    began: float
    best: float | None = None
    bound: float | None = None
    solutions: int = 0

    def snapshot(self, phase: str) -> Framsteg:
        return Framsteg(time.monotonic() - self.began, self.best, self.bound, self.solutions,
                        phase)

    def send(self, report: Framsteg) -> None:
        if self.callback is not None:
            self.callback(report)

    def solution(self, cost: float, bound: float, phase: str) -> None:
        """A solution of a whole-model solve (from CP-SAT's callback, one at a time)."""
        if self.best is None or cost < self.best:
            self.best = cost
        self.bound = bound if self.bound is None else max(self.bound, bound)
        self.solutions += 1
        self.send(self.snapshot(phase))


def cancel_fn(cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


@contextmanager
def watch(solver, is_cancelled: Callable[[], bool]):
    """Stop the solver from a helper thread when the cancel flag goes up."""
    done = threading.Event()

    def run() -> None:
        while not done.wait(0.1):
            if is_cancelled():
                solver.stop_search()
                return

    thread = threading.Thread(target=run, name="bemanning-avbryt", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def make_solver(settings: Installningar, seconds: float, workers: int, seed: int,
                wall_limit: float | None = None):
    """A CP-SAT solver for `seconds`; with `deterministisk` the seconds are deterministic time
    (`det_rate` per second and worker, for at most the search's `workers`: CP-SAT sums the
    workers' deterministic time, and more workers than cores share them) and the clock limit is
    `wall_limit` (else the seconds times `deterministisk_vakt`), several workers then
    interleaved (CP-SAT's deterministic parallel search: the same result whatever the load)."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    params = solver.parameters
    if settings.deterministisk:
        cores = max(1, min(workers, settings.workers))
        params.max_deterministic_time = max(0.01, seconds * settings.det_rate * cores)
        wall = seconds * settings.deterministisk_vakt if wall_limit is None else wall_limit
        params.max_time_in_seconds = max(0.05, wall)
        if workers > 1:
            params.interleave_search = True
            # a batch of one task per worker: with CP-SAT's default (three per worker) the
            # solve stopped at 1,7 times its limit on the whole model of Curtois 8 and 12
            # (5,1–5,2 for 3,0), at one per worker at 1,05–1,12 times
            params.interleave_batch_size = workers
    else:
        params.max_time_in_seconds = max(0.05, seconds)
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.log_to_stdout = False
    # Ctrl+C ska nå Python (kommandoraden avbryter med cancel och slutkod 130); CP-SAT:s egen
    # SIGINT-hanterare byter annars ut Pythons och kan krascha processen när den avslutas.
    params.catch_sigint_signal = False
    params.linearization_level = settings.linearisering
    if log.isEnabledFor(logging.DEBUG):
        params.log_search_progress = True
        solver.log_callback = lambda line: log.debug("cp-sat: %s", line)
    return solver
