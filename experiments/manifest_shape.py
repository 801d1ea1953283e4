"""The shape a results directory's `manifest.json` must have before anything reads it.

The batch and the report index into the manifest (`design.points`, `experiment.experiment.seed`
...); a file edited by hand or written by another program would otherwise fail deep inside
with an `AttributeError`. `check_manifest` turns any wrong shape into one `UserError` naming
the file and the dotted key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from configuration.errors import UserError

MAX_PROBLEMS_SHOWN = 5


class _Loose(BaseModel):
    # Strict: a string is not a number here. Extra keys are kept (provenance, newer fields).
    model_config = ConfigDict(extra="allow", strict=True)


class _Design(_Loose):
    kind: str
    keys: list[str]
    points: list[list[Any]]
    base_samples: int | None = None


class _Section(_Loose):
    seed: int
    series_every: int = Field(0, ge=0)


class _Experiment(_Loose):
    experiment: _Section


class _Manifest(_Loose):
    format: str
    name: str
    fingerprint: dict[str, str] = Field(default_factory=dict)
    design: _Design
    replicates: int = Field(ge=1)
    runs: int = Field(ge=0)
    experiment: _Experiment
    code: str | None = None
    events: bool = False  # each run's events kept in events.parquet (absent before they were)
    created: str | None = None
    description: str = ""


def check_manifest(data: Any, path: Path, expected_format: str) -> dict[str, Any]:
    """`data` if it is a manifest of `expected_format`; else `UserError` naming the key."""
    advice = "it was not written by this version of Callister, or was edited by hand"
    if not isinstance(data, dict):
        raise UserError(
            f"{path}: expected a JSON object (a batch manifest), found {_kind(data)}; {advice}."
        )
    if data.get("format") != expected_format:
        raise UserError(
            f"{path}: format {data.get('format')!r} is not {expected_format!r}; it was "
            "written by another version of Callister, or is not a batch manifest."
        )
    try:
        _Manifest.model_validate(data)
    except ValidationError as error:
        problems = [_problem(issue) for issue in error.errors(include_url=False)]
        if len(problems) == 1:
            raise UserError(f"{path}: {problems[0]}; {advice}.") from None
        listed = "".join(f"\n  {problem}" for problem in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        listed += f"\n  ... and {more} more" if more > 0 else ""
        raise UserError(f"{path}: {len(problems)} problems ({advice}):{listed}") from None
    design = data["design"]
    width = len(design["keys"])
    for index, point in enumerate(design["points"]):
        if len(point) != width:
            raise UserError(
                f"{path}: design.points.{index}: has {len(point)} values for {width} "
                f"parameters; {advice}."
            )
    if data["runs"] != len(design["points"]) * data["replicates"]:
        raise UserError(
            f"{path}: runs: {data['runs']} is not design points x replicates "
            f"({len(design['points'])} x {data['replicates']}); {advice}."
        )
    return data


def _problem(issue: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in issue["loc"])
    if issue["type"] == "missing":
        return f"{key}: missing"
    return f"{key}: {issue['msg'].lower()}, found {_kind(issue['input'])}"


def _kind(value: Any) -> str:
    """How JSON calls `value`'s type, and the value itself (shortened)."""
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object"}
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{names.get(type(value), type(value).__name__)} {shown}"
