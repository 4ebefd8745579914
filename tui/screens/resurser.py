"""Resurser: uppdragstagare och personal, med granskningsstatus och tillgänglighet."""

from __future__ import annotations

from typing import Any

import attrs
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from bemanning.access import visible_personal, visible_uppdragstagare
from bemanning.errors import AlreadyExistsError, UserError
from bemanning.model.handelse import Entitet
from bemanning.model.resurser import Personal, Uppdragstagare, Vetting
from bemanning.model.values import parse_date
from bemanning.store import recording
from tui.screens.base import BasScreen
from tui.screens.dialogs import Falt, FormDialog, FormErrors
from tui.screens.formular import (
    PERSONAL_DOLDA,
    UPPDRAG_DOLDA,
    check,
    hidden_values,
    nasta_id,
    personal_falt,
    prefilled,
    uppdrag_falt,
)
from tui.widgets.flikrad import Flikrad
from tui.widgets.format import omrade_namn, tal

TID_TEXT = {"vardag": "vardag", "kvall": "kväll", "helg": "helg"}

# Det viktigaste först, så att det syns också i 80 kolumner: vem, och om hen får ta uppdrag.
# Tider rymmer "helg, kväll, vardag" (19 tecken).
UPPDRAG_KOLUMNER = (("Id", 6), ("Namn", 20), ("Status", 15), ("Kön", 3), ("Född", 4), ("Område", 8),
                    ("Tider", 19), ("Språk", 10))
PERSONAL_KOLUMNER = (("Id", 6), ("Namn", 20), ("Enhet", 12), ("Grad", 5), ("Kontaktp.", 9),
                     ("Kompetens", 16), ("Mått", 6), ("Tider", 19))


def tider(values: tuple[str, ...]) -> str:
    return ", ".join(TID_TEXT.get(t, t) for t in values)


def uppdrag_rad(u: Uppdragstagare) -> list[Any]:
    style = "green" if u.status is Vetting.GODKAND else "yellow"
    return [u.uppdragstagare_id, u.namn, Text(u.status.value, style=style), u.kon.value,
            str(u.fodelsear or ""), omrade_namn(u.omrade) if u.omrade else "", tider(u.tider), ", ".join(u.sprak)]


def personal_rad(p: Personal) -> list[Any]:
    return [p.personal_id, p.namn, p.enhet, f"{tal(p.sysselsattningsgrad)} %", "ja" if p.kan_kontaktperson else "",
            ", ".join(p.kompetenser), tal(p.arbetstidsmatt, 2), tider(p.tider)]


def uppdrag_detalj(u: Uppdragstagare) -> str:
    lines = [
        f"[b]{u.namn}[/b] ({u.uppdragstagare_id}) · {u.kon.ord}" + (f", född {u.fodelsear}" if u.fodelsear else ""),
        f"Granskning: [b]{u.status.value}[/b]"
        + (f" · registerutdrag {u.registerutdrag_datum.isoformat()}" if u.registerutdrag_datum else " · inget registerutdrag"),
        f"Tillgänglig: {tider(u.tider) or '–'} · högst {u.max_uppdrag} uppdrag, {tal(u.max_timmar_per_manad, 1)} tim/mån",
    ]
    if u.alder_min is not None or u.alder_max is not None:
        lines.append(f"Tar enskilda i åldern {u.alder_min or 0}–{u.alder_max or '∞'} år")
    if u.max_avstand_km:
        lines.append(f"Reser högst {tal(u.max_avstand_km)} km")
    if u.sprak:
        lines.append("Språk: " + ", ".join(u.sprak))
    if u.intressen:
        lines.append("Intressen: " + ", ".join(u.intressen))
    if u.erfarenheter:
        lines.append("Erfarenhet: " + ", ".join(u.erfarenheter))
    if u.kanal:
        lines.append(f"Rekryterad via {u.kanal}")
    return "\n".join(lines)


def personal_detalj(p: Personal) -> str:
    lines = [
        f"[b]{p.namn}[/b] ({p.personal_id}) · enhet {p.enhet}",
        f"Sysselsättningsgrad {tal(p.sysselsattningsgrad)} %"
        + (f" (önskar {tal(p.onskad_grad)} %)" if p.onskad_grad else "")
        + f" · arbetstidsmått {tal(p.arbetstidsmatt, 2)} tim/vecka",
        "Kompetens: " + (", ".join(p.kompetenser) or "–"),
        f"Kan ta kontaktpersonsuppdrag: {'ja' if p.kan_kontaktperson else 'nej'}"
        + (f" · {tal(p.resurstimmar_per_manad, 1)} resurstimmar/mån" if p.resurstimmar_per_manad else ""),
        f"Tillgänglig: {tider(p.tider) or '–'}" + ("" if p.introducerad else " · [b]ej introducerad[/b]"),
    ]
    if p.sprak:
        lines.append("Språk: " + ", ".join(p.sprak))
    if p.intressen:
        lines.append("Intressen: " + ", ".join(p.intressen))
    return "\n".join(lines)


