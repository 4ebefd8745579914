"""Enheter och samplaneringsområden: personal flyttar bara mellan enheter inom sitt område."""

from __future__ import annotations

import attrs

ENHETSTYPER = ("hemtjänst", "särskilt boende", "nattpatrull", "LSS gruppbostad", "LSS daglig verksamhet", "annan")


@attrs.frozen
class Samplaneringsomrade:
    omrade_id: str
    namn: str


@attrs.frozen
class Enhet:
    enhet_id: str
    namn: str
    omrade: str
    typ: str = "annan"
    kort_dygnsvila_tillaten: bool = False  # planerat undantag ned till 9 h dygnsvila
    kraver_introducerad: bool = False  # en ny medarbetare får aldrig vara ensam på ett pass
