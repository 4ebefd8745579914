"""Den enskilde som ett beslut gäller. Identiteten är källsystemets id (pseudonym eller personnummer)."""

from __future__ import annotations

from datetime import date

import attrs

from bemanning.model import personnummer
from bemanning.model.errors import ValidationError
from bemanning.model.values import Kon


def _check_person_id(_inst: object, _attr: object, value: str) -> None:
    if not value.strip():
        raise ValidationError("person_id", "får inte vara tomt")
    if personnummer.looks_like_personnummer(value) and not personnummer.is_valid(value):
        # Meddelandet upprepar inte numret: det får aldrig hamna i en logg.
        raise ValidationError(
            "person_id", "personnumret klarar inte kontrollsiffran (Luhn); kontrollera siffrorna"
        )


def _check_year(_inst: object, _attr: object, value: int | None) -> None:
    if value is not None and not 1890 <= value <= date.today().year:
        raise ValidationError("fodelsear", f"{value} är inget rimligt födelseår")


@attrs.frozen
class Enskild:
    person_id: str = attrs.field(validator=_check_person_id)
    kon: Kon
    fodelsear: int | None = attrs.field(default=None, validator=_check_year)
    sprak: tuple[str, ...] = ()
    omrade: str | None = None
    x_km: float | None = None
    y_km: float | None = None

    @property
    def has_personnummer(self) -> bool:
        return personnummer.looks_like_personnummer(self.person_id)

    def birth_date(self) -> date | None:
        if self.has_personnummer:
            return personnummer.birth_date(self.person_id)
        return None

    def age_on(self, day: date) -> int | None:
        born = self.birth_date()
        if born is not None:
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.fodelsear is not None:
            return day.year - self.fodelsear
        return None
