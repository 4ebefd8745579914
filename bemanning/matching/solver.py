"""Lösaren: vilka par som ska föreslås, med målet i strikt ordning.

1. Täckning: varje beslut som får en person ger sitt täckningsvärde (bas + väntedagar +
   bonus efter tre månader, se `data/matchning.toml`).
2. Passform: summan av önskemålens poäng för de valda paren.
3. Stabilitet: ett poäng för varje beslut som får samma person som i senaste förslaget.

Den strikta ordningen blir ett enda heltalsmål: varje nivå multipliceras med ett tal större
än allt som nivåerna under kan ge tillsammans. Talen räknas fram för varje problem; skulle
de inte rymmas i 64 bitar grovkornas passformen (och det loggas).

Problemet är en tilldelning med kapacitet (en person kan ta `uppdrag_kvar` beslut och har ett
timtak). Först rensas par som inget optimum behöver (`prune_exchange`, ett utbytesargument).
Utan timtak är det ett minkostnadsflöde, som löses exakt och snabbt med OR-Tools
`SimpleMinCostFlow`; flödet utan timtak är också en övre gräns för målet. Kan timtaket binda och
flödets svar bryter det, lagas svaret (`repair_flow`, `solve_slots`); når det lagade svaret den
övre gränsen är det optimalt. Annars löser CP-SAT exakt, nivå för nivå, de sammanhängande delar
där flödet bryter timtaket (i de andra delarna är flödets svar redan bäst), med det lagade svaret
som ledtråd och flödets täckning som gräns. Svaret säger alltid vad som är bevisat
(`Losning.status`), eller hur långt från bästa möjliga det högst kan vara.
Samma indata ger samma svar: kanterna är sorterade, och CP-SAT har fast frö och (som standard)
en tråd.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from bemanning.errors import Cancelled

log = logging.getLogger("bemanning.matching")

LIMIT = 2**62
HOURS_SCALE = 100  # timmar lagras som hundradelar i heltalsmodellen

Progress = Callable[[str, float | None], None]
Cancel = Callable[[], bool]


@attrs.frozen
class MatchingProblem:
    """Ett matchningsproblem som tal: beslut 0..n-1, kandidater 0..m-1, tillåtna par som kanter."""

    cov: np.ndarray  # int64 per beslut: täckningsvärdet
    forsenad: np.ndarray  # bool per beslut
    beslut_timmar: np.ndarray  # int64 per beslut (hundradels timmar)
    kandidat_uppdrag: np.ndarray  # int64 per kandidat
    kandidat_timmar: np.ndarray  # int64 per kandidat (hundradels timmar)
    edge_b: np.ndarray  # int64 per kant, sorterade på (beslut, kandidat)
    edge_k: np.ndarray
    fit: np.ndarray  # int64 per kant: passform 0..F
    stab: np.ndarray  # int64 per kant: 1 om det är beslutets tidigare kandidat

    @property
    def n_beslut(self) -> int:
        return len(self.cov)

    @property
    def n_kandidat(self) -> int:
        return len(self.kandidat_uppdrag)

    @property
    def n_edges(self) -> int:
        return len(self.edge_b)

    @classmethod
    def build(
        cls,
        cov: list[int],
        forsenad: list[bool],
        beslut_timmar: list[float],
        kandidat_uppdrag: list[int],
        kandidat_timmar: list[float],
        edges: list[tuple[int, int, int, int]],  # (beslut, kandidat, passform, stabilitet)
    ) -> MatchingProblem:
        edges = sorted(edges)
        arr = np.array(edges, dtype=np.int64).reshape(-1, 4)
        return cls.from_arrays(cov, forsenad, beslut_timmar, kandidat_uppdrag, kandidat_timmar,
                               arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].copy(), arr[:, 3].copy())

    @classmethod
    def from_arrays(
        cls,
        cov: list[int],
        forsenad: list[bool],
        beslut_timmar: list[float],
        kandidat_uppdrag: list[int],
        kandidat_timmar: list[float],
        edge_b: np.ndarray,
        edge_k: np.ndarray,
        fit: np.ndarray,
        stab: np.ndarray,
    ) -> MatchingProblem:
        """Som `build`, med kanterna som kolumner; de sorteras på (beslut, kandidat) om de inte redan är det."""
        edge_b, edge_k = np.asarray(edge_b, dtype=np.int64), np.asarray(edge_k, dtype=np.int64)
        fit, stab = np.asarray(fit, dtype=np.int64), np.asarray(stab, dtype=np.int64)
        if len(edge_b) > 1:
            key = edge_b * (len(kandidat_uppdrag) + 1) + edge_k
            if np.any(key[1:] < key[:-1]):
                order = np.argsort(key, kind="stable")
                edge_b, edge_k, fit, stab = edge_b[order], edge_k[order], fit[order], stab[order]
        return cls(
            cov=np.asarray(cov, dtype=np.int64),
            forsenad=np.asarray(forsenad, dtype=bool),
            beslut_timmar=np.ceil(np.asarray(beslut_timmar, dtype=float) * HOURS_SCALE - 1e-6).astype(np.int64),
            kandidat_uppdrag=np.asarray(kandidat_uppdrag, dtype=np.int64),
            kandidat_timmar=np.floor(np.asarray(kandidat_timmar, dtype=float) * HOURS_SCALE + 1e-6).astype(np.int64),
            edge_b=edge_b,
            edge_k=edge_k,
            fit=fit,
            stab=stab,
        )


def _tal(n: int) -> str:
    """Heltal med mellanslag som tusentalsavgränsare (svenskt)."""
    return f"{n:,}".replace(",", " ")


@attrs.frozen
class Losning:
    tilldelning: np.ndarray  # kandidatindex per beslut, -1 = ingen
    metod: str  # "flöde", "flöde (timtaket höll)", "flöde (timtaket lagat)", "flöde + cpsat" eller "cpsat"
    optimal: bool
    sekunder: float
    tackta: int
    forsenade_tackta: int
    tackning: int
    passform: int
    stabilitet: int
    passform_delare: int = 1  # >1 om passformen grovkornats för att rymmas i 64 bitar
    ovre_grans: tuple[int, int, int] | None = None  # flödet utan timtak: (täckning, passform, stabilitet)
    bevis: str = ""  # varför svaret är bevisat bäst (tom om det inte är bevisat)
    grans_tackta: int | None = None  # högst så många beslut kan få en person (när inte bevisat)
    grans_tackning: int | None = None  # högst så stor täckning (prioritet) kan nås (när inte bevisat)

    @property
    def mal(self) -> tuple[int, int, int]:
        """Målet i prioritetsordning (täckning, passform, stabilitet): större är bättre."""
        return (self.tackning, self.passform, self.stabilitet)

    @property
    def gap_tackta(self) -> int:
        """Högst så många beslut till kunde få en person (0 när det är bevisat)."""
        if self.optimal or self.grans_tackta is None:
            return 0
        return max(0, self.grans_tackta - self.tackta)

    @property
    def gap_tackning(self) -> int:
        """Högst så mycket större täckning (viktad prioritet) kunde nås (0 när det är bevisat)."""
        if self.optimal or self.grans_tackning is None:
            return 0
        return max(0, self.grans_tackning - self.tackning)

    @property
    def status(self) -> str:
        """Vad som är bevisat, på svenska, för skärmen och kommandoraden."""
        if self.optimal:
            return "Bevisat bästa möjliga."
        n, prio = self.gap_tackta, self.gap_tackning
        if n > 0:
            text = f"Högst {n} beslut till kunde få {'en person' if n == 1 else 'var sin person'}"
            if prio > 0:
                text += f" (högst {_tal(prio)} prioritetspoäng till)"
            return text + "; inte bevisat bästa möjliga."
        if prio > 0:
            return (f"Inte fler beslut kan få en person, men ett annat urval kunde ge högst {_tal(prio)} "
                    "prioritetspoäng till; inte bevisat bästa möjliga.")
        return ("Vilka beslut som får en person är bevisat bästa möjliga; passformen är inte bevisat "
                "bäst.")

    @property
    def status_kort(self) -> str:
        """Statusen i några ord (för en rad på skärmen; hela texten i `status`)."""
        if self.optimal:
            return "Bevisat bästa möjliga"
        n = self.gap_tackta
        if n > 0:
            return f"Högst {n} beslut till kunde få {'en person' if n == 1 else 'var sin person'}"
        return "Inte bevisat bästa möjliga"

    def summary(self) -> dict[str, Any]:
        return {
            "metod": self.metod,
            "optimal": self.optimal,
            "bevisat": self.optimal,
            "status": self.status,
            "bevis": self.bevis,
            "gap": {"beslut": self.gap_tackta, "prioritet": self.gap_tackning},
            "sekunder": round(self.sekunder, 3),
            "tackta": self.tackta,
            "forsenade_tackta": self.forsenade_tackta,
            "tackning": self.tackning,
            "passform": self.passform,
            "stabilitet": self.stabilitet,
            "ovre_grans": list(self.ovre_grans) if self.ovre_grans else None,
        }


def _unique(values: np.ndarray) -> np.ndarray:
    """`np.unique` för en vektor: samma sorterade värden, utan att `numpy.ma` läses in (det gör
    `np.unique` första gången, 10 ms i varje `matcha`)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def _present(indices: np.ndarray, n: int) -> np.ndarray:
    """`np.unique` för index i 0..n-1 (beslut eller kandidater), utan att sortera."""
    return np.flatnonzero(np.bincount(indices, minlength=n)).astype(indices.dtype, copy=False)


