"""The manifest of a results directory: what was run, from what, by which code, where, when.

Its `fingerprint` covers everything that decides the runs' results (design, replicates, seed,
parameters, fixed overrides, series settings and the fully resolved base scenario). Resuming
into a directory whose fingerprint differs would mix two experiments, so it is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from configuration.errors import UserError
from configuration.loading import dump_resolved
from experiments.codehash import code_fingerprint
from experiments.designs import Design
from experiments.scenario import ScenarioBase
from experiments.seeds import SEED_SCHEME
from experiments.spec import Experiment

# What the fingerprint covers, with the words used to say what changed.
_FINGERPRINTED = {
    "settings": "the [experiment] settings (design, replicates, seed, samples, series)",
    "parameters": "[parameters]",
    "fixed": "[fixed]",
    "base_config": "the base scenario (or a default it inherits)",
}


def build_manifest(experiment: Experiment, base: ScenarioBase, design: Design) -> dict[str, Any]:
    """The manifest of a new results directory (the `format` key is added by the store)."""
    section = experiment.spec.experiment.model_dump(mode="json")
    parts = {
        # `events` changes what is kept, not what happens: a directory's own choice stands
        "settings": {
            k: v for k, v in section.items() if k not in ("name", "description", "config", "events")
        },
        "parameters": experiment.spec.model_dump(mode="json")["parameters"],
        "fixed": experiment.spec.fixed,
        "base_config": dump_resolved(base.config),
    }
    return {
        "name": experiment.name,
        "description": experiment.spec.experiment.description,
        "fingerprint": {key: _digest(value) for key, value in parts.items()},
        "experiment_file": str(experiment.path),
        "experiment": experiment.spec.model_dump(mode="json"),
        "base_config_file": base.source,
        "base_config": parts["base_config"],
        "design": design.to_json(),
        "replicates": experiment.spec.experiment.replicates,
        "runs": len(design) * experiment.spec.experiment.replicates,
        "events": experiment.spec.experiment.events,
        "seed_scheme": SEED_SCHEME,
        "code": code_fingerprint(),
        "created": now_iso(),
        **provenance(),
    }


def check_same_experiment(stored: dict[str, Any], fresh: dict[str, Any], out_dir: Path) -> None:
    """Refuse to resume into `out_dir` if it holds a different experiment."""
    old, new = stored.get("fingerprint", {}), fresh["fingerprint"]
    changed = [words for key, words in _FINGERPRINTED.items() if old.get(key) != new.get(key)]
    if changed:
        raise UserError(
            f"{out_dir} holds results of a different experiment ({stored.get('name')!r}, "
            f"created {stored.get('created', '?')}): {', '.join(changed)} changed since. "
            "Resuming would mix two experiments; use another --out, or delete the directory "
            "to start over."
        )


def code_change_warning(stored: dict[str, Any]) -> str | None:
    """A warning when the world code differs from the one the directory was started with."""
    if stored.get("code") in (None, code_fingerprint()):
        return None
    return (
        f"warning: the world code changed since this batch started (code {stored['code']} -> "
        f"{code_fingerprint()}); new runs may not be comparable with earlier ones. Each run's "
        "`code` column says which code produced it."
    )


def provenance() -> dict[str, Any]:
    """Package version, git commit (when the code is a git checkout), host and Python."""
    commit, dirty = _git_state(Path(__file__).resolve().parent.parent)
    try:
        version = metadata.version("callister")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "package_version": version,
        "git_commit": commit,
        "git_dirty": dirty,
        "host": socket.gethostname(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _git_state(directory: Path) -> tuple[str | None, bool | None]:
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(directory), *args],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return None, None
    status = git("status", "--porcelain", "--untracked-files=no")
    return commit, (bool(status) if status is not None else None)
