"""De som kan utföra en insats: uppdragstagare (arvode) och anställd personal."""

from __future__ import annotations

from datetime import date
from enum import Enum

import attrs

from bemanning.model.errors import ValidationError
from bemanning.model.values import Kon

TIDER = ("vardag", "kvall", "helg")


class Vetting(str, Enum):
    """Var i rekryteringen en uppdragstagare är. Bara godkända får föreslås."""

    INTRESSEANMALAN = "intresseanmälan"
    INTERVJU = "intervju"
    REFERENSER = "referenser"
    REGISTERUTDRAG = "registerutdrag"
    GODKAND = "godkänd"

    @classmethod
    def parse(cls, text: str) -> Vetting:
        value = text.strip().lower()
        aliases = {"godkand": "godkänd", "intresseanmalan": "intresseanmälan"}
        value = aliases.get(value, value)
        for item in cls:
            if item.value == value:
                return item
        choices = ", ".join(v.value for v in cls)
        raise ValidationError("status", f'"{text}" är ingen status; använd en av: {choices}')


def _check_tider(_inst: object, _attr: object, value: tuple[str, ...]) -> None:
    unknown = [t for t in value if t not in TIDER]
    if unknown:
        raise ValidationError("tider", f'"{unknown[0]}" är ingen tid; använd vardag, kvall eller helg')


def _check_range(field: str, low: float, high: float):
    def check(_inst: object, _attr: object, value: float | None) -> None:
        if value is not None and not low <= value <= high:
            raise ValidationError(field, f"ska ligga mellan {low:g} och {high:g}")

    return check


def _check_ages(inst: object, _attr: object, value: int | None) -> None:
    low = inst.alder_min  # type: ignore[attr-defined]
    if value is not None and low is not None and value < low:
        raise ValidationError("alder_max", "får inte vara lägre än alder_min")


@attrs.frozen
class Uppdragstagare:
    uppdragstagare_id: str
    namn: str
    kon: Kon
    fodelsear: int | None = None
    sprak: tuple[str, ...] = ()
    intressen: tuple[str, ...] = ()
    erfarenheter: tuple[str, ...] = ()
    omrade: str | None = None
    x_km: float | None = None
    y_km: float | None = None
    tider: tuple[str, ...] = attrs.field(default=TIDER, validator=_check_tider)
    max_uppdrag: int = 1
    max_timmar_per_manad: float = 10.0
    alder_min: int | None = None
    alder_max: int | None = attrs.field(default=None, validator=_check_ages)
    max_avstand_km: float | None = None
    status: Vetting = Vetting.INTRESSEANMALAN
    registerutdrag_datum: date | None = None
    kanal: str = ""

    @property
    def resurs_id(self) -> str:
        return self.uppdragstagare_id


@attrs.frozen
class Personal:
    personal_id: str
    namn: str
    enhet: str
    kompetenser: tuple[str, ...] = ()
    arbetstidsmatt: float = attrs.field(default=38.25, validator=_check_range("arbetstidsmatt", 1, 60))
    sysselsattningsgrad: float = attrs.field(
        default=100.0, validator=_check_range("sysselsattningsgrad", 1, 100)
    )
    onskad_grad: float | None = attrs.field(default=None, validator=_check_range("onskad_grad", 1, 100))
    kan_kontaktperson: bool = False
    introducerad: bool = True
    kon: Kon | None = None
    fodelsear: int | None = None
    sprak: tuple[str, ...] = ()
    intressen: tuple[str, ...] = ()
    erfarenheter: tuple[str, ...] = ()
    x_km: float | None = None
    y_km: float | None = None
    tider: tuple[str, ...] = attrs.field(default=TIDER, validator=_check_tider)
    resurstimmar_per_manad: float | None = None
    max_uppdrag: int = 1
    alder_min: int | None = None
    alder_max: int | None = attrs.field(default=None, validator=_check_ages)
    max_avstand_km: float | None = None

    @property
    def resurs_id(self) -> str:
        return self.personal_id

    @property
    def heltid(self) -> bool:
        return self.sysselsattningsgrad >= 100
