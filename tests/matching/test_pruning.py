"""Rensningen med numpy ger samma par och samma passform som kraven och önskemålen par för par."""

from __future__ import annotations

import random

from bemanning.matching.arende import build_queue
from bemanning.matching.candidates import build_kandidater
from bemanning.matching.engine import build_problem, fit_scale
from bemanning.matching.preferences import fit
from bemanning.matching.requirements import Context, feasible
from bemanning.model.insats import default_katalog
from bemanning.model.resurser import Vetting
from bemanning.model.tremanadersregeln import Regel

from .cases import PER, lage, pers, settings, upp

SPRAK = ("finska", "arabiska", "somaliska")
TIDER = ("vardag", "kvall", "helg")
INTRESSEN = ("djur", "fiske", "musik", "spel", "teater")


def _some(rng: random.Random, items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(items, rng.randint(0, len(items)))))


def _instance(seed: int):
    rng = random.Random(seed)
    lagen = []
    for i in range(40):
        sprak = rng.choice((None, *SPRAK))
        lagen.append(lage(
            f"B{i:02d}", dagar=rng.randint(0, 400), x=rng.uniform(0, 30), y=rng.uniform(0, 30),
            fodelsear=rng.randint(1940, 2015), timmar=float(rng.choice((4, 8, 12))),
            kon=rng.choice((None, "K", "M")), kon_krav=rng.random() < 0.3, sprak=sprak,
            sprak_krav=sprak is not None and rng.random() < 0.5, tider=_some(rng, TIDER),
            intressen=_some(rng, INTRESSEN), max_avstand_km=rng.choice((None, 5.0, 10.0, 20.0)),
            sarskilda_behov=("autism",) if rng.random() < 0.2 else (),
            undantagna=(f"U{rng.randint(0, 59):02d}",) if rng.random() < 0.2 else (),
        ))
    people = []
    for j in range(60):
        common = dict(
            x=rng.uniform(0, 30), y=rng.uniform(0, 30), kon=rng.choice(("K", "M")),
            sprak=_some(rng, SPRAK)[:1], tider=_some(rng, TIDER), intressen=_some(rng, INTRESSEN),
            erfarenheter=("autism",) if rng.random() < 0.3 else (),
            max_avstand_km=rng.choice((None, 8.0, 15.0)), alder_min=rng.choice((None, 18, 30)),
            alder_max=rng.choice((None, 60, 80)),
        )
        if rng.random() < 0.8:
            people.append(upp(f"U{j:02d}", fodelsear=rng.randint(1950, 2004), max_uppdrag=rng.randint(1, 3),
                              timmar=float(rng.choice((4, 8, 16))),
                              status=Vetting.GODKAND if rng.random() < 0.9 else Vetting.REFERENSER, **common))
        else:
            people.append(pers(f"P{j:02d}", timmar=float(rng.choice((8, 16))), kan=rng.random() < 0.8, **common))
    return lagen, [p for p in people if hasattr(p, "uppdragstagare_id")], [p for p in people if hasattr(p, "personal_id")]


def test_vectorised_pruning_and_fit_match_the_pair_by_pair_rules():
    s = settings()
    ctx = Context(s.standard_max_avstand_km)
    scale = fit_scale(s)
    total = 0
    for seed in range(5):
        lagen, uppdrag, personal = _instance(seed)
        ko = build_queue(lagen, s, Regel(), default_katalog())
        kandidater = build_kandidater(uppdrag, personal, PER, belastning=ko.belastning)
        arenden = list(ko.arenden)
        problem, fitting = build_problem(arenden, kandidater, s, PER)
        expected_edges = []
        for b, a in enumerate(arenden):
            ok = [k for k, kand in enumerate(kandidater)
                  if kand.hinder is None and kand.uppdrag_kvar >= 1 and feasible(a, kand, ctx)]
            assert fitting[b] == ok
            expected_edges += [(b, k, round(fit(a, kandidater[k], s, PER) * scale)) for k in ok]
        got = list(zip(problem.edge_b.tolist(), problem.edge_k.tolist(), problem.fit.tolist(), strict=True))
        assert got == expected_edges
        total += len(got)
    assert total > 100  # fallen är inte tomma
