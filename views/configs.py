"""Scenario files for the dashboard: where they live, loading them, uploads and safe saving.

Directories come from the environment so tests and users can point the app elsewhere:
`CALLISTER_CONFIGS` (scenarios, default `configs/`), `CALLISTER_RUNS` (run records the live
page saves, default `runs/`) and `CALLISTER_RESULTS` (batch results, default `results/`).
Saving never writes outside the configs directory and never overwrites without `overwrite`
(the one write policy of `world.outputs`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st
import tomli_w

from configuration.errors import UserError
from configuration.loading import validate_raw
from configuration.scenario import ScenarioConfig
from configuration.toml_input import decode_text, parse_toml, read_text
from world.outputs import check_output_file, publish_file

REPO = Path(__file__).resolve().parent.parent
DEFAULT_NAME = "default.toml"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
MAX_NAME = 80
# Windows opens these as devices whatever the extension (`con.toml` is the console), so a
# config saved under one could never be opened there, nor a repository holding it checked out.
WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(10)]
)
SAVED_BY = "# Saved by the Callister dashboard (Tune)"


def config_dir() -> Path:
    """Where scenarios are listed from and saved to."""
    return Path(os.environ.get("CALLISTER_CONFIGS") or REPO / "configs").resolve()


def runs_dir() -> Path:
    """Where the live page saves run records (and the replay page lists them)."""
    return Path(os.environ.get("CALLISTER_RUNS") or REPO / "runs").resolve()


def results_dir() -> Path:
    """Where batches started from the dashboard write, and results are listed from."""
    return Path(os.environ.get("CALLISTER_RESULTS") or REPO / "results").resolve()


def experiments_dir() -> Path:
    """Experiment files offered by the Experiments page."""
    return config_dir() / "experiments"


def list_configs() -> list[str]:
    """Scenario file names in the configs directory, `default.toml` first."""
    names = sorted(p.name for p in config_dir().glob("*.toml"))
    if DEFAULT_NAME in names:
        names.remove(DEFAULT_NAME)
        names.insert(0, DEFAULT_NAME)
    return names


@dataclass(frozen=True)
class Scenario:
    """A scenario the pages work on: its label, raw table, validated config, TOML text."""

    label: str
    raw: dict[str, Any]
    config: ScenarioConfig
    text: str


@st.cache_data(show_spinner=False, max_entries=32)
def _load_file(path: str, mtime: float) -> tuple[dict[str, Any], str]:
    """Raw table and text of a file, once per version (`mtime` is only a cache key)."""
    text = read_text(path)
    return parse_toml(text, path), text


def load_scenario(name: str) -> Scenario:
    """A scenario from the configs directory; `UserError` (with every issue) if unusable."""
    path = config_dir() / name
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise UserError(f"{path}: no such config file") from None
    raw, text = _load_file(str(path), mtime)
    return Scenario(name, raw, validate_raw(raw, str(path)), text)


def parse_upload(name: str, content: bytes) -> Scenario:
    """A scenario from uploaded bytes, read with the checks of every TOML file; `UserError`
    for too large, non-UTF-8, bad or too deeply nested TOML, or a bad config."""
    label = f"uploaded: {Path(name).name}"
    text = decode_text(content, name)
    raw = parse_toml(text, name)
    return Scenario(label, raw, validate_raw(raw, name), text)


def safe_config_name(requested: str) -> str:
    """A plain file name for `requested`: letters, digits, `_` and `-`, ending in `.toml`.

    Directories, dots and anything else are dropped, so the result can only name a file
    directly inside the configs directory. Empty results and Windows device names (CON,
    PRN, AUX, NUL, COM0-9, LPT0-9, any case, with or without an extension) raise `UserError`.
    """
    typed = Path(requested.strip()).name
    stem = _UNSAFE.sub("_", typed.removesuffix(".toml")).strip("_-")[:MAX_NAME]
    if not stem:
        raise UserError(
            f"{requested!r}: give the new config a name (letters, digits, _ and -), "
            "e.g. greedy_walton."
        )
    # Windows ignores what follows the first dot, and trailing spaces, when it matches devices.
    device = typed.split(".", 1)[0].rstrip(" ").upper()
    if device in WINDOWS_DEVICES or stem.upper() in WINDOWS_DEVICES:
        raise UserError(
            f"{requested!r}: {device if device in WINDOWS_DEVICES else stem.upper()} is a "
            "device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with any extension), "
            "so a file of that name cannot be opened there; choose another name."
        )
    return f"{stem}.toml"


def save_config(
    requested: str, raw: dict[str, Any], *, overwrite: bool = False, note: str = ""
) -> Path:
    """Validate `raw` and write it as a TOML file in the configs directory.

    An existing file is replaced only with `overwrite` (the page's confirmation tick); the
    write follows `world.outputs` (a directory, FIFO or device of that name is refused even
    then, and the write is atomic: a crash leaves the old file or the new one, never half).
    Returns the written path.
    """
    directory = config_dir()
    target = (directory / safe_config_name(requested)).resolve()
    if target.parent != directory:  # a symbolic link out of the configs directory
        raise UserError(f"{requested!r}: configs are only saved in {directory}.")
    validate_raw(raw, target.name)
    if target.is_file() and not overwrite:
        raise UserError(
            f"{target.name} already exists in {directory}; tick 'overwrite' to replace it "
            "or choose another name."
        )
    output = check_output_file(target, option="Save to configs/", force=True)
    header = [
        f"{SAVED_BY} on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        *(f"# {line}" for line in note.splitlines() if line),
        "",
    ]
    return publish_file(output, "\n".join(header) + tomli_w.dumps(raw))
