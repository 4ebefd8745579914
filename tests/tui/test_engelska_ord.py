"""Inga engelska ord eller Python-namn i det användaren läser (issue 20).

Texterna samlas från programmets skärmar (som de ritas, via pilot) och från kommandoradens
--help för varje kommando och underkommando."""

from __future__ import annotations

import argparse
import re

import pytest

from tests.tui.conftest import settle

#: Ord som inte hör hemma i ett svenskt gränssnitt: felutskrifter, Pythons värden, engelska verb.
ENGELSKA = ("Traceback", "Error", "quit", "not a directory", "None", "True", "False", "Exception",
            "Warning", "Cancel", "Save", "Press")

#: Tangenters Python-namn ("left_square_bracket") och Textuals namn på tangenter.
TANGENTNAMN = ("left_square_bracket", "right_square_bracket", "greater_than_sign", "less_than_sign",
               "question_mark", "full_stop", "number_sign", "exclamation_mark", "quotation_mark",
               "ctrl+", "shift+", "escape", "pagedown", "pageup")

_ORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGELSKA) + r")\b")


def problem_in(text: str) -> list[str]:
    found = [m.group(0) for m in _ORD.finditer(text)]
    found += [k for k in TANGENTNAMN if k in text]
    return found


def test_the_checker_finds_what_it_should():
    assert problem_in("Traceback (most recent call last)") == ["Traceback"]
    assert problem_in("värde: None") == ["None"]
    assert problem_in("Tryck left_square_bracket") == ["left_square_bracket"]
    assert problem_in("Tryck [ för förra perioden, Ctrl+O importerar") == []


def screen_text(app) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


# Vägar genom programmet: tangenter från start, och vad som då ska synas (så att testet vet att
# det ser rätt skärm).
VAGAR = {
    "översikt": ((), "Öppna beslut"),
    "översikt-hjälp": (("f1",), "Escape eller F1 stänger"),
    "beslut": (("2",), "Beslut"),
    "beslut-hjälp": (("2", "f1"), "Escape eller F1 stänger"),
    "beslut-nytt": (("2", "n", "ctrl+s"), "Spara"),
    "matchning": (("3", "m"), "förslag"),
    "matchning-utan-detaljer": (("3", "m", "greater_than_sign", "d"), "Detaljer"),
    "matchning-rekrytering": (("3", "m", "greater_than_sign", "greater_than_sign"), "Rekrytering"),
    "matchning-hjälp": (("3", "f1"), "Escape eller F1 stänger"),
    "schema": (("4",), "Schema"),
    "schema-hjälp": (("4", "f1"), "Escape eller F1 stänger"),
    "rapporter": (("5",), "Rapporter"),
    "rapporter-hjälp": (("5", "f1"), "Escape eller F1 stänger"),
    "rapporter-export": (("5", "x"), "Katalog"),
    "resurser": (("6",), "Resurser"),
    "resurser-hjälp": (("6", "f1"), "Escape eller F1 stänger"),
    "importera": (("ctrl+o",), "Importera"),
    "kommandon": (("ctrl+p",), "Gå till"),
}


@pytest.mark.parametrize("vag", list(VAGAR))
async def test_no_english_on_the_screens(vag, demo_app):
    keys, expected = VAGAR[vag]
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        demo_app.clear_notifications()
        await pilot.pause()
        text = screen_text(demo_app)
        assert expected in text, f"{vag}: fel skärm?\n{text}"
        text += "\n" + getattr(demo_app.screen, "text", "")  # hjälpens hela text, också det som inte syns
        assert problem_in(text) == [], f"{vag}: {problem_in(text)}\n{text}"


async def test_no_english_on_the_empty_register(empty_app):
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(empty_app)
        assert "Registret är tomt" in text
        assert problem_in(text) == []


def _all_parsers(parser: argparse.ArgumentParser, name: str = "bemanning"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _all_parsers(sub, f"{name} {sub_name}")


def test_no_english_in_any_help(monkeypatch):
    from bemanning.cli import build_parser

    monkeypatch.setenv("COLUMNS", "100")
    parsers = list(_all_parsers(build_parser()))
    assert len(parsers) > 10
    for name, parser in parsers:
        text = parser.format_help()
        assert problem_in(text) == [], f"{name} --help: {problem_in(text)}\n{text}"
        assert "usage:" not in text and "options:" not in text, f"{name} --help är på engelska"
