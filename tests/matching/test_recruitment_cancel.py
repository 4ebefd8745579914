"""Rekryteringsprofilen och att en matchning kan avbrytas."""

from __future__ import annotations

import pytest

from bemanning.errors import Cancelled
from bemanning.matching.engine import match
from bemanning.model.values import Kon

from .cases import PER, lage, settings, upp


def test_recruitment_profile_counts_the_unmatched():
    lagen = [
        lage("A", dagar=100, kon=Kon.K, kon_krav=True, sprak="finska", sprak_krav=True, tider=("kvall",)),
        lage("B", dagar=90, kon=Kon.K, kon_krav=True, sprak="finska", sprak_krav=True, tider=("kvall",)),
        lage("C", dagar=80, tider=("helg",), fodelsear=2010),
    ]
    result = match(lagen, [upp("U1", kon="M", tider=("vardag",))], [], PER, settings=settings())
    profile = result.rekrytering
    assert profile.antal == 3
    assert dict(profile.kon) == {"kvinna": 2, "kvinna eller man": 1}
    assert dict(profile.sprak) == {"finska": 2, "inget särskilt": 1}
    assert dict(profile.tider) == {"kvällar": 2, "helger": 1}
    assert dict(profile.aldrar)["ungdomar 13–17 år"] == 1
    top, count = profile.profiler[0]
    assert count == 2
    assert top.text() == "kvinna (krav), talar finska (krav), område Norr, kan kvällar, för vuxna 26–64 år"
    assert any("2 × kvinna (krav)" in line for line in profile.lines())


def test_cancel_stops_the_matching():
    with pytest.raises(Cancelled):
        match([lage("A", dagar=10)], [upp("U1")], [], PER, settings=settings(), cancel=lambda: True)


def test_progress_is_reported():
    seen = []
    match([lage("A", dagar=10)], [upp("U1")], [], PER, settings=settings(),
          progress=lambda stage, share: seen.append(stage))
    assert seen[0] == "rensar" and seen[-1] == "klar" and "löser" in seen
