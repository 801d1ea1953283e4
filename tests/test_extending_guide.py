"""The guide's worked example (docs/extending.md) applies to today's code and works as told.

The example adds an action to Walton; the guide promises it touches only his role file and the
default config. The test applies the guide's own diff to a copy of the project and runs it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "extending.md"
SKIPPED = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "tests", "docs")

CHECK = textwrap.dedent(
    """
    import json
    from world.cast import walton
    from configuration.loading import load_config
    from world.simulate import simulate

    def bribes(overrides):
        config = load_config("configs/default.toml", overrides)
        runs = [simulate(config, seed=seed, ticks=1200) for seed in (1, 2, 3)]
        return sum(d["action"] == "bribe_press" for r in runs for d in r.decisions)

    print(json.dumps({
        "in_catalog": "bribe_press" in walton.CATALOG.actions,
        "has_effect": "bribe_press" in walton.EFFECTS,
        "bribes": bribes([]),
        "bribes_at_weight_0": bribes(["agents.walton.actions.bribe_press.weight=0"]),
    }))
    """
)


def _example_diff() -> str:
    blocks = re.findall(r"```diff\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks, "docs/extending.md has no ```diff block"
    return blocks[0]


def test_the_example_action_touches_only_waltons_file_and_the_config():
    touched = re.findall(r"^\+\+\+ b/(\S+)", _example_diff(), re.MULTILINE)
    assert touched == ["configs/default.toml", "world/cast/walton.py"]


def test_the_example_action_applies_and_walton_chooses_it(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(REPO, copy, ignore=SKIPPED)
    patch = tmp_path / "example.diff"
    patch.write_text(_example_diff(), encoding="utf-8")
    applied = subprocess.run(
        ["git", "apply", "--verbose", str(patch)], cwd=copy, capture_output=True, text=True
    )
    assert applied.returncode == 0, "the guide's diff no longer applies:\n" + applied.stderr
    # The copy comes first on the path, ahead of the installed (editable) project.
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=copy,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["in_catalog"] and outcome["has_effect"]
    assert outcome["bribes"] > 0
    assert outcome["bribes_at_weight_0"] == 0
