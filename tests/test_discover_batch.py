"""`callister discover` on a real (tiny) batch whose driver is known: the captain's raids.

With `agents.captain.actions.rob_player.weight = 0` no robbery happens; with any positive
weight robberies start within hours. The price hike beside it changes nothing that fast.
"""

from __future__ import annotations

import json

from test_experiments_batch import callister, experiment

DRIVER = "agents.captain.actions.rob_player.weight"


def test_discover_restricts_the_known_driver_first(tmp_path, default_config_path):
    path = experiment(
        tmp_path, default_config_path, "raids",
        f'"{DRIVER}" = [0.0, 0.5, 1.0]\n"economy.price_hike" = [0.1, 0.3]', ticks=40, replicates=4,
    )  # fmt: skip
    done = callister("batch", path, "--workers", 2, "--out", tmp_path / "raids", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = callister(
        "discover", tmp_path / "raids", "--outcome", "event=robbery", "--json", cwd=tmp_path
    )
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)
    assert result["runs"] == 24 and result["base_rate"] < 1
    assert result["trajectory"][1]["restricted"] == [DRIVER]
    box = result["boxes"][0]
    assert box["limits"] == {DRIVER: [0.5, 1.0]} and box["density"] == 1.0
    assert box["stability"][DRIVER] >= 0.8
