"""Ett litet stapeldiagram över väntetider (textual-plotext)."""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot

#: (etikett, från dag, till dag): väntetidens klasser i månader (30 dagar)
KLASSER = (
    ("<1", 0, 30),
    ("1", 30, 61),
    ("2", 61, 92),
    ("3–6", 92, 183),
    ("6–12", 183, 366),
    (">12", 366, 10**9),
)


def klassa(dagar: Sequence[int]) -> list[int]:
    counts = [0] * len(KLASSER)
    for value in dagar:
        for index, (_label, low, high) in enumerate(KLASSER):
            if low <= value < high:
                counts[index] += 1
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
        plt.xlim(0.4, len(KLASSER) + 0.6)
        plt.xlabel("månader")
        plt.ylabel("antal")
        self.refresh()
