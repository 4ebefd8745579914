"""Fel och varningar vid import: fil, rad, kolumn, fält och en svensk mening om vad som ska rättas."""

from __future__ import annotations

import attrs

from bemanning.errors import UserError
from bemanning.model.display import safe_line


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
        if self.falt:
            place += f" ({self.falt})"
        prefix = "varning: " if self.varning else ""
        # Sista skyddet: inget personnummer och inga råa styrtecken, vad meddelandet än citerar.
        return safe_line(f"{prefix}{place}: {self.meddelande}")


class ImportFailed(UserError):
    """Importen hade fel. Inget har ändrats i registret."""

    def __init__(self, problems: list[Problem], *, checked_only: bool = False) -> None:
        errors = [p for p in problems if not p.varning]
        files = {p.fil for p in errors}
        where = "filen" if len(files) == 1 else "filerna"
        if checked_only:  # en kontroll (torrkörning): inget skulle sparas, så inget "avbröts"
            message = (f"Kontrollen hittade {len(errors)} fel i {where}. Inget har ändrats i registret. "
                       "Rätta felen nedan och kontrollera igen.")
        else:
            message = (f"Importen avbröts: {len(errors)} fel i {where}. Inget har ändrats i registret. "
                       "Rätta felen nedan och importera igen.")
        super().__init__(message, [str(p) for p in errors])
        self.checked_only = checked_only
        self.problems = problems
