"""Matchning (under uppbyggnad)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from tui.screens.base import BasScreen
from tui.widgets.flikrad import Flikrad


class MatchningScreen(BasScreen):
    TITLE_SV = "Matchning"
    HELP = "# Matchning"

    def compose(self) -> ComposeResult:
        yield Flikrad("matchning")
        yield Static("Matchning", id="matchning")
        yield Footer()
