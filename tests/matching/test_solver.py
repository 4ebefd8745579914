"""Lösaren på små fall med känt bästa svar."""

from __future__ import annotations

import numpy as np
import pytest

from bemanning.matching.engine import match
from bemanning.matching.solver import MatchingProblem, evaluate

from .cases import PER, lage, settings, upp


def greedy(p: MatchingProblem) -> np.ndarray:
    """Bästa paret först (högst passform), så länge personen har plats."""
    order = sorted(range(p.n_edges), key=lambda e: (-(int(p.fit[e])), int(p.edge_b[e]), int(p.edge_k[e])))
    result = np.full(p.n_beslut, -1, dtype=np.int64)
    used = np.zeros(p.n_kandidat, dtype=np.int64)
    for e in order:
        b, k = int(p.edge_b[e]), int(p.edge_k[e])
        if result[b] < 0 and used[k] < p.kandidat_uppdrag[k]:
            result[b] = k
            used[k] += 1
    return result


def test_greedy_covers_fewer_than_the_optimum():
    # B1 passar både U1 (perfekt) och U2 (sämre); B2 passar bara U1. Girigt tar U1 till B1.
    lagen = [
        lage("B1", dagar=40, intressen=("fiske",), tider=("kvall",)),
        lage("B2", dagar=40, intressen=("fiske",), sarskilda_behov=("autism",)),
    ]
    people = [
        upp("U1", intressen=("fiske",), tider=("kvall",), erfarenheter=("autism",)),
        upp("U2", intressen=(), tider=("kvall",), x=10.0),
    ]
    result = match(lagen, people, [], PER, settings=settings())
    got = {f.beslut_id: f.kandidat.kandidat_id for f in result.forslag}
    assert got == {"B1": "U2", "B2": "U1"}
    from bemanning.matching.arende import build_queue
    from bemanning.matching.candidates import build_kandidater
    from bemanning.matching.engine import build_problem
    from bemanning.model.insats import default_katalog
    from bemanning.model.tremanadersregeln import Regel

    ko = build_queue(lagen, settings(), Regel(), default_katalog())
    kand = build_kandidater(people, [], PER)
    p, _ = build_problem(list(ko.arenden), kand, settings(), PER)
    assert evaluate(p, greedy(p))["tackta"] == 1
    assert result.losning.tackta == 2


def test_fit_gain_on_young_beslut_never_beats_covering_an_old_one():
    # En enda person. Det unga beslutet passar perfekt, det gamla (över tre månader) dåligt.
    lagen = [
        lage("UNG", dagar=10, intressen=("fiske", "musik"), tider=("kvall",), kon=None),
        lage("GAMMAL", dagar=200, intressen=("schack",), tider=("kvall", "helg"), x=25.0),
    ]
    people = [upp("U1", intressen=("fiske", "musik"), tider=("kvall",))]
    result = match(lagen, people, [], PER, settings=settings())
    assert [f.beslut_id for f in result.forslag] == ["GAMMAL"]
    assert result.utan_person[0].beslut_id == "UNG"
    assert result.utan_person[0].forklaring.kod == "upptagen"
    assert "GAMMAL (200 dagar)" in result.utan_person[0].forklaring.text
    assert "väntat längre" in result.utan_person[0].forklaring.text


def test_older_beslut_first_among_young_ones():
    lagen = [lage("A", dagar=20), lage("B", dagar=60)]
    result = match(lagen, [upp("U1")], [], PER, settings=settings())
    assert [f.beslut_id for f in result.forslag] == ["B"]


def test_overdue_beslut_outranks_two_young_ones_competing_for_its_people():
    # GAMMAL kan ta U1 eller U2; UNG1 bara U1, UNG2 bara U2: max antal = 2 på flera sätt.
    lagen = [
        lage("GAMMAL", dagar=120),
        lage("UNG1", dagar=5, kon=None, sprak="finska", sprak_krav=True),
        lage("UNG2", dagar=5, sprak="arabiska", sprak_krav=True),
    ]
    people = [upp("U1", sprak=("finska",)), upp("U2", sprak=("arabiska",))]
    result = match(lagen, people, [], PER, settings=settings())
    assert "GAMMAL" in {f.beslut_id for f in result.forslag}
    assert len(result.forslag) == 2


@pytest.mark.parametrize("metod", ["flode", "cpsat"])
def test_flow_and_cpsat_give_the_same_objective(metod):
    lagen = [lage(f"B{i}", dagar=10 * i, x=i * 3.0, intressen=("fiske",) if i % 2 else ("musik",),
                  tider=("kvall",) if i % 3 else ("helg",)) for i in range(1, 13)]
    people = [upp(f"U{j}", x=j * 4.0, intressen=("fiske", "musik")[j % 2:j % 2 + 1],
                  tider=("kvall", "helg") if j % 2 else ("kvall",), max_uppdrag=1 + j % 2, timmar=20)
              for j in range(1, 8)]
    ref = match(lagen, people, [], PER, settings=settings(metod="auto"))
    other = match(lagen, people, [], PER, settings=settings(metod=metod))
    assert other.losning.mal == ref.losning.mal


