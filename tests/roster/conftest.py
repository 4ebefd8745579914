"""Shared helpers for the roster tests: tiny problems built by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.roster.problem import Behov, Enhetsinfo, PassTyp, Person, Regler, RosterProblem

SHARED = Path(__file__).parents[2].parent / "shared"
CURTOIS = SHARED / "bench-data" / "curtois"

needs_shared = pytest.mark.skipif(
    not CURTOIS.exists(), reason=f"{CURTOIS} saknas (benchmarkdata ligger utanför repot)"
)

DAG = PassTyp("U/D", "U", 7 * 60, 8 * 60 + 30, betald=8 * 60, kompetens="underskoterska", namn="Dag")
KVALL = PassTyp("U/K", "U", 14 * 60, 8 * 60, betald=7 * 60 + 30, kompetens="underskoterska",
                namn="Kväll")
NATT = PassTyp("U/N", "U", 21 * 60, 10 * 60, kompetens="underskoterska", natt=True, namn="Natt")
#: The test unit's dygnsbryt (AB 24). 10:00 leaves 11 h inside every 24-hour period for each of
#: the pass types here alone and in the usual sequences; at 00:00 a lone Dag 07:00–15:30
#: leaves only 8,5 h (15:30–24:00) in its period.
BRYT = 10 * 60

SSK = PassTyp("U/S", "U", 8 * 60, 8 * 60, kompetens="sjukskoterska", namn="Sjuksköterska")


def person(pid: str, **kw) -> Person:
    kw.setdefault("kompetenser", frozenset({"underskoterska"}))
    kw.setdefault("enhet", "U")
    kw.setdefault("namn", f"Person {pid}")
    return Person(pid, **kw)


def problem(**kw) -> RosterProblem:
    """A unit U in område O, starting Monday 2024-03-04, no demand unless given."""
    from datetime import date

    kw.setdefault("dagar", 14)
    kw.setdefault("pass_typer", (DAG, KVALL, NATT, SSK))
    kw.setdefault("behov", ())
    kw.setdefault("personal", (person("A"),))
    kw.setdefault("enheter", (Enhetsinfo("U", "Enheten", "O", dygnsbryt=BRYT),))
    kw.setdefault("regler", Regler())
    kw.setdefault("start", date(2024, 3, 4))
    return RosterProblem(**kw)


def behov_every_day(pass_id: str, antal: int, days: int, **kw) -> tuple[Behov, ...]:
    return tuple(Behov(d, pass_id, antal, **kw) for d in range(days))
