"""Where each hard roster rule comes from and what it is counted over. The checker ends every
message with the source and the Schema screen's help lists the same lines, so a schemaläggare
can look the rule up.

Rules from law or agreement take their citation and the day it applies from out of
`data/lagrum.toml` (`bemanning.model.lagrum`, the one place the program chooses lagrum), as
it stood on the pass's day: AB dygnsvila per 24-hour period from 2023-10-01; ATL 13 a § and
14 § in their present wording from 2005-07-01 (SFS 2005:165). The others are the kommun's own
scheduling rules (`[schema]` in the settings) or follow from the inputs.
"""

from __future__ import annotations

from datetime import date

import attrs

from bemanning.model.lagrum import default_lagrum, lagrum_per

_LOKAL = "lokal schemaregel"


@attrs.frozen
class Kalla:
    regel: str  # the rule's name, as the checker reports it
    period: str  # what the rule is counted over, in Swedish
    lagrum: str = ""  # the rule's key in data/lagrum.toml; empty for the kommun's own rules
    grund: str = ""  # what a kommun rule rests on

    def text(self, day: date | None = None) -> str:
        """"AB 24, dygnsvila, från 2023-10-01": the wording in force on `day` (or the newest)."""
        if not self.lagrum:
            return self.grund
        found = lagrum_per(self.lagrum, day) if day is not None else None
        found = found or default_lagrum().regler[self.lagrum][-1]
        return f"{found.kort}, från {found.fran.isoformat()}"


KALLOR: dict[str, Kalla] = {k.regel: k for k in (
    Kalla("Dygnsvila", "minst 11 h sammanhängande vila i varje 24-timmarsperiod från "
          "hemenhetens dygnsbryt, och minst 11 h mellan två pass", lagrum="dygnsvila"),
    Kalla("Veckovila", "minst 36 h sammanhängande vila i varje sjudagarsperiod",
          lagrum="veckovila"),
    Kalla("Nattarbete", "högst 8 h per 24-timmarsperiod i genomsnitt under en beräkningsperiod "
          "om högst fyra månader, 24 h avräknade per påbörjad sjudagarsperiod, semester och "
          "sjukfrånvaro räknade som arbetad tid (all planerad frånvaro räknas)",
          lagrum="nattarbete"),
    Kalla("Ett pass i taget", "varje dag", grund=f"{_LOKAL}, delade turer"),
    Kalla("Arbetsdagar i rad", "schemaperioden", grund=f"{_LOKAL}, arbetsdagar i rad"),
    Kalla("Helger", "schemaperioden", grund=f"{_LOKAL}, helger"),
    Kalla("Arbetstid", "schemaperioden",
          grund="heltid som norm, arbetstidsmått × sysselsättningsgrad"),
    Kalla("Kompetens", "varje pass", grund="passets kompetenskrav"),
    Kalla("Samplaneringsområde", "varje pass", grund="samplaneringsområdet"),
    Kalla("Frånvaro", "varje dag", grund="planerad frånvaro"),
    Kalla("Ny medarbetare ensam", "varje pass",
          grund=f"{_LOKAL}, enheten kräver introducerad personal"),
    Kalla("Minsta bemanning", "varje pass", grund="bemanningsbehovets minsta antal"),
    Kalla("Okänt pass", "schemaperioden", grund="indata"),
)}


def kalla(regel: str, day: date | None = None) -> str:
    """The source line for a rule name on a day ("AB 24, dygnsvila, från 2023-10-01")."""
    found = KALLOR.get(regel)
    return found.text(day) if found else _LOKAL


def hjalptext() -> str:
    """One Markdown list item per rule for the F1 help: name, source and what it is counted over."""
    return "\n".join(f"- {k.regel} ({k.text()}): {k.period}" for k in KALLOR.values())
