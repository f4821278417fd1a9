"""Matrix stage, options: the generation options a matrix records and a later run reuses.

``generate --check-jobs 2`` records ``check_jobs: 2`` in the matrix file, so a plain
``generate`` or ``check`` afterwards renders the same files instead of calling them
stale. An option given on the command line wins over the recorded one; ``0`` for
``--max-jobs`` forgets it (``--check-jobs 0``, no job in check and gate, is recorded
like any other count), and a ``--strength`` equal to the catalog's follows the
catalog again. The seed is the matrix's ``seed`` field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.matrix.format import Matrix

__all__ = ["Options", "resolve"]


@dataclass(frozen=True, slots=True)
class Options:
    """Generation options; ``None`` means "not given": recorded value, else default."""

    strength: int | None = None
    seed: int | None = None
    max_jobs: int | None = None
    fresh: bool = False
    check_jobs: int | None = None
    fast: bool | None = None
    max_tuples: int | None = None
    """The engine's bound on combinations to cover (not recorded: it changes no output)."""

    def recorded(self) -> tuple[tuple[str, int | bool], ...]:
        """What the matrix file's ``options`` keeps (in its key order)."""
        items: list[tuple[str, int | bool | None]] = [
            ("strength", self.strength),
            ("max_jobs", self.max_jobs),
            ("check_jobs", self.check_jobs),
            ("fast", self.fast or None),
        ]
        return tuple((key, value) for key, value in items if value is not None)


def _given(value: int | None, recorded: object, *, zero_forgets: bool = True) -> int | None:
    """The command-line value (0 forgets it, where 0 means nothing), else the recorded one."""
    if value is not None:
        return value or None if zero_forgets else value
    return recorded if isinstance(recorded, int) and not isinstance(recorded, bool) else None


def resolve(given: Options, old: Matrix | None, catalog_strength: int) -> Options:
    """The options of this run: the given ones over those ``old`` recorded.

    The result's ``seed`` and ``fast`` are never ``None``; its ``strength`` is
    ``None`` when it is the catalog's.
    """
    recorded = dict(old.options) if old is not None else {}
    strength = _given(given.strength, recorded.get("strength"))
    if strength == catalog_strength:
        strength = None
    fast = given.fast if given.fast is not None else bool(recorded.get("fast", False))
    seed = given.seed if given.seed is not None else (old.seed if old is not None else 0)
    return Options(
        strength=strength,
        seed=seed,
        max_jobs=_given(given.max_jobs, recorded.get("max_jobs")),
        fresh=given.fresh,
        check_jobs=_given(given.check_jobs, recorded.get("check_jobs"), zero_forgets=False),
        fast=fast,
        max_tuples=given.max_tuples,
    )
