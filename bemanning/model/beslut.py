"""Ett gynnande beslut om en insats, med den enskildes önskemål inför matchningen."""

from __future__ import annotations

from datetime import date

import attrs

from bemanning.model.errors import ValidationError
from bemanning.model.values import Kon

ORSAK_TEXT = {1: "Tackat nej till erbjuden plats", 2: "Resursbrist", 3: "Annat"}


def _not_blank(field: str):
    def check(_inst: object, _attr: object, value: str) -> None:
        if not value or not value.strip():
            raise ValidationError(field, "får inte vara tomt")

    return check


def _check_orsak(_inst: object, _attr: object, value: int | None) -> None:
    if value is not None and value not in ORSAK_TEXT:
        raise ValidationError("orsak", f"{value} är ingen orsakskod; använd 1, 2 eller 3")


def _check_positive(field: str):
    def check(_inst: object, _attr: object, value: float | None) -> None:
        if value is not None and value < 0:
            raise ValidationError(field, "får inte vara negativt")

    return check


@attrs.frozen
class Onskemal:
    """Vad beslutet ber om av den som ska utföra insatsen. Krav bryts aldrig; resten är önskemål."""

    kon: Kon | None = None
    kon_krav: bool = False
    sprak: str | None = None
    sprak_krav: bool = False
    intressen: tuple[str, ...] = ()
    tider: tuple[str, ...] = ()  # vardag, kvall, helg
    max_avstand_km: float | None = attrs.field(default=None, validator=_check_positive("max_avstand_km"))
    sarskilda_behov: tuple[str, ...] = ()  # t.ex. autism, teckenspråk: kräver erfarenhet
    undantagna: tuple[str, ...] = ()  # personer som aldrig får föreslås


@attrs.frozen
class Beslut:
    beslut_id: str = attrs.field(validator=_not_blank("beslut_id"))
    person_id: str = attrs.field(validator=_not_blank("person_id"))
    insats: str = attrs.field(validator=_not_blank("insats"))  # kanonisk benämning ur katalogen
    beslutsdatum: date
    omfattning_timmar: float | None = attrs.field(
        default=None, validator=_check_positive("timmar_per_manad")
    )
    orsak: int | None = attrs.field(default=None, validator=_check_orsak)
    enhet: str | None = None
    onskemal: Onskemal = attrs.field(factory=Onskemal)
