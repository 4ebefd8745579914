"""Rensning: bara de par som uppfyller alla krav går vidare till lösaren.

Avståndet är nästan alltid det snävaste kravet, så personerna läggs i ett rutnät och varje
beslut prövar bara personerna i rutorna inom sitt största tillåtna avstånd. Personer eller
enskilda utan koordinater prövas mot alla (avståndet är då okänt och stoppar inte).

Kraven prövas med numpy över alla personer i rutorna på en gång (`Pool`): personernas
egenskaper ligger som kolumner, och mängder (språk, tider, erfarenheter, intressen) som
bitmasker. Det är samma krav med samma flyttalsräkning som `requirements.feasible`, som
fortfarande är sanningen för förklaringarna; testerna jämför de två.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat

import numpy as np

from bemanning.matching.arende import Arende
from bemanning.matching.candidates import PERSONAL, Kandidat
from bemanning.matching.requirements import Context

Cancel = Callable[[], bool]


class Grid:
    def __init__(self, kandidater: Sequence[Kandidat], cell_km: float) -> None:
        self.cell = max(cell_km, 1.0)
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        nowhere: list[int] = []
        self.n = len(kandidater)
        for index, k in enumerate(kandidater):
            if k.x_km is None or k.y_km is None:
                nowhere.append(index)
            else:
                cells[(math.floor(k.x_km / self.cell), math.floor(k.y_km / self.cell))].append(index)
        self.cells = {key: np.asarray(items, dtype=np.int64) for key, items in cells.items()}
        self.nowhere = np.asarray(nowhere, dtype=np.int64)
        self.everyone = np.arange(self.n, dtype=np.int64)
        if self.cells:
            xs = [c[0] for c in self.cells]
            ys = [c[1] for c in self.cells]
            self.bounds = (min(xs), max(xs), min(ys), max(ys))
        else:
            self.bounds = (0, -1, 0, -1)

    def near(self, x: float | None, y: float | None, radius: float | None) -> np.ndarray:
        """Index (stigande) för personer som kan ligga inom `radius` km från (x, y)."""
        if x is None or y is None or radius is None:
            return self.everyone
        x0, x1, y0, y1 = self.bounds
        cx0 = max(x0, math.floor((x - radius) / self.cell))
        cx1 = min(x1, math.floor((x + radius) / self.cell))
        cy0 = max(y0, math.floor((y - radius) / self.cell))
        cy1 = min(y1, math.floor((y + radius) / self.cell))
        if (cx1 - cx0 + 1) * (cy1 - cy0 + 1) > 4 * len(self.cells):
            return self.everyone
        parts = [self.nowhere]
        get = self.cells.get
        for cx in range(cx0, cx1 + 1):
            for cy in range(cy0, cy1 + 1):
                items = get((cx, cy))
                if items is not None:
                    parts.append(items)
        found = np.concatenate(parts)
        found.sort()
        return found


class Vocab:
    """Ord → bit, för mängder som bitmasker (högst 62 ord; fler ger None och den långsamma vägen)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.bit = {w: 1 << i for i, w in enumerate(sorted(set(words)))}

    @property
    def fits(self) -> bool:
        return len(self.bit) <= 62

    def mask(self, items: Iterable[str]) -> int:
        bit = self.bit
        total = 0
        for item in items:
            total |= bit.get(item, 0)
        return total

    def masks(self, sets: Iterable[Iterable[str]]) -> np.ndarray:
        return np.fromiter((self.mask(s) for s in sets), dtype=np.int64)


def _words(arenden: Sequence[Arende], field: str) -> list[str]:
    """Alla ord i besluts mängder `field` (med dubbletter borttagna; `Vocab` sorterar)."""
    return list(set().union(*set(map(operator.attrgetter(field), arenden))))


def _floats(values: Iterable[float | None]) -> np.ndarray:
    return np.fromiter((math.nan if v is None else float(v) for v in values), dtype=np.float64)


