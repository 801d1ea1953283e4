"""`callister validate` and `callister schema`, and the `--set` grammar they share with `run`."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from callister.cli import main
from configuration.errors import UserError
from configuration.loading import dump_resolved, load_config, validate_raw
from configuration.overrides import apply_overrides, parse_override
from configuration.reference import reference_markdown

REPO = Path(__file__).resolve().parent.parent
ROB = "agents.captain.actions.rob_player"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `callister ARGV` in-process: (exit code, stdout, stderr)."""
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ---- validate ---------------------------------------------------------------------------------


def test_validate_ok_prints_a_one_line_summary(capsys, scenario, write_config):
    path = write_config(scenario)
    code, out, err = cli(capsys, "validate", path)
    assert (code, err) == (0, "")
    assert out == (
        f"{path}: OK: 6 roles, 12 actions configured, 8 characters (7 alive), 48 ticks, seed 7\n"
    )


def test_validate_applies_set_before_checking(capsys, scenario, write_config):
    path = write_config(scenario)
    code, out, _ = cli(capsys, "validate", path, "--set", "simulation.ticks=500")
    assert code == 0
    assert "500 ticks" in out


def test_validate_lists_every_error_and_exits_2(capsys, scenario, write_config):
    scenario["simulation"]["ticks"] = 0
    scenario["agents"]["captain"]["actions"]["rob_player"]["weight"] = -1
    scenario["agents"]["crew"]["actions"]["rest"]["considerations"][0]["input"] = "nope"
    path = write_config(scenario)
    code, out, err = cli(capsys, "validate", path, "--set", 'galaxy.shape="spiral"')
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith(f"error: {path}: simulation.ticks: must be >= 1, got 0")
    assert f'{path}: galaxy.shape (from --set galaxy.shape="spiral"): unknown key' in err
    assert f"{path}: {ROB}.weight: must be >= 0, got -1." in err
    assert 'considerations[0].input: unknown input "nope"; allowed: health, fatigue' in err
    assert len(lines) == 4


def test_validate_resolved_prints_toml_that_loads_back(capsys, scenario, write_config):
    path = write_config(scenario)
    code, out, _ = cli(capsys, "validate", path, "--resolved")
    assert code == 0
    assert validate_raw(tomllib.loads(out), "resolved") == load_config(path)


def test_dump_resolved_is_json_and_validates_back(scenario):
    config = validate_raw(scenario, "scenario")
    data = json.loads(json.dumps(dump_resolved(config)))
    assert data["galaxy"]["lanes_per_planet"] == 3  # defaults are filled in
    assert validate_raw(data, "manifest") == config


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = cli(capsys, "validate", tmp_path / "nope.toml")
    assert code == 2
    assert err == f"error: {tmp_path / 'nope.toml'}: no such config file\n"


def test_directory_exits_2(capsys, tmp_path):
    code, _, err = cli(capsys, "validate", tmp_path)
    assert code == 2
    assert "is a directory" in err


def test_toml_syntax_error_shows_line_and_column(capsys, write_config):
    path = write_config("[simulation]\nticks = 10\nseed = = 3\n")
    code, _, err = cli(capsys, "validate", path)
    assert code == 2
    assert err.startswith(f"error: {path}: line 3, column 8: TOML syntax error")
    assert "    seed = = 3\n           ^\n" in err


def test_not_utf8_exits_2(capsys, tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"[simulation]\nticks = 1 # caf\xe9\n")
    code, _, err = cli(capsys, "validate", path)
    assert code == 2
    assert "not UTF-8" in err


def test_dates_are_wrong_type(capsys, scenario, write_config):
    scenario["simulation"]["seed"] = "SEED"
    path = write_config(scenario)
    path.write_text(path.read_text().replace('"SEED"', "2024-01-01"))
    code, _, err = cli(capsys, "validate", path)
    assert code == 2
    assert "simulation.seed: wrong type: got the date/time 2024-01-01" in err


def test_missing_config_argument_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2
    assert "CONFIG" in capsys.readouterr().err


# ---- --set ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("simulation.ticks=500", ["simulation", "ticks"], 500),
        ("galaxy.market_share = 0.5", ["galaxy", "market_share"], 0.5),
        ("characters.karl.alive=false", ["characters", "karl", "alive"], False),
        ('characters.k.display_name="Karl K."', ["characters", "k", "display_name"], "Karl K."),
        ("simulation.trace=off", ["simulation", "trace"], "off"),
        ("agents.crew.selector.kind=top_n", ["agents", "crew", "selector", "kind"], "top_n"),
        ("a.points=[[0, 1], [1, 0]]", ["a", "points"], [[0, 1], [1, 0]]),
        ("agents.crew.momentum={bonus = 0.2, ticks = 3}", ["agents", "crew", "momentum"],
         {"bonus": 0.2, "ticks": 3}),
        ("x.considerations[2].curve.midpoint=1e-3", ["x", "considerations", 2, "curve", "midpoint"],
         0.001),
        ('a.b="__import__(\'os\')"', ["a", "b"], "__import__('os')"),
    ],
)  # fmt: skip
def test_parse_override_reads_toml_literals(text, path, value):
    assert parse_override(text) == (path, value)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("simulation.ticks", "expected dotted.key=value"),
        ("=5", "empty key before '='"),
        ("simulation.ticks=", "empty value after '='"),
        ("simulation..ticks=5", "bad key 'simulation..ticks'"),
        ("simulation.ticks[x]=5", "bad key"),
        ("a=[1,", "is not a TOML literal"),
        ("a=two words", "is not a TOML literal"),
        ("a=__import__('os')", "is not a TOML literal"),
        ("a=1\nb=2", "must be a single TOML literal"),
    ],
)
def test_malformed_set_is_a_user_error_naming_it(text, complaint):
    with pytest.raises(UserError) as caught:
        parse_override(text)
    assert str(caught.value).startswith(f"--set {text!r}: ")
    assert complaint in str(caught.value)


