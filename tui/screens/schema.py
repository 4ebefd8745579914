"""Schema: välj samplaneringsområde och period, bygg schemat med CP-SAT i en arbetare (bästa
kostnad över tid visas medan det går, Escape avbryter), se schemat som person × dag med
passkoder, kontrollantens regelbrott, obemannade pass och nyckeltal; för in frånvaro och
planera om.

Problemet byggs, löses, förklaras och kontrolleras av tjänsten `bemanning.services.schema`, med
användarens inställningar under `[schema]`, samma som `bemanning schema`; skärmen visar bara.
"""

from __future__ import annotations

import re
import tempfile
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Label, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker
from textual_plotext import PlotextPlot

from bemanning.errors import Cancelled, UserError
from bemanning.model.errors import ValidationError
from bemanning.model.values import format_number, parse_date, parse_int, parse_number
from bemanning.roster import export
from bemanning.roster.figures import kontaktperson_lines, summary_lines
from bemanning.roster.kallor import hjalptext
from bemanning.roster.problem import Franvaro, RosterProblem, Schema
from bemanning.roster.rules.dygnsvila import dygnsbryt_anteckningar, dygnsbryt_varningar
from bemanning.roster.solver import Framsteg, gap_text, status_text
from bemanning.services import rights
from bemanning.services import schema as schematjanst
from bemanning.services.schema import Korning
from tui.screens.base import BasScreen, tab_bindings
from tui.screens.dialogs import Falt, FileSaveDialog, FormDialog
from tui.widgets.diagram import svenska_axlar
from tui.widgets.flikrad import Flikrad
from tui.widgets.format import antal, procent, tal

VECKODAG = ("må", "ti", "on", "to", "fr", "lö", "sö")
PASSFARG = {"natt": "magenta", "kvall": "yellow", "dag": "cyan"}
SORT_ORD = {"natt": "natt", "kvall": "kväll", "dag": "dag"}


def passkod(typ) -> str:
    """Passets kod i schemat: sista delen av pass-id, högst tre tecken (HT-NORR/D blir D)."""
    return typ.pass_id.split("/")[-1][:3]


def teckenforklaring(p: RosterProblem) -> Text:
    """En rad under schemat som säger vad koderna betyder, med tiderna när en kod har en enda tid."""
    by_code: dict[str, list] = {}
    for typ in p.pass_typer:
        by_code.setdefault(passkod(typ), []).append(typ)
    out = Text()
    for code, typer in sorted(by_code.items(), key=lambda kv: min(t.start for t in kv[1])):
        kind = "natt" if typer[0].natt else ("kvall" if typer[0].kvall else "dag")
        tider = {t.tider for t in typer}
        out.append(code, style=PASSFARG[kind])
        out.append(f" {SORT_ORD[kind]}" + (f" {tider.pop()}" if len(tider) == 1 else "") + ", ")
    out.append("+", style="underline")
    # kommatecken mellan förklaringarna: en punkt som skiljetecken gick inte att skilja från
    # punkten som betyder ledig dag
    out.append(" resurspass, F frånvaro, · ledig dag, Tim timmar i perioden")
    return out


#: Fälten överst, som de heter på skärmen, och vad som ska stå i dem.
FALT = {
    "start": ("Start", "periodens första dag, en måndag, till exempel {mandag}"),
    "veckor": ("Veckor", "periodens längd, 1–16 veckor (6 om inget annat är valt)"),
    "sekunder": ("Sekunder", "hur länge lösaren får söka, till exempel 60"),
}


def _faltfel(exc: ValidationError, mandag: str = "2026-01-05") -> str:
    """Felet med fältets namn först och vad som ska stå där, så att raden går att förstå utan
    att se vilket fält som blev rött: 'Sekunder: "" är inget tal. Skriv hur länge …'."""
    if exc.field not in FALT:
        return exc.message
    namn, vad = FALT[exc.field]
    return f"{namn}: {exc.message.rstrip('.')}. Skriv {vad.format(mandag=mandag)}."


