"""Experiment files are validated like scenario configs: every problem named by its dotted key."""

from __future__ import annotations

from pathlib import Path

import pytest

from configuration.errors import UserError
from experiments.scenario import check_parameters, prepare_base, run_config
from experiments.spec import load_experiment

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def experiment_text(base: Path, body: str, head: str = "") -> str:
    return f'[experiment]\nname = "t"\nconfig = "{base}"\n{head}\n{body}'


def load_error(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        load_experiment(path)
    return str(caught.value)


def test_quoted_and_nested_keys_become_the_same_dotted_keys(tmp_path):
    path = write(
        tmp_path,
        '[experiment]\nname = "t"\nconfig = "base.toml"\n'
        '[parameters]\n"economy.price_hike" = [0.1, 0.2]\n'
        "[parameters.agents.walton.actions.invite_party]\nweight = [0.0, 1.0]\n"
        "[fixed.simulation]\nticks = 50\n",
    )
    experiment = load_experiment(path)
    assert list(experiment.spec.parameters) == [
        "economy.price_hike",
        "agents.walton.actions.invite_party.weight",
    ]
    assert experiment.spec.fixed == {"simulation.ticks": 50}
    assert experiment.base_config_path == (tmp_path / "base.toml").resolve()


HEAD = '[experiment]\nname = "t"\nconfig = "b.toml"\n'
LHS = 'design = "lhs"\nsamples = 4\n'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HEAD + "colour = 1\n", "experiment.colour: unknown key"),
        (HEAD + 'design = "fancy"\n', "grid, lhs, sobol, random"),
        (HEAD + "replicates = 0\n", "experiment.replicates: must be >= 1"),
        ('[experiment]\nname = "t/../x"\nconfig = "b.toml"\n', "experiment.name"),
        ('[experiment]\nname = "t"\n', "experiment.config: missing"),
        (HEAD + '[parameters]\n"a.b" = { low = 1, high = 2 }\n', "a grid design takes a list"),
        (HEAD + LHS + '[parameters]\n"a.b" = { low = 2, high = 1 }\n',
         "low (2) must be smaller than high (1)"),
        (HEAD + 'design = "lhs"\n[parameters]\n"a.b" = { low = 1, high = 2 }\n',
         "needs samples = N"),
        (HEAD + 'design = "sobol"\nsamples = 48\n[parameters]\n"a.b" = { low = 1, high = 2 }\n',
         "power of two (got 48; try 64)"),
        (HEAD + LHS + '[parameters]\n"a.b" = [1, 2]\n', "a lhs design samples ranges"),
        (HEAD + '[parameters]\n"a.b" = []\n', "list of values is empty"),
        (HEAD + '[parameters]\n"a.b" = [1, 1]\n', "repeats a value"),
        (HEAD + '[parameters]\n"a.b" = "x"\n', "expected a list of values (grid) or a"),
        (HEAD + '[parameters]\n"simulation.seed" = [1, 2]\n', "seeds come from experiment.seed"),
        (HEAD + '[parameters]\n"a.b" = [1, 2]\n[fixed]\n"a.b" = 3\n',
         "set in both [parameters] and [fixed]"),
        (HEAD + '[parameters]\n"a.b" = { low = 1, high = 2, step = 1 }\n', "step"),
        ("[experiment\n", "TOML syntax error"),
    ],
)  # fmt: skip
def test_bad_experiment_files_name_the_key_and_what_is_allowed(tmp_path, body, expected):
    message = load_error(write(tmp_path, body))
    assert expected in message
    assert str(tmp_path / "exp.toml") in message


def test_a_parameter_that_is_not_a_config_key_fails_before_any_run(tmp_path, default_config_path):
    path = write(
        tmp_path,
        experiment_text(
            default_config_path,
            '[parameters]\n"agents.walton.actions.invite_partyy.weight" = [0.0, 1.0]\n'
            '"economy.price_hikes" = [0.1]\n',
        ),
    )
    experiment = load_experiment(path)
    base = prepare_base(experiment)
    with pytest.raises(UserError) as caught:
        check_parameters(experiment, base)
    message = str(caught.value)
    assert "agents.walton.actions.invite_partyy" in message
    assert "did you mean 'invite_party'" in message
    assert "economy.price_hikes" in message and "did you mean 'price_hike'" in message


def test_out_of_range_values_and_range_ends_are_checked_up_front(tmp_path, default_config_path):
    path = write(
        tmp_path,
        experiment_text(
            default_config_path,
            '[parameters]\n"economy.price_hike" = { low = 0.1, high = 9.0 }\n',
            head='design = "lhs"\nsamples = 4',
        ),
    )
    experiment = load_experiment(path)
    with pytest.raises(UserError, match=r"economy\.price_hike.*must be <= 5, got 9\.0"):
        check_parameters(experiment, prepare_base(experiment))


def test_fixed_overrides_are_validated_with_their_origin(tmp_path, default_config_path):
    path = write(
        tmp_path, experiment_text(default_config_path, '[fixed]\n"simulation.ticks" = 0\n')
    )
    with pytest.raises(
        UserError, match=r"simulation\.ticks \(set by \[fixed\] simulation\.ticks\)"
    ):
        prepare_base(load_experiment(path))


def test_a_missing_base_scenario_is_a_clear_error(tmp_path):
    path = write(tmp_path, experiment_text(tmp_path / "nope.toml", ""))
    with pytest.raises(UserError, match="no such base scenario file"):
        prepare_base(load_experiment(path))


def test_a_run_config_is_the_base_with_fixed_and_point_values(tmp_path, default_config_path):
    path = write(
        tmp_path,
        experiment_text(
            default_config_path,
            '[parameters]\n"economy.price_hike" = [0.3]\n[fixed]\n"simulation.ticks" = 77\n',
        ),
    )
    experiment = load_experiment(path)
    base = prepare_base(experiment)
    check_parameters(experiment, base)
    config = run_config(base.raw, base.source, {"economy.price_hike": 0.3})
    assert config.simulation.ticks == 77 and config.economy.price_hike == 0.3


def test_the_shipped_examples_are_valid():
    for path in sorted((REPO / "configs" / "experiments").glob("*.toml")):
        experiment = load_experiment(path)
        check_parameters(experiment, prepare_base(experiment))
