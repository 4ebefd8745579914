"""Grunden för huvudskärmarna: hjälptext, omläsning när registret ändrats, och den enda
hanteraren som gör en arbetares fel till en feldialog."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import TabbedContent
from textual.worker import Worker, WorkerState

from bemanning import crashlog
from bemanning.errors import Cancelled, UserError, os_error_text

if TYPE_CHECKING:
    from tui.app import BemanningApp

log = logging.getLogger("tui")


def describe_error(error: BaseException) -> tuple[str, str, list[str]]:
    """(rubrik, mening, detaljer) för ett fel, på svenska."""
    if isinstance(error, UserError):
        return "Det gick inte", error.message, list(error.details)
    if isinstance(error, MemoryError):
        return "Minnet tog slut", "Arbetet krävde mer minne än datorn har. Välj en kortare period eller färre beslut.", []
    if isinstance(error, OSError) and error.errno is not None:
        return ("Filfel", f"Filen gick inte att läsa eller skriva: {os_error_text(error)}. Kontrollera "
                "sökvägen och att du får skriva där.", [])
    # Ett programfel: felets text kan bära SQL-parametrar och personuppgifter, så den visas inte
    # och loggas inte; vägen genom koden skrivs (rensad) i loggfilen.
    path = crashlog.write(error, "en arbetare i det interaktiva programmet")
    return (
        "Ett oväntat fel",
        "Arbetet avbröts av ett fel i programmet. Det du skrivit finns kvar och registret är "
        "oförändrat av det avbrutna arbetet; försök igen, och rapportera felet om det upprepas.",
        [f"Loggfil: {path}" if path else "Loggfilen gick inte att skriva."],
    )


class WorkerErrors:
    """Mixin för skärmar och dialoger: en arbetares fel blir en feldialog, avbrott en notis."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            error = worker.error
            if isinstance(error, Cancelled):
                self.app.notify("Arbetet avbröts.", title="Avbrutet", timeout=3)  # type: ignore[attr-defined]
            else:
                if not isinstance(error, UserError):
                    log.error("arbetaren %s föll: %s", worker.name, type(error).__name__)
                title, message, details = describe_error(error)
                self.app.show_error(title, message, details)  # type: ignore[attr-defined]
            self.worker_failed(worker)  # type: ignore[attr-defined]

    def worker_failed(self, worker: Worker) -> None:
        """Skärmen städar upp (till exempel döljer en förloppsindikator)."""


def tab_bindings(*, show: bool) -> list[Binding]:
    """`>` och `<` byter flik på en skärm med flikar, var fokus än står. Läggs sist i skärmens
    BINDINGS så att skärmens egna tangenter står först i sidfoten; `show` visar `>` där
    flikarna inte har egna tangenter."""
    return [
        Binding("greater_than_sign", "flik(1)", "Nästa flik", show=show, id="nasta-flik",
                tooltip="Nästa flik på skärmen"),
        Binding("less_than_sign", "flik(-1)", "Förra fliken", show=False, id="forra-flik",
                tooltip="Förra fliken på skärmen"),
    ]


class BasScreen(WorkerErrors, Screen):
    """En huvudskärm. `HELP` är Markdown som F1 visar, följd av skärmens tangenter."""

    HELP = ""
    TITLE_SV = ""

    def __init__(self) -> None:
        super().__init__()
        self._loaded_event_id: int | None = None

    @property
    def bapp(self) -> BemanningApp:
        return self.app  # type: ignore[return-value]

    def on_screen_resume(self) -> None:
        if self.TITLE_SV:
            self.app.sub_title = self.TITLE_SV
        self.refresh_if_changed()

    def refresh_if_changed(self) -> None:
        last = self.bapp.register.last_event_id()
        if last != self._loaded_event_id:
            self._loaded_event_id = last
            self.reload()

    def action_flik(self, step: int) -> None:
        """Byt flik med < och >, var fokus än står (flikraden nås annars bara med Tab)."""
        tabs = self.query(TabbedContent)
        if not tabs:
            return
        content = tabs.first()
        panes = [pane.id for pane in content.query("TabPane") if pane.id]
        if content.active in panes:
            content.active = panes[(panes.index(content.active) + step) % len(panes)]

    def reload(self) -> None:
        """Läs om skärmens data ur registret (i en arbetare om det kan ta tid)."""

    def commands(self) -> Iterable[SystemCommand]:
        """Kommandon för paletten som passar skärmen som den ser ut just nu."""
        return ()
