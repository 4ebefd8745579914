"""Resurser: uppdragstagare och personal, med granskningsstatus och tillgänglighet."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from bemanning.model.resurser import Personal, Uppdragstagare, Vetting

from tui.screens.base import BasScreen
from tui.widgets.flikrad import Flikrad
from tui.widgets.format import tal

TID_TEXT = {"vardag": "vardag", "kvall": "kväll", "helg": "helg"}

UPPDRAG_KOLUMNER = (("Id", 7), ("Namn", 20), ("Kön", 3), ("Född", 5), ("Område", 7), ("Tider", 18),
                    ("Status", 15), ("Språk", 10))
PERSONAL_KOLUMNER = (("Id", 7), ("Namn", 20), ("Enhet", 12), ("Kompetens", 16), ("Grad", 5),
                     ("Mått", 6), ("Kontaktp.", 9), ("Tider", 18))


def tider(values: tuple[str, ...]) -> str:
    return ", ".join(TID_TEXT.get(t, t) for t in values)


def uppdrag_rad(u: Uppdragstagare) -> list[Any]:
    style = "green" if u.status is Vetting.GODKAND else "yellow"
    return [u.uppdragstagare_id, u.namn, u.kon.value, str(u.fodelsear or ""), u.omrade or "",
            tider(u.tider), Text(u.status.value, style=style), ", ".join(u.sprak)]


def personal_rad(p: Personal) -> list[Any]:
    return [p.personal_id, p.namn, p.enhet, ", ".join(p.kompetenser), f"{tal(p.sysselsattningsgrad)} %",
            tal(p.arbetstidsmatt, 2), "ja" if p.kan_kontaktperson else "", tider(p.tider)]


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

Nya och ändrade personer förs in genom import av en fil (`Ctrl+O`); samma fil två gånger ger
inga dubbletter, och ändringar visas innan de sparas.
"""
    BINDINGS = [
        Binding("u", "flik('uppdragstagare')", "Uppdragstagare", id="resurser-uppdrag", tooltip="Visa uppdragstagare"),
        Binding("p", "flik('personal')", "Personal", id="resurser-personal", tooltip="Visa personal"),
        Binding("slash", "sok", "Sök", id="resurser-sok", tooltip="Sök på namn, id, enhet eller område"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.uppdrag: list[Uppdragstagare] = []
        self.personal: list[Personal] = []
        self._urval: dict[str, list[Any]] = {"uppdragstagare": [], "personal": []}

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
        uppdrag = reg.uppdragstagare(self.bapp.today)
        personal = reg.personal(self.bapp.today)
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

    def commands(self):
        yield SystemCommand("Visa uppdragstagare", "Fliken uppdragstagare (U)", lambda: self.action_flik("uppdragstagare"))
        yield SystemCommand("Visa personal", "Fliken personal (P)", lambda: self.action_flik("personal"))
        yield SystemCommand("Sök resurser", "Flytta till sökfältet (/)", self.action_sok)
