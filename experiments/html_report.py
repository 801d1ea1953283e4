"""The HTML report (`callister report DIR --html FILE`): the text report's numbers, with plots.

One self-contained file (plotly.js is inlined, so it opens offline and can be mailed):
ending shares per design point with their Wilson intervals, each ending's share against each
parameter, Sobol indices with confidence intervals, and the mean trajectory of key metrics.
A generator `<meta>` in the head lets a later `--html` replace the file without `--force`.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from experiments.consolidate import read_runs
from experiments.report_text import render_text
from experiments.store import ResultsStore
from world.outputs import OutputFile, check_output_file, publish_file, written_with

# In the <head>, before the inlined plotly.js: how `--html` knows a file is a report we wrote.
GENERATOR = '<meta name="generator" content="callister report">'
SERIES_SHOWN = ("credits", "price_index", "crew_alive", "players", "legal_risk", "hunters")
MAX_POINT_TRACES = 12
PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6")


def check_html_output(target: str | os.PathLike[str], force: bool = False) -> OutputFile:
    """Check `--html FILE` before any work: an existing file must be a report we wrote."""
    return check_output_file(
        target, option="--html", force=force, ours=written_with(GENERATOR.encode())
    )


def write_html(
    report: dict[str, Any], out_dir: str | Path, target: OutputFile | str | os.PathLike[str]
) -> Path:
    """Write the HTML report of `report` (built from `out_dir`) to `target`, atomically.

    A plain path is checked first like `--html` without `--force`.
    """
    output = target if isinstance(target, OutputFile) else check_html_output(target)
    figures = [
        ("Endings per design point", _endings_figure(report)),
        ("Endings against each parameter", _parameter_figure(report)),
        ("Sobol indices", _sobol_figure(report)),
        ("Mean trajectories", _series_figure(report, ResultsStore(out_dir))),
    ]
    body = [
        f"<h1>{html.escape(report['experiment'])}</h1>",
        f"<p>{html.escape(report.get('description') or '')}</p>",
    ]
    for title, figure in figures:
        if figure is not None:
            body.append(f"<h2>{html.escape(title)}</h2>")
            body.append(pio.to_html(figure, full_html=False, include_plotlyjs=False))
    body.append("<h2>Statistics</h2>")
    body.append(f"<pre>{html.escape(render_text(report))}</pre>")
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{GENERATOR}"
        f"<title>{html.escape(report['experiment'])} - Callister batch report</title>"
        f"<script>{get_plotlyjs()}</script>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}"
        "pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}</style>"
        f"</head><body>{''.join(body)}</body></html>"
    )
    return publish_file(output, page)


def _label(point: dict[str, Any]) -> str:
    values = ", ".join(f"{_short(k)}={_fmt(v)}" for k, v in point["values"].items())
    return f"#{point['point']} {values}".strip()


def _short(key: str) -> str:
    """The last two segments of a dotted key name it well enough: invite_party.weight."""
    return ".".join(key.split(".")[-2:])


def _fmt(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _endings_figure(report: dict[str, Any]) -> go.Figure | None:
    """Stacked shares with hover intervals, or grouped bars with error bars for few points."""
    points = [p for p in report["points"] if p["ok"]]
    if not points or not report["endings"]:
        return None
    grouped = len(points) <= MAX_POINT_TRACES
    # Many points (sampled designs): number them; their values are in the hover text.
    labels = [_label(p) if grouped else p["point"] for p in points]
    hover = [_label(p) for p in points]
    figure = go.Figure()
    for i, ending in enumerate(report["endings"]):
        cells = [p["endings"][ending] for p in points]
        shares = [c["share"] for c in cells]
        error = (
            dict(
                type="data",
                symmetric=False,
                array=[c["high"] - c["share"] for c in cells],
                arrayminus=[c["share"] - c["low"] for c in cells],
            )
            if grouped
            else None
        )
        figure.add_bar(
            name=ending,
            x=labels,
            y=shares,
            error_y=error,
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=[
                [c["count"], c["low"], c["high"], h] for c, h in zip(cells, hover, strict=True)
            ],
            hovertemplate="%{customdata[3]}<br>" + ending + ": %{customdata[0]} runs, %{y:.0%} "
            "[%{customdata[1]:.0%}, %{customdata[2]:.0%}]<extra></extra>",
        )
    figure.update_layout(
        barmode="group" if grouped else "stack",
        yaxis_tickformat=".0%",
        yaxis_title="share of ok runs (95% Wilson interval)",
        height=450,
    )
    return figure


def _parameter_figure(report: dict[str, Any]) -> go.Figure | None:
    """Each ending's share against each numeric parameter (pooled runs, Wilson intervals)."""
    marginals = report.get("marginals") or []
    if not marginals:
        return None
    titles = [_short(m["parameter"]) for m in marginals]
    figure = make_subplots(rows=1, cols=len(marginals), shared_yaxes=True, subplot_titles=titles)
    for col, marginal in enumerate(marginals, start=1):
        for i, ending in enumerate(report["endings"]):
            cells = marginal["endings"][ending]
            share, low, high = cells["share"], cells["low"], cells["high"]
            figure.add_scatter(
                x=marginal["x"], y=share, mode="lines+markers", name=ending,
                legendgroup=ending, showlegend=col == 1,
                line={"color": PALETTE[i % len(PALETTE)]},
                error_y={
                    "type": "data", "symmetric": False,
                    "array": [h - s for h, s in zip(high, share, strict=True)],
                    "arrayminus": [s - lo for s, lo in zip(share, low, strict=True)],
                },
                customdata=marginal["runs"],
                hovertemplate="%{x:.3g}: %{y:.0%} of %{customdata} runs<extra>" + ending
                + "</extra>",
                row=1, col=col,
            )  # fmt: skip
    figure.update_yaxes(tickformat=".0%", title_text="share of ok runs", row=1, col=1)
    figure.update_layout(height=420)
    return figure


