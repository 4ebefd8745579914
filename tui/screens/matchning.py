"""Matchning: kör motorn i en arbetare (förlopp, Escape avbryter), se förslagen med sina
motiveringar, godkänn, avvisa och för in erbjudanden med en tangent var; beslut utan person
med skälen; rekryteringsprofilen.

Allt räknas och sparas av `bemanning.matching` (motor och arbetsgång); här visas det bara.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, ProgressBar, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from bemanning.errors import Cancelled
from bemanning.matching import workflow
from bemanning.matching.engine import Forslag, Resultat, UtanPerson, match_register
from bemanning.matching.explain import item_line, missed_lines, why_line
from bemanning.matching.settings import load_settings
from bemanning.model.values import format_number, parse_date
from bemanning.reports.installningar import load_installningar
from bemanning.svenska import tal
from tui.screens.base import BasScreen, tab_bindings
from tui.screens.dialogs import Falt, FormDialog
from tui.widgets.flikrad import Flikrad
from tui.widgets.format import antal
from tui.widgets.kolumner import fordela, satt_bredder

ETAPP = {"rensar": "Rensar kandidater", "löser": "Löser", "förklarar": "Förklarar", "klar": "Visar resultatet"}
TYP_TEXT = {"uppdragstagare": "uppdragstagare", "personal": "personal"}
# Förslagens kolumner och deras minsta bredd: det som behövs för att godkänna först (beslut,
# väntan, person, status), så att det syns också i 80 kolumner; insats, typ och passform till höger
BREDDER_FORSLAG = {"Beslut": 10, "Dagar": 5, "Person": 22, "Status": 10, "Insats": 20, "Typ": 14,
                   "Passform": 8}


class MatchningScreen(BasScreen):
    TITLE_SV = "Matchning"
    AUTO_FOCUS = "#tabell-forslag"
    HELP = """
# Matchning

Föreslår en person (godkänd uppdragstagare, eller personal med lediga resurstimmar) för varje
öppet beslut om kontaktperson, ledsagarservice och liknande. De som väntat längst går först:
ett beslut över tre månader väger tyngre än bättre passform för ett yngre. Krav (kön, språk,
avstånd, tider, ålder, undantagna personer) bryts aldrig; resten är önskemål med vikter.

`m` kör matchningen (Escape avbryter). Fliken **Förslag** visar person och passform; rutan
under säger på en rad varför personen passar och på en rad per önskemål vad som inte uppfylls.
Fliken **Utan person** säger varför ett beslut inte fick någon och vem som ligger närmast, och
fliken **Rekrytering** vilka personer som behövs (`>` nästa flik, `<` förra). `d` visar eller döljer detaljerna: önskemålens
vikter, hur kraven slog ut ett i taget och hur lösaren räknade.

Arbetsgången för det markerade förslaget, en tangent var:

