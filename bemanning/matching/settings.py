"""Matchningens inställningar: `data/matchning.toml` med användarens värden ovanpå."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from bemanning.errors import UserError

PREFERENCE_NAMES = ("intressen", "alder", "avstand", "tider", "sprak", "kon")
METHODS = ("auto", "flode", "cpsat")


def _number(raw: Mapping[str, Any], key: str, default: float, *, minimum: float = 0.0, where: str = "") -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UserError(f'Inställningen {where}{key} = "{value}" är inget tal.')
    if value < minimum:
        raise UserError(f"Inställningen {where}{key} får inte vara mindre än {minimum:g}.")
    return float(value)


@attrs.frozen
class Settings:
    registerutdrag_giltighet_manader: int = 12
    standard_max_avstand_km: float = 40.0
    standard_timmar_per_manad: float = 8.0
    las_godkanda: bool = True
    bas: int = 1000
    per_vantedag: int = 1
    vantedagar_tak: int = 1825
    forsenad_bonus: int = 10000
    vikter: dict[str, float] = attrs.field(
        factory=lambda: {"intressen": 3, "alder": 1, "avstand": 2, "tider": 2, "sprak": 3, "kon": 2}
    )
    alder_skala_ar: float = 40.0
    avstand_skala_km: float = 30.0
    metod: str = "auto"
    time_limit_s: float = 30.0
    workers: int = 1
    seed: int = 1
    passform_upplosning: int = 1000
    cpsat_max_par: int = 5000

    @classmethod
    def from_config(cls, raw: Mapping[str, Any] | None) -> Settings:
        raw = dict(raw or {})
        tack = dict(raw.get("tackning") or {})
        vikter_raw = dict(raw.get("vikter") or {})
        skalor = dict(raw.get("skalor") or {})
        losare = dict(raw.get("losare") or {})
        unknown = sorted(set(vikter_raw) - set(PREFERENCE_NAMES))
        if unknown:
            raise UserError(
                f'Önskemålet "{unknown[0]}" under [matchning.vikter] finns inte; '
                f"välj bland {', '.join(PREFERENCE_NAMES)}."
            )
        defaults = cls()
        vikter = dict(defaults.vikter)
        for key in PREFERENCE_NAMES:
            vikter[key] = _number(vikter_raw, key, vikter[key], where="vikter.")
        metod = str(losare.get("metod", "auto"))
        if metod not in METHODS:
            raise UserError(f'Metoden "{metod}" finns inte; välj "auto", "flode" eller "cpsat".')
        las = raw.get("las_godkanda", True)
        if not isinstance(las, bool):
            raise UserError("Inställningen las_godkanda ska vara true eller false.")
        return cls(
            registerutdrag_giltighet_manader=int(_number(raw, "registerutdrag_giltighet_manader", 12, minimum=1)),
            standard_max_avstand_km=_number(raw, "standard_max_avstand_km", 40),
            standard_timmar_per_manad=_number(raw, "standard_timmar_per_manad", 8),
            las_godkanda=las,
            bas=int(_number(tack, "bas", 1000, minimum=1, where="tackning.")),
            per_vantedag=int(_number(tack, "per_vantedag", 1, where="tackning.")),
            vantedagar_tak=int(_number(tack, "vantedagar_tak", 1825, where="tackning.")),
            forsenad_bonus=int(_number(tack, "forsenad_bonus", 10000, where="tackning.")),
            vikter=vikter,
            alder_skala_ar=_number(skalor, "alder_skala_ar", 40, minimum=1, where="skalor."),
            avstand_skala_km=_number(skalor, "avstand_skala_km", 30, minimum=1, where="skalor."),
            metod=metod,
            time_limit_s=_number(losare, "tidsgrans_s", 30, minimum=0.1, where="losare."),
            workers=int(_number(losare, "arbetare", 1, minimum=1, where="losare.")),
            seed=int(_number(losare, "fro", 1, where="losare.")),
            passform_upplosning=int(_number(losare, "passform_upplosning", 1000, minimum=1, where="losare.")),
            cpsat_max_par=int(_number(losare, "cpsat_max_par", 5000, where="losare.")),
        )


def load_settings() -> Settings:
    from bemanning.config import load_section

    return Settings.from_config(load_section("matchning"))
