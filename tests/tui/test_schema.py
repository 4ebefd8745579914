"""Schema: när inga scheman kan hålla de hårda reglerna förklarar en feldialog krocken."""

from __future__ import annotations

import shutil

from textual.widgets import DataTable

from bemanning.services import schema as schematjanst
from bemanning.services.schema import demo_dir
from tests.tui.conftest import build_norr_one_week, settle
from tui.screens.dialogs import ErrorDialog
from tui.screens.schema import SchemaScreen


async def test_impossible_roster_explains_the_conflict_in_an_error_dialog(demo_app):
    from bemanning.roster.problem import Franvaro

    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SchemaScreen)
        # Alla frånvarande den första dagen: nattens minsta bemanning går inte att hålla.
        staff = app.register.personal(app.today)
        screen.extra_franvaro = [Franvaro(p.personal_id, 0, "sjuk") for p in staff]
        await pilot.press("tab", "tab", "1", "tab", "5", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog), screen.query_one("#schema-info").render()
        assert "Inget schema kan hålla alla hårda regler" in dialog.message
        assert any(line.startswith("- Minsta bemanning") for line in dialog.details)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.korning is None
        assert "Inget schema" in str(screen.query_one("#schema-info").render())
        assert screen.query_one("#schema-tabell", DataTable).row_count == 0


async def test_kontaktperson_uppdrag_accepted_in_matching_is_placed_in_the_roster(demo_app):
    """P0002 accepterar ett kontaktpersonsuppdrag i matchningen (8 h/mån); schemat för nästa
    vecka lägger in timmarna hos henne och visar dem bland resurspassen."""
    from bemanning.matching import workflow
    from bemanning.roster.resurspass import KONTAKTPERSON
    from tests.tui.conftest import TODAY

    app = demo_app
    workflow.godkann(app.register, "DEMO-0032", "P0002", TODAY)
    workflow.erbjud(app.register, "DEMO-0032", "P0002", TODAY, "accepterat")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await build_norr_one_week(app, pilot)
        korning = screen.korning
        person = korning.problem.person("P0002")
        assert person.kontaktperson_minuter == round(8 * 12 / 52 * 60)  # 1,85 h i veckan
        kp = [r for r in korning.nyckeltal.resurspass if r.anvandning == KONTAKTPERSON]
        assert "P0002" in {r.person_id for r in kp}
        table = screen.query_one("#resurs-tabell", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert any(row[0] == person.label and row[3] == KONTAKTPERSON
                   and "accepterat i matchningen" in row[5] for row in rows)
        assert "Kontaktpersonsuppdrag i ordinarie schema" in str(
            screen.query_one("#nyckeltal-text").render())


async def test_angle_keys_switch_tabs_wherever_the_focus_is(demo_app):
    from textual.widgets import TabbedContent

    from tui.screens.matchning import MatchningScreen

    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.active == "flik-forlopp"
        await pilot.press("greater_than_sign")
        assert tabs.active == "flik-schema"
        await pilot.press("less_than_sign", "less_than_sign")
        assert tabs.active == "flik-nyckeltal"  # runt från första till sista
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, MatchningScreen)
        tabs = app.screen.query_one(TabbedContent)
        first = tabs.active
        await pilot.press("greater_than_sign")
        assert tabs.active != first


async def test_schema_screen_uses_the_rules_in_the_users_configuration(demo_app, tmp_path,
                                                                     monkeypatch):
    """`max_dagar_i_rad = 3` under [schema] i användarens bemanning.toml: skärmen bygger med
    den regeln (som `bemanning schema`), och ingen i schemat arbetar fler än tre dagar i rad."""
    config = tmp_path / "bemanning.toml"
    config.write_text("[schema]\nmax_dagar_i_rad = 3\n\n[schema.losare]\nslumpfro = 4\n",
                      encoding="utf-8")
    monkeypatch.setenv("BEMANNING_CONFIG", str(config))
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await build_norr_one_week(app, pilot)
        korning = screen.korning
        assert korning.problem.regler.max_dagar_i_rad == 3
        assert korning.brott == ()
        longest = 0
        for person, passes in korning.resultat.schema.by_person().items():
            days = sorted({t.dag for t in passes})
            run = 1
            for a, b in zip(days, days[1:], strict=False):
                run = run + 1 if b == a + 1 else 1
                longest = max(longest, run)
            assert run <= 3, person
        assert 0 < longest <= 3


async def test_the_roster_says_what_its_codes_mean(demo_app):
    """En ny schemaläggare ser under schemat vad D, K, N, + och F betyder, med passens tider."""
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await build_norr_one_week(app, pilot)
        legend = str(screen.query_one("#schema-teckenforklaring").render())
        problem = screen.korning.problem
        shown = {str(c).strip().rstrip("+") for i in range(screen.query_one("#schema-tabell", DataTable).row_count)
                 for c in screen.query_one("#schema-tabell", DataTable).get_row_at(i)[2:]} - {"·", "F"}
        assert shown, "schemat ska ha pass"
        for code in shown:
            assert f"{code} " in legend, (code, legend)
        night = next(t for t in problem.pass_typer if t.natt)
        assert f"natt {night.tider}" in legend or "natt," in legend
        assert "+ resurspass" in legend and "F frånvaro" in legend
        # punkten i schemat betyder ledig dag; den står inte också som skiljetecken
        assert "· ledig dag" in legend and legend.count("·") == 1, legend


async def test_the_screen_starts_from_the_same_period_and_time_as_the_command_line(demo_app, tmp_path,
                                                                                  monkeypatch):
    """Utan val bygger skärmen lika många veckor och lika länge som `bemanning schema` utan
    flaggor: period.toml i indatakatalogen och sekunder under [schema.losare]."""
    from tests.tui.conftest import TODAY

    indata = tmp_path / "indata"
    shutil.copytree(demo_dir(), indata)
    (indata / "period.toml").write_text('start = "2024-03-04"\nveckor = 8\n', encoding="utf-8")
    config = tmp_path / "bemanning.toml"
    config.write_text(f'[schema]\nindata = "{indata.as_posix()}"\n\n[schema.losare]\nsekunder = 12.5\n',
                      encoding="utf-8")
    monkeypatch.setenv("BEMANNING_CONFIG", str(config))
    assert schematjanst.screen_defaults(TODAY) == (8, 12.5)
    app = demo_app
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert app.screen.query_one("#schema-veckor").value == "8"
        assert app.screen.query_one("#schema-sekunder").value == "12,5"


def test_a_broken_configuration_still_opens_the_screen_with_six_weeks_and_a_minute(tmp_path, monkeypatch):
    config = tmp_path / "bemanning.toml"
    config.write_text("[schema\n", encoding="utf-8")
    monkeypatch.setenv("BEMANNING_CONFIG", str(config))
    assert schematjanst.screen_defaults() == (6, 60.0)