@attrs.frozen
class Weights:
    """Talen som gör målets nivåer strikta: värde = täckning·r_cov + passform·r_fit + stabilitet."""

    r_cov: int
    r_fit: int
    fit_div: int
    values: np.ndarray  # int64 per kant
    max_value: int


def _max_per_beslut(best: np.ndarray, edge_b: np.ndarray, values: np.ndarray) -> None:
    """`np.maximum.at(best, edge_b, values)`: med kanterna i beslutsordning (som i `MatchingProblem`)
    räcker en `reduceat` per följd av samma beslut (ufunc.at går element för element)."""
    if not len(edge_b):
        return
    if np.any(edge_b[1:] < edge_b[:-1]):
        np.maximum.at(best, edge_b, values)
        return
    starts = np.flatnonzero(np.r_[True, edge_b[1:] != edge_b[:-1]])
    owners = edge_b[starts]
    best[owners] = np.maximum(best[owners], np.maximum.reduceat(values, starts))


def weights(p: MatchingProblem, *, nodes: int | None = None) -> Weights:
    """Räkna fram nivåernas multiplikatorer; grovkorna passformen om talen inte ryms."""
    n_nodes = nodes if nodes is not None else p.n_beslut + p.n_kandidat + 2
    n_stab = int(_unique(p.edge_b[p.stab > 0]).size)
    fit_div = 1
    while True:
        fitq = p.fit // fit_div
        r_fit = n_stab + 1
        best = np.zeros(p.n_beslut, dtype=np.int64)
        if p.n_edges:
            _max_per_beslut(best, p.edge_b, fitq)
        r_cov = int(best.sum()) * r_fit + n_stab + 1
        max_cov = int(p.cov.max()) if p.n_beslut else 0
        max_value = max_cov * r_cov + int(fitq.max() if p.n_edges else 0) * r_fit + 1
        total = int(p.cov.sum()) * r_cov + r_cov
        if max_value * (n_nodes + 1) < LIMIT and total < LIMIT:
            break
        if fit_div > 2**40:
            raise ValueError("täckningsvärdena är för stora för heltalsmodellen")
        fit_div *= 2
    if fit_div > 1:
        log.warning("passformen grovkornad (delare %d) för att målet ska rymmas i 64 bitar", fit_div)
    values = p.cov[p.edge_b] * r_cov + fitq * r_fit + p.stab
    return Weights(r_cov=r_cov, r_fit=r_fit, fit_div=fit_div, values=values, max_value=max_value)


