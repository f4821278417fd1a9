"""The generate pipeline: catalog directory -> per driver: matrix + rendered files.

Everything is computed in memory as ``{path: text}``; ``generate`` writes that
mapping atomically and ``check`` compares it with the files on disk. Output paths
derive only from validated driver and repo names (:func:`safe_name`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.catalog.names import did_you_mean, repo_folder, safe_name
from generator.errors import (
    ConstraintError,
    GeneratorError,
    ParameterError,
    UnsatisfiableError,
    UsageError,
)
from generator.matrix import (
    Churn,
    Matrix,
    Options,
    assemble,
    catalog_digest,
    churn,
    plan_initial,
    read_matrix,
    render_matrix,
    resolve,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from generator.engine import Coverage, Space
    from generator.model import Catalog

__all__ = [
    "DriverResult",
    "Layout",
    "Options",
    "check_catalog",
    "generate_catalog",
    "managed_files",
    "regenerate_command",
    "repo_folder",
    "run",
    "safe_name",
]

ZUUL_FILE = Path("zuul.d") / "tempest-matrix.yaml"
THIRD_PARTY_ZUUL_FILE = Path("third-party-zuul.d") / "tempest-matrix.yaml"
"""A third-party driver's Zuul file: in a folder OpenDev does not load."""
PLAYBOOKS = Path("playbooks") / "tempest-matrix"


def zuul_file(catalog: Catalog) -> Path:
    """The repository path of a driver's generated Zuul file."""
    return THIRD_PARTY_ZUUL_FILE if catalog.third_party is not None else ZUUL_FILE


DEFAULT_DIRS = (("--catalog", "knobs"), ("--matrix-dir", "matrix"), ("--output-dir", "output"))
"""Each directory option and its default, a folder of the repository root."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the catalog, the matrices and the outputs are, and the repository root
    (the folder holding ``knobs/``, or the git work tree) that paths are shown
    relative to in generated files; ``None``: shown absolute."""

    catalog: Path
    matrix: Path
    output: Path
    root: Path | None = None

    def shown(self, path: Path) -> str:
        """``path`` relative to the root when inside it, else absolute (its folder
        resolved, not the file: a symlink at a file's place must not change its name)."""
        real = path.absolute().parent.resolve() / path.name
        if self.root is not None and real.is_relative_to(self.root.resolve()):
            return real.relative_to(self.root.resolve()).as_posix()
        return real.as_posix()

    def flags(self) -> list[str]:
        """The directory options a command needs: those not at their default place."""
        parts: list[str] = []
        for (flag, default), path in zip(
            DEFAULT_DIRS, (self.catalog, self.matrix, self.output), strict=True
        ):
            if self.root is None or path.resolve() != (self.root / default).resolve():
                parts += [flag, self.shown(path)]
        return parts


@dataclass(frozen=True, slots=True)
class DriverResult:
    """One driver's outcome: its matrix, churn, coverage and rendered files."""

    catalog: Catalog
    matrix: Matrix
    churn: Churn
    combinations: int
    coverable: int
    covered: int
    files: dict[Path, str] = field(default_factory=dict)

    def summary(self) -> str:
        percent = 100.0 if not self.coverable else 100.0 * self.covered / self.coverable
        return (
            f"{self.catalog.driver}: {len(self.catalog.knobs)} knobs, "
            f"{self.combinations:,} combinations, {len(self.matrix.jobs)} jobs, "
            f"{self.matrix.strength}-way coverage {percent:.1f}% "
            f"({self.covered}/{self.coverable} feasible tuples); churn: {self.churn}"
        )

    def to_json(self) -> dict[str, Any]:
        """This driver's entry in ``generate --format json`` (docs/json.md)."""
        return {
            "driver": self.catalog.driver,
            "repo": self.catalog.repo,
            "knobs": len(self.catalog.knobs),
            "combinations": self.combinations,
            "strength": self.matrix.strength,
            "seed": self.matrix.seed,
            "jobs": [job.name for job in self.matrix.jobs],
            "coverable": self.coverable,
            "covered": self.covered,
            "coverage": round(self.covered / self.coverable, 6) if self.coverable else 1.0,
            "churn": self.churn.to_json(),
            "files": sorted(os.path.relpath(path) for path in self.files),
        }


