"""Audit stage, HTML output: a self-contained page a reviewer reads top down.

Per driver, in this order, each with an anchor the contents at the top link to:
the summary (the missing-parents warning first, then the coverage), the audited
jobs with their pipelines and non-default values, the worst knob pairs (all of them
in a folded list), the extra jobs that would cover what is missing (each a Zuul job
to paste), a knob-by-knob heatmap whose cells print their percentage, and the
stale options. Every number is printed, never only in a tooltip. No scripts, no
external assets: the page opens in any browser and renders offline.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from generator.audit.table import (
    headline,
    incomplete_line,
    job_values_text,
    non_default,
    percent,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.audit.report import AuditReport

__all__ = ["heatmap_svg", "render_html"]

CELL = 28
FONT = 12

STYLE = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1500px;line-height:1.4}
h1{font-size:24px}h2{font-size:20px;margin-top:36px;border-bottom:2px solid #ccc}
h3{font-size:16px;margin-top:24px}
table{border-collapse:collapse;font-size:14px;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.summary td{border:none;padding:2px 14px 2px 0}.big{font-size:20px;font-weight:bold}
.warn{background:#fff3cd;border:1px solid #d39e00;padding:8px 12px;font-weight:bold}
.bar{display:block;height:12px;background:#2e7d32}
.barbg{display:inline-block;width:120px;height:12px;background:#e57373;vertical-align:middle}
code,pre{background:#f6f6f6}pre{padding:8px;overflow-x:auto;font-size:13px}
nav{background:#f6f6f6;padding:8px 12px}nav a{margin-right:10px}
summary{cursor:pointer;font-weight:bold}.apart{color:#777}.wide{overflow-x:auto}
.nowrap{white-space:nowrap}
"""


def _colour(fraction: float | None) -> str:
    """Red (0) through yellow to green (1); grey when there is nothing to cover."""
    if fraction is None:
        return "#dddddd"
    if fraction < 0.5:
        red, green = 215, int(48 + (fraction / 0.5) * (190 - 48))
    else:
        red, green = int(215 - ((fraction - 0.5) / 0.5) * (215 - 46)), 190
    return f"#{red:02x}{green:02x}3c"


def heatmap_svg(report: AuditReport) -> str:
    """A knob-by-knob triangle of pair coverage (rows: the 2nd to last knob, columns:
    the 1st to the one before last); each cell prints its percentage (``-``: the
    pair has no feasible value pair)."""
    knobs = report.knobs
    rows, cols = knobs[1:], knobs[:-1]
    stats = {p.knobs: p for p in report.pairs}
    label = 10 + int(FONT * 0.62 * max((len(k) for k in knobs), default=1))
    width = label + CELL * len(cols) + 4
    height = label + CELL * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="{FONT}" role="img" '
        f'aria-label="pair coverage of {escape(report.driver)}">'
    ]
    for i, knob in enumerate(rows):
        y = label + i * CELL + CELL * 0.68
        parts.append(f'<text x="{label - 6}" y="{y:.0f}" text-anchor="end">{escape(knob)}</text>')
    for j, knob in enumerate(cols):
        x = label + j * CELL + CELL * 0.68
        parts.append(
            f'<text x="{x:.0f}" y="{label - 6}" transform="rotate(-90 {x:.0f} {label - 6})">'
            f"{escape(knob)}</text>"
        )
    parts.append('<g font-size="10" text-anchor="middle">')
    for i, row in enumerate(rows):
        for j, col in enumerate(cols[: i + 1]):
            x, y = label + j * CELL, label + i * CELL
            stat = stats.get((col, row)) or stats.get((row, col))
            fraction = stat.fraction if stat and stat.total else None
            text = "-" if fraction is None else f"{fraction * 100:.0f}"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                f'fill="{_colour(fraction)}" stroke="#fff"/>'
                f'<text x="{x + CELL // 2}" y="{y + CELL // 2 + 4}">{text}</text>'
            )
    parts.append("</g></svg>")
    return "".join(parts)


def _legend() -> str:
    cells = "".join(
        f'<span style="background:{_colour(s)};padding:0 8px">{int(s * 100)}%</span> '
        for s in (0.0, 0.25, 0.5, 0.75, 1.0)
    )
    return (
        f"<p>Each cell: % of the knob pair's feasible value pairs covered. {cells}"
        "<span style='background:#dddddd;padding:0 8px'>-</span> no feasible value pair</p>"
    )