def _edge_of(p: MatchingProblem, assignment: np.ndarray) -> np.ndarray:
    """Kantindex för varje tilldelat beslut (-1 annars)."""
    result = np.full(p.n_beslut, -1, dtype=np.int64)
    if not p.n_edges:
        return result
    keys = p.edge_b * (p.n_kandidat + 1) + p.edge_k
    assigned = np.nonzero(assignment >= 0)[0]
    wanted = assigned * (p.n_kandidat + 1) + assignment[assigned]
    pos = np.searchsorted(keys, wanted)
    if len(pos) and (np.any(pos >= len(keys)) or np.any(keys[np.minimum(pos, len(keys) - 1)] != wanted)):
        raise ValueError("tilldelningen använder ett par som inte är tillåtet")
    result[assigned] = pos
    return result


def evaluate(p: MatchingProblem, assignment: np.ndarray, *, check: bool = True) -> dict[str, int]:
    """Målets delar för en tilldelning (kontrollerar också att den håller alla gränser)."""
    edges = _edge_of(p, assignment)
    chosen = edges[edges >= 0]
    b = p.edge_b[chosen]
    k = p.edge_k[chosen]
    counts = np.bincount(k, minlength=p.n_kandidat)
    hours = np.bincount(k, weights=p.beslut_timmar[b], minlength=p.n_kandidat)
    if check and (np.any(counts > p.kandidat_uppdrag) or np.any(hours > p.kandidat_timmar + 1e-6)):
        raise ValueError("tilldelningen överskrider någons kapacitet")
    return {
        "tackta": int(len(chosen)),
        "forsenade_tackta": int(p.forsenad[b].sum()),
        "tackning": int(p.cov[b].sum()),
        "passform": int(p.fit[chosen].sum()),
        "stabilitet": int(p.stab[chosen].sum()),
    }


def hours_can_bind(p: MatchingProblem) -> np.ndarray:
    """Kandidater vars timtak kan binda: de största besluten de passar ryms inte, så många som
    personen kan ta (`count_caps`: högst `uppdrag_kvar`, och högst så många som ryms av de minsta)."""
    binding = np.zeros(p.n_kandidat, dtype=bool)
    if not p.n_edges:
        return binding
    caps = count_caps(p)  # så många av de minsta besluten ryms; fler kan personen aldrig ta
    multi = caps[p.edge_k] >= 2
    if not multi.any():
        return binding  # med ett uppdrag var räcker kravet att beslutets timmar ryms
    ks = p.edge_k[multi]
    hs = p.beslut_timmar[p.edge_b[multi]]
    order = np.lexsort((-hs, ks))
    ks, hs = ks[order], hs[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    rank = np.arange(len(ks)) - np.repeat(starts, np.diff(np.r_[starts, len(ks)]))
    top = rank < caps[ks]
    sums = np.bincount(ks[top], weights=hs[top], minlength=p.n_kandidat)
    binding = sums > p.kandidat_timmar + 1e-6
    return binding


def count_caps(p: MatchingProblem) -> np.ndarray:
    """Uppdrag per person i flödet: `uppdrag_kvar`, men högst så många av de minsta beslut personen
    passar som ryms i timtaket. Skärper flödet utan att utesluta någon tillåten lösning."""
    caps = p.kandidat_uppdrag.copy()
    if not p.n_edges:
        return caps
    multi = p.kandidat_uppdrag[p.edge_k] >= 2
    if not multi.any():
        return caps
    ks = p.edge_k[multi]
    hs = p.beslut_timmar[p.edge_b[multi]]
    order = np.lexsort((hs, ks))
    ks, hs = ks[order], hs[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(ks)]))
    cumulative = np.cumsum(hs)
    within = cumulative - np.r_[0, cumulative][group_start]
    fits = within <= p.kandidat_timmar[ks]
    fitting = np.bincount(ks[fits], minlength=p.n_kandidat)
    touched = _present(ks, p.n_kandidat)
    caps[touched] = np.minimum(caps[touched], fitting[touched])
    return caps