def check_catalog(
    catalog: Catalog, strength: int | None = None, max_tuples: int | None = None
) -> Space:
    """Every check :func:`generate_catalog` makes before it builds (names, strength,
    constraints, pins), without building; ``knobs validate`` runs the same, so it
    never accepts a catalog ``generate`` or ``array`` refuses."""
    from generator.emit.selection import check_declared_tests
    from generator.engine import check_model

    safe_name("driver", catalog.driver)
    repo_folder(catalog.repo)
    strength = catalog.strength if strength is None else strength
    if strength < 1:
        raise ParameterError(f"{{strength}} must be at least 1, got {strength}", "strength")
    try:
        if max_tuples is None:
            space = check_model(catalog.model, strength=strength)
        else:
            space = check_model(catalog.model, strength=strength, max_tuples=max_tuples)
    except (ConstraintError, UnsatisfiableError, ParameterError) as exc:
        raise _at(catalog, exc) from None
    check_declared_tests(catalog, space, strength)
    return space


def _at(catalog: Catalog, exc: GeneratorError) -> GeneratorError:
    """``exc`` naming the catalog file, unless its message names an input file already."""
    if not catalog.path or any(f"{p}:" in exc.message for p in catalog.inputs):
        return exc
    if isinstance(exc, ParameterError):
        where = catalog.path.replace("{", "{{").replace("}", "}}")
        return ParameterError(f"{where}: {exc.template}", *exc.parameters)
    return type(exc)(f"{catalog.path}: {exc.message}")


def regenerate_command(catalog: Catalog, options: Options, layout: Layout | None = None) -> str:
    """The exact command that regenerates this driver's files (from the repository root)."""
    parts = ["tempest-matrix", "generate", *(layout.flags() if layout else ()), "--driver"]
    parts.append(catalog.driver)
    if options.strength is not None and options.strength != catalog.strength:
        parts += ["--strength", str(options.strength)]
    if options.seed:
        parts += ["--seed", str(options.seed)]
    if options.max_jobs is not None:
        parts += ["--max-jobs", str(options.max_jobs)]
    if options.check_jobs is not None:
        parts += ["--check-jobs", str(options.check_jobs)]
    if options.fast:
        parts.append("--fast")
    if options.max_tuples is not None:
        parts += ["--max-tuples", str(options.max_tuples)]
    return " ".join(parts)


def _source(catalog: Catalog, layout: Layout) -> str:
    return layout.shown(Path(catalog.path)) if catalog.path else f"{catalog.driver}.yaml"


def clearly_more(kept: int, fresh: int) -> bool:
    """Whether keeping the old jobs (``kept`` jobs) is clearly worse than a fresh build:
    at least two jobs and a fifth more (12 against 9 is, 10 against 9 is not)."""
    return kept - fresh >= 2 and kept >= 1.2 * fresh


