"""Behörigheter: vem som har vilka roller, enheter och områden i ett gemensamt register.

Bara för en administratör (kommandopaletten visar den inte för andra). Varje ändring går genom
tjänstelagret (`bemanning.services.rights.change_behorighet`), som kommandoradens
`bemanning behorighet`, och servern prövar rätten en gång till.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from bemanning.services import rights
from tui.screens.dialogs import Falt, FormDialog

SLAG_VAL = (("Roll", "roll"), ("Enhet", "enhet"), ("Område", "omrade"))

HJALP = (
    "En roll ges genom att databasinloggningen tilldelas gruppen för rollen (bemanning_enhetschef …). "
    "Enheter styr vad en enhetschef ser, områden vad en schemaläggare ser. Inloggningen skapas av "
    "databasens förvaltare. Roller: enhetschef, schemalaggare, controller, administrator, granskare."
)


class BehorighetScreen(ModalScreen[None]):
    """Tabellen över behörigheter, med n (ge) och d (ta bort)."""

    BINDINGS = [
        Binding("escape", "stang", "Stäng", id="behorighet-stang", tooltip="Tillbaka till programmet"),
        Binding("n", "ge", "Ge", id="behorighet-ge", tooltip="Ge en inloggning en roll, en enhet eller ett område"),
        Binding("d", "ta", "Ta bort", id="behorighet-ta",
                tooltip="Ta en roll, en enhet eller ett område från en inloggning"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="behorighet"):
            yield Static("[b]Behörigheter[/b]", id="behorighet-rubrik")
            yield Static(HJALP, id="behorighet-hjalp")
            yield DataTable(id="behorighet-tabell", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Användare", "Roller", "Enheter", "Områden")
        self.las_om()

    def las_om(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        rows = rights.behorighet_table(self.app.register, self.app.user)  # type: ignore[attr-defined]
        for row in rows:
            table.add_row(*row)
        if not rows:
            table.add_row("Inga behörigheter ännu", "", "", "")

    def _markerad(self) -> str:
        table = self.query_one(DataTable)
        if table.row_count and 0 <= table.cursor_row < table.row_count:
            name = str(table.get_row_at(table.cursor_row)[0])
            return "" if name.startswith("Inga ") else name
        return ""

    def _formular(self, add: bool) -> None:
        fields = [
            Falt("anvandare", "Inloggning", value=self._markerad(), placeholder="t.ex. anna"),
            Falt("slag", "Slag", kind="val", value="roll", options=SLAG_VAL),
            Falt("varde", "Roll, enhet eller område", placeholder="t.ex. enhetschef, HT-NORR eller norr"),
        ]

        def submit(values: dict[str, str]) -> str:
            return rights.change_behorighet(self.app.register, self.app.user,  # type: ignore[attr-defined]
                                            values["anvandare"], values["slag"], values["varde"], add=add)

        def done(result: object) -> None:
            if isinstance(result, str):
                self.notify(result, title="Behörigheter", timeout=4)
                self.las_om()

        self.app.push_screen(FormDialog("Ge behörighet" if add else "Ta bort behörighet", fields, submit,
                                        save_label="Ge" if add else "Ta bort"), done)

    def action_ge(self) -> None:
        self._formular(True)

    def action_ta(self) -> None:
        self._formular(False)

    def action_stang(self) -> None:
        self.dismiss(None)
