"""Shared fixtures: the default scenario, a small valid scenario, configs written to tmp files."""

from __future__ import annotations

import copy
import json
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from callister.cli import main as callister
from experiments.runners import stop_worker_imports

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO / "configs" / "default.toml"

# A complete but tiny cast and brain: every role table present, a few actions with
# considerations so tests can point at `considerations[0]`, and the mandatory characters.
_MINIMAL_SCENARIO: dict[str, Any] = {
    "simulation": {"ticks": 48, "seed": 7, "trace": "winners"},
    "galaxy": {"initial_planets": 12},
    "agents": {
        "captain": {
            "think_every": 1,
            "selector": {"kind": "argmax"},
            "actions": {
                "rob_player": {
                    "weight": 1.0,
                    "weight_trait": "greed",
                    "considerations": [
                        {
                            "input": "credits",
                            "low": 0,
                            "high": 100,
                            "curve": {"type": "logistic", "midpoint": 0.4, "steepness": -8},
                            "bind": {"steepness": "greed"},
                        },
                        {
                            "input": "threat_nearby",
                            "low": 0,
                            "high": 20,
                            "curve": {"type": "linear", "slope": -1, "intercept": 1},
                        },
                    ],
                },
                "resupply": {
                    "weight": 0.8,
                    "considerations": [
                        {
                            "input": "fuel",
                            "low": 0,
                            "high": 60,
                            "curve": {
                                "type": "polynomial",
                                "exponent": 2,
                                "slope": -1,
                                "intercept": 1,
                            },
                        },
                        {"input": "at_market", "curve": {"type": "step", "threshold": 0.5}},
                    ],
                },
                "hide": {"weight": 0.2},
            },
        },
        "crew": {
            "think_every": 2,
            "actions": {
                "rest": {
                    "considerations": [
                        {
                            "input": "fatigue",
                            "low": 0,
                            "high": 100,
                            "curve": {"type": "normal", "mean": 0.8, "width": 0.2},
                        },
                        {
                            "input": "health",
                            "low": 0,
                            "high": 100,
                            "curve": {
                                "type": "piecewise",
                                "points": [[0, 1], [0.5, 0.6], [1, 0.1]],
                            },
                        },
                    ]
                },
                "join_raid": {"weight": 0.7, "weight_trait": "loyalty"},
                "defy": {
                    "weight": 0.5,
                    "considerations": [
                        {"input": "grievance", "curve": {"type": "logit", "steepness": 5}}
                    ],
                },
            },
        },
        "walton": {"actions": {"hold_prices": {"weight": 0.5}, "raise_prices": {"weight": 0.4}}},
        "nanette": {"actions": {"work": {}}},
        "daly": {
            "actions": {
                "build_planet": {
                    "considerations": [
                        {"input": "loneliness", "curve": {"type": "sine", "frequency": 0.5}}
                    ]
                }
            }
        },
        "vengeful_player": {
            "selector": {"kind": "softmax", "temperature": 0.2},
            "actions": {"hunt": {}, "give_up": {"weight": 0.1}},
        },
    },
    "characters": {
        "cole": {"role": "captain", "display_name": "Captain Cole", "boldness": 1.2},
        "packer": {"role": "crew", "loyalty": 1.3},
        "karl": {"role": "crew", "resentment": 1.8},
        "shania": {"role": "crew", "alive": False},
        "walt": {"role": "crew", "starts_aboard": False},
        "walton": {"role": "walton"},
        "nanette": {"role": "nanette", "curiosity": 1.4},
        "daly": {"role": "daly"},
    },
}


@pytest.fixture(scope="session")
def make_scenario() -> Callable[[], dict[str, Any]]:
    """A factory of fresh (deep-copied) raw tables of a small, valid scenario."""
    return lambda: copy.deepcopy(_MINIMAL_SCENARIO)


@pytest.fixture
def scenario(make_scenario: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A fresh raw table of the small valid scenario, free to mutate."""
    return make_scenario()


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a raw table (via tomli_w) or TOML text to a tmp file and return its path."""

    def write(content: dict[str, Any] | str, name: str = "scenario.toml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else tomli_w.dumps(content)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def session_log() -> Callable[[Any], list[dict[str, Any]]]:
    """Reads a results store's `sessions.jsonl`: every complete record, a torn line skipped."""

    def read(store) -> list[dict[str, Any]]:
        if not store.sessions_path.exists():
            return []
        records = []
        for line in store.sessions_path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:  # cut short by a crash
                continue
        return records

    return read


@pytest.fixture(scope="session")
def default_config_path() -> Path:
    """`configs/default.toml`, the aired-episode scenario every part of the project uses."""
    assert DEFAULT_CONFIG.exists(), "configs/default.toml is missing"
    return DEFAULT_CONFIG


@pytest.fixture(scope="session")
def default_config(default_config_path: Path):
    """The validated default scenario (`ScenarioConfig`), loaded once per session."""
    from configuration.loading import load_config

    return load_config(default_config_path)


@pytest.fixture(scope="module")
def workers_from_a_plain_process():
    """Start batch workers in-process as `callister batch` does, then stop the forkserver.

    multiprocessing runs `__main__`'s file again in every worker it starts, and Streamlit's
    AppTest (the dashboard tests, maybe earlier in this same process) leaves the dashboard
    script there; the command's `__main__` is `callister.__main__`, which it skips.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        yield
    stop_worker_imports()


@pytest.fixture(scope="module")
def full_trace_record(tmp_path_factory, make_scenario) -> Path:
    """A full-trace run record of the tiny scenario, written by `callister run --out`."""
    root = tmp_path_factory.mktemp("record")
    scenario = make_scenario()
    scenario["simulation"]["trace"] = "full"
    config = root / "tiny.toml"
    config.write_text(tomli_w.dumps(scenario), encoding="utf-8")
    out = root / "record"
    assert callister(["run", str(config), "--out", str(out), "--json"]) == 0
    return out
