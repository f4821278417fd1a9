"""IPOG-F construction: one column at a time, horizontal then vertical growth.

Pipeline stage: generation. For each column ``c`` (internal order) the frontier
is the target sets whose last member is ``c``. Horizontal growth gives ``c`` a
value in every existing row (IPOG-F: repeatedly the best (row, value) pair over
all rows, gains kept in a NumPy table; plain IPOG row by row when that table
would be too costly); vertical growth places each still-uncovered tuple in the
first compatible row or a new row of don't-cares (-1). Every cell assignment is
checked with the exact oracle, so rows always stay completable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from generator.constraints import Oracle
    from generator.engine._targets import Targets

__all__ = ["fill", "ipog"]

F_COST = 100_000
"""Largest rows*sets product per column for which IPOG-F's gain table is kept
(each IPOG-F step costs about rows*sets; plain IPOG is used above that)."""


def _frontier(targets: Targets, c: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per arity: earlier member columns (m, a-1), their strides, block offsets."""
    out = []
    for ar in targets.arities:
        lo = int(np.searchsorted(ar.cols[:, -1], c, side="left"))
        hi = int(np.searchsorted(ar.cols[:, -1], c, side="right"))
        if lo < hi:
            out.append((ar.cols[lo:hi, :-1], ar.strides[lo:hi, :-1], ar.offsets[lo:hi]))
    return out


def _bases(
    rows: np.ndarray, front: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray]:
    """(n, M) tuple ids without column c's digit (-1 where a member is unset), valid mask."""
    bases = []
    valids = []
    for cols, strides, offsets in front:
        base = np.broadcast_to(offsets, (rows.shape[0], offsets.shape[0])).copy()
        valid = np.ones(base.shape, dtype=bool)
        for j in range(cols.shape[1]):
            cells = rows[:, cols[:, j]].astype(np.int64)
            valid &= cells >= 0
            base += cells * strides[:, j]
        bases.append(base)
        valids.append(valid)
    base = np.concatenate(bases, axis=1)
    valid = np.concatenate(valids, axis=1)
    base[~valid] = -1
    return base, valid