class Pool:
    """De personer som får föreslås, som kolumner (index i `kandidater` i `index`)."""

    def __init__(self, arenden: Sequence[Arende], kandidater: Sequence[Kandidat]) -> None:
        self.index = np.asarray(
            [i for i, k in enumerate(kandidater) if k.hinder is None and k.uppdrag_kvar >= 1], dtype=np.int64)
        pool = [kandidater[i] for i in self.index.tolist()]
        self.kandidater = pool
        # Besluts ord: varje olika mängd en gång (många beslut delar samma mängd).
        sprak = set(map(operator.attrgetter("sprak"), arenden))
        self.sprak = Vocab([s for k in pool for s in k.sprak] + [s for s in sprak if s])
        self.tider = Vocab([t for k in pool for t in k.tider] + _words(arenden, "tider"))
        self.erf = Vocab([e for k in pool for e in k.erfarenheter] + _words(arenden, "sarskilda_behov"))
        self.intr = Vocab([i for k in pool for i in k.intressen] + _words(arenden, "intressen"))
        self.ok = all(v.fits for v in (self.sprak, self.tider, self.erf, self.intr))
        kon_codes: dict[object, int] = {}
        for k in pool:
            if k.kon is not None:
                kon_codes.setdefault(k.kon, len(kon_codes))
        for kon in dict.fromkeys(map(operator.attrgetter("kon"), arenden)):  # i den ordning de först står
            if kon is not None:
                kon_codes.setdefault(kon, len(kon_codes))
        self.kon_code = kon_codes
        self.id_to_pos = {k.kandidat_id: j for j, k in enumerate(pool)}
        self.timmar = np.fromiter((k.timmar_kvar for k in pool), dtype=np.float64)
        self.personal = np.fromiter((k.typ == PERSONAL for k in pool), dtype=bool)
        self.kon = np.fromiter((-1 if k.kon is None else kon_codes[k.kon] for k in pool), dtype=np.int64)
        self.alder_min = _floats(k.alder_min for k in pool)
        self.alder_max = _floats(k.alder_max for k in pool)
        self.fodelsear = _floats(k.fodelsear for k in pool)
        self.x = _floats(k.x_km for k in pool)
        self.y = _floats(k.y_km for k in pool)
        self.has_xy = ~(np.isnan(self.x) | np.isnan(self.y))
        self.max_avstand = _floats(k.max_avstand_km for k in pool)
        if self.ok:
            self.sprak_m = self.sprak.masks(k.sprak for k in pool)
            self.tider_m = self.tider.masks(k.tider for k in pool)
            self.erf_m = self.erf.masks(k.erfarenheter for k in pool)
            self.intr_m = self.intr.masks(k.intressen for k in pool)

    def feasible(self, a: Arende, js: np.ndarray, ctx: Context) -> np.ndarray:
        """De av personerna `js` (positioner i poolen) som uppfyller alla krav för beslutet."""
        keep = self.timmar[js] + 1e-9 >= a.timmar
        if a.bara_personal:
            keep &= self.personal[js]
        if a.kon_krav:
            keep &= self.kon[js] == self.kon_code.get(a.kon, -2)
        if a.sprak_krav:
            keep &= (self.sprak_m[js] & self.sprak.bit.get(a.sprak, 0)) != 0
        if a.tider:
            keep &= (self.tider_m[js] & self.tider.mask(a.tider)) != 0
        if a.sarskilda_behov:
            need = self.erf.mask(a.sarskilda_behov)
            keep &= (self.erf_m[js] & need) == need
        if a.alder is not None:
            keep &= ~(a.alder < self.alder_min[js]) & ~(a.alder > self.alder_max[js])
        js = js[keep]
        if a.x_km is not None and a.y_km is not None and len(js):
            kmax = self.max_avstand[js]
            if a.max_avstand_km is not None:
                limit = np.where(kmax < a.max_avstand_km, kmax, a.max_avstand_km)  # NaN < x är falskt
            else:
                default = ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else math.nan
                limit = np.where(np.isnan(kmax), default, kmax)
            dx = a.x_km - self.x[js]
            dy = a.y_km - self.y[js]
            reach = limit + 1e-9
            too_far = self.has_xy[js] & (dx * dx + dy * dy > reach * reach)  # NaN-gräns: aldrig för långt
            js = js[~too_far]
        if a.uteslutna and len(js):
            out = [self.id_to_pos[key] for key, _ in a.uteslutna if key in self.id_to_pos]
            if out:
                js = js[~np.isin(js, out)]
        return js