def filnamn(text: str) -> str:
    """Ett filnamn ur en rubrik: bokstäver, siffror och bindestreck ("norr 2026-12-07, 6 veckor"
    blir "norr-2026-12-07-6-veckor"), utan kommatecken, mellanslag eller snedstreck."""
    return re.sub(r"\W+", "-", text).strip("-") or "schema"


class SchemaScreen(BasScreen):
    TITLE_SV = "Schema"
    AUTO_FOCUS = "#schema-omrade"
    HELP = """
# Schema

Bygger ett schema enligt heltid som norm för ett **samplaneringsområde** och en
**schemaperiod** (start en måndag, 1–16 veckor; 4, 6 och 8 är vanligast). Utan annat val
gäller samma som för `bemanning schema`: veckorna i period.toml, annars 6, och sekunderna under
`[schema.losare]`, annars 60. Bemanningsbehov och
pass läses ur schemakatalogen; personalen ur registret. Kontaktpersonsuppdrag som personal har
accepterat i matchningen (registrets läge periodens första dag) läggs in i deras schema och
redovisas som resurspass till kontaktpersonsuppdrag.

`b` bygger schemat (Escape avbryter). Raden överst visar **schemats kostnad** (obemannade pass,
önskemål som inte uppfylls och annat som gör schemat sämre, vägt samman; ju lägre desto bättre)
och **lägsta möjliga** kostnad, som inget schema kan komma under; ju närmare de är varandra, desto
mindre finns att vinna på mer tid. Diagrammet visar kostnaden över tid. När lösaren är klar visas **schemat** (person × dag, passkoder i färg: dag, kväll, natt;
`F` = frånvaro), **regelbrott** som den oberoende kontrollanten hittar (dygnsvila, veckovila,
arbetstid …), **obemannade pass** (till bemanningsenheten och timvikarier), **resurspass**
(pass utöver enhetens behov, i schemat märkta med `+` och understrukna: var de används och
varför) och **nyckeltal** (täckningsgrad, förväntad andel timavlönade, andel heltid …), var
och en på sin flik: `>` går till nästa flik och `<` tillbaka.
Om inget schema kan hålla de hårda reglerna förklarar en feldialog vilka regler och indata
som krockar.

`f` för in frånvaro (till exempel sjukskrivning) för en person och `p` planerar om: den
frånvarandes pass öppnas, öppna resurspass fyller luckorna först och så få andra pass som
möjligt ändras; det som ändå saknas listas under Obemannat (till timvikarier).

`x` sparar schemat: Excel (per person, per enhet, resurspass, obemannat och nyckeltal på var sin
flik) eller CSV per person.

## Reglerna och var de kommer ifrån

Kontrollantens regelbrott slutar med regelns källa och dagen den gäller från. Dygnsvilans
24-timmarsperioder räknas från personens hemenhets **dygnsbryt** (kolumnen `dygnsbryt` i
enhetsfilen, 00:00 om den saknas).

""" + hjalptext() + "\n"
    BINDINGS = [
        Binding("b", "bygg", "Bygg schema", id="schema-bygg", tooltip="Lös schemat för området och perioden"),
        Binding("escape", "avbryt", "Avbryt", show=False, id="schema-avbryt", tooltip="Avbryt lösaren"),
        Binding("f", "franvaro", "Frånvaro", id="schema-franvaro", tooltip="För in frånvaro för en person"),
        Binding("p", "planera_om", "Planera om", id="schema-planera", tooltip="Planera om efter frånvaro"),
        Binding("x", "exportera", "Exportera", id="schema-exportera", tooltip="Spara schemat som Excel eller CSV"),
        *tab_bindings(show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.korning: Korning | None = None
        self.extra_franvaro: list[Franvaro] = []
        self._worker: Worker | None = None
        self._stopp = threading.Event()
        self._kurva: list[tuple[float, float]] = []

    def compose(self) -> ComposeResult:
        yield Flikrad("schema")
        with Vertical(id="schema"):
            with Horizontal(classes="filterrad"):
                yield Select([], prompt="Område", id="schema-omrade", compact=True)
                yield Label("Start", classes="kort-etikett")
                yield Input(self._nasta_mandag().isoformat(), id="schema-start", compact=True)
                veckor, sekunder = schematjanst.screen_defaults(self.bapp.today)
                yield Label("Veckor", classes="kort-etikett")
                yield Input(str(veckor), id="schema-veckor", compact=True)
                yield Label("Sekunder", classes="kort-etikett")
                yield Input(format_number(sekunder), id="schema-sekunder", compact=True)
            yield Static("", id="fel-schema", classes="field-message")
            yield Static("Välj område och period och tryck b.", id="schema-info", classes="infolinje")
            with TabbedContent(id="schema-flikar"):
                with TabPane("Förlopp", id="flik-forlopp"):
                    yield PlotextPlot(id="schema-kurva")
                with TabPane("Schema", id="flik-schema"):
                    yield Static("", id="schema-teckenforklaring", classes="infolinje")
                    yield DataTable(id="schema-tabell", zebra_stripes=True, cursor_type="cell")
                with TabPane("Regelbrott", id="flik-brott"):
                    yield DataTable(id="brott-tabell", cursor_type="row")
                with TabPane("Obemannat", id="flik-obemannat"):
                    yield DataTable(id="obemannat-tabell", cursor_type="row")
                with TabPane("Resurspass", id="flik-resurs"):
                    yield DataTable(id="resurs-tabell", cursor_type="row")
                with TabPane("Nyckeltal", id="flik-nyckeltal"):
                    with VerticalScroll():
                        yield Static("", id="nyckeltal-text")
        yield Footer()

    def _nasta_mandag(self) -> date:
        today = self.bapp.today
        return today + timedelta(days=(7 - today.weekday()) % 7 or 7)

    def on_mount(self) -> None:
        for selector, cols in (("#brott-tabell", (("Regel", 18), ("Person", 18), ("Dag", 14), ("Vad", 60))),
                               ("#obemannat-tabell", (("Dag", 14), ("Pass", 28), ("Saknas", 6), ("Timmar", 6))),
                               ("#resurs-tabell", (("Person", 18), ("Dag", 14), ("Pass", 16), ("Användning", 27),
                                                   ("Tim", 5), ("Varför", 70)))):
            table = self.query_one(selector, DataTable)
            for title, width in cols:
                table.add_column(title, width=width)
        self._rita_kurva()

    def reload(self) -> None:
        # Bara de områden rollen planerar (en schemaläggare i Norr ser inte Söder i listan).
        reg = self.bapp.register
        allowed = set(rights.allowed_omraden(self.bapp.user, reg.enheter(self.bapp.today)))
        omraden = [o for o in reg.omraden() if o.omrade_id in allowed]
        select = self.query_one("#schema-omrade", Select)
        current = select.value
        select.set_options([(o.namn, o.omrade_id) for o in omraden])
        if current in {o.omrade_id for o in omraden}:
            select.value = current
        elif omraden:
            select.value = omraden[0].omrade_id

    # -- indata -----------------------------------------------------------------------------

    def _fel(self, exc: ValidationError) -> None:
        target = {"start": "#schema-start", "veckor": "#schema-veckor", "sekunder": "#schema-sekunder",
                  "omrade": "#schema-omrade"}.get(exc.field)
        if target:
            self.query_one(target).add_class("error")
        box = self.query_one("#fel-schema", Static)
        box.update(_faltfel(exc, self._nasta_mandag().isoformat()))
        box.add_class("error")

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_bygg()

    @on(Input.Changed)
    @on(Select.Changed)
    def _rensa(self, event: Any) -> None:
        event.control.remove_class("error")
        box = self.query_one("#fel-schema", Static)
        box.update("")
        box.remove_class("error")

    def _indata(self) -> tuple[str, date, int, float]:
        omrade = self.query_one("#schema-omrade", Select).value
        if omrade is Select.NULL or omrade is None:
            raise ValidationError("omrade", "Välj ett samplaneringsområde (importera enheter om listan är tom).")
        start = parse_date("start", self.query_one("#schema-start", Input).value)
        if start.weekday() != 0:
            raise ValidationError("start", f"{start.isoformat()} är ingen måndag; schemaperioden börjar en måndag.")
        veckor = parse_int("veckor", self.query_one("#schema-veckor", Input).value, minimum=1)
        if veckor > 16:
            raise ValidationError("veckor", "Högst 16 veckor (4, 6 och 8 är vanligast).")
        sekunder = parse_number("sekunder", self.query_one("#schema-sekunder", Input).value, minimum=1)
        return str(omrade), start, veckor, sekunder

    # -- körning -----------------------------------------------------------------------------

    def action_bygg(self, hint: bool = False) -> None:
        if self._worker is not None and self._worker.state is WorkerState.RUNNING:
            self.notify("Lösaren arbetar redan; Escape avbryter.", severity="warning")
            return
        try:
            omrade, start, veckor, sekunder = self._indata()
        except ValidationError as exc:
            self._fel(exc)
            return
        self._kurva = []
        self._rita_kurva()
        self.query_one(TabbedContent).active = "flik-forlopp"
        self.query_one("#schema-info", Static).update("Bygger schemat … (Escape avbryter)")
        forra = self.korning if hint else None
        self._stopp = threading.Event()
        self._worker = self.bygg(omrade, start, veckor, sekunder, tuple(self.extra_franvaro), forra, self._stopp)

    def action_planera_om(self) -> None:
        if self.korning is None:
            self.notify("Bygg ett schema först (b).", severity="warning")
            return
        if not [f for f in self.extra_franvaro if (f.person_id, f.dag) not in self.korning.problem.franvaro_set]:
            self.notify("Ingen ny frånvaro att planera om för; för in den med f.", severity="warning")
            return
        self.action_bygg(hint=True)

    def action_avbryt(self) -> None:
        if self._worker is not None and self._worker.state is WorkerState.RUNNING:
            # Lösaren ombeds sluta och lämnar då sitt bästa schema. Worker.cancel() skulle kasta
            # resultatet: arbetaren blir CANCELLED direkt och tråden räknar vidare i onödan.
            self._stopp.set()
            self.query_one("#schema-info", Static).update("Avbryter … (det bästa schemat hittills behålls)")

    @work(thread=True, exclusive=True, exit_on_error=False, group="schema")
    def bygg(self, omrade: str, start: date, veckor: int, sekunder: float,
             franvaro: tuple[Franvaro, ...], forra: Korning | None, stopp: threading.Event) -> Korning:
        """Tjänsten bygger, löser, förklarar, kontrollerar och räknar; skärmen visar bara."""
        try:
            return self._bygg(omrade, start, veckor, sekunder, franvaro, forra, stopp)
        except UserError:
            if stopp.is_set():  # avbrutet innan lösaren hittat något schema: inget fel att visa
                raise Cancelled() from None
            raise

    def _bygg(self, omrade: str, start: date, veckor: int, sekunder: float,
              franvaro: tuple[Franvaro, ...], forra: Korning | None, stopp: threading.Event) -> Korning:
        worker = get_current_worker()

        def progress(f: Framsteg) -> None:
            self.app.call_from_thread(self._framsteg, f)

        settings = schematjanst.load_settings()
        inst = schematjanst.solver_settings(settings, time_limit_s=sekunder)
        cancel = lambda: worker.is_cancelled or stopp.is_set()  # noqa: E731
        if forra is not None:
            # Omplanering: den frånvarandes pass öppnas och så få andra som möjligt ändras.
            problem = forra.problem
            nya = [f for f in franvaro if (f.person_id, f.dag) not in problem.franvaro_set]
            fran_dag = (self.bapp.today - problem.start).days if problem.start else 0
            return schematjanst.replan(problem, forra.resultat.schema, nya, fran_dag=fran_dag,
                                       inst=inst, progress=progress, cancel=cancel)
        val = schematjanst.Val(omrade=omrade, start=start, veckor=veckor, extra_franvaro=franvaro)
        problem = schematjanst.build(val, self.bapp.register, settings, self.bapp.today, user=self.bapp.user)
        # Dygnsbryt som schemat valt, och en dygnsbryt som inte rymmer enhetens pass (AB 24).
        for text in dygnsbryt_anteckningar(problem):
            self.app.call_from_thread(self.notify, text, title="Dygnsbryt", timeout=12)
        for text in dygnsbryt_varningar(problem):
            self.app.call_from_thread(self.notify, text, title="Dygnsbryt", severity="warning", timeout=15)
        return schematjanst.run(
            problem, inst, progress=progress, cancel=cancel,
            on_explaining=lambda text: self.app.call_from_thread(self._info, text),
            more_time="Ge lösaren mer tid (Sekunder)")

    def _info(self, text: str) -> None:
        self.query_one("#schema-info", Static).update(text)

    def _framsteg(self, f: Framsteg) -> None:
        if f.basta is not None:
            self._kurva.append((f.sekunder, f.basta))
            self._rita_kurva()
        best = "–" if f.basta is None else tal(f.basta)
        bound = "–" if f.grans is None else tal(f.grans)
        self.query_one("#schema-info", Static).update(
            f"{f.fas}: {tal(f.sekunder, 1)} s · schemats kostnad {best}, lägsta möjliga {bound} · "
            f"{antal(f.losningar, 'bättre schema', 'bättre scheman')} hittills (Escape avbryter)"
        )

    def _rita_kurva(self) -> None:
        plot = self.query_one("#schema-kurva", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Schemats kostnad över tid (lägre är bättre)")
        plt.xlabel("sekunder")
        if self._kurva:
            xs, ys = [x for x, _ in self._kurva], [y for _, y in self._kurva]
            plt.plot(xs, ys, marker="braille")
            svenska_axlar(plt, xs, ys)
        plot.refresh()

    @on(Worker.StateChanged)
    def _klar(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "schema":
            return
        if event.state is WorkerState.SUCCESS:
            self.visa(event.worker.result)
        elif event.state is WorkerState.CANCELLED:
            self.query_one("#schema-info", Static).update("Avbrutet.")

    def worker_failed(self, worker: Worker) -> None:
        if worker.group == "schema":
            if self._stopp.is_set():
                self.query_one("#schema-info", Static).update(
                    "Avbrutet innan lösaren hittade något schema. Tryck b och låt den arbeta längre.")
                return
            self.query_one("#schema-info", Static).update("Inget schema. Ändra indata och tryck b igen.")

    def visa(self, korning: Korning) -> None:
        self.korning = korning
        p, r, nt = korning.problem, korning.resultat, korning.nyckeltal
        schema = r.schema
        assert schema is not None
        tackning = procent(nt.tackningsgrad / 100)
        self.bapp.senaste_schema = (
            f"{p.namn}: täckningsgrad {tackning}, {tal(nt.obemannade_pass)} obemannade pass, "
            f"{len(korning.brott)} regelbrott"
        )
        # Lösarens status, mål och gräns står under Nyckeltal (Detaljer), inte på huvudraden.
        info = (f"Täckning {tackning} · {antal(nt.obemannade_pass, 'obemannat pass', 'obemannade pass')} · "
                f"{antal(len(korning.brott), 'regelbrott', 'regelbrott')} · byggt på {tal(r.sekunder, 1)} s")
        if korning.omplanering is not None:
            info = f"Omplanerat: {antal(korning.omplanering.antal_andrade, 'pass', 'pass')} ändrade · " + info
        self._info(info)
        self._fyll_schema(p, schema, korning)
        brott = self.query_one("#brott-tabell", DataTable)
        brott.clear()
        names = p.labels()
        for b in korning.brott:
            brott.add_row(Text(b.regel, style="bold red"), names.get(b.person_id or "", b.person_id or ""),
                          p.day_label(b.dag) if b.dag is not None else "", b.text)
        obem = self.query_one("#obemannat-tabell", DataTable)
        obem.clear()
        for o in nt.obemannade:
            typ = p.pass_typ(o.pass_id)
            obem.add_row(p.day_label(o.dag), f"{typ.enhet_label} {typ.tider}", o.saknas,
                         Text(tal(o.timmar, 1), justify="right"))
        resurs = self.query_one("#resurs-tabell", DataTable)
        resurs.clear()
        for x in nt.resurspass:
            dag = p.day_label(x.dag) if x.dag is not None else "hela perioden"
            pass_text = p.pass_typ(x.pass_id).enhet_label if x.pass_id else ""
            resurs.add_row(names.get(x.person_id, x.person_id), dag, pass_text, x.anvandning,
                           Text(tal(x.timmar, 1), justify="right"), x.varfor)
        self.query_one("#nyckeltal-text", Static).update(self._nyckeltal(korning))
        self.query_one(TabbedContent).active = "flik-schema"
        self.query_one("#schema-tabell").focus()
        if korning.forklaring:  # en omplanering: varför täckningen ändrades
            self.notify("\n".join(korning.forklaring), title="Omplanerat", timeout=15)
        else:
            title = "Omplanerat" if korning.omplanering is not None else "Schemat klart"
            self.notify(f"Täckningsgrad {tackning}, {len(korning.brott)} regelbrott.", title=title)

    def _fyll_schema(self, p: RosterProblem, schema: Schema, korning: Korning) -> None:
        self.query_one("#schema-teckenforklaring", Static).update(teckenforklaring(p))
        table = self.query_one("#schema-tabell", DataTable)
        table.clear(columns=True)
        table.add_column("Person", width=18)
        table.add_column("Tim", width=4)
        for d in range(p.dagar):
            when = p.date_of(d)
            label = f"{VECKODAG[when.weekday()]}{when.day}" if when else str(d)
            table.add_column(label, width=4)
        by_person = schema.by_person()
        absent = p.franvaro_set
        flagged = {(b.person_id, b.dag) for b in korning.brott}
        resurs = {(x.person_id, x.dag) for x in korning.nyckeltal.resurspass if x.dag is not None}
        shown = p.labels()  # namnet, och id:t där två har samma namn
        for person in p.personal:
            name = shown[person.person_id]
            if name != person.label:  # id:t ska synas också när namnet kortas
                name = f"{person.label[:max(1, 18 - len(person.person_id) - 3)]} ({person.person_id})"
            cells: list[Any] = [name[:18]]
            mine = {t.dag: t.pass_id for t in by_person.get(person.person_id, [])}
            minutes = sum(p.pass_typ(pid).paid for pid in mine.values())
            cells.append(Text(tal(minutes / 60), justify="right"))
            for d in range(p.dagar):
                style = "bold white on red" if (person.person_id, d) in flagged else ""
                if d in mine:
                    typ = p.pass_typ(mine[d])
                    kind = "natt" if typ.natt else ("kvall" if typ.kvall else "dag")
                    code = passkod(typ)
                    if (person.person_id, d) in resurs:  # resurspass: utöver behovet eller annan enhet
                        cells.append(Text(code + "+", style=style or f"{PASSFARG[kind]} underline"))
                    else:
                        cells.append(Text(code, style=style or PASSFARG[kind]))
                elif (person.person_id, d) in absent:
                    cells.append(Text("F", style=style or "dim"))
                else:
                    cells.append(Text("·", style=style or "dim"))
            table.add_row(*cells)

    def _nyckeltal(self, k: Korning) -> str:
        p, r, nt = k.problem, k.resultat, k.nyckeltal
        lines = [f"[b]{p.namn}[/b]", *summary_lines(p, nt),
                 f"Regelbrott enligt kontrollanten: {len(k.brott)}",
                 "", "[b]Detaljer[/b]",
                 f"Resultat: {status_text(r.status)}. Schemats kostnad {tal(r.objektiv)} (lägre är bättre), "
                 f"lägsta möjliga {tal(r.grans)}"
                 + ("" if r.gap_till_grans is None
                    else f", {gap_text(r.gap_till_grans)}")]
        lines += kontaktperson_lines(p, nt)
        if k.omplanering is not None:
            lines += ["", "[b]Omplanering[/b]", *k.forklaring, *k.omplanering.lines()[:3]]
        lines += ["", "[b]Vad schemat kostar (mjuka villkor)[/b]"]
        from bemanning.roster.soft import Objective

        for kategori, cost in sorted(Objective.by_category(r.kostnader).items(), key=lambda x: -x[1]):
            lines.append(f"  {kategori}: {tal(cost)}")
        return "\n".join(lines)

    # -- frånvaro -------------------------------------------------------------------------------

    def action_franvaro(self) -> None:
        if self.korning is None:
            self.notify("Bygg ett schema först (b); frånvaron gäller den perioden.", severity="warning")
            return
        p = self.korning.problem
        options = tuple((f"{x.label} ({x.person_id})", x.person_id) for x in p.personal)
        start = p.start or self.bapp.today

        def submit(v: dict[str, str]) -> int:
            if not v["person"]:
                raise ValidationError("person", "Välj vem som är frånvarande.")
            fran = parse_date("fran", v["fran"])
            till = parse_date("till", v["till"] or v["fran"])
            if till < fran:
                raise ValidationError("till", "Till-datumet är före från-datumet.")
            first, last = (fran - start).days, (till - start).days
            if last < 0 or first >= p.dagar:
                raise ValidationError("fran", f"Perioden är {start.isoformat()}–{(start + timedelta(days=p.dagar - 1)).isoformat()}.")
            days = range(max(0, first), min(p.dagar - 1, last) + 1)
            for d in days:
                self.extra_franvaro.append(Franvaro(v["person"], d, v["orsak"] or "sjuk"))
            return len(days)

        self.app.push_screen(
            FormDialog("Frånvaro", [
                Falt("person", "Person", kind="val", options=options, value=options[0][1] if options else ""),
                Falt("fran", "Från", kind="datum", value=start.isoformat()),
                Falt("till", "Till", kind="datum", value=start.isoformat()),
                Falt("orsak", "Orsak", value="sjuk"),
            ], submit, intro="Frånvaron öppnar passen; planera om med p."),
            lambda n: n and self.notify(f"{antal(n, 'dags', 'dagars')} frånvaro införd. Tryck p för att planera om.", title="Frånvaro"),
        )

    def action_exportera(self) -> None:
        korning = self.korning
        if korning is None or korning.resultat.schema is None:
            self.notify("Bygg ett schema först (b).", severity="warning")
            return
        problem, schema, figures = korning.problem, korning.resultat.schema, korning.nyckeltal

        def produce(fmt: str) -> bytes:
            if fmt == "csv":
                return export.csv_bytes(export.by_person_rows(problem, schema))
            with tempfile.TemporaryDirectory() as tmp:
                return export.write_xlsx(problem, schema, Path(tmp) / "schema.xlsx", figures).read_bytes()

        name = filnamn(f"schema-{problem.namn}")
        self.app.push_screen(
            FileSaveDialog("Exportera schemat", None, name, ("xlsx", "csv"), produce), self._exporterad
        )

    def _exporterad(self, path: Path | None) -> None:
        if path:
            self.notify(f"Sparad: {path}", title="Exporten klar")

    def commands(self):
        yield SystemCommand("Bygg schema", "Lös schemat för området och perioden (B)", self.action_bygg)
        if self.korning is not None:
            yield SystemCommand("För in frånvaro", "Sjukskrivning m.m. (F)", self.action_franvaro)
            yield SystemCommand("Planera om", "Efter frånvaro, med så få ändringar som möjligt (P)", self.action_planera_om)
            yield SystemCommand("Exportera schemat", "Spara som Excel eller CSV (X)", self.action_exportera)