- `g` godkänn (enhetschefens beslut; sparas i beslutets historik)
- `n` avvisa (föreslås inte igen för beslutet)
- `o` erbjudande till den enskilde och svaret (kräver godkänt förslag)
- `v` verkställt: dagen för första träffen (kräver accepterat erbjudande)
- `f` spara alla förslag i registret som förslag att ta ställning till
"""
    BINDINGS = [
        Binding("m", "kor", "Kör matchning", id="matchning-kor", tooltip="Matcha öppna beslut mot personer"),
        Binding("escape", "avbryt", "Avbryt", show=False, id="matchning-avbryt", tooltip="Avbryt matchningen"),
        Binding("g", "godkann", "Godkänn", id="matchning-godkann", tooltip="Godkänn det markerade förslaget"),
        Binding("n", "avvisa", "Avvisa", id="matchning-avvisa", tooltip="Avvisa det markerade förslaget"),
        Binding("o", "erbjud", "Erbjudande", id="matchning-erbjud", tooltip="Erbjudande och svar"),
        Binding("v", "verkstall", "Verkställt", id="matchning-verkstall", tooltip="Första träffen ägde rum"),
        Binding("f", "spara_alla", "Spara alla", show=False, id="matchning-spara", tooltip="Spara alla förslag i registret"),
        Binding("d", "detaljer", "Detaljer", show=False, id="matchning-detaljer",
                tooltip="Visa eller dölj vikter, kravens kedja och lösarens tal"),
        *tab_bindings(show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.resultat: Resultat | None = None
        self.status: dict[tuple[str, str], str] = {}
        self._worker: Worker | None = None
        self.detaljer = False  # vyn Detaljer: vikter, kravkedjan, lösarens tal
        self._fyllt_med: Resultat | None = None  # resultatet som tabellen senast fylldes med

    def compose(self) -> ComposeResult:
        yield Flikrad("matchning")
        with Vertical(id="matchning"):
            with Horizontal(classes="filterrad", id="matchning-rad"):
                yield Static("Tryck m för att matcha öppna beslut mot personer.", id="matchning-info", classes="infolinje")
                yield ProgressBar(total=100, show_eta=False, id="matchning-forlopp")
            with TabbedContent(id="matchning-flikar"):
                with TabPane("Förslag", id="flik-forslag"):
                    yield DataTable(id="tabell-forslag", cursor_type="row", zebra_stripes=True)
                with TabPane("Utan person", id="flik-utan"):
                    yield DataTable(id="tabell-utan", cursor_type="row", zebra_stripes=True)
                with TabPane("Rekrytering", id="flik-rekrytering"):
                    with VerticalScroll():
                        yield Static("", id="rekrytering-text")
            with VerticalScroll(id="matchning-detalj"):
                yield Static("", id="matchning-detalj-text")
        yield Footer()

    def on_mount(self) -> None:
        forslag = self.query_one("#tabell-forslag", DataTable)
        for title, width in BREDDER_FORSLAG.items():
            forslag.add_column(title, width=width)
        utan = self.query_one("#tabell-utan", DataTable)
        for title, width in (("Beslut", 10), ("Dagar", 5), ("Skäl", 90), ("Insats", 20)):
            utan.add_column(title, width=width)
        self.query_one("#matchning-forlopp").display = False
        self.query_one("#matchning-detalj").border_title = "Förklaring"

    # -- körning ---------------------------------------------------------------------

    def action_kor(self) -> None:
        if self._worker is not None and self._worker.state is WorkerState.RUNNING:
            self.notify("Matchningen körs redan; Escape avbryter.", severity="warning")
            return
        bar = self.query_one("#matchning-forlopp", ProgressBar)
        bar.display = True
        bar.update(progress=0)
        self.query_one("#matchning-info", Static).update("Matchar … (Escape avbryter)")
        self._worker = self.kor()

    def action_avbryt(self) -> None:
        if self._worker is not None and self._worker.state is WorkerState.RUNNING:
            self._worker.cancel()
            self.query_one("#matchning-info", Static).update("Avbryter …")

    @work(thread=True, exclusive=True, exit_on_error=False, group="matchning")
    def kor(self) -> Resultat:
        worker = get_current_worker()
        app = self.bapp

        def progress(stage: str, share: float | None) -> None:
            app.call_from_thread(self._forlopp, stage, share)

        resultat = match_register(
            app.register, app.today, settings=load_settings(), regel=load_installningar().regel,
            progress=progress, cancel=lambda: worker.is_cancelled,
        )
        if worker.is_cancelled:
            raise Cancelled()
        return resultat

    def _forlopp(self, stage: str, share: float | None) -> None:
        bar = self.query_one("#matchning-forlopp", ProgressBar)
        if share is None:
            bar.update(total=None)
        else:
            bar.update(total=100, progress=round(share * 100))
        self.query_one("#matchning-info", Static).update(f"{ETAPP.get(stage, stage)} … (Escape avbryter)")

    @on(Worker.StateChanged)
    def _klar(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "matchning":
            return
        if event.state is WorkerState.SUCCESS:
            self.visa(event.worker.result)
            r = event.worker.result
            self.notify(f"{len(r.forslag)} förslag, {antal(len(r.utan_person), 'beslut', 'beslut')} utan person.", title="Matchningen klar")
        elif event.state is WorkerState.CANCELLED:
            self.worker_failed(event.worker)
            self.notify("Matchningen avbröts.", title="Avbrutet")

    def worker_failed(self, worker: Worker) -> None:
        if worker.group == "matchning":
            self.query_one("#matchning-forlopp").display = False
            self.query_one("#matchning-info", Static).update("Ingen matchning visas. Tryck m för att köra igen.")

    def visa(self, resultat: Resultat) -> None:
        self.resultat = resultat
        self.query_one("#matchning-forlopp").display = False
        info = self.query_one("#matchning-info", Static)
        info.update(
            f"{tal(len(resultat.forslag))} förslag · {tal(len(resultat.utan_person))} utan person · "
            f"{resultat.losning.status_kort} · "
            f"{tal(resultat.antal_mojliga)} av {tal(resultat.antal_kandidater)} personer kan föreslås"
        )
        info.tooltip = resultat.losning.status  # hela texten även när raden klipps
        self._las_status()
        self._fyll_forslag()
        utan = self.query_one("#tabell-utan", DataTable)
        utan.clear()
        for u in resultat.utan_person:
            utan.add_row(u.beslut_id, self._dagar(u.arende), u.forklaring.text, u.arende.insats)
        self.query_one("#rekrytering-text", Static).update("\n".join(resultat.rekrytering.lines()))
        self._visa_detalj()

    def _dagar(self, arende: Any) -> Text:
        return Text(str(arende.vantedagar), style="bold red" if arende.forsenad else "", justify="right")

    def _las_status(self) -> None:
        """Varje förslags status enligt registret (föreslagen, godkänd, avvisad …)."""
        if self.resultat is None:
            return
        reg, today = self.bapp.register, self.bapp.today
        status = {}
        for f in self.resultat.forslag:
            lage = reg.beslut_lage(f.beslut_id, today)
            current = next((x for x in lage.forslag if x.kandidat == f.kandidat.kandidat_id), None) if lage else None
            status[(f.beslut_id, f.kandidat.kandidat_id)] = current.status if current else "ny"
        self.status = status

    def _fyll_forslag(self) -> None:
        assert self.resultat is not None
        table = self.query_one("#tabell-forslag", DataTable)
        # Samma resultat (efter ett steg i arbetsgången): markören står kvar på raden. Ett nytt
        # resultat börjar på första raden, så att det markerade förslaget är det som syns först.
        row = table.cursor_row if self._fyllt_med is self.resultat else 0
        self._fyllt_med = self.resultat
        table.clear()
        for f in self.resultat.forslag:
            andel = f.passform / f.passform_max if f.passform_max else 0
            table.add_row(
                f.beslut_id, self._dagar(f.arende), f.kandidat.namn,
                self.status.get((f.beslut_id, f.kandidat.kandidat_id), "ny"), f.arende.insats,
                TYP_TEXT.get(f.kandidat.typ.lower(), f.kandidat.typ.lower()),
                Text(f"{round(andel * 100)} %", justify="right"),
            )
        if 0 <= row < table.row_count:
            table.move_cursor(row=row)

    # -- detaljer ----------------------------------------------------------------------

    @on(TabbedContent.TabActivated)
    def _ny_flik(self) -> None:
        """Efter ett flikbyte står markören på första raden: det markerade är det som syns först."""
        self._forsta_raden()
        self._visa_detalj()

    def _forsta_raden(self) -> None:
        for table in self.query(DataTable):
            if table.row_count:
                table.move_cursor(row=0, column=0, animate=False)
                table.scroll_home(animate=False)

    def on_resize(self, event) -> None:
        """Bredare fönster: hela insatsens namn först, sedan längre personnamn."""
        width = event.size.width
        # det fönstret har utöver vad kolumnerna redan tar (bredderna, en cells marginal på
        # var sida och rullningslisten) går först till insatsen, sedan till namnet; förut räknades
        # från 80 kolumner, så att Typ och Passform sköts ut till höger också i 110 kolumner
        bas = sum(BREDDER_FORSLAG.values()) + 2 * len(BREDDER_FORSLAG) + 2
        satt_bredder(self.query_one("#tabell-forslag", DataTable),
                     fordela(width, bas, {"Insats": (20, 31), "Person": (22, 36)}))
        satt_bredder(self.query_one("#tabell-utan", DataTable),
                     {"Skäl": max(40, width - 10 - 5 - 20 - 2 * 4 - 4)})

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self._forsta_raden()
        self._visa_detalj()

    def action_detaljer(self) -> None:
        self.detaljer = not self.detaljer
        self.query_one("#matchning-detalj").border_title = "Förklaring · detaljer" if self.detaljer else "Förklaring"
        self._visa_detalj()

    @on(DataTable.RowHighlighted)
    def _visa_detalj(self) -> None:
        text = self._detalj()
        self.query_one("#matchning-detalj-text", Static).update(text)

    def _aktiv_flik(self) -> str:
        return self.query_one(TabbedContent).active or "flik-forslag"

    def markerat_forslag(self) -> Forslag | None:
        if self.resultat is None or self._aktiv_flik() != "flik-forslag":
            return None
        row = self.query_one("#tabell-forslag", DataTable).cursor_row
        return self.resultat.forslag[row] if 0 <= row < len(self.resultat.forslag) else None

    def markerad_utan(self) -> UtanPerson | None:
        if self.resultat is None or self._aktiv_flik() != "flik-utan":
            return None
        row = self.query_one("#tabell-utan", DataTable).cursor_row
        return self.resultat.utan_person[row] if 0 <= row < len(self.resultat.utan_person) else None

    def _detalj(self) -> Text | str:
        if self.resultat is None:
            return "Ingen matchning ännu. Tryck m."
        f = self.markerat_forslag()
        if f is not None:
            out = Text()
            out.append(f"{f.beslut_id} ({f.arende.insats}, väntat {antal(f.arende.vantedagar, 'dag', 'dagar')}) ← ", style="bold")
            out.append(f"{f.kandidat.namn} ({f.kandidat.kandidat_id}, {f.kandidat.typ.lower()})\n", style="bold")
            if f.samma_som_forut:
                out.append("Samma person som förra gången: förslaget står kvar.\n", style="italic")
            out.append(why_line(f.onskemal) + "\n", style="green")
            for line in missed_lines(f.onskemal):
                out.append(f"Inte uppfyllt: {line}\n", style="yellow")
            status = self.status.get((f.beslut_id, f.kandidat.kandidat_id), "ny")
            out.append(f"Status: {status}. ", style="bold")
            out.append({"ny": "g godkänn, n avvisa.", "föreslagen": "g godkänn, n avvisa.",
                        "godkänd": "o för in erbjudandet och svaret.",
                        "accepterad": "v verkställt när första träffen ägt rum."}.get(status, ""))
            if self.detaljer:
                out.append("\nDetaljer\n", style="bold")
                for item in f.onskemal:
                    out.append(f"• {item_line(item)}\n", style="dim")
                out.append(f"• Passform {format_number(round(f.passform, 1))} av "
                           f"{format_number(round(f.passform_max, 1))} möjliga.\n", style="dim")
                out.append(self._losningsrad(), style="dim")
            else:
                out.append("\nd visar detaljer.", style="dim")
            return out
        u = self.markerad_utan()
        if u is not None:
            out = Text()
            out.append(f"{u.beslut_id} ({u.arende.insats}, väntat {antal(u.arende.vantedagar, 'dag', 'dagar')})\n", style="bold")
            out.append(u.forklaring.text + "\n")
            if self.detaljer:
                out.append("Detaljer\n", style="bold")
                for line in u.forklaring.detaljer:
                    out.append(f"• {line}\n", style="dim")
                out.append(self._losningsrad(), style="dim")
            else:
                out.append("d visar hur kraven slog ut, ett i taget.", style="dim")
            return out
        if self._aktiv_flik() == "flik-rekrytering":
            return "Profilen summerar de beslut som inte fick någon person: vem nästa annons ska söka."
        return ""

    def _losningsrad(self) -> str:
        """Hur lösaren räknade: metod och om svaret är bevisat bäst (bara i detaljerna)."""
        if self.resultat is None:
            return ""
        los = self.resultat.losning
        return (f"• Lösare: {los.metod}, {format_number(round(self.resultat.sekunder, 2))} s. "
                f"{los.status}\n")

    # -- arbetsgången -------------------------------------------------------------------------

    def _forslag_eller_varning(self) -> Forslag | None:
        f = self.markerat_forslag()
        if f is None:
            self.notify("Markera ett förslag under fliken Förslag först (kör m om listan är tom).", severity="warning")
        return f

    def _efter_steg(self, f: Forslag, text: str) -> None:
        self._las_status()
        self._fyll_forslag()
        self._visa_detalj()
        self._loaded_event_id = self.bapp.register.last_event_id()
        self.notify(text, title="Sparat")

    def _spara_forslaget(self, f: Forslag) -> None:
        """Förslaget sparas i beslutets historik (om det inte redan finns) innan nästa steg."""
        reg = self.bapp.register
        lage = reg.beslut_lage(f.beslut_id, self.bapp.today)
        if lage is not None:
            reg.append(workflow.forslag_events(lage, f.kandidat.kandidat_id, self.bapp.today, f.motivering))

    def _steg(self, fn, f: Forslag, text: str) -> None:
        from bemanning.errors import UserError

        try:
            fn()
        except UserError as exc:
            self.app.show_error("Det gick inte", exc.message, exc.details)  # type: ignore[attr-defined]
            return
        self._efter_steg(f, text)

    def _besluta_om_forslaget(self, step, message: str) -> None:
        """Godkänn eller avvisa det markerade förslaget (arbetsgångens steg ur kärnan)."""
        f = self._forslag_eller_varning()
        if f is None:
            return

        def run() -> None:
            self._spara_forslaget(f)
            step(self.bapp.register, f.beslut_id, f.kandidat.kandidat_id, self.bapp.today)

        self._steg(run, f, message.format(beslut=f.beslut_id))

    def action_godkann(self) -> None:
        self._besluta_om_forslaget(workflow.godkann, "Förslaget för {beslut} är godkänt.")

    def action_avvisa(self) -> None:
        self._besluta_om_forslaget(
            workflow.avvisa, "Förslaget för {beslut} är avvisat; paret föreslås inte igen."
        )

    def action_erbjud(self) -> None:
        f = self._forslag_eller_varning()
        if f is None:
            return
        fields = [
            Falt("datum", "Datum", kind="datum", value=self.bapp.today.isoformat()),
            Falt("utfall", "Svar", kind="val", value="accepterat",
                 options=(("Accepterat", "accepterat"), ("Tackat nej", "tackat nej"))),
            Falt("kommentar", "Kommentar"),
        ]

        def submit(v: dict[str, str]) -> Forslag:
            workflow.erbjud(self.bapp.register, f.beslut_id, f.kandidat.kandidat_id,
                            parse_date("datum", v["datum"]), v["utfall"], v["kommentar"])
            return f

        self.app.push_screen(
            FormDialog(f"Erbjudande: {f.kandidat.namn} till {f.beslut_id}", fields, submit,
                       intro=('Tackat nej står i rapporten som orsaken "Tackat nej till erbjuden plats" (kod 1), '
                              "och paret föreslås aldrig igen.")),
            lambda r: r and self._efter_steg(f, "Erbjudandet sparat."),
        )

    def action_verkstall(self) -> None:
        f = self._forslag_eller_varning()
        if f is None:
            return

        def submit(v: dict[str, str]) -> Forslag:
            workflow.verkstall(self.bapp.register, f.beslut_id, parse_date("datum", v["datum"]))
            return f

        self.app.push_screen(
            FormDialog(f"Verkställt: {f.beslut_id}", [Falt("datum", "Första träffen", kind="datum",
                                                          value=self.bapp.today.isoformat())], submit),
            lambda r: r and self._efter_steg(f, f"{f.beslut_id} verkställt."),
        )

    def action_spara_alla(self) -> None:
        if self.resultat is None:
            self.notify("Kör matchningen först (m).", severity="warning")
            return
        from bemanning.errors import UserError

        try:
            n = workflow.spara_forslag(self.bapp.register, self.resultat, self.bapp.today)
        except UserError as exc:
            self.app.show_error("Det gick inte", exc.message, exc.details)  # type: ignore[attr-defined]
            return
        self._las_status()
        self._fyll_forslag()
        self._loaded_event_id = self.bapp.register.last_event_id()
        self.notify(f"{n} nya förslag sparade i besluten.", title="Sparat")

    def reload(self) -> None:
        if self.resultat is not None:
            self._las_status()
            self._fyll_forslag()

    def commands(self):
        yield SystemCommand("Kör matchningen", "Matcha öppna beslut mot personer (M)", self.action_kor)
        f = self.markerat_forslag()
        if f is not None:
            yield SystemCommand(f"Godkänn {f.kandidat.namn} för {f.beslut_id}", "Det markerade förslaget (G)",
                                self.action_godkann)
            yield SystemCommand(f"Avvisa {f.kandidat.namn} för {f.beslut_id}", "Föreslås inte igen för beslutet (N)",
                                self.action_avvisa)
            yield SystemCommand(f"Erbjudande för {f.beslut_id}", "Erbjudandet och svaret (O)", self.action_erbjud)
        if self.resultat is not None:
            yield SystemCommand("Visa eller dölj detaljer", "Vikter, kravens kedja och lösaren (D)", self.action_detaljer)
        if self.resultat is not None:
            yield SystemCommand("Spara alla förslag", "Som förslag i besluten (F)", self.action_spara_alla)
