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
        self._rows: list[tuple] | None = None  # the constraints read into Python once (`compact`)
        self._sums: sp.csr_matrix | None = None  # the sums' coefficients (`compact`)
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

    def compact(self, free_passes: list[int], values: list[int], cost: int) -> Compact:
        """The same sub-model as `build`, but of only the free variables: every fixed variable
        is put in as its value (a constraint it settles is left out, a sum moves its share into
        the bounds, the objective into its offset), so that CP-SAT neither reads nor presolves
        the thousands of fixed ones. `Compact.expand` gives back the whole model's solution."""
        if self._rows is None:
            self._rows, self._sums = _read_constraints(self.proto, self.n_vars)
        free = self.free_variables(free_passes)
        kept = np.flatnonzero((self.a @ free.astype(np.int32)) > 0)
        index = np.flatnonzero(free)
        new = np.full(self.n_vars, -1, dtype=np.int64)
        new[index] = np.arange(len(index))
        pos = new.tolist()
        out = _CompactBuilder(pos, values)
        # the sums: the fixed variables' share of each, and the free variables' part (columns
        # in the sub-model's numbering), from the sparse matrix of coefficients at once
        sums = self._sums
        shares = (sums @ np.where(free, 0, np.asarray(values, dtype=np.int64))).tolist()
        is_sum = np.diff(sums.indptr) > 0
        kept_sums = kept[is_sum[kept]]
        part = sums[kept_sums][:, index].tocsr()
        rows = self._rows
        for i in kept[~is_sum[kept]].tolist():
            out.add(rows[i])
        ptr, cols, data = part.indptr.tolist(), part.indices.tolist(), part.data.tolist()
        for k, i in enumerate(kept_sums.tolist()):
            a, b = ptr[k], ptr[k + 1]
            out.linear(rows[i], shares[i], cols[a:b], data[a:b])
        model = out.model(index.tolist(), self.domains, values)
        proto = model.proto
        objective = self.proto.objective
        fixed = 0
        ovars, ocoefs = [], []
        for v, c in zip(objective.vars, objective.coeffs, strict=True):
            if pos[v] >= 0:
                ovars.append(pos[v])
                ocoefs.append(c)
            else:
                fixed += c * values[v]
        proto.objective.vars.extend(ovars)
        proto.objective.coeffs.extend(ocoefs)
        proto.objective.offset = objective.offset + fixed
        proto.objective.scaling_factor = objective.scaling_factor
        proto.objective.domain.extend([-(1 << 60), cost - fixed])
        return Compact(model, index, values)

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


class Compact:
    """A sub-model of only the free variables (`SubModels.compact`)."""

    def __init__(self, model, index: np.ndarray, values: list[int]) -> None:  # noqa: ANN001
        self.model = model
        self.index = index  # whole-model index of each variable of the sub-model
        self.values = values

    def expand(self, solution) -> list[int]:  # noqa: ANN001
        """The whole model's solution: `values` with the free variables as in `solution`."""
        full = np.asarray(self.values, dtype=np.int64)
        full[self.index] = np.asarray(solution, dtype=np.int64)
        return full.tolist()


LINEAR, BOOL_OR, BOOL_AND, AT_MOST_ONE, EXACTLY_ONE = range(5)
HUGE = 1 << 62  # a bound beyond this is left as it is (no shift: CP-SAT's infinities)


def _read_constraints(proto, n_vars: int) -> tuple[list[tuple], sp.csr_matrix]:  # noqa: ANN001
    """(kind, enforcement, literals, domain) per constraint, and the sums' coefficients as a
    sparse matrix (a row per constraint, empty for those that are not sums)."""
    rows = []
    r, c, v = [], [], []
    for i, con in enumerate(proto.constraints):
        enforcement = tuple(con.enforcement_literal)
        if con.has_linear():
            lin = con.linear
            if any(x < 0 for x in lin.vars):
                raise ValueError("delmodellen känner inte en negerad variabel i en summa")
            if not len(lin.vars):
                raise ValueError("delmodellen känner inte en tom summa")
            rows.append((LINEAR, enforcement, (), tuple(lin.domain)))
            r.extend([i] * len(lin.vars))
            c.extend(lin.vars)
            v.extend(lin.coeffs)
        elif con.has_bool_or():
            rows.append((BOOL_OR, enforcement, tuple(con.bool_or.literals), ()))
        elif con.has_bool_and():
            rows.append((BOOL_AND, enforcement, tuple(con.bool_and.literals), ()))
        elif con.has_at_most_one():
            rows.append((AT_MOST_ONE, enforcement, tuple(con.at_most_one.literals), ()))
        elif con.has_exactly_one():
            rows.append((EXACTLY_ONE, enforcement, tuple(con.exactly_one.literals), ()))
        else:
            raise ValueError("delmodellen känner inte ett villkor")
    sums = sp.csr_matrix((np.asarray(v, dtype=np.int64), (r, c)),
                         shape=(len(rows), n_vars))
    sums.sum_duplicates()
    if (sums.data == 0).any():
        raise ValueError("delmodellen känner inte en summa där en variabel tar ut sig själv")
    return rows, sums


