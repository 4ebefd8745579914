"""Appfabriken: samma funktion används av kommandoraden och av testerna.

Appen har sex huvudskärmar (lägen): Översikt, Beslut, Matchning, Schema, Rapporter och
Resurser. Siffertangenterna 1–6 byter skärm, Ctrl+P öppnar kommandopaletten med appens egna
kommandon, F1 visar hjälp för skärmen. Allt långsamt arbete körs i trådarbetare; ett fel i en
arbetare blir en feldialog (se `tui.screens.base.BasScreen`), aldrig en krasch.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from bemanning import crashlog
from bemanning.access import (
    Anvandare,
    Behorighet,
    may,
)
from bemanning.errors import UserError
from bemanning.services import rights
from bemanning.services.rights import Atgard
from bemanning.store import Register, open_register
from tui.screens.base import BasScreen

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"

#: Huvudskärmarna i tangentordning: (läge, rubrik, tangent, "modul:klass"). En skärms modul
#: importeras först när skärmen visas: Matchning drar in matchningsmotorn och Schema OR-Tools,
#: och det ska inte fördröja starten (issue 15).
_SKARMAR: tuple[tuple[str, str, str, str], ...] = (
    ("oversikt", "Översikt", "1", "tui.screens.oversikt:OversiktScreen"),
    ("beslut", "Beslut", "2", "tui.screens.beslut:BeslutScreen"),
    ("matchning", "Matchning", "3", "tui.screens.matchning:MatchningScreen"),
    ("schema", "Schema", "4", "tui.screens.schema:SchemaScreen"),
    ("rapporter", "Rapporter", "5", "tui.screens.rapporter:RapporterScreen"),
    ("resurser", "Resurser", "6", "tui.screens.resurser:ResurserScreen"),
)


def _klass(path: str) -> type[Screen]:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def _skapa(path: str) -> Callable[[], Screen]:
    """Skärmen för ett läge, skapad (och dess modul importerad) när läget visas första gången.

    Textual läser om all CSS två gånger och stilsätter om varje skärm första gången ett läge
    visas (en ny skärm räknas som inaktuell). Huvudskärmarna har ingen egen CSS (den står i
    app.tcss), och nya widgetslags CSS läses ändå in när de monteras; skärmen markeras därför
    som aktuell. Det sparar en kvarts sekund på väg till Beslut-listan (bench/tui_start.py). Den
    första skärmen (Översikt) skapas medan appen startar och behöver Textuals första stilsättning."""
    def skapa() -> Screen:
        screen = _klass(path)()
        if path != _SKARMAR[0][3]:
            screen._css_update_count = screen.app._css_update_count
        return screen

    return skapa


def __getattr__(name: str) -> object:
    """`SKARMAR`: (läge, rubrik, tangent, skärmklass), med klasserna importerade (för testerna
    och hjälpen; appen själv importerar en skärm först när den visas)."""
    if name == "SKARMAR":
        return tuple((n, t, k, _klass(p)) for n, t, k, p in _SKARMAR)
    raise AttributeError(name)



#: Vad en roll måste få för att se skärmen (Översikt visar bara antal och får alla se).
SKARM_BEHORIGHET: dict[str, tuple[Behorighet, ...]] = {
    "beslut": (Behorighet.SE_BESLUT,),
    "matchning": (Behorighet.MATCHA,),
    "schema": (Behorighet.SE_SCHEMA,),
    "rapporter": (Behorighet.SE_RAPPORTER,),
    "resurser": (Behorighet.SE_PERSONAL, Behorighet.SE_UPPDRAGSTAGARE),
}


#: En import går inte att avbryta halvvägs (allt eller inget i en transaktion).
IMPORT_PAGAR = ("Importen går inte att avbryta halvvägs: den sparar allt eller inget när alla rader är "
                "kontrollerade.")


class BemanningApp(App):
    TITLE = "bemanning"
    SUB_TITLE = "Översikt"
    CSS_PATH = "app.tcss"
    MODES = {name: _skapa(path) for name, _title, _key, path in _SKARMAR}
    DEFAULT_MODE = "oversikt"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS = [
        *[
            Binding(key, f"skarm('{name}')", title, show=False, id=f"skarm-{name}", tooltip=f"Gå till {title}")
            for name, title, key, _path in _SKARMAR
        ],
        Binding("f1", "hjalp", "Hjälp", id="hjalp", tooltip="Hjälp för skärmen som visas"),
        Binding("ctrl+p", "command_palette", "Kommandon", show=False, priority=True, id="kommandon",
                tooltip="Alla kommandon, med sök"),
        Binding("ctrl+o", "importera", "Importera", id="importera", tooltip="Importera filer till registret"),
        Binding("ctrl+t", "tema", "Ljust/mörkt", show=False, id="tema", tooltip="Växla mellan ljust och mörkt tema"),
        Binding("ctrl+q", "quit", "Avsluta", show=False, id="avsluta", tooltip="Avsluta programmet", priority=True),
    ]

    def __init__(self, register: Register, *, today: date | None = None, theme: str | None = None,
                 user: Anvandare | None = None) -> None:
        super().__init__()
        self.register = register
        #: Den inloggade och hens roller; det en roll inte får se visas inte alls.
        self.user = user or rights.current_user(register, {})
        self.today = today or date.today()
        self.theme = theme or DARK_THEME
        #: Senaste schemat som byggts i den här sessionen (för översikten), satt av Schema.
        self.senaste_schema: object | None = None

    # -- Ctrl+C ----------------------------------------------------------------------

    #: Långa arbeten som Ctrl+C avbryter (arbetarnas grupper).
    LANGT_ARBETE = {"schema": "Schemaläggningen", "matchning": "Matchningen", "import": "Importen"}

    def action_help_quit(self) -> None:
        """Ctrl+C: pågår ett långt arbete (ett schema, en matchning) avbryts det; annars sägs hur
        man avslutar. Textuals egen text är engelska."""
        if self._import_pagar():
            self.notify(IMPORT_PAGAR + " Ctrl+R kontrollerar utan att spara.", title="Importen pågår", timeout=6)
            return
        running = [w for w in self.workers if w.group in self.LANGT_ARBETE and w.is_running]
        if running:
            for worker in running:
                worker.cancel()
            names = ", ".join(sorted({self.LANGT_ARBETE[w.group] for w in running}))
            self.notify(f"{names} avbröts. Avsluta programmet med Ctrl+Q.", title="Avbrutet", timeout=5)
            return
        self.notify("Avsluta programmet med Ctrl+Q.", title="Vill du avsluta?", timeout=4)

    def _import_pagar(self) -> bool:
        return any(w.group == "import" and w.is_running for w in self.workers)

    async def action_quit(self) -> None:
        """Ctrl+Q mitt i en import avslutade inte: fönstret försvann men processen väntade på
        importen och sparade den ändå. Nu sägs det, och programmet är kvar."""
        if self._import_pagar():
            self.notify(IMPORT_PAGAR + " Avsluta när den är klar.", title="Importen pågår",
                        severity="warning", timeout=6)
            return
        await super().action_quit()

    # -- fel -----------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Ett fel som ingen skärm tog hand om. Ett fel användaren kan göra något åt (registret är
        skrivskyddat, en konflikt, en ogiltig uppgift) blir ett meddelande, och programmet går
        vidare. Ett programfel avslutar med en svensk mening och en loggfil, aldrig med Textuals
        traceback, som visar lokala variabler (där personuppgifter kan stå)."""
        if isinstance(error, UserError):
            self.notify(error.message, severity="error", title="Det gick inte", timeout=8)
            return
        self._return_code = 1
        if self._exception is None:  # så att testerna (run_test) ser felet
            self._exception = error
            self._exception_event.set()
        self.bell()
        path = crashlog.write(error, "det interaktiva programmet")
        self.panic(crashlog.message(path))

    def may_do(self, action: Atgard) -> bool:
        """Får användaren göra åtgärden? Avgörs av tjänstelagret, samma regel som kommandoradens."""
        return rights.may_do(self.user, action)

    def require(self, action: Atgard | str) -> bool:
        """Pröva åtgärden innan den görs (en `Atgard` eller dess namn, t.ex. "ANDRA_PERSONAL"); nekad
        blir ett meddelande (och False), aldrig ett fel. Skärmarna frågar här, inte själva."""
        try:
            rights.require(self.user, action if isinstance(action, Atgard) else Atgard[action])
        except UserError as exc:
            self.notify(exc.message, severity="error", title="Ingen behörighet", timeout=6)
            return False
        return True

    def may_see(self, name: str) -> bool:
        return any(may(self.user, right) for right in SKARM_BEHORIGHET.get(name, ())) or name == "oversikt"

    # -- navigering --------------------------------------------------------------

    def action_skarm(self, name: str) -> None:
        if not self.may_see(name):
            title = dict((n, t) for n, t, _k, _c in _SKARMAR)[name]
            self.notify(f"Din roll får inte se {title}.", severity="warning", timeout=3)
            return
        if self.current_mode != name:
            self.switch_mode(name)
        self.sub_title = dict((n, t) for n, t, _k, _c in _SKARMAR)[name]

    def action_hjalp(self) -> None:
        screen = self.screen
        from tui.screens.dialogs import HelpScreen

        if isinstance(screen, HelpScreen):
            screen.dismiss()
            return
        self.push_screen(HelpScreen.for_screen(screen))

    def action_tema(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME
        self.notify("Ljust tema" if self.theme == LIGHT_THEME else "Mörkt tema", timeout=2)

    def action_importera(self) -> None:
        if not self.require(Atgard.IMPORTERA):
            return
        from tui.screens.importera import ImportDialog

        self.push_screen(ImportDialog(), self._import_done)

    def action_behorighet(self) -> None:
        if not self.require(Atgard.HANTERA_BEHORIGHET):
            return
        from tui.screens.behorighet import BehorighetScreen

        self.push_screen(BehorighetScreen())

    def _import_done(self, result: object) -> None:
        if result:
            self.register_changed()

    def register_changed(self) -> None:
        """Registret har ändrats (import, händelse, matchning). Den synliga skärmen läser om
        direkt; de andra läser om när de visas nästa gång (de jämför senaste händelsens id)."""
        screen = self.screen
        if isinstance(screen, BasScreen):
            screen.refresh_if_changed()

    # -- fel ---------------------------------------------------------------------

    def show_error(self, title: str, message: str, details: Iterable[str] = ()) -> None:
        """En feldialog med en mening som användaren kan handla efter, och eventuella detaljer."""
        from tui.screens.dialogs import ErrorDialog

        self.push_screen(ErrorDialog(title, message, list(details)))

    # -- kommandopaletten ----------------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="Sök bland kommandona …"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for name, title, key, _path in _SKARMAR:
            if self.current_mode != name and self.may_see(name):
                yield SystemCommand(f"Gå till {title}", f"Visa skärmen {title} (tangent {key})", _bind(self.action_skarm, name))
        if self.may_do(Atgard.IMPORTERA):
            yield SystemCommand("Importera filer", "Läs in beslut, erbjudanden, uppdragstagare, personal eller enheter", self.action_importera)
        if self.may_do(Atgard.HANTERA_BEHORIGHET) and self.register.dialect == "postgresql":
            yield SystemCommand("Behörigheter", "Vem som har vilka roller, enheter och områden i registret",
                                self.action_behorighet)
        if isinstance(screen, BasScreen):
            yield from screen.commands()
        yield SystemCommand("Hjälp", "Hjälp för skärmen som visas (F1)", self.action_hjalp)
        yield SystemCommand(
            "Ljust tema" if self.theme == DARK_THEME else "Mörkt tema",
            "Växla mellan ljust och mörkt tema (Ctrl+T)",
            self.action_tema,
        )
        yield SystemCommand("Avsluta", "Avsluta programmet (Ctrl+Q)", self.action_quit)


def _bind(fn: Callable[[str], None], arg: str) -> Callable[[], None]:
    return lambda: fn(arg)


def create_app(db: str | Path, *, today: date | None = None, theme: str | None = None) -> BemanningApp:
    """Den enda appfabriken: används av `bemanning`, `bemanning demo` och testerna.

    Vem användaren är och vad hen får avgör tjänstelagret (`bemanning.services.rights`): i ett
    gemensamt register servern (inloggningen och dess roller), i en egen fil datorns konto."""
    register = open_register(db)
    try:
        user = rights.current_user(register)
    except UserError:
        register.close()
        raise
    return BemanningApp(register, today=today, theme=theme, user=user)


def run(db: str) -> int:
    app = create_app(db)
    try:
        app.run()
    finally:
        app.register.close()
    return app.return_code or 0
