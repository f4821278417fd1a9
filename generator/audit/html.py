"""Audit stage, HTML output: a self-contained page per audit with an SVG heatmap.

Rows and columns of the heatmap are the catalog's knobs (declaration order); a
cell's colour is the fraction of that knob pair's feasible value pairs the jobs
cover (red = none, green = all, grey = no feasible pair). No scripts, no external
assets: the page opens in any browser and renders offline.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.audit import AuditReport

__all__ = ["heatmap_svg", "render_html", "value_heatmap_svg"]

CELL = 22
LABEL = 190

STYLE = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}
h3{font-size:15px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.summary td{border:none;padding:2px 12px 2px 0}
.bar{display:inline-block;height:10px;background:#2e7d32}
.barbg{display:inline-block;width:120px;height:10px;background:#e57373}
code{background:#f6f6f6;padding:0 3px}
.legend{font-size:12px;color:#555}.wide{overflow-x:auto}
"""


def _colour(fraction: float | None) -> str:
    """Red (0) through yellow to green (1); grey when there is nothing to cover."""
    if fraction is None:
        return "#dddddd"
    if fraction < 0.5:
        red, green = 215, int(48 + (fraction / 0.5) * (190 - 48))
    else:
        red, green = int(215 - ((fraction - 0.5) / 0.5) * (215 - 46)), 190
    blue = 60
    return f"#{red:02x}{green:02x}{blue:02x}"


def heatmap_svg(report: AuditReport) -> str:
    """An SVG knob-by-knob matrix of pair coverage (symmetric, diagonal blank)."""
    knobs = report.knobs
    stats = {p.knobs: p for p in report.pairs}
    size = LABEL + CELL * len(knobs) + 10
    width = size + LABEL // 2  # room for the slanted labels of the last columns
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{size}" '
        f'viewBox="0 0 {width} {size}" font-family="sans-serif" font-size="11" role="img" '
        f'aria-label="pair coverage heatmap of {escape(report.driver)}">'
    ]
    for i, knob in enumerate(knobs):
        y = LABEL + i * CELL + CELL * 0.7
        parts.append(f'<text x="{LABEL - 6}" y="{y:.1f}" text-anchor="end">{escape(knob)}</text>')
        x = LABEL + i * CELL + CELL * 0.7
        parts.append(
            f'<text x="{x:.1f}" y="{LABEL - 6}" transform="rotate(-60 {x:.1f} {LABEL - 6})">'
            f"{escape(knob)}</text>"
        )
    for i, row in enumerate(knobs):
        for j, col in enumerate(knobs):
            x, y = LABEL + j * CELL, LABEL + i * CELL
            if i == j:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="#ffffff" '
                    'stroke="#bbbbbb"/>'
                )
                continue
            stat = stats.get((row, col)) or stats.get((col, row))
            fraction = stat.fraction if stat and stat.total else None
            title = (
                f"{row} × {col}: {stat.covered}/{stat.total} value pairs covered"
                if stat and stat.total
                else f"{row} × {col}: no feasible value pair"
            )
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                f'fill="{_colour(fraction)}" stroke="#ffffff"><title>{escape(title)}</title></rect>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


VCELL = 9
COVERED, UNCOVERED, NOT_COVERABLE = "#2e7d32", "#d84a3a", "#e4e4e4"


def value_heatmap_svg(report: AuditReport) -> str:
    """An SVG value-by-value matrix: green = a job covers the pair, red = feasible but
    uncovered, grey = no valid job can hold the pair; lines separate the knobs."""
    axis = [(knob, value) for knob, values in report.domains for value in values]
    index = {item: i for i, item in enumerate(axis)}
    label = 8 + 6 * max((len(f"{k}={v}") for k, v in axis), default=1)
    size = label + VCELL * len(axis) + 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="8" role="img" '
        f'aria-label="value pair coverage of {escape(report.driver)}">',
        f'<rect x="{label}" y="{label}" width="{VCELL * len(axis)}" '
        f'height="{VCELL * len(axis)}" fill="{NOT_COVERABLE}"/>',
    ]
    for i, (knob, value) in enumerate(axis):
        text = escape(f"{knob}={value}")
        y = label + i * VCELL + VCELL - 1.5
        parts.append(f'<text x="{label - 3}" y="{y:.1f}" text-anchor="end">{text}</text>')
        x = label + i * VCELL + VCELL - 1.5
        parts.append(
            f'<text x="{x:.1f}" y="{label - 3}" text-anchor="start" '
            f'transform="rotate(-90 {x:.1f} {label - 3})">{text}</text>'
        )
    for combo, hit in report.value_pairs:
        i, j = index[combo[0]], index[combo[1]]
        colour = COVERED if hit else UNCOVERED
        title = escape(
            ", ".join(f"{k}={v}" for k, v in combo) + (": covered" if hit else ": not covered")
        )
        for row, col in ((i, j), (j, i)):
            parts.append(
                f'<rect x="{label + col * VCELL}" y="{label + row * VCELL}" width="{VCELL}" '
                f'height="{VCELL}" fill="{colour}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{title}</title></rect>"
            )
    offset = 0
    for _, values in report.domains:
        offset += len(values)
        at = label + offset * VCELL
        parts.append(
            f'<line x1="{label}" y1="{at}" x2="{size - 2}" y2="{at}" stroke="#555555" '
            'stroke-width="0.7"/>'
            f'<line x1="{at}" y1="{label}" x2="{at}" y2="{size - 2}" stroke="#555555" '
            'stroke-width="0.7"/>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _value_legend() -> str:
    items = [
        (COVERED, "covered"),
        (UNCOVERED, "feasible, not covered"),
        (NOT_COVERABLE, "impossible or same knob"),
    ]
    return " ".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{c};'
        f'vertical-align:middle"></span> {escape(t)}'
        for c, t in items
    )


