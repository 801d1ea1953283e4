"""A batch results directory, read for the Experiments page: the report and its figures.

All statistics come from `experiments.report.build_report` (Wilson intervals, the
independence test, Spearman effects, Sobol indices); this module only caches them per
directory version and turns them into tables and plotly figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from configuration.errors import UserError
from experiments.consolidate import read_runs
from experiments.report import build_report
from experiments.store import ResultsStore
from views.configs import results_dir

PALETTE = ("#4aa3ff", "#ff9f1c", "#7bed9f", "#ff5c5c", "#c792ea", "#f5d76e", "#9aa5b1")


def version(out: Path) -> tuple[float, int]:
    """Changes whenever a run is committed or the tables are consolidated (a cache key)."""
    store = ResultsStore(out)
    stamps = [p.stat().st_mtime for p in (store.runs_table, store.runs_dir) if p.exists()]
    return max(stamps, default=0.0), len(store.run_fragments())


@st.cache_data(show_spinner="Computing the statistics…", max_entries=8)
def _report(out: str, stamp: tuple[float, int]) -> dict[str, Any]:
    return build_report(out)


@st.cache_data(show_spinner=False, max_entries=8)
def _runs(out: str, stamp: tuple[float, int]) -> pd.DataFrame:
    return read_runs(ResultsStore(out))


def results_path(requested: str | Path) -> Path:
    """The directory `requested` names inside the results root (a relative path starts there).

    Opening results consolidates their fragments (a write), so the page opens nothing that
    resolves outside the root: `UserError` for an absolute path elsewhere, `..` or a link out.
    """
    root, text = results_dir(), str(requested).strip()
    try:
        typed = Path(text).expanduser()
        resolved = (typed if typed.is_absolute() else root / typed).resolve()
    except (OSError, RuntimeError):  # RuntimeError: `~nosuchuser`, a symbolic link loop
        raise UserError(f"{text}: cannot resolve the path.") from None
    if resolved != root and root not in resolved.parents:
        raise UserError(
            f"{text}: outside the results root {root}; the dashboard opens only results kept "
            "there (set CALLISTER_RESULTS before starting it for another root, or run "
            "`callister report DIR` in a shell)."
        )
    return resolved


def open_results(out: str | Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """(report, runs table) of DIR; `UserError` if DIR is outside the results root, missing or
    not a results dir."""
    directory = results_path(out)
    if not directory.is_dir():
        raise UserError(f"{directory}: no such results directory.")
    ResultsStore(directory).read_manifest()  # raises a clear UserError if not a batch store
    stamp = version(directory)
    return _report(str(directory), stamp), _runs(str(directory), stamp)


def read_series(out: str | Path, run_ids: list[int]) -> pd.DataFrame:
    return ResultsStore(out).read_series(run_ids)


def condition_label(point: dict[str, Any]) -> str:
    """`#3: invite_party.weight=1.2, price_hike=0.3` (keys shortened to their last parts)."""
    values = ", ".join(
        f"{'.'.join(k.split('.')[-2:])}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in point["values"].items()
    )
    if point["point"] == "all":
        return "all design points"
    return f"#{point['point']}: {values}" if values else f"#{point['point']}"


def ending_table(points: list[dict[str, Any]], endings: list[str]) -> pd.DataFrame:
    """Long table: condition, ending, count, share, 95% interval."""
    rows = []
    for point in points:
        for ending in endings:
            cell = point["endings"].get(ending, {})
            rows.append(
                {
                    "condition": condition_label(point),
                    "ending": ending,
                    "runs": point["ok"],
                    "count": cell.get("count", 0),
                    "share": cell.get("share"),
                    "low": cell.get("low"),
                    "high": cell.get("high"),
                }
            )
    return pd.DataFrame(rows)


def endings_figure(table: pd.DataFrame, height: int = 380) -> dict:
    """Grouped bars: one group per condition, one bar per ending, with Wilson 95% intervals."""
    data = []
    for n, (ending, rows) in enumerate(table.groupby("ending", sort=False)):
        share = rows["share"].fillna(0.0)
        data.append(
            {
                "type": "bar",
                "name": ending,
                "x": rows["condition"].tolist(),
                "y": share.tolist(),
                "marker": {"color": PALETTE[n % len(PALETTE)]},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": (rows["high"].fillna(0.0) - share).clip(lower=0).tolist(),
                    "arrayminus": (share - rows["low"].fillna(0.0)).clip(lower=0).tolist(),
                },
                "customdata": rows["count"].tolist(),
                "hovertemplate": "%{x}<br>"
                + ending
                + ": %{y:.0%} (%{customdata} runs)<extra></extra>",
            }
        )
    layout = {
        "barmode": "group",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "yaxis": {"title": {"text": "share of runs (95% Wilson interval)"}, "range": [0, 1.05]},
        "legend": {"orientation": "h", "y": 1.1},
    }
    return {"data": data, "layout": layout}


def effects_table(report: dict[str, Any]) -> pd.DataFrame:
    """Spearman's rho of each parameter (rows) with each outcome (columns)."""
    effects = pd.DataFrame(report.get("effects") or [])
    if effects.empty:
        return effects
    return effects.pivot(index="parameter", columns="outcome", values="rho")


