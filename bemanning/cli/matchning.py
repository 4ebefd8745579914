"""`bemanning matcha …`: förslag, beslut utan person med skäl, rekryteringsprofil, och arbetsgången.

    bemanning matcha [--per DATUM] [--insats TEXT] [--json] [--spara] [--detaljer]
    bemanning matcha godkann BESLUT PERSON [--datum DATUM]
    bemanning matcha avvisa BESLUT PERSON [--datum DATUM] [--kommentar TEXT]
    bemanning matcha erbjud BESLUT PERSON --utfall accepterat|tackat-nej [--datum DATUM]
    bemanning matcha verkstall BESLUT --datum DATUM
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from bemanning.cli.args import date_arg, open_register_for


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "matcha",
        help="föreslå kontaktperson, ledsagare eller avlösare för väntande beslut",
        description=(
            "Föreslår en person (godkänd uppdragstagare eller personal med lediga resurstimmar) för "
            "varje öppet beslut om en matchbar insats. Krav bryts aldrig; de beslut som väntat längst "
            "går först, sedan bästa passform. Varje förslag säger vilka önskemål det uppfyller och "
            "varje beslut utan person säger varför. Sist kommer en rekryteringsprofil. Med ett "
            "underkommando förs arbetsgången in i registret."
        ),
        epilog=(
            "Exempel:\n"
            "  bemanning matcha --per 2024-01-03 --insats kontaktperson\n"
            "  bemanning matcha --json > forslag.json\n"
            "  bemanning matcha --spara                      spara förslagen i registret\n"
            "  bemanning matcha godkann DEMO-0032 U0003\n"
            "  bemanning matcha erbjud DEMO-0032 U0003 --datum 2024-01-10 --utfall accepterat\n"
            "  bemanning matcha erbjud DEMO-0032 U0003 --utfall tackat-nej\n"
            "  bemanning matcha verkstall DEMO-0032 --datum 2024-01-20\n"
            "\nVikterna för önskemålen ändras under [matchning] i inställningsfilen."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--per", type=date_arg, metavar="DATUM",
                        help="matcha på registrets läge denna dag, ÅÅÅÅ-MM-DD (standard: i dag)")
    parser.add_argument("--insats", metavar="TEXT",
                        help='bara beslut vars insats innehåller texten, t.ex. "kontaktperson"')
    parser.add_argument("--json", action="store_true", help="skriv resultatet som JSON (för program)")
    parser.add_argument("--spara", action="store_true",
                        help="spara förslagen som förslag i registret (daterade --per)")
    parser.add_argument("--detaljer", action="store_true",
                        help="visa också önskemålens vikter, kravens kedja och hur lösaren räknade")
    parser.set_defaults(func=_run_match)
    steps = parser.add_subparsers(dest="steg", metavar="STEG", parser_class=type(parser))

    def step(name: str, help_text: str, func: Any, *, person: bool = True) -> argparse.ArgumentParser:
        sub = steps.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        sub.add_argument("beslut", metavar="BESLUT", help="beslutets id")
        if person:
            sub.add_argument("kandidat", metavar="PERSON", help="uppdragstagarens eller personalens id")
        sub.add_argument("--datum", type=date_arg, metavar="DATUM",
                         help="dagen steget skedde, ÅÅÅÅ-MM-DD (standard: i dag)")
        sub.set_defaults(func=func)
        return sub

    step("godkann", "enhetschefen godkänner en person för beslutet", _run_godkann)
    avvisa = step("avvisa", "enhetschefen avvisar ett förslag (personen föreslås inte igen för beslutet)",
                  _run_avvisa)
    avvisa.add_argument("--kommentar", default="", help="varför (utan namn eller personnummer)")
    erbjud = step("erbjud", "erbjudandet till den enskilde och svaret", _run_erbjud)
    erbjud.add_argument("--utfall", required=True, choices=["accepterat", "tackat-nej"],
                        help="accepterat, eller tackat-nej (orsaken i rapporten blir \"Tackat nej till erbjuden plats\", "
                             "kod 1; paret föreslås aldrig igen)")
    erbjud.add_argument("--kommentar", default="", help="fritext (utan namn eller personnummer)")
    step("verkstall", "beslutet verkställt: dagen för första träffen", _run_verkstall, person=False)


def _open(args: argparse.Namespace):
    return open_register_for(args)


def _regel():
    from bemanning.config import load_section
    from bemanning.model.tremanadersregeln import Regel

    return Regel.from_config(load_section("rapport").get("regel"))


def _progress(stage: str, share: float | None) -> None:  # pragma: no cover - bara i terminal
    if sys.stderr.isatty() and share is not None:
        print(f"\r{stage} {round(share * 100):3d} %", end="", file=sys.stderr, flush=True)


def _run_match(args: argparse.Namespace) -> int:
    from bemanning.memory import without_gc

    # Utan skräpsamling också medan numpy, OR-Tools och SQLAlchemy läses in och registret öppnas: de
    # skapar hundratusentals objekt som lever hela körningen (omkring 0,05 s CPU mindre).
    with without_gc():
        return _match(args)


def _match(args: argparse.Namespace) -> int:
    from bemanning.matching.engine import match_register, without_gc
    from bemanning.matching.settings import load_settings
    from bemanning.matching.workflow import spara_forslag

    per = args.per or date.today()
    settings = load_settings()
    reg = _open(args)
    try:
        resultat = match_register(reg, per, settings=settings, regel=_regel(), insats=args.insats,
                                  progress=None if args.json else _progress, prepare_json=args.json)
        if sys.stderr.isatty() and not args.json:
            print("\r" + " " * 20 + "\r", end="", file=sys.stderr)
        saved = spara_forslag(reg, resultat, per) if args.spara else None
    finally:
        reg.close()
    if args.json:
        # samma text som json.dumps(resultat.to_json(), ensure_ascii=False, indent=2)
        extra = {"sparade_forslag": saved} if saved is not None else None
        out = _utf8_stdout()
        with without_gc():  # texten byggs av många små objekt utan cykler (se without_gc)
            if out is not None:  # texten är redan UTF-8: rakt till byteströmmen, utan att kodas om
                sys.stdout.flush()
                for part in resultat.json_bytes(extra):  # i bitar: hela texten behöver inte finnas i minnet
                    out.write(part)
                out.write(b"\n")
            else:
                for chunk in resultat.json_chunks(extra):
                    sys.stdout.write(chunk)
                sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(format_text(resultat, detaljer=getattr(args, "detaljer", False))) + "\n")
        if saved is not None:
            print(f"\n{saved} nya förslag sparade i registret (daterade {per}).")
    # Klart och registret stängt: processen får sluta utan att frigöra resultatet och modulerna ett
    # och ett (`cli._exit_without_teardown`). Resultatet hålls kvar till dess.
    args.avsluta_direkt = True
    args.resultat = resultat
    return 0


def _utf8_stdout() -> Any:
    """Standard ut som byteström, när text som skrivs dit ändå blir UTF-8 byte för byte (kodningen är
    UTF-8 och radslut skrivs som de står); annars None."""
    import codecs
    import os

    buffer = getattr(sys.stdout, "buffer", None)
    encoding = getattr(sys.stdout, "encoding", None)
    if buffer is None or not encoding or os.linesep != "\n":
        return None
    try:
        return buffer if codecs.lookup(encoding).name == "utf-8" else None
    except LookupError:
        return None


def _arende_line(a: Any) -> str:
    """Beslutets rad i listan: id, insats, beslutsdatum och hur länge det väntat."""
    from bemanning.svenska import antal

    late = ", över tre månader" if a.forsenad else ""
    return f"{a.beslut_id}  {a.insats}  beslut {a.beslutsdatum}, väntat {antal(a.vantedagar, 'dag', 'dagar')}{late}"


def format_text(resultat: Any, *, detaljer: bool = False) -> list[str]:
    """Resultatet som text för terminalen (svenska, inga personnummer).

    Huvudtexten är korta meningar: varför personen, vad som inte uppfylls, varför ett beslut
    blev utan person. Vikter, kravkedjan och lösarens metod visas bara med `detaljer`."""
    from bemanning.matching.explain import item_line, missed_lines, why_line
    from bemanning.model.values import format_number
    from bemanning.svenska import antal

    r = resultat
    queued = len(r.forslag) + len(r.utan_person)
    lines = [
        f"Matchning per {r.per}: {antal(queued, 'beslut', 'beslut')} i kön, {len(r.forslag)} med förslag, "
        f"{len(r.utan_person)} utan person.",
        f"{r.antal_mojliga} av {antal(r.antal_kandidater, 'person', 'personer')} får föreslås. {r.losning.status}",
    ]
    if detaljer:
        lines.append(
            f"Detaljer: {r.antal_par} par uppfyller alla krav. Lösare: {r.losning.metod}, "
            f"{format_number(round(r.sekunder, 2))} s."
        )
    if not queued:
        lines.append("Inga öppna beslut om kontaktperson, ledsagare eller avlösare väntar.")
    if r.forslag:
        lines += ["", f"FÖRSLAG ({len(r.forslag)})"]
        for f in r.forslag:
            lines.append(_arende_line(f.arende))
            same = "  (samma som förra förslaget)" if f.samma_som_forut else ""
            lines.append(f"  → {f.kandidat.kandidat_id} {f.kandidat.namn} ({f.kandidat.typ}){same}")
            lines.append(f"    Varför: {why_line(f.onskemal)}")
            for line in missed_lines(f.onskemal):
                lines.append(f"    Inte uppfyllt: {line}")
            if detaljer:
                lines.append(f"      Passform {format_number(round(f.passform, 1))} av "
                             f"{format_number(round(f.passform_max, 1))} möjliga.")
                for item in f.onskemal:
                    lines.append("      " + item_line(item))
    if r.utan_person:
        lines += ["", f"UTAN PERSON ({len(r.utan_person)})"]
        for u in r.utan_person:
            lines.append(_arende_line(u.arende))
            lines.append(f"  Skäl: {u.forklaring.text}")
            if detaljer:
                for detail in u.forklaring.detaljer:
                    lines.append(f"      {detail}")
    if r.lasta:
        lines += ["", f"REDAN BESTÄMDA ({len(r.lasta)}): personen räknas som upptagen"]
        for x in r.lasta:
            lines.append(f"  {x.beslut_id} → {x.kandidat_id} ({x.status})")
    lines += ["", "REKRYTERING", *("  " + line for line in r.rekrytering.lines())]
    return lines


def _step(args: argparse.Namespace, action: str) -> int:
    from bemanning.matching import workflow

    datum = args.datum or date.today()
    reg = _open(args)
    try:
        if action == "godkann":
            workflow.godkann(reg, args.beslut, args.kandidat, datum)
            print(f"{args.kandidat} godkänd för beslut {args.beslut} ({datum}).")
        elif action == "avvisa":
            workflow.avvisa(reg, args.beslut, args.kandidat, datum, args.kommentar)
            print(f"Förslaget {args.kandidat} avvisat för beslut {args.beslut} ({datum}); "
                  "personen föreslås inte igen för beslutet.")
        elif action == "erbjud":
            utfall = "tackat nej" if args.utfall == "tackat-nej" else "accepterat"
            workflow.erbjud(reg, args.beslut, args.kandidat, datum, utfall, args.kommentar)
            if utfall == "accepterat":
                print(f"Erbjudandet ({datum}) accepterat: {args.kandidat} för beslut {args.beslut}. "
                      f"Registrera första träffen med: bemanning matcha verkstall {args.beslut} --datum DATUM")
            else:
                print(f"Erbjudandet ({datum}) tackades nej till: beslutet väntar kvar med orsakskod 1 "
                      f"(\"Tackat nej till erbjuden plats\"), "
                      f"och {args.kandidat} föreslås aldrig igen för beslut {args.beslut}.")
        else:
            workflow.verkstall(reg, args.beslut, datum)
            print(f"Beslut {args.beslut} verkställt {datum}.")
    finally:
        reg.close()
    return 0


def _run_godkann(args: argparse.Namespace) -> int:
    return _step(args, "godkann")


def _run_avvisa(args: argparse.Namespace) -> int:
    return _step(args, "avvisa")


def _run_erbjud(args: argparse.Namespace) -> int:
    return _step(args, "erbjud")


def _run_verkstall(args: argparse.Namespace) -> int:
    return _step(args, "verkstall")
