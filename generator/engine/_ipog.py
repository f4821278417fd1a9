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

ASKED = 2
"""Rows a tuple is asked of (solver calls, in order) before a later row whose witness
already holds it is preferred (SAT-decided columns only)."""

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
    verify: Callable[[int, int], bool] | None = None,
) -> None:
    """IPOG-F over the rows ``todo``. With ``verify``, ``allowed`` marks only the values
    known to be allowed; any other value is asked ``verify(row, value)`` when it
    would be chosen (the SAT-decided columns: most values are never chosen)."""
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
    unverified = ~allowed if verify is not None else None
    if unverified is None:
        key[~allowed] = floor
    # Set-major copy: the update below gathers whole frontier sets at once.
    bt = np.ascontiguousarray(b.T, dtype=np.int32 if unc.shape[0] < 2**31 else np.int64)
    counts = use.tolist()
    targets = todo.tolist()
    assigned = 0
    while assigned < todo.shape[0]:
        i = int(key.argmax())
        r, x = divmod(i, v)
        best = key.item(i)
        if best < 0 or (best + counts[x]) // big <= 0:
            break
        if unverified is not None and unverified[r, x]:
            assert verify is not None
            unverified[r, x] = False
            if not verify(targets[r], x):
                key[r, x] = floor
                continue
        assigned += 1
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
    verify: Callable[[int, int], bool] | None = None,
) -> None:
    """Plain IPOG, row by row: each row takes its best allowed value (ties: least used,
    then lowest code), asking ``verify`` (when given) instead of the oracle."""
    v = use.shape[0]
    span = np.arange(v, dtype=np.int64)
    big = rows.shape[0] + 2
    for r in todo.tolist():
        bv = base[r][valid[r]]
        gains = unc[bv[:, None] + span].sum(axis=0, dtype=np.int64)
        key = gains * big - use
        if oracle.constrained[c] and verify is None:
            key[~oracle.allowed(rows[r], c)] = -(1 << 60)
        for x in np.argsort(-key, kind="stable").tolist():
            if key[x] < 0 or gains[x] <= 0:
                break
            if verify is not None and not verify(r, x):
                continue
            rows[r, c] = x
            use[x] += 1
            unc[bv + x] = False
            break


def _vertical(
    rows: np.ndarray,
    *,
    targets: Targets,
    front: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    unc: np.ndarray,
    oracle: Oracle,
    c: int,
    witness: list[np.ndarray] | None = None,
) -> np.ndarray:
    lo = int(np.searchsorted(targets.last, c, side="left"))
    hi = int(np.searchsorted(targets.last, c, side="right"))
    start = int(targets.offsets[lo])
    stop = int(targets.offsets[hi]) if hi < len(targets.sets) else targets.flat.shape[0]
    pending = np.flatnonzero(unc[start:stop]) + start
    if pending.shape[0] == 0:
        return rows
    constrained = oracle.constrained
    solved = oracle.solved
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
        held = [j for j, col in enumerate(cols) if constrained[col]]
        # Witnesses are kept valid on the SAT-decided columns only: a row whose witness
        # holds the tuple there takes it without a solver call.
        quick = witness is not None and held and all(solved[cols[j]] for j in held)
        candidates = np.flatnonzero(cand).tolist()
        failed = 0
        for at, r in enumerate(candidates):
            if held:
                if quick:
                    assert witness is not None
                    w = witness[r]
                    if all(w[cols[j]] == vals[j] for j in held):
                        placed = r
                        break
                    if failed >= ASKED:
                        # Enough rows refused it: a later row whose witness holds the
                        # tuple takes it before any more solver calls.
                        later = [
                            x
                            for x in candidates[at:]
                            if all(witness[x][cols[j]] == vals[j] for j in held)
                        ]
                        if later:
                            placed = later[0]
                            break
                trial = rows[r].copy()
                trial[list(cols)] = vals
                if witness is not None:
                    found = oracle.completion(trial, cols, witness[r])
                    if found is None:
                        failed += 1
                        continue
                    witness[r] = found
                elif not oracle.completable(trial):
                    continue
            placed = r
            break
        if placed < 0:
            new = np.full((1, rows.shape[1]), -1, dtype=rows.dtype)
            rows = np.concatenate([rows, new])
            placed = rows.shape[0] - 1
            if witness is not None:
                trial = new[0].copy()
                trial[list(cols)] = vals
                found = oracle.completion(trial)
                assert found is not None  # a required tuple occurs in some valid row
                witness.append(found)
        rows[placed, list(cols)] = vals
        unc[_row_bases(rows[placed], front) + int(rows[placed, c])] = False
    return rows


def ipog(
    targets: Targets,
    oracle: Oracle,
    domains: Sequence[int],
    init: np.ndarray,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    above: int | None = None,
) -> np.ndarray | None:
    """Rows (int16, -1 = don't care) covering every required tuple; ``init`` rows
    come first and their set cells are never changed. None as soon as the rows
    outnumber ``above`` (rows are only ever added, so the array could not end smaller)."""
    k = len(domains)
    unc = targets.flat.copy()
    rows = init.astype(np.int16, copy=True)
    # With SAT-decided components every row keeps a witness: on the SAT-decided
    # columns, a valid completion of the row's set cells (its other cells may be
    # stale). A value or tuple the witness already has there needs no solver call.
    witness: list[np.ndarray] | None = None
    if any(oracle.solved):
        witness = []
        for row in rows:
            found = oracle.completion(row)
            assert found is not None  # frozen rows were checked completable
            witness.append(found)
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
            verify = _verifier(rows, witness, oracle, c) if oracle.solved[c] else None
            if todo.shape[0]:
                if todo.shape[0] * base.shape[1] <= F_COST:
                    if verify is not None:
                        assert witness is not None
                        seen = np.array([witness[r][c] for r in todo.tolist()], dtype=np.int64)
                        allowed = seen[:, None] == np.arange(v)
                    else:
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
                        verify=verify,
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
                        verify=verify,
                    )
        rows = _vertical(
            rows, targets=targets, front=front, unc=unc, oracle=oracle, c=c, witness=witness
        )
        if above is not None and rows.shape[0] > above:
            if progress is not None:
                progress("build", k, k)
            return None
    if progress is not None:
        progress("build", k, k)
    if witness is not None:
        # Open cells of SAT-decided columns take the witness's values (valid as a whole).
        solved = np.array(oracle.solved, dtype=bool)
        for r, w in enumerate(witness):
            open_ = (rows[r] < 0) & solved
            rows[r, open_] = w[open_]
    return rows


def _verifier(
    rows: np.ndarray, witness: list[np.ndarray] | None, oracle: Oracle, c: int
) -> Callable[[int, int], bool]:
    """``verify(r, x)``: whether row ``r`` may take ``x`` in column ``c``; the row's witness
    answers when it has ``x`` there, else the oracle, whose completion becomes the witness."""
    assert witness is not None

    def verify(r: int, x: int) -> bool:
        if witness[r][c] == x:
            return True
        trial = rows[r].copy()
        trial[c] = x
        found = oracle.completion(trial, (c,), witness[r])
        if found is None:
            return False
        witness[r] = found
        return True

    return verify


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
