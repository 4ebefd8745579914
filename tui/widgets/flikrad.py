"""Flikraden överst: programmets namn och de sex skärmarna med sina tangenter, den aktuella
markerad. Klickbar med musen; tangenterna 1–6 gör samma sak."""

from __future__ import annotations

from textual.widgets import Static

SKARMAR = (
    ("oversikt", "Översikt", "1"),
    ("beslut", "Beslut", "2"),
    ("matchning", "Matchning", "3"),
    ("schema", "Schema", "4"),
    ("rapporter", "Rapporter", "5"),
    ("resurser", "Resurser", "6"),
)


class Flikrad(Static):
    DEFAULT_CSS = """
    Flikrad {
        height: 1;
        width: 100%;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, aktiv: str) -> None:
        super().__init__(id="flikrad")
        self.aktiv = aktiv

    def on_mount(self) -> None:
        parts = ["[b]bemanning[/b] "]
        may_see = getattr(self.app, "may_see", lambda _name: True)
        for name, title, key in SKARMAR:
            if not may_see(name):
                continue  # det rollen inte får se visas inte
            if name == self.aktiv:
                parts.append(f"[reverse b] {key} {title} [/]")
            else:
                parts.append(f"[@click=app.skarm('{name}')] [b]{key}[/b] {title} [/]")
        self.update("".join(parts) + "  [dim]F1 hjälp · Ctrl+P kommandon[/dim]")