def test_hours_cap_is_respected_and_solved_exactly_with_cpsat():
    # U1 tar två uppdrag men bara 10 timmar: 8 + 8 ryms inte, 8 + 2 gör det.
    lagen = [lage("A", dagar=100, timmar=8), lage("B", dagar=90, timmar=8), lage("C", dagar=10, timmar=2)]
    people = [upp("U1", max_uppdrag=2, timmar=10)]
    result = match(lagen, people, [], PER, settings=settings())
    assert sorted(f.beslut_id for f in result.forslag) == ["A", "C"]
    assert result.losning.metod == "flöde + cpsat"
    assert result.losning.optimal


def test_same_input_gives_same_output():
    lagen = [lage(f"B{i}", dagar=30 + (i * 7) % 50, x=float(i % 5), intressen=("fiske",)) for i in range(20)]
    people = [upp(f"U{j}", x=float(j % 4), intressen=("fiske",) if j % 2 else ()) for j in range(12)]
    first = match(lagen, people, [], PER, settings=settings()).to_json()
    second = match(list(reversed(lagen)), list(reversed(people)), [], PER, settings=settings()).to_json()
    first["statistik"].pop("sekunder")
    second["statistik"].pop("sekunder")
    assert first == second


def test_stability_keeps_previous_proposal_on_ties():
    from bemanning.model.handelse import HandelseTyp

    from .cases import ev

    events = [ev("A", HandelseTyp.FORSLAG, PER, kandidat="U2", motivering="")]
    lagen = [lage("A", dagar=30, events=events)]
    people = [upp("U1"), upp("U2")]  # lika bra
    result = match(lagen, people, [], PER, settings=settings())
    assert result.forslag[0].kandidat.kandidat_id == "U2"
    assert result.forslag[0].samma_som_forut


def test_fast_fit_equals_the_explained_fit():
    import random

    from bemanning.matching.arende import build_queue
    from bemanning.matching.candidates import build_kandidater
    from bemanning.matching.preferences import evaluate, fit
    from bemanning.matching.requirements import Context, failures, feasible
    from bemanning.model.insats import default_katalog
    from bemanning.model.tremanadersregeln import Regel
    from bemanning.model.values import Kon

    rng = random.Random(3)
    lagen = [lage(f"B{i}", dagar=rng.randint(0, 300), x=rng.uniform(0, 30), fodelsear=rng.randint(1940, 2010),
                  intressen=tuple(rng.sample(["fiske", "musik", "djur"], rng.randint(0, 2))),
                  tider=tuple(rng.sample(["vardag", "kvall", "helg"], rng.randint(0, 2))),
                  kon=rng.choice([None, Kon.K, Kon.M]), sprak=rng.choice([None, "finska"]),
                  max_avstand_km=rng.choice([None, 10.0])) for i in range(30)]
    people = [upp(f"U{j}", x=rng.uniform(0, 30), kon=rng.choice("KM"), intressen=("fiske",) if j % 2 else ("djur",),
                  tider=("kvall",) if j % 3 else ("vardag", "helg"), sprak=("finska",) if j % 4 == 0 else (),
                  max_avstand_km=rng.choice([None, 15.0]), alder_max=rng.choice([None, 70]))
              for j in range(30)]
    s = settings()
    ko = build_queue(lagen, s, Regel(), default_katalog())
    ks = build_kandidater(people, [], PER)
    ctx = Context(s.standard_max_avstand_km)
    for a in ko.arenden:
        for k in ks:
            assert abs(fit(a, k, s, PER) - sum(i.bidrag for i in evaluate(a, k, s, PER))) < 1e-9
            assert feasible(a, k, ctx) == (not failures(a, k, ctx))


def test_without_gc_satter_pa_skrapsamlingen_igen_ocksa_efter_ett_fel():
    """Matchningen stänger av skräpsamlingen medan den körs; gränssnittet som matchar i samma process
    ska ha den på igen efteråt, också när matchningen avbryts med ett fel."""
    import gc

    import pytest

    from bemanning.matching.engine import without_gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with without_gc():
            assert not gc.isenabled()
            raise RuntimeError("avbruten")
    assert gc.isenabled()
    gc.disable()
    try:
        with without_gc():
            pass
        assert not gc.isenabled()  # var den av förut är den av efteråt
    finally:
        gc.enable()