def _summary(report: AuditReport, anchor: str) -> list[str]:
    out = [f'<h2 id="{anchor}">Driver <code>{escape(report.driver)}</code></h2>']
    warning = incomplete_line(report)
    if warning:
        out.append(f'<p class="warn">{escape(warning)}</p>')
    rows = [
        (
            "Coverage",
            f'<span class="big">{percent(report.coverage)}</span> '
            f"({report.covered} of {report.coverable} feasible {report.strength}-way combinations)",
        ),
        ("In words", escape(headline(report))),
        ("Jobs from", escape(report.source)),
        (
            "Jobs audited",
            f"{len(report.jobs)} ({len(report.counted)} counted, "
            f"{len(report.apart)} experimental-only or unused)",
        ),
        ("Jobs not fully recovered", str(len(report.unmatched))),
        ("Uncovered combinations", f"{len(report.uncovered)} in {len(report.groups)} extra jobs"),
        ("Stale or misplaced options", str(len(report.stale))),
    ]
    out.append(f'<table class="summary" id="{anchor}-summary">')
    out.extend(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
    out.append("</table>")
    return out


def _jobs(report: AuditReport, anchor: str) -> list[str]:
    why = {u.job: u.reason for u in report.unmatched}
    out = [
        f'<h3 id="{anchor}-jobs">Jobs audited ({len(report.jobs)})</h3>',
        '<div class="wide"><table><tr><th>job</th><th>pipelines</th>'
        "<th>knob values (other knobs at their defaults; ? = not recovered)</th>"
        "<th>not recovered because</th></tr>",
    ]
    for job in report.jobs:
        apart = job.job in report.apart
        pipelines = ", ".join(job.pipelines) or "–"
        out.append(
            f"<tr{' class=apart' if apart else ''}><td>{escape(job.job)}</td>"
            f"<td class=nowrap>{escape(pipelines)}{' (apart)' if apart else ''}</td>"
            f"<td>{escape(job_values_text(report, job))}</td>"
            f"<td>{escape(why.get(job.job, ''))}</td></tr>"
        )
    out.append("</table></div>")
    return out


def _pair_rows(report: AuditReport, count: int | None, *, bars: bool) -> str:
    pairs = report.pairs if count is None else report.pairs[:count]
    rows = ["<table><tr><th>knob</th><th>knob</th><th>covered</th><th>of</th><th>%</th></tr>"]
    for p in pairs:
        bar = (
            f' <span class="barbg"><span class="bar" style="width:{int(120 * p.fraction)}px">'
            "</span></span>"
            if bars
            else ""
        )
        rows.append(
            f"<tr><td>{escape(p.knobs[0])}</td><td>{escape(p.knobs[1])}</td>"
            f"<td class=num>{p.covered}</td><td class=num>{p.total}</td>"
            f"<td class=num>{percent(p.fraction)}{bar}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _groups(report: AuditReport, anchor: str, extra: int | None) -> list[str]:
    out = [
        f'<h3 id="{anchor}-uncovered">Uncovered: {len(report.uncovered)} combinations, '
        f"{len(report.groups)} extra jobs would cover them (largest first)</h3>"
    ]
    if not report.groups:
        return [*out, "<p>None: every feasible combination is covered.</p>"]
    for n, group in enumerate(report.groups, 1):
        sets = non_default(report, group.job)
        printed = extra is None or n <= extra
        # Only the extra jobs shown in full list their combinations: for the rest the
        # summary line says what they set, which keeps the page small (--all shows all).
        detail = "<p>(its Zuul job and combinations: --extra-jobs N or --all)</p>"
        if printed:
            tuples = "\n".join(", ".join(f"{k}={v}" for k, v in c) for c in group.tuples)
            detail = (
                f"<p>Zuul job to paste:</p><pre>{escape(group.zuul)}</pre><p>The "
                f"{len(group.tuples)} combinations it covers:</p><pre>{escape(tuples)}</pre>"
            )
        out.append(
            f"<details{' open' if printed else ''}><summary>[{n}] covers {len(group.tuples)}; "
            f"sets {escape(sets)}</summary>{detail}</details>"
        )
    return out


def _section(report: AuditReport, top: int | None, extra: int | None) -> str:
    anchor = f"driver-{report.driver}"
    out = _summary(report, anchor) + _jobs(report, anchor)
    count = len(report.pairs) if top is None else min(top, len(report.pairs))
    out.append(f'<h3 id="{anchor}-pairs">Knob pairs: the worst {count} of {len(report.pairs)}</h3>')
    out.append(_pair_rows(report, top, bars=True))
    if top is not None and top < len(report.pairs):
        out.append(f"<details><summary>All {len(report.pairs)} knob pairs</summary>")
        out.append(_pair_rows(report, None, bars=False) + "</details>")
    out += _groups(report, anchor, extra)
    out.append(f'<h3 id="{anchor}-heatmap">Pair coverage by knob</h3>{_legend()}')
    out.append(f'<div class="wide">{heatmap_svg(report)}</div>')
    if report.stale:
        out.append(
            f'<h3 id="{anchor}-stale">Stale or misplaced options (oslo.config ignores them)</h3>'
            "<table><tr><th>job</th><th>file</th><th>option</th><th>reason</th>"
            "<th>set in</th></tr>"
        )
        out.extend(
            f"<tr><td>{escape(s.job)}</td><td>{escape(s.file)}</td>"
            f"<td>[{escape(s.section)}] {escape(s.option)}</td><td>{escape(s.reason)}</td>"
            f"<td>{escape(s.defined_in)}</td></tr>"
            for s in report.stale
        )
        out.append("</table>")
    return "\n".join(out)


def _contents(reports: Sequence[AuditReport]) -> str:
    links = []
    for report in reports:
        anchor = f"driver-{report.driver}"
        parts = [("", report.driver), ("-jobs", "jobs"), ("-pairs", "knob pairs")]
        parts += [("-uncovered", "uncovered"), ("-heatmap", "heatmap")]
        if report.stale:
            parts.append(("-stale", "stale options"))
        links.append(" ".join(f'<a href="#{anchor}{s}">{escape(t)}</a>' for s, t in parts))
    return "<nav>Contents: " + " | ".join(links) + "</nav>"


def render_html(
    reports: Sequence[AuditReport],
    title: str = "tempest-matrix audit",
    pairs: int | None = 10,
    extra: int | None = 3,
) -> str:
    """The whole report page for one or more drivers: the ``pairs`` worst knob pairs
    shown (all in a folded list) and the ``extra`` largest extra jobs unfolded."""
    body = "\n".join(_section(r, pairs, extra) for r in reports)
    warnings = sorted({w for r in reports for w in r.warnings})
    notes = ""
    if warnings:
        notes = (
            '<h3 id="warnings">Warnings</h3><ul>'
            + "".join(f"<li>{escape(w)}</li>" for w in warnings)
            + "</ul>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>\n{_contents(reports)}\n{body}\n{notes}\n</body></html>\n"
    )