def generate_catalog(
    catalog: Catalog,
    old: Matrix | None,
    given: Options,
    *,
    matrix_dir: Path,
    output_dir: Path,
    progress: Callable[[str, int, int], None] | None = None,
    compare_fresh: bool = False,
    layout: Layout | None = None,
) -> DriverResult:
    """Build one driver's matrix (stable when ``old`` is given) and render its files.

    The options are ``given`` over those ``old`` recorded
    (:mod:`generator.matrix.options`); ``layout`` says how paths are shown in the
    files' headers. With ``compare_fresh``, a changed catalog is also built from
    scratch, so the churn can say when keeping the old jobs costs clearly more jobs
    (:func:`clearly_more`).
    """
    from generator.emit.changes import rendered_changes
    from generator.emit.tempest_conf import render_tempest_conf
    from generator.emit.zuul import render_zuul
    from generator.engine import cover

    driver, repo = catalog.driver, repo_folder(catalog.repo)
    if layout is None:  # the catalog directory's parent as the repository root
        knobs = Path(catalog.path).parent
        layout = Layout(knobs, matrix_dir, output_dir, knobs.parent)
    options = resolve(given, old, catalog.strength)
    seed = options.seed or 0
    strength = options.strength if options.strength is not None else catalog.strength
    space = check_catalog(catalog, strength, options.max_tuples)
    model = catalog.model
    keep = old if old is not None and not options.fresh else None
    initial = plan_initial(keep, catalog, space) if keep is not None else []
    if options.max_jobs is not None and len(initial) > options.max_jobs:
        raise ParameterError(
            f"{driver}: {{max_jobs}} {options.max_jobs} is fewer than the {len(initial)} jobs "
            "of the existing matrix; add {fresh} to start a new matrix",
            "max_jobs",
            "fresh",
        )
    digest = catalog_digest(
        catalog,
        (("strength", strength), ("seed", seed), ("max_jobs", options.max_jobs)),
    )

    def build(start: Matrix | None, rows: list[dict[str, str | None]]) -> tuple[Matrix, Coverage]:
        result = cover(
            model,
            strength=strength,
            seed=seed,
            max_jobs=options.max_jobs,
            initial=rows,
            optimise=not options.fast,
            progress=progress,
            space=space,
            **({} if options.max_tuples is None else {"max_tuples": options.max_tuples}),
        )
        built = assemble(
            catalog,
            result.rows,
            old=start,
            kept_count=len(rows),
            coverage=result.counter,
            strength=strength,
            seed=seed,
            digest=digest,
            first_number=old.next_number if old is not None else 1,
        )
        return built, result.counter

    built, coverage = build(keep, initial)
    matrix = replace(built, options=options.recorded())
    fresh_jobs = None
    if keep is not None and keep.catalog_digest != digest and compare_fresh:
        fresh_jobs = len(build(None, [])[0].jobs)
    command = regenerate_command(catalog, options, layout)
    matrix_path = layout.shown(matrix_dir / f"{driver}.yaml")
    files: dict[Path, str] = {
        matrix_dir / f"{driver}.yaml": render_matrix(
            matrix,
            source=_source(catalog, layout),
            command=command,
            notes=selected_notes(catalog, matrix),
        ),
        output_dir / repo / zuul_file(catalog): render_zuul(
            catalog,
            matrix,
            command=command,
            matrix_path=matrix_path,
            check_jobs=options.check_jobs,
            coverage=coverage,
        ),
    }
    for row, job in enumerate(matrix.jobs, start=1):
        name = safe_name("job", job.name)
        files[output_dir / repo / "tempest" / f"{name}.conf"] = render_tempest_conf(
            catalog, job, command=command, matrix_path=matrix_path, row=row
        )
    files.update(_playbooks(catalog, output_dir / repo))
    zuul_path = output_dir / repo / zuul_file(catalog)
    previous: str | None = None
    try:
        # only a regular file: reading a FIFO left at that path would block for ever
        if zuul_path.is_file():
            previous = zuul_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # unreadable: no rendered diff
        previous = None
    changes = churn(old, matrix).with_rendered(rendered_changes(previous, files[zuul_path]))
    if fresh_jobs is not None and clearly_more(len(matrix.jobs), fresh_jobs):
        changes = replace(changes, fresh_jobs=fresh_jobs)
    rows = [job.as_dict() for job in matrix.jobs]
    return DriverResult(
        catalog=catalog,
        matrix=matrix,
        churn=changes,
        combinations=math.prod(len(knob.values) for knob in catalog.knobs),
        coverable=coverage.total,
        covered=coverage.covered(rows),
        files=files,
    )


def selected_notes(catalog: Catalog, matrix: Matrix) -> dict[str, str]:
    """Per job, how many Tempest tests it selects (a comment in the matrix file)."""
    from generator.emit import merge_settings
    from generator.emit.selection import job_selection

    notes = {}
    for job in matrix.jobs:
        count = len(job_selection(merge_settings(catalog, job)).tests)
        notes[job.name] = f"selects {count} tests"
    return notes


def _playbooks(catalog: Catalog, repo_dir: Path) -> dict[Path, str]:
    """Copies of the pre-run playbooks the catalog's values name."""
    folder = Path(catalog.path).parent if catalog.path else Path()
    found: dict[Path, str] = {}
    for knob in catalog.knobs:
        for value in knob.values:
            for playbook in value.settings.pre_run:
                text = (folder / playbook).read_text(encoding="utf-8")
                found[repo_dir / PLAYBOOKS / Path(playbook).name] = text
    return found