def restrict(p: MatchingProblem, keep: np.ndarray) -> MatchingProblem:
    """Samma beslut och kandidater, bara kanterna i `keep` (ordningen behålls)."""
    return attrs.evolve(p, edge_b=p.edge_b[keep], edge_k=p.edge_k[keep], fit=p.fit[keep], stab=p.stab[keep])


def _by_person_best_first(q: MatchingProblem, values: np.ndarray, max_value: int) -> np.ndarray:
    """Kanternas ordning per person, bäst först (högst värde, vid lika lägst beslut): samma som
    `np.lexsort((edge_b, -values, edge_k))`. Paret (beslut, person) finns en gång, så nyckeln är unik
    och ordningen densamma vilken sortering som än används; ryms hela nyckeln i ett heltal (person,
    värdet räknat nedåt, beslut) räcker en sortering i stället för tre stabila (0,05 → 0,01 s på
    410 000 kanter)."""
    span = int(max_value) + 1
    if values.size and (int(values.min()) < 0 or int(values.max()) > int(max_value)):
        span = 0  # värden utanför det kända spannet: som förut
    if span and q.n_kandidat * span * max(1, q.n_beslut) < 2**62:
        key = (q.edge_k * span + (int(max_value) - values)) * q.n_beslut + q.edge_b
        return np.argsort(key)
    return np.lexsort((q.edge_b, -values, q.edge_k))


def prune_exchange(p: MatchingProblem, w: Weights) -> np.ndarray:
    """Kanter som kan vara med i ett optimum (mask), enligt ett utbytesargument.

    Inget svar täcker fler än M beslut (M = summan av `count_caps`, högst antalet beslut med
    par). Ta en person k och ett beslut b som k får i ett optimum, och anta att k har minst M
    andra beslut som inte tar fler timmar än b och är minst lika bra för k (värdet, vid lika:
    lägre index). Högst M − 1 av dem har en person, så något av dem, b', står utan; byt b mot b'
    hos k: lika många uppdrag, inte fler timmar, målet minst lika stort. Alltså finns ett optimum
    som bara använder kanter (b, k) där färre än M sådana b' finns. Binder personens timtak aldrig
    (`hours_can_bind`) ryms varje byte, och då räknas alla bättre beslut. Gäller lika för flödet
    utan timtak, så dess gräns ändras inte. Par där beslutet ensamt inte ryms i timtaket tas bort."""
    keep = np.zeros(p.n_edges, dtype=bool)
    if not p.n_edges:
        return keep
    caps = count_caps(p)
    used = np.flatnonzero((caps[p.edge_k] > 0) & (p.beslut_timmar[p.edge_b] <= p.kandidat_timmar[p.edge_k]))
    if not len(used):
        return keep
    q = p if len(used) == p.n_edges else restrict(p, used)  # oftast alla: ingen kopia då
    m = int(min(caps[_present(q.edge_k, q.n_kandidat)].sum(), _present(q.edge_b, q.n_beslut).size))
    order = _by_person_best_first(q, w.values[used], w.max_value)
    ks = q.edge_k[order]
    hs = q.beslut_timmar[q.edge_b[order]]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(ks)]))
    better = np.arange(len(ks)) - group_start  # bättre beslut hos samma person
    binding = hours_can_bind(q)[ks]
    levels = _unique(hs[binding])
    if len(levels) <= 64:  # bättre och inte längre: en kumulativ summa per timnivå
        # Bara kanterna hos personer vars timtak kan binda räknas om; de står i hela grupper (alla en
        # persons kanter binder eller ingen), så räkningen inom varje grupp är densamma.
        at = np.flatnonzero(binding)
        hs_b = hs[at]
        sub_start = np.flatnonzero(np.r_[True, ks[at][1:] != ks[at][:-1]]) if len(at) else at
        sub_group = np.repeat(sub_start, np.diff(np.r_[sub_start, len(at)]))
        for h in levels.tolist():
            shorter = (hs_b <= h).astype(np.int64)
            cumulative = np.cumsum(shorter)
            before = cumulative - shorter - np.r_[0, cumulative][sub_group]
            here = hs_b == h
            better[at[here]] = before[here]
    else:  # många olika timtal: bara bättre beslut med samma timmar räknas
        same = np.lexsort((np.arange(len(ks)), hs, ks))
        k2, h2 = ks[same], hs[same]
        s2 = np.flatnonzero(np.r_[True, (k2[1:] != k2[:-1]) | (h2[1:] != h2[:-1])])
        rank = np.empty(len(ks), dtype=np.int64)
        rank[same] = np.arange(len(ks)) - np.repeat(s2, np.diff(np.r_[s2, len(ks)]))
        better = np.where(binding, rank, better)
    keep[used[order[better < m]]] = True
    return keep