def _sobol_figure(report: dict[str, Any]) -> go.Figure | None:
    sobol = report.get("sobol") or {}
    outcomes = sobol.get("outcomes") or {}
    if not outcomes:
        return None
    figure = make_subplots(
        rows=len(outcomes),
        cols=1,
        subplot_titles=list(outcomes),
        vertical_spacing=min(0.08, 0.5 / len(outcomes)),
    )
    for row, indices in enumerate(outcomes.values(), start=1):
        names = [_short(i["parameter"]) for i in indices]
        for index, colour in (("s1", PALETTE[0]), ("st", PALETTE[1])):
            figure.add_bar(
                x=names,
                y=[i[index] for i in indices],
                name=index.upper(),
                legendgroup=index,
                showlegend=row == 1,
                marker_color=colour,
                error_y={"type": "data", "array": [i[f"{index}_conf"] for i in indices]},
                row=row,
                col=1,
            )
    figure.update_layout(barmode="group", height=260 * len(outcomes))
    return figure


def _mean_per_tick(columns: pd.DataFrame) -> pd.Series:
    """Each row's mean, divided before summing so that values near the float maximum stay finite."""
    return columns.div(columns.count(axis=1), axis=0).sum(axis=1, min_count=1)


def _series_figure(report: dict[str, Any], store: ResultsStore) -> go.Figure | None:
    """Mean of a few metrics per sampled tick: one line per design point (or one overall).

    Runs end at different ticks (an ending plus its epilogue), so a run that has ended keeps
    its last sampled value: every mean is over the same runs at every tick, and the lines
    show how the population of runs evolves rather than which runs happen to be left.
    """
    every = report.get("series_every") or 0
    series = store.read_series()
    metrics = [m for m in SERIES_SHOWN if m in series.columns]
    if series.empty or not metrics or every <= 0:
        return None
    runs = read_runs(store)
    runs = runs.loc[runs["status"] == "ok", ["run_id", "point"]]
    series = series[(series["tick"] % every == 0) & series["run_id"].isin(runs["run_id"])]
    by_point = len(report["points"]) <= MAX_POINT_TRACES
    groups = runs.groupby("point")["run_id"].apply(list) if by_point else {"all": runs["run_id"]}
    figure = make_subplots(rows=len(metrics), cols=1, shared_xaxes=True, subplot_titles=metrics)
    for row, metric in enumerate(metrics, start=1):
        wide = series.pivot(index="tick", columns="run_id", values=metric).sort_index().ffill()
        for n, (point, run_ids) in enumerate(groups.items()):
            name = _label(report["points"][int(point)]) if by_point else "all runs"
            figure.add_scatter(
                x=wide.index, y=_mean_per_tick(wide[list(run_ids)]), mode="lines", name=name,
                legendgroup=name, showlegend=row == 1, line={"color": PALETTE[n % len(PALETTE)]},
                row=row, col=1,
            )  # fmt: skip
    figure.update_xaxes(title_text="tick (hours)", row=len(metrics), col=1)
    figure.update_layout(
        height=220 * len(metrics),
        title_text="mean over ok runs (a run that has ended keeps its last value)",
    )
    return figure
