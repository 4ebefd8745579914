"""Rensning: bara de par som uppfyller alla krav går vidare till lösaren.

Avståndet är nästan alltid det snävaste kravet, så personerna läggs i ett rutnät och varje
beslut prövar bara personerna i rutorna inom sitt största tillåtna avstånd. Personer eller
enskilda utan koordinater prövas mot alla (avståndet är då okänt och stoppar inte).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from bemanning.matching.arende import Arende
from bemanning.matching.candidates import Kandidat
from bemanning.matching.requirements import Context, feasible

Cancel = Callable[[], bool]


class Grid:
    def __init__(self, kandidater: Sequence[Kandidat], cell_km: float) -> None:
        self.cell = max(cell_km, 1.0)
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.nowhere: list[int] = []
        self.n = len(kandidater)
        for index, k in enumerate(kandidater):
            if k.x_km is None or k.y_km is None:
                self.nowhere.append(index)
            else:
                self.cells[(math.floor(k.x_km / self.cell), math.floor(k.y_km / self.cell))].append(index)
        if self.cells:
            xs = [c[0] for c in self.cells]
            ys = [c[1] for c in self.cells]
            self.bounds = (min(xs), max(xs), min(ys), max(ys))
        else:
            self.bounds = (0, -1, 0, -1)

    def near(self, x: float | None, y: float | None, radius: float | None) -> list[int]:
        """Index (stigande) för personer som kan ligga inom `radius` km från (x, y)."""
        if x is None or y is None or radius is None:
            return list(range(self.n))
        x0, x1, y0, y1 = self.bounds
        cx0 = max(x0, math.floor((x - radius) / self.cell))
        cx1 = min(x1, math.floor((x + radius) / self.cell))
        cy0 = max(y0, math.floor((y - radius) / self.cell))
        cy1 = min(y1, math.floor((y + radius) / self.cell))
        found = list(self.nowhere)
        if (cx1 - cx0 + 1) * (cy1 - cy0 + 1) > 4 * len(self.cells):
            for items in self.cells.values():
                found.extend(items)
        else:
            for cx in range(cx0, cx1 + 1):
                for cy in range(cy0, cy1 + 1):
                    items = self.cells.get((cx, cy))
                    if items:
                        found.extend(items)
        found.sort()
        return found


def search_radius(a: Arende, largest_limit: float) -> float | None:
    """Det största avstånd som något par med beslutet kan tillåta (None = obegränsat)."""
    if a.max_avstand_km is not None:
        return a.max_avstand_km
    return None if math.isinf(largest_limit) else largest_limit


def feasible_pairs(
    arenden: Sequence[Arende],
    kandidater: Sequence[Kandidat],
    ctx: Context,
    *,
    cancel: Cancel | None = None,
    progress: Callable[[str, float | None], None] | None = None,
) -> Iterator[tuple[int, list[int]]]:
    """För varje beslut (index): indexen för de personer som uppfyller alla krav."""
    usable = [i for i, k in enumerate(kandidater) if k.hinder is None and k.uppdrag_kvar >= 1]
    pool = [kandidater[i] for i in usable]
    default = ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else math.inf
    largest_limit = max((k.max_avstand_km if k.max_avstand_km is not None else default for k in pool),
                        default=0.0)
    cell = ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else 20.0
    limits = [a.max_avstand_km for a in arenden if a.max_avstand_km]
    if limits:
        cell = sorted(limits)[len(limits) // 2]
    grid = Grid(pool, cell)
    step = max(1, len(arenden) // 50)
    for index, a in enumerate(arenden):
        if index % step == 0:
            if cancel is not None and cancel():
                from bemanning.errors import Cancelled

                raise Cancelled()
            if progress is not None:
                progress("rensar", index / max(1, len(arenden)))
        radius = search_radius(a, largest_limit)
        ok = [usable[j] for j in grid.near(a.x_km, a.y_km, radius) if feasible(a, pool[j], ctx)]
        yield index, ok
