"""Ett argparse på svenska, utan att ändra standardbiblioteket.

argparse hämtar sina texter via gettext. I stället för att byta ut den funktionen för hela
processen ger vår parser egna rubriker, en egen `--help`-rad och ett eget `error()` som översätter
argparse:s felmeddelanden innan de visas.
"""

from __future__ import annotations

import argparse
import re
import sys

EXIT_USAGE = 2

USAGE_PREFIX = "användning: "

#: argparse:s felmeddelanden (Python 3.11–3.13) och deras svenska motsvarighet.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^argument (.+?): (.*)$", r"argument \1: \2"),
        (r"invalid choice: (.+?) \(choose from (.+)\)$", r"ogiltigt val: \1 (välj bland \2)"),
        (r"^the following arguments are required: (.+)$", r"dessa argument saknas: \1"),
        (r"^unrecognized arguments: (.+)$", r"okända argument: \1"),
        (r"expected one argument$", "ett värde behövs"),
        (r"expected at least one argument$", "minst ett värde behövs"),
        (r"expected at most one argument$", "högst ett värde får anges"),
        (r"expected (\d+) arguments?$", r"\1 värden behövs"),
        (r"invalid \S+ value: (.+)$", r"ogiltigt värde: \1"),
        (r"^ambiguous option: (\S+) could match (.+)$", r"tvetydig flagga: \1 kan betyda \2"),
        (r"not allowed with argument (.+)$", r"går inte ihop med \1"),
        (r"^one of the arguments (.+) is required$", r"ett av argumenten \1 behövs"),
        (r"ignored explicit argument (.+)$", r"värdet \1 hör inte till flaggan"),
    )
)


def translate_error(message: str) -> str:
    """argparse:s engelska felmeddelande på svenska (okända meddelanden lämnas orörda)."""
    for pattern, replacement in _ERRORS:
        message = pattern.sub(replacement, message)
    return message


def _swedish_formatter(base: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    class SwedishFormatter(base):  # type: ignore[misc,valid-type]
        def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
            super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

    SwedishFormatter.__name__ = f"Swedish{base.__name__}"
    return SwedishFormatter


class SwedishArgumentParser(argparse.ArgumentParser):
    """Rubriker, hjälp och fel på svenska; fel avslutar med slutkod 2 och en rad om `--help`."""

    def __init__(self, *args, **kwargs) -> None:
        add_help = kwargs.pop("add_help", True)
        formatter = kwargs.pop("formatter_class", argparse.HelpFormatter)
        super().__init__(*args, add_help=False, formatter_class=_swedish_formatter(formatter), **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="visa den här hjälpen och avsluta")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fel: {translate_error(message)}\n"
                              f"Skriv '{self.prog} --help' för hjälp.\n")