def components(p: MatchingProblem) -> np.ndarray:
    """Sammanhängande delar av grafen beslut–kandidat: en etikett per kandidat (den minsta
    kandidaten i delen; kandidater utan kanter får sin egen)."""
    parent = list(range(p.n_kandidat))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ks = p.edge_k.tolist()
    for i in np.flatnonzero(p.edge_b[1:] == p.edge_b[:-1]).tolist():
        a, b = find(ks[i]), find(ks[i + 1])
        if a != b:
            parent[max(a, b)] = min(a, b)
    return np.array([find(x) for x in range(p.n_kandidat)], dtype=np.int64)


def solve_flow(p: MatchingProblem, w: Weights | None = None) -> np.ndarray:
    """Minkostnadsflöde utan timtak (exakt när timtaket inte kan binda)."""
    from ortools.graph.python import min_cost_flow

    n, m = p.n_beslut, p.n_kandidat
    w = w or weights(p)
    source, sink = 0, n + m + 1
    caps_k = count_caps(p)
    used_k = _present(p.edge_k, p.n_kandidat)
    used_k = used_k[caps_k[used_k] > 0]
    b_nodes = np.arange(1, n + 1, dtype=np.int64)
    tails = np.concatenate([np.zeros(n, np.int64), b_nodes, p.edge_b + 1, used_k + n + 1])
    heads = np.concatenate([b_nodes, np.full(n, sink, np.int64), p.edge_k + n + 1,
                            np.full(len(used_k), sink, np.int64)])
    caps = np.concatenate([np.ones(2 * n + p.n_edges, np.int64), caps_k[used_k]])
    costs = np.concatenate([np.zeros(2 * n, np.int64), -w.values, np.zeros(len(used_k), np.int64)])
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_nodes_supplies(np.array([source, sink], np.int64), np.array([n, -n], np.int64))
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"minkostnadsflödet gav status {status}")
    first = 2 * n
    flows = smcf.flows(np.arange(first, first + p.n_edges, dtype=np.int64))
    assignment = np.full(n, -1, dtype=np.int64)
    chosen = np.flatnonzero(flows > 0)
    assignment[p.edge_b[chosen]] = p.edge_k[chosen]
    return assignment


def _hours_ok(p: MatchingProblem, assignment: np.ndarray) -> bool:
    assigned = np.flatnonzero(assignment >= 0)
    hours = np.bincount(assignment[assigned], weights=p.beslut_timmar[assigned], minlength=p.n_kandidat)
    return not np.any(hours > p.kandidat_timmar + 1e-6)


def _repair(p: MatchingProblem, assignment: np.ndarray) -> np.ndarray:
    """Gör en tilldelning tillåten (för ledtråden till CP-SAT): släpp de yngsta över timtaket."""
    result = assignment.copy()
    for k in np.flatnonzero(np.bincount(result[result >= 0], minlength=p.n_kandidat) > 0):
        mine = np.flatnonzero(result == k)
        mine = mine[np.argsort(-p.cov[mine], kind="stable")]
        total = 0
        for b in mine:
            if total + p.beslut_timmar[b] <= p.kandidat_timmar[k]:
                total += p.beslut_timmar[b]
            else:
                result[b] = -1
    return result


def repair_flow(p: MatchingProblem, w: Weights, assignment: np.ndarray, *, cancel: Cancel | None = None,
                max_rounds: int = 100) -> np.ndarray:
    """Gör flödets svar tillåtet med timtaket: för varje person över taket förbjuds paret med det
    beslut som har flest andra möjligheter (vid lika: flest timmar), och flödet löses om.

    Samtidigt förbjuds personens par med de andra beslut som inte skulle rymmas bredvid det
    personen behåller (timmarna större än det som blir kvar under taket). Annars går samma person
    ofta över taket igen i nästa varv med ett annat lika stort beslut, och varje varv är ett helt
    flöde: på 5 000 × 20 000 blev det 8 varv i stället för 4, och sämre passform."""
    keep = np.ones(p.n_edges, dtype=bool)
    by_k = np.argsort(p.edge_k, kind="stable")
    k_start = np.searchsorted(p.edge_k[by_k], np.arange(p.n_kandidat + 1))
    current = assignment
    for _ in range(max_rounds):
        assigned = np.flatnonzero(current >= 0)
        hours = np.bincount(current[assigned], weights=p.beslut_timmar[assigned], minlength=p.n_kandidat)
        over = np.flatnonzero(hours > p.kandidat_timmar + 1e-6)
        if not len(over):
            return current
        if cancel is not None and cancel():
            raise Cancelled()
        edges = _edge_of(p, current)
        degree = np.bincount(p.edge_b[keep], minlength=p.n_beslut)
        for k in over.tolist():
            mine = np.flatnonzero(current == k)
            pick = mine[np.lexsort((-p.beslut_timmar[mine], -degree[mine]))[0]]
            keep[edges[pick]] = False
            room = p.kandidat_timmar[k] - (p.beslut_timmar[mine].sum() - p.beslut_timmar[pick])
            mine_edges = by_k[k_start[k]:k_start[k + 1]]
            others = p.edge_b[mine_edges]
            keep[mine_edges[(p.beslut_timmar[others] > room) & (current[others] != k)]] = False
        sub = attrs.evolve(p, edge_b=p.edge_b[keep], edge_k=p.edge_k[keep], fit=p.fit[keep], stab=p.stab[keep])
        current = solve_flow(sub, attrs.evolve(w, values=w.values[keep]))
    return _repair(p, current)


