"""Ett schema för ett samplaneringsområde: det `bemanning schema` och gränssnittets Schema-skärm
båda anropar.

Samma inställningar (`[schema]` i användarens bemanning.toml ovanpå standardvärdena), samma val
av indatakatalog (`--indata`, annars `indata` under `[schema]`, annars demodatans schemakatalog),
samma läsning av registret (personal, enheter och accepterade kontaktpersonsuppdrag som de stod
periodens första dag) och samma kedja: bygg → lös → förklara → kontrollera → nyckeltal.
Kommandoraden och skärmen tolkar bara sina argument och visar resultatet.

OR-Tools importeras först när något ska lösas, så att programmet startar snabbt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from bemanning.errors import UserError
from bemanning.roster.problem import Franvaro, Regler, RosterProblem, Schema

SECTION = "schema"


@attrs.frozen
class Val:
    """What the user chose; None means "as configured" (or the default)."""

    omrade: str | None = None
    start: date | None = None
    veckor: int | None = None
    indata: Path | None = None  # the folder with pass.csv, behov.csv …
    personal_fil: Path | None = None  # staff and units from CSV instead of the register
    enheter_fil: Path | None = None
    extra_franvaro: tuple[Franvaro, ...] = ()


@attrs.frozen
class Korning:
    """One roster run: the problem, the solver's result, the checker's breaches and the figures."""

    problem: RosterProblem
    resultat: Any  # bemanning.roster.solver.Resultat
    brott: tuple[Any, ...]  # bemanning.roster.checker.Brott
    nyckeltal: Any  # bemanning.roster.figures.Nyckeltal
    omplanering: Any = None  # bemanning.roster.replanning.Omplanering
    #: Varför täckningen ändrades vid en omplanering, i ord (tom annars).
    forklaring: tuple[str, ...] = ()


def load_settings() -> dict[str, Any]:
    """`[schema]`: the defaults in data/schema.toml with the user's own values on top."""
    from bemanning.config import load_section

    return load_section(SECTION)


def demo_dir() -> Path:
    from bemanning.paths import data_dir

    return data_dir() / "demo" / "schema"


def input_dir(indata: Path | str | None, settings: Mapping[str, Any]) -> Path:
    """The folder with pass.csv, behov.csv …: the one given, else `indata` under `[schema]`
    (relative to the configuration file's folder), else the demo data's."""
    if indata is not None:
        directory = Path(indata)
    elif settings.get("indata"):
        from bemanning.config import user_config_path

        directory = Path(str(settings["indata"])).expanduser()
        if not directory.is_absolute():
            directory = user_config_path().parent / directory
    else:
        directory = demo_dir()
    if not (directory / "pass.csv").exists():
        raise UserError(f"{directory} saknar pass.csv (passtyper per enhet). Ange katalogen med "
                        "--indata eller som indata under [schema] i bemanning.toml.")
    return directory


def period(schema_dir: Path, start: date | None, weeks: int | None,
           today: date | None = None) -> tuple[date, int]:
    """The period: what was chosen, else period.toml in the input folder, else six weeks from
    next Monday."""
    from bemanning.config import read_toml

    path = schema_dir / "period.toml"
    settings = read_toml(path) if path.exists() else {}
    if start is None and "start" in settings:
        from bemanning.model.errors import ValidationError
        from bemanning.model.values import parse_date

        try:
            start = parse_date("start", str(settings["start"]))
        except ValidationError as exc:
            raise UserError(f"{path}: start: {exc.message}") from None
    if start is None:
        today = today or date.today()
        start = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    if weeks is None:
        weeks = settings.get("veckor", 6)
        if isinstance(weeks, bool) or not isinstance(weeks, int):
            raise UserError(f"{path}: veckor ska vara ett helt antal veckor, till exempel veckor = 6 "
                            "(utan citattecken).")
    return start, weeks


def screen_defaults(today: date | None = None) -> tuple[int, float]:
    """The weeks and seconds the Schema screen starts from: the same as `bemanning schema`
    without flags (period.toml's `veckor` in the input folder, else 6; `sekunder` under
    `[schema.losare]`). A configuration that cannot be read gives 6 weeks and 60 s here; building
    then says what is wrong with it."""
    try:
        settings = load_settings()
        _, weeks = period(input_dir(None, settings), today or date.today(), None, today)
        seconds = solver_settings(settings).time_limit_s
    except UserError:
        return 6, 60.0
    return weeks, seconds


def solver_settings(settings: Mapping[str, Any], *, time_limit_s: float | None = None,
                    workers: int | None = None, seed: int | None = None):
    """The solver's settings from `[schema.losare]`, with what the user chose on top."""
    from bemanning.roster.cpsat import Installningar

    _check_solver_types(settings, Installningar)
    inst = Installningar.from_settings(settings)
    changes = {k: v for k, v in (("time_limit_s", time_limit_s), ("workers", workers),
                                 ("seed", seed)) if v is not None}
    if inst.grannskap is not None:
        changes["grannskap"] = _neighbourhood_kinds(inst.grannskap)
    return attrs.evolve(inst, **changes)


