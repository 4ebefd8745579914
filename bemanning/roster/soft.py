"""Soft terms: every cost in the objective has a category and a readable Swedish name.

The rule modules add their penalties here rather than straight into the model, so that a
solution's cost can be listed term by term ("obemannat: HT-NORR kväll 2024-03-05, 1 person").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import attrs

# Categories, in the order a report lists them.
TACKNING = "obemannat"
OVERBEMANNING = "överbemanning (resurspass utan behov)"
ONSKEMAL = "önskemål som inte uppfylls"
SALDO = "avvikelse från målet (saldo)"
HELG = "helgregeln (mjuk)"
RATTVISA = "rättvis fördelning"
ANDRING = "ändrade pass (omplanering)"
PLACERING = "pass på annan enhet än hemenheten"


@attrs.frozen
class Term:
    kategori: str
    text: str
    coef: int
    var: object  # an IntVar/BoolVar or a negated literal


@attrs.frozen
class Kostnad:
    kategori: str
    text: str
    kostnad: int


class Objective:
    def __init__(self) -> None:
        self.terms: list[Term] = []

    def add(self, kategori: str, text: str, coef: int, var: object) -> None:
        if coef:
            self.terms.append(Term(kategori, text, int(coef), var))

    def expression(self):
        from ortools.sat.python import cp_model

        if not self.terms:
            return 0
        return cp_model.LinearExpr.weighted_sum([t.var for t in self.terms],
                                                [t.coef for t in self.terms])

    def breakdown(self, value: Callable[[object], int]) -> list[Kostnad]:
        """Non-zero terms under a solution (`value` evaluates a variable), most costly first."""
        items = []
        for term in self.terms:
            v = value(term.var)
            if v:
                items.append(Kostnad(term.kategori, term.text, term.coef * v))
        items.sort(key=lambda k: -k.kostnad)
        return items

    @staticmethod
    def by_category(items: Sequence[Kostnad]) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for item in items:
            totals[item.kategori] += item.kostnad
        return dict(totals)
