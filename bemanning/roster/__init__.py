"""Schemaläggning enligt heltid som norm (issue 5).

The engine, importable without the UI (OR-Tools is imported inside the functions):

- `problem.RosterProblem` — pass types, bemanningsbehov, staff, absence, önskemål, rules;
  `indata.build_problem(...)` builds one for a samplaneringsområde from the register's
  `Personal`/`Enhet` and a directory like `data/demo/schema/`.
- `solver.solve(problem, Installningar(time_limit_s, workers, seed), progress=fn, cancel=event)`
  → `Resultat` (status, schema, objektiv, grans, kostnader). `progress` gets `Framsteg`
  (sekunder, basta, grans, losningar, fas), never while a lock of the search is held;
  `cancel` is a `threading.Event` or a callable.
  The steps: `model.build` (one rule module per rule in `rules/`), `construct.construct` (a
  first roster person by person), CP-SAT on the whole model, `neighbourhood.
  NeighbourhoodSearch` (one method per kind of neighbourhood); `cpsat` holds what they share
  (the settings, a solver made from them, the cancel watch, progress).
- `checker.check(problem, schema)` → list of `Brott` (regel, person, dag, Swedish text).
- `figures.compute(problem, schema)` → `Nyckeltal`; `resurspass.classify(...)`.
- `export.write_csv/write_xlsx`, `replanning.replan(...)`, `infeasibility.explain(problem)`.
- `curtois.parse/to_problem/objective` — the Curtois & Qu benchmark through the same engine.
"""
