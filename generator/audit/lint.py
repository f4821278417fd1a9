"""Audit stage: ``tempest-matrix lint``, static proof that devstack jobs can run.

The jobs of the linted project (the first path: the jobs its files define and those
its project stanzas run) are resolved through Zuul inheritance over every given file
(:mod:`generator.audit.zuul_resolve`, as ``audit --zuul`` does), and each devstack
job is checked by the rules of :mod:`generator.audit.lint_rules`. A job whose
devstack set-up comes from a parent no given file defines is not linted (its
variables are unknown); the report says which and why.

The upstream Zuul configuration the generated jobs build on (devstack, tempest,
devstack-plugin-ceph, whitebox-tempest-plugin, ironic; :data:`UPSTREAM_DIR`, with its
sources in ``SOURCES.md`` there) ships with the package, so ``check`` can lint the
generated files without a checkout of those repositories.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.audit.lint_rules import RULES, Finding, JobView, run_rules
from generator.audit.zuul_audit import devstack_root_known, is_devstack_job, zuul_jobs
from generator.audit.zuul_files import ZuulConfig, load_zuul

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "RULES",
    "SCHEMA_VERSION",
    "UPSTREAM_DIR",
    "Finding",
    "LintReport",
    "lint_config",
    "lint_zuul",
    "project_name",
    "upstream_config",
    "upstream_paths",
    "with_context",
]

SCHEMA_VERSION = 1
"""Of the ``lint --format json`` document (docs/json.md)."""

UPSTREAM_DIR = Path(__file__).resolve().parent / "data" / "upstream"
"""Unmodified copies of the upstream Zuul files the generated jobs inherit from."""


def upstream_paths() -> list[Path]:
    """The bundled upstream repositories, one folder each, sorted."""
    return sorted(p for p in UPSTREAM_DIR.iterdir() if p.is_dir())


@cache
def upstream_config() -> ZuulConfig:
    """The bundled upstream files, read once per process (``check`` lints every driver)."""
    return load_zuul(upstream_paths())


def with_context(config: ZuulConfig, context: ZuulConfig) -> ZuulConfig:
    """``config`` followed by ``context``'s files, as if ``load_zuul`` had read both:
    ``context``'s variants come after ``config``'s, numbered after its paths."""
    shift = 1 + max((v.repo for vs in config.jobs.values() for v in vs), default=0)
    shift = max(shift, 1 + max((i for i, _ in config.projects), default=0))
    merged = ZuulConfig(
        files=[*config.files, *context.files],
        jobs={name: list(variants) for name, variants in config.jobs.items()},
        nodesets={**config.nodesets, **context.nodesets},
        templates={name: list(bodies) for name, bodies in config.templates.items()},
        projects=[*config.projects, *((i + shift, b) for i, b in context.projects)],
    )
    for name, variants in context.jobs.items():
        merged.jobs.setdefault(name, []).extend(replace(v, repo=v.repo + shift) for v in variants)
    for name, bodies in context.templates.items():
        merged.templates.setdefault(name, []).extend(bodies)
    return merged


@dataclass(frozen=True, slots=True)
class LintReport:
    """What ``lint`` found in one set of Zuul files."""

    source: str
    files: int
    linted: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]
    """``(job, why it was not linted)``."""
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        """Findings per rule, in :data:`RULES` order, rules without findings left out."""
        counts = dict.fromkeys(RULES, 0)
        for finding in self.findings:
            counts[finding.rule] += 1
        return {rule: n for rule, n in counts.items() if n}

    def summary(self) -> str:
        """One line: findings, jobs with findings, rule counts, jobs not linted."""
        jobs = len({f.job for f in self.findings})
        counts = ", ".join(f"{rule} {n}" for rule, n in self.counts().items())
        found = _count(len(self.findings), "finding")
        linted = _count(len(self.linted), "job")
        text = f"{found} in {jobs} of {linted} linted" if jobs else f"{linted} linted, {found}"
        if counts:
            text += f" ({counts})"
        if self.skipped:
            text += f"; {len(self.skipped)} jobs not linted"
        return text

    def render(self) -> str:
        """The findings one per line (``path:line: job: message [rule]``), the jobs not
        linted, then a summary."""
        lines = [f.render() for f in self.findings]
        lines += [f"not linted: {job}: {why}" for job, why in self.skipped]
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, object]:
        """The ``lint --format json`` document (docs/json.md)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "files": self.files,
            "jobs_linted": list(self.linted),
            "not_linted": [{"job": job, "reason": why} for job, why in self.skipped],
            "counts": [{"rule": rule, "findings": n} for rule, n in self.counts().items()],
            "findings": [f.to_json() for f in self.findings],
        }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def project_name(path: str | Path) -> str:
    """The project a Zuul path belongs to: its repository folder's name
    (``output/nova-libvirt/zuul.d`` -> ``nova-libvirt``, ``nova/.zuul.yaml`` -> ``nova``)."""
    folder = Path(path).absolute()
    if folder.suffix in (".yaml", ".yml"):
        folder = folder.parent
    while folder.name.endswith("zuul.d") and folder.parent != folder:
        folder = folder.parent
    return folder.name


def lint_config(
    config: ZuulConfig, *, project: str, branch: str = "master", source: str = ""
) -> LintReport:
    """Lint the devstack jobs of path 0 of ``config``; ``project`` is the project under
    test (Zuul checks it out for every job)."""
    jobs, _ = zuul_jobs(config, branch)
    findings: list[Finding] = []
    linted: list[str] = []
    skipped: list[tuple[str, str]] = []
    for job in jobs:
        if job.external and not devstack_root_known(job):
            skipped.append((job.name, f"parent {job.external} is not in the given files"))
            continue
        if not is_devstack_job(job):
            skipped.append((job.name, "not a devstack job"))
            continue
        linted.append(job.name)
        findings.extend(run_rules(JobView(job, config, project)))
    findings.sort(key=lambda f: (f.path, f.line, f.job, f.rule, f.message))
    return LintReport(source, len(config.files), tuple(linted), tuple(skipped), tuple(findings))


def lint_zuul(
    paths: Sequence[str | Path],
    *,
    branch: str = "master",
    project: str | None = None,
    upstream: bool = False,
) -> LintReport:
    """Lint the project at ``paths[0]``; later paths (and, with ``upstream``, the bundled
    upstream files) define parents and nodesets."""
    config = load_zuul(paths)
    if upstream:
        config = with_context(config, upstream_config())
    return lint_config(
        config,
        project=project or project_name(paths[0]),
        branch=branch,
        source=", ".join(str(p) for p in paths) + (" + upstream" if upstream else ""),
    )