@pytest.mark.parametrize("seed", range(6))
def test_edges_per_person_best_first_is_the_three_key_sort_also_when_the_key_does_not_fit(seed):
    """Kanternas ordning i `prune_exchange` (en sortering på en packad nyckel) är densamma som tre
    stabila sorteringar (person, värdet nedåt, beslut), också med lika värden, och när värdena är
    för stora för att packas."""
    from types import SimpleNamespace

    from bemanning.matching.solver import _by_person_best_first

    rng = np.random.default_rng(seed)
    n_beslut, n_kandidat = int(rng.integers(1, 300)), int(rng.integers(1, 40))
    pairs = rng.choice(n_beslut * n_kandidat, size=min(500, n_beslut * n_kandidat), replace=False)
    edge_b, edge_k = pairs // n_kandidat, pairs % n_kandidat
    q = SimpleNamespace(n_beslut=n_beslut, n_kandidat=n_kandidat, edge_b=edge_b, edge_k=edge_k)
    for max_value in (5, 10**6, 2**60):
        values = rng.integers(0, max_value + 1, size=len(pairs))
        expected = np.lexsort((edge_b, -values, edge_k))
        assert np.array_equal(_by_person_best_first(q, values, max_value), expected)


def _prune_counting_every_edge(p, w):
    """`prune_exchange` som den var före issue 15 (matcha7): för varje timnivå räknas alla kanter
    om, inte bara de hos personer vars timtak kan binda. Facit för provet nedan."""
    from bemanning.matching.solver import (
        _by_person_best_first,
        _present,
        _unique,
        count_caps,
        hours_can_bind,
        restrict,
    )

    keep = np.zeros(p.n_edges, dtype=bool)
    caps = count_caps(p)
    used = np.flatnonzero((caps[p.edge_k] > 0) & (p.beslut_timmar[p.edge_b] <= p.kandidat_timmar[p.edge_k]))
    if not len(used):
        return keep
    q = restrict(p, used)
    m = int(min(caps[_present(q.edge_k, q.n_kandidat)].sum(), _present(q.edge_b, q.n_beslut).size))
    order = _by_person_best_first(q, w.values[used], w.max_value)
    ks = q.edge_k[order]
    hs = q.beslut_timmar[q.edge_b[order]]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(ks)]))
    better = np.arange(len(ks)) - group_start
    binding = hours_can_bind(q)[ks]
    for h in _unique(hs[binding]).tolist():
        shorter = (hs <= h).astype(np.int64)
        cumulative = np.cumsum(shorter)
        before = cumulative - shorter - np.r_[0, cumulative][group_start]
        here = binding & (hs == h)
        better[here] = before[here]
    keep[used[order[better < m]]] = True
    return keep


@pytest.mark.parametrize("seed", range(4))
def test_pruning_counts_only_edges_where_hours_can_bind_and_keeps_the_same_edges(seed):
    """`prune_exchange` räknar om bara kanterna hos personer vars timtak kan binda, och `weights`
    tar bästa passformen per beslut med `reduceat`: samma kanter kvar och samma vikter som när
    varje kant räknas (`np.maximum.at`), på slumpade problem med timtak som binder och utan."""
    from bemanning.matching.solver import _max_per_beslut, hours_can_bind, prune_exchange, weights

    rng = np.random.default_rng(seed)
    binding = 0
    for _ in range(300):
        n, m = int(rng.integers(1, 60)), int(rng.integers(1, 12))
        pairs = sorted({(int(rng.integers(0, n)), int(rng.integers(0, m)))
                        for _ in range(int(rng.integers(1, n * m + 1)))})
        edge_b = np.array([b for b, _ in pairs], dtype=np.int64)
        edge_k = np.array([k for _, k in pairs], dtype=np.int64)
        fit = rng.integers(0, 4, len(pairs))
        p = MatchingProblem.from_arrays(
            rng.integers(1, 4, n), rng.random(n) < 0.3, rng.integers(1, 6, n).astype(float),
            rng.integers(0, 5, m), rng.integers(2, 14, m).astype(float),
            edge_b, edge_k, fit, (rng.random(len(pairs)) < 0.1).astype(np.int64))
        w = weights(p)
        binding += bool(hours_can_bind(p).any())
        assert np.array_equal(prune_exchange(p, w), _prune_counting_every_edge(p, w))
        for b, k in ((edge_b, fit), (edge_b[::-1], fit[::-1])):  # i beslutsordning och inte
            best = rng.integers(-2, 3, n)  # också med värden i förväg
            expected = best.copy()
            _max_per_beslut(best, b, k)
            np.maximum.at(expected, b, k)
            assert np.array_equal(best, expected)
    assert binding > 50
