"""Översikt: startskärmen. Läget i dag, räknat av kärnan i en arbetare."""

from __future__ import annotations

from collections import Counter
from datetime import date

import attrs
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from bemanning.access import Behorighet, may
from bemanning.reports.installningar import load_installningar
from bemanning.reports.urval import kan_ge_avgift_antal
from tui.screens.base import BasScreen
from tui.widgets.diagram import VantetidDiagram
from tui.widgets.flikrad import Flikrad
from tui.widgets.format import antal, tal


@attrs.frozen
class Lage:
    per: date
    antal_beslut: int
    oppna: int
    over_tre: int
    per_insats: tuple[tuple[str, int], ...]
    aldsta_dagar: int | None
    aldsta_insats: str
    aldsta_datum: date | None
    avgift_antal: int
    avgift_dagar: int
    avgift_mest: int
    avgift_kan: int | None  # None: räknas fortfarande
    forslag: int
    vantedagar: tuple[int, ...]


def berakna(reg, per: date, enheter: tuple[str, ...] | None = None, *, med_avgift: bool = True) -> Lage:
    """Siffrorna för översikten, räknade i databasen (registrets projektion): antal per status,
    väntetider, förslag och raderna över tremånadersgränsen, som korta svar (antal per dag och
    insats), så att 100 000 beslut inte läses in. Bara hur många av dem som kan ge avgift
    (preskription, senareläggning) kräver besluten hopvikta; `med_avgift=False` hoppar över det
    (skärmen räknar det efteråt). `enheter` begränsar till en enhetschefs enheter."""
    regel = load_installningar().regel
    gransen = regel.senaste_startdatum(per)
    siffror = reg.overview(per, enheter)
    per_status: Counter[str] = Counter()
    vantar: Counter[date] = Counter()  # de öppnas väntans start → antal
    over_dagar: list[tuple[date, str, int]] = []  # över gränsen: (start, insats, antal)
    forslag = 0
    for status, start, insats, n, forslag_n in siffror["grupper"]:
        per_status[status] += n
        oppen = status in ("ej verkställt", "avbrott")
        if oppen:
            forslag += forslag_n
            if start is not None:
                vantar[start] += n
        if start is not None and start <= gransen:  # samma urval som statistikrapportens
            over_dagar.append((start, insats, n))
    # lika många per insats står i den ordning insatsen först förekommer med (start, insats),
    # som när raderna räknades en och en
    over_dagar.sort(key=lambda r: (r[0], r[1]))
    per_insats: Counter[str] = Counter()
    for _start, insats, n in over_dagar:
        per_insats[insats] += n
    dagar_over = [(regel.dagar_over(start, per), n) for start, _insats, n in over_dagar]
    aldsta = siffror["aldsta"]
    over_tre = sum(n for _start, _insats, n in over_dagar)
    return Lage(
        per=per,
        antal_beslut=sum(per_status.values()),
        oppna=sum(n for status, n in per_status.items() if status in ("ej verkställt", "avbrott")),
        over_tre=over_tre,
        per_insats=tuple(per_insats.most_common()),
        aldsta_dagar=(per - aldsta.vantar_sedan).days if aldsta else None,
        aldsta_insats=aldsta.insats if aldsta else "",
        aldsta_datum=aldsta.beslutsdatum if aldsta else None,
        avgift_antal=over_tre,
        avgift_dagar=sum(d * n for d, n in dagar_over),
        avgift_mest=max((d for d, _n in dagar_over), default=0),
        avgift_kan=kan_ge_avgift(reg, per, regel, enheter) if med_avgift else None,
        forslag=forslag,
        vantedagar=tuple((per - start).days for start in sorted(vantar) for _ in range(vantar[start])),
    )


#: Det Översikt visar när registret är tomt: vad man gör först, och med vilken tangent.
FORSTA_GANGEN = (
    "[b]Registret är tomt. Börja här:[/b]\n"
    "[b]Ctrl+O[/b] importerar beslut, uppdragstagare, personal och enheter (CSV eller Excel).\n"
    "Vill du prova först? Avsluta med [b]Ctrl+Q[/b] och starta [b]bemanning demo[/b]: en påhittad kommun.\n"
    "[b]F1[/b] visar hjälpen för varje skärm, [b]Ctrl+P[/b] alla kommandon."
)


