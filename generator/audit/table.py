"""Audit stage, the terminal report: a summary a reviewer reads top down.

Per driver: where the jobs come from; a headline when some jobs' parents are
missing (before any figure, since every figure is then a lower bound); the
coverage; the audited jobs, each with its pipelines and the knob values it runs
that differ from the defaults (``?`` where a value could not be recovered), then why
each unmatched job was not fully recovered; the worst knob pairs; and the
uncovered combinations grouped into extra jobs, each printed as a Zuul job to
paste. ``pairs`` and ``extra`` limit the knob pairs and extra jobs shown (``None``:
all of them, with the combinations each extra job covers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.audit.report import AuditReport, JobValues

__all__ = [
    "headline",
    "incomplete_line",
    "job_values_text",
    "non_default",
    "percent",
    "render_table",
]


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _names(items: Sequence[str], limit: int = 4) -> str:
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:limit])
    return shown + (f" and {len(unique) - limit} more" if len(unique) > limit else "")


def incomplete_line(report: AuditReport) -> str:
    """The warning that comes before any figure when parents are missing ('' if none)."""
    if not report.incomplete:
        return ""
    count, total = len(report.incomplete), len(report.jobs)
    parents = _names([parent for _, parent in report.incomplete])
    return (
        f"INCOMPLETE: {count} of {total} jobs take their devstack set-up from parents the "
        f"given files do not define ({parents}); their knob values are partly unknown, so "
        "every figure below is a lower bound. Pass the repositories that define them after "
        "the audited project (for nova: devstack, tempest and the plugins its jobs use)."
    )


def headline(report: AuditReport) -> str:
    """The coverage in one sentence, with the jobs counted apart."""
    counted = len(report.counted)
    text = (
        f"{report.strength}-way coverage {percent(report.coverage)} "
        f"({report.covered}/{report.coverable} feasible combinations) by {counted} job"
        f"{'s' * (counted != 1)}"
    )
    if report.apart:
        text += " in check, gate or periodic pipelines"
        if report.covered_with_apart is not None and report.coverable:
            share = report.covered_with_apart / report.coverable
            apart = len(report.apart)
            jobs = "job" if apart == 1 else "jobs"
            count = "" if apart == 1 else f"{apart} "
            text += (
                f"; {percent(share)} with the {count}experimental-only or unused {jobs} "
                "counted apart"
            )
    return text


def non_default(report: AuditReport, values: Sequence[tuple[str, str | None]]) -> str:
    """``knob=value`` for each applicable value that is not the knob's default."""
    defaults = dict(report.defaults)
    parts = [f"{k}={v}" for k, v in values if v is not None and v != defaults.get(k)]
    return ", ".join(parts) or "(all defaults)"


def job_values_text(report: AuditReport, job: JobValues) -> str:
    """The values ``job`` runs that are not the knobs' defaults; ``knob=?`` where a
    value was not recovered (a count instead, past a few)."""
    unresolved = dict(job.unresolved)
    known = [(k, v) for k, v in job.values if k not in unresolved]
    text = non_default(report, known)
    if not unresolved:
        return text
    unknown = (
        ", ".join(f"{k}=?" for k in unresolved)
        if len(unresolved) <= 3
        else f"{len(unresolved)} knobs not recovered (?)"
    )
    return unknown if text == "(all defaults)" else f"{text}, {unknown}"


def _pipelines(report: AuditReport, job: JobValues) -> str:
    shown = ", ".join(job.pipelines) or "-"
    return shown + (" (apart)" if job.job in report.apart else "")


def _jobs(report: AuditReport) -> list[str]:
    apart = len(report.apart)
    head = f"  jobs audited: {len(report.jobs)}"
    if apart:
        head += f" ({len(report.counted)} counted, {apart} experimental-only or unused)"
    lines = [head]
    rows = [("JOB", "PIPELINES", "VALUES (other knobs at their defaults)")]
    rows += [(j.job, _pipelines(report, j), job_values_text(report, j)) for j in report.jobs]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines += [f"    {a:<{widths[0]}}  {b:<{widths[1]}}  {c}" for a, b, c in rows]
    if report.unmatched:
        lines.append(f"  jobs whose values are not all recovered: {len(report.unmatched)}")
        lines.extend(f"    {u.job}: {u.reason}" for u in report.unmatched)
    return lines


def _pairs(report: AuditReport, top: int | None) -> list[str]:
    pairs = report.pairs if top is None else report.pairs[:top]
    if not pairs:
        return []
    if len(pairs) < len(report.pairs):
        head = f"  worst {len(pairs)} of {len(report.pairs)} knob pairs (--all for every pair):"
    else:
        head = f"  all {len(pairs)} knob pairs, worst first:"
    lines = [head]
    width = max(len(p.knobs[0]) + len(p.knobs[1]) + 3 for p in pairs)
    for pair in pairs:
        label = f"{pair.knobs[0]} × {pair.knobs[1]}"
        lines.append(
            f"    {label:<{width}}  {pair.covered:>4}/{pair.total:<4} {percent(pair.fraction):>6}"
        )
    return lines


def _groups(report: AuditReport, top: int | None) -> list[str]:
    groups = report.groups if top is None else report.groups[:top]
    total = len(report.uncovered)
    if not total:
        return ["  uncovered: none, every feasible combination is covered"]
    shown = sum(len(g.tuples) for g in groups)
    lines = [
        f"  uncovered: {total} combinations; {len(report.groups)} extra jobs would cover them; "
        + (
            f"the {len(groups)} largest cover {shown} (--extra-jobs N or --all for more):"
            if len(groups) < len(report.groups)
            else "all of them, largest first:"
        )
    ]
    for n, group in enumerate(groups, 1):
        sets = non_default(report, group.job)
        lines.append(f"  [{n}] covers {len(group.tuples)}; sets {sets}:")
        if top is None:
            lines.extend(
                "      " + ", ".join(f"{k}={v}" for k, v in combo) for combo in group.tuples
            )
        lines.extend(group.zuul.rstrip("\n").splitlines())
    return lines


def render_table(
    reports: Sequence[AuditReport], pairs: int | None = 10, extra: int | None = 3
) -> str:
    """The terminal report of every driver (see the module docstring)."""
    lines: list[str] = []
    for report in reports:
        lines.append(f"driver {report.driver} ({report.repo}), jobs from {report.source}")
        warning = incomplete_line(report)
        if warning:
            lines.append(f"  {warning}")
        lines.append(f"  {headline(report)}")
        lines.append("")
        lines += _jobs(report)
        lines.append("")
        worst = _pairs(report, pairs)
        if worst:
            lines += [*worst, ""]
        lines += _groups(report, extra)
        if report.stale:
            lines.append("")
            lines.append(f"  stale or misplaced options: {len(report.stale)}")
            lines.extend(
                f"    {s.job}: {s.file} [{s.section}] {s.option}: {s.reason}"
                + (f" (set in {s.defined_in})" if s.defined_in else "")
                for s in report.stale
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