def test_malformed_set_exits_2_in_the_cli(capsys, scenario, write_config):
    path = write_config(scenario)
    code, _, err = cli(capsys, "validate", path, "--set", "ticks", "--set", "a=[1,")
    assert code == 2
    assert err.splitlines()[0] == "error: --set 'ticks': expected dotted.key=value"
    assert "--set 'a=[1,'" in err


def test_apply_overrides_returns_a_new_dict_and_creates_tables(scenario):
    before = json.dumps(scenario)
    result = apply_overrides(scenario, ["economy.loot_mean=50", f"{ROB}.considerations[1].low=2"])
    assert json.dumps(scenario) == before
    assert result["economy"] == {"loot_mean": 50}
    assert result["agents"]["captain"]["actions"]["rob_player"]["considerations"][1]["low"] == 2


def test_apply_overrides_accepts_parsed_values_by_dotted_key(scenario):
    result = apply_overrides(scenario, {"simulation.seed": 99, "galaxy.market_share": 0.25})
    assert (result["simulation"]["seed"], result["galaxy"]["market_share"]) == (99, 0.25)


def test_sweep_values_may_be_numpy_scalars_and_tuples(scenario):
    values = {"simulation.ticks": np.int64(100), "galaxy.market_share": np.float64(0.25)}
    values[f"{ROB}.considerations[1].curve"] = {"type": "piecewise", "points": ((0, 1), (1, 0))}
    config = validate_raw(apply_overrides(scenario, values), "sweep")
    assert (config.simulation.ticks, config.galaxy.market_share) == (100, 0.25)
    with pytest.raises(UserError, match="wrong type: got a set"):
        validate_raw(apply_overrides(scenario, {"simulation.seed": {1}}), "sweep")


def test_apply_overrides_reports_every_impossible_path(scenario):
    overrides = ["simulation.ticks.x=1", f"{ROB}.considerations[5].low=1", "galaxy[0]=1"]
    with pytest.raises(UserError) as caught:
        apply_overrides(scenario, overrides)
    lines = str(caught.value).splitlines()
    assert lines == [
        "--set simulation.ticks.x=1: cannot set simulation.ticks.x: "
        "simulation.ticks is not a table",
        f"--set {ROB}.considerations[5].low=1: cannot set {ROB}.considerations[5]: "
        f"{ROB}.considerations has 2 items",
        "--set galaxy[0]=1: cannot set galaxy[0]: galaxy is not an array",
    ]


# ---- the real entry points (subprocess) -------------------------------------------------------


def test_python_dash_m_exits_2_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "callister", "validate", str(tmp_path / "missing.toml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_installed_script_validates(scenario, write_config):
    script = Path(sys.executable).parent / "callister"
    if not script.exists():
        pytest.skip("the callister script is not installed next to this interpreter")
    result = subprocess.run(
        [str(script), "validate", str(write_config(scenario)), "--set", "simulation.seed=3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "seed 3" in result.stdout


def test_default_config_validates(capsys, default_config_path):
    code, out, err = cli(capsys, "validate", default_config_path)
    assert (code, err) == (0, "")
    assert ": OK: " in out


# ---- schema -----------------------------------------------------------------------------------


def test_schema_markdown_covers_every_key_role_curve_and_trait(capsys):
    code, out, _ = cli(capsys, "schema")
    assert code == 0
    for heading in ("[simulation]", "[galaxy]", "[agents.<role>]", "[characters.<name>]"):
        assert f"## `{heading}`" in out
    for name in ("initial_planets", "players", "think_every", "weight_trait", "bind", "points"):
        assert f"`{name}`" in out or f"`curve.{name}`" in out
    assert "| `rob_player` | raid a player on this planet for credits |" in out
    assert "| `loneliness` |" in out
    assert "### `piecewise`" in out and "| `greed` |" in out
    assert "off \\| winners" in out  # pipes in descriptions do not break the tables


def test_schema_json_is_a_json_schema(capsys):
    code, out, _ = cli(capsys, "schema", "--format", "json")
    assert code == 0
    schema = json.loads(out)
    assert {"simulation", "agents", "characters"} <= set(schema["properties"])


def test_schema_output_file(capsys, tmp_path):
    code, _, _ = cli(capsys, "schema", "-o", tmp_path / "ref.md")
    assert code == 0
    assert (tmp_path / "ref.md").read_text(encoding="utf-8") == reference_markdown()
    code, _, _ = cli(capsys, "schema", "-o", tmp_path / "new" / "dir" / "ref.md")
    assert code == 0  # missing directories are created
    assert (tmp_path / "new" / "dir" / "ref.md").read_text(encoding="utf-8") == reference_markdown()
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    code, _, err = cli(capsys, "schema", "-o", tmp_path / "a_file" / "ref.md")
    assert code == 2
    assert "a_file is a file, not a directory" in err


def test_committed_config_reference_is_up_to_date():
    committed = (REPO / "docs" / "config-reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), (
        "docs/config-reference.md is stale: run "
        "`callister schema --format markdown > docs/config-reference.md`"
    )
