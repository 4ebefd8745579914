"""`bemanning rapport …`: månadsrapport, IVO, revisorer, KF, jämförelse, särskild avgift, återföring.

Varje rapport räknas ur registret som det stod på rapportdatum. Filen hamnar i aktuell
katalog om inte -o anges (`-o -` skriver textformaten till standard ut), och en befintlig fil
skrivs aldrig över utan --force.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from bemanning.cli.args import count_arg, date_arg, open_register_for
from bemanning.errors import UserError

TEXT_FORMATS = {"md", "txt", "csv", "detalj-csv", "json"}


def _kvartal_arg(text: str):
    from bemanning.reports.ivo import Kvartal

    try:
        return Kvartal.parse(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _last_month_end(today: date | None = None) -> date:
    today = today or date.today()
    return today.replace(day=1) - timedelta(days=1)


def _last_quarter(today: date | None = None):
    from bemanning.reports.ivo import Kvartal

    return Kvartal.of(today or date.today()).previous()


def _open(args: argparse.Namespace):
    return open_register_for(args)


def _settings():
    from bemanning.reports.installningar import load_installningar

    return load_installningar()


def _write(args: argparse.Namespace, data: bytes, default_name: str, fmt: str, what: str) -> int:
    target = args.utfil
    if target == "-":
        if fmt not in TEXT_FORMATS:
            raise UserError(f"Formatet {fmt} kan inte skrivas till terminalen; ange en fil med -o.")
        import codecs
        import os

        out = getattr(sys.stdout, "buffer", None)
        if out is not None and os.linesep == "\n" and (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
            # samma byte som texten nedan, utan att avkoda och koda om hela rapporten
            sys.stdout.flush()
            out.write(memoryview(data)[3:] if data.startswith(codecs.BOM_UTF8) else data)
            out.flush()
            return 0
        text = data.decode("utf-8-sig")
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    from bemanning.io.exporter import write_new_file

    path = Path(target) if target else Path.cwd() / default_name
    write_new_file(path, data, force=args.force)
    print(f"Skrev {path} ({what}).")
    return 0


def _output_args(p: argparse.ArgumentParser, formats: list[str], default: str) -> None:
    p.add_argument("--format", choices=formats, default=default, help=f"filformat (standard: {default})")
    p.add_argument("-o", "--utfil", metavar="FIL",
                   help="filnamn (standard: ett namn med datumet i aktuell katalog; - = skriv till terminalen)")
    p.add_argument("--force", action="store_true", help="skriv över en befintlig fil")


def _matchning_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--matchning", action="store_true",
                   help="kör matchningen på kvartalets sista dag och skriv dess bindande krav i skälen till dröjsmålet")


def _ivo_rapport(args: argparse.Namespace, reg, kvartal, settings):
    """IVO-rapportens rader, med namnen som aldrig får stå i en motivering och ev. matchningens skäl."""
    from bemanning.reports.urval import ivo_ur_registret

    day = kvartal.slut
    matchning = _matchningsskal(reg, day) if getattr(args, "matchning", False) else None
    return ivo_ur_registret(reg, kvartal, settings.regel, reg.katalog, matchning=matchning)


def _matchningsskal(reg, day: date) -> dict:
    from bemanning.matching.engine import match_register
    from bemanning.matching.explain import KRAV
    from bemanning.reports.motivering import Matchningsskal

    resultat = match_register(reg, day)
    return {
        u.beslut_id: Matchningsskal(
            day,
            u.forklaring.text if u.forklaring.kod == KRAV
            else "De personer som passar har fått beslut som väntat längre.",
        )
        for u in resultat.utan_person
    }


def register(subparsers: argparse._SubParsersAction) -> None:
    rapport = subparsers.add_parser(
        "rapport",
        help="rapporter om ej verkställda beslut (månad, IVO, revisorer, KF, jämförelse, avgift, återföring)",
        description=(
            "Rapporter om ej verkställda beslut, räknade ur registret som det stod på rapportdatum. "
            "Filen skrivs i aktuell katalog om inte -o anges, och skrivs aldrig över utan --force."
        ),
        epilog=(
            "Exempel:\n"
            "  bemanning rapport manad --datum 2023-12-31\n"
            "  bemanning rapport manad --datum 2023-12-31 --format md -o -\n"
            "  bemanning rapport ivo --kvartal 2023K4\n"
            "  bemanning rapport revisorer --kvartal 2026K1\n"
            "  bemanning rapport kf --ar 2023\n"
            "  bemanning rapport jamfor --fran 2023-11-30 --till 2023-12-31\n"
            "  bemanning rapport avgift --datum 2023-12-31\n"
            "  bemanning rapport aterforing --datum 2024-01-03"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = rapport.add_subparsers(dest="rapport", metavar="RAPPORT", required=True)

    p = sub.add_parser("manad", help="månadens statistikrapport till nämnden och kommunfullmäktige",
                       description="Statistikrapporten med standardtext och de tre tabellerna. Inga namn, "
                                   "personnummer eller id. detalj-csv är tabell 3 i maskinläsbar form.")
    p.add_argument("--datum", type=date_arg, metavar="DATUM",
                   help="rapportdatum ÅÅÅÅ-MM-DD (standard: förra månadens sista dag)")
    _output_args(p, ["docx", "xlsx", "csv", "md", "txt", "detalj-csv", "json"], "docx")
    p.set_defaults(func=cmd_manad)

    p = sub.add_parser("ivo", help="kvartalets individrapport till IVO",
                       description="Per beslut: nya, kvarstående, verkställda, återupptagna och avslutade under "
                                   "kvartalet, med ärende-id utan personnummer. CSV för inmatning i IVO:s e-tjänst.")
    p.add_argument("--kvartal", type=_kvartal_arg, metavar="ÅÅÅÅKN", help="till exempel 2023K4 (standard: förra kvartalet)")
    p.add_argument("--intern", action="store_true", help="lägg till beslut-id (för förvaltningen, inte för IVO)")
    _matchning_arg(p)
    _output_args(p, ["csv", "xlsx", "docx", "md", "txt"], "csv")
    p.set_defaults(func=cmd_ivo)

    p = sub.add_parser("revisorer", help="kvartalets rapport per beslut till revisorerna",
                       description="Samma uppgifter per beslut som IVO får (datum, insats, lagrum, erbjudanden, "
                                   "skälen till dröjsmålet) och anmälan om verkställighet. Inga namn, personnummer "
                                   "eller id; kön och födelseår.")
    p.add_argument("--kvartal", type=_kvartal_arg, metavar="ÅÅÅÅKN", help="till exempel 2026K1 (standard: förra kvartalet)")
    _matchning_arg(p)
    _output_args(p, ["docx", "xlsx", "csv", "md", "txt"], "docx")
    p.set_defaults(func=cmd_revisorer)

    p = sub.add_parser("kf", help="kvartalets statistikrapport till kommunfullmäktige",
                       description="Antal ej verkställda beslut vid kvartalets slut, kön, lag, typ av insats, "
                                   "tiden sedan varje beslut och förändringen under kvartalet. Inga uppgifter "
                                   "om enskilda.")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--kvartal", type=_kvartal_arg, metavar="ÅÅÅÅKN", help="ett kvartal (standard: förra kvartalet)")
    group.add_argument("--ar", type=count_arg(1900, 9998, "skriv ett år, till exempel 2023"), metavar="ÅR", help="årets alla kvartal, ett per rad")
    _output_args(p, ["docx", "xlsx", "csv", "md", "txt"], "docx")
    p.set_defaults(func=cmd_kf)

    p = sub.add_parser("jamfor", help="jämför två rapportdatum: kvarstår, nya, lämnat och varför",
                       description="Vilka beslut som kvarstår, vilka som passerat tre månader och vilka som lämnat "
                                   "rapporten (verkställt, återupptaget, avslutat, rättat) mellan två datum.")
    p.add_argument("--fran", type=date_arg, required=True, metavar="DATUM", help="det första rapportdatumet")
    p.add_argument("--till", type=date_arg, required=True, metavar="DATUM", help="det andra rapportdatumet")
    _output_args(p, ["md", "txt", "csv", "xlsx", "docx"], "md")
    p.set_defaults(func=cmd_jamfor)

    p = sub.add_parser("avgift", help="risk för särskild avgift: väntan efter rapportgränsen, ram, preskription, undantag",
                       description="För varje beslut som väntat längre än tre månader (rapportgränsen, inte gränsen "
                                   "för avgiften, som är skälig tid): dagar efter gränsen, avgiftens ram efter "
                                   "beslutets datum, två års preskription och senareläggning begärd av den enskilde.")
    p.add_argument("--datum", type=date_arg, metavar="DATUM", help="rapportdatum (standard: i dag)")
    _output_args(p, ["xlsx", "md", "txt", "csv", "docx"], "xlsx")
    p.set_defaults(func=cmd_avgift)

    p = sub.add_parser("aterforing", help="fil tillbaka till verksamhetssystemet, en rad per beslut_id",
                       description="Beslutsfilen i samma form som importen läser, med aktuell orsak, dagar i "
                                   "väntan, senaste erbjudande och status. Innehåller person_id: filen är till verksamhetssystemet, inte en rapport.")
    p.add_argument("--datum", type=date_arg, metavar="DATUM", help="registrets läge denna dag (standard: i dag)")
    p.add_argument("--bara-oppna", action="store_true", help="bara beslut som väntar på verkställighet")
    _output_args(p, ["csv"], "csv")
    p.set_defaults(func=cmd_aterforing)


def cmd_manad(args: argparse.Namespace) -> int:
    from bemanning.reports import manadsrapport
    from bemanning.reports.format import render
    from bemanning.reports.urval import statistikrapport_for_utskrift

    day = args.datum or _last_month_end()
    settings = _settings()
    reg = _open(args)
    try:
        rapport = statistikrapport_for_utskrift(reg, day, settings.regel)
    finally:
        reg.close()
    if args.format == "detalj-csv":
        data = manadsrapport.detalj_csv(rapport)
        name = f"statistikrapport-{day.isoformat()}-detalj.csv"
    elif args.format == "json":
        data = (json.dumps(rapport.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        name = f"statistikrapport-{day.isoformat()}.json"
    else:
        data = render(manadsrapport.dokument(rapport, settings), args.format)
        name = f"statistikrapport-{day.isoformat()}.{args.format}"
    return _write(args, data, name, args.format, f"{len(rapport.rader)} beslut")


def _kvartalets_rapport(args: argparse.Namespace, varningar) -> tuple:
    """Kvartalet, inställningarna och IVO-rapportens rader; varningarna skrivs på standardfel."""
    kvartal = args.kvartal or _last_quarter()
    settings = _settings()
    reg = _open(args)
    try:
        rapport = _ivo_rapport(args, reg, kvartal, settings)
    finally:
        reg.close()
    _print_warnings(list(varningar(rapport)))
    return kvartal, settings, rapport


#: Så många varningar skrivs i terminalen; fler sammanfattas (allihop när standardfel är en fil).
WARNINGS_ON_SCREEN = 10


def _print_warnings(lines: list[str]) -> None:
    """Varningarna på standardfel. I en terminal de första tio och hur många till, så att tusentals
    rader (ett register utan personnummer) inte skymmer resultatet; omdirigerat (2> fil) allihop."""
    from bemanning.svenska import antal

    shown = lines if len(lines) <= WARNINGS_ON_SCREEN + 2 or not sys.stderr.isatty() else lines[:WARNINGS_ON_SCREEN]
    for line in shown:
        print(line, file=sys.stderr)
    if len(shown) < len(lines):
        print(f"… och {antal(len(lines) - len(shown), 'varning', 'varningar')} till. Alla skrivs till en fil "
              "om kommandot körs med 2> varningar.txt på slutet.", file=sys.stderr)


def cmd_ivo(args: argparse.Namespace) -> int:
    from bemanning.reports.format import render, tabell_csv
    from bemanning.reports.ivo import ivo_dokument, ivo_tabell

    kvartal, settings, rapport = _kvartalets_rapport(args, lambda r: r.varningar)
    if args.format == "csv":
        data = tabell_csv(ivo_tabell(rapport, intern=args.intern))
    else:
        data = render(ivo_dokument(rapport, settings, intern=args.intern), args.format)
    return _write(args, data, f"ivo-{kvartal}.{args.format}", args.format, f"{len(rapport.rader)} beslut")


def cmd_revisorer(args: argparse.Namespace) -> int:
    from bemanning.reports.format import render
    from bemanning.reports.revisorer import revisorer_dokument, revisorer_varningar

    kvartal, settings, rapport = _kvartalets_rapport(args, revisorer_varningar)
    data = render(revisorer_dokument(rapport, settings), args.format)
    return _write(args, data, f"revisorer-{kvartal}.{args.format}", args.format, f"{len(rapport.rader)} beslut")


def cmd_kf(args: argparse.Namespace) -> int:
    from bemanning.reports.format import render
    from bemanning.reports.ivo import Kvartal, kf_dokument
    from bemanning.reports.urval import kvartalsstatistik_ur_registret

    if args.ar:
        kvartal_list = [Kvartal(args.ar, n) for n in range(1, 5)]
        name = f"kf-{args.ar}"
    else:
        kvartal_list = [args.kvartal or _last_quarter()]
        name = f"kf-{kvartal_list[0]}"
    settings = _settings()
    reg = _open(args)
    try:
        statistik = [
            kvartalsstatistik_ur_registret(reg, k, settings.regel, reg.katalog)
            for k in kvartal_list
        ]
    finally:
        reg.close()
    data = render(kf_dokument(statistik, settings), args.format)
    return _write(args, data, f"{name}.{args.format}", args.format, f"{len(statistik)} kvartal")


def cmd_jamfor(args: argparse.Namespace) -> int:
    from bemanning.reports.format import render
    from bemanning.reports.jamforelse import jamforelse_dokument
    from bemanning.reports.urval import jamforelse_ur_registret

    settings = _settings()
    reg = _open(args)
    try:
        if args.fran >= args.till:
            raise UserError("Det första datumet (--fran) måste vara före det andra (--till).")
        result = jamforelse_ur_registret(reg, args.fran, args.till, settings.regel)
    finally:
        reg.close()
    data = render(jamforelse_dokument(result, settings), args.format)
    name = f"jamforelse-{args.fran.isoformat()}-{args.till.isoformat()}.{args.format}"
    return _write(args, data, name, args.format, f"{len(result.rader)} beslut")


def cmd_avgift(args: argparse.Namespace) -> int:
    from bemanning.reports.format import render
    from bemanning.reports.sarskild_avgift import avgift_dokument
    from bemanning.reports.urval import avgiftsrisk_ur_registret

    day = args.datum or date.today()
    settings = _settings()
    reg = _open(args)
    try:  # ur projektionen; bara beslut med en begärd senareläggning viks ihop
        risk = avgiftsrisk_ur_registret(reg, day, settings.regel)
    finally:
        reg.close()
    data = render(avgift_dokument(risk, settings), args.format)
    return _write(args, data, f"sarskild-avgift-{day.isoformat()}.{args.format}", args.format,
                  f"{len(risk.rader)} beslut")


def cmd_aterforing(args: argparse.Namespace) -> int:
    from bemanning.reports.urval import aterforing_ur_registret

    day = args.datum or date.today()
    settings = _settings()
    reg = _open(args)
    try:  # besluten läses i satser; med --bara-oppna bara de väntande (urvalet ur projektionen)
        data = aterforing_ur_registret(reg, day, settings.regel, bara_oppna=args.bara_oppna)
    finally:
        reg.close()
    return _write(args, data, f"aterforing-{day.isoformat()}.csv", "csv", "för verksamhetssystemet")
