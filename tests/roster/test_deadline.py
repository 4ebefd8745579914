"""A short time limit is kept (issue 19): the construction stops asking CP-SAT for rows once its
deadline has passed and copies rows already placed that keep the person's own rules, so a
complete roster that passes the checker comes back anyway. Calls are counted, never timed."""

from __future__ import annotations

import time

import attrs

from bemanning.roster import checker
from bemanning.roster import construct as construction
from bemanning.roster.construct import construct
from bemanning.roster.cpsat import Installningar
from bemanning.roster.model import build
from bemanning.roster.problem import Behov, Franvaro
from bemanning.roster.solver import solve
from tests.roster.conftest import person
from tests.roster.test_large import _cost
from tests.roster.test_neighbourhood import long_problem


def _staff_problem():
    """Ten people on the two units over six weeks: alike enough to copy rows between them, with
    an absence, a new employee where an introduced colleague must work alongside, and a hard
    minimum staffing on the evenings."""
    prob = long_problem()
    target = prob.personal[0].mal_minuter
    people = [person(f"P{i}", mal_minuter=target) for i in range(8)]
    people.append(person("NY", mal_minuter=target, introducerad=False))
    people.append(person("V2", enhet="V", mal_minuter=target))
    behov = [Behov(d, "U/D", 3) for d in range(prob.dagar)]
    behov += [Behov(d, "U/K", 3, minst=1) for d in range(prob.dagar)]
    behov += [Behov(d, "V/D", 1) for d in range(prob.dagar)]
    units = tuple(attrs.evolve(e, kraver_introducerad=True) if e.enhet_id == "U" else e
                  for e in prob.enheter)
    return attrs.evolve(prob, personal=(*prob.personal[:4], *people), behov=tuple(behov),
                        enheter=units, franvaro=(Franvaro("P3", 9), Franvaro("P3", 10)))


def _counting(monkeypatch) -> list[int]:
    real, calls = construction._solve_row, []

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(construction, "_solve_row", counted)
    return calls


def test_before_the_deadline_every_row_is_solved_by_cp_sat(monkeypatch):
    prob = _staff_problem()
    calls = _counting(monkeypatch)
    roster = construct(prob, workers=2, deadline=time.monotonic() + 3600)
    assert len(calls) == len(prob.personal)
    assert checker.check(prob, roster) == []


def test_past_the_deadline_rows_are_copied_and_the_roster_is_complete_and_keeps_every_rule(
        monkeypatch):
    prob = _staff_problem()
    calls = _counting(monkeypatch)
    roster = construct(prob, workers=2, deadline=time.monotonic() - 1)
    # CP-SAT only for the people no row placed before them fits (the first one, the other
    # unit's, ...), not one call per person
    assert 0 < len(calls) <= len(prob.personal) // 3
    assert checker.check(prob, roster) == []
    worked = {t.person_id for t in roster.tilldelningar}
    assert worked == {p.person_id for p in prob.personal}  # every row is there
    assert _cost(build(prob), roster) is not None  # the full model takes it as its start
    # the same roster every time
    assert construct(prob, workers=2, deadline=time.monotonic() - 1) == roster


def test_a_solve_with_a_limit_already_past_still_returns_a_checked_roster(monkeypatch):
    prob = _staff_problem()
    calls = _counting(monkeypatch)
    result = solve(prob, Installningar(time_limit_s=0.0, workers=2, seed=1))
    assert result.ok
    assert checker.check(prob, result.schema) == []
    assert len(calls) <= len(prob.personal) // 3
    assert result.iterationer == 0  # no neighbourhood search set up without time for it
