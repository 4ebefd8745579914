"""Ett litet stapeldiagram över väntetider (textual-plotext)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from textual_plotext import PlotextPlot

from bemanning.svenska import tal_kort

#: (etikett, från dag, till dag): väntetidens klasser i månader (30 dagar)
KLASSER = (
    ("<1", 0, 30),
    ("1", 30, 61),
    ("2", 61, 92),
    ("3–6", 92, 183),
    ("6–12", 183, 366),
    (">12", 366, 10**9),
)


def jamna_steg(low: float, high: float, antal: int = 5, *, heltal: bool = False) -> list[float]:
    """Jämna värden för en axel från `low` till `high` (1, 2 eller 5 gånger en tiopotens)."""
    if high < low:
        low, high = high, low
    span = high - low
    if span <= 0:
        span = abs(high) or 1.0
        low, high = low - span / 2, high + span / 2
    raw = span / max(1, antal - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if heltal:
        step = max(1.0, math.ceil(step))
    start = math.floor(low / step) * step
    values = []
    value = start
    while value <= high + step * 1e-9:
        values.append(round(value, 10))
        value += step
    return values


def svenska_axlar(plt: Any, xs: Sequence[float] | None, ys: Sequence[float], *, heltal_y: bool = False) -> None:
    """Axlarnas tal med decimalkomma och mellanslag mellan tusental ("44 356,5", inte "44356.5").

    plotext skriver annars talen på engelska; här sätts etiketterna själva."""
    if ys:
        low = 0.0 if heltal_y else min(ys)
        values = jamna_steg(low, max(max(ys), 1.0 if heltal_y else max(ys)), heltal=heltal_y)
        plt.yticks(values, [tal_kort(v) for v in values])
    if xs:
        values = jamna_steg(min(xs), max(xs))
        plt.xticks(values, [tal_kort(v) for v in values])


def klassa(dagar: Sequence[int]) -> list[int]:
    """Antal väntetider i varje klass. Räknas per olika värde (några hundra dagar), inte per beslut:
    60 000 öppna beslut ska inte hålla gränssnittet."""
    counts = [0] * len(KLASSER)
    for value, n in Counter(dagar).items():
        for index, (_label, low, high) in enumerate(KLASSER):
            if low <= value < high:
                counts[index] += n
                break
    return counts


class VantetidDiagram(PlotextPlot):
    """Öppna beslut per väntetid i månader; staplarna från tre månader är röda."""

    def on_mount(self) -> None:
        super().on_mount()
        self.border_title = "Väntetid, öppna beslut (månader)"
        self.visa(())

    def visa(self, dagar: Sequence[int]) -> None:
        counts = klassa(dagar)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [k[0] for k in KLASSER]
        positions = list(range(1, len(KLASSER) + 1))
        plt.bar(positions[:3], counts[:3], color="blue", width=0.7)
        plt.bar(positions[3:], counts[3:], color="red", width=0.7)
        plt.xticks(positions, labels)
        svenska_axlar(plt, None, counts, heltal_y=True)
        plt.xlim(0.4, len(KLASSER) + 0.6)
        plt.xlabel("månader")
        plt.ylabel("antal")
        self.refresh()
