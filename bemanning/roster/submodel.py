"""Small sub-models for the neighbourhood search on large models.

The plain way to solve a neighbourhood is to clone the whole model and fix every pass outside it
(`NeighbourhoodSearch._sub_model`). On a large model (the demo område over 6 weeks: 27 000
variables and 46 000 constraints; Curtois 13: 55 000 and 51 000) CP-SAT then spends 0,4–0,7 s of
a 1 s neighbourhood in presolve just to find out that most of the model is fixed, however small
the neighbourhood.

`SubModels` builds the sub-model from the constraints that can change instead:

- the free variables are the neighbourhood's passes and the auxiliary variables (not passes)
  reached from them through at most `depth` constraints (the person's working days, weekends,
  hours, the coverage of those days); every other variable is fixed to the current roster;
- a constraint whose variables are all fixed is left out: the current roster keeps it, so it
  holds in every solution of the sub-model too.

Fixing more variables than the plain way only narrows the neighbourhood, so every solution of
the sub-model is a solution of the whole model (the search keeps only rosters at least as good,
and the checker checks the result). The constraint–variable incidence is read once; a skeleton
with every variable fixed to the current roster is kept up to date by the variables that changed.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


class SubModels:
    def __init__(self, model, pass_indices: list[int], depth: int = 2) -> None:  # noqa: ANN001
        from ortools.sat.python import cp_model

        proto = model.proto
        self.proto = proto
        self.depth = depth
        self.n_vars = len(proto.variables)
        rows: list[int] = []
        cols: list[int] = []
        for i, c in enumerate(proto.constraints):
            lits = list(c.enforcement_literal)
            if c.has_linear():
                lits += c.linear.vars
            elif c.has_bool_or():
                lits += c.bool_or.literals
            elif c.has_bool_and():
                lits += c.bool_and.literals
            elif c.has_at_most_one():
                lits += c.at_most_one.literals
            elif c.has_exactly_one():
                lits += c.exactly_one.literals
            else:
                raise ValueError(f"delmodellen känner inte villkoret {i}")
            rows.extend([i] * len(lits))
            cols.extend(v if v >= 0 else -v - 1 for v in lits)
        shape = (len(proto.constraints), self.n_vars)
        ones = np.ones(len(rows), dtype=np.int32)
        self.a = sp.csr_matrix((ones, (rows, cols)), shape=shape)
        self.at = self.a.T.tocsr()
        self.is_pass = np.zeros(self.n_vars, dtype=bool)
        self.is_pass[pass_indices] = True
        self.domains = [list(v.domain) for v in proto.variables]
        self.skeleton = cp_model.CpModel()
        for v in proto.variables:
            self.skeleton.proto.variables.add().copy_from(v)
        self.skeleton.proto.objective.copy_from(proto.objective)
        self.fixed_to: np.ndarray | None = None
        for v in list(proto.objective.vars):
            if v < 0:
                raise ValueError("delmodellen känner inte en negerad variabel i målet")

    def _fix(self, values: list[int]) -> None:
        """The skeleton's variables fixed to `values` (only those that changed are touched)."""
        new = np.asarray(values, dtype=np.int64)
        variables = self.skeleton.proto.variables
        changed = range(self.n_vars) if self.fixed_to is None else np.flatnonzero(
            new != self.fixed_to).tolist()
        for i in changed:
            dom = variables[i].domain
            dom.clear()
            dom.extend([values[i], values[i]])
        self.fixed_to = new

    def free_variables(self, free_passes: list[int]) -> np.ndarray:
        """The free passes and the auxiliary variables within `depth` constraints of them."""
        free = np.zeros(self.n_vars, dtype=bool)
        free[free_passes] = True
        for _ in range(self.depth):
            touched = (self.a @ free.astype(np.int32)) > 0
            reached = (self.at @ touched.astype(np.int32)) > 0
            free |= reached & ~self.is_pass
        return free

    def build(self, free_passes: list[int], values: list[int], cost: int):
        """The sub-model: free variables as in the whole model, the others fixed to `values`,
        only the constraints on a free variable, `values` as hint and `cost` as upper limit (of the
        objective's terms: CP-SAT's objective domain leaves out the constant offset)."""
        self._fix(values)
        free = self.free_variables(free_passes)
        kept = np.flatnonzero((self.a @ free.astype(np.int32)) > 0).tolist()
        sub = self.skeleton.clone()
        proto = sub.proto
        variables = proto.variables
        for i in np.flatnonzero(free).tolist():
            dom = variables[i].domain
            dom.clear()
            dom.extend(self.domains[i])
        constraints = self.proto.constraints
        add = proto.constraints.add
        for i in kept:
            add().copy_from(constraints[i])
        proto.solution_hint.vars.extend(range(len(values)))
        proto.solution_hint.values.extend(values)
        proto.objective.domain.extend([-(1 << 60), cost])
        return sub
