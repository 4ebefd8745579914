"""Importdialogen: kontrollera filerna först, spara sedan allt i en transaktion.

Ett fel i en fil visas här med fil, rad, kolumn och vad som ska rättas; ingenting sparas.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import Worker, WorkerState

from bemanning.errors import UserError
from bemanning.io.importer import ImportResult, expand_directories, import_files
from tui.screens.base import WorkerErrors
from tui.widgets.format import antal
from tui.widgets.kryssruta import Kryssruta


def expand_paths(text: str) -> list[Path]:
    """Sökvägar åtskilda av semikolon; en katalog betyder alla CSV- och XLSX-filer i den."""
    paths: list[Path] = []
    for part in text.split(";"):
        part = part.strip().strip('"')
        if not part:
            continue
        path = Path(part).expanduser()
        if path.is_dir():
            paths.extend(expand_directories([path]))
        elif path.exists():
            paths.append(path)
        else:
            raise UserError(f"Filen {path} finns inte. Kontrollera sökvägen (flera filer skiljs med ;).")
    if not paths:
        raise UserError("Skriv sökvägen till en fil eller en katalog.")
    return paths


def result_text(result: ImportResult, paths: list[Path]) -> Text:
    out = Text()
    out.append("Sparat\n" if result.written else "Kontrollerat – inget sparat ännu\n", style="bold")
    for line in result.summary_lines():
        out.append(line + "\n")
    if result.warnings:
        out.append(f"\n{len(result.warnings)} varningar\n", style="bold yellow")
        for w in result.warnings[:50]:
            out.append(f"{w}\n", style="yellow")
    if result.pending_diffs:
        out.append(f"\n{len(result.pending_diffs)} ändrade värden förs in först om du kryssar i rutan:\n", style="bold")
        for d in result.pending_diffs[:50]:
            out.append(f"{d}\n")
    return out


class ImportDialog(WorkerErrors, ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "stang", "Stäng", id="import-stang", tooltip="Stäng utan att importera"),
        Binding("ctrl+r", "kontrollera", "Kontrollera", id="import-kontrollera", tooltip="Läs och kontrollera filerna utan att spara"),
        Binding("ctrl+s", "importera", "Importera", id="import-spara", tooltip="Kontrollera och spara i registret"),
    ]

    def __init__(self, initial: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.initial = initial
        self.sparat = False
        self._worker: Worker | None = None
        self._borjade = 0.0
        self._lasning = ""
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog import-dialog"):
            yield Label("Importera filer", classes="dialog-title")
            yield Static(
                "Beslut, erbjudanden, uppdragstagare, personal, enheter eller områden (CSV eller XLSX). "
                "Filslaget känns igen på rubrikraden. Skriv en fil, flera åtskilda med ; eller en katalog.",
                classes="dialog-intro",
            )
            with Horizontal(classes="form-row"):
                yield Label("Filer", classes="form-label")
                yield Input(self.initial, placeholder="/sökväg/beslut.csv; /sökväg/erbjudanden.csv", id="import-filer", compact=True)
            yield Static("", id="fel-import-filer", classes="field-message")
            yield Kryssruta("För in ändrade värden för redan importerade beslut (som rättelser)", id="import-bekrafta", compact=True)
            with VerticalScroll(id="import-resultat"):
                yield Static("", id="import-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Kontrollera (Ctrl+R)", id="kontrollera")
                yield Button("Importera (Ctrl+S)", id="importera", variant="primary")
                yield Button("Stäng", id="stang")

    def on_mount(self) -> None:
        self.query_one("#import-filer", Input).focus()

    def _field_error(self, message: str) -> None:
        widget = self.query_one("#import-filer", Input)
        widget.add_class("error")
        label = self.query_one("#fel-import-filer", Static)
        label.update(message)
        label.add_class("error")
        widget.focus()

    @on(Input.Changed, "#import-filer")
    def _changed(self) -> None:
        self.query_one("#import-filer", Input).remove_class("error")
        label = self.query_one("#fel-import-filer", Static)
        label.update("")
        label.remove_class("error")

    @on(Input.Submitted, "#import-filer")
    def _submitted(self) -> None:
        self.action_importera()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        {"kontrollera": self.action_kontrollera, "importera": self.action_importera, "stang": self.action_stang}[
            event.button.id or "stang"
        ]()

    def _pagar(self) -> bool:
        return self._worker is not None and self._worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def action_stang(self) -> None:
        if self._pagar():
            # Importen går inte att avbryta halvvägs; stängd dialog skulle spara i tysthet.
            self.notify("Importen pågår. Dialogen går att stänga när den är klar; ingenting sparas "
                        "förrän alla rader är kontrollerade, och då sparas allt på en gång.",
                        severity="warning", title="Import")
            return
        self.dismiss(self.sparat)

    def action_kontrollera(self) -> None:
        self._start(dry_run=True)

    def action_importera(self) -> None:
        self._start(dry_run=False)

    def _start(self, dry_run: bool) -> None:
        if self._pagar():
            self.notify("Importen pågår redan; vänta tills den är klar.", severity="warning", title="Import")
            return
        try:
            paths = expand_paths(self.query_one("#import-filer", Input).value)
        except UserError as exc:
            self._field_error(exc.message)
            return
        text = self.query_one("#import-text", Static)
        self._lasning = (f"{'Kontrollerar' if dry_run else 'Läser, kontrollerar och sparar'} "
                         f"{antal(len(paths), 'fil', 'filer')} …")
        text.update(self._lasning)
        self._borjade = time.monotonic()
        self._worker = self.kor(paths, dry_run, self.query_one("#import-bekrafta", Checkbox).value)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_interval(1.0, self._tick, name="import-tid")

    def _tick(self) -> None:
        """Hur länge importen har hållit på, varje sekund: stora filer tar en stund."""
        if not self._pagar():
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            return
        sekunder = int(time.monotonic() - self._borjade)
        self.query_one("#import-text", Static).update(
            f"{self._lasning} {sekunder} s\n(Stora filer tar en stund. Dialogen går att stänga när importen är klar.)")

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def kor(self, paths: list[Path], dry_run: bool, confirm: bool) -> None:
        app = self.app
        try:
            result = import_files(app.register, paths, confirm=confirm, dry_run=dry_run, today=app.today)  # type: ignore[attr-defined]
        except UserError as exc:
            app.call_from_thread(self._misslyckad, exc)
            return
        app.call_from_thread(self._klar, result, paths)

    def _misslyckad(self, exc: UserError) -> None:
        out = Text()
        out.append(exc.message + "\n\n", style="bold red")
        for line in exc.details[:200]:
            out.append(line + "\n", style="red")
        if len(exc.details) > 200:
            out.append(f"… och {len(exc.details) - 200} till\n", style="red")
        self.query_one("#import-text", Static).update(out)
        text = ("Kontrollen hittade fel; inget har sparats. Se felen i dialogen."
                if getattr(exc, "checked_only", False) else "Importen avbröts; inget har sparats. Se felen i dialogen.")
        self.app.notify(text, severity="error", title="Import")

    def _klar(self, result: ImportResult, paths: list[Path]) -> None:
        self.query_one("#import-text", Static).update(result_text(result, paths))
        if result.written:
            self.sparat = True
            saved = "sparad" if len(result.events) == 1 else "sparade"
            self.app.notify(f"{antal(len(result.events), 'händelse', 'händelser')} {saved}.", title="Importen klar")
            self.app.register_changed()  # type: ignore[attr-defined]
        elif not result.events:
            self.app.notify("Inget nytt i filerna: registret har redan allt.", title="Import")