class _CompactBuilder:
    """Puts the fixed variables' values into constraints over the free ones (`pos[v]` is the
    sub-model's index of variable v, -1 when it is fixed to `values[v]`)."""

    def __init__(self, pos: list[int], values: list[int]) -> None:
        from ortools.sat.python import cp_model

        self.pos = pos
        self.values = values
        self._model = cp_model.CpModel()
        self.constraints = self._model.proto.constraints

    def _lit(self, lit: int) -> int | bool:
        """The sub-model's literal, or the fixed literal's truth."""
        v = lit if lit >= 0 else -lit - 1
        p = self.pos[v]
        if p < 0:
            value = self.values[v]
            return bool(value) if lit >= 0 else not value
        return p if lit >= 0 else -p - 1

    def _enforcement(self, enforcement: tuple) -> list[int] | None:
        """The free enforcement literals; None when a fixed one is false (the constraint is
        not enforced in any solution of the sub-model)."""
        free = []
        for lit in enforcement:
            m = self._lit(lit)
            if m is False:
                return None
            if m is not True:
                free.append(m)
        return free

    def _not_all(self, enforcement: list[int]) -> None:
        """The constraint cannot hold: not every enforcement literal may be true."""
        if not enforcement:
            raise ValueError("det nuvarande schemat bryter mot ett villkor i delmodellen")
        self.constraints.add().bool_or.literals.extend([-e - 1 for e in enforcement])

    def _put(self, kind: int, enforcement: list[int], lits: list[int]) -> None:
        c = self.constraints.add()
        c.enforcement_literal.extend(enforcement)
        getattr(c, ("linear", "bool_or", "bool_and", "at_most_one", "exactly_one")[kind]) \
            .literals.extend(lits)

    def add(self, row: tuple) -> None:
        """A constraint on literals (not a sum)."""
        kind, enforcement, refs, _domain = row
        enf = self._enforcement(enforcement)
        if enf is None:
            return
        lits = []
        trues = 0
        for lit in refs:
            m = self._lit(lit)
            if m is True:
                trues += 1
            elif m is not False:
                lits.append(m)
        if kind == BOOL_OR:
            if trues:
                return
            if not lits:
                self._not_all(enf)
            else:
                self._put(BOOL_OR, enf, lits)
        elif kind == BOOL_AND:
            if len(lits) + trues < len(refs):  # a fixed literal is false
                self._not_all(enf)
            elif lits:
                self._put(BOOL_AND, enf, lits)
        else:  # at most one / exactly one
            if trues > 1:
                self._not_all(enf)
            elif trues == 1:
                if lits:  # the others must all be false
                    self._put(BOOL_AND, enf, [-m - 1 for m in lits])
            elif kind == EXACTLY_ONE:
                if not lits:
                    self._not_all(enf)
                else:
                    self._put(EXACTLY_ONE, enf, lits)
            elif len(lits) > 1:
                self._put(AT_MOST_ONE, enf, lits)

    def linear(self, row: tuple, share: int, vars_: list[int], coefs: list[int]) -> None:
        """A sum: `share` is the fixed variables' part, `vars_` and `coefs` the free ones'."""
        _kind, enforcement, _refs, domain = row
        enf = self._enforcement(enforcement)
        if enf is None:
            return
        bounds = [b if abs(b) >= HUGE else b - share for b in domain]
        if not vars_:
            if not any(bounds[k] <= 0 <= bounds[k + 1] for k in range(0, len(bounds), 2)):
                self._not_all(enf)
            return
        c = self.constraints.add()
        c.enforcement_literal.extend(enf)
        c.linear.vars.extend(vars_)
        c.linear.coeffs.extend(coefs)
        c.linear.domain.extend(bounds)

    def model(self, index: list[int], domains: list[list[int]], values: list[int]):
        """The sub-model's variables (their domains in the whole model) and hint."""
        proto = self._model.proto
        for v in index:
            proto.variables.add().domain.extend(domains[v])
        proto.solution_hint.vars.extend(range(len(index)))
        proto.solution_hint.values.extend([values[v] for v in index])
        return self._model
