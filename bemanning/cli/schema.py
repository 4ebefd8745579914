"""Kommandon: `bemanning schema …` (bygg ett schema) och `bemanning bench curtois …`.

OR-Tools importeras först i hanterarna, så att programmet startar snabbt.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from bemanning.cli.args import count_arg, date_arg, open_register_for, seconds_arg
from bemanning.errors import UserError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "schema",
        help="bygg ett schema för ett samplaneringsområde (heltid som norm)",
        description=(
            "Bygger ett schema för ett samplaneringsområde och en schemaperiod: alla arbetar sin "
            "sysselsättningsgrad, arbetstidsreglerna hålls, behovet täcks så långt det går och "
            "timmarna utöver behovet blir resurspass. Kontaktpersonsuppdrag som personal har "
            "accepterat i matchningen (registrets läge periodens första dag) läggs in i deras "
            "schema, liksom timmarna i kontaktperson.csv i indatakatalogen. Skriver nyckeltalen "
            "och kan exportera schemat som CSV eller XLSX."
        ),
        epilog=(
            "Exempel:\n"
            "  bemanning schema --omrade norr --start 2024-03-04 --veckor 6\n"
            "  bemanning schema --omrade soder --export schema.xlsx --tidsgrans 120\n"
            "  bemanning schema --omrade norr --nuvarande schema.csv --frånvaro sjuk.csv "
            "--från 2024-03-18"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--omrade", "--område", dest="omrade", metavar="OMRÅDE",
                   help="samplaneringsområdet (standard: det första i registret)")
    p.add_argument("--start", type=date_arg, metavar="DATUM",
                   help="periodens första dag (standard: period.toml i indatakatalogen, "
                        "annars nästa måndag)")
    p.add_argument("--veckor", type=count_arg(1, 16, "skriv antal veckor, 1–16, till exempel 6"), metavar="N", help="periodens längd i veckor, 1–16 (standard: veckor i period.toml i "
                        "indatakatalogen, annars 6)")
    p.add_argument("--indata", metavar="KATALOG",
                   help="katalog med pass.csv, behov.csv m.m. (standard: indata under [schema] i "
                        "bemanning.toml, annars demodatans data/demo/schema)")
    p.add_argument("--personal", metavar="FIL", help="personal som CSV i stället för registret")
    p.add_argument("--enheter", metavar="FIL", help="enheter som CSV i stället för registret")
    p.add_argument("--tidsgrans", type=seconds_arg, metavar="SEKUNDER", help="hur länge lösaren får söka (standard: sekunder under "
                        "[schema.losare] i bemanning.toml, annars 60)")
    p.add_argument("--arbetare", type=count_arg(1, 64, "skriv antal trådar, till exempel 2"), metavar="N",
                   help="antal trådar i lösaren (standard: arbetare under [schema.losare], annars 2)")
    p.add_argument("--slumpfro", type=count_arg(0, None, "skriv ett heltal, till exempel 1"), metavar="N", help="slumpfrö: samma frö ger samma sökning (standard: slumpfro under "
                        "[schema.losare], annars 1)")
    p.add_argument("--export", metavar="FIL", action="append", default=[],
                   help="skriv schemat till FIL (.csv: per person och FIL-enhet.csv; .xlsx: "
                        "arbetsbok med alla flikar; -: per person till terminalen); kan anges flera gånger")
    p.add_argument("--nuvarande", metavar="FIL",
                   help="nuvarande schema (CSV per person) att planera om från")
    p.add_argument("--frånvaro", "--franvaro", dest="franvaro", metavar="FIL",
                   help="ny frånvaro (personal_id;fran;till;orsak): planera om perioden")
    p.add_argument("--från", "--fran", dest="fran", type=date_arg, metavar="DATUM",
                   help="omplanera från och med detta datum (standard: periodens början)")
    p.add_argument("--forklara", "--förklara", dest="forklara", action="store_true",
                   help="förklara vilka regler som krockar om inget schema finns")
    p.add_argument("--visa", type=count_arg(0, None, "skriv antal rader, till exempel 10"), default=10, metavar="N",
                   help="visa så många rader av obemannat och kostnader (standard 10)")
    p.set_defaults(func=_med_terminal(cmd_schema))

    bench = subparsers.add_parser("bench", help="prestandamätningar")
    bench_sub = bench.add_subparsers(dest="bench_kommando", metavar="MÄTNING")
    c = bench_sub.add_parser(
        "curtois",
        help="Curtois & Qu-instanserna: mål, publicerat bästa, gap och tid",
        description="Löser Curtois & Qu-instanser med samma motor och jämför med publicerade värden.",
    )
    c.add_argument("instanser", nargs="*", metavar="INSTANS",
                   help="nummer (1–12) eller fil; standard: 1–12")
    c.add_argument("--sekunder", type=float, default=60.0, help="tid per instans (standard 60)")
    c.add_argument("--arbetare", type=int, default=2, help="antal trådar (standard 2)")
    c.add_argument("--slumpfro", type=int, default=1, help="slumpfrö (standard 1)")
    c.add_argument("--katalog", metavar="KATALOG",
                   help="katalog med InstanceN.txt (standard: ../shared/bench-data/curtois)")
    c.add_argument("--markdown", action="store_true", help="skriv tabellen som Markdown")
    c.add_argument("--upprepa", type=int, default=1, metavar="N",
                   help="lös varje instans N gånger med slumpfrö efter slumpfrö och visa alla "
                        "mål, medianen och hur många som slog den naiva raden (standard 1)")
    c.add_argument("--gransekunder", type=float, default=0.0, metavar="SEKUNDER",
                   help="sekunder efter varje lösning till en nedre gräns ur raderna var för sig "
                        "(täckningen prissatt i stället för hållen); gränskolumnen visar den "
                        "bästa av den, CP-SAT:s och kapacitetsgränsen (standard 0: bara de två senare)")
    c.set_defaults(func=cmd_bench_curtois)
    bench.set_defaults(func=lambda args: (bench.print_help(), 2)[1])


# -- schema ---------------------------------------------------------------------------------

def _val(args):
    from bemanning.services.schema import Val

    return Val(omrade=args.omrade, start=args.start, veckor=args.veckor,
               indata=Path(args.indata) if args.indata else None,
               personal_fil=Path(args.personal) if args.personal else None,
               enheter_fil=Path(args.enheter) if args.enheter else None)


def build_from_args(args):
    """The roster problem as `bemanning schema` builds it, and the [schema] settings."""
    from bemanning.services import schema as service

    settings = service.load_settings()
    val = _val(args)
    if val.personal_fil or val.enheter_fil:
        return service.build(val, settings=settings), settings
    reg = open_register_for(args)
    try:
        return service.build(val, reg, settings, user=getattr(args, "inloggad", None)), settings
    finally:
        reg.close()


def _installningar(args, settings):
    from bemanning.services.schema import solver_settings

    return solver_settings(settings, time_limit_s=args.tidsgrans, workers=args.arbetare,
                           seed=args.slumpfro)


def _progress_printer():
    last = {"t": 0.0}

    def show(f) -> None:
        if f.sekunder - last["t"] >= 5 or f.fas == "klart":
            last["t"] = f.sekunder
            best = "-" if f.basta is None else f"{f.basta:.0f}"
            bound = "-" if f.grans is None else f"{f.grans:.0f}"
            print(f"  {f.sekunder:5.0f} s  schemats kostnad {best}, lägsta möjliga {bound}  ({f.fas})", file=sys.stderr)

    return show


def interruptible(work):
    """Kör `work(cancel)` i en egen tråd så att Ctrl+C når fram: lösaren ligger annars i C++ och
    Python ser avbrottet först när den är klar. Vid Ctrl+C sätts `cancel`, lösaren stannar inom en
    sekund, och KeyboardInterrupt går vidare till kommandoraden (slutkod 130)."""
    cancel = threading.Event()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work(cancel)
        except BaseException as exc:  # noqa: BLE001 - förs vidare till anroparen nedan
            box["error"] = exc

    thread = threading.Thread(target=target, name="schema", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        cancel.set()
        print("\nAvbryter schemaläggningen …", file=sys.stderr)
        # Vänta tills lösaren har stannat: avslutas Python medan CP-SAT:s trådar arbetar avbryts
        # processen hårt (std::terminate). Ett nytt Ctrl+C ändrar inget; det avbryts redan.
        while thread.is_alive():
            try:
                thread.join(0.5)
            except KeyboardInterrupt:
                continue
        # Lösaren har stannat. Processen avslutas här utan Pythons nedstängning: OR-Tools kan
        # annars avbryta den hårt (std::terminate) när dess globala objekt rivs efter ett avbrott.
        print("Avbrutet med Ctrl+C; schemat lades inte och ingenting sparades.", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


def cmd_schema(args) -> int:
    from bemanning.roster.figures import fmt, summary_lines
    from bemanning.roster.rules.dygnsvila import dygnsbryt_anteckningar, dygnsbryt_varningar
    from bemanning.roster.solver import gap_text, status_text
    from bemanning.services import schema as service

    problem, settings = build_from_args(args)
    inst = _installningar(args, settings)
    print(f"Schema för {problem.namn}: {len(problem.personal)} personer, "
          f"{len(problem.pass_typer)} passtyper, {len(problem.behov)} behovsrader.")
    if not (args.personal or args.enheter):
        n = service.accepted_count(problem)
        print(f"Kontaktpersonsuppdrag accepterade i matchningen (registret per {problem.start}): "
              f"{n} {'person' if n == 1 else 'personer'} i området.")
    for line in dygnsbryt_anteckningar(problem):
        print(f"OBS: {line}")
    for line in dygnsbryt_varningar(problem):
        print(f"VARNING: {line}")
    if args.franvaro:
        return _replan(args, problem, inst)
    began = time.monotonic()
    korning = interruptible(lambda cancel: service.run(
        problem, inst, progress=_progress_printer(), cancel=cancel, explain_always=args.forklara,
        on_explaining=lambda text: print(text, file=sys.stderr),
        more_time="Ge lösaren mer tid med --tidsgrans"))
    result, violations, figures = korning.resultat, korning.brott, korning.nyckeltal
    gap = result.gap_till_grans
    distance = "" if gap is None else f", {gap_text(gap)}"
    print(f"Klart på {fmt(time.monotonic() - began)} s: {status_text(result.status)}; kostnad "
          f"{result.objektiv} (lägre är bättre; nedre gräns {fmt(result.grans or 0, 0)}{distance}).")
    for line in summary_lines(problem, figures):
        print(line)
    if violations:
        print(f"VARNING: kontrollen hittade {len(violations)} regelbrott:")
        for v in violations[: args.visa]:
            print(f"  {v}")
    else:
        print("Kontrollen: alla hårda regler hålls.")
    _show_details(problem, result, figures, args.visa)
    for target in args.export:
        _export(problem, result.schema, Path(target), figures)
    return 0 if not violations else 1


def _show_details(problem, result, figures, limit: int) -> None:
    from bemanning.roster.figures import kontaktperson_lines
    from bemanning.roster.soft import Objective

    for line in kontaktperson_lines(problem, figures):
        print(line)
    if figures.obemannade and limit:
        print("Obemannat (första):")
        for o in figures.obemannade[:limit]:
            pt = problem.pass_typ(o.pass_id)
            print(f"  {problem.day_label(o.dag)} {pt.label} {pt.tider}: saknas {o.saknas}")
    totals = Objective.by_category(result.kostnader)
    if totals:
        print("Kostnad per slag: " + ", ".join(f"{k} {v}" for k, v in totals.items()))


#: Terminalen när schemat skrivs dit (--export -); allt annat går då till standardfel.
_terminal: list = []


def _med_terminal(func):
    """`--export -` skriver schemat (CSV per person) till terminalen och resten till standardfel,
    så att utdata går att leda vidare som en fil."""
    import contextlib

    def run(args: argparse.Namespace) -> int:
        if "-" not in (getattr(args, "export", None) or []):
            return func(args)
        _terminal.append(sys.stdout)
        try:
            with contextlib.redirect_stdout(sys.stderr):
                return func(args)
        finally:
            _terminal.pop()

    return run


def _export(problem, schema, target: Path, figures) -> None:
    from bemanning.roster.export import write_csv, write_xlsx

    if str(target) == "-":
        from bemanning.roster.export import by_person_rows, csv_bytes

        out = _terminal[-1] if _terminal else sys.stdout
        out.write(csv_bytes(by_person_rows(problem, schema)).decode("utf-8-sig"))
        out.flush()
    elif target.suffix.lower() == ".xlsx":
        write_xlsx(problem, schema, target, figures)
        print(f"Skrev {target}")
    elif target.suffix.lower() == ".csv":
        for path in write_csv(problem, schema, target):
            print(f"Skrev {path}")
    else:
        raise UserError(f"{target}: okänt format; använd .csv eller .xlsx")


def _replan(args, problem, inst) -> int:
    from bemanning.roster.export import read_csv
    from bemanning.roster.indata import load_franvaro
    from bemanning.services import schema as service

    if args.nuvarande:
        current = read_csv(problem, Path(args.nuvarande))
    else:
        print("Inget --nuvarande schema: bygger först ett schema att utgå från.")
        current = interruptible(lambda cancel: service.run(
            problem, inst, progress=_progress_printer(), cancel=cancel)).resultat.schema
    new = load_franvaro(Path(args.franvaro), problem.start, problem.dagar)
    if not new:
        raise UserError(f"{args.franvaro}: ingen frånvaro inom perioden.")
    fran = (args.fran - problem.start).days if args.fran else 0
    korning = interruptible(lambda cancel: service.replan(
        problem, current, new, fran_dag=fran, inst=inst, progress=_progress_printer(), cancel=cancel))
    for line in korning.forklaring:
        print(line)
    for line in korning.omplanering.lines()[: 3 + args.visa]:
        print(line)
    violations = korning.brott
    print("Kontrollen: alla hårda regler hålls." if not violations
          else f"VARNING: {len(violations)} regelbrott")
    for target in args.export:
        _export(korning.problem, korning.resultat.schema, Path(target), korning.nyckeltal)
    return 0 if not violations else 1


# -- bench -----------------------------------------------------------------------------------

def default_curtois_dir() -> Path:
    return Path(__file__).resolve().parents[2].parent / "shared" / "bench-data" / "curtois"


def cmd_bench_curtois(args) -> int:
    from bemanning.roster.bench import run_curtois

    directory = Path(args.katalog) if args.katalog else default_curtois_dir()
    names = args.instanser or [str(i) for i in range(1, 13)]
    rows = run_curtois(directory, names, time_limit_s=args.sekunder, workers=args.arbetare,
                       seed=args.slumpfro, out=print, markdown=args.markdown,
                       upprepa=args.upprepa, gransekunder=args.gransekunder)
    return 0 if rows else 1
