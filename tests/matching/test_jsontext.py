"""Matchningens JSON-text byggs i delar; den är tecken för tecken densamma som `json.dumps`."""

from __future__ import annotations

import json
import random

import pytest

from bemanning.matching import jsontext


def _value(rng: random.Random, depth: int = 0):
    kinds = ["str", "int", "float", "bool", "none"] + (["list", "dict", "empty"] if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        return rng.choice(["", "Å ä ö – \"citat\" \\ ny\nrad\t", "DEMO-1", "\u00a0tal", "\x01"])
    if kind == "int":
        return rng.randint(-10**12, 10**12)
    if kind == "float":
        return rng.choice([0.0, -0.0, 1.5, 1e-7, 123456789.125, 2.0 / 3.0, float("nan"), float("inf")])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "empty":
        return rng.choice([[], {}, ()])
    if kind == "list":
        return [_value(rng, depth + 1) for _ in range(rng.randint(1, 4))]
    return {rng.choice(["a", "ö", "kod", "1"]) + str(i): _value(rng, depth + 1) for i in range(rng.randint(1, 4))}


@pytest.mark.parametrize("seed", range(30))
def test_dumps_is_json_dumps_with_indent_two(seed):
    value = _value(random.Random(seed))
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
    nested = {"x": [value, {"y": value}]}
    assert jsontext.dumps(nested) == json.dumps(nested, ensure_ascii=False, indent=2)


def test_keys_that_are_not_text_are_written_as_json_writes_them():
    value = {7: "a", 2.5: "b", True: "c", None: "d"}
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_values_json_cannot_write_are_refused():
    with pytest.raises(TypeError):
        jsontext.dumps({"a": object()})


@pytest.mark.parametrize("seed", range(3))
def test_matchningens_text_i_sma_bitar_ar_json_dumps(seed, monkeypatch):
    """Texten för hela matchningen är `json.dumps` också när den skrivs i många bitar: förklaringar
    och meningar som kodats en gång i en bit används i nästa (bitar om tre beslut här)."""
    import attrs

    from bemanning.matching import engine
    from bemanning.matching.arende import build_queue
    from bemanning.model.insats import default_katalog
    from bemanning.model.tremanadersregeln import Regel
    from bemanning.model.values import Kon

    from .cases import PER, settings
    from .test_pruning import _instance

    lagen, uppdrag, personal = _instance(seed)
    s = settings()
    ko = build_queue(lagen, s, Regel(), default_katalog())
    # provfallen skriver kön som text; i registret är det alltid `Kon`
    ko = attrs.evolve(ko, arenden=tuple(attrs.evolve(a, kon=None if a.kon is None else Kon(a.kon))
                                        for a in ko.arenden))
    resultat = engine.match_queue(ko, uppdrag, personal, PER, settings=s)
    assert len(resultat.utan_person) > 6 and len(resultat.forslag) > 0
    monkeypatch.setattr(engine, "CHUNK_ITEMS", 3)
    expected = json.dumps(resultat.to_json(), ensure_ascii=False, indent=2)
    assert resultat.json_text() == expected
    assert "".join(resultat.json_chunks()) == expected
