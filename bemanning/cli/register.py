"""Kommandon för registret: importera, exportera, visa beslut och historik, registrera händelser."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from bemanning.cli.args import count_arg, date_arg, open_register_for, scale_arg
from bemanning.errors import UserError
from bemanning.svenska import antal


def local_time(stamp: datetime | None) -> str:
    """Registreringstiden sparas i UTC och visas i datorns lokala tid."""
    if stamp is None:
        return ""
    return stamp.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def open_reg(args: argparse.Namespace, *, create: bool = False):
    return open_register_for(args, create=create)



def _utfall(text: str) -> str:
    """`tackat-nej` (som `bemanning matcha erbjud` skriver det) och `Tackat nej` betyder samma sak
    som `tackat nej`: samma alias som matchningens arbetsgång tar."""
    from bemanning.matching.workflow import UTFALL_ALIAS

    value = " ".join(text.strip().lower().split())
    return UTFALL_ALIAS.get(value, value)

def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "importera",
        help="importera beslut, erbjudanden, uppdragstagare, personal, enheter (CSV eller XLSX)",
        description=textwrap.fill(
            "Läser filerna, kontrollerar varje rad och sparar allt i en transaktion. Finns ett enda fel "
            "ändras ingenting, och varje fel visas med fil, rad, kolumn och vad som ska rättas. Filslaget "
            "känns igen på rubrikraden. Samma fil två gånger ger inga dubbletter."
        ),
        epilog=(
            "Exempel:\n"
            "  bemanning importera beslut.csv erbjudanden.csv\n"
            "  bemanning importera underlag/                  alla CSV- och XLSX-filer i katalogen\n"
            "  bemanning importera --torrkorning beslut.csv   kontrollera först, spara inget\n"
            "  bemanning importera export.csv --mappning treserva.toml\n"
            "\n"
            "Kolumnmappning (--mappning): en TOML-fil med en tabell per filslag, till exempel\n"
            "\n"
            "  [beslut]\n"
            "  datumformat = \"%d.%m.%Y\"        # datumen i källfilen, här 05.01.2024\n"
            "  [beslut.kolumner]                # vårt namn = rubriken i källfilen\n"
            "  beslut_id = \"Beslutsnummer\"\n"
            "  person_id = \"Personnummer\"\n"
            "  kon = \"Kön\"\n"
            "  insats = \"Insats\"\n"
            "  beslutsdatum = \"Beslutsdatum\"\n"
            "  [beslut.varden.kon]              # källans värde = vårt värde\n"
            "  Kvinna = \"K\"\n"
            "  Man = \"M\""
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("filer", nargs="+", type=Path, metavar="FIL",
                   help="en fil, eller en katalog: alla CSV- och XLSX-filer i den")
    p.add_argument("--typ", choices=["beslut", "erbjudanden", "uppdragstagare", "personal", "enheter", "omraden"],
                   help="filslag, om det inte ska kännas igen på rubrikraden")
    p.add_argument("--mappning", type=Path, metavar="TOML", help="kolumnmappning för export från annat system")
    p.add_argument("--bekrafta", action="store_true",
                   help="för in ändrade värden för redan importerade beslut (annars visas de bara)")
    p.add_argument("--torrkorning", action="store_true", help="kontrollera och visa, men spara inget")
    p.add_argument("--kodning", choices=["utf-8", "cp1252"], default=None,
                   help="filernas teckenkodning; cp1252 läser en fil sparad som Windows-1252 även om "
                        "den liknar UTF-8 (standard: UTF-8, och ren Windows-1252 med en varning)")
    p.set_defaults(func=cmd_importera)

    p = subparsers.add_parser("exportera", help="exportera registret som CSV-filer som kan importeras igen",
                              description="Skriver en CSV-fil (semikolon, UTF-8) som kan importeras igen.")
    p.add_argument("slag", choices=["beslut", "erbjudanden", "uppdragstagare", "personal", "enheter", "omraden"],
                   metavar="SLAG", help="vad som exporteras: beslut, erbjudanden, uppdragstagare, personal, enheter "
                                        "eller omraden")
    p.add_argument("--per", type=date_arg, default=None, metavar="DATUM", help="registrets läge denna dag (standard: i dag)")
    p.add_argument("-o", "--utfil", type=Path, metavar="FIL",
                   help="filnamn, eller - för terminalen (standard: SLAG-DATUM.csv här)")
    p.add_argument("--force", action="store_true", help="skriv över en befintlig fil")
    p.set_defaults(func=cmd_exportera)

    p = subparsers.add_parser("beslut", help="lista beslut ur registret, som det stod en viss dag",
                              description="Visar beslut och antal per insats, filtrerat på status, insats och datum.")
    p.add_argument("--per", type=date_arg, default=None, metavar="DATUM", help="registrets läge denna dag (standard: i dag)")
    p.add_argument("--insats", metavar="TEXT", help="bara insatser vars namn innehåller TEXT (t.ex. kontaktperson)")
    p.add_argument("--status", choices=["ej-verkstallda", "verkstallda", "avslutade", "alla"], default="ej-verkstallda",
                   help="vilka beslut som visas (standard: ej-verkstallda, de som väntar)")
    p.add_argument("--fran", type=date_arg, metavar="DATUM", help="beslutsdatum från och med")
    p.add_argument("--till", type=date_arg, metavar="DATUM", help="beslutsdatum till och med")
    p.add_argument("--antal", action="store_true", help="visa bara antal per insats")
    p.set_defaults(func=cmd_beslut)

    p = subparsers.add_parser("historik", help="ett besluts daterade historik",
                              description="Visar allt som hänt med ett beslut, dag för dag: registrerat, "
                                          "erbjudanden, verkställt, avbrott, rättelser, med källan till varje uppgift.")
    p.add_argument("beslut_id", metavar="BESLUT_ID", help="beslutets id, till exempel VON23-002")
    p.set_defaults(func=cmd_historik)

    p = subparsers.add_parser("registrera", help="för in en händelse för ett beslut (erbjudande, verkställt …)")
    sub = p.add_subparsers(dest="handelse", metavar="HÄNDELSE", required=True)
    for name, text in [
        ("erbjudande", "ett erbjudande och svaret på det"),
        ("verkstallt", "den enskilde har fått insatsen (första mötet, inflyttning)"),
        ("avbrott", "insatsen har avbrutits"),
        ("aterupptaget", "insatsen har återupptagits efter ett avbrott"),
        ("avslutat", "beslutet avslutades utan att verkställas"),
        ("rattelse", "rätta kön, insats eller beslutsdatum (det gamla värdet finns kvar i historiken)"),
        ("senarelaggning", "den enskilde har begärt att verkställandet skjuts upp (34 kap. 6 § SoL)"),
        ("motivering", "skälen till dröjsmålet med egna ord; går till IVO och revisorerna och ersätter utkastet"),
    ]:
        q = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        q.add_argument("beslut_id", metavar="BESLUT_ID", help="beslutets id, till exempel VON23-003")
        q.add_argument("--datum", type=date_arg, default=None, metavar="DATUM", help="händelsens datum (standard: i dag)")
        if name == "erbjudande":
            q.add_argument("--utfall", required=True, type=_utfall, choices=["tackat nej", "accepterat"],
                           help='den enskildes svar: "tackat nej" (eller tackat-nej) eller accepterat')
            q.add_argument("--kommentar", default="", help="fritext (utan namn eller personnummer)")
            q.add_argument("--kandidat", default=None, help="id för den person som erbjöds")
        if name == "avslutat":
            q.add_argument("--orsak", required=True, help="t.ex. ansökan återtagen, behovet upphört, flyttat")
        if name == "rattelse":
            q.add_argument("falt", choices=["kon", "insats", "beslutsdatum"], metavar="FÄLT",
                           help="det som rättas: kon, insats eller beslutsdatum")
            q.add_argument("varde", metavar="VÄRDE",
                           help='det rätta värdet, t.ex. M, "LSS – kontaktperson" eller 2024-01-05')
        if name == "senarelaggning":
            q.add_argument("--till", type=date_arg, default=None, metavar="DATUM",
                           help="till och med vilken dag den enskilde vill vänta (standard: tills vidare)")
            q.add_argument("--kommentar", default="", help="fritext (utan namn eller personnummer)")
        if name == "motivering":
            q.add_argument("text", help="kort text utan namn och personnummer, t.ex. "
                                        '"Kontaktperson erbjuden 2024-01-10, tackat nej."')
        q.set_defaults(func=cmd_registrera)

    p = subparsers.add_parser("generera", help="skapa ett syntetiskt register (CSV-filer) för prov och mätning",
                              description="Skriver påhittade beslut, enskilda, personal och uppdragstagare som "
                                          "CSV-filer i KATALOG, att läsa in med `bemanning importera`. Inga "
                                          "uppgifter om verkliga personer.")
    p.add_argument("katalog", type=Path, metavar="KATALOG", help="katalogen filerna skrivs i (skapas vid behov)")
    p.add_argument("--beslut", type=count_arg(1, 10_000_000, "skriv antal beslut, till exempel 1000"), default=70, metavar="ANTAL", help="antal beslut (standard: 70)")
    p.add_argument("--uppdragstagare", type=count_arg(0, 1_000_000, "skriv antal uppdragstagare, till exempel 40"),
                   default=40, metavar="ANTAL",
                   help="antal uppdragstagare (standard: 40)")
    p.add_argument("--personalskala", type=scale_arg, default=1.0, metavar="SKALA",
                   help="personalens storlek: 1 = cirka 120 anställda, 2 = cirka 240 (standard: 1)")
    p.add_argument("--seed", type=count_arg(0, None, "skriv ett heltal, till exempel 2026"), default=2026, metavar="FRÖ",
                   help="frö: samma frö ger samma filer (standard: 2026)")
    p.add_argument("--ar", type=count_arg(1, 100, "skriv antal år, till exempel 15"), metavar="ÅR",
                   help="beslut fördelade över så många år, där de som är äldre än ett år är verkställda "
                        "eller avslutade, som i ett register med lång historik (standard: 18 månader, "
                        "där många gamla beslut väntar)")
    p.set_defaults(func=cmd_generera)

    p = subparsers.add_parser("db", help="registrets databas: var den ligger och vad den innehåller")
    p.add_argument("atgard", choices=["info", "migrera", "kontrollera", "bygg-om", "kopiera"],
                   help="info: visa; migrera: för schemat till senaste versionen; "
                        "kontrollera: pröva att registrets översikt (projektionerna) stämmer med "
                        "händelserna, utan att ändra något; "
                        "bygg-om: bygg registrets översikt (projektionerna) på nytt ur händelserna; "
                        "kopiera: hela registret med historik till en annan databas (--till)")
    p.add_argument("--till", metavar="URL", help="måldatabasen för kopiera, t.ex. postgresql://server/bemanning")
    p.set_defaults(func=cmd_db)

    p = subparsers.add_parser(
        "behorighet", help="visa, ge och ta användares roller, enheter och områden (administratör)",
        description=(
            "Behörigheterna står i registret. I ett gemensamt register (PostgreSQL) är användaren en "
            "inloggning i databasen: en roll ges genom att inloggningen tilldelas gruppen "
            "bemanning_<roll>, och servern själv nekar det rollen inte får (också i SQL). Enheter "
            "(enhetschef) och områden (schemaläggare) styr vilka rader inloggningen ser. "
            "Inställningsfilen ger ingen behörighet i ett gemensamt register."
        ),
        epilog=("Exempel:\n"
                "  bemanning behorighet lista\n"
                "  bemanning behorighet lagg-till anna --roll enhetschef --enhet HT-NORR --enhet SB-BJORKEN\n"
                "  bemanning behorighet lagg-till bo --roll schemalaggare --omrade norr\n"
                "  bemanning behorighet ta-bort anna --enhet SB-BJORKEN"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="atgard", metavar="ÅTGÄRD", required=True)
    sub.add_parser("lista", help="alla användare med roller, enheter och områden")
    for name, aliases, text in (("lagg-till", ["lägg-till"], "ge en användare roller, enheter eller områden"),
                                ("ta-bort", [], "ta roller, enheter eller områden från en användare")):
        q = sub.add_parser(name, aliases=aliases, help=text, description=text[0].upper() + text[1:] + ".")
        q.add_argument("anvandare", metavar="ANVÄNDARE", help="inloggningen i databasen (kontot för en egen fil)")
        q.add_argument("--roll", action="append", default=[], metavar="ROLL",
                       choices=["enhetschef", "schemalaggare", "controller", "administrator", "granskare"],
                       help="enhetschef, schemalaggare, controller, administrator eller granskare")
        q.add_argument("--enhet", action="append", default=[], metavar="ENHET", help="en enhets id (enhetschef)")
        q.add_argument("--omrade", action="append", default=[], metavar="OMRÅDE",
                       help="ett samplaneringsområdes id (schemaläggare)")
    p.set_defaults(func=cmd_behorighet)


def cmd_importera(args: argparse.Namespace) -> int:
    from bemanning.io.importer import expand_directories, import_files
    from bemanning.io.mapping import load_mapping

    mapping = load_mapping(args.mappning) if args.mappning else None
    files = expand_directories(args.filer)
    reg = open_reg(args, create=True)
    keep: list = []  # frigörs inte: processen slutar direkt när utskriften är klar (nedan)
    result = import_files(reg, files, kind=args.typ, mapping=mapping, confirm=args.bekrafta,
                          dry_run=args.torrkorning, encoding=args.kodning, keep=keep)
    for warning in result.warnings:
        print(str(warning), file=sys.stderr)
    for line in result.summary_lines():
        print(line)
    if result.diffs:
        print("Ändrade värden som förts in:")
        for diff in result.diffs:
            print(f"  {diff}")
    if result.pending_diffs:
        print(f"{len(result.pending_diffs)} beslut har andra värden i filen än i registret (inte införda):")
        for diff in result.pending_diffs:
            print(f"  {diff}")
        print("Kör samma import med --bekrafta för att föra in dem som rättelser.")
    if args.torrkorning:
        print("Torrkörning: inget sparades.")
    # Klart: registret stängs (SQLite för över sin logg till filen), och processen får sluta utan att
    # frigöra händelserna och importens rader ett och ett (`cli._exit_without_teardown`).
    reg.close()
    args.avsluta_direkt = True
    args.resultat = (result, keep)
    return 0


def cmd_exportera(args: argparse.Namespace) -> int:
    from bemanning.io.exporter import export_kind, write_new_file

    per = args.per or date.today()
    reg = open_reg(args)
    data = export_kind(reg, args.slag, per)
    if args.utfil is not None and str(args.utfil) == "-":  # - betyder terminalen, som för rapporter
        sys.stdout.write(data.decode("utf-8-sig"))
        sys.stdout.flush()
        return 0
    path = args.utfil or Path(f"{args.slag}-{per.isoformat()}.csv")
    write_new_file(path, data, force=args.force)
    rows = max(0, data.decode("utf-8-sig").count("\n") - 1)
    print(f"Skrev {path} ({antal(rows, 'rad', 'rader')}).")
    return 0


def cmd_beslut(args: argparse.Namespace) -> int:
    from bemanning.store.projection import OPPEN_STATUS
    from bemanning.svenska import tal
    from bemanning.textable import render

    per = args.per or date.today()
    reg = open_reg(args)
    filters = {"status": args.status, "insats": args.insats or "", "fran": args.fran, "till": args.till}
    if args.antal:  # räknas i databasen: kostar så mycket som svaret, inte som historiken
        counts = reg.count_beslut(per, **filters)
    else:  # raderna ur projektionen, utan att vika ihop någon historik
        chosen = reg.beslut_rows(per, **filters)
        rows = [[r.beslut_id, r.insats, r.beslutsdatum, r.kon or "", r.status,
                 (per - r.vantar_sedan).days if r.status in OPPEN_STATUS else ""] for r in chosen]
        print(render(["Beslut", "Insats", "Beslutsdatum", "Kön", "Status", "Dagar"], rows, right=(5,)))
        print()
        counts = dict(Counter(r.insats for r in chosen))
    print(render(["Insats", "Antal"], sorted(counts.items()), right=(1,)))
    print(f"Totalt {tal(sum(counts.values()))} beslut per {per}.")
    return 0


def cmd_historik(args: argparse.Namespace) -> int:
    from bemanning.model.handelse import Entitet
    from bemanning.store.register import OPPNAT_HISTORIK
    from bemanning.textable import render

    reg = open_reg(args)
    events = reg.history(Entitet.BESLUT, args.beslut_id)
    if not events:
        raise UserError(f'Beslutet "{args.beslut_id}" finns inte i registret.')
    reg.log_access(OPPNAT_HISTORIK, beslut_id=args.beslut_id)
    rows = [[e.datum, e.beskrivning(), local_time(e.registrerad), e.kalla] for e in events]
    print(render(["Datum", "Händelse", "Registrerad", "Källa"], rows))
    return 0


def cmd_registrera(args: argparse.Namespace) -> int:
    from bemanning.store import recording

    reg = open_reg(args)
    datum = args.datum or date.today()
    name = args.handelse
    if name == "erbjudande":
        event = recording.record_erbjudande(reg, args.beslut_id, datum, args.utfall,
                                            kommentar=args.kommentar, kandidat=args.kandidat)
    elif name == "verkstallt":
        event = recording.record_verkstallt(reg, args.beslut_id, datum)
    elif name == "avbrott":
        event = recording.record_avbrott(reg, args.beslut_id, datum)
    elif name == "aterupptaget":
        event = recording.record_aterupptaget(reg, args.beslut_id, datum)
    elif name == "avslutat":
        event = recording.record_avslutat(reg, args.beslut_id, datum, args.orsak)
    elif name == "senarelaggning":
        event = recording.record_senarelaggning(reg, args.beslut_id, datum, till=args.till,
                                                kommentar=args.kommentar)
    elif name == "motivering":
        event = recording.record_motivering(reg, args.beslut_id, datum, args.text)
    else:
        event = recording.record_rattelse(reg, args.beslut_id, args.falt, args.varde, datum)
    print(f"{args.beslut_id}: {event.beskrivning()} ({event.datum})")
    return 0


def cmd_generera(args: argparse.Namespace) -> int:
    from bemanning.io.generator import generate

    historik = {} if args.ar is None else {"months": 12 * args.ar, "closed_after_days": 365}
    generate(args.katalog, beslut=args.beslut, uppdragstagare=args.uppdragstagare,
             personal_scale=args.personalskala, seed=args.seed, progress=print, **historik)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    if args.atgard == "kopiera":
        from bemanning.store.copy import cmd_kopiera

        open_reg(args).close()  # rätten att hantera registret prövas när det öppnas
        return cmd_kopiera(args)
    reg = open_reg(args)
    print(f"Register: {reg.url}")
    if args.atgard == "migrera":
        print("Schemat är på senaste versionen.")
        return 0
    if args.atgard == "bygg-om":
        count = reg.rebuild_projections(progress=lambda text: print(text, file=sys.stderr))
        print(f"Översikten är ombyggd ur händelserna: {count} beslut.")
        return 0
    if args.atgard == "kontrollera":
        found = reg.projection_differences(progress=lambda text: print(text, file=sys.stderr))
        beslut, enskilda = found.get("beslut", []), found.get("enskild", [])
        if not beslut and not enskilda:
            print("Översikten stämmer med händelserna för varje beslut och enskild.")
            return 0
        print(f"Översikten stämmer inte med händelserna för {len(beslut)} beslut och {len(enskilda)} enskilda.")
        if beslut:
            shown = ", ".join(beslut[:10]) + (f" och {len(beslut) - 10} till" if len(beslut) > 10 else "")
            print(f"  Beslut: {shown}")
        print("Händelserna är registret; översikten räknas ur dem. Bygg om den med "
              "`bemanning db bygg-om` (databasens ägare eller en administratör).")
        return 1
    counts = reg.counts()
    for name in ("beslut", "enskild", "uppdragstagare", "personal", "enhet", "omrade"):
        print(f"  {name}: {counts.get(name, 0)}")
    print(f"  händelser: {reg.last_event_id()}")
    for item in reg.imports()[-5:]:
        print(f"  import {item['importerad']}: {item['fil']} ({item['antal_handelser']} händelser)")
    return 0


def cmd_behorighet(args: argparse.Namespace) -> int:
    from bemanning.textable import render

    reg = open_reg(args)  # bara en administratör kommer förbi (bemanning.services.rights)
    try:
        from bemanning.services.rights import behorighet_table, change_behorighet

        if args.atgard == "lista":
            rows = behorighet_table(reg, args.inloggad)
            if not rows:
                print("Inga behörigheter i registret.")
                return 0
            print(render(["Användare", "Roller", "Enheter", "Områden"], [list(r) for r in rows]))
            return 0
        add = args.atgard in ("lagg-till", "lägg-till")
        wanted = ([("roll", r) for r in args.roll] + [("enhet", e) for e in args.enhet]
                  + [("omrade", o) for o in args.omrade])
        if not wanted:
            raise UserError("Ange minst en --roll, --enhet eller --omrade.")
        for slag, varde in wanted:
            print(change_behorighet(reg, args.inloggad, args.anvandare, slag, varde, add=add))
        return 0
    finally:
        reg.close()
