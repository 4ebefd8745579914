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
        self._rita(self.app.size.width)

    def on_resize(self) -> None:
        self._rita(self.size.width or self.app.size.width)

    def _rita(self, width: int) -> None:
        """Så mycket som ryms: i ett smalt fönster först utan programmets namn, sedan bara
        siffrorna för de andra skärmarna. F1 (hjälpen) syns alltid."""
        may_see = getattr(self.app, "may_see", lambda _name: True)
        visible = [s for s in SKARMAR if may_see(s[0])]  # det rollen inte får se visas inte

        def tabs(short: bool) -> tuple[str, int]:
            parts, length = [], 0
            for name, title, key in visible:
                if name == self.aktiv:
                    parts.append(f"[reverse b] {key} {title} [/]")
                    length += len(title) + 4
                else:
                    label = "" if short else f" {title}"
                    parts.append(f"[@click=app.skarm('{name}')] [b]{key}[/b]{label} [/]")
                    length += len(label) + 3
            return "".join(parts), length

        full, full_len = tabs(False)
        for prefix, hint, short in (
            ("[b]bemanning[/b] ", "F1 hjälp · Ctrl+P kommandon", False),
            ("", "F1 hjälp · Ctrl+P kommandon", False),
            ("", "F1 hjälp", False),
            ("", "F1 hjälp", True),
        ):
            body, length = (full, full_len) if not short else tabs(True)
            total = (10 if prefix else 0) + length + 2 + len(hint)
            if total <= width or short:
                self.update(prefix + body + f"  [dim]{hint}[/dim]")
                return
