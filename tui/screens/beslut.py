"""Beslut: registret som tabell med sök, filter, sortering, detaljer och historik, och
händelser som förs in med kontroll vid fältet.

Raderna läses i en arbetare och hålls i minnet som tupler; sök och filter går över den
listan och tabellen visar en sida i taget, så att även 100 000 beslut går snabbt.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Footer, Input, Select, Static
from textual.worker import get_current_worker

from bemanning.access import Behorighet, may, show_person_id
from bemanning.errors import ConflictError, RegisterUnavailable, UserError
from bemanning.io.forms import parse_form
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.errors import ValidationError
from bemanning.model.handelse import Entitet
from bemanning.model.personnummer import looks_like_personnummer, mask
from bemanning.model.values import parse_date
from bemanning.reports.installningar import load_installningar
from bemanning.store import recording
from bemanning.store.projection import BeslutUrval
from bemanning.store.register import OPPNAT_HISTORIK, VISAT_PERSONNUMMER
from tui.screens.base import BasScreen
from tui.screens.dialogs import Falt, FormDialog, FormErrors
from tui.screens.formular import (
    BESLUT_HANDELSER,
    beslut_falt,
    check,
    filled,
    onskemal_falt,
    text_of,
)
from tui.widgets.flikrad import Flikrad
from tui.widgets.format import antal, omrade_namn, tal
from tui.widgets.kryssruta import Kryssruta

PAGE = 500
#: Så många av en ny sidas rader läggs i tabellen innan skärmen ritas; resten följer direkt efter
#: (tabellen mäter varje cell i raderna den får, och 500 rader tar märkbart längre än de som syns).
FORSTA_RADER = 100

STATUS_VAL = (
    ("Öppna (väntar)", "oppna"),
    ("Ej verkställt", "ej verkställt"),
    ("Avbrott", "avbrott"),
    ("Verkställt", "verkställt"),
    ("Avslutat", "avslutat"),
    ("Alla", "alla"),
)

AVSLUTSORSAKER = ("ansökan återtagen", "behovet upphört", "flyttat", "avliden", "annat")


class Rad(NamedTuple):
    beslut_id: str
    insats: str
    beslutsdatum: str
    kon: str
    status: str
    dagar: int | None
    enhet: str
    erbjudanden: int
    over_tre: bool
    sok: str  # gemener, för sökningen


#: (rubrik, fält i Rad, bredd). Det som behövs för att se vilka som väntar står först och ryms
#: i 80 kolumner med insatsens hela namn (katalogens längsta har 31 tecken); beslutsdatum, enhet
#: och antal erbjudanden följer i bredare fönster (och i detaljrutan).
KOLUMNER = (
    ("Beslut", "beslut_id", 10),
    ("Insats", "insats", 31),
    ("Dagar", "dagar", 5),
    ("Status", "status", 13),
    ("Kön", "kon", 3),
    ("Beslutsdatum", "beslutsdatum", 12),
    ("Enhet", "enhet", 10),
    ("Erbj.", "erbjudanden", 5),
)


def rad_ur_lista(item: Any, per: date, over_tre_fran: date) -> Rad:
    """En rad i listan ur registrets projektion (en rad ur `Register.beslut_list_page`)."""
    waiting = item.status in ("ej verkställt", "avbrott") and item.vantar_sedan is not None
    dagar = (per - item.vantar_sedan).days if waiting else None
    raw = item.enhet_visad or ""
    enhet = omrade_namn(raw) if raw.islower() else raw  # ett område utan enhet: "soder" visas Söder
    return Rad(
        item.beslut_id, item.insats, item.beslutsdatum.isoformat(), item.kon or "", item.status, dagar, enhet,
        int(item.antal_erbjudanden or 0), waiting and item.vantar_sedan <= over_tre_fran,
        f"{item.beslut_id} {item.insats} {enhet} {raw}".lower(),
    )


class BeslutScreen(BasScreen):
    TITLE_SV = "Beslut"
    AUTO_FOCUS = "#beslut-tabell"
    HELP = """
# Beslut

Alla beslut i registret som de står i dag. Tabellen visar ett besluts id, insats,
beslutsdatum, den enskildes kön, status, hur många dagar ett öppet beslut har väntat, enhet
(eller område) och antal erbjudanden. Rader i rött har väntat mer än tre månader och
rapporteras.

**Sök** (`/`) på id, insats eller enhet. **Filtrera** med fälten överst (Tab flyttar mellan
dem): insats, status (standard: öppna beslut), bara över tre månader, enhet. **Sortera** med
`s` (nästa kolumn) och `S` (vänd ordning), eller klicka på en kolumnrubrik.

Rutan under tabellen visar det markerade beslutet: uppgifter, önskemål och den daterade
historiken. Personnummer visas maskerade (19520314-****). **Visa personnummer** med `p`: hela
numret för det markerade beslutet, om din roll får se personnummer. Varje sådan visning loggas
med ditt konto och tiden (beslutets id, aldrig numret). Numret maskeras igen när du markerar ett
annat beslut.