def _check_solver_types(settings: Mapping[str, Any], cls: type) -> None:
    """A number or ja/nej under `[schema.losare]` written as something else (`sekunder = "tio"`)
    is said in Swedish with the key and the file, not found later as an internal error."""
    from bemanning.config import user_config_path
    from bemanning.roster.cpsat import SETTING_KEYS

    table = settings.get("losare", {}) if hasattr(settings, "get") else {}
    if not isinstance(table, Mapping):
        raise UserError(f"{user_config_path()}: [schema.losare] ska vara en tabell, till exempel "
                        "[schema.losare] på en egen rad och sekunder = 60 under den.")
    defaults = {a.name: a.default for a in attrs.fields(cls)}
    for key, value in table.items():
        default = defaults.get(SETTING_KEYS.get(key, key))
        shown = f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise UserError(f"{user_config_path()}: {key} under [schema.losare] ska vara true eller false "
                                f"(utan citattecken), inte {shown}.")
        elif isinstance(default, int | float):
            if isinstance(value, bool) or not isinstance(value, int | float) or (
                    isinstance(default, int) and not isinstance(value, int)):
                example = f"{key} = {int(default) if float(default).is_integer() else default}"
                raise UserError(f"{user_config_path()}: {key} under [schema.losare] ska vara "
                                f"{'ett heltal' if isinstance(default, int) else 'ett tal'}, till exempel "
                                f"{example} (utan citattecken), inte {shown}.")


def _neighbourhood_kinds(value: Any) -> tuple[str, ...]:
    """`grannskap` under `[schema.losare]`: a list of the kinds of neighbourhood the search
    draws (one name alone is a list of one). An unknown name is a Swedish error, not ignored."""
    from bemanning.roster.neighbourhood import KINDS

    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not names or not all(isinstance(n, str) for n in names):
        raise UserError('grannskap under [schema.losare] ska vara en lista med namn, till exempel '
                        'grannskap = ["lucka", "helger"].')
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise UserError(f"grannskap under [schema.losare]: okänd sort {', '.join(unknown)}. "
                        f"Sorterna är {', '.join(KINDS)}.")
    return tuple(names)


def build(val: Val, register=None, settings: Mapping[str, Any] | None = None,  # noqa: ANN001 - Register
          today: date | None = None, user=None) -> RosterProblem:  # noqa: ANN001 - Anvandare
    """The roster problem for what was chosen, with the rules of `[schema]`.

    Staff and units come from the register as they stand on the period's first day, or today
    when the period has already begun (a roster is planned with the staff there are), or from
    the CSV files in `val`. The kontaktperson uppdrag accepted in the matching count as the
    register stood on the period's first day. With `user`, only an område of the user's own can
    be planned (`rights.require_omrade`); without a choice, the user's first."""
    from bemanning.roster.indata import build_problem, read_enheter_csv, read_personal_csv
    from bemanning.uppdrag import register_hours_per_week

    settings = load_settings() if settings is None else settings
    schema_dir = input_dir(val.indata, settings)
    today = today or date.today()
    start, weeks = period(schema_dir, val.start, val.veckor, today)
    if val.personal_fil or val.enheter_fil:
        if not (val.personal_fil and val.enheter_fil):
            raise UserError("Ange både --personal och --enheter, eller ingen av dem (registret).")
        personal = read_personal_csv(Path(val.personal_fil))
        enheter = read_enheter_csv(Path(val.enheter_fil))
        uppdrag = None
    else:
        if register is None:
            raise UserError("Inget register är öppet.")
        per = max(start, today)
        personal, enheter = register.personal(per), register.enheter(per)
        if not enheter:
            raise UserError("Registret har inga enheter. Importera enheter.csv och personal.csv "
                            "först, eller kör 'bemanning demo --bara-ladda'.")
        uppdrag = register_hours_per_week(register, start)
    if user is not None:
        from bemanning.services import rights

        allowed = rights.allowed_omraden(user, enheter)
        omrade = val.omrade or (allowed[0] if allowed else "")
        rights.require_omrade(user, omrade, enheter)
    else:
        omrade = val.omrade or sorted({e.omrade for e in enheter})[0]
    return build_problem(personal=personal, enheter=enheter, omrade=omrade, start=start,
                         weeks=weeks, schema_dir=schema_dir, uppdrag=uppdrag,
                         extra_franvaro=val.extra_franvaro,
                         regler=Regler.from_settings(settings))


def accepted_count(problem: RosterProblem) -> int:
    """Staff whose kontaktperson hours come from uppdrag accepted in the matching."""
    from bemanning.roster.indata import KALLA_REGISTER

    return sum(1 for p in problem.personal if p.kontaktperson_kalla == KALLA_REGISTER)


