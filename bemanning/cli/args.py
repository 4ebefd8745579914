"""Det som alla delars kommandon delar: datumargument och att öppna registret."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bemanning.errors import UserError
from bemanning.model.errors import ValidationError
from bemanning.model.values import parse_date, parse_int, parse_number


def date_arg(text: str) -> date:
    """argparse-typ för `ÅÅÅÅ-MM-DD`, med importens svenska felmeddelande."""
    try:
        return parse_date("datum", text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def seconds_arg(text: str) -> float:
    """argparse-typ för en tidsgräns i sekunder: minst 1, decimalkomma går bra (`1,5`)."""
    try:
        return parse_number("sekunder", text, minimum=1, maximum=7 * 24 * 3600)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message}; skriv antal sekunder, till exempel 60") from None


def scale_arg(text: str) -> float:
    """argparse-typ för en skala (personalens storlek i `generera`): större än 0."""
    try:
        return parse_number("skala", text, minimum=0.01, maximum=1000)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message}; skriv till exempel 1 (cirka 120 anställda) eller 2") from None


def count_arg(minimum: int, maximum: int | None, hint: str):
    """argparse-typ för ett heltal mellan `minimum` och `maximum`, med ett svenskt fel och `hint`
    (vad som ska stå där) i stället för argparses 'ogiltigt värde'."""

    def parse(text: str) -> int:
        try:
            return parse_int("antal", text, minimum=minimum, maximum=maximum)
        except ValidationError as exc:
            raise argparse.ArgumentTypeError(f"{exc.message}; {hint}") from None

    return parse


def open_register_for(args: argparse.Namespace, *, create: bool = False):
    """Registret som `--db`/BEMANNING_DB pekar på. Bara importen får skapa ett nytt.

    Kommandots rätt prövas här, när registret är öppet (`bemanning.services.rights`): i ett
    gemensamt register är det servern som säger vem användaren är och vilka roller hen har.
    Användaren står sedan i `args.inloggad`."""
    from bemanning.paths import resolve_db
    from bemanning.store import open_register

    db = resolve_db(getattr(args, "db", None))
    if not create and "://" not in db and not Path(db).exists():
        raise UserError(
            f"Registret {db} finns inte. Importera beslut och personer först (bemanning importera …), "
            "prova demon (bemanning demo) eller ange registret med --db."
        )
    # Första öppningen efter en uppgradering bygger registrets översikt; förloppet syns.
    register = open_register(db, progress=lambda text: print(text, file=sys.stderr))
    from bemanning.services import rights

    action = rights.COMMAND_ACTIONS.get(getattr(args, "kommando", None) or "")
    try:
        user = rights.current_user(register)
        if action is not None:
            rights.require(user, action)
    except BaseException:
        register.close()
        raise
    args.inloggad = user
    return register
