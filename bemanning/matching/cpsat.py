"""Det lilla av CP-SAT som matchningen använder, direkt på OR-Tools kompilerade hjälpmodul.

`ortools.sat.python.cp_model` är ett tunt Python-lager ovanpå `cp_model_helper` (modellen, variablerna,
uttrycken, lösaren och svaret finns där), men läser in pandas för sina tabellfunktioner: 0,2 av de
0,35 s det tar att läsa in modulen, i varje `matcha`, fast matchningen aldrig använder pandas. Här
görs samma anrop på hjälpmodulen som `cp_model.CpModel` och `cp_model.CpSolver` gör för de metoder
lösaren behöver, så modellen blir densamma (provet jämför modellerna) och svaret detsamma.
Schemaläggningen använder `cp_model` som förut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python import sorted_interval_list

LinearExpr = cmh.LinearExpr
OPTIMAL = cmh.CpSolverStatus.OPTIMAL
FEASIBLE = cmh.CpSolverStatus.FEASIBLE


class CpModel(cmh.CpBaseModel):
    """Som `cp_model.CpModel` för booleska variabler, linjära villkor, högst-ett, mål och ledtrådar."""

    def __init__(self) -> None:
        cmh.CpBaseModel.__init__(self, None)

    def new_bool_var(self, name: str) -> Any:
        return cmh.IntVar(self.model_proto).with_name(name).with_domain(sorted_interval_list.Domain(0, 1))

    def add(self, ct: Any) -> Any:
        if not isinstance(ct, cmh.BoundedLinearExpression):
            raise TypeError(f"not supported: CpModel.add({type(ct).__name__!r})")
        return self._add_bounded_linear_expression(ct)

    def add_at_most_one(self, *literals: Any) -> Any:
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.at_most_one, *literals)

    def maximize(self, obj: Any) -> None:
        """Som `cp_model.CpModel.maximize` för ett linjärt uttryck med heltal."""
        proto = self.model_proto
        proto.clear_objective()
        proto.clear_floating_point_objective()
        if not isinstance(obj, cmh.LinearExpr) or not obj.is_integer():
            raise TypeError(f"TypeError: {type(obj).__name__!r} is not a valid objective")
        int_obj = cmh.FlatIntExpr(obj)
        for var in int_obj.vars:
            proto.objective.vars.append(var.index)
        proto.objective.scaling_factor = -1.0
        proto.objective.offset = -int_obj.offset
        for c in int_obj.coeffs:
            proto.objective.coeffs.append(-c)

    def add_hint(self, var: Any, value: bool) -> None:
        hint = self.model_proto.solution_hint
        if var.index >= 0:
            hint.vars.append(var.index)
            hint.values.append(int(value))
        else:
            hint.vars.append(-var.index - 1)
            hint.values.append(int(not value))

    def clear_hints(self) -> None:
        self.model_proto.clear_solution_hint()


class SolutionCallback(cmh.SolutionCallback):
    """Som `cp_model.CpSolverSolutionCallback`: `on_solution_callback` vid varje svar."""

    def __init__(self, on_solution: Callable[[SolutionCallback], None]) -> None:
        cmh.SolutionCallback.__init__(self)
        self._on_solution = on_solution

    def OnSolutionCallback(self) -> None:  # noqa: N802 (OR-Tools namn)
        self._on_solution(self)

    def stop_search(self) -> None:
        self.StopSearch()


class CpSolver:
    """Som `cp_model.CpSolver`: parametrar, `solve` och svarets värden."""

    def __init__(self) -> None:
        self.parameters = cmh.SatParameters()
        self._response: Any = None

    def solve(self, model: CpModel, callback: SolutionCallback | None = None) -> Any:
        wrapper = cmh.SolveWrapper()
        wrapper.set_parameters(self.parameters)
        if callback is not None:
            wrapper.add_solution_callback(callback)
        self._response = wrapper.solve(model.model_proto)
        if callback is not None:
            wrapper.clear_solution_callback(callback)
        return self._response.status

    def boolean_values(self, variables: Iterable[Any]) -> list[bool]:
        response = self._response
        return [bool(cmh.ResponseHelper.boolean_value(response, v)) for v in variables]

    def status_name(self, status: Any) -> str:
        return status.name

    @property
    def objective_value(self) -> float:
        return self._response.objective_value

    @property
    def best_objective_bound(self) -> float:
        return self._response.best_objective_bound

    @property
    def wall_time(self) -> float:
        return self._response.wall_time