def run(problem: RosterProblem, inst, *, progress: Callable | None = None,  # noqa: ANN001
        cancel=None, explain_always: bool = False,  # noqa: ANN001
        on_explaining: Callable[[str], None] | None = None,
        more_time: str = "Ge lösaren mer tid") -> Korning:
    """Solve, check and count. Without a roster a UserError says why: which rules and inputs
    collide when no roster can keep the hard rules (or with `explain_always`), else that the
    solver found none in its time (`more_time` says how to give it more)."""
    from bemanning.roster.solver import INFEASIBLE, solve

    resultat = solve(problem, inst, progress=progress, cancel=cancel)
    if resultat.schema is None:
        if resultat.status == INFEASIBLE or explain_always:
            _explain(problem, inst, on_explaining)
        raise UserError(_no_roster(resultat), [
            f"{more_time}, välj en kortare period eller se över behov och frånvaro."])
    return finish(problem, resultat)


def finish(problem: RosterProblem, resultat, omplanering=None) -> Korning:  # noqa: ANN001
    """The independent checker's breaches and the figures of a solved roster."""
    from bemanning.roster import checker
    from bemanning.roster.figures import compute

    schema = resultat.schema
    return Korning(problem, resultat, tuple(checker.check(problem, schema)),
                   compute(problem, schema), omplanering)


def replan(problem: RosterProblem, current: Schema, franvaro: Sequence[Franvaro], *,
           fran_dag: int, inst, progress: Callable | None = None,  # noqa: ANN001
           cancel=None) -> Korning:  # noqa: ANN001
    """Re-plan after new absence: the absent person's passes open, as few others change as
    possible; then check and count."""
    from bemanning.roster.replanning import replan as replan_roster

    om = replan_roster(problem, current, franvaro, fran_dag=max(0, fran_dag), settings=inst,
                       progress=progress, cancel=cancel)
    if om.resultat.schema is None:
        raise UserError(f"Omplaneringen hittade inget schema som håller reglerna "
                        f"({om.resultat.status}).",
                        ["Ge lösaren mer tid eller bygg ett nytt schema."])
    korning = finish(om.problem, om.resultat, om)
    return attrs.evolve(korning, forklaring=coverage_change(problem, current, korning))


def coverage_change(problem: RosterProblem, current: Schema, korning: Korning) -> tuple[str, ...]:
    """Varför täckningen ändrades vid en omplanering: vad frånvaron öppnade, vad som fylldes och
    vilka pass som var obemannade förut men fick en person nu (lösaren sökte vidare)."""
    from bemanning.roster.figures import compute, fmt
    from bemanning.svenska import antal

    before = compute(problem, current)
    after = korning.nyckeltal
    om = korning.omplanering
    was = {(o.dag, o.pass_id): o.saknas for o in before.obemannade}
    now = {(o.dag, o.pass_id): o.saknas for o in after.obemannade}
    filled_old = sum(max(0, n - now.get(key, 0)) for key, n in was.items())
    direction = ("gick upp" if after.tackningsgrad > before.tackningsgrad
                 else "gick ned" if after.tackningsgrad < before.tackningsgrad else "blev densamma")
    lines = [f"Täckningen {direction}: {fmt(before.tackningsgrad)} % före frånvaron, "
             f"{fmt(after.tackningsgrad)} % efter omplaneringen."]
    lines.append(f"Frånvaron öppnade {antal(len(om.borttagna), 'pass', 'pass')}; "
                 f"{antal(len(om.fran_resurspass), 'lucka', 'luckor')} fylldes med resurspass och "
                 f"{antal(sum(o.saknas for o in om.timvikarie), 'pass', 'pass')} går till timvikarier.")
    if filled_old:
        lines.append(f"{antal(filled_old, 'pass', 'pass')} som var obemannade redan före frånvaron fick "
                     "en person nu, eftersom lösaren sökte vidare när den planerade om.")
    return tuple(lines)


def _no_roster(resultat) -> str:  # noqa: ANN001
    from bemanning.roster.figures import fmt
    from bemanning.roster.solver import CANCELLED, status_text

    # lösarens status i ord, inte dess interna namn (som "UNKNOWN")
    why = "avbrutet innan något schema hittades" if resultat.status == CANCELLED else status_text(resultat.status)
    return f"Lösaren hittade inget schema på {fmt(resultat.sekunder, 1)} s ({why})."


def _explain(problem: RosterProblem, inst, on_explaining) -> None:  # noqa: ANN001
    from bemanning.roster.infeasibility import explain

    if on_explaining is not None:
        on_explaining("Inget schema håller alla hårda regler. Letar efter krocken …")
    forklaring = explain(problem, time_limit_s=max(10.0, inst.time_limit_s / 2), workers=inst.workers)
    lines = forklaring.lines()
    raise UserError(lines[0], lines[1:])
