"""Kolumnbredder som följer fönstret: i ett brett fönster får långa namn och insatser plats."""

from __future__ import annotations

from collections.abc import Mapping

from textual.widgets import DataTable


def satt_bredder(table: DataTable, bredder: Mapping[str, int]) -> None:
    """Sätt bredden på kolumnerna med de här rubrikerna (andra kolumner rörs inte)."""
    changed = False
    for column in table.columns.values():
        width = bredder.get(column.label.plain)
        if width is not None and (column.width != width or column.auto_width):
            column.width = width
            column.auto_width = False
            changed = True
    if changed:
        table._require_update_dimensions = True  # DataTable räknar om sin bredd vid nästa ritning
        table._clear_caches()
        table.refresh(layout=True)


def fordela(fonsterbredd: int, bas: int, tillagg: Mapping[str, tuple[int, int]]) -> dict[str, int]:
    """Fördela det fönstret har utöver `bas` kolumner: (minsta bredd, största bredd) per
    kolumn, i ordning. Det som blir över går till nästa kolumn."""
    extra = max(0, fonsterbredd - bas)
    result = {}
    for name, (low, high) in tillagg.items():
        add = min(extra, high - low)
        result[name] = low + add
        extra -= add
    return result