def _row_bases(
    row: np.ndarray, front: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> np.ndarray:
    """Tuple ids without column c's digit of one row's set frontier tuples (set members only)."""
    parts = []
    for cols, strides, offsets in front:
        cells = row[cols].astype(np.int64)
        ok = (cells >= 0).all(axis=1)
        ids = offsets + (cells * strides).sum(axis=1)
        parts.append(ids[ok])
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _allowed(oracle: Oracle, rows: np.ndarray, which: np.ndarray, c: int, v: int) -> np.ndarray:
    if not oracle.constrained[c]:
        return np.ones((which.shape[0], v), dtype=bool)
    return oracle.allowed_rows(rows[which], c)


def _horizontal_f(
    rows: np.ndarray,
    *,
    base: np.ndarray,
    valid: np.ndarray,
    todo: np.ndarray,
    unc: np.ndarray,
    use: np.ndarray,
    allowed: np.ndarray,
    c: int,
) -> None:
    v = use.shape[0]
    b = base[todo]
    ok = valid[todo]
    safe = np.where(ok, b, 0)
    big = rows.shape[0] + 2
    floor = -(1 << 60)
    # key = gain * big - use[x]: argmax picks the largest gain, then the least used
    # value, then the lowest row and code. Kept up to date incrementally.
    key = np.empty((todo.shape[0], v), dtype=np.int64)
    for x in range(v):
        key[:, x] = (unc[safe + x] & ok).sum(axis=1)
    key *= big
    key -= use
    key[~allowed] = floor
    # Set-major copy: the update below gathers whole frontier sets at once.
    bt = np.ascontiguousarray(b.T, dtype=np.int32 if unc.shape[0] < 2**31 else np.int64)
    counts = use.tolist()
    targets = todo.tolist()
    for _ in range(todo.shape[0]):
        i = int(key.argmax())
        r, x = divmod(i, v)
        best = key.item(i)
        if best < 0 or (best + counts[x]) // big <= 0:
            break
        rows[targets[r], c] = x
        counts[x] += 1
        key[r] = floor
        newly = unc[safe[r] + x] & ok[r]
        sel = b[r, newly]
        unc[sel + x] = False
        column = key[:, x]
        if sel.shape[0]:
            drop = (bt[newly] == sel[:, None]).sum(axis=0)
            drop *= big
            drop += 1
            column -= drop
        else:
            column -= 1
    use[:] = counts


def _horizontal_plain(
    rows: np.ndarray,
    *,
    base: np.ndarray,
    valid: np.ndarray,
    todo: np.ndarray,
    unc: np.ndarray,
    use: np.ndarray,
    oracle: Oracle,
    c: int,
) -> None:
    v = use.shape[0]
    span = np.arange(v, dtype=np.int64)
    big = rows.shape[0] + 2
    for r in todo:
        bv = base[r][valid[r]]
        gains = unc[bv[:, None] + span].sum(axis=0, dtype=np.int64)
        if oracle.constrained[c]:
            gains[~oracle.allowed(rows[r], c)] = -1
        key = gains * big - use
        x = int(np.argmax(key))
        if gains[x] <= 0:
            continue
        rows[r, c] = x
        use[x] += 1
        unc[bv + x] = False


def _vertical(
    rows: np.ndarray,
    *,
    targets: Targets,
    front: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    unc: np.ndarray,
    oracle: Oracle,
    c: int,
) -> np.ndarray:
    lo = int(np.searchsorted(targets.last, c, side="left"))
    hi = int(np.searchsorted(targets.last, c, side="right"))
    start = int(targets.offsets[lo])
    stop = int(targets.offsets[hi]) if hi < len(targets.sets) else targets.flat.shape[0]
    pending = np.flatnonzero(unc[start:stop]) + start
    if pending.shape[0] == 0:
        return rows
    constrained = oracle.constrained
    domains = targets.domains
    owners = (np.searchsorted(targets.offsets, pending, side="right") - 1).tolist()
    for tid, s in zip(pending.tolist(), owners, strict=True):
        if not unc[tid]:
            continue
        local = tid - int(targets.offsets[s])
        cols = targets.sets[s]
        vals = [0] * len(cols)
        for j in range(len(cols) - 1, -1, -1):
            local, vals[j] = divmod(local, domains[cols[j]])
        sub = rows[:, cols]
        cand = ((sub == np.array(vals, dtype=sub.dtype)) | (sub < 0)).all(axis=1)
        placed = -1
        check = any(constrained[col] for col in cols)
        for r in np.flatnonzero(cand).tolist():
            if check:
                trial = rows[r].copy()
                trial[list(cols)] = vals
                if not oracle.completable(trial):
                    continue
            placed = r
            break
        if placed < 0:
            new = np.full((1, rows.shape[1]), -1, dtype=rows.dtype)
            rows = np.concatenate([rows, new])
            placed = rows.shape[0] - 1
        rows[placed, list(cols)] = vals
        unc[_row_bases(rows[placed], front) + int(rows[placed, c])] = False
    return rows


def ipog(
    targets: Targets,
    oracle: Oracle,
    domains: Sequence[int],
    init: np.ndarray,
    progress: Callable[[str, int, int], None] | None = None,
) -> np.ndarray:
    """Rows (int16, -1 = don't care) covering every required tuple; ``init`` rows
    come first and their set cells are never changed."""
    k = len(domains)
    unc = targets.flat.copy()
    rows = init.astype(np.int16, copy=True)
    for c in range(k):
        if progress is not None:
            progress("build", c, k)
        front = _frontier(targets, c)
        if not front:
            continue
        v = domains[c]
        if rows.shape[0]:
            base, valid = _bases(rows, front)
            fixed = np.flatnonzero(rows[:, c] >= 0)
            for r in fixed.tolist():
                unc[base[r][valid[r]] + int(rows[r, c])] = False
            use = np.bincount(rows[fixed, c], minlength=v).astype(np.int64)
            todo = np.flatnonzero(rows[:, c] < 0)
            if todo.shape[0]:
                if todo.shape[0] * base.shape[1] <= F_COST:
                    allowed = _allowed(oracle, rows, todo, c, v)
                    _horizontal_f(
                        rows,
                        base=base,
                        valid=valid,
                        todo=todo,
                        unc=unc,
                        use=use,
                        allowed=allowed,
                        c=c,
                    )
                else:
                    _horizontal_plain(
                        rows,
                        base=base,
                        valid=valid,
                        todo=todo,
                        unc=unc,
                        use=use,
                        oracle=oracle,
                        c=c,
                    )
        rows = _vertical(rows, targets=targets, front=front, unc=unc, oracle=oracle, c=c)
    if progress is not None:
        progress("build", k, k)
    return rows


def fill(rows: np.ndarray, oracle: Oracle, domains: Sequence[int]) -> None:
    """Give every don't-care cell a value in place: allowed by the oracle, least used
    in its column, then lowest code. Columns in internal order, rows in order."""
    use = [
        np.bincount(rows[rows[:, c] >= 0, c], minlength=v).astype(np.int64)
        for c, v in enumerate(domains)
    ]
    for c, v in enumerate(domains):
        if oracle.constrained[c]:
            continue
        counts = use[c].tolist()
        column = rows[:, c]
        for r in np.flatnonzero(column < 0).tolist():
            x = min(range(v), key=lambda i: (counts[i], i))
            column[r] = x
            counts[x] += 1
        use[c] = np.array(counts, dtype=np.int64)
    for r in range(rows.shape[0]):
        row = rows[r]
        if (row >= 0).all():
            continue
        for c in np.flatnonzero(row < 0).tolist():
            codes = np.flatnonzero(oracle.allowed(row, c))
            x = int(codes[np.argsort(use[c][codes], kind="stable")][0])
            row[c] = x
            use[c][x] += 1
