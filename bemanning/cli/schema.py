"""Kommandon: `bemanning schema …` (bygg ett schema) och `bemanning bench curtois …`.

OR-Tools importeras först i hanterarna, så att programmet startar snabbt.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bemanning.cli.args import date_arg, open_register_for
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
    p.add_argument("--veckor", type=int, metavar="N", help="periodens längd i veckor (4–16)")
    p.add_argument("--indata", metavar="KATALOG",
                   help="katalog med pass.csv, behov.csv m.m. (standard: data/demo/schema)")
    p.add_argument("--personal", metavar="FIL", help="personal som CSV i stället för registret")
    p.add_argument("--enheter", metavar="FIL", help="enheter som CSV i stället för registret")
    p.add_argument("--tidsgrans", type=float, metavar="SEKUNDER", help="tidsgräns för lösaren")
    p.add_argument("--arbetare", type=int, metavar="N", help="antal trådar i lösaren")
    p.add_argument("--slumpfro", type=int, metavar="N", help="slumpfrö (samma frö, samma sökning)")
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
    p.add_argument("--visa", type=int, default=10, metavar="N",
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
    c.set_defaults(func=cmd_bench_curtois)
    bench.set_defaults(func=lambda args: (bench.print_help(), 2)[1])


# -- schema ---------------------------------------------------------------------------------

def _default_dir() -> Path:
    from bemanning.paths import data_dir

    return data_dir() / "demo" / "schema"


def _period(args, schema_dir: Path) -> tuple[date, int]:
    from bemanning.config import read_toml

    start, weeks = args.start, args.veckor
    period = schema_dir / "period.toml"
    settings = read_toml(period) if period.exists() else {}
    if start is None and "start" in settings:
        from bemanning.model.errors import ValidationError
        from bemanning.model.values import parse_date

        try:
            start = parse_date("start", str(settings["start"]))
        except ValidationError as exc:
            raise UserError(f"{period}: start: {exc.message}") from None
    if start is None:
        today = date.today()
        start = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    if weeks is None:
        weeks = int(settings.get("veckor", 6))
    return start, weeks


def _staff_and_units(args, start: date):
    """Staff, units and the hours per week of kontaktperson uppdrag accepted in the matching
    workflow as the register stood on the period's first day (None without the register)."""
    from bemanning.roster.indata import read_enheter_csv, read_personal_csv

    if args.personal or args.enheter:
        if not (args.personal and args.enheter):
            raise UserError("Ange både --personal och --enheter, eller ingen av dem (registret).")
        return read_personal_csv(Path(args.personal)), read_enheter_csv(Path(args.enheter)), None
    from bemanning.uppdrag import register_hours_per_week

    reg = open_register_for(args)
    try:
        personal, enheter = reg.personal(), reg.enheter()
        if not enheter:
            raise UserError("Registret har inga enheter. Importera enheter.csv och personal.csv "
                            "först, eller kör 'bemanning demo --bara-ladda'.")
        return personal, enheter, register_hours_per_week(reg, start)
    finally:
        reg.close()


def build_from_args(args):
    """The Problem as `bemanning schema` builds it, and the [schema] settings."""
    from bemanning.config import load_section
    from bemanning.roster.indata import build_problem
    from bemanning.roster.problem import Regler

    schema_dir = Path(args.indata) if args.indata else _default_dir()
    if not (schema_dir / "pass.csv").exists():
        raise UserError(f"{schema_dir} saknar pass.csv (passtyper per enhet).")
    start, weeks = _period(args, schema_dir)
    personal, enheter, uppdrag = _staff_and_units(args, start)
    omrade = args.omrade or sorted({e.omrade for e in enheter})[0]
    settings = load_section("schema")
    return build_problem(personal=personal, enheter=enheter, omrade=omrade, start=start,
                         weeks=weeks, schema_dir=schema_dir, uppdrag=uppdrag,
                         regler=Regler.from_settings(settings)), settings


def _installningar(args, settings):
    from bemanning.roster.solver import Installningar

    inst = Installningar.from_settings(settings)
    if args.tidsgrans is not None:
        inst.sekunder = args.tidsgrans
    if args.arbetare is not None:
        inst.arbetare = args.arbetare
    if args.slumpfro is not None:
        inst.slumpfro = args.slumpfro
    return inst


def _progress_printer():
    last = {"t": 0.0}

    def show(f) -> None:
        if f.sekunder - last["t"] >= 5 or f.fas == "klart":
            last["t"] = f.sekunder
            best = "-" if f.basta is None else f"{f.basta:.0f}"
            bound = "-" if f.grans is None else f"{f.grans:.0f}"
            print(f"  {f.sekunder:5.0f} s  bästa {best}  gräns {bound}  ({f.fas})", file=sys.stderr)

    return show


