"""Config loading: every class of bad input yields a message naming the key and what is allowed."""

from __future__ import annotations

import math
import tempfile
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.spec import CURVE_TYPES, MAX_HOURS, MAX_WEIGHT
from configuration.errors import UserError
from configuration.loading import ConfigError, config_to_toml, load_config, validate_raw
from configuration.overrides import apply_overrides
from configuration.scenario import ScenarioConfig
from world.cast import CATALOGS as ROLES
from world.cast.vocabulary import TRAITS

SOURCE = "configs/x.toml"
ROB = "agents.captain.actions.rob_player"
REST = "agents.crew.actions.rest"


def errors_of(raw, overrides=()) -> list[str]:
    """The message lines loading `raw` from a file with `overrides` produces (must fail)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.toml"
        path.write_text(tomli_w.dumps(raw), encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_config(path, overrides)
    lines = str(caught.value).replace(str(path), SOURCE).splitlines()
    assert len(lines) == len(caught.value.issues)
    assert all(line.startswith(f"{SOURCE}: ") for line in lines)
    return lines


def only_error(raw, overrides=()) -> str:
    lines = errors_of(raw, overrides)
    assert len(lines) == 1, lines
    return lines[0]


def test_minimal_scenario_is_valid(scenario):
    config = validate_raw(scenario, SOURCE)
    assert config.simulation.ticks == 48
    assert config.characters["cole"].role == "captain"
    assert config.agents.captain.actions.rob_player.considerations[0].curve.type == "logistic"


# ---- unknown keys, at several depths --------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "allowed"),
    [
        ("bogus", ["simulation", "galaxy", "agents", "characters"]),
        ("simulation.bogus", ["ticks", "seed", "trace"]),
        ("agents.crew.bogus", ["think_every", "selector", "momentum", "actions"]),
        ("agents.crew.selector.bogus", ["kind", "n", "percent", "temperature"]),
        (f"{ROB}.considerations[0].bogus", ["input", "low", "high", "curve", "bind"]),
        (f"{ROB}.considerations[0].curve.bogus", ["type", "midpoint", "steepness", "invert"]),
        ("characters.karl.bogus", ["role", "display_name", *TRAITS]),
    ],
)
def test_unknown_key_names_the_key_and_the_allowed_keys(scenario, key, allowed):
    line = only_error(scenario, [f"{key}=1"])
    assert line.startswith(f'{SOURCE}: {key} (from --set {key}=1): unknown key "bogus"')
    listed = line.split("allowed: ")[1]
    assert all(name in listed for name in allowed)


def test_unknown_key_suggests_the_close_one(scenario):
    scenario["characters"]["karl"]["boldnes"] = 2
    line = only_error(scenario)
    assert "characters.karl.boldnes: unknown key" in line
    assert "did you mean 'boldness'?" in line


# ---- wrong types ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "value", "expected", "found"),
    [
        ("simulation.ticks", '"many"', "an integer", 'the string "many"'),
        ("simulation.ticks", "12.5", "an integer", "12.5"),
        ("galaxy.market_share", "true", "a number", "the boolean true"),
        ("characters.cole.alive", "1", "true or false", "the integer 1"),
        ("galaxy", "5", "a table", "the integer 5"),
        (f"{ROB}.considerations", '"none"', "an array", 'the string "none"'),
        (f"{ROB}.considerations[0].low", "[1, 2]", "a number", "an array [1, 2]"),
    ],
)
def test_wrong_type_says_what_was_expected_and_found(scenario, key, value, expected, found):
    line = only_error(scenario, [f"{key}={value}"])
    assert f": {key} (from --set" in line
    assert f"wrong type: expected {expected}" in line or f"expected {expected}" in line
    assert found in line


def test_strings_are_not_coerced_to_numbers(scenario):
    scenario["simulation"]["seed"] = "7"
    assert "simulation.seed: wrong type: expected an integer" in only_error(scenario)


# ---- out-of-range numbers ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "value", "bound"),
    [
        (f"{ROB}.weight", "-1", "must be >= 0, got -1."),
        ("population.players", "-5", "must be >= 0, got -5."),
        ("combat.raid_danger", "1.5", "must be <= 1, got 1.5."),
        ("realworld.coma_death_rate", "-0.1", "must be >= 0, got -0.1."),
        ("simulation.ticks", "0", "must be >= 1, got 0."),
        ("agents.vengeful_player.selector.temperature", "0", "must be > 0, got 0."),
        ("characters.karl.resentment", "11", "must be <= 10, got 11."),
    ],
)
def test_out_of_range_number_names_the_bound(scenario, key, value, bound):
    line = only_error(scenario, [f"{key}={value}"])
    assert line == f"{SOURCE}: {key} (from --set {key}={value}): {bound}"


def test_negative_weight_in_the_file_is_reported_without_set(scenario):
    scenario["agents"]["captain"]["actions"]["rob_player"]["weight"] = -1
    assert only_error(scenario) == f"{SOURCE}: {ROB}.weight: must be >= 0, got -1."


def test_non_finite_numbers_are_rejected(scenario):
    scenario["economy"] = {"loot_mean": math.inf}
    scenario["galaxy"]["market_share"] = math.nan
    lines = errors_of(scenario)
    assert any("economy.loot_mean: must be a finite number, got inf" in line for line in lines)
    assert any("galaxy.market_share: must be a finite number, got nan" in line for line in lines)


# ---- the brain: curves, inputs, roles, actions, traits -------------------------------------
def test_unknown_curve_type_lists_the_eight_types(scenario):
    line = only_error(scenario, [f'{ROB}.considerations[0].curve.type="zigzag"'])
    assert f"{ROB}.considerations[0].curve.type" in line
    assert 'unknown curve type "zigzag"; allowed: ' + ", ".join(CURVE_TYPES) in line
    assert len(CURVE_TYPES) == 8


def test_curve_without_type_is_reported(scenario):
    scenario["agents"]["crew"]["actions"]["rest"]["considerations"][0]["curve"] = {"mean": 0.5}
    line = only_error(scenario)
    assert f"{REST}.considerations[0].curve.type: missing" in line
    assert "piecewise" in line


@pytest.mark.parametrize("name", ["nope", "loneliness"])  # loneliness is Daly's, not crew's
def test_unknown_input_lists_the_roles_inputs(scenario, name):
    line = only_error(scenario, [f'{REST}.considerations[0].input="{name}"'])
    assert f"{REST}.considerations[0].input" in line
    assert f'unknown input "{name}"; allowed: ' + ", ".join(ROLES["crew"].inputs) in line


def test_unknown_role_in_agents_lists_the_roles(scenario):
    line = only_error(scenario, ["agents.pirate.think_every=1"])
    assert "agents.pirate (from --set agents.pirate.think_every=1): unknown role" in line
    assert "allowed: " + ", ".join(ROLES) in line


def test_unknown_role_of_a_character_lists_the_character_roles(scenario):
    scenario["characters"]["karl"]["role"] = "pirate"
    line = only_error(scenario)
    assert 'characters.karl.role: unknown role "pirate"; allowed: captain, crew' in line
    assert "vengeful_player" not in line


def test_missing_role_table_is_reported(scenario):
    del scenario["agents"]["daly"]
    assert only_error(scenario) == f"{SOURCE}: agents.daly: missing; this key is required."


def test_unknown_action_lists_the_roles_actions(scenario):
    key = "agents.captain.actions.rob_playr"
    line = only_error(scenario, [f"{key}.weight=1"])
    assert f"{key} (from --set {key}.weight=1)" in line
    assert 'unknown action "rob_playr" for role captain' in line
    assert "did you mean 'rob_player'?" in line
    assert "allowed: " + ", ".join(ROLES["captain"].actions) in line


@pytest.mark.parametrize("key", [f"{ROB}.weight_trait", f"{ROB}.considerations[0].bind.steepness"])
def test_unknown_trait_lists_the_traits(scenario, key):
    line = only_error(scenario, [f'{key}="swagger"'])
    assert f"{key} (from --set" in line
    assert 'unknown trait "swagger"; allowed: ' + ", ".join(TRAITS) in line


def test_bind_to_a_parameter_the_curve_lacks(scenario):
    line = only_error(scenario, [f'{ROB}.considerations[1].bind.midpoint="greed"'])
    assert f"{ROB}.considerations[1]" in line
    assert "not a parameter of a linear curve" in line


@pytest.mark.parametrize(
    ("override", "key", "complaint"),
    [
        ("curve.width=-0.1", "curve.width", "must be > 0"),  # no pydantic `normal.` tag
        ("curve.points=[[0, 1], [0, 0]]", "curve.points", "strictly increasing x"),
        ('curve.points=[[0, 1], [1, "a"]]', "curve.points[1][1]", "expected a number"),
        ("curve.points=[[0, 1]]", "curve.points", "must have at least 2 items"),
    ],
)
def test_curve_parameters_are_checked(scenario, override, key, complaint):
    index = 0 if "width" in override else 1
    line = only_error(scenario, [f"{REST}.considerations[{index}].{override}"])
    assert f"{SOURCE}: {REST}.considerations[{index}].{key} (from --set" in line
    assert complaint in line


# ---- the cast ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"daly": None}, "role 'daly', found 0 (none)."),
        ({"packer": "captain"}, "role 'captain', found 2 (cole, packer)."),
    ],
)
def test_incomplete_cast_is_reported(scenario, change, complaint):
    for name, role in change.items():
        if role is None:
            del scenario["characters"][name]
        else:
            scenario["characters"][name]["role"] = role
    prefix = f"{SOURCE}: characters: exactly one character must have "
    assert only_error(scenario) == prefix + complaint


def test_cast_is_checked_even_when_other_sections_fail(scenario):
    del scenario["characters"]["walton"]
    scenario["galaxy"]["initial_planets"] = 1
    lines = errors_of(scenario)
    assert len(lines) == 2
    assert "galaxy.initial_planets: must be >= 4" in lines[0]
    assert "role 'walton', found 0" in lines[1]


# ---- every error, in a stable order ---------------------------------------------------------
def test_every_error_is_listed_in_a_stable_order(scenario):
    scenario["simulation"]["ticks"] = -1
    scenario["galaxy"]["bogus"] = True
    scenario["agents"]["captain"]["actions"]["rob_player"]["weight"] = -2
    scenario["agents"]["crew"]["actions"]["rest"]["considerations"][0]["input"] = "nope"
    scenario["characters"]["karl"]["role"] = "pirate"
    first = errors_of(scenario)
    assert [line.split(": ")[1] for line in first] == [
        "simulation.ticks",
        "galaxy.bogus",
        f"{ROB}.weight",
        f"{REST}.considerations[0].input",
        "characters.karl.role",
    ]
    assert errors_of(scenario) == first


def test_config_error_is_a_user_error_with_issues(scenario):
    scenario["simulation"]["ticks"] = 0
    with pytest.raises(UserError) as caught:
        validate_raw(scenario, SOURCE)
    assert isinstance(caught.value, ConfigError)
    assert [issue.key for issue in caught.value.issues] == ["simulation.ticks"]


# ---- round trips ------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(
    ticks=st.integers(1, MAX_HOURS),
    share=st.floats(0, 1, allow_nan=False),
    weight=st.floats(0, MAX_WEIGHT, allow_nan=False, allow_infinity=False),
    midpoint=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    players=st.integers(0, 10_000_000_000),
)
def test_round_trip_holds_for_any_knob_values(
    make_scenario, ticks, share, weight, midpoint, players
):
    overrides = {
        "simulation.ticks": ticks,
        "galaxy.market_share": share,
        f"{ROB}.weight": weight,
        f"{ROB}.considerations[0].curve.midpoint": midpoint,
        "population.players": players,
    }
    config = validate_raw(apply_overrides(make_scenario(), overrides), SOURCE)
    assert validate_raw(tomllib.loads(config_to_toml(config)), "again") == config


def test_default_scenario_is_valid_and_round_trips(default_config):
    assert isinstance(default_config, ScenarioConfig)
    assert validate_raw(tomllib.loads(config_to_toml(default_config)), "x") == default_config