def select(
    catalogs: Sequence[Catalog], drivers: Sequence[str], where: Path | None = None
) -> tuple[Catalog, ...]:
    """The catalogs of ``drivers``, in catalog order (all when none is named); an unknown
    name is a usage error naming the drivers there are (in ``where``, when given)."""
    if not catalogs:
        raise UsageError(f"no driver catalog in {where}" if where else "no driver catalog")
    known = [catalog.driver for catalog in catalogs]
    unknown = [name for name in drivers if name not in known]
    if unknown:
        named = ", ".join(f"{name!r}{did_you_mean(name, known)}" for name in unknown)
        place = f" in {where}" if where else ""
        raise UsageError(f"unknown driver {named}; drivers{place}: {', '.join(sorted(known))}")
    chosen = set(drivers)
    return tuple(c for c in catalogs if not chosen or c.driver in chosen)


def run(
    catalog_dir: Path,
    matrix_dir: Path,
    output_dir: Path,
    drivers: Sequence[str],
    options: Options,
    *,
    progress: Callable[[str], Callable[[str, int, int], None] | None] | None = None,
    compare_fresh: bool = False,
    root: Path | None = None,
) -> tuple[DriverResult, ...]:
    """Generate every selected driver in memory (nothing is written); ``compare_fresh``
    as in :func:`generate_catalog`; generated files show paths relative to ``root``
    (default: the catalog directory's parent). ``progress(driver)`` gives the engine's
    progress callback for one driver."""
    from generator.catalog.loader import load_dir

    every = load_dir(catalog_dir)
    catalogs = select(every, drivers, catalog_dir)
    repos: dict[str, Catalog] = {}
    for catalog in every:
        # Job names come from the repo's own name: openstack/x and y/x would share them.
        other = repos.setdefault(catalog.repo_name, catalog)
        if other.driver != catalog.driver:
            raise UsageError(
                f"drivers {other.driver!r} and {catalog.driver!r} both use repo "
                f"{other.repo!r}{'' if other.repo == catalog.repo else f' / {catalog.repo!r}'}; "
                "their output files or job names would collide"
            )
    results = []
    for catalog in catalogs:
        path = matrix_dir / f"{safe_name('driver', catalog.driver)}.yaml"
        old = read_matrix(path) if path.exists() else None
        results.append(
            generate_catalog(
                catalog,
                old,
                options,
                matrix_dir=matrix_dir,
                output_dir=output_dir,
                progress=progress(catalog.driver) if progress is not None else None,
                compare_fresh=compare_fresh,
                layout=Layout(catalog_dir, matrix_dir, output_dir, root or catalog_dir.parent),
            )
        )
    return tuple(results)


def managed_files(
    matrix_dir: Path, output_dir: Path, results: Sequence[DriverResult], *, everything: bool
) -> list[Path]:
    """Generated files now on disk: of the given drivers, or (``everything``) any
    matrix and repo output, so files of removed jobs and drivers are found too."""
    found: set[Path] = set()
    if everything:
        found.update(matrix_dir.glob("*.yaml"))
        for folder in ("*", "*/*"):  # output/<name>/ and output/<org>/<name>/
            found.update(output_dir.glob(f"{folder}/{ZUUL_FILE.as_posix()}"))
            found.update(output_dir.glob(f"{folder}/{THIRD_PARTY_ZUUL_FILE.as_posix()}"))
            found.update(output_dir.glob(f"{folder}/{PLAYBOOKS.as_posix()}/*"))
            found.update(output_dir.glob(f"{folder}/tempest/*.conf"))
    else:
        for result in results:
            found.add(matrix_dir / f"{result.catalog.driver}.yaml")
            repo = output_dir / repo_folder(result.catalog.repo)
            found.add(repo / ZUUL_FILE)
            found.add(repo / THIRD_PARTY_ZUUL_FILE)
            found.update(repo.glob(f"{PLAYBOOKS.as_posix()}/*"))
            found.update(repo.glob("tempest/*.conf"))
    return sorted(path for path in found if path.is_file())
