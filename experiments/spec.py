"""The experiment file (`configs/experiments/*.toml`): what to sweep, how, how often, from what.

    [experiment]  name, config (base scenario), design, replicates, seed, samples, series...
    [parameters]  dotted config key -> a list of values (grid) or {low, high} (lhs/sobol/random)
    [fixed]       dotted config key -> value, applied to every run

This module only checks the file's own shape (unknown keys, bad ranges, a design without the
values it needs); whether the dotted keys and values fit the scenario is `scenario.py`'s job.
Keys may be written quoted (`"economy.price_hike" = ...`) or as TOML sub-tables; both become
the same dotted key.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from configuration.errors import UserError
from configuration.problems import translate
from configuration.shown_values import show
from configuration.toml_input import file_problem, parse_toml, read_text
from experiments.samplers import DESIGNS, GRID, SAMPLERS

Scalar = bool | int | float | str
# Seeds come from [experiment].seed through SeedSequence; a swept or fixed seed would silently
# make replicates identical (Mesa #2835), so these keys are refused.
RESERVED_KEYS = ("simulation.seed",)
# The name becomes a directory name: no separators, no leading dot, nothing a shell mangles.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
NAME_RULE = "letters, digits, _ . - starting with a letter or digit, at most 100 characters"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParameterRange(_Strict):
    """A continuous (or integer) range sampled by lhs / sobol / random designs."""

    low: float = Field(description="smallest value")
    high: float = Field(description="largest value")
    integer: bool = Field(False, description="round to whole numbers (for integer config keys)")
    log: bool = Field(False, description="sample uniformly in log space (needs low > 0)")

    @model_validator(mode="after")
    def _ordered(self) -> ParameterRange:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError("low and high must be finite numbers")
        if self.low >= self.high:
            raise ValueError(f"low ({self.low:g}) must be smaller than high ({self.high:g})")
        if self.log and self.integer:
            raise ValueError("integer and log cannot be combined")
        if self.log and self.low <= 0:
            raise ValueError("a log range needs low > 0")
        if self.integer and (math.ceil(self.low) > math.floor(self.high)):
            raise ValueError("an integer range must contain at least one whole number")
        return self


class ExperimentSection(_Strict):
    """The `[experiment]` table."""

    name: str = Field(description=f"{NAME_RULE} (names the default output directory)")
    description: str = Field("", description="free text, copied into the manifest and report")
    config: str = Field(description="base scenario TOML, relative to the experiment file")
    design: Literal[DESIGNS] = Field(GRID)  # type: ignore[valid-type]
    replicates: int = Field(1, ge=1, le=1_000_000, description="runs per design point")
    seed: int = Field(1, ge=0, le=2**63 - 1, description="master seed of the experiment")
    samples: int | None = Field(
        None, ge=1, le=10_000_000, description="lhs/random: design points; sobol: base samples N"
    )
    series_every: int = Field(
        24, ge=0, description="keep every n-th tick of each run's metrics (0 = keep no series)"
    )
    series: list[str] = Field(
        default_factory=list, description="metric columns to keep (empty = every column)"
    )
    events: bool = Field(
        True,
        description="keep each run's events (hour, kind, actors; about 2.5 KB a run) for "
        "`callister stories`; false keeps only their counts",
    )

    @field_validator("name")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        if not _NAME.fullmatch(name):
            raise ValueError(f"must be {NAME_RULE}, got {show(name)}")
        return name


class ExperimentFile(_Strict):
    """The whole experiment file, with dotted keys already flattened."""

    experiment: ExperimentSection
    parameters: dict[str, list[Scalar] | ParameterRange] = Field(default_factory=dict)
    fixed: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentFile:
        design, samples = self.experiment.design, self.experiment.samples
        for key, values in self.parameters.items():
            if design == GRID and not isinstance(values, list):
                raise ValueError(
                    f'parameters."{key}": a grid design takes a list of values, '
                    f"not a {{low, high}} range (use design = {_sampled('or')} for ranges)"
                )
            if design != GRID and isinstance(values, list):
                raise ValueError(
                    f'parameters."{key}": a {design} design samples ranges: write '
                    "{ low = ..., high = ... } instead of a list"
                )
            if isinstance(values, list):
                if not values:
                    raise ValueError(f'parameters."{key}": the list of values is empty')
                if len(set(map(repr, values))) != len(values):
                    raise ValueError(f'parameters."{key}": the list repeats a value')
        if design == GRID and samples is not None:
            raise ValueError(f"experiment.samples: only {_sampled('and')} designs take samples")
        if design != GRID and samples is None:
            raise ValueError(f"experiment.samples: a {design} design needs samples = N")
        if design != GRID and not self.parameters:
            raise ValueError(f"parameters: a {design} design needs at least one range")
        if design == "sobol" and samples is not None and samples & (samples - 1):
            raise ValueError(
                f"experiment.samples: Sobol base samples must be a power of two "
                f"(got {samples}; try {1 << max(samples - 1, 1).bit_length()})"
            )
        both = sorted(set(self.parameters) & set(self.fixed))
        if both:
            raise ValueError(f"{', '.join(both)}: set in both [parameters] and [fixed]")
        for key in RESERVED_KEYS:
            if key in self.parameters or key in self.fixed:
                raise ValueError(
                    f"{key}: seeds come from experiment.seed (one per run, spawned with "
                    "SeedSequence); remove it from [parameters] / [fixed]"
                )
        return self


def _sampled(conjunction: str) -> str:
    """The sampled designs in words: `lhs, sobol or random`."""
    *first, last = SAMPLERS
    return f"{', '.join(first)} {conjunction} {last}"


@dataclass(frozen=True)
class Experiment:
    """A validated experiment file and where it came from."""

    path: Path
    text: str
    spec: ExperimentFile
    base_config_path: Path

    @property
    def name(self) -> str:
        return self.spec.experiment.name


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file; any problem is a `UserError` naming the key."""
    path = Path(path)
    text = read_text(path, "experiment file")
    raw = parse_toml(text, str(path))
    prepared = dict(raw)
    problems: list[str] = []
    for table, flatten in (("parameters", _flatten_parameters), ("fixed", _flatten_fixed)):
        if isinstance(raw.get(table), dict):
            prepared[table] = {}
            for key, value in flatten(raw[table]):
                if key in prepared[table]:
                    problems.append(f"{table}.{key}: given twice (quoted and as a sub-table)")
                prepared[table][key] = value
    if isinstance(prepared.get("parameters"), dict):
        prepared["parameters"] = {
            key: _parameter_values(key, value, problems)
            for key, value in prepared["parameters"].items()
        }
    # With bad parameters, still check the rest of the file so that every problem is listed
    # at once (cross-checks that need the parameters are skipped until they are valid).
    candidate = {**prepared, "parameters": {}} if problems else prepared
    try:
        spec = ExperimentFile.model_validate(candidate)
    except ValidationError as error:
        issues = translate(error.errors(include_url=False), ExperimentFile, candidate)
        problems.extend(
            f"{issue.key}: {issue.message}" if issue.key else issue.message
            for issue in issues
            if issue.key or not problems
        )
    if problems:
        raise UserError(_paragraph(path, problems))
    return Experiment(
        path=path.resolve(), text=text, spec=spec, base_config_path=_base_path(path, spec)
    )


