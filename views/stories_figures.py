"""Tables and plotly figures of `batch_stories`: shares with intervals, shares per design point."""

from __future__ import annotations

from typing import Any

import pandas as pd

from views.results import PALETTE, condition_label, heatmap_figure


def share_table(report: dict[str, Any]) -> pd.DataFrame:
    """One row per judged pattern, rarest first: runs matched, share, 95% Wilson interval."""
    rows = [
        {
            "pattern": row["name"],
            "runs matched": row["runs_matched"],
            "runs": report["runs"],
            "share": row["share"],
            "low": row["ci"][0],
            "high": row["ci"][1],
            "description": row["description"],
        }
        for row in report["patterns"]
        if row["applicable"]
    ]
    columns = ["pattern", "runs matched", "runs", "share", "low", "high", "description"]
    return pd.DataFrame(rows, columns=columns)


def share_figure(table: pd.DataFrame) -> dict:
    """Each pattern's share as a dot with its 95% interval, the rarest on top."""
    share = table["share"].fillna(0.0)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": share.tolist(),
                "y": table["pattern"].tolist(),
                "marker": {"color": PALETTE[0], "size": 10},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": (table["high"] - share).clip(lower=0).tolist(),
                    "arrayminus": (share - table["low"]).clip(lower=0).tolist(),
                },
                "customdata": table[["runs matched", "runs"]].to_numpy().tolist(),
                "hovertemplate": "%{y}: %{x:.0%} (%{customdata[0]} of %{customdata[1]} runs)"
                "<extra></extra>",
            }
        ],
        "layout": {
            "height": 80 + 32 * len(table),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {"title": {"text": "share of runs (95% Wilson interval)"}, "range": [0, 1]},
            "yaxis": {"autorange": "reversed"},  # the table's order: rarest first
        },
    }


def point_table(report: dict[str, Any]) -> pd.DataFrame:
    """Share of each judged pattern (rows) at each design point (columns)."""
    judged = [row for row in report["patterns"] if row["applicable"]]
    return pd.DataFrame(
        {
            condition_label(point): [row["points"][n]["share"] for row in judged]
            for n, point in enumerate(judged[0]["points"] if judged else [])
        },
        index=pd.Index([row["name"] for row in judged], name="pattern"),
    )


def point_figure(table: pd.DataFrame) -> dict:
    """A heatmap of the shares per design point."""
    return heatmap_figure(table, (0, 1), "Blues", "share", "%{z:.0%}", first_row_on_top=True)


def matching_runs(report: dict[str, Any], pattern_id: str, runs: pd.DataFrame) -> pd.DataFrame:
    """The runs a pattern matched: run id, design point and values, seed, ending."""
    row = next(row for row in report["patterns"] if row["id"] == pattern_id)
    columns = ["run_id", "point", *report["parameters"], "seed", "ending"]
    found = runs[runs["run_id"].isin(row["run_ids"])]
    return found[[c for c in columns if c in found]].reset_index(drop=True)