**Nytt beslut** med `n`: beslut-id, personnummer (visas inte i klartext), kön, insats och
beslutsdatum måste fyllas i; önskemålen är valfria. Fälten kontrolleras med samma regler som
importen, och ett felaktigt fält markeras i rött med förklaringen under fältet. `Ctrl+S`
sparar, `Escape` stänger utan att spara.

**För in en händelse** för det markerade beslutet: `e` erbjudande (och svaret), `v`
verkställt (den dag insatsen började ges), `b` avbrott, `t` återupptaget, `a` avslutat utan
verkställighet, `r` rättelse av kön, insats eller beslutsdatum. Felaktiga fält markeras i
rött med en förklaring; inget sparas förrän allt stämmer.

**Ändra önskemål** med `o`: samma formulär som för ett nytt beslut, ifyllt med det markerade
beslutets önskemål, timmar, enhet, område och födelseår, och med samma kontroller vid fälten.
Ändringen sparas från dagen i ”Gäller från”; det som stod före finns kvar i historiken och i
registret som det var en tidigare dag. Kön, insats och beslutsdatum rättas med `r`. Har någon
annan sparat något för beslutet medan formuläret var öppet sparas ingenting, och det du skrivit
står kvar.
"""
    BINDINGS = [
        Binding("slash", "sok", "Sök", id="beslut-sok", tooltip="Sök på id, insats eller enhet"),
        Binding("n", "nytt", "Nytt beslut", id="beslut-nytt", tooltip="Registrera ett nytt beslut"),
        Binding("e", "erbjudande", "Erbjudande", id="beslut-erbjudande", tooltip="För in ett erbjudande och svaret"),
        Binding("v", "verkstallt", "Verkställt", id="beslut-verkstallt", tooltip="Insatsen har börjat ges"),
        Binding("a", "avslutat", "Avsluta", id="beslut-avslutat", tooltip="Beslutet avslutas utan verkställighet"),
        Binding("b", "avbrott", "Avbrott", id="beslut-avbrott", tooltip="Insatsen har avbrutits"),
        Binding("t", "aterupptaget", "Återupptaget", show=False, id="beslut-aterupptaget", tooltip="Insatsen ges igen"),
        Binding("r", "rattelse", "Rätta", id="beslut-rattelse", tooltip="Rätta kön, insats eller beslutsdatum"),
        Binding("o", "onskemal", "Ändra önskemål", show=False, id="beslut-onskemal",
                tooltip="Ändra önskemål, timmar, enhet och område inför matchningen"),
        Binding("p", "personnummer", "Visa personnummer", show=False, id="beslut-personnummer",
                tooltip="Visa hela personnumret för det markerade beslutet (loggas)"),
        Binding("s", "sortera", "Sortera", id="beslut-sortera", tooltip="Sortera på nästa kolumn"),
        Binding("S", "vand", "Vänd ordning", show=False, id="beslut-vand", tooltip="Vänd sorteringen"),
        Binding("right_square_bracket", "sida(1)", "Nästa sida", show=False, id="beslut-nasta", tooltip="Nästa sida"),
        Binding("left_square_bracket", "sida(-1)", "Förra sidan", show=False, id="beslut-forra", tooltip="Förra sidan"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: Sidan som visas (högst PAGE rader), antalet i urvalet och antalet beslut rollen ser.
        self.sida_rader: list[Rad] = []
        self._sida_nycklar: list[tuple] = []
        self.antal = 0
        self.antal_alla = 0
        self.sida = 0
        self.sortering = "beslutsdatum"
        self.fallande = False
        self._filter_timer: Timer | None = None
        self._valt_id: str | None = None
        #: Beslutet vars personnummer visas i klartext (på begäran, loggat); None = maskerat.
        self._visat_pnr: str | None = None
        self._laddad = False
        #: Filtrens val läses efter den första sidan, en gång per omläsning.
        self._las_startad = False
        #: Urvalets antal räknas efter sidan (raden över tabellen säger det under tiden).
        self._raknar = False
        self._insatser: list[str] = []
        self._markera_efter: str | None = None

    def compose(self) -> ComposeResult:
        yield Flikrad("beslut")
        with Vertical(id="beslut"):
            with Horizontal(id="filter", classes="filterrad"):
                yield Input(placeholder="Sök (/)", id="sok", compact=True)
                yield Select([], prompt="Alla insatser", id="filter-insats", compact=True)
                yield Select(list(STATUS_VAL), value="oppna", allow_blank=False, id="filter-status", compact=True)
                yield Kryssruta("Över 3 mån", id="filter-over", compact=True)
                yield Select([], prompt="Alla enheter", id="filter-enhet", compact=True)
            yield Static("Läser registret …", id="beslut-info", classes="infolinje")
            yield DataTable(id="beslut-tabell", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detalj"):
                yield Static("", id="detalj-text")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#beslut-tabell", DataTable)
        for title, field, width in KOLUMNER:
            table.add_column(title, key=field, width=width)
        self.query_one("#detalj").border_title = "Beslutet"

    # -- läsning ---------------------------------------------------------------------

    def reload(self) -> None:
        """Första sidan först (det användaren kom för), sedan filtrens val och antalet beslut."""
        self.query_one("#beslut-info", Static).update("Läser registret …")
        self._las_startad = False
        self.filtrera()

    def _enheter(self) -> tuple[str, ...] | None:
        """Rollens enheter (enhetschefen ser bara sina); None = alla."""
        user = self.bapp.user
        return None if user.is_admin else tuple(user.enheter)

    @work(thread=True, exclusive=True, exit_on_error=False, group="beslut-las")
    def las(self) -> None:
        """Filtrens val och antalet beslut, ur databasen (efter den första sidan)."""
        reg, today = self.bapp.register, self.bapp.today
        alla = reg.beslut_list_count(BeslutUrval(per=today, status="alla", enheter=self._enheter()))
        insatser, enheter = reg.beslut_list_choices(today, self._enheter())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._laddat, insatser, enheter, alla)

    def _laddat(self, insatser: list[str], enheter: list[str], alla: int) -> None:
        self.antal_alla = alla
        self._insatser = insatser
        self._set_options("#filter-insats", insatser)
        self._set_options("#filter-enhet", enheter)
        self._laddad = True
        self._visa_info()

    def _set_options(self, selector: str, values: list[str]) -> None:
        select = self.query_one(selector, Select)
        current = select.value
        with select.prevent(Select.Changed):
            select.set_options([(v, v) for v in values])
            if current in values:
                select.value = current

    # -- filter, sortering, sidor ---------------------------------------------------------

    def _filter_values(self) -> tuple[str, str | None, str, bool, str | None]:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return None if v is Select.NULL or v is None else str(v)

        return (
            self.query_one("#sok", Input).value,
            value("#filter-insats"),
            value("#filter-status") or "oppna",
            self.query_one("#filter-over", Checkbox).value,
            value("#filter-enhet"),
        )

    def _urval(self) -> BeslutUrval:
        sok, insats, status, over_tre, enhet = self._filter_values()
        today = self.bapp.today
        regel = load_installningar().regel
        return BeslutUrval(
            per=today, sok=sok, insats=insats, status=status,
            over_tre_fran=regel.senaste_startdatum(today) if over_tre else None,
            enhet=enhet, enheter=self._enheter(), sortering=self.sortering, fallande=self.fallande,
        )

    def filtrera(self) -> None:
        """Urvalet ändrat: räkna det och visa första sidan (frågorna går i databasen)."""
        if self._filter_timer is not None:
            self._filter_timer.stop()  # en väntande sökning är inaktuell nu
            self._filter_timer = None
        self.sida = 0
        self.las_sida(self._urval(), None, None, True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="beslut-sida")
    def las_sida(self, urval: BeslutUrval, after: tuple | None, before: tuple | None, count: bool) -> None:
        """En sida; med `count` visas sidan först och urvalets antal när det är räknat."""
        reg = self.bapp.register
        worker = get_current_worker()
        rows = reg.beslut_list_page(urval, PAGE, after=after, before=before)
        cutoff = urval.over_tre_fran or load_installningar().regel.senaste_startdatum(urval.per)
        rader = [rad_ur_lista(r, urval.per, cutoff) for r in rows]
        keys = [(r.sortvarde, r.beslut_id) for r in rows]
        if worker.is_cancelled:
            return  # ett nyare urval har redan börjat läsas
        self.app.call_from_thread(self._sida_last, rader, keys, None if count else self.antal)
        if count:
            antal = reg.beslut_list_count(urval)
            if not worker.is_cancelled:
                self.app.call_from_thread(self._antal_last, antal)

    def _antal_last(self, antal: int) -> None:
        self.antal, self._raknar = antal, False
        self._visa_info()

    def _sida_last(self, rader: list[Rad], keys: list[tuple], antal: int | None, sida: int | None = None) -> None:
        self.sida_rader, self._sida_nycklar = rader, keys
        if antal is None:  # räknas efter sidan; till dess står "räknar" i stället för antalet
            self._raknar = True
        else:
            self.antal, self._raknar = antal, False
        if sida is not None:
            self.sida = sida
        if not self._las_startad:
            self._las_startad = True
            self.las()
        table = self.query_one("#beslut-tabell", DataTable)
        row = table.cursor_row
        wanted, self._markera_efter = self._markera_efter, None
        self.visa_sida(forst=FORSTA_RADER if wanted is None else None)
        if wanted is None:
            return
        index = next((i for i, r in enumerate(rader) if r.beslut_id == wanted), None)
        if index is None:  # beslutet lämnade urvalet (t.ex. verkställt): samma plats i tabellen
            index = min(row, len(rader) - 1)
        if index >= 0:
            table.move_cursor(row=index)
            table.focus()
        self.visa_detalj(wanted)

    @on(Input.Changed, "#sok")
    def _sok_andrad(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.15, self.filtrera)

    @on(Input.Submitted, "#sok")
    def _sok_klar(self) -> None:
        self.filtrera()
        self.query_one("#beslut-tabell").focus()

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filter_andrat(self) -> None:
        if self._laddad:
            self.filtrera()

    def sidor(self) -> int:
        return max(1, (self.antal + PAGE - 1) // PAGE)

    def visa_sida(self, *, forst: int | None = None) -> None:
        """Sidan i tabellen; med `forst` bara så många rader innan skärmen ritas, resten strax efter."""
        table = self.query_one("#beslut-tabell", DataTable)
        page = self.sida_rader
        table.clear()
        head = page if forst is None else page[:forst]
        table.add_rows(self._cells(r) for r in head)
        if len(head) < len(page):
            self.call_after_refresh(self._resten_av_sidan, page, len(head))
        self._visa_info()
        if page:
            self.visa_detalj(page[0].beslut_id)
        else:
            self._valt_id = None
            self.query_one("#detalj-text", Static).update("Inga beslut matchar sökningen och filtren.")

    def _resten_av_sidan(self, page: list[Rad], start: int) -> None:
        if page is not self.sida_rader:
            return  # en annan sida visas redan
        table = self.query_one("#beslut-tabell", DataTable)
        if table.row_count == start:
            table.add_rows(self._cells(r) for r in page[start:])

    def _visa_info(self) -> None:
        """Raden över tabellen: antal i urvalet av alla, sortering och sida."""
        riktning = "fallande" if self.fallande else "stigande"
        rubrik = next(t for t, f, _w in KOLUMNER if f == self.sortering)
        sortering = f"sorterat på {rubrik.lower()}, {riktning}"
        if self._raknar:
            info = f"Räknar besluten … · {sortering}"
        else:
            alla = f" av {tal(self.antal_alla)}" if self._laddad else ""
            info = f"{tal(self.antal)}{alla} beslut · {sortering}"
            if self.sidor() > 1:
                info += f" · sida {self.sida + 1} av {self.sidor()}, bläddra med [ och ]"
        self.query_one("#beslut-info", Static).update(Text(info))  # ren text: [ och ] är ingen märkning

    def _cells(self, r: Rad) -> list[Any]:
        style = "bold red" if r.over_tre else ""
        return [
            Text(r.beslut_id, style=style), r.insats,
            Text("" if r.dagar is None else str(r.dagar), style=style, justify="right"),
            r.status, r.kon, r.beslutsdatum, r.enhet,
            Text(str(r.erbjudanden) if r.erbjudanden else "", justify="right"),
        ]

    def action_sida(self, steg: int) -> None:
        """Nästa eller förra sidan, räknad från den visade sidans första eller sista rad."""
        if not self._sida_nycklar or self._raknar:
            return  # antalet sidor är inte känt än
        if steg > 0 and self.sida + 1 < self.sidor():
            self.sida += 1
            self.las_sida(self._urval(), self._sida_nycklar[-1], None, False)
        elif steg < 0 and self.sida > 0:
            self.sida -= 1
            self.las_sida(self._urval(), None, self._sida_nycklar[0], False)

    def action_sortera(self) -> None:
        fields = [f for _t, f, _w in KOLUMNER]
        self.sortering = fields[(fields.index(self.sortering) + 1) % len(fields)]
        self.fallande = self.sortering == "dagar"
        self.filtrera()

    def action_vand(self) -> None:
        self.fallande = not self.fallande
        self.filtrera()

    @on(DataTable.HeaderSelected)
    def _rubrik(self, event: DataTable.HeaderSelected) -> None:
        field = str(event.column_key.value)
        if field == self.sortering:
            self.fallande = not self.fallande
        else:
            self.sortering, self.fallande = field, False
        self.filtrera()

    def action_sok(self) -> None:
        self.query_one("#sok", Input).focus()

    def key_escape(self) -> None:
        if self.focused is not None and self.focused.id != "beslut-tabell":
            self.query_one("#beslut-tabell").focus()

    # -- detaljer ----------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#beslut-tabell")
    def _markerad(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.sida_rader):
            self.visa_detalj(self.sida_rader[event.cursor_row].beslut_id)

    def valt(self) -> str | None:
        return self._valt_id

    def valt_eller_sag(self) -> str | None:
        """Det markerade beslutet; utan markering säger skärmen hur man markerar ett."""
        if self._valt_id is None:
            self.notify("Markera ett beslut i tabellen först.", severity="warning")
        return self._valt_id

    def visa_detalj(self, beslut_id: str) -> None:
        if beslut_id != self._visat_pnr:
            self._visat_pnr = None  # ett annat beslut: personnumret maskeras igen
        self._valt_id = beslut_id
        self.las_detalj(beslut_id, self._visat_pnr == beslut_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="beslut-detalj")
    def las_detalj(self, beslut_id: str, reveal: bool = False) -> None:
        reg = self.bapp.register
        lage = reg.beslut_lage(beslut_id, self.bapp.today)
        historik = reg.history(Entitet.BESLUT, beslut_id)
        try:
            reg.log_access(OPPNAT_HISTORIK, beslut_id=beslut_id)  # loggning: vem öppnade vad och när
        except RegisterUnavailable as exc:
            # Utan loggning ingen historik; skälet står i detaljrutan (ingen dialog per rad).
            text = Text(f"Historiken visas inte: varje öppning ska loggas, och loggningen gick inte att "
                        f"skriva. {exc.message}", style="yellow")
            self.app.call_from_thread(self._visa_detalj, beslut_id, text, reveal)
            return
        text = (detalj_text(lage, historik, self._enskild_id(lage, reveal)) if lage
                else f"Beslutet {beslut_id} finns inte per {self.bapp.today}.")
        self.app.call_from_thread(self._visa_detalj, beslut_id, text, reveal)

    def _enskild_id(self, lage: BeslutLage, reveal: bool) -> str:
        return show_person_id(self.bapp.user, lage.enskild.person_id, reveal=reveal) if lage.enskild else ""

    def _visa_detalj(self, beslut_id: str, text: str | Text, reveal: bool = False) -> None:
        if beslut_id != self._valt_id:
            return
        if beslut_id == self._visat_pnr and not reveal:
            return  # en läsning från före begäran: numret visas redan
        self.query_one("#detalj-text", Static).update(text)
        self.query_one("#detalj").border_title = f"Beslut {beslut_id}"

    # -- personnummer på begäran -------------------------------------------------------------

    def action_personnummer(self) -> None:
        beslut_id = self.valt_eller_sag()
        if beslut_id is None:
            return
        if not may(self.bapp.user, Behorighet.SE_PERSONNUMMER):
            self.notify("Din roll får inte se hela personnummer; numret visas maskerat.",
                        title="Ingen behörighet", severity="warning")
            return
        self.visa_personnummer(beslut_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="beslut-personnummer")
    def visa_personnummer(self, beslut_id: str) -> None:
        reg = self.bapp.register
        lage = reg.beslut_lage(beslut_id, self.bapp.today)
        if lage is None or lage.enskild is None or not looks_like_personnummer(lage.enskild.person_id):
            self.app.call_from_thread(
                self.notify, f"Beslut {beslut_id} har inget personnummer; den enskildes id visas som det är.",
                timeout=5)
            return
        # loggningen först: visas numret har det loggats (vem, när, vilket beslut; aldrig numret)
        reg.log_access(VISAT_PERSONNUMMER, beslut_id=beslut_id)
        text = detalj_text(lage, reg.history(Entitet.BESLUT, beslut_id), self._enskild_id(lage, True))
        self.app.call_from_thread(self._personnummer_visat, beslut_id, text)

    def _personnummer_visat(self, beslut_id: str, text: Text) -> None:
        if beslut_id != self._valt_id:
            return  # markeringen har flyttats under tiden
        self._visat_pnr = beslut_id
        self._visa_detalj(beslut_id, text, reveal=True)

    # -- händelser -----------------------------------------------------------------------

    def _dialog(self, title: str, fields: list[Falt], save, intro: str = "") -> None:
        if not self.bapp.require("REGISTRERA_HANDELSE"):
            return
        beslut_id = self.valt_eller_sag()
        if beslut_id is None:
            return

        def submit(values: dict[str, str]) -> str:
            save(beslut_id, values)
            return beslut_id

        self.app.push_screen(
            FormDialog(f"{title}: {beslut_id}", fields, submit, intro=intro),
            lambda result: self._sparat(result, title),
        )

    def _sparat(self, beslut_id: str | None, title: str) -> None:
        if not beslut_id:
            return
        self.notify(f"{title} sparat för {beslut_id}.", title="Sparat")
        self.uppdatera_rad(beslut_id)

    def uppdatera_rad(self, beslut_id: str) -> None:
        """Läs om ett beslut efter en händelse: dess rad byts på plats (den står kvar med sin nya
        status tills urvalet ändras), utan att registret eller sidan läses om."""
        reg = self.bapp.register
        self._loaded_event_id = reg.last_event_id()
        item = reg.beslut_list_row(self.bapp.today, beslut_id)
        if item is not None:
            cutoff = load_installningar().regel.senaste_startdatum(self.bapp.today)
            new = rad_ur_lista(item, self.bapp.today, cutoff)
            self.sida_rader = [new if r.beslut_id == beslut_id else r for r in self.sida_rader]
            table = self.query_one("#beslut-tabell", DataTable)
            row = table.cursor_row
            self.visa_sida()
            if 0 <= row < table.row_count:
                table.move_cursor(row=row)
        self.visa_detalj(beslut_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="beslut-sida")
    def las_fran(self, urval: BeslutUrval, first: tuple | None, beslut_id: str | None) -> None:
        """En sida som börjar på raden `first` (eller på beslutet `beslut_id`), med sitt sidnummer."""
        reg = self.bapp.register
        if first is None and beslut_id is not None:
            first = reg.beslut_list_key(urval, beslut_id)
            if first is None:
                self.app.call_from_thread(
                    self.notify, f"Beslut {beslut_id} döljs av sökningen eller filtren.", timeout=6)
                return
        before = reg.beslut_list_page(urval, 1, before=first)
        after = (before[0].sortvarde, before[0].beslut_id) if before else None
        rows = reg.beslut_list_page(urval, PAGE, after=after)
        position = reg.beslut_list_position(urval, first)
        cutoff = urval.over_tre_fran or load_installningar().regel.senaste_startdatum(urval.per)
        rader = [rad_ur_lista(r, urval.per, cutoff) for r in rows]
        self.app.call_from_thread(self._sida_last, rader, [(r.sortvarde, r.beslut_id) for r in rows],
                                  reg.beslut_list_count(urval), position // PAGE)

    def action_nytt(self) -> None:
        today = self.bapp.today

        def submit(values: dict[str, str]) -> tuple[str, dict[str, str]]:
            result = check("beslut", values, today)
            recording.record_beslut(self.bapp.register, result.value)
            return result.value.beslut.beslut_id, result.warnings

        self.app.push_screen(
            FormDialog("Nytt beslut", beslut_falt(today), submit,
                       intro="Id, personnummer, kön, insats och beslutsdatum måste fyllas i; resten är "
                             "valfritt. Ctrl+S sparar, Escape stänger utan att spara."),
            self._nytt_sparat,
        )

    def _nytt_sparat(self, result: tuple[str, dict[str, str]] | None) -> None:
        if not result:
            return
        beslut_id, warnings = result
        self.notify(f"Beslut {beslut_id} registrerat.", title="Sparat")
        for message in warnings.values():
            self.notify(message, title="Kontrollera", severity="warning", timeout=8)
        self.lagg_till(beslut_id)

    def lagg_till(self, beslut_id: str) -> None:
        """Ett nytt beslut in i listan (utan att läsa om registret), markerat i tabellen."""
        reg = self.bapp.register
        lage = reg.beslut_lage(beslut_id, self.bapp.today)
        self._loaded_event_id = reg.last_event_id()
        if lage is None:  # beslutsdatum i framtiden: finns inte per i dag
            self.notify(f"Beslut {beslut_id} gäller från sitt beslutsdatum och visas först då.", timeout=6)
            return
        if lage.beslut.insats not in self._insatser:
            self._insatser = sorted({*self._insatser, lage.beslut.insats})
            self._set_options("#filter-insats", self._insatser)
        self.antal_alla += 1
        self.markera(beslut_id)

    def markera(self, beslut_id: str) -> None:
        """Visa sidan där beslutet står och markera det."""
        index = next((i for i, r in enumerate(self.sida_rader) if r.beslut_id == beslut_id), None)
        if index is not None:
            table = self.query_one("#beslut-tabell", DataTable)
            table.move_cursor(row=index)
            table.focus()
            self.visa_detalj(beslut_id)
            return
        self._markera_efter = beslut_id
        self.las_fran(self._urval(), None, beslut_id)

    # -- ändra önskemål ---------------------------------------------------------------

    def action_onskemal(self) -> None:
        beslut_id = self.valt_eller_sag()
        if beslut_id is None:
            return
        if not may(self.bapp.user, Behorighet.ANDRA_BESLUT):
            self.notify("Din roll får inte ändra beslut.", title="Ingen behörighet", severity="warning")
            return
        reg = self.bapp.register
        today = self.bapp.today
        lage = reg.beslut_lage(beslut_id, date.max)  # det senaste, också det som gäller från en senare dag
        if lage is None:
            self.notify(f"Beslutet {beslut_id} finns inte i registret.", severity="error")
            return
        seen = recording.beslut_versions(reg, lage)  # det formuläret visar; sparas inget annat emellan
        # exportens moduler importeras först när formuläret öppnas
        from bemanning.io.exporter import beslut_values

        values = beslut_values(lage)
        fields = filled(onskemal_falt(today), values)
        shown = {f.name for f in fields}
        hidden = {k: text_of(v) for k, v in values.items() if k not in shown and k not in BESLUT_HANDELSER}

        def submit(v: dict[str, str]) -> tuple[str, bool, dict[str, str]]:
            errors = {}
            try:
                datum = parse_date("datum", v.pop("datum"))
            except ValidationError as exc:
                errors["datum"] = exc.message
            result = parse_form("beslut", {**v, **hidden}, today=today)  # samma kontroller som nytt beslut
            errors.update(result.errors)
            if errors or result.value is None:
                raise FormErrors(errors or {"": "Formuläret kunde inte läsas; kontrollera fälten."})
            try:
                events = recording.record_andring(reg, result.value, datum, expected_version=seen)
            except ConflictError as exc:
                raise UserError(exc.message, ["Stäng med Escape och öppna beslutet igen med o för att se "
                                              "det nya läget; skriv av det du ändrat innan du stänger."]) from None
            except UserError as exc:
                if datum < lage.beslut.beslutsdatum:
                    raise ValidationError("datum", exc.message) from None  # kärnans fel, vid fältet
                raise
            return beslut_id, bool(events), result.warnings

        self.app.push_screen(
            FormDialog(f"Ändra önskemål: {beslut_id}", fields, submit,
                       intro="Ändringen gäller från dagen i ”Gäller från”; det gamla finns kvar i historiken. "
                             "Kön, insats och beslutsdatum rättas med r. Ctrl+S sparar, Escape stänger."),
            self._onskemal_sparat,
        )

    def _onskemal_sparat(self, result: tuple[str, bool, dict[str, str]] | None) -> None:
        if not result:
            return
        beslut_id, changed, warnings = result
        if not changed:
            self.notify(f"{beslut_id}: inget ändrat.", timeout=3)
            return
        self.notify(f"Önskemålen för {beslut_id} är ändrade.", title="Sparat")
        for message in warnings.values():
            self.notify(message, title="Kontrollera", severity="warning", timeout=8)
        self.uppdatera_rad(beslut_id)

    def _datum(self) -> Falt:
        return Falt("datum", "Datum", kind="datum", value=self.bapp.today.isoformat())

    def action_erbjudande(self) -> None:
        fields = [
            self._datum(),
            Falt("utfall", "Svar", kind="val", value="tackat nej",
                 options=(("Tackat nej", "tackat nej"), ("Accepterat", "accepterat"))),
            Falt("kandidat", "Erbjuden person", placeholder="id (valfritt), t.ex. U0012"),
            Falt("kommentar", "Kommentar"),
        ]

        def save(beslut_id: str, v: dict[str, str]) -> None:
            recording.record_erbjudande(
                self.bapp.register, beslut_id, parse_date("datum", v["datum"]), v["utfall"],
                kommentar=v["kommentar"], kandidat=v["kandidat"] or None,
            )

        self._dialog("Erbjudande", fields, save,
                     intro="Ett erbjudande och den enskildes svar. Tackat nej stänger inte beslutet.")

    def action_verkstallt(self) -> None:
        def save(beslut_id: str, v: dict[str, str]) -> None:
            recording.record_verkstallt(self.bapp.register, beslut_id, parse_date("datum", v["datum"]))

        self._dialog("Verkställt", [self._datum()], save,
                     intro="Dagen då den enskilde fick insatsen (första mötet, inflyttning).")

    def action_avbrott(self) -> None:
        def save(beslut_id: str, v: dict[str, str]) -> None:
            recording.record_avbrott(self.bapp.register, beslut_id, parse_date("datum", v["datum"]),
                                     kommentar=v["kommentar"])

        self._dialog("Avbrott", [self._datum(), Falt("kommentar", "Kommentar")], save)

    def action_aterupptaget(self) -> None:
        def save(beslut_id: str, v: dict[str, str]) -> None:
            recording.record_aterupptaget(self.bapp.register, beslut_id, parse_date("datum", v["datum"]))

        self._dialog("Återupptaget", [self._datum()], save)

    def action_avslutat(self) -> None:
        fields = [
            self._datum(),
            Falt("orsak", "Orsak", kind="val", options=tuple((o.capitalize(), o) for o in AVSLUTSORSAKER)),
            Falt("annan", "Annan orsak", hint="Fyll i om orsaken är ”annat”."),
        ]

        def save(beslut_id: str, v: dict[str, str]) -> None:
            datum = parse_date("datum", v["datum"])
            if not v["orsak"]:
                from bemanning.model.errors import ValidationError

                raise ValidationError("orsak", "Välj varför beslutet avslutas.")
            orsak = v["annan"] if v["orsak"] == "annat" and v["annan"] else v["orsak"]
            recording.record_avslutat(self.bapp.register, beslut_id, datum, orsak)

        self._dialog("Avslutat", fields, save, intro="Beslutet avslutas utan att ha verkställts.")

    def action_rattelse(self) -> None:
        fields = [
            Falt("falt", "Rätta", kind="val", value="kon",
                 options=(("Kön", "kon"), ("Insats", "insats"), ("Beslutsdatum", "beslutsdatum"))),
            Falt("varde", "Nytt värde", placeholder="K/M, insats eller ÅÅÅÅ-MM-DD"),
            self._datum(),
        ]

        def save(beslut_id: str, v: dict[str, str]) -> None:
            from bemanning.errors import UserError
            from bemanning.model.errors import ValidationError

            if not v["varde"]:
                raise ValidationError("varde", "Skriv det rätta värdet.")
            datum = parse_date("datum", v["datum"])
            try:
                recording.record_rattelse(self.bapp.register, beslut_id, v["falt"], v["varde"], datum)
            except UserError as exc:
                raise ValidationError("varde", exc.message) from None

        self._dialog("Rättelse", fields, save, intro="Det gamla värdet finns kvar i historiken.")

    def commands(self):
        yield SystemCommand("Nytt beslut", "Registrera ett nytt beslut (N)", self.action_nytt)
        yield SystemCommand("Sök beslut", "Flytta till sökfältet (/)", self.action_sok)
        if self.valt():
            b = self.valt()
            yield SystemCommand(f"Erbjudande för {b}", "För in ett erbjudande och svaret (E)", self.action_erbjudande)
            yield SystemCommand(f"Verkställt: {b}", "Insatsen har börjat ges (V)", self.action_verkstallt)
            yield SystemCommand(f"Avsluta {b}", "Avslutat utan verkställighet (A)", self.action_avslutat)
            yield SystemCommand(f"Avbrott för {b}", "Insatsen har avbrutits (B)", self.action_avbrott)
            yield SystemCommand(f"Återupptaget: {b}", "Insatsen ges igen efter avbrott (T)", self.action_aterupptaget)
            yield SystemCommand(f"Rätta {b}", "Kön, insats eller beslutsdatum (R)", self.action_rattelse)
            yield SystemCommand(f"Ändra önskemål för {b}", "Önskemål, timmar, enhet och område (O)",
                                self.action_onskemal)
            if may(self.bapp.user, Behorighet.SE_PERSONNUMMER):
                yield SystemCommand(f"Visa personnummer för {b}", "Hela numret; visningen loggas (P)",
                                    self.action_personnummer)
        yield SystemCommand("Sortera på nästa kolumn", "S", self.action_sortera)
        if self.sidor() > 1:
            yield SystemCommand("Nästa sida", "]", lambda: self.action_sida(1))
            yield SystemCommand("Förra sidan", "[", lambda: self.action_sida(-1))


def detalj_text(lage: BeslutLage, historik: list, enskild_id: str | None = None) -> Text:
    """Rutan för ett beslut. `enskild_id` är den enskildes id som det får visas
    (`access.show_person_id`); utan det maskeras ett personnummer."""
    b = lage.beslut
    e = lage.enskild
    out = Text()
    out.append(f"{b.insats}", style="bold")
    out.append(f" · {lage.status}")
    if lage.is_open:
        out.append(f" · väntat {antal(lage.waiting_days(), 'dag', 'dagar')}")
    out.append("\n")
    out.append(f"Beslutsdatum {b.beslutsdatum.isoformat()}")
    if b.omfattning_timmar:
        out.append(f" · {tal(b.omfattning_timmar, 1)} tim/mån")
    if b.enhet:
        out.append(f" · enhet {b.enhet}")
    out.append("\n")
    if e is not None:
        shown = mask(e.person_id) if enskild_id is None else enskild_id
        parts = [f"Enskild {shown}" if shown else "Enskild", e.kon.ord]
        if e.fodelsear:
            parts.append(f"född {e.fodelsear}")
        if e.sprak:
            parts.append("språk " + ", ".join(e.sprak))
        if e.omrade:
            parts.append(f"område {omrade_namn(e.omrade)}")
        out.append(" · ".join(parts) + "\n")
    w = b.onskemal
    wishes = []
    if w.kon:
        wishes.append(f"kön {w.kon.value} ({'krav' if w.kon_krav else 'önskemål'})")
    if w.sprak:
        wishes.append(f"språk {w.sprak} ({'krav' if w.sprak_krav else 'önskemål'})")
    if w.intressen:
        wishes.append("intressen " + ", ".join(w.intressen))
    if w.tider:
        wishes.append("tider " + ", ".join({"kvall": "kväll"}.get(t, t) for t in w.tider))
    if w.max_avstand_km:
        wishes.append(f"högst {tal(w.max_avstand_km)} km")
    if w.sarskilda_behov:
        wishes.append("särskilda behov " + ", ".join(w.sarskilda_behov))
    if wishes:
        out.append("Önskemål: " + "; ".join(wishes) + "\n")
    if lage.forslag:
        out.append("Förslag: " + "; ".join(f"{f.kandidat} ({f.status})" for f in lage.forslag) + "\n")
    out.append("Historik\n", style="bold underline")
    for h in historik:
        out.append(f"{h.datum.isoformat()}  ", style="bold")
        out.append(h.beskrivning())
        if h.kalla:
            out.append(f"  [{h.kalla}]", style="dim")
        out.append("\n")
    return out