class ResurserScreen(BasScreen):
    TITLE_SV = "Resurser"
    AUTO_FOCUS = "#tabell-uppdragstagare"
    HELP = """
# Resurser

**Uppdragstagare**: lekmän med arvode (kontaktpersoner m.fl.), med granskningsstatus
(intresseanmälan → intervju → referenser → registerutdrag → godkänd). Bara godkända föreslås av
matchningen. **Personal**: anställda med enhet, kompetens, sysselsättningsgrad och om de kan ta
kontaktpersonsuppdrag inom sina resurspass.

Växla flik med `u` (uppdragstagare) och `p` (personal). Sök med `/`. Rutan under tabellen visar
den markerade personen: tillgänglighet, språk, intressen och granskning.

**Ny person** med `n` (uppdragstagare eller anställd efter fliken som visas). **Ändra** den
markerade med `e` eller Enter. Fälten kontrolleras med samma regler som importen; ett felaktigt
fält markeras i rött med förklaringen under fältet. En ändring sparas som en daterad händelse
med gamla och nya värden ("Gäller från").

**Granskning** med `g`: flytta en uppdragstagare till nästa steg. Godkänd kräver datum för
registerutdraget.

Många personer på en gång förs in genom import av en fil (`Ctrl+O`); samma fil två gånger ger
inga dubbletter.
"""
    BINDINGS = [
        Binding("u", "flik('uppdragstagare')", "Uppdragstagare", id="resurser-uppdrag", tooltip="Visa uppdragstagare"),
        Binding("p", "flik('personal')", "Personal", id="resurser-personal", tooltip="Visa personal"),
        Binding("slash", "sok", "Sök", id="resurser-sok", tooltip="Sök på namn, id, enhet eller område"),
        Binding("n", "ny", "Ny person", id="resurser-ny", tooltip="Ny uppdragstagare eller anställd (efter fliken)"),
        Binding("e", "andra", "Ändra", id="resurser-andra", tooltip="Ändra den markerade personen (även Enter)"),
        Binding("g", "granskning", "Granskning", id="resurser-granskning",
                tooltip="Ändra granskningsstatus för den markerade uppdragstagaren"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.uppdrag: list[Uppdragstagare] = []
        self.personal: list[Personal] = []
        self._urval: dict[str, list[Any]] = {"uppdragstagare": [], "personal": []}
        #: (flik, id) att markera när listan lästs om efter att något sparats
        self._markera: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Flikrad("resurser")
        with Vertical(id="resurser"):
            with Horizontal(classes="filterrad"):
                yield Input(placeholder="Sök (/)", id="resurs-sok", compact=True)
                yield Static("", id="resurs-info", classes="infolinje")
            with TabbedContent(id="resurs-flikar"):
                with TabPane("Uppdragstagare", id="uppdragstagare"):
                    yield DataTable(id="tabell-uppdragstagare", cursor_type="row", zebra_stripes=True)
                with TabPane("Personal", id="personal"):
                    yield DataTable(id="tabell-personal", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="resurs-detalj"):
                yield Static("", id="resurs-detalj-text")
        yield Footer()

    def on_mount(self) -> None:
        for name, cols in (("uppdragstagare", UPPDRAG_KOLUMNER), ("personal", PERSONAL_KOLUMNER)):
            table = self.query_one(f"#tabell-{name}", DataTable)
            for title, width in cols:
                table.add_column(title, width=width)

    def reload(self) -> None:
        self.las()

    @work(thread=True, exclusive=True, exit_on_error=False, group="resurser")
    def las(self) -> None:
        reg = self.bapp.register
        user = self.bapp.user
        uppdrag = visible_uppdragstagare(user, reg.uppdragstagare(self.bapp.today))
        personal = visible_personal(user, reg.personal(self.bapp.today), reg.enheter(self.bapp.today))
        self.app.call_from_thread(self._laddat, uppdrag, personal)

    def _laddat(self, uppdrag: list[Uppdragstagare], personal: list[Personal]) -> None:
        self.uppdrag, self.personal = uppdrag, personal
        self.filtrera()

    def filtrera(self) -> None:
        words = self.query_one("#resurs-sok", Input).value.lower().split()

        def match(*parts: Any) -> bool:
            text = " ".join(str(p) for p in parts if p).lower()
            return all(w in text for w in words)

        u = [x for x in self.uppdrag if match(x.uppdragstagare_id, x.namn, x.omrade, x.status.value, *x.sprak)]
        p = [x for x in self.personal if match(x.personal_id, x.namn, x.enhet, *x.kompetenser)]
        self._urval = {"uppdragstagare": u, "personal": p}
        for name, items, fn in (("uppdragstagare", u, uppdrag_rad), ("personal", p, personal_rad)):
            table = self.query_one(f"#tabell-{name}", DataTable)
            table.clear()
            table.add_rows(fn(x) for x in items)
        godkanda = sum(1 for x in self.uppdrag if x.status is Vetting.GODKAND)
        heltid = sum(1 for x in self.personal if x.heltid)
        self.query_one("#resurs-info", Static).update(
            f"{len(self.uppdrag)} uppdragstagare ({godkanda} godkända) · "
            f"{len(self.personal)} anställda ({heltid} heltid)"
        )
        if self._markera is not None:
            name, key = self._markera
            self._markera = None
            index = next((i for i, x in enumerate(self._urval[name]) if _id(x) == key), None)
            if index is not None:
                self.query_one(f"#tabell-{name}", DataTable).move_cursor(row=index)
        self._visa_markerad()

    @on(Input.Changed, "#resurs-sok")
    def _sok(self) -> None:
        self.filtrera()

    @on(Input.Submitted, "#resurs-sok")
    def _sok_klar(self) -> None:
        self._aktiv_tabell().focus()

    def _aktiv(self) -> str:
        return self.query_one(TabbedContent).active or "uppdragstagare"

    def _aktiv_tabell(self) -> DataTable:
        return self.query_one(f"#tabell-{self._aktiv()}", DataTable)

    def action_flik(self, name: str) -> None:
        self.query_one(TabbedContent).active = name
        self.query_one(f"#tabell-{name}", DataTable).focus()
        self._visa_markerad()

    def action_sok(self) -> None:
        self.query_one("#resurs-sok", Input).focus()

    def key_escape(self) -> None:
        self._aktiv_tabell().focus()

    @on(TabbedContent.TabActivated)
    def _flik(self) -> None:
        self._visa_markerad()

    @on(DataTable.RowHighlighted)
    def _markerad(self) -> None:
        self._visa_markerad()

    def _visa_markerad(self) -> None:
        name = self._aktiv()
        items = self._urval.get(name, [])
        row = self._aktiv_tabell().cursor_row
        text = ""
        if 0 <= row < len(items):
            item = items[row]
            text = uppdrag_detalj(item) if name == "uppdragstagare" else personal_detalj(item)
        elif not items:
            text = "Ingen att visa. Importera uppdragstagare eller personal med Ctrl+O."
        self.query_one("#resurs-detalj-text", Static).update(text)

    # -- ny, ändra, granskning ---------------------------------------------------------

    def markerad(self) -> Any | None:
        items = self._urval.get(self._aktiv(), [])
        row = self._aktiv_tabell().cursor_row
        return items[row] if 0 <= row < len(items) else None

    def action_ny(self) -> None:
        self._formular(None)

    def action_andra(self) -> None:
        item = self.markerad()
        if item is None:
            self.notify("Markera en person i tabellen först, eller lägg till en ny med n.", severity="warning")
            return
        self._formular(item)

    @on(DataTable.RowSelected)
    def _vald(self) -> None:
        self.action_andra()

    def _formular(self, item: Any | None) -> None:
        name = self._aktiv()
        if not self.bapp.require("ANDRA_UPPDRAGSTAGARE" if name == "uppdragstagare" else "ANDRA_PERSONAL"):
            return
        today = self.bapp.today
        ny = item is None
        if name == "uppdragstagare":
            kind, fields, dolda = "uppdragstagare", uppdrag_falt(today, ny=ny), UPPDRAG_DOLDA
            title = "Ny uppdragstagare" if ny else f"Ändra uppdragstagare {item.uppdragstagare_id}"
        else:
            kind, fields, dolda = "personal", personal_falt(today, ny=ny), PERSONAL_DOLDA
            title = "Ny anställd" if ny else f"Ändra anställd {item.personal_id}"
        if item is not None:
            fields = prefilled([f for f in fields if f.name != "datum"], item) + [fields[-1]]
        else:
            # Förslaget räknas från alla id i registret, inte bara från dem rollen ser.
            entitet = Entitet.UPPDRAGSTAGARE if name == "uppdragstagare" else Entitet.PERSONAL
            forslag = nasta_id(self.bapp.register.keys(entitet), "U" if name == "uppdragstagare" else "P")
            fields[0] = attrs.evolve(fields[0], value=forslag, hint="Förslag: nästa lediga id.")
        hidden = hidden_values(item, dolda)

        def submit(values: dict[str, str]) -> tuple[str, bool]:
            datum = parse_date("datum", values.pop("datum"))
            result = check(kind, {**hidden, **values}, today)
            key = _id(result.value)
            if not ny:
                event = recording.change_resurs(self.bapp.register, result.value, datum)
                return key, event is not None
            try:
                recording.create_resurs(self.bapp.register, result.value, datum)
            except AlreadyExistsError:
                raise FormErrors({fields[0].name: f"{key} finns redan; välj ett annat id."}) from None
            return key, True

        intro = ("Id, namn och kön måste fyllas i." if kind == "uppdragstagare" else "Id, namn och enhet måste fyllas i.")
        if not ny:
            intro = "Ändringen sparas med gamla och nya värden från dagen i ”Gäller från”."
        self.app.push_screen(FormDialog(title, fields, submit, intro=intro + " Ctrl+S sparar."),
                             lambda result: self._sparat(name, result, ny))

    def _sparat(self, name: str, result: tuple[str, bool] | None, ny: bool) -> None:
        if not result:
            return
        key, changed = result
        if not changed:
            self.notify(f"{key}: inget ändrat.", timeout=3)
            return
        self.notify(f"{key} {'registrerad' if ny else 'ändrad'}.", title="Sparat")
        self._markera = (name, key)
        self.bapp.register_changed()

    def action_granskning(self) -> None:
        if self._aktiv() != "uppdragstagare":
            self.notify("Granskning gäller uppdragstagare; byt flik med u.", severity="warning")
            return
        if not self.bapp.require("ANDRA_UPPDRAGSTAGARE"):
            return
        item = self.markerad()
        if item is None:
            self.notify("Markera en uppdragstagare i tabellen först.", severity="warning")
            return
        today = self.bapp.today
        fields = [
            Falt("status", "Ny status", kind="val", value=_nasta(item.status).value,
                 options=tuple((v.value.capitalize(), v.value) for v in Vetting)),
            Falt("registerutdrag_datum", "Registerutdrag", kind="datum",
                 value=item.registerutdrag_datum.isoformat() if item.registerutdrag_datum else "",
                 hint="Datum på utdraget ur belastningsregistret; krävs för godkänd."),
            Falt("datum", "Datum", kind="datum", value=today.isoformat()),
        ]
        key = item.uppdragstagare_id

        def submit(values: dict[str, str]) -> Vetting:
            status = Vetting.parse(values["status"])
            utdrag = parse_date("registerutdrag_datum", values["registerutdrag_datum"]) if values["registerutdrag_datum"] else None
            datum = parse_date("datum", values["datum"])
            try:
                recording.set_vetting(self.bapp.register, key, status, datum, registerutdrag_datum=utdrag)
            except UserError as exc:
                if status is Vetting.GODKAND and utdrag is None and item.registerutdrag_datum is None:
                    raise FormErrors({"registerutdrag_datum": exc.message}) from None
                raise FormErrors({"status": exc.message}) from None
            return status

        def done(status: Vetting | None) -> None:
            if status is None:
                return
            self.notify(f"{key}: {status.value}.", title="Granskning sparad")
            self._markera = ("uppdragstagare", key)
            self.bapp.register_changed()

        self.app.push_screen(
            FormDialog(f"Granskning: {item.namn} ({key})", fields, submit,
                       intro=f"Nu: {item.status.value}. Bara godkända uppdragstagare föreslås av matchningen."),
            done,
        )

    def commands(self):
        yield SystemCommand("Ny uppdragstagare" if self._aktiv() == "uppdragstagare" else "Ny anställd",
                            "Lägg till en person (N)", self.action_ny)
        item = self.markerad()
        if item is not None:
            yield SystemCommand(f"Ändra {_id(item)}", "Ändra den markerade personen (E)", self.action_andra)
            if isinstance(item, Uppdragstagare):
                yield SystemCommand(f"Granskning för {_id(item)}", "Ändra granskningsstatus (G)", self.action_granskning)
        yield SystemCommand("Visa uppdragstagare", "Fliken uppdragstagare (U)", lambda: self.action_flik("uppdragstagare"))
        yield SystemCommand("Visa personal", "Fliken personal (P)", lambda: self.action_flik("personal"))
        yield SystemCommand("Sök resurser", "Flytta till sökfältet (/)", self.action_sok)


def _id(item: Any) -> str:
    return item.uppdragstagare_id if isinstance(item, Uppdragstagare) else item.personal_id


def _nasta(status: Vetting) -> Vetting:
    steps = list(Vetting)
    return steps[min(steps.index(status) + 1, len(steps) - 1)]
