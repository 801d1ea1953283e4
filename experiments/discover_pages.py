"""What `callister discover` shows: the text summary and the standalone HTML page.

The page (plotly inlined, so it opens offline) plots the peeling trajectory, coverage against
density with the chosen step marked, and the first box's limits over each parameter's range.
A generator `<meta>` lets a later `--html` replace the page without `--force`.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from experiments.discover_boxes import NO_BOX
from experiments.html_report import GENERATOR as REPORT_GENERATOR
from world.outputs import OutputFile, check_output_file, publish_file, written_with

GENERATOR = '<meta name="generator" content="callister discover">'
TRAJECTORY_LINES = 12


def check_discover_html(target: str | os.PathLike[str], force: bool = False) -> OutputFile:
    """Check `--html FILE` before any work: an existing file must be a page Callister wrote."""
    ours_discover = written_with(GENERATOR.encode())
    ours_report = written_with(REPORT_GENERATOR.encode())
    return check_output_file(
        target,
        option="--html",
        force=force,
        ours=lambda path: ours_discover(path) or ours_report(path),
    )


def render_text(result: dict[str, Any]) -> str:
    """The trajectory (a sample of its steps) and the boxes, best first."""
    lines = [
        f"Scenario discovery ({result['method']}) of {result['outcome']} in "
        f"{result['experiment']}: {result['hits']} of {result['runs']} ok runs "
        f"({_percent(result['base_rate'])}) over {result['points']} design points; "
        f"{result['failed_runs']} failed runs left out.",
        "",
        "Trajectory (coverage, density, mass, restricted parameters):",
    ]
    steps = result["trajectory"]
    shown = sorted({*range(0, len(steps), max(1, len(steps) // TRAJECTORY_LINES)), len(steps) - 1})
    for index in shown:
        step = steps[index]
        mark = "  <- chosen" if index == result["chosen_step"] and result["boxes"] else ""
        lines.append(
            f"  {index:>3}  coverage {_percent(step['coverage'])}  density "
            f"{_percent(step['density'])}  mass {_percent(step['mass'])}  "
            f"{', '.join(step['restricted']) or '-'}{mark}"
        )
    if not result["boxes"]:
        lines += ["", NO_BOX]
    for number, box in enumerate(result["boxes"], start=1):
        low, high = box["density_ci"]
        lines += [
            "",
            f"Box {number}: coverage {_percent(box['coverage'])}, density "
            f"{_percent(box['density'])} (95% CI {_percent(low)} to {_percent(high)}), "
            f"mass {_percent(box['mass'])}, {box['hits']} of {box['runs']} runs",
        ]
        for key, (lower, upper) in box["limits"].items():
            lines.append(
                f"  {lower:.6g} <= {key} <= {upper:.6g}   quasi-p {box['quasi_p'][key]:.2g}"
                + _stability_text(box["stability"][key], result["resamples"])
            )
    return "\n".join(lines) + "\n"


def page(result: dict[str, Any]) -> str:
    """The standalone HTML page of a discovery."""
    figures = [_trajectory_figure(result), _limits_figure(result)]
    title = f"{result['outcome']} in {result['experiment']}"
    body = [f"<h1>Scenario discovery: {html.escape(title)}</h1>"]
    for figure in figures:
        if figure is not None:
            body.append(pio.to_html(figure, full_html=False, include_plotlyjs=False))
    body.append(f"<pre>{html.escape(render_text(result))}</pre>")
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{GENERATOR}"
        f"<title>{html.escape(title)} - Callister discover</title>"
        f"<script>{get_plotlyjs()}</script>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}"
        "pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}</style>"
        f"</head><body>{''.join(body)}</body></html>"
    )


def _trajectory_figure(result: dict[str, Any]) -> go.Figure:
    steps = result["trajectory"]
    figure = go.Figure(
        go.Scatter(
            x=[s["coverage"] for s in steps],
            y=[s["density"] for s in steps],
            mode="lines+markers",
            name="trajectory",
            text=[f"step {s['step']}: {', '.join(s['restricted']) or 'no limit'}" for s in steps],
            hovertemplate="%{text}<br>coverage %{x:.1%}<br>density %{y:.1%}<extra></extra>",
        )
    )
    if result["boxes"]:
        chosen = steps[result["chosen_step"]]
        figure.add_trace(
            go.Scatter(
                x=[chosen["coverage"]],
                y=[chosen["density"]],
                mode="markers",
                marker={"size": 14, "symbol": "star"},
                name="chosen step",
            )
        )
    figure.update_layout(
        title="Trajectory: coverage against density",
        xaxis={"title": "coverage", "tickformat": ".0%"},
        yaxis={"title": "density", "tickformat": ".0%"},
        height=420,
    )
    return figure


def _limits_figure(result: dict[str, Any]) -> go.Figure | None:
    """Box 1's limits drawn over each restricted parameter's range (scaled to 0..1)."""
    if not result["boxes"]:
        return None
    limits = result["boxes"][0]["limits"]
    figure = make_subplots(rows=len(limits), cols=1, subplot_titles=list(limits))
    for row, (key, (low, high)) in enumerate(limits.items(), start=1):
        first, last = result["ranges"][key]
        figure.add_trace(
            go.Bar(x=[last - first], base=[first], y=[key], orientation="h", name="range",
                   marker_color="#DDDDDD", showlegend=row == 1),
            row=row, col=1,
        )  # fmt: skip
        figure.add_trace(
            go.Bar(x=[high - low], base=[low], y=[key], orientation="h", name="box 1",
                   marker_color="#4C78A8", showlegend=row == 1, width=0.5),
            row=row, col=1,
        )  # fmt: skip
    figure.update_layout(
        title="Box 1 over the parameter ranges", barmode="overlay", height=140 * len(limits) + 120
    )
    return figure


def _stability_text(share: float | None, resamples: int) -> str:
    return "" if share is None else f", kept in {_percent(share)} of {resamples} resamples"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def write_page(result: dict[str, Any], output: OutputFile) -> Path:
    return publish_file(output, page(result))
