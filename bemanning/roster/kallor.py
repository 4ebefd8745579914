"""Where each hard roster rule comes from: the agreement or paragraph, the date it applies from
and the period it is counted over. The checker ends every message with it and the Schema
screen's help lists the same lines, so a schemaläggare can look the rule up.

Dates: AB dygnsvila per 24-hour period from 2023-10-01 (`shared/domain/lagrum-2026.md`); ATL
13 a § and 14 § in their present wording from 2005-07-01 (SFS 2005:165, prop. 2003/04:180).
Rules without a paragraph are the kommun's own scheduling rules from `[schema]` in the
settings or from the inputs.
"""

from __future__ import annotations

from datetime import date

import attrs


@attrs.frozen
class Kalla:
    regel: str  # the rule's name, as the checker reports it
    lagrum: str  # "AB 24, dygnsvila"
    fran: date | None  # the day it applies from; None for the kommun's own rules
    period: str  # what the rule is counted over, in Swedish

    def __str__(self) -> str:
        if self.fran is None:
            return self.lagrum
        return f"{self.lagrum}, från {self.fran.isoformat()}"


_LOKAL = "lokal schemaregel"

KALLOR: dict[str, Kalla] = {k.regel: k for k in (
    Kalla("Dygnsvila", "AB 24, dygnsvila", date(2023, 10, 1),
          "minst 11 h sammanhängande vila i varje 24-timmarsperiod från enhetens dygnsbryt, "
          "och minst 11 h mellan två pass"),
    Kalla("Veckovila", "ATL 14 §, veckovila", date(2005, 7, 1),
          "minst 36 h sammanhängande vila i varje sjudagarsperiod"),
    Kalla("Nattarbete", "ATL 13 a §, nattarbete", date(2005, 7, 1),
          "högst 8 h per 24-timmarsperiod i genomsnitt under en beräkningsperiod om högst fyra "
          "månader, 24 h avräknade per påbörjad sjudagarsperiod, semester och sjukfrånvaro "
          "räknade som arbetad tid (all planerad frånvaro räknas)"),
    Kalla("Ett pass i taget", f"{_LOKAL}, delade turer", None, "varje dag"),
    Kalla("Arbetsdagar i rad", f"{_LOKAL}, arbetsdagar i rad", None, "schemaperioden"),
    Kalla("Helger", f"{_LOKAL}, helger", None, "schemaperioden"),
    Kalla("Arbetstid", "heltid som norm, arbetstidsmått × sysselsättningsgrad", None,
          "schemaperioden"),
    Kalla("Kompetens", "passets kompetenskrav", None, "varje pass"),
    Kalla("Samplaneringsområde", "samplaneringsområdet", None, "varje pass"),
    Kalla("Frånvaro", "planerad frånvaro", None, "varje dag"),
    Kalla("Ny medarbetare ensam", f"{_LOKAL}, enheten kräver introducerad personal", None,
          "varje pass"),
    Kalla("Minsta bemanning", "bemanningsbehovets minsta antal", None, "varje pass"),
    Kalla("Okänt pass", "indata", None, "schemaperioden"),
)}


def kalla(regel: str) -> str:
    """The source line for a rule name ("AB 24, dygnsvila, från 2023-10-01")."""
    found = KALLOR.get(regel)
    return str(found) if found else _LOKAL


def hjalptext() -> str:
    """One Markdown list item per rule for the F1 help: name, source and what it is counted over."""
    return "\n".join(f"- {k.regel} ({k}): {k.period}" for k in KALLOR.values())