def search_radius(a: Arende, largest_limit: float) -> float | None:
    """Det största avstånd som något par med beslutet kan tillåta (None = obegränsat)."""
    if a.max_avstand_km is not None:
        return a.max_avstand_km
    return None if math.isinf(largest_limit) else largest_limit


def feasible_positions(
    arenden: Sequence[Arende],
    kandidater: Sequence[Kandidat],
    ctx: Context,
    *,
    cancel: Cancel | None = None,
    progress: Callable[[str, float | None], None] | None = None,
) -> tuple[Pool, Iterator[tuple[int, np.ndarray]]]:
    """Poolen, och för varje beslut (index) positionerna i poolen för dem som uppfyller alla krav."""
    pool = Pool(arenden, kandidater)
    default = ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else math.inf
    largest_limit = max((k.max_avstand_km if k.max_avstand_km is not None else default for k in pool.kandidater),
                        default=0.0)
    cell = ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else 20.0
    limits = [a.max_avstand_km for a in arenden if a.max_avstand_km]
    if limits:
        cell = sorted(limits)[len(limits) // 2]
    grid = Grid(pool.kandidater, cell)

    def generate() -> Iterator[tuple[int, np.ndarray]]:
        from bemanning.matching.requirements import feasible

        step = max(1, len(arenden) // 50)
        for index, a in enumerate(arenden):
            if index % step == 0:
                if cancel is not None and cancel():
                    from bemanning.errors import Cancelled

                    raise Cancelled()
                if progress is not None:
                    progress("rensar", index / max(1, len(arenden)))
            near = grid.near(a.x_km, a.y_km, search_radius(a, largest_limit))
            if pool.ok:
                yield index, pool.feasible(a, near, ctx)
            else:  # fler än 62 olika ord i någon mängd: paret för paret
                yield index, np.asarray([j for j in near.tolist() if feasible(a, pool.kandidater[j], ctx)],
                                        dtype=np.int64)

    return pool, generate()


def feasible_pairs(
    arenden: Sequence[Arende],
    kandidater: Sequence[Kandidat],
    ctx: Context,
    *,
    cancel: Cancel | None = None,
    progress: Callable[[str, float | None], None] | None = None,
) -> Iterator[tuple[int, list[int]]]:
    """För varje beslut (index): indexen för de personer som uppfyller alla krav."""
    pool, pairs = feasible_positions(arenden, kandidater, ctx, cancel=cancel, progress=progress)
    for index, js in pairs:
        yield index, pool.index[js].tolist()


class Arendekolumner:
    """Besluten som kolumner mot en `Pool` (samma masker och koder som `Pool.feasible` använder),
    så att kraven kan prövas för alla par på en gång, i block om några tusen beslut."""

    def __init__(self, pool: Pool, arenden: Sequence[Arende]) -> None:
        n = len(arenden)
        self.n = n
        # En kolumn i taget ur besluten (en listbyggare läser ett fält fortare än attrgetter och zip
        # över alla fält); mängder som många beslut delar blir bitmasker en gång per olika mängd.
        timmar = [a.timmar for a in arenden]
        bara_personal = [a.bara_personal for a in arenden]
        kon_krav = [a.kon_krav for a in arenden]
        kon = [a.kon for a in arenden]
        sprak_krav = [a.sprak_krav for a in arenden]
        sprak = [a.sprak for a in arenden]
        tider = [a.tider for a in arenden]
        behov = [a.sarskilda_behov for a in arenden]
        alder = [a.alder for a in arenden]
        x = [a.x_km for a in arenden]
        y = [a.y_km for a in arenden]
        max_avstand = [a.max_avstand_km for a in arenden]
        intressen = [a.intressen for a in arenden]
        uteslutna = [a.uteslutna for a in arenden]

        def masks(vocab: Vocab, sets: Sequence[frozenset[str]]) -> np.ndarray:
            table = {items: vocab.mask(items) for items in set(sets)}
            return np.fromiter(map(table.__getitem__, sets), dtype=np.int64, count=n)

        def flags(values: Iterable[object]) -> np.ndarray:
            return np.fromiter(values, dtype=bool, count=n)

        self.timmar = np.array(timmar, dtype=np.float64).reshape(n)
        self.bara_personal = flags(map(bool, bara_personal))
        self.kon_krav = flags(map(bool, kon_krav))
        self.kon = np.fromiter(map(pool.kon_code.get, kon, repeat(-2)), dtype=np.int64, count=n)
        self.sprak_krav = flags(map(bool, sprak_krav))
        self.sprak_bit = np.fromiter(map(pool.sprak.bit.get, sprak, repeat(0)), dtype=np.int64, count=n)
        self.har_tider = flags(map(bool, tider))
        self.tider = masks(pool.tider, tider)
        self.antal_tider = np.fromiter(map(len, tider), dtype=np.float64, count=n)
        self.har_behov = flags(map(bool, behov))
        self.behov = masks(pool.erf, behov)
        self.alder = _float_column(alder)
        self.x = _float_column(x)
        self.y = _float_column(y)
        self.has_xy = ~(np.isnan(self.x) | np.isnan(self.y))
        self.max_avstand = _float_column(max_avstand)
        self.har_intressen = flags(map(bool, intressen))
        self.intressen = masks(pool.intr, intressen)
        self.antal_intressen = np.fromiter(map(len, intressen), dtype=np.float64, count=n)
        # önskemål (inte krav): språk och kön
        self.onskat_sprak = flags(map(bool, sprak)) & ~self.sprak_krav
        self.onskat_kon = flags(map(operator.is_not, kon, repeat(None))) & ~self.kon_krav
        id_to_pos = pool.id_to_pos
        self.uteslutna = [(b, [id_to_pos[key] for key, _ in out if key in id_to_pos])
                          for b, out in enumerate(uteslutna) if out]


def _float_column(values: Sequence[float | None]) -> np.ndarray:
    """Som `_floats` (None blir NaN, tal blir float) för en färdig följd, i ett anrop."""
    return np.array(values, dtype=np.float64).reshape(len(values))


def feasible_block(pool: Pool, cols: Arendekolumner, start: int, stop: int, ctx: Context,
                   uteslutna: Sequence[tuple[int, list[int]]]) -> tuple[np.ndarray, np.ndarray]:
    """Paren (beslut, position i poolen) som uppfyller alla krav, för besluten start..stop, i
    ordningen beslut, position: samma par och samma flyttalsräkning som `Pool.feasible`."""
    r = slice(start, stop)
    col = (slice(None), None)
    keep = pool.timmar[None, :] + 1e-9 >= cols.timmar[r][col]
    keep &= ~cols.bara_personal[r][col] | pool.personal[None, :]
    keep &= ~cols.kon_krav[r][col] | (pool.kon[None, :] == cols.kon[r][col])
    keep &= ~cols.sprak_krav[r][col] | ((pool.sprak_m[None, :] & cols.sprak_bit[r][col]) != 0)
    keep &= ~cols.har_tider[r][col] | ((pool.tider_m[None, :] & cols.tider[r][col]) != 0)
    need = cols.behov[r][col]
    keep &= ~cols.har_behov[r][col] | ((pool.erf_m[None, :] & need) == need)
    alder = cols.alder[r][col]
    keep &= ~(alder < pool.alder_min[None, :]) & ~(alder > pool.alder_max[None, :])  # NaN: inget krav
    kmax = pool.max_avstand[None, :]
    amax = cols.max_avstand[r][col]
    default = ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else math.nan
    limit = np.where(np.isnan(amax), np.where(np.isnan(kmax), default, kmax),
                     np.where(kmax < amax, kmax, amax))  # NaN < x är falskt
    dx = cols.x[r][col] - pool.x[None, :]
    dy = cols.y[r][col] - pool.y[None, :]
    reach = limit + 1e-9
    with np.errstate(invalid="ignore"):
        too_far = (cols.has_xy[r][col] & pool.has_xy[None, :]) & (dx * dx + dy * dy > reach * reach)
    keep &= ~too_far
    for b, out in uteslutna:
        if start <= b < stop and out:
            keep[b - start, out] = False
    bs, js = np.nonzero(keep)
    return bs + start, js