def solve_slots(p: MatchingProblem, w: Weights) -> np.ndarray:
    """Ett tillåtet svar direkt: varje person tar bara beslut som ryms i en lika stor del av
    timtaket per uppdrag (timtaket / `count_caps`), så ryms alla uppdrag hon får. Flödet på de
    paren är bäst bland sådana svar. Täcker ofta fler än det lagade flödet när personerna kan ta
    flera korta beslut (på ett register med timtak 4–16 h och beslut 2–12 h: 203 mot 149)."""
    caps = count_caps(p)
    slot = np.where(caps > 0, p.kandidat_timmar // np.maximum(caps, 1), -1)
    keep = p.beslut_timmar[p.edge_b] <= slot[p.edge_k]
    return solve_flow(restrict(p, keep), attrs.evolve(w, values=w.values[keep]))


def value_of(p: MatchingProblem, w: Weights, assignment: np.ndarray) -> int:
    edges = _edge_of(p, assignment)
    return int(w.values[edges[edges >= 0]].sum())


def solve_cpsat(
    p: MatchingProblem,
    w: Weights | None = None,
    *,
    hint: np.ndarray | None = None,
    time_limit_s: float = 30.0,
    workers: int = 1,
    seed: int = 1,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    bound_cov: int | None = None,
) -> tuple[np.ndarray, bool, int]:
    """Hela modellen i CP-SAT (med timtak), nivå för nivå: först täckningen, sedan passformen
    med täckningen låst, sist stabiliteten. Små koefficienter per nivå går mycket fortare än
    ett enda mål med stora multiplikatorer. `bound_cov` (täckningen i flödet utan timtak) läggs
    in som övre gräns: når ett svar den är täckningen bevisad utan att sökträdet gås igenom.
    Returnerar (tilldelning, bevisat optimal, övre gräns för täckningen)."""
    from bemanning.matching import cpsat as cp_model  # utan pandas (se modulen)

    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{e}") for e in range(p.n_edges)]
    by_b: dict[int, list[int]] = {}
    by_k: dict[int, list[int]] = {}
    for e, (b, k) in enumerate(zip(p.edge_b.tolist(), p.edge_k.tolist(), strict=True)):
        by_b.setdefault(b, []).append(e)
        by_k.setdefault(k, []).append(e)
    for edges in by_b.values():
        if len(edges) > 1:
            model.add_at_most_one(x[e] for e in edges)
    binding = hours_can_bind(p)
    caps = count_caps(p)  # timtaket behövs bara där det kan binda med så här många uppdrag
    for k, edges in by_k.items():
        if len(edges) > caps[k]:
            model.add(sum(x[e] for e in edges) <= int(caps[k]))
        if binding[k]:
            model.add(
                cp_model.LinearExpr.weighted_sum([x[e] for e in edges],
                                                 [int(p.beslut_timmar[p.edge_b[e]]) for e in edges])
                <= int(p.kandidat_timmar[k])
            )
    hinted_values: list[bool] | None = None
    if hint is not None:
        hinted = _edge_of(p, hint)
        on = set(hinted[hinted >= 0].tolist())
        hinted_values = [e in on for e in range(p.n_edges)]
        for e in range(p.n_edges):
            model.add_hint(x[e], hinted_values[e])
    if bound_cov is not None:
        model.add(cp_model.LinearExpr.weighted_sum(x, p.cov[p.edge_b].tolist()) <= int(bound_cov))
    levels = [p.cov[p.edge_b].tolist(), p.fit.tolist()]
    if p.stab.any():
        levels.append(p.stab.tolist())
    n_levels = len(levels)
    deadline = time.monotonic() + float(time_limit_s)
    cancelled = False
    optimal = True
    values: list[bool] | None = None
    cov_bound = int(bound_cov) if bound_cov is not None else int(p.cov.sum())
    if hinted_values is not None and bound_cov is not None and \
            int(p.cov[p.edge_b[np.flatnonzero(hinted_values)]].sum()) >= bound_cov:
        # Ledtråden når gränsen: täckningen är bevisad utan sökning (CP-SAT behövde annars 8,6 s
        # för att se det på 500 × 2 000). Lås den och börja med passformen.
        model.add(cp_model.LinearExpr.weighted_sum(x, levels[0]) >= int(bound_cov))
        levels = levels[1:]
        values = hinted_values

    def on_solution(callback: cp_model.SolutionCallback) -> None:
        nonlocal cancelled
        if progress is not None:
            left = max(0.0, deadline - time.monotonic())
            progress("löser", min(1.0, 1.0 - left / max(time_limit_s, 1e-9)))
        if cancel is not None and cancel():
            cancelled = True
            callback.stop_search()

    for number, coefficients in enumerate(levels, 1 + n_levels - len(levels)):
        solver = cp_model.CpSolver()
        solver.parameters.catch_sigint_signal = False  # Ctrl+C går till Python
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
        solver.parameters.num_workers = int(workers)
        solver.parameters.random_seed = int(seed)
        solver.parameters.linearization_level = 2
        objective = cp_model.LinearExpr.weighted_sum(x, coefficients)
        model.maximize(objective)
        status = solver.solve(model, cp_model.SolutionCallback(on_solution))
        log.info("CP-SAT nivå %d av %d: %s på %.2f s (%d par)", number, n_levels, solver.status_name(status),
                 solver.wall_time, p.n_edges)
        if cancelled:
            raise Cancelled()
        first = values is None
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if first:  # inget svar inom tidsgränsen: ledtråden, annars inga förslag (alltid tillåtet)
                values = hinted_values if hinted_values is not None else [False] * p.n_edges
                if np.isfinite(solver.best_objective_bound):
                    cov_bound = min(cov_bound, int(np.floor(solver.best_objective_bound + 1e-6)))
            optimal = False
            break
        values = solver.boolean_values(x)
        best = int(round(solver.objective_value))
        if first:
            proven = status == cp_model.OPTIMAL
            if proven:
                cov_bound = min(cov_bound, best)
            elif np.isfinite(solver.best_objective_bound):
                cov_bound = min(cov_bound, int(np.floor(solver.best_objective_bound + 1e-6)))
        if status != cp_model.OPTIMAL:
            optimal = False
            break
        model.add(objective >= best)  # nivån låses innan nästa optimeras
        model.clear_hints()
        for v, on_ in zip(x, values, strict=True):
            model.add_hint(v, on_)
    assignment = np.full(p.n_beslut, -1, dtype=np.int64)
    for e, on_ in enumerate(values or ()):
        if on_:
            assignment[p.edge_b[e]] = p.edge_k[e]
    return assignment, optimal, cov_bound


def solve(
    p: MatchingProblem,
    *,
    metod: str = "auto",
    time_limit_s: float = 30.0,
    workers: int = 1,
    seed: int = 1,
    cpsat_max_par: int = 5000,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Losning:
    """Lös problemet exakt (eller med den metod som anges: "flode" eller "cpsat").

    "auto": först rensas par som inget optimum behöver (`prune_exchange`). Minkostnadsflödet utan
    timtak är en övre gräns; håller dess svar timtaket är det optimalt. Annars lagas det med flöde
    (`repair_flow`); når det lagade svaret gränsen är det optimalt. Annars delas grafen i
    sammanhängande delar: där flödets svar håller timtaket är det optimalt för delen, och bara
    delarna där timtaket binder löses med CP-SAT (högst `cpsat_max_par` par per del), med det
    lagade svaret som ledtråd och flödets täckning i delen som övre gräns. Svaret säger alltid
    vad som är bevisat: `optimal` och `bevis`, eller gränserna `grans_tackta` och `grans_tackning`.
    """
    started = time.monotonic()
    if cancel is not None and cancel():
        raise Cancelled()
    if progress is not None:
        progress("löser", 0.0)
    w = weights(p)
    optimal = True
    bevis = ""
    upper_parts: tuple[int, int, int] | None = None
    grans_tackta: int | None = None
    grans_tackning: int | None = None
    if metod == "cpsat":
        assignment, optimal, cov_bound = solve_cpsat(p, w, time_limit_s=time_limit_s, workers=workers, seed=seed,
                                                     progress=progress, cancel=cancel)
        used = "cpsat"
        if optimal:
            bevis = "CP-SAT bevisade varje nivå (täckning, passform, stabilitet)"
        else:
            keep = prune_exchange(p, w)
            relaxed = solve_flow(restrict(p, keep), attrs.evolve(w, values=w.values[keep]))
            got = evaluate(p, assignment, check=False)
            if cov_bound <= got["tackning"]:
                grans_tackta, grans_tackning = got["tackta"], got["tackning"]
            else:
                grans_tackta = int((relaxed >= 0).sum())
                grans_tackning = min(cov_bound, int(p.cov[relaxed >= 0].sum()))
    else:
        keep = prune_exchange(p, w)
        sub = restrict(p, keep)
        ws = attrs.evolve(w, values=w.values[keep])
        relaxed = solve_flow(sub, ws)
        rel = evaluate(sub, relaxed, check=False)
        upper_parts = (rel["tackning"], rel["passform"], rel["stabilitet"])
        used = "flöde"
        if _hours_ok(sub, relaxed):
            assignment = relaxed
            if hours_can_bind(sub).any():
                used = "flöde (timtaket höll)"
            bevis = "flödet utan timtak är bästa möjliga och håller timtaket"
        elif metod == "flode":
            raise ValueError("timtaket binder; flödet räcker inte (använd metod auto eller cpsat)")
        else:
            repaired = repair_flow(sub, ws, relaxed, cancel=cancel)
            slots = solve_slots(sub, ws)
            if value_of(sub, ws, slots) > value_of(sub, ws, repaired):
                repaired = slots
            used = "flöde (timtaket lagat)"
            if value_of(sub, ws, repaired) == value_of(sub, ws, relaxed):
                assignment = repaired
                bevis = "det lagade flödet når flödets övre gräns (utan timtak)"
            else:
                assignment, optimal, grans_tackta, grans_tackning, ran = _solve_binding_parts(
                    sub, relaxed, repaired, started=started, time_limit_s=time_limit_s, workers=workers,
                    seed=seed, cpsat_max_par=cpsat_max_par, progress=progress, cancel=cancel)
                if ran:
                    used = "flöde + cpsat"
                if optimal:
                    bevis = ("CP-SAT bevisade delarna där timtaket binder; i övriga delar håller flödet "
                             "utan timtak timtaket")
    parts = evaluate(p, assignment)
    seconds = time.monotonic() - started
    if progress is not None:
        progress("löser", 1.0)
    log.info(
        "matchning löst med %s på %.3f s: %d av %d beslut täckta (%d efter tre månader), %d par (%d efter "
        "rensning), optimal=%s",
        used, seconds, parts["tackta"], p.n_beslut, parts["forsenade_tackta"], p.n_edges,
        int(keep.sum()) if metod != "cpsat" else p.n_edges, optimal,
    )
    return Losning(tilldelning=assignment, metod=used, optimal=optimal, sekunder=seconds,
                   passform_delare=w.fit_div, ovre_grans=upper_parts, bevis=bevis,
                   grans_tackta=None if optimal else grans_tackta,
                   grans_tackning=None if optimal else grans_tackning, **parts)


def _solve_binding_parts(
    p: MatchingProblem,
    relaxed: np.ndarray,
    repaired: np.ndarray,
    *,
    started: float,
    time_limit_s: float,
    workers: int,
    seed: int,
    cpsat_max_par: int,
    progress: Progress | None,
    cancel: Cancel | None,
) -> tuple[np.ndarray, bool, int, int, bool]:
    """CP-SAT på de sammanhängande delar där flödet utan timtak bryter timtaket.

    Delarna är oberoende, så flödets svar är optimalt i varje del där det håller timtaket.
    Returnerar (tilldelning, bevisat optimal, högst så många täckta, högst så stor täckning,
    om CP-SAT kördes alls)."""
    labels = components(p)
    assigned = np.flatnonzero(relaxed >= 0)
    hours = np.bincount(relaxed[assigned], weights=p.beslut_timmar[assigned], minlength=p.n_kandidat)
    over = np.flatnonzero(hours > p.kandidat_timmar + 1e-6)
    bad = sorted(set(labels[over].tolist()))
    edge_label = labels[p.edge_k]
    b_label = np.full(p.n_beslut, -1, dtype=np.int64)
    b_label[p.edge_b] = edge_label
    result = relaxed.copy()
    covered = relaxed >= 0
    count_bound = int(covered.sum())
    cov_bound = int(p.cov[covered].sum())
    optimal = True
    ran = False
    for lab in bad:
        if cancel is not None and cancel():
            raise Cancelled()
        in_b = b_label == lab
        mask = edge_label == lab
        part = restrict(p, mask)
        hint = np.where(in_b, repaired, -1)
        rel_count = int((in_b & covered).sum())
        rel_cov = int(p.cov[in_b & covered].sum())
        remaining = time_limit_s - (time.monotonic() - started)
        if int(mask.sum()) > cpsat_max_par or remaining <= 0.05:
            got, proven, bound = hint, False, rel_cov
        else:
            ran = True
            got, proven, bound = solve_cpsat(part, hint=hint, time_limit_s=remaining, workers=workers, seed=seed,
                                             progress=progress, cancel=cancel, bound_cov=rel_cov)
        result[in_b] = got[in_b]
        got_count = int((in_b & (got >= 0)).sum())
        got_cov = int(p.cov[in_b & (got >= 0)].sum())
        optimal = optimal and proven
        count_bound -= rel_count
        cov_bound -= rel_cov
        if bound <= got_cov:  # täckningen i delen är bevisat bäst
            count_bound += got_count
            cov_bound += got_cov
        else:
            count_bound += rel_count
            cov_bound += min(bound, rel_cov)
        log.info("del med timtak som binder: %d par, %d beslut, optimal=%s", int(mask.sum()), int(in_b.sum()),
                 proven)
    return result, optimal, count_bound, cov_bound, ran
