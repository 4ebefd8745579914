"""One module per rule. Each has `NAMN` (the rule's Swedish name) and `add(ctx)`.

Hard rules guard their constraints with `ctx.hard(...)`/`ctx.guard(...)` so that an infeasible
input can be explained; soft rules add named terms to `ctx.objective`.
"""

from __future__ import annotations

from bemanning.roster.rules import (
    arbetstid,
    dagar_i_rad,
    dygnsvila,
    franvaro,
    helger,
    introduktion,
    kompetens,
    nattarbete,
    onskemal,
    overlapp,
    placering,
    rattvisa,
    tackning,
    veckovila,
)

RULES = (
    kompetens,
    franvaro,
    overlapp,
    dygnsvila,
    veckovila,
    nattarbete,
    dagar_i_rad,
    helger,
    arbetstid,
    introduktion,
    tackning,
    onskemal,
    rattvisa,
    placering,
)

HARD_RULE_NAMES = tuple(r.NAMN for r in RULES if getattr(r, "HARD", True))
