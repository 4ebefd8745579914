"""Rapporter: välj rapport och period, se den exakt som den skrivs ut, exportera i varje format.

Alla siffror kommer från `bemanning.reports`; förhandsvisningen är rapportens textform
(`plain_text`), samma dokument som skrivs till DOCX, XLSX, CSV och Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import attrs
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from bemanning.errors import UserError
from bemanning.model.errors import ValidationError
from bemanning.reports import manadsrapport
from bemanning.reports.aterforing import aterforing_csv
from bemanning.reports.format import FORMAT, Dokument, plain_text, render, tabell_csv
from bemanning.reports.installningar import load_installningar
from bemanning.reports.ivo import Kvartal, ivo_dokument, ivo_tabell, kf_dokument, kvartalsstatistik
from bemanning.reports.jamforelse import jamforelse, jamforelse_dokument
from bemanning.reports.revisorer import revisorer_dokument, revisorer_varningar
from bemanning.reports.sarskild_avgift import avgift_dokument
from bemanning.reports.urval import (
    avgiftsrisk_ur_registret,
    ivo_ur_registret,
    lagen_for_jamforelse,
    statistikrapport_for_utskrift,
)
from bemanning.svenska import tal
from tui.screens.base import BasScreen
from tui.screens.dialogs import FileSaveDialog
from tui.widgets.flikrad import Flikrad
from tui.widgets.format import manad_slut

SLAG = (
    ("Månadsrapport till nämnd och KF", "manad"),
    ("IVO, kvartal (individrapport)", "ivo"),
    ("Revisorer, kvartal (per beslut)", "revisorer"),
    ("KF, kvartal (statistikrapport)", "kf"),
    ("Jämförelse mellan två månader", "jamfor"),
    ("Risk för särskild avgift", "avgift"),
    ("Återföring till verksamhetssystemet", "aterforing"),
)
KVARTALSSLAG = ("ivo", "revisorer", "kf")
#: Formatet exportdialogen föreslår, detsamma som `bemanning rapport SLAG` utan --format (IVO:s
#: e-tjänst läser CSV; avgiftslistan är en arbetslista i Excel; jämförelsen Markdown). Övriga: Word.
FORSTA_FORMAT = {"ivo": "csv", "avgift": "xlsx", "jamfor": "md"}

_MANAD = re.compile(r"^(\d{4})-(\d{1,2})$")
_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_manad(field: str, text: str) -> date:
    """`ÅÅÅÅ-MM` (månadens sista dag) eller ett datum `ÅÅÅÅ-MM-DD`."""
    value = text.strip()
    match = _MANAD.match(value)
    if match and 1 <= int(match.group(2)) <= 12:
        return manad_slut(int(match.group(1)), int(match.group(2)))
    if _DATUM.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(field, f'"{text}" är ingen månad; skriv ÅÅÅÅ-MM (till exempel 2023-12) eller ett datum.')


def parse_kvartal(field: str, text: str) -> Kvartal:
    try:
        return Kvartal.parse(text.strip().upper())
    except UserError as exc:
        raise ValidationError(field, exc.message) from None


def steg(text: str, slag: str, n: int) -> str:
    """Perioden `n` steg framåt (eller bakåt)."""
    if slag in KVARTALSSLAG:
        k = parse_kvartal("period", text)
        index = k.ar * 4 + (k.nummer - 1) + n
        return str(Kvartal(index // 4, index % 4 + 1))
    day = parse_manad("period", text)
    index = day.year * 12 + (day.month - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@attrs.frozen
class Forhandsvisning:
    titel: str
    text: str
    filnamn: str
    format: tuple[str, ...]
    produce: Callable[[str], bytes]
    varningar: tuple[str, ...] = ()  # vad som saknas (t.ex. födelsedatum), med beslut-id
    text_for: Callable[[int], str] | None = None  # texten radbruten för en viss bredd


def bygg(reg, slag: str, period: str, fran: str) -> Forhandsvisning:
    """Rapporten som dokument och text, ur kärnans rapportfunktioner."""
    settings = load_installningar()
    forst = FORSTA_FORMAT.get(slag, "docx")
    formats = (forst, *(f for f in FORMAT if f != forst))
    if slag in KVARTALSSLAG:
        kvartal = parse_kvartal("period", period)
        # bara besluten som väntade under kvartalet viks ihop (ärende-id över hela registret)
        rapport = ivo_ur_registret(reg, kvartal, settings.regel, reg.katalog)
        varningar: tuple[str, ...] = ()
        if slag == "ivo":
            dok = ivo_dokument(rapport, settings)
            name = f"ivo-{kvartal}"
            varningar = rapport.varningar
        elif slag == "revisorer":
            dok = revisorer_dokument(rapport, settings)
            name = f"revisorer-{kvartal}"
            varningar = revisorer_varningar(rapport)
        else:
            dok = kf_dokument([kvartalsstatistik(rapport)], settings)
            name = f"kf-{kvartal}"
        forhand = attrs.evolve(_dok(dok, name, formats), varningar=varningar)
        if slag == "ivo":
            # CSV:n är tabellen IVO:s e-tjänst läser, utan rubrik och text (som `bemanning rapport ivo`)
            forhand = attrs.evolve(forhand, produce=lambda fmt: (
                tabell_csv(ivo_tabell(rapport)) if fmt == "csv" else render(dok, fmt)))
        return forhand
    day = parse_manad("period", period)
    if slag == "manad":
        rapport = statistikrapport_for_utskrift(reg, day, settings.regel)  # som `bemanning rapport manad`
        return _dok(manadsrapport.dokument(rapport, settings), f"statistikrapport-{day.isoformat()}", formats)
    if slag == "jamfor":
        start = parse_manad("fran", fran) if fran.strip() else manad_slut(*_prev_month(day))
        if start >= day:
            raise ValidationError("fran", "Jämför med en tidigare månad än perioden.")
        result = jamforelse(*lagen_for_jamforelse(reg, start, day, settings.regel), start, day, settings.regel)
        return _dok(jamforelse_dokument(result, settings), f"jamforelse-{start.isoformat()}-{day.isoformat()}", formats)
    if slag == "avgift":
        risk = avgiftsrisk_ur_registret(reg, day, settings.regel)
        return _dok(avgift_dokument(risk, settings), f"sarskild-avgift-{day.isoformat()}", formats)
    if slag == "aterforing":
        data = aterforing_csv(reg.beslut_lagen(day), day, settings.regel)
        lines = data.decode("utf-8-sig").splitlines()
        text = "\n".join(lines[:FORHAND_RADER + 1])
        if len(lines) > FORHAND_RADER + 1:
            text += f"\n… och {tal(len(lines) - FORHAND_RADER - 1)} rader till. Hela filen finns i exporten."
        return Forhandsvisning("Återföring", text + "\n", f"aterforing-{day.isoformat()}", ("csv",), lambda _fmt: data)
    raise ValidationError("slag", "Välj en rapport.")


def _dialogrubrik(titel: str, bredd: int = 60) -> str:
    """Exportdialogens rubrik: rapportens titel, kortad vid ett ord (inte mitt i ett) med …."""
    text = f"Exportera: {titel}"
    if len(text) <= bredd:
        return text
    return text[:bredd - 1].rsplit(" ", 1)[0].rstrip(" ,–-") + " …"


def _prev_month(day: date) -> tuple[int, int]:
    first = day.replace(day=1) - timedelta(days=1)
    return first.year, first.month


#: Förhandsvisningen visar högst så många rader av varje tabell (exporten har alla).
FORHAND_RADER = 300


def _dok(dok: Dokument, name: str, formats: tuple[str, ...]) -> Forhandsvisning:
    return Forhandsvisning(dok.titel, plain_text(dok, max_rader=FORHAND_RADER), name, formats,
                           lambda fmt: render(dok, fmt),
                           text_for=lambda width: plain_text(dok, width, max_rader=FORHAND_RADER))


class RapporterScreen(BasScreen):
    TITLE_SV = "Rapporter"
    AUTO_FOCUS = "#forhandsvisning"
    HELP = """