def effects_figure(table: pd.DataFrame) -> dict:
    return heatmap_figure(table, (-1, 1), "RdBu", "ρ", "ρ = %{z:.2f}", row_height=40)


def heatmap_figure(
    table: pd.DataFrame,
    limits: tuple[float, float],
    colorscale: str,
    label: str,
    value: str,
    row_height: int = 32,
    first_row_on_top: bool = False,
) -> dict:
    """A heatmap of `table` (rows by columns); `value` is the hover's format of a cell."""
    figure = {
        "data": [
            {
                "type": "heatmap",
                "z": table.to_numpy().tolist(),
                "x": list(table.columns),
                "y": list(table.index),
                "zmin": limits[0],
                "zmax": limits[1],
                "colorscale": colorscale,
                "colorbar": {"title": {"text": label}},
                "hovertemplate": f"%{{y}}<br>%{{x}}: {value}<extra></extra>",
            }
        ],
        "layout": {
            "height": 120 + row_height * len(table),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        },
    }
    if first_row_on_top:  # as a table reads (plotly draws the first row at the bottom)
        figure["layout"]["yaxis"] = {"autorange": "reversed"}
    return figure


def sobol_table(report: dict[str, Any], outcome: str) -> pd.DataFrame:
    rows = ((report.get("sobol") or {}).get("outcomes") or {}).get(outcome, [])
    return pd.DataFrame(rows)


def sobol_figure(table: pd.DataFrame) -> dict:
    bars = []
    for index, (column, name) in enumerate((("s1", "first order S1"), ("st", "total ST"))):
        bars.append(
            {
                "type": "bar",
                "name": name,
                "x": table["parameter"].tolist(),
                "y": table[column].tolist(),
                "error_y": {"type": "data", "array": table[f"{column}_conf"].fillna(0).tolist()},
                "marker": {"color": PALETTE[index]},
            }
        )
    return {
        "data": bars,
        "layout": {
            "barmode": "group",
            "height": 340,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "yaxis": {"title": {"text": "Sobol index (95% bootstrap interval)"}},
        },
    }


def series_overlay(series: pd.DataFrame, metric: str, labels: dict[int, str]) -> dict:
    """One line per run of `metric` over ticks."""
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": labels.get(int(run_id), str(run_id)),
            "x": rows["tick"].tolist(),
            "y": rows[metric].tolist(),
        }
        for run_id, rows in series.groupby("run_id")
    ]
    return {
        "data": data,
        "layout": {
            "height": 300,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {"title": {"text": "tick"}},
            "yaxis": {"title": {"text": metric}},
        },
    }
