"""Benchmark för matchningen (issue 4). Inte ett test: kör för hand och för in siffrorna i RESULTS.md.

    .venv/bin/python bench/matching.py                  # 50×200, 500×2 000, 5 000×20 000
    .venv/bin/python bench/matching.py --storlekar 50x200 500x2000

Genererade köer (beslut × personer) med fast frö: personerna bor i ett område som växer med
antalet (samma täthet, 0,25 personer per km²), beslutet och personen har var sin gräns för
avstånd, och kön, språk, tider, ålder, särskilda behov, godkännande och registerutdrag varierar.
Personerna tar 1–3 uppdrag och har ett timtak; besluten är 4–12 timmar i månaden.

För varje storlek mäts hela modellen (kapacitet i uppdrag och timmar, prioritet efter väntetid):
att bygga kön och kandidaterna, rensningen (kraven) med passformen, lösaren och förklaringarna.
Sedan samma instans som ren tilldelning (alla tar ett uppdrag): lösarens mål jämförs med
`scipy.optimize.linear_sum_assignment` på den täta värdematrisen (0 för otillåtna par), och
tiderna ställs mot varandra.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta

import attrs
import numpy as np

from bemanning.matching.arende import build_queue
from bemanning.matching.candidates import build_kandidater
from bemanning.matching.engine import build_problem, match
from bemanning.matching.settings import Settings
from bemanning.matching.solver import evaluate, solve, solve_flow, weights
from bemanning.model.beslut import Beslut, Onskemal
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.enskild import Enskild
from bemanning.model.insats import default_katalog
from bemanning.model.resurser import Personal, Uppdragstagare, Vetting
from bemanning.model.tremanadersregeln import Regel
from bemanning.model.values import Kon

PER = date(2026, 6, 1)
DENSITY = 0.25  # personer per km²
INTRESSEN = ("djur", "fiske", "musik", "spel", "friluftsliv", "matlagning", "teater", "bibliotek", "fotboll", "konst")
SPRAK = ("finska", "arabiska", "somaliska", "persiska", "tigrinja")
TIDER = ("vardag", "kvall", "helg")
INSATSER = ("SoL – kontaktperson",) * 5 + ("LSS – kontaktperson",) * 3 + ("LSS – ledsagarservice", "LSS – avlösarservice")


def _sample(rng: random.Random, items: tuple[str, ...], low: int, high: int) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(items, rng.randint(low, high))))


def generate(n_beslut: int, n_personer: int, seed: int = 4, *, one_each: bool = False):
    rng = random.Random(seed)
    side = (n_personer / DENSITY) ** 0.5
    lagen = []
    for i in range(n_beslut):
        kon = rng.choice((Kon.K, Kon.M))
        wish_kon = rng.random() < 0.4
        sprak = rng.choice(SPRAK) if rng.random() < 0.08 else None
        born = rng.randint(1940, 2012)
        beslut = Beslut(
            beslut_id=f"B{i:05d}", person_id=f"E{i:05d}", insats=rng.choice(INSATSER),
            beslutsdatum=PER - timedelta(days=rng.randint(0, 500)),
            omfattning_timmar=float(rng.choice((4, 6, 8, 8, 10, 12))),
            onskemal=Onskemal(
                kon=rng.choice((Kon.K, Kon.M)) if wish_kon else None,
                kon_krav=wish_kon and rng.random() < 0.3,
                sprak=sprak, sprak_krav=sprak is not None and rng.random() < 0.5,
                intressen=_sample(rng, INTRESSEN, 0, 3),
                tider=_sample(rng, TIDER, 1, 3),
                max_avstand_km=rng.choice((None, 10.0, 15.0, 20.0)),
                sarskilda_behov=("autism",) if rng.random() < 0.05 else (),
            ),
        )
        enskild = Enskild(person_id=f"E{i:05d}", kon=kon, fodelsear=born,
                          x_km=rng.uniform(0, side), y_km=rng.uniform(0, side))
        lagen.append(BeslutLage(beslut=beslut, enskild=enskild, per=PER))
    upp, pers = [], []
    for j in range(n_personer):
        common = dict(
            kon=rng.choice((Kon.K, Kon.M)), fodelsear=rng.randint(1950, 2004),
            sprak=(rng.choice(SPRAK),) if rng.random() < 0.1 else (),
            intressen=_sample(rng, INTRESSEN, 1, 4),
            erfarenheter=("autism",) if rng.random() < 0.15 else (),
            x_km=rng.uniform(0, side), y_km=rng.uniform(0, side),
            tider=_sample(rng, TIDER, 1, 3),
            max_uppdrag=1 if one_each else rng.choice((1, 1, 2, 3)),
            alder_min=rng.choice((None, None, 18)), alder_max=rng.choice((None, None, 80)),
            max_avstand_km=rng.choice((10.0, 15.0, 20.0, 25.0)),
        )
        if rng.random() < 0.7:
            upp.append(Uppdragstagare(
                uppdragstagare_id=f"U{j:05d}", namn=f"U{j}", max_timmar_per_manad=float(rng.choice((8, 12, 16, 24))),
                status=Vetting.GODKAND if rng.random() < 0.8 else Vetting.REFERENSER,
                registerutdrag_datum=PER - timedelta(days=rng.randint(0, 500)), **common))
        else:
            pers.append(Personal(
                personal_id=f"P{j:05d}", namn=f"P{j}", enhet="HT", kan_kontaktperson=rng.random() < 0.6,
                resurstimmar_per_manad=float(rng.choice((8, 12, 16, 20))), **common))
    return lagen, upp, pers


def run_full(n_b: int, n_k: int, settings: Settings) -> dict:
    lagen, upp, pers = generate(n_b, n_k)
    t0 = time.perf_counter()
    ko = build_queue(lagen, settings, Regel(), default_katalog())
    kandidater = build_kandidater(upp, pers, PER, belastning=ko.belastning)
    t1 = time.perf_counter()
    problem, _ = build_problem(list(ko.arenden), kandidater, settings, PER)
    t2 = time.perf_counter()
    losning = solve(problem, metod=settings.metod, time_limit_s=settings.time_limit_s,
                    workers=settings.workers, seed=settings.seed, cpsat_max_par=settings.cpsat_max_par)
    t3 = time.perf_counter()
    explain_s = None
    if n_b <= 500:
        t4 = time.perf_counter()
        match(lagen, upp, pers, PER, settings=settings)
        explain_s = time.perf_counter() - t4
    return {
        "storlek": f"{n_b}×{n_k}", "par": problem.n_edges, "ko_s": t1 - t0, "rensning_s": t2 - t1,
        "losare_s": t3 - t2, "modell_s": t3 - t0, "metod": losning.metod, "optimal": losning.optimal,
        "tackta": losning.tackta, "forsenade_tackta": losning.forsenade_tackta, "mal": losning.mal,
        "ovre_grans": losning.ovre_grans, "status": losning.status,
        "hela_med_forklaringar_s": explain_s,
    }


def run_assignment(n_b: int, n_k: int, settings: Settings) -> dict:
    from scipy.optimize import linear_sum_assignment

    lagen, upp, pers = generate(n_b, n_k, one_each=True)
    ko = build_queue(lagen, settings, Regel(), default_katalog())
    kandidater = build_kandidater(upp, pers, PER, belastning=ko.belastning)
    problem, _ = build_problem(list(ko.arenden), kandidater, settings, PER)
    t0 = time.perf_counter()
    losning = solve(problem, metod="flode")
    flow_s = time.perf_counter() - t0
    w = weights(problem)
    t0 = time.perf_counter()
    ours = solve_flow(problem, w)
    flow_only_s = time.perf_counter() - t0
    ours_value = int(w.values[_edges(problem, ours)].sum())
    dense = np.zeros((problem.n_beslut, problem.n_kandidat), dtype=np.float64)
    dense[problem.edge_b, problem.edge_k] = w.values.astype(np.float64)
    t0 = time.perf_counter()
    rows, cols = linear_sum_assignment(dense, maximize=True)
    lsa_s = time.perf_counter() - t0
    exact = np.zeros((problem.n_beslut, problem.n_kandidat), dtype=bool)
    exact[problem.edge_b, problem.edge_k] = True
    keep = exact[rows, cols]
    lsa_assignment = np.full(problem.n_beslut, -1, dtype=np.int64)
    lsa_assignment[rows[keep]] = cols[keep]
    lsa_value = int(w.values[_edges(problem, lsa_assignment)].sum())
    return {
        "storlek": f"{n_b}×{n_k}", "par": problem.n_edges, "flode_s": flow_s, "flode_bara_losning_s": flow_only_s,
        "lsa_s": lsa_s, "kvot": flow_s / lsa_s, "samma_mal": ours_value == lsa_value,
        "mal_flode": ours_value, "mal_lsa": lsa_value, "tackta": losning.tackta,
        "lsa_delar": evaluate(problem, lsa_assignment),
    }


def _edges(problem, assignment: np.ndarray) -> np.ndarray:
    from bemanning.matching.solver import _edge_of

    e = _edge_of(problem, assignment)
    return e[e >= 0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--storlekar", nargs="*", default=["50x200", "500x2000", "5000x20000"])
    args = parser.parse_args(argv)
    settings = attrs.evolve(Settings(), time_limit_s=60.0)
    print(f"nproc={os.cpu_count()} python={sys.version.split()[0]}")
    for size in args.storlekar:
        n_b, n_k = (int(x) for x in size.lower().split("x"))
        full = run_full(n_b, n_k, settings)
        print("hela modellen ", {k: (round(v, 3) if isinstance(v, float) else v) for k, v in full.items()})
        pure = run_assignment(n_b, n_k, settings)
        print("ren tilldelning", {k: (round(v, 3) if isinstance(v, float) else v) for k, v in pure.items()})
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
