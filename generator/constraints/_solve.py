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


def watches(n: int, boxes: Sequence[LocalBox]) -> list[list[int]]:
    """For each variable, the indices of the boxes that mention it."""
    out: list[list[int]] = [[] for _ in range(n)]
    for b, (vars_, _) in enumerate(boxes):
        for v in vars_:
            out[v].append(b)
    return out


def _propagate(
    dom: list[int],
    boxes: Sequence[LocalBox],
    watch: Sequence[Sequence[int]],
    queue: list[int],
) -> bool:
    """Narrow ``dom`` in place, starting from the boxes in ``queue``; False on a conflict."""
    queued = set(queue)
    while queue:
        b = queue.pop()
        queued.discard(b)
        vars_, masks = boxes[b]
        loose = -1
        mask = 0
        count = 0
        for v, m in zip(vars_, masks, strict=True):
            if dom[v] & ~m:
                count += 1
                if count > 1:
                    break
                loose, mask = v, m
        if count == 0:
            return False
        if count == 1 and dom[loose] & mask:
            dom[loose] &= ~mask
            if not dom[loose]:
                return False
            for other in watch[loose]:
                if other != b and other not in queued:
                    queued.add(other)
                    queue.append(other)
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


def solve(
    dom: Sequence[int],
    boxes: Sequence[LocalBox],
    limit: int = 10**7,
    watch: Sequence[Sequence[int]] | None = None,
) -> list[int] | None:
    """One assignment (a code per variable) inside ``dom`` matching no box, or None.

    ``limit`` bounds the number of search nodes; exceeding it raises RuntimeError
    (never a wrong answer).
    """
    nodes = [0]
    w = watch if watch is not None else watches(len(dom), boxes)

    def rec(d: list[int], queue: list[int]) -> list[int] | None:
        nodes[0] += 1
        if nodes[0] > limit:
            raise RuntimeError("constraint search exceeded its node budget")
        if not _propagate(d, boxes, w, queue):
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
            found = rec(child, list(w[best]))
            if found is not None:
                return found
        return None

    return rec(list(dom), list(range(len(boxes))))


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
    w = watches(len(dom), boxes)

    def cost_of(d: list[int]) -> int:
        return sum(1 for v, w in enumerate(wanted) if w >= 0 and not d[v] >> w & 1)

    def rec(d: list[int], queue: list[int]) -> None:
        nodes[0] += 1
        if nodes[0] > limit:
            raise RuntimeError("constraint search exceeded its node budget")
        if not _propagate(d, boxes, w, queue):
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
            rec(child, list(w[pick]))

    rec(list(dom), list(range(len(boxes))))
    return best[0]
