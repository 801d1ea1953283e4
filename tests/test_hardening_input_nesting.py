"""Deep nesting and endless digits at every TOML door: one clear `UserError`, never a crash.

The doors: a scenario file, `--set`, an experiment's `[fixed]` and `[parameters]`, a base
scenario, a dashboard upload, and data handed to `apply_overrides` / `validate_raw` directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w

from configuration import loading, overrides, toml_input
from configuration.errors import UserError
from configuration.shown_values import show
from experiments.scenario import prepare_base
from experiments.spec import load_experiment
from views.configs import parse_upload

DEPTHS = [1_000, 100_000]
LIMIT = "more than 32"


def brackets(depth: int) -> str:
    return "[" * depth + "]" * depth


def dotted_key(depth: int) -> str:
    return ".".join(["a"] * depth)


def nested_list(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


# TOML texts nesting `depth` levels in each way the format allows.
SHAPES = {
    "array": lambda depth: f"zz = {brackets(depth)}\n",
    "inline tables": lambda depth: "zz = " + "{a = " * depth + "1" + "}" * depth + "\n",
    "header": lambda depth: f"[{dotted_key(depth)}]\n",
    "dotted key": lambda depth: f"{dotted_key(depth)} = 1\n",
    "dotted key in an inline table": lambda depth: f"zz = {{ {dotted_key(depth)} = 1 }}\n",
}


def refused(call, *args) -> str:
    """The message of the `UserError` that `call(*args)` raises (any other exception fails)."""
    with pytest.raises(UserError) as caught:
        call(*args)
    return str(caught.value)


def experiment(tmp_path: Path, base: Path, body: str) -> Path:
    path = tmp_path / "exp.toml"
    path.write_text(f'[experiment]\nname = "t"\nconfig = "{base}"\n{body}', encoding="utf-8")
    return path


# ---- depth ------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("shape", SHAPES)
def test_a_deep_scenario_file_is_refused_with_its_line(scenario, write_config, shape, depth):
    path = write_config(tomli_w.dumps(scenario) + SHAPES[shape](depth))
    message = refused(loading.load_config, path)
    assert message.startswith(f"{path}: line ")
    assert LIMIT in message


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("shape", SHAPES)
def test_a_deep_upload_is_refused(scenario, shape, depth):
    text = tomli_w.dumps(scenario) + SHAPES[shape](depth)
    message = refused(parse_upload, "mine.toml", text.encode())
    assert message.startswith("mine.toml: line ") and LIMIT in message


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize(
    "override",
    [
        lambda depth: f"zz={brackets(depth)}",
        lambda depth: "zz=" + "{a=" * depth + "1" + "}" * depth,
        lambda depth: f"zz={{ {dotted_key(depth)} = 1 }}",
        lambda depth: f"{dotted_key(depth)}=1",
        lambda depth: f"zz{'[0]' * depth}=1",
    ],
)
def test_a_deep_set_is_refused_naming_it(scenario, write_config, override, depth):
    text = override(depth)
    message = refused(loading.load_config, write_config(scenario), [text])
    assert message.startswith(f"--set {text[:30]!r}"[:-1])  # quoted, clipped
    assert LIMIT in message
    assert len(message) < 400


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("table", ["fixed", "parameters"])
def test_a_deep_experiment_value_is_refused(tmp_path, default_config_path, table, depth):
    value = brackets(depth) if table == "fixed" else f"[{brackets(depth)}, 1]"
    path = experiment(tmp_path, default_config_path, f'[{table}]\n"zz" = {value}\n')
    message = refused(load_experiment, path)
    assert message.startswith(f"{path}: line 5") and LIMIT in message


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_quoted_experiment_key_is_refused(tmp_path, default_config_path, depth):
    path = experiment(tmp_path, default_config_path, f'[fixed]\n"{dotted_key(depth)}" = 1\n')
    message = refused(lambda: prepare_base(load_experiment(path)))
    assert "[fixed]" in message and LIMIT in message


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_base_scenario_is_refused(tmp_path, scenario, depth):
    base = tmp_path / "base.toml"
    base.write_text(tomli_w.dumps(scenario) + f"zz = {brackets(depth)}\n", encoding="utf-8")
    message = refused(lambda: prepare_base(load_experiment(experiment(tmp_path, base, ""))))
    assert message.startswith(f"{base}: line ") and LIMIT in message


@pytest.mark.parametrize("depth", [40, 300, *DEPTHS])
def test_deep_data_is_refused_by_key_in_validation_and_overrides(scenario, depth):
    deep = {**scenario, "zz": nested_list(depth)}
    message = refused(loading.validate_raw, deep, "given")
    assert message.startswith("given: zz[0][0][0]") and LIMIT in message
    message = refused(overrides.apply_overrides, scenario, {"zz": nested_list(depth)})
    assert message.startswith("--set zz=[[[") and LIMIT in message


def test_nesting_that_only_adds_up_too_deep_names_the_key(scenario, write_config):
    path = write_config(tomli_w.dumps(scenario) + f"[{dotted_key(20)}]\nb = {brackets(20)}\n")
    message = refused(loading.load_config, path)
    assert message.startswith(f"{path}: {dotted_key(20)}.b[0][0]") and LIMIT in message


def test_the_deepest_real_inputs_and_brackets_in_strings_still_load(default_config_path, tmp_path):
    text = (
        f'x = """\n{brackets(50)}"""\nc = "{brackets(50)}"  # {brackets(50)}\n'
        f"[{dotted_key(10)}]\nb = {brackets(10)}\n"
    )
    path = tmp_path / "strings.toml"
    path.write_text(text, encoding="utf-8")
    raw = toml_input.read_toml(path)
    assert raw["x"] == raw["c"] == brackets(50)
    assert loading.load_config(default_config_path).simulation.ticks > 0


def test_show_is_safe_for_any_depth_and_size():
    assert show(nested_list(100_000)).startswith("[[[[") and len(show(nested_list(10))) <= 60
    assert show(list(range(10**6))).endswith("...")
    assert show(10**5000) == "an integer of about 5,001 digits"


# ---- digits -----------------------------------------------------------------------------------


def test_an_integer_of_5000_digits_in_a_file_names_its_line(scenario, write_config):
    text = tomli_w.dumps(scenario) + "[economy]\nloot_mean = " + "9" * 5000 + "\n"
    path = write_config(text)
    message = refused(loading.load_config, path)
    line = text.count("\n")
    assert message.startswith(f"{path}: line {line}, column 13: a number of 5,000 digits")
    assert "at most 4,300" in message


def test_an_integer_of_5000_digits_in_set_is_refused_briefly(scenario, write_config):
    text = "simulation.ticks=" + "9" * 5000
    message = refused(loading.load_config, write_config(scenario), [text])
    assert message.startswith("--set 'simulation.ticks=9999") and "5,000 digits" in message
    assert len(message) < 300


def test_an_integer_of_5000_digits_in_an_experiment_or_upload(tmp_path, default_config_path):
    path = experiment(tmp_path, default_config_path, '[fixed]\n"a.b" = ' + "1" * 5000 + "\n")
    assert "5,000 digits" in refused(load_experiment, path)
    assert "5,000 digits" in refused(parse_upload, "up.toml", ("x = " + "1" * 5000).encode())


def test_a_hex_integer_too_long_to_print_names_its_key(scenario, write_config):
    text = tomli_w.dumps(scenario) + "[economy]\nloot_mean = 0x" + "f" * 5000 + "\n"
    path = write_config(text)
    message = refused(loading.load_config, path)
    assert message == f"{path}: economy.loot_mean: an integer of about 6,021 digits; at most 4,300."


def test_a_huge_integer_from_code_is_reported_by_key(scenario):
    scenario["simulation"]["ticks"] = 10**5000
    message = refused(loading.validate_raw, scenario, "given")
    assert message == "given: simulation.ticks: an integer of about 5,001 digits; at most 4,300."


def test_a_huge_but_readable_integer_gets_the_bound_and_a_short_message(scenario, write_config):
    message = refused(loading.load_config, write_config(scenario), [f"simulation.ticks={10**400}"])
    assert "simulation.ticks (from --set simulation.ticks=1000" in message
    assert "must be <= 20000, got 1000" in message
    assert len(message) < 400


def test_a_list_index_of_many_digits_is_a_bad_key():
    message = refused(overrides.parse_override, "a[" + "9" * 5000 + "]=1")
    assert "bad key" in message and len(message) < 300


# ---- long keys --------------------------------------------------------------------------------


def test_a_megabyte_key_is_clipped_in_the_message(scenario, write_config):
    key = "k" * 1_000_000
    path = write_config(tomli_w.dumps(scenario) + f'\n[economy]\n"{key}" = 1\n')
    message = refused(loading.load_config, path)
    assert message.startswith(f"{path}: economy.kkkk") and "unknown key" in message
    assert len(message) < 1000