def _base_path(path: Path, spec: ExperimentFile) -> Path:
    """The base scenario's absolute path; a symlink loop or a FIFO there is refused now."""
    base = Path(spec.experiment.config)
    try:
        base = base.expanduser()
    except RuntimeError:  # `~name` of a user this machine does not know
        raise UserError(f"{path}: experiment.config: {base}: no such user's home") from None
    base = base if base.is_absolute() else (path.parent / base)
    where = f"{path}: experiment.config: {base.absolute()}"
    try:
        resolved = base.resolve()
    except RuntimeError:  # pathlib's way of saying "symlink loop" while resolving
        raise UserError(f"{where}: a symbolic link loop, not a file") from None
    except (OSError, ValueError):
        return base.absolute()  # unreadable: reading the base names the problem
    try:
        problem = file_problem(os.stat(resolved))
    except (OSError, ValueError):
        return resolved  # missing: preparing the base says so
    if problem:
        raise UserError(f"{where}: {problem}")
    return resolved


def _parameter_values(key: str, value: Any, problems: list[str]) -> Any:
    """Check one parameter's values here, so that errors read `parameters."key": ...`."""
    where = f'parameters."{key}"'
    if isinstance(value, dict):
        try:
            return ParameterRange.model_validate(value)
        except ValidationError as error:
            issues = translate(error.errors(include_url=False), ParameterRange, value)
            problems.extend(
                f"{where}{'.' + issue.key if issue.key else ''}: {issue.message}"
                for issue in issues
            )
            return value
    if isinstance(value, list):
        bad = [v for v in value if not isinstance(v, bool | int | float | str)]
        if bad:
            problems.append(
                f"{where}: values must be numbers, booleans or strings, got {show(bad[0])}"
            )
        return value
    problems.append(
        f"{where}: expected a list of values (grid) or a {{ low = ..., high = ... }} range, "
        f"got {show(value)}"
    )
    return value


def _paragraph(path: Path, lines: list[str]) -> str:
    if len(lines) == 1:
        return f"{path}: {lines[0].rstrip('.')}."
    listed = "\n".join(f"  {line.rstrip('.')}." for line in lines)
    return f"{path}: {len(lines)} problems in the experiment file:\n{listed}"


def _flatten_parameters(table: dict[str, Any], prefix: str = ""):
    """Nested tables become dotted keys, except a range table ({low, high, ...}), kept whole."""
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and not ({"low", "high"} & set(value)):
            yield from _flatten_parameters(value, f"{dotted}.")
        else:
            yield dotted, value


def _flatten_fixed(table: dict[str, Any], prefix: str = ""):
    """Every nested table becomes dotted leaf keys, so a fixed table merges, never replaces."""
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from _flatten_fixed(value, f"{dotted}.")
        else:
            yield dotted, value
