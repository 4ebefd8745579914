"""Fel och varningar vid import: fil, rad, kolumn, fält och en svensk mening om vad som ska rättas."""

from __future__ import annotations

import attrs

from bemanning.errors import UserError


@attrs.frozen
class Problem:
    fil: str
    rad: int | None
    kolumn: int | None
    falt: str | None
    meddelande: str
    varning: bool = False

    def __str__(self) -> str:
        where = [self.fil]
        if self.rad is not None:
            where.append(f"rad {self.rad}")
        if self.kolumn is not None:
            where.append(f"kolumn {self.kolumn}")
        place = ", ".join(where)
        field = f"{self.falt}: " if self.falt else ""
        prefix = "varning: " if self.varning else ""
        return f"{prefix}{place}: {field}{self.meddelande}"


class ImportFailed(UserError):
    """Importen hade fel. Inget har ändrats i registret."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if not p.varning]
        count = len(errors)
        noun = "fel" if count == 1 else "fel"
        super().__init__(
            f"Importen avbröts: {count} {noun} i filen. Inget har ändrats i registret. "
            "Rätta raderna nedan och importera igen.",
            [str(p) for p in errors],
        )
        self.problems = problems
