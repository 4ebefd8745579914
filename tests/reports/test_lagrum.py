"""Lagen efter datum: rapportens datum väljer rapporttexternas lagrum, beslutets datum insatsens."""

from __future__ import annotations

from datetime import date

import pytest

from bemanning.model import default_katalog
from bemanning.model.lagrum import lagrum_per, sidfot
from bemanning.paths import data_dir
from bemanning.reports import manadsrapport
from bemanning.reports.ej_verkstallda import statistikrapport
from bemanning.reports.format import markdown
from bemanning.reports.installningar import load_installningar

from .conftest import lage

NY = "34 kap. 1–3 §§ socialtjänstlagen (2025:400) och 28 f–28 h §§"
GAMMAL = "16 kap. 6 f–6 h §§ socialtjänstlagen (2001:453) och 28 f–28 h §§"


def _report_text(day: date) -> str:
    lagen = [lage("L1", "LSS – kontaktperson", "2024-01-10", day.isoformat())]
    rapport = statistikrapport(lagen, day)
    return markdown(manadsrapport.dokument(rapport, load_installningar()))


def test_report_dated_2025_06_30_cites_the_old_law_and_2025_07_01_the_new():
    old = _report_text(date(2025, 6, 30))
    new = _report_text(date(2025, 7, 1))
    assert GAMMAL in old and "2025:400" not in old
    assert NY in new and "2001:453" not in new
    assert "*Lagrum: 16 kap. 6 f–6 h §§ SoL (2001:453), 28 f–28 h §§ LSS, gäller från 2008-07-01.*" in old
    assert "*Lagrum: 34 kap. 1–3 §§ SoL (2025:400), 28 f–28 h §§ LSS, gäller från 2025-07-01.*" in new


def test_every_sol_insats_gets_its_lagrum_by_the_beslut_date():
    katalog = default_katalog()
    sol = [i for i in katalog.insatser if i.lag == "SoL"]
    assert len(sol) >= 9
    for insats in sol:
        assert insats.lagrum_per(date(2025, 6, 30)) == "4 kap. 1 § socialtjänstlagen (2001:453)", insats.namn
        assert insats.lagrum_per(date(2025, 7, 1)) == "11 kap. 1 § socialtjänstlagen (2025:400)", insats.namn
    assert katalog.get("LSS – kontaktperson").lagrum_per(date(2026, 1, 1)) == "9 § 4 LSS"


def test_fee_range_is_chosen_by_the_beslut_date():
    assert lagrum_per("avgiftsram", date(2025, 12, 31)).ram == "10 000–1 000 000 kr"
    assert lagrum_per("avgiftsram", date(2026, 1, 1)).ram == "15 000–1 500 000 kr"
    assert lagrum_per("undantag", date(2025, 6, 30)) is None
    assert lagrum_per("undantag", date(2025, 7, 1)).kort == "34 kap. 6 § SoL (2025:400)"


def test_footer_names_paragraph_and_date():
    assert sidfot(("statistik",), date(2026, 3, 31)) == (
        "Lagrum: 34 kap. 3 § SoL (2025:400), 28 h § LSS, gäller från 2025-07-01."
    )


@pytest.mark.parametrize("path", sorted((data_dir() / "mallar").glob("*.md")) + [data_dir() / "rapport.toml"])
def test_templates_use_the_words_of_the_law(path):
    text = path.read_text(encoding="utf-8")
    assert "typ av bistånd" not in text
    assert "kommunen rapportera" not in text.lower()
    assert "beslut om bistånd" not in text