def cmd_schema(args) -> int:
    from bemanning.roster.checker import check
    from bemanning.roster.export import write_csv, write_xlsx
    from bemanning.roster.figures import compute, fmt, summary_lines
    from bemanning.roster.solver import INFEASIBLE, solve

    problem, settings = build_from_args(args)
    inst = _installningar(args, settings)
    print(f"Schema för {problem.namn}: {len(problem.personal)} personer, "
          f"{len(problem.pass_typer)} passtyper, {len(problem.behov)} behovsrader.")
    if not (args.personal or args.enheter):
        n = _accepted_count(problem)
        print(f"Kontaktpersonsuppdrag accepterade i matchningen (registret per {problem.start}): "
              f"{n} {'person' if n == 1 else 'personer'} i området.")
    if args.franvaro:
        return _replan(args, problem, inst)
    began = time.monotonic()
    result = solve(problem, inst, progress=_progress_printer())
    if result.schema is None:
        if result.status == INFEASIBLE or args.forklara:
            return _explain(problem, inst)
        raise UserError(f"Inget schema hittades inom {fmt(inst.sekunder, 0)} sekunder "
                        f"({result.status}). Ge mer tid med --tidsgrans.")
    violations = check(problem, result.schema)
    figures = compute(problem, result.schema)
    print(f"Klart på {fmt(time.monotonic() - began)} s: {result.status}, kostnad "
          f"{result.objektiv} (nedre gräns {fmt(result.grans or 0, 0)}).")
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
        _export(problem, result.schema, Path(target), figures, write_csv, write_xlsx)
    return 0 if not violations else 1


def _accepted_count(problem) -> int:
    from bemanning.roster.indata import KALLA_REGISTER

    return sum(1 for p in problem.personal if p.kontaktperson_kalla == KALLA_REGISTER)


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


def _export(problem, schema, target: Path, figures, write_csv, write_xlsx) -> None:
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


def _explain(problem, inst) -> int:
    from bemanning.roster.infeasibility import explain

    print("Inget schema håller alla hårda regler. Letar efter krocken …", file=sys.stderr)
    forklaring = explain(problem, sekunder=max(10.0, inst.sekunder / 2), arbetare=inst.arbetare)
    raise UserError(forklaring.lines()[0], forklaring.lines()[1:])


def _replan(args, problem, inst) -> int:
    from bemanning.roster.checker import check
    from bemanning.roster.export import read_csv, write_csv, write_xlsx
    from bemanning.roster.figures import compute
    from bemanning.roster.indata import load_franvaro
    from bemanning.roster.replanning import replan
    from bemanning.roster.solver import solve

    if args.nuvarande:
        current = read_csv(problem, Path(args.nuvarande))
    else:
        print("Inget --nuvarande schema: bygger först ett schema att utgå från.")
        first = solve(problem, inst, progress=_progress_printer())
        if first.schema is None:
            raise UserError("Kunde inte bygga ett första schema att planera om.")
        current = first.schema
    new = load_franvaro(Path(args.franvaro), problem.start, problem.dagar)
    if not new:
        raise UserError(f"{args.franvaro}: ingen frånvaro inom perioden.")
    fran = (args.fran - problem.start).days if args.fran else 0
    result = replan(problem, current, new, fran_dag=max(0, fran), settings=inst,
                    progress=_progress_printer())
    if result.resultat.schema is None:
        raise UserError("Omplaneringen hittade inget schema som håller reglerna.")
    for line in result.lines()[: 3 + args.visa]:
        print(line)
    violations = check(result.problem, result.resultat.schema)
    print("Kontrollen: alla hårda regler hålls." if not violations
          else f"VARNING: {len(violations)} regelbrott")
    figures = compute(result.problem, result.resultat.schema)
    for target in args.export:
        _export(result.problem, result.resultat.schema, Path(target), figures, write_csv,
                write_xlsx)
    return 0 if not violations else 1


# -- bench -----------------------------------------------------------------------------------

def default_curtois_dir() -> Path:
    return Path(__file__).resolve().parents[2].parent / "shared" / "bench-data" / "curtois"


def cmd_bench_curtois(args) -> int:
    from bemanning.roster.bench import run_curtois

    directory = Path(args.katalog) if args.katalog else default_curtois_dir()
    names = args.instanser or [str(i) for i in range(1, 13)]
    rows = run_curtois(directory, names, sekunder=args.sekunder, arbetare=args.arbetare,
                       slumpfro=args.slumpfro, out=print, markdown=args.markdown,
                       upprepa=args.upprepa)
    return 0 if rows else 1
