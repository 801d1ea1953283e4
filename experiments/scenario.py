"""From an experiment to scenario configs: the base scenario, `[fixed]`, then each point's values.

A run's config is exactly what `callister run BASE --set <fixed...> --set <point values...>`
would load: the base TOML table, overrides applied with `apply_overrides`, then validated with
`validate_raw`. Everything that can be checked before the first run is checked here, so a typo
in a dotted key costs seconds, not a night of failed runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from configuration.errors import UserError
from configuration.loading import ConfigError, validate_raw
from configuration.overrides import apply_overrides
from configuration.scenario import ScenarioConfig
from configuration.shown_values import show
from configuration.toml_input import read_toml
from experiments.spec import Experiment, ParameterRange


@dataclass(frozen=True)
class ScenarioBase:
    """The base scenario with `[fixed]` applied: each run adds its design point's values."""

    source: str
    raw: dict[str, Any]
    config: ScenarioConfig


def prepare_base(experiment: Experiment) -> ScenarioBase:
    """Load the base scenario, apply `[fixed]` and validate; `UserError` on any problem."""
    source = str(experiment.base_config_path)
    where = f"{experiment.path}: experiment.config"
    if not experiment.base_config_path.is_file():
        raise UserError(f"{where}: no such base scenario file {source}.")
    raw = read_toml(experiment.base_config_path)
    fixed = experiment.spec.fixed
    try:
        with_fixed = apply_overrides(raw, fixed)
        config = validate_raw(with_fixed, source)
    except ConfigError as error:
        lines = [_issue_line(issue.key, issue.message, fixed) for issue in error.issues]
        raise UserError(
            _paragraph(f"{experiment.path}: the base scenario {source}", lines)
        ) from None
    except UserError as error:
        lines = [line.replace("--set ", "[fixed] ") for line in str(error).splitlines()]
        raise UserError(_paragraph(f"{experiment.path}: [fixed]", lines)) from None
    return ScenarioBase(source=source, raw=with_fixed, config=config)


def check_parameters(experiment: Experiment, base: ScenarioBase) -> None:
    """Validate every grid value, and both ends of every range, against the base scenario.

    Each key is tried alone on top of the base, so an unknown key or an out-of-range value is
    reported with its dotted key before any run starts. (Combinations are checked per run: a
    combination the schema rejects becomes a failed run with its message.)
    """
    problems: list[str] = []
    for key, values in experiment.spec.parameters.items():
        for value in candidate_values(values):
            try:
                run_config(base.raw, base.source, {key: value})
            except ConfigError as error:
                problems.extend(
                    f'parameters."{key}" = {show(value)}: {issue.key}: {issue.message}'
                    for issue in error.issues
                )
                break  # one bad value per key is enough to show what is wrong
            except UserError as error:
                message = str(error).replace("--set ", "")
                problems.append(f'parameters."{key}": {message}')
                break
    if problems:
        head = f"{experiment.path}: [parameters] do not fit the base scenario {base.source}"
        raise UserError(_paragraph(head, problems))


def candidate_values(values: list[Any] | ParameterRange) -> list[Any]:
    """The values worth validating up front: every listed value, or a range's two ends."""
    if isinstance(values, ParameterRange):
        if values.integer:
            return [math.ceil(values.low), math.floor(values.high)]
        return [values.low, values.high]
    return list(values)


def run_config(raw: Mapping[str, Any], source: str, values: Mapping[str, Any]) -> ScenarioConfig:
    """The scenario of one design point: base `raw` (with `[fixed]`) plus the point's values.

    Raises `ConfigError` / `UserError` when the combination is invalid. Takes plain data, not a
    `ScenarioBase`, because it runs in worker processes and pickled configs are not portable.
    """
    return validate_raw(apply_overrides(raw, dict(values)), source)


def _issue_line(key: str, message: str, fixed: Mapping[str, Any]) -> str:
    related = (
        k for k in fixed if key == k or f"{key}.".startswith(f"{k}.") or k.startswith(f"{key}.")
    )
    origin = next(related, None)
    suffix = f" (set by [fixed] {origin})" if origin else ""
    return f"{key}{suffix}: {message}" if key else message


def _paragraph(head: str, lines: list[str]) -> str:
    if len(lines) == 1:
        return f"{head}: {lines[0].rstrip('.')}."
    return f"{head}:\n" + "\n".join(f"  {line.rstrip('.')}." for line in lines)
