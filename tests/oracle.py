"""An independent coverage oracle: plain itertools, no code shared with the engine.

It decides validity row by row from the constraint dictionaries as written in a
knob file, and feasibility by brute force over the full product of values
(``None`` standing for "not applicable" on conditional knobs), so it is only
meant for small models (the product is capped).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from generator.model import Model

Value = str | None
Tuple = tuple[tuple[str, str], ...]

PRODUCT_CAP = 300_000


@dataclass
class Problem:
    """A model as plain data: values per knob, ``when`` per knob, constraint dicts."""

    values: dict[str, list[str]]
    when: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    constraints: list[dict[str, dict[str, list[str]]]] = field(default_factory=list)
    groups: list[tuple[list[str], int]] = field(default_factory=list)
    sets: list[tuple[str, ...]] | None = None
    """Explicit knob-sets to check instead of every t-set plus group sets."""


def from_model(model: Model) -> Problem:
    """Plain data from a Model (its dataclasses are shared data, not engine code)."""
    problem = Problem({p.name: list(p.values) for p in model.parameters})
    for p in model.parameters:
        if p.when:
            problem.when[p.name] = {k: list(v) for k, v in p.when}
    for c in model.constraints:
        side = {k: list(v) for k, v in c.condition}
        if c.kind == "forbid":
            problem.constraints.append({"forbid": side})
        else:
            problem.constraints.append({"if": side, "then": {k: list(v) for k, v in c.then}})
    problem.groups = [(list(g.knobs), g.strength) for g in model.groups]
    return problem


def _matches(side: Mapping[str, Sequence[str]], row: Mapping[str, Value]) -> bool:
    # A knob listed twice in YAML cannot happen in a dict; None matches nothing.
    return all(row[k] is not None and row[k] in vals for k, vals in side.items())


def row_errors(problem: Problem, row: Mapping[str, Value]) -> list[str]:
    """Why a full row is invalid (empty when valid)."""
    errors = []
    for knob, values in problem.values.items():
        if knob not in row:
            errors.append(f"{knob} missing")
            continue
        cond = problem.when.get(knob)
        applies = cond is None or _matches(cond, row)
        if applies and row[knob] is None:
            errors.append(f"{knob} applies but is empty")
        if not applies and row[knob] is not None:
            errors.append(f"{knob} does not apply but is {row[knob]}")
        if row[knob] is not None and row[knob] not in values:
            errors.append(f"{knob} has unknown value {row[knob]}")
    for c in problem.constraints:
        if "forbid" in c and _matches(c["forbid"], row):
            errors.append(f"violates forbid {c['forbid']}")
        if "if" in c and _matches(c["if"], row):
            for knob, vals in c["then"].items():
                if row[knob] is None or row[knob] not in vals:
                    errors.append(f"violates if {c['if']} then {c['then']}")
                    break
    return errors


def _knobs_of(c: Mapping[str, Mapping[str, Sequence[str]]]) -> list[str]:
    return [k for side in c.values() for k in side]


def components(problem: Problem) -> list[list[str]]:
    """Groups of knobs linked by constraints or conditions (declaration order)."""
    names = list(problem.values)
    group = {n: {n} for n in names}
    links = [_knobs_of(c) for c in problem.constraints]
    links += [[knob, *cond] for knob, cond in problem.when.items()]
    for link in links:
        merged = set().union(*(group[k] for k in link))
        for k in merged:
            group[k] = merged
    seen: list[list[str]] = []
    for n in names:
        members = [m for m in names if m in group[n]]
        if members not in seen:
            seen.append(members)
    return seen


def _sub(problem: Problem, knobs: list[str]) -> Problem:
    return Problem(
        {k: problem.values[k] for k in knobs},
        {k: v for k, v in problem.when.items() if k in knobs},
        [c for c in problem.constraints if _knobs_of(c)[0] in knobs],
    )


def valid_rows(problem: Problem) -> list[dict[str, Value]]:
    """Every valid full row, by brute force."""
    names = list(problem.values)
    choices: list[list[Value]] = []
    size = 1
    for n in names:
        opts: list[Value] = list(problem.values[n])
        if n in problem.when:
            opts.append(None)
        choices.append(opts)
        size *= len(opts)
    if size > PRODUCT_CAP:
        raise ValueError(f"model too large for the brute-force oracle ({size} rows)")
    out = []
    for combo in itertools.product(*choices):
        row = dict(zip(names, combo, strict=True))
        if not row_errors(problem, row):
            out.append(row)
    return out


def target_sets(problem: Problem, strength: int) -> list[tuple[str, ...]]:
    names = list(problem.values)
    if problem.sets is not None:
        return list(problem.sets)
    sets = set(itertools.combinations(names, strength))
    for knobs, t in problem.groups:
        ordered = [n for n in names if n in knobs]
        sets.update(itertools.combinations(ordered, t))
    return sorted(sets, key=lambda s: [names.index(n) for n in s])


def _project(rows: Iterable[Mapping[str, Value]], sets: list[tuple[str, ...]]) -> set[Tuple]:
    seen: set[Tuple] = set()
    for row in rows:
        for s in sets:
            if all(row[n] is not None for n in s):
                seen.add(tuple((n, str(row[n])) for n in s))
    return seen


def feasible_tuples(problem: Problem, strength: int) -> set[Tuple]:
    """Every tuple (over applicable values) that some valid row contains.

    Brute force per component of linked knobs: a tuple is feasible exactly when
    each component's part of it occurs in one of that component's valid rows.
    """
    comps = components(problem)
    comp_of = {k: i for i, comp in enumerate(comps) for k in comp}
    valid = [valid_rows(_sub(problem, comp)) for comp in comps]
    parts: dict[tuple[int, tuple[str, ...]], set[tuple[Value, ...]]] = {}
    out: set[Tuple] = set()
    for s in target_sets(problem, strength):
        by_comp: dict[int, list[str]] = {}
        for k in s:
            by_comp.setdefault(comp_of[k], []).append(k)
        options = []
        for ci, knobs in by_comp.items():
            key = (ci, tuple(knobs))
            if key not in parts:
                parts[key] = {
                    tuple(r[k] for k in knobs)
                    for r in valid[ci]
                    if all(r[k] is not None for k in knobs)
                }
            options.append([dict(zip(knobs, combo, strict=True)) for combo in parts[key]])
        for pick in itertools.product(*options):
            merged: dict[str, Value] = {}
            for part in pick:
                merged.update(part)
            out.add(tuple((k, str(merged[k])) for k in s))
    return out


def check(
    problem: Problem, rows: Sequence[Mapping[str, Value]], strength: int
) -> tuple[list[Tuple], list[tuple[int, list[str]]]]:
    """(feasible tuples no row covers, sorted; [(row index, errors)] of invalid rows)."""
    invalid = [(i, e) for i, row in enumerate(rows) if (e := row_errors(problem, row))]
    covered = _project(rows, target_sets(problem, strength))
    missing = sorted(feasible_tuples(problem, strength) - covered)
    return missing, invalid


def covers_uniform(arr: np.ndarray, v: int, t: int) -> bool:
    """Every t columns of ``arr`` (values 0..v-1) show all v^t tuples: brute force."""
    cols = arr.T.tolist()
    return all(
        len(set(zip(*(cols[c] for c in combo), strict=True))) == v**t
        for combo in itertools.combinations(range(arr.shape[1]), t)
    )


def random_cover(rng: np.random.Generator, v: int, k: int) -> np.ndarray:
    """A CA(2, k, v) made of random rows, added until every pair is covered: a factor
    with no structure for the product properties."""
    arr = rng.integers(0, v, size=(v * v, k)).astype(np.int16)
    while not covers_uniform(arr, v, 2):
        arr = np.concatenate([arr, rng.integers(0, v, size=(v, k)).astype(np.int16)])
    return arr


def every_partitioned_column(
    pa: np.ndarray, k1: int, pb: np.ndarray, l1: int, v: int
) -> np.ndarray:
    """The product of two PCAs (top v rows apart on their first k1 / l1 columns) on every
    column (i, j) with i < k1 or j < l1, written cell by cell from the definition and
    nothing dropped: the reference ``_pca.partitioned_product`` is checked against."""
    cols = [(i, j) for i in range(pa.shape[1]) for j in range(pb.shape[1]) if i < k1 or j < l1]
    top = [
        [r if i < k1 and j < l1 else (pa[r, i] if i >= k1 else pb[r, j]) for i, j in cols]
        for r in range(v)
    ]
    rest = [[pa[r, i] for i, _ in cols] for r in range(v, pa.shape[0])]
    rest += [[pb[s, j] for _, j in cols] for s in range(v, pb.shape[0])]
    return np.array(top + rest, dtype=np.int16)


def is_quasi_difference_matrix(matrix: np.ndarray, moduli: tuple[int, ...], u: int) -> bool:
    """A (g, k; 1, 1; u) quasi-difference matrix over Z_m1 x Z_m2 x ... (element indices in
    mixed radix, last digit fastest; -1 for a blank), checked with tuple arithmetic: every
    row has u blanks, every column at most one, and every two rows differ by each group
    element exactly once over the columns where neither is blank."""
    blank = -1
    elements = list(itertools.product(*(range(m) for m in moduli)))
    k, width = matrix.shape
    if width != len(elements) + 2 * u:
        return False
    if any(int((matrix[i] == blank).sum()) != u for i in range(k)):
        return False
    if any(int((matrix[:, c] == blank).sum()) > 1 for c in range(width)):
        return False
    for i, j in itertools.combinations(range(k), 2):
        differences = sorted(
            tuple((a - b) % m for a, b, m in zip(elements[x], elements[y], moduli, strict=True))
            for x, y in zip(matrix[i], matrix[j], strict=True)
            if blank not in (x, y)
        )
        if differences != sorted(elements):
            return False
    return True
