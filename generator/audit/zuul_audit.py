"""Audit stage, Zuul side: audit the jobs of real Zuul files.

Each runnable job of the audited project is resolved through Zuul inheritance
(:mod:`generator.audit.zuul_resolve`), its knob values are recovered
(:mod:`generator.audit.recover`), its options Nova or Tempest would ignore are
listed, and the jobs are counted by :func:`generator.audit.coverage.audit_jobs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.audit.coverage import audit_jobs
from generator.audit.recover import Recovery, canon, recover
from generator.audit.report import JobValues, StaleOption, UnmatchedJob
from generator.audit.zuul_files import Opaque, load_zuul
from generator.audit.zuul_resolve import Resolver
from generator.catalog.config_files import NOVA_FILES, TEMPEST_FILE
from generator.errors import GeneratorError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from generator.audit.report import AuditReport
    from generator.audit.zuul_files import ZuulConfig
    from generator.audit.zuul_resolve import ResolvedJob
    from generator.model import Catalog

__all__ = [
    "audit_zuul",
    "devstack_driver",
    "devstack_root_known",
    "is_devstack_job",
    "stale_options",
    "zuul_jobs",
]

# devstack's VIRT_DRIVER for a catalog driver whose name differs from it.
DEVSTACK_DRIVER = {"vmware": "vsphere"}
DEVSTACK_VARS = ("devstack_localrc", "devstack_services", "devstack_plugins", "devstack_local_conf")


def devstack_driver(driver: str) -> str:
    """The devstack ``VIRT_DRIVER`` of a catalog driver."""
    return DEVSTACK_DRIVER.get(driver, driver)


def zuul_jobs(config: ZuulConfig, branch: str = "master") -> tuple[list[ResolvedJob], list[str]]:
    """The runnable jobs of the audited project (the first path) and warnings.

    These are the jobs its files define plus those its project stanzas run
    (templates included) that any given file defines; abstract jobs are left out.
    """
    run, project_vars = config.project_jobs(0)
    names = dict.fromkeys(config.defined_in(0))
    names.update(dict.fromkeys(n for n in run if n in config.jobs))
    jobs: list[ResolvedJob] = []
    resolver = Resolver(config, branch, project_vars)
    for name in names:
        job = resolver.resolve(name)
        if job.abstract or not job.own_variants:
            continue  # abstract, or no variant of the job applies to this branch
        jobs.append(job)
    return jobs, _external_warnings(jobs)


def _external_warnings(jobs: Sequence[ResolvedJob]) -> list[str]:
    external: dict[str, list[str]] = {}
    for job in jobs:
        if job.external:
            external.setdefault(job.external, []).append(job.name)
    warnings = []
    for parent, children in sorted(external.items()):
        shown = ", ".join(children[:3]) + (
            f" and {len(children) - 3} more" if len(children) > 3 else ""
        )
        warnings.append(
            f"parent {parent} is not defined in the given files; its variables are unknown "
            f"(jobs: {shown})"
        )
    return warnings


def _knobs(names: Sequence[str], limit: int = 4) -> str:
    """Knob names for a reason: the first few, then how many more."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more knobs"


def is_devstack_job(job: ResolvedJob) -> bool:
    """Whether some host of ``job`` gets devstack variables (``devstack_localrc``, ...)."""
    return any(any(k in variables for k in DEVSTACK_VARS) for _, variables in job.hosts)


def devstack_root_known(job: ResolvedJob) -> bool:
    """Whether a given file holds the job that starts the devstack set-up (``base: false``)."""
    for variant in job.variants:
        services = (variant.body.get("vars") or {}).get("devstack_services")
        if isinstance(services, dict) and services.get("base") is False:
            return True
    return False


def _virt_driver(job: ResolvedJob) -> str:
    localrc = job.host(job.compute_hosts[0]).get("devstack_localrc")
    value = localrc.get("VIRT_DRIVER", "libvirt") if isinstance(localrc, dict) else "libvirt"
    return canon(value)


def _where_set(job: ResolvedJob, path: tuple[str, ...]) -> str:
    """The last applied variant that writes the nested variable ``path``."""
    for variant in reversed(job.variants):
        sources: list[object] = [variant.body.get("vars"), variant.body.get("extra-vars")]
        for attr in ("group-vars", "host-vars"):
            table = variant.body.get(attr)
            if isinstance(table, dict):
                sources.extend(table.values())
        for source in sources:
            node: object = source
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if node is not None:
                return f"{variant.where} ({variant.name})"
    return ""


