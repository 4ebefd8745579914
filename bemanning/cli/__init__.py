"""Kommandoraden `bemanning`. Utan argument startar gränssnittet.

Varje del lägger till sina underkommandon genom en funktion `register(subparsers)` i sin egen
modul här i `bemanning/cli/` (register, rapporter, matchning, schema). Hanterarna får `args` och
returnerar en slutkod: 0 klart, 1 felaktiga indata, 2 felaktigt anrop, 3 internt fel (en svensk
mening och sökvägen till en loggfil, aldrig en traceback).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bemanning import __version__
from bemanning.cli.parser import EXIT_USAGE, SwedishArgumentParser
from bemanning.errors import Cancelled, UserError

COMMAND_MODULES = (
    "bemanning.cli.register",
    "bemanning.cli.rapporter",
    "bemanning.cli.matchning",
    "bemanning.cli.schema",
)

EXIT_OK, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 3
EXIT_BROKEN_PIPE = 141  # som ett program som fått SIGPIPE: läsaren slutade läsa

def build_parser(user: object | None = None) -> argparse.ArgumentParser:
    """Kommandoraden. Med `user` (en `bemanning.access.Anvandare`) visar hjälpen bara de kommandon
    som användaren får köra (det en roll inte får göra visas inte)."""
    parser = SwedishArgumentParser(
        prog="bemanning",
        description=(
            "Matchar beslut om kontaktperson och andra insatser mot uppdragstagare och personal, "
            "bygger scheman enligt heltid som norm och rapporterar ej verkställda beslut "
            "till nämnd och IVO. Utan kommando startar det interaktiva programmet."
        ),
        epilog=(
            "Exempel:\n"
            "  bemanning demo                         starta på demodata\n"
            "  bemanning importera beslut.csv erbjudanden.csv\n"
            "  bemanning beslut --per 2024-01-03 --insats kontaktperson\n"
            "  bemanning rapport manad --datum 2023-12-31\n"
            "\nRegistret ligger i användarens datakatalog om inte --db eller BEMANNING_DB anger en annan fil."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bemanning {__version__}", help="visa versionen och avsluta")
    parser.add_argument("--db", metavar="SÖKVÄG", help="registrets databasfil (eller URL); standard: BEMANNING_DB, annars "
                        "register.sqlite i din datakatalog")
    parser.add_argument("--config", metavar="FIL", help="egen inställningsfil (TOML); standard: BEMANNING_CONFIG, annars "
                        "bemanning.toml i din konfigurationskatalog")
    parser.add_argument("-v", "--utforlig", action="store_true", help="visa i terminalen vad programmet gör (logg)")
    subparsers = parser.add_subparsers(dest="kommando", metavar="KOMMANDO", parser_class=SwedishArgumentParser)
    tui = subparsers.add_parser("tui", help="starta det interaktiva programmet (standard)",
                                description="Startar det interaktiva programmet på ditt register, som "
                                            "bemanning utan kommando. F1 visar hjälpen, Ctrl+Q avslutar.")
    tui.set_defaults(func=_run_tui)
    demo = subparsers.add_parser(
        "demo", help="starta det interaktiva programmet på en fiktiv kommun (demodata)",
        description=("Bygger ett demoregister för en påhittad kommun och startar programmet på det. "
                     "Registret läggs i din datakatalog, eller i den fil som --db eller BEMANNING_DB "
                     "anger; ett riktigt register där rörs aldrig."),
    )
    demo.add_argument("--ny", action="store_true", help="bygg demoregistret på nytt från demodata (bara ett demoregister, aldrig ett riktigt)")
    demo.add_argument("--bara-ladda", action="store_true", help="ladda demodata men starta inte programmet")
    demo.set_defaults(func=_run_demo)
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(subparsers)
    if user is not None:
        from bemanning.services.rights import allowed_commands

        allowed = set(allowed_commands(user, [a.dest for a in subparsers._choices_actions]))
        subparsers._choices_actions = [a for a in subparsers._choices_actions if a.dest in allowed]
    return parser


def _user_for_help(argv: list[str]) -> object | None:
    """Användaren, när hjälpen för hela kommandoraden begärs (`bemanning --help`) och registret går
    att öppna utan att skapas; annars None (hjälpen visar då alla kommandon)."""
    options: dict[str, str] = {}
    index = 0
    while index < len(argv):
        item = argv[index]
        if item in ("-h", "--help"):
            break
        name = item.split("=", 1)[0]
        if name in GLOBAL_OPTIONS_WITH_VALUE:
            if "=" in item:
                options[name] = item.split("=", 1)[1]
            elif index + 1 < len(argv):
                options[name] = argv[index + 1]
                index += 1
        elif not item.startswith("-"):
            return None  # ett kommando före hjälpflaggan: kommandots egen hjälp
        index += 1
    else:
        return None  # ingen hjälp begärd
    try:
        from pathlib import Path

        from bemanning.config import set_config_path
        from bemanning.paths import resolve_db
        from bemanning.services import rights
        from bemanning.store import open_register

        db_value, config_value = options.get("--db"), options.get("--config")
        if config_value:
            set_config_path(config_value)
        db = resolve_db(db_value)
        if "://" not in db and not Path(db).exists():
            return None
        register = open_register(db)
        try:
            return rights.current_user(register)
        finally:
            register.close()
    except Exception:  # noqa: BLE001 - hjälpen visas ändå, med alla kommandon
        return None


def _run_tui(args: argparse.Namespace) -> int:
    from bemanning.paths import resolve_db

    return _launch_tui(resolve_db(args.db))


def _launch_tui(db: str) -> int:
    try:
        tui_app = importlib.import_module("tui.app")
    except ModuleNotFoundError:
        print("Det interaktiva programmet är inte installerat.", file=sys.stderr)
        return EXIT_USAGE
    return tui_app.run(db) or 0


def _run_demo(args: argparse.Namespace) -> int:
    from bemanning.demo import ensure_demo_register
    from bemanning.paths import DB_ENV

    db = args.db or os.environ.get(DB_ENV) or None  # som alla andra kommandon: --db före BEMANNING_DB
    path = ensure_demo_register(db, rebuild=args.ny, progress=lambda text: print(text, file=sys.stderr))
    if args.bara_ladda:
        print(f"Demoregistret är klart: {path}")
        return EXIT_OK
    return _launch_tui(str(path))


def configure_logging(verbose: bool) -> None:
    logger = logging.getLogger("bemanning")
    if verbose and not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--config")
GLOBAL_FLAGS = ("-v", "--utforlig")


def hoist_global_options(argv: Sequence[str]) -> list[str]:
    """`bemanning demo --db X` ska fungera som `bemanning --db X demo`: de globala flaggorna
    flyttas fram före kommandot, var användaren än skrev dem."""
    front: list[str] = []
    rest: list[str] = []
    items = list(argv)
    index = 0
    while index < len(items):
        item = items[index]
        if item == "--":
            rest.extend(items[index:])
            break
        name = item.split("=", 1)[0]
        if name in GLOBAL_OPTIONS_WITH_VALUE:
            if "=" in item or index + 1 >= len(items):
                front.append(item)
            else:
                front.extend(items[index:index + 2])
                index += 1
        elif item in GLOBAL_FLAGS:
            front.append(item)
        else:
            rest.append(item)
        index += 1
    return front + rest


def main(argv: Sequence[str] | None = None) -> int:
    items = hoist_global_options(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_user_for_help(items))
    args = parser.parse_args(items)
    configure_logging(args.utforlig)
    if args.config:
        from pathlib import Path

        from bemanning.config import set_config_path

        config = Path(args.config).expanduser()
        if not config.exists() or config.is_dir():
            # ett stavfel i --config ska inte tyst ge standardinställningarna (/dev/null går: inga egna)
            what = "är en katalog" if config.is_dir() else "finns inte"
            print(f"fel: Inställningsfilen {args.config} (--config) {what}. Ange en TOML-fil som finns, "
                  "eller utelämna --config för att använda standardinställningarna.", file=sys.stderr)
            return EXIT_INPUT
        set_config_path(Path(args.config).expanduser())
    func = getattr(args, "func", _run_tui)
    try:
        # Rätten prövas när kommandot öppnar registret (bemanning.cli.args.open_register_for →
        # bemanning.services.rights), där servern säger vem användaren är.
        code = int(func(args) or 0)
        if argv is None and getattr(args, "avsluta_direkt", False):
            _exit_without_teardown(code)
        return code
    except UserError as exc:
        if _caused_by_ctrl_c(exc):
            return _ctrl_c()
        from bemanning.model.display import safe_message

        print(safe_message(f"fel: {exc}"), file=sys.stderr)
        return EXIT_INPUT
    except Cancelled:
        print("Avbrutet.", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return _ctrl_c()
    except BrokenPipeError:
        # Läsaren slutade läsa (`bemanning beslut | head`): inget fel att visa. Utdata pekas om så att
        # Pythons sista tömning av stdout inte ger ett nytt fel.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - ett internt fel: en svensk mening och en loggfil, ingen traceback
        if _caused_by_ctrl_c(exc):
            return _ctrl_c()
        return _internal_error(args.kommando)


def _ctrl_c() -> int:
    print("Avbrutet med Ctrl+C; det som inte redan var sparat sparades inte.", file=sys.stderr)
    return 130


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    """Ctrl+C mitt i en skrivning kommer ibland inlindat: databasdrivrutinen gör avbrottet till en
    bruten förbindelse, och städningen efteråt till ett nytt fel. Det är ändå användarens Ctrl+C,
    inget programfel och ingen bruten förbindelse; transaktionen är då inte sparad."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _exit_without_teardown(code: int) -> None:
    """Avsluta processen direkt när kommandot är klart, utdata är tömd och registret stängt, utan
    Pythons nedmontering (moduler och objekt frigörs ett i taget: på `matcha --json` med 100 000
    beslut omkring 0,1 s). Bara från kommandoraden (`main()` utan argv), aldrig i ett prov eller i
    gränssnittet. Ett fel när utdata töms (läsaren har slutat läsa) går den vanliga vägen."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def _internal_error(command: str | None) -> int:
    """Ett programfel: felet (rensat, utan personnummer) i loggfilen, en svensk mening på skärmen."""
    from bemanning import crashlog

    error = sys.exc_info()[1]
    path = crashlog.write(error, f"kommando {command or 'tui'}") if error is not None else None
    print(crashlog.message(path), file=sys.stderr)
    return EXIT_INTERNAL
