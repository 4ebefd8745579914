"""Schema (under uppbyggnad)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from tui.screens.base import BasScreen
from tui.widgets.flikrad import Flikrad


class SchemaScreen(BasScreen):
    TITLE_SV = "Schema"
    HELP = "# Schema"

    def compose(self) -> ComposeResult:
        yield Flikrad("schema")
        yield Static("Schema", id="schema")
        yield Footer()
