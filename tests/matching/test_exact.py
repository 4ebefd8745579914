"""Standardmetoden är exakt när timtaket binder, och svaret säger vad som är bevisat."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from bemanning.cli.matchning import format_text
from bemanning.matching.engine import match
from bemanning.matching.solver import (
    Losning,
    MatchingProblem,
    components,
    prune_exchange,
    solve,
    solve_flow,
    weights,
)

from .cases import PER, lage, settings, upp


def _trap(rng: random.Random, n_parts: int, extra: int) -> MatchingProblem:
    """Delar utan gemensamma par. I varje del tar en person två uppdrag men har inte timmar för
    de två största besluten: flödet utan timtak ger henne båda, och bästa svaret är inte det
    lagade flödets (ett beslut till en annan person är bättre). Resten av delen är slumpad."""
    cov, forsenad, timmar, uppdrag, ktimmar, edges = [], [], [], [], [], []
    for _ in range(n_parts):
        b0, k0 = len(cov), len(uppdrag)
        for _ in range(3 + extra):
            cov.append(rng.randint(1000, 1400))
            forsenad.append(False)
            timmar.append(rng.choice((2, 3, 4, 6, 8)))
        timmar[b0], timmar[b0 + 1], timmar[b0 + 2] = 6, 6, 3
        for b in range(b0, b0 + 3):
            cov[b] += 4000  # väntat längre: flödet utan timtak täcker alltid de tre
        uppdrag += [2, 1] + [rng.randint(1, 3) for _ in range(extra // 2)]
        ktimmar += [10, 10] + [rng.choice((4, 6, 8, 10, 12)) for _ in range(extra // 2)]
        pairs = {(b0, k0), (b0 + 1, k0), (b0 + 2, k0), (b0 + 2, k0 + 1)}
        for b in range(b0 + 3, len(cov)):
            for k in range(k0, len(uppdrag)):
                if rng.random() < 0.5:
                    pairs.add((b, k))
        for b, k in sorted(pairs):
            if timmar[b] <= ktimmar[k]:
                edges.append((b, k, rng.randint(0, 100), 0))
    return MatchingProblem.build(cov, forsenad, timmar, uppdrag, ktimmar, edges)


def _violating_parts(p: MatchingProblem) -> int:
    relaxed = solve_flow(p, weights(p))
    assigned = np.flatnonzero(relaxed >= 0)
    hours = np.bincount(relaxed[assigned], weights=p.beslut_timmar[assigned], minlength=p.n_kandidat)
    labels = components(p)
    return len(set(labels[np.flatnonzero(hours > p.kandidat_timmar + 1e-6)].tolist()))


def test_default_equals_cpsat_optimum_when_hours_bind_in_several_parts():
    for seed in range(25):
        p = _trap(random.Random(seed), n_parts=3, extra=seed % 5)
        assert _violating_parts(p) >= 2, seed
        default = solve(p, metod="auto")
        reference = solve(p, metod="cpsat")
        assert reference.optimal
        assert default.optimal, seed
        assert default.status == "Bevisat bästa möjliga."
        assert default.mal == reference.mal, seed
        assert default.tackta == reference.tackta


@pytest.mark.parametrize("many_levels", [False, True])
def test_pruned_pairs_keep_the_optimum_on_random_instances(many_levels):
    # Många beslut per person och timnivå: rensningen tar bort par, men aldrig målet. Med
    # timmar på hundradelen blir nivåerna fler än 64 och bara lika långa beslut jämförs.
    for seed in range(15):
        rng = random.Random(100 + seed)
        n_b, n_k = 40 if not many_levels else 120, 4
        timmar = [rng.choice((2, 4, 6, 8)) if not many_levels else round(rng.uniform(1, 5), 2) for _ in range(n_b)]
        ktimmar = [rng.choice((6, 8, 10, 12)) for _ in range(n_k)]
        edges = [(b, k, rng.randint(0, 50), int(rng.random() < 0.05))
                 for b in range(n_b) for k in range(n_k) if rng.random() < 0.7 and timmar[b] <= ktimmar[k]]
        p = MatchingProblem.build([rng.randint(1000, 1100) for _ in range(n_b)], [False] * n_b, timmar,
                          [rng.randint(1, 3) for _ in range(n_k)], ktimmar, edges)
        assert prune_exchange(p, weights(p)).sum() < p.n_edges
        default = solve(p, metod="auto")
        reference = solve(p, metod="cpsat")
        assert default.optimal and reference.optimal
        assert default.mal == reference.mal, seed


def _hours_case():
    # U1 tar två uppdrag och har 10 timmar: A (6 h) och B (6 h) ryms inte båda. C (3 h) kan också
    # få U2, som bor för långt bort för A och B. Flödet utan timtak täcker alla tre; det går inte.
    lagen = [lage("A", dagar=100, timmar=6), lage("B", dagar=90, timmar=6), lage("C", dagar=80, timmar=3, x=35.0)]
    people = [upp("U1", max_uppdrag=2, timmar=10), upp("U2", x=70.0)]
    return lagen, people


def test_proven_result_says_so_in_swedish():
    lagen, people = _hours_case()
    result = match(lagen, people, [], PER, settings=settings())
    assert result.losning.optimal
    assert len(result.forslag) == 2
    text = "\n".join(format_text(result))
    assert "Bevisat bästa möjliga." in text
    stats = json.loads(json.dumps(result.to_json()))["statistik"]
    assert stats["bevisat"] is True
    assert stats["status"] == "Bevisat bästa möjliga."
    assert stats["gap"] == {"beslut": 0, "prioritet": 0}


def test_result_that_is_not_proven_shows_its_gap_in_swedish():
    # Utan CP-SAT (cpsat_max_par = 0) behålls det lagade flödet; flödet utan timtak täcker ett
    # beslut till, så det går inte att säga att svaret är bäst.
    lagen, people = _hours_case()
    result = match(lagen, people, [], PER, settings=settings(cpsat_max_par=0))
    losning = result.losning
    assert not losning.optimal
    assert losning.tackta == 2
    assert losning.gap_tackta == 1
    assert losning.status.startswith("Högst 1 beslut till kunde få en person")
    assert "inte bevisat bästa möjliga" in losning.status
    text = "\n".join(format_text(result))
    assert "Högst 1 beslut till kunde få en person" in text
    assert "Bevisat" not in text
    stats = result.to_json()["statistik"]
    assert stats["bevisat"] is False
    assert stats["gap"]["beslut"] == 1
    assert stats["status"] == losning.status


def _losning(**kw) -> Losning:
    base = dict(tilldelning=np.zeros(0, np.int64), metod="flöde (timtaket lagat)", optimal=False, sekunder=0.1,
                tackta=30, forsenade_tackta=30, tackning=369_742, passform=0, stabilitet=0)
    return Losning(**{**base, **kw})


def test_gap_text_uses_singular_and_plural_and_priority_points():
    assert _losning(grans_tackta=31, grans_tackning=369_742).status == (
        "Högst 1 beslut till kunde få en person; inte bevisat bästa möjliga.")
    assert _losning(grans_tackta=33, grans_tackning=381_289).status == (
        "Högst 3 beslut till kunde få var sin person (högst 11 547 prioritetspoäng till); "
        "inte bevisat bästa möjliga.")
    assert "Inte fler beslut kan få en person" in _losning(grans_tackta=30, grans_tackning=370_000).status
    assert "passformen är inte bevisat bäst" in _losning(grans_tackta=30, grans_tackning=369_742).status
    assert _losning(optimal=True, grans_tackta=40).status == "Bevisat bästa möjliga."
    # Den korta formen (Matchning-skärmens inforad)
    assert _losning(optimal=True).status_kort == "Bevisat bästa möjliga"
    assert _losning(grans_tackta=31, grans_tackning=369_742).status_kort == "Högst 1 beslut till kunde få en person"
    assert _losning(grans_tackta=32, grans_tackning=369_742).status_kort == "Högst 2 beslut till kunde få var sin person"
    assert _losning(grans_tackta=30, grans_tackning=370_000).status_kort == "Inte bevisat bästa möjliga"



def test_hint_that_reaches_the_coverage_bound_skips_to_fit_and_stays_optimal():
    from bemanning.matching.solver import evaluate, solve_cpsat

    for seed in range(5):
        p = _trap(random.Random(seed), n_parts=2, extra=3)
        reference = solve(p, metod="cpsat")
        # Ledtråden når täckningens gräns: täckningsnivån hoppas över, passformen löses och
        # bevisas ändå, och svaret är detsamma som utan ledtråd.
        assignment, optimal, bound = solve_cpsat(p, weights(p), hint=reference.tilldelning,
                                                 bound_cov=reference.tackning)
        assert optimal and bound == reference.tackning
        assert evaluate(p, assignment)["tackning"] == reference.tackning
        assert evaluate(p, assignment)["passform"] == reference.passform