def stale_options(job: ResolvedJob) -> list[StaleOption]:
    """Nova and Tempest options ``job`` sets that their registries do not know there."""
    from generator.catalog.optdata import nova_registry, tempest_registry

    checks = [(f, "post-config", nova_registry()) for f in NOVA_FILES]
    checks.append((TEMPEST_FILE, "test-config", tempest_registry()))
    found: dict[tuple[str, str, str], StaleOption] = {}
    for _, variables in job.hosts:
        local_conf = variables.get("devstack_local_conf")
        if not isinstance(local_conf, dict):
            continue
        for file, phase, registry in checks:
            files = local_conf.get(phase)  # Ansible variables: any type, even a template
            sections = files.get(file) if isinstance(files, dict) else None
            if not isinstance(sections, dict):
                continue
            for section, options in sections.items():
                if not isinstance(options, dict):
                    continue
                for option, value in options.items():
                    shown = "" if isinstance(value, Opaque) else value
                    reason = registry.check(str(section), str(option), shown or value)
                    key = (file, str(section), str(option))
                    if reason and key not in found:
                        path = ("devstack_local_conf", phase, file, str(section), str(option))
                        found[key] = StaleOption(
                            job.name, file, str(section), str(option), reason, _where_set(job, path)
                        )
    return [found[k] for k in sorted(found)]


def audit_zuul(
    catalogs: Sequence[Catalog],
    paths: Sequence[str | Path],
    *,
    driver: str | None = None,
    strength: int | None = None,
    branch: str = "master",
    progress: Callable[[str, str], None] | None = None,
) -> list[AuditReport]:
    """Audit the Zuul jobs of the project at ``paths[0]`` (later paths define parents).

    Without ``driver``, every catalog whose devstack ``VIRT_DRIVER`` some job runs
    and whose knobs the jobs touch is audited. Raises :class:`GeneratorError`
    when no selected catalog matches any job.
    """
    config = load_zuul(paths)
    jobs, _ = zuul_jobs(config, branch)
    pipelines = config.project_pipelines(0)
    selected = [c for c in catalogs if driver is None or c.driver == driver]
    reports: list[AuditReport] = []
    devstack_jobs = [j for j in jobs if is_devstack_job(j)]
    hidden = [j.name for j in jobs if j.external and not is_devstack_job(j)]
    skipped = []
    if hidden:
        skipped.append(
            "not audited, no devstack settings in the given files (their parents are "
            "not given): " + ", ".join(hidden)
        )
    for catalog in selected:
        mine = [j for j in devstack_jobs if _virt_driver(j) == devstack_driver(catalog.driver)]
        if not mine:
            continue
        recovered: list[JobValues] = []
        unmatched: list[UnmatchedJob] = []
        stale: list[StaleOption] = []
        incomplete: list[tuple[str, str]] = []
        touched = False
        for job in mine:
            result = recover(catalog, job, config)
            if job.external and not devstack_root_known(job):
                incomplete.append((job.name, job.external))
                # The devstack set-up comes from a parent we cannot read: only what
                # the known jobs write explicitly is certain.
                why = f"not set by the given files; parent {job.external} is not in them"
                result = {
                    k: r
                    if r.explicit or (r.value is None and not r.reason)
                    else Recovery(None, why)
                    for k, r in result.items()
                }
            values = tuple((k, r.value) for k, r in result.items())
            problems = tuple((k, r.reason) for k, r in result.items() if r.reason)
            touched = touched or any(r.explicit or r.reason for r in result.values())
            recovered.append(
                JobValues(job.name, job.where, values, problems, pipelines.get(job.name, ()))
            )
            if problems:
                by_reason: dict[str, list[str]] = {}
                for knob, why in problems:
                    by_reason.setdefault(why, []).append(knob)
                reason = "; ".join(f"{_knobs(ks)}: {why}" for why, ks in by_reason.items())
                unmatched.append(UnmatchedJob(job.name, reason))
            stale.extend(stale_options(job))
        if not touched:
            continue
        warnings = _external_warnings(mine) + skipped
        reports.append(
            audit_jobs(
                catalog,
                recovered,
                strength=strength,
                source=", ".join(str(p) for p in paths),
                unmatched=unmatched,
                stale=stale,
                warnings=warnings,
                incomplete=incomplete,
                progress=progress,
            )
        )
    if not reports:
        names = ", ".join(c.driver for c in selected) or "(none)"
        raise GeneratorError(
            f"the catalog (drivers: {names}) matches none of the knobs of the "
            f"{len(devstack_jobs)} devstack job(s) in {paths[0]}"
        )
    return reports