# Rapporter

Välj **rapport** och **period**, och se rapporten exakt som den skrivs ut. Tabell 1 och 2 räknas
alltid fram ur raderna i tabell 3. Rapporterna innehåller inga namn, personnummer eller id
(utom återföringen till verksamhetssystemet, som är nycklad på beslut-id).

- **Månadsrapport**: period `ÅÅÅÅ-MM` (rapportdag = månadens sista dag) eller ett datum.
- **IVO**, **revisorer** och **KF**: period `ÅÅÅÅKn`, till exempel `2023K4`. Saknas något som
  IVO eller revisorerna ska ha (till exempel ett födelsedatum) står det under fälten, med beslutet.
- **Jämförelse**: perioden jämförs med månaden i fältet *Jämför med* (tomt = månaden före).
- **Särskild avgift** och **återföring**: läget vid periodens sista dag.

`[` och `]` byter till föregående och nästa period. `x` exporterar: välj katalog, filnamn och
format (Word, Excel, CSV, Markdown, text). En befintlig fil skrivs aldrig över utan att du
bekräftar med Ctrl+S en gång till.
"""
    BINDINGS = [
        Binding("x", "exportera", "Exportera", id="rapport-exportera", tooltip="Spara rapporten som fil"),
        Binding("left_square_bracket", "period(-1)", "Förra perioden", id="rapport-forra", tooltip="Föregående månad eller kvartal"),
        Binding("right_square_bracket", "period(1)", "Nästa period", id="rapport-nasta", tooltip="Nästa månad eller kvartal"),
        Binding("u", "visa", "Visa", show=False, id="rapport-visa", tooltip="Bygg rapporten igen"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.forhand: Forhandsvisning | None = None

    def compose(self) -> ComposeResult:
        yield Flikrad("rapporter")
        with Vertical(id="rapporter"):
            with Horizontal(classes="filterrad"):
                yield Select(list(SLAG), value="manad", allow_blank=False, id="rapport-slag", compact=True)
                yield Label("Period", classes="kort-etikett")
                yield Input(self._standardperiod("manad"), id="rapport-period", compact=True)
                yield Label("Jämför med", classes="kort-etikett", id="fran-etikett")
                yield Input("", placeholder="månaden före", id="rapport-fran", compact=True)
            yield Static("", id="fel-rapport", classes="field-message")
            with ScrollableContainer(id="forhandsvisning", can_focus=True):
                yield Static("", id="rapport-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._visa_fran()

    def _standardperiod(self, slag: str) -> str:
        today = self.bapp.today
        if slag in KVARTALSSLAG:
            return str(Kvartal.of(today).previous())
        last = today.replace(day=1) - timedelta(days=1)
        return f"{last.year:04d}-{last.month:02d}"

    def _slag(self) -> str:
        return str(self.query_one("#rapport-slag", Select).value)

    def _visa_fran(self) -> None:
        show = self._slag() == "jamfor"
        self.query_one("#rapport-fran").display = show
        self.query_one("#fran-etikett").display = show

    def reload(self) -> None:
        self.action_visa()

    @on(Select.Changed, "#rapport-slag")
    def _slag_andrat(self) -> None:
        slag = self._slag()
        period = self.query_one("#rapport-period", Input)
        was_quarter = bool(re.match(r"^\d{4}[Kk][1-4]$", period.value.strip()))
        if was_quarter != (slag in KVARTALSSLAG):
            with period.prevent(Input.Changed):
                period.value = self._standardperiod(slag)
        self._visa_fran()
        self.action_visa()

    @on(Input.Submitted)
    def _period_klar(self) -> None:
        self.action_visa()
        self.query_one("#forhandsvisning").focus()

    @on(Input.Changed)
    def _rensa_fel(self, event: Input.Changed) -> None:
        event.input.remove_class("error")

    def action_period(self, n: int) -> None:
        period = self.query_one("#rapport-period", Input)
        try:
            period.value = steg(period.value, self._slag(), n)
        except ValidationError as exc:
            self._fel(exc)
            return
        self.action_visa()

    def _fel(self, exc: ValidationError) -> None:
        target = {"fran": "#rapport-fran"}.get(exc.field, "#rapport-period")
        widget = self.query_one(target, Input)
        widget.add_class("error")
        box = self.query_one("#fel-rapport", Static)
        box.update(exc.message)
        box.add_class("error")

    def action_visa(self) -> None:
        box = self.query_one("#fel-rapport", Static)
        box.update("")
        box.remove_class("error", "varning")
        self.query_one("#rapport-text", Static).update("Bygger rapporten …")
        self.bygg(self._slag(), self.query_one("#rapport-period", Input).value,
                  self.query_one("#rapport-fran", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="rapport")
    def bygg(self, slag: str, period: str, fran: str) -> None:
        try:
            forhand = bygg(self.bapp.register, slag, period, fran)
        except ValidationError as exc:
            self.app.call_from_thread(self._fel, exc)
            self.app.call_from_thread(self.query_one("#rapport-text", Static).update, "")
            return
        self.app.call_from_thread(self._visa, forhand)

    def _forhandstext(self, forhand: Forhandsvisning) -> str:
        """Styckena radbrutna efter rutans bredd, så att inget klipps i ett smalt fönster."""
        width = self.query_one("#forhandsvisning").scrollable_content_region.width - 1
        if forhand.text_for is None or width <= 0:
            return forhand.text
        return forhand.text_for(max(40, min(width, 100)))

    def on_resize(self) -> None:
        forhand = getattr(self, "forhand", None)
        if forhand is not None:
            self.query_one("#rapport-text", Static).update(self._forhandstext(forhand))

    def _visa(self, forhand: Forhandsvisning) -> None:
        self.forhand = forhand
        self.query_one("#rapport-text", Static).update(self._forhandstext(forhand))
        self.query_one("#forhandsvisning").border_title = forhand.titel
        if forhand.varningar:
            n = len(forhand.varningar)
            rest = f" (och {n - 1} till)" if n > 1 else ""
            box = self.query_one("#fel-rapport", Static)
            box.update(f"{forhand.varningar[0]}{rest}")
            box.add_class("varning")  # .field-message är annars dold (en Static är alltid :empty)

    def action_exportera(self) -> None:
        if self.forhand is None:
            self.notify("Visa en rapport först.", severity="warning")
            return
        forhand = self.forhand
        self.app.push_screen(
            FileSaveDialog(_dialogrubrik(forhand.titel), None, forhand.filnamn, forhand.format, forhand.produce),
            self._exporterad,
        )

    def _exporterad(self, path: Path | None) -> None:
        if path:
            self.notify(f"Sparad: {path}", title="Exporten klar")

    def commands(self):
        yield SystemCommand("Exportera rapporten", "Spara som Word, Excel, CSV, Markdown eller text (X)", self.action_exportera)
        yield SystemCommand("Förra perioden", "[", lambda: self.action_period(-1))
        yield SystemCommand("Nästa period", "]", lambda: self.action_period(1))
        for title, value in SLAG:
            yield SystemCommand(f"Rapport: {title}", "Välj rapport", lambda v=value: self._valj(v))

    def _valj(self, value: str) -> None:
        self.query_one("#rapport-slag", Select).value = value
