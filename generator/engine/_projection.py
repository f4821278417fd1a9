"""Projection of an orthogonal array onto fewer symbols (engine stage 0, a construction).

Colbourn, "Strength two covering arrays: existence tables and projection" (Discrete
Math. 308, 2008, Thm 2.3): for a prime power q and 1 <= c <= q - 2 there is a
CA(q^2 - c; 2, q + 1 + c, q - c). Folding OA(q^2; 2, q + 1, q) onto v = q - c symbols
keeps q^2 rows and q + 1 columns; projecting deletes c rows and adds c columns, and
the result keeps v constant rows, so it is also a good factor for products.

Read the OA as the affine plane AG(2, q): rows are points, column j < q is the
parallel class of slope j, column q the vertical class, and a cell names the line of
its class through the point. Bush's array has the constant rows O_i = (i, 0) (the
points of the line L: y = 0, symbol 0 in column q). Delete O_0..O_(c-1); in each old
column the symbols 0..c-1 are deleted too (renamed: s -> s - c). Two points lie on
exactly one common line, so a point p != O_i agrees with O_i in exactly one column.

* New column X_i (i < c): a point p on the line through O_i of slope m < v gets
  X_i = m, and the q - 1 such points get the v symbols of column m in some order in
  place of their deleted symbol i (the rest stay free).
* Old columns, symbols a, b >= c: the point with those symbols is not deleted and
  its cells are unchanged.
* X_i = x against old column m != x: the line through O_i of slope x meets every line
  of column m once, at O_i only on the deleted symbol i; against column x: the
  reordered symbols.
* X_i = x against X_j = y, x != y: the lines through O_i of slope x and through O_j of
  slope y meet at a point that is neither (O_i and O_j share only L).
* X_i = X_j = x: the kept constant rows O_(c+x), whose cells in X_i, X_j and column
  q are free, are made constant x.
"""

from __future__ import annotations

import numpy as np

__all__ = ["projected_array"]


def projected_array(oa: np.ndarray, q: int, c: int) -> np.ndarray:
    """CA(q^2 - c; 2, q + 1 + c, q - c) from Bush's OA(q^2; 2, q + 1, q) ``oa``
    (``_construct.orthogonal_array(q, 2, q + 1)``: row a*q + b is the point (a, b),
    rows a*q are constant in the first q columns), ``1 <= c <= q - 2``. Its first
    q - c rows are the constant rows 0..q-c-1; free cells hold 0."""
    if not 1 <= c <= q - 2 or oa.shape != (q * q, q + 1):
        raise ValueError(f"no projection with q={q}, c={c} from a {oa.shape} array")
    v = q - c
    points = oa.astype(np.int64)
    deleted = np.arange(c) * q
    kept = np.setdiff1d(np.arange(q * q), deleted)
    out = np.full((q * q, q + 1 + c), -1, dtype=np.int64)
    out[:, : q + 1] = np.where(points >= c, points - c, -1)
    for i in range(c):
        for slope in range(v):
            on_line = kept[points[kept, slope] == i]  # the q - 1 points with O_i, slope m
            out[on_line, q + 1 + i] = slope
            out[on_line[:v], slope] = np.arange(v)
    constant = np.arange(c, q) * q  # O_c..O_(q-1), kept
    out[constant] = (np.arange(c, q) - c)[:, None]
    out = out[constant.tolist() + np.setdiff1d(kept, constant).tolist()]
    out[out < 0] = 0
    projected: np.ndarray = out.astype(np.int16)
    return projected
