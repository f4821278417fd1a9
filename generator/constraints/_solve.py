"""A small exact search over forbidden partial assignments (no SAT dependency).

Pipeline stage: feasibility. Variables have bitmask domains; each box forbids a
partial assignment. Propagation is generalised arc consistency for negative
table constraints: a box whose cells are all certainly inside their masks is a
conflict, and a box with exactly one cell not certainly inside loses that
cell's masked values. Branching picks the smallest domain, values in ascending
order (or a preferred value first), so results are deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["LocalBox", "nearest", "solve"]

LocalBox = tuple[tuple[int, ...], tuple[int, ...]]
"""``(variables, masks)`` over local variable indices."""


def _propagate(dom: list[int], boxes: Sequence[LocalBox]) -> bool:
    """Narrow ``dom`` in place; False on a conflict."""
    changed = True
    while changed:
        changed = False
        for vars_, masks in boxes:
            loose = -1
            count = 0
            for v, m in zip(vars_, masks, strict=True):
                if dom[v] & ~m:
                    count += 1
                    if count > 1:
                        break
                    loose = v
            if count == 0:
                return False
            if count == 1:
                m = masks[vars_.index(loose)]
                if dom[loose] & m:
                    dom[loose] &= ~m
                    if not dom[loose]:
                        return False
                    changed = True
    return True


def _bits(mask: int) -> list[int]:
    out = []
    i = 0
    while mask:
        if mask & 1:
            out.append(i)
        mask >>= 1
        i += 1
    return out


def solve(dom: Sequence[int], boxes: Sequence[LocalBox], limit: int = 10**7) -> list[int] | None:
    """One assignment (a code per variable) inside ``dom`` matching no box, or None.

    ``limit`` bounds the number of search nodes; exceeding it raises RuntimeError
    (never a wrong answer).
    """
    nodes = [0]

    def rec(d: list[int]) -> list[int] | None:
        nodes[0] += 1
        if nodes[0] > limit:
            raise RuntimeError("constraint search exceeded its node budget")
        if not _propagate(d, boxes):
            return None
        best = -1
        size = 0
        for v, m in enumerate(d):
            c = m.bit_count()
            if c > 1 and (best < 0 or c < size):
                best, size = v, c
        if best < 0:
            return [m.bit_length() - 1 for m in d]
        for value in _bits(d[best]):
            child = list(d)
            child[best] = 1 << value
            found = rec(child)
            if found is not None:
                return found
        return None

    return rec(list(dom))


def nearest(
    dom: Sequence[int], boxes: Sequence[LocalBox], wanted: Sequence[int], limit: int = 10**6
) -> list[int] | None:
    """A solution with the fewest variables differing from ``wanted`` (-1 = no wish).

    Branch and bound over variables in index order, values ascending: solutions
    come in lexicographic order and only strictly better ones are kept, so the
    answer is the lexicographically smallest optimum (as the enumerated tables give).
    """
    best: list[list[int] | None] = [None]
    best_cost = [len(dom) + 1]
    nodes = [0]

    def cost_of(d: list[int]) -> int:
        return sum(1 for v, w in enumerate(wanted) if w >= 0 and not d[v] >> w & 1)

    def rec(d: list[int]) -> None:
        nodes[0] += 1
        if nodes[0] > limit:
            raise RuntimeError("constraint search exceeded its node budget")
        if not _propagate(d, boxes):
            return
        if cost_of(d) >= best_cost[0]:
            return
        pick = -1
        for v, m in enumerate(d):
            if m.bit_count() > 1:
                pick = v
                break
        if pick < 0:
            best[0] = [m.bit_length() - 1 for m in d]
            best_cost[0] = cost_of(d)
            return
        for value in _bits(d[pick]):
            child = list(d)
            child[pick] = 1 << value
            rec(child)

    rec(list(dom))
    return best[0]