def _legend() -> str:
    stops = [0.0, 0.25, 0.5, 0.75, 1.0]
    cells = "".join(
        f'<rect x="{40 * i}" y="0" width="40" height="12" fill="{_colour(s)}"/>'
        f'<text x="{40 * i + 20}" y="26" text-anchor="middle">{int(s * 100)}%</text>'
        for i, s in enumerate(stops)
    )
    grey = (
        '<rect x="220" y="0" width="40" height="12" fill="#dddddd"/>'
        '<text x="240" y="26" text-anchor="middle">n/a</text>'
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="280" height="30" font-size="11" '
        f'font-family="sans-serif">{cells}{grey}</svg>'
    )


def _section(report: AuditReport) -> str:
    out: list[str] = [f"<h2>Driver <code>{escape(report.driver)}</code></h2>"]
    out.append('<table class="summary">')
    rows = [
        ("Jobs from", report.source),
        ("Runnable jobs audited", str(len(report.jobs))),
        (
            f"{report.strength}-way coverage",
            f"{report.covered} / {report.coverable} feasible tuples "
            f"({report.coverage * 100:.1f} %)",
        ),
        ("Jobs with unresolved knobs", str(len(report.unmatched))),
        ("Stale or misplaced options", str(len(report.stale))),
    ]
    out.extend(f"<tr><td>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows)
    out.append("</table>")
    out.append("<h3>Pair coverage by knob (hover a cell for its count)</h3>")
    out.append(heatmap_svg(report))
    out.append(f'<div class="legend">{_legend()}</div>')
    if report.value_pairs:
        out.append(
            "<h3>Which value pairs the jobs cover (hover a cell for the pair)</h3>"
            f'<div class="legend">{_value_legend()}</div>'
            f'<div class="wide">{value_heatmap_svg(report)}</div>'
        )
    out.append(
        "<h3>Knob pairs, worst first</h3><table><tr><th>knob</th><th>knob</th>"
        "<th>covered</th><th>total</th><th></th></tr>"
    )
    for pair in report.pairs:
        width = int(120 * pair.fraction)
        out.append(
            f"<tr><td>{escape(pair.knobs[0])}</td><td>{escape(pair.knobs[1])}</td>"
            f'<td class="num">{pair.covered}</td><td class="num">{pair.total}</td>'
            f'<td><span class="barbg"><span class="bar" style="width:{width}px"></span>'
            "</span></td></tr>"
        )
    out.append("</table>")
    out.append(
        f"<h3>Uncovered tuples ({len(report.uncovered)}), grouped by the extra job "
        "that would cover them, largest first</h3>"
    )
    if report.groups:
        out.append(
            "<table><tr><th>#</th><th>extra job would set</th><th>tuples</th>"
            "<th>uncovered tuples</th></tr>"
        )
        for n, group in enumerate(report.groups, 1):
            assignment = ", ".join(f"{k}={v}" for k, v in group.assignment)
            tuples = "<br>".join(
                escape(", ".join(f"{k}={v}" for k, v in combo)) for combo in group.tuples
            )
            out.append(
                f'<tr><td class="num">{n}</td><td>{escape(assignment)}</td>'
                f'<td class="num">{len(group.tuples)}</td><td>{tuples}</td></tr>'
            )
        out.append("</table>")
    else:
        out.append("<p>None: every feasible tuple is covered.</p>")
    out.append('<h3>Jobs and their knob values</h3><div class="wide"><table><tr><th>job</th>')
    out.extend(f"<th>{escape(k)}</th>" for k in report.knobs)
    out.append("</tr>")
    for job in report.jobs:
        unresolved = dict(job.unresolved)
        cells = []
        for knob, value in job.values:
            if knob in unresolved:
                cells.append(f'<td title="{escape(unresolved[knob])}">?</td>')
            else:
                cells.append(f"<td>{escape(value or '–')}</td>")
        out.append(
            f'<tr><td title="{escape(job.source)}">{escape(job.job)}</td>'
            + "".join(cells)
            + "</tr>"
        )
    out.append("</table></div>")
    if report.unmatched:
        out.append("<h3>Jobs with unresolved knobs</h3><table><tr><th>job</th><th>reason</th></tr>")
        out.extend(
            f"<tr><td>{escape(u.job)}</td><td>{escape(u.reason)}</td></tr>"
            for u in report.unmatched
        )
        out.append("</table>")
    if report.stale:
        out.append(
            "<h3>Stale or misplaced options (oslo.config ignores them)</h3><table>"
            "<tr><th>job</th><th>file</th><th>option</th><th>reason</th>"
            "<th>defined in</th></tr>"
        )
        out.extend(
            f"<tr><td>{escape(s.job)}</td><td>{escape(s.file)}</td>"
            f"<td>[{escape(s.section)}] {escape(s.option)}</td><td>{escape(s.reason)}</td>"
            f"<td>{escape(s.defined_in)}</td></tr>"
            for s in report.stale
        )
        out.append("</table>")
    return "\n".join(out)


def render_html(reports: Sequence[AuditReport], title: str = "tempest-matrix audit") -> str:
    """The whole report page for one or more drivers."""
    body = "\n".join(_section(r) for r in reports)
    warnings = sorted({w for r in reports for w in r.warnings})
    notes = ""
    if warnings:
        notes = (
            "<h3>Warnings</h3><ul>" + "".join(f"<li>{escape(w)}</li>" for w in warnings) + "</ul>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>\n{body}\n{notes}\n</body></html>\n"
    )