def kan_ge_avgift(reg, per: date, regel, enheter: tuple[str, ...] | None = None) -> int:
    """Hur många beslut över gränsen som kan ge särskild avgift (reports.urval)."""
    return kan_ge_avgift_antal(reg, per, regel, enheter)


class Ruta(Static):
    """En siffra med en rubrik."""

    def __init__(self, rubrik: str, id: str) -> None:
        super().__init__(id=id, classes="ruta")
        self.rubrik = rubrik
        self.border_title = rubrik

    def visa(self, siffra: str, text: str = "") -> None:
        self.update(f"[b]{siffra}[/b]\n{text}" if text else f"[b]{siffra}[/b]")


class OversiktScreen(BasScreen):
    TITLE_SV = "Översikt"
    AUTO_FOCUS = "#per-insats"
    HELP = """
# Översikt

Läget i registret i dag: öppna beslut (inte verkställda eller avbrutna), hur många som väntat
längre än tre månader och därför rapporteras till nämnd och IVO, det beslut som väntat längst,
hur många beslut som kan ge särskild avgift (väntat längre än tre månader, inte preskriberade
och utan begärd senareläggning; om tiden var skälig prövas i varje fall), förslag från
matchningen som väntar på beslut, och senaste schemats täckning.

Diagrammet visar hur länge de öppna besluten har väntat, i månader. Staplarna till höger om
tre månader är beslut som rapporteras.

Gå vidare med `2` (Beslut) för att se besluten, `3` (Matchning) för att hitta kontaktpersoner,
`5` (Rapporter) för månadens rapport.

Är registret tomt börjar du med `Ctrl+O` (importera filer), eller provar programmet på en
påhittad kommun: avsluta med `Ctrl+Q` och starta `bemanning demo`.
"""
    BINDINGS = [
        Binding("u", "uppdatera", "Uppdatera", id="oversikt-uppdatera", tooltip="Räkna om siffrorna"),
    ]

    def compose(self) -> ComposeResult:
        yield Flikrad("oversikt")
        with Vertical(id="oversikt"):
            with Horizontal(id="rutor"):
                yield Ruta("Öppna beslut", id="ruta-oppna")
                yield Ruta("Över 3 månader", id="ruta-over")
                yield Ruta("Längst väntan", id="ruta-aldsta")
                yield Ruta("Avgiftsrisk", id="ruta-avgift")
            with Horizontal(id="oversikt-nedre"):
                with Vertical(id="oversikt-vanster"):
                    yield DataTable(id="per-insats", cursor_type="row", zebra_stripes=True)
                    yield Static("", id="oversikt-rader")
                yield VantetidDiagram(id="diagram")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#per-insats", DataTable)
        table.border_title = "Över tre månader per insats"
        table.add_column("Antal", key="antal")  # talet först: det syns också när insatsens namn är långt
        table.add_column("Insats", key="insats")

    def __init__(self) -> None:
        super().__init__()
        #: Siffrorna utan avgiftsrisken, när användaren lämnade Översikten innan den räknats.
        self._utan_avgift: Lage | None = None

    def reload(self) -> None:
        self.query_one("#ruta-oppna", Ruta).visa("…", "räknar")
        self._utan_avgift = None
        self.berakna()

    def on_screen_resume(self) -> None:
        before = self._loaded_event_id
        super().on_screen_resume()
        lage, self._utan_avgift = self._utan_avgift, None
        if lage is not None and self._loaded_event_id == before:  # inte omläst: räkna det som saknas
            self.berakna(lage)

    def action_uppdatera(self) -> None:
        self._loaded_event_id = None
        self.refresh_if_changed()

    @work(thread=True, exclusive=True, exit_on_error=False, group="oversikt")
    def berakna(self, lage: Lage | None = None) -> Lage | None:
        """Siffrorna i en arbetare: först allt utom avgiftsrisken (korta svar ur databasen), sedan
        avgiftsrisken, som kräver besluten över gränsen hopvikta. Har användaren hunnit gå till en
        annan skärm väntar den delen tills Översikten visas igen: den ska inte ta tid från skärmen
        som används (Beslut-listan direkt efter starten)."""
        user = self.bapp.user
        enheter = None if user.is_admin or not may(user, Behorighet.SE_BESLUT) else tuple(user.enheter)
        if not (may(user, Behorighet.SE_BESLUT) or may(user, Behorighet.SE_RAPPORTER)):
            enheter = ()  # schemaläggare, granskare: inga beslut, inte heller som antal
        if lage is None:
            lage = berakna(self.bapp.register, self.bapp.today, enheter, med_avgift=False)
            self.app.call_from_thread(self.visa, lage)
        if get_current_worker().is_cancelled:
            return None
        if not self.app.call_from_thread(self._avgift_nu, lage):
            return None
        regel = load_installningar().regel
        lage = attrs.evolve(lage, avgift_kan=kan_ge_avgift(self.bapp.register, self.bapp.today, regel, enheter))
        self.app.call_from_thread(self.visa, lage)
        return lage

    def _avgift_nu(self, lage: Lage) -> bool:
        """Räknas avgiftsrisken nu (Översikten visas)? Annars sparas siffrorna tills den visas."""
        if self.is_current:
            return True
        self._utan_avgift = lage
        return False

    def visa(self, lage: Lage) -> None:
        self.query_one("#ruta-oppna", Ruta).visa(tal(lage.oppna), f"av {tal(lage.antal_beslut)} beslut")
        self.query_one("#ruta-over", Ruta).visa(tal(lage.over_tre), "rapporteras")
        if lage.aldsta_dagar is None:
            self.query_one("#ruta-aldsta", Ruta).visa("–", "inga öppna beslut")
        else:
            self.query_one("#ruta-aldsta", Ruta).visa(antal(lage.aldsta_dagar, "dag", "dagar"), lage.aldsta_insats)
        avgift = self.query_one("#ruta-avgift", Ruta)
        if lage.avgift_kan is None:
            avgift.visa("…", "räknar")
            avgift.tooltip = None
        else:
            avgift.visa(f"{tal(lage.avgift_kan)} beslut", "kan ge avgift")
        avgift.tooltip = None if lage.avgift_kan is None else (
            f"{tal(lage.avgift_kan)} av {tal(lage.avgift_antal)} beslut som väntat längre än tre "
            "månader (rapportgränsen) är varken preskriberade eller har en senareläggning begärd av "
            "den enskilde; om insatsen getts inom skälig tid prövas i varje fall. Längst väntat efter "
            f"rapportgränsen: {antal(lage.avgift_mest, 'dag', 'dagar')}. Alla beslut tillsammans: "
            f"{antal(lage.avgift_dagar, 'dag', 'dagar')}. Per beslut: Rapporter → Risk för särskild avgift."
        )
        table = self.query_one("#per-insats", DataTable)
        table.clear()
        for insats, count in lage.per_insats:
            table.add_row(Text(tal(count), justify="right"), insats)
        if not lage.per_insats:
            table.add_row("", "Registret är tomt" if not lage.antal_beslut else "Inga beslut över tre månader")
        self.query_one("#oversikt-rader", Static).update(self._rader(lage))
        self.query_one(VantetidDiagram).visa(lage.vantedagar)

    def _rader(self, lage: Lage) -> str:
        if not lage.antal_beslut:
            return FORSTA_GANGEN
        lines = [f"Förslag som väntar på beslut: [b]{tal(lage.forslag)}[/b]"]
        schema = self.bapp.senaste_schema
        if schema is None:
            lines.append("Schema: inget byggt i den här sessionen (tangent 4)")
        else:
            lines.append(f"Schema: {schema}")
        lines.append(f"Läget per {lage.per.isoformat()}")
        return "\n".join(lines)

    def commands(self):
        yield SystemCommand("Uppdatera översikten", "Räkna om siffrorna ur registret (U)", self.action_uppdatera)
