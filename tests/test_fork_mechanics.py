"""Forks, mechanically: what a fork keeps, what a change does from T on, CRN and the checks.

Short runs of the default scenario (a 240-hour horizon, a fork at hour 60) keep this fast;
every claim is checked against a plain run of the same scenario, so each test can fail.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configuration.errors import UserError
from configuration.loading import load_config
from experiments.fork import prepare, run_fork
from experiments.fork_pairs import continue_pair, simulate_prefix
from world.branching import (
    check_changeable,
    copy_model,
    find_character,
    force_choice,
    possible_choices,
    reseed,
)
from world.simulate import collect_result, simulate

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.toml"
HORIZON = 240
AT = 60
SEED = 3
SHORT = [f"simulation.ticks={HORIZON}"]
NO_ROBBING = "agents.captain.actions.rob_player.weight=0"  # robbery: captain_orders.rob_player


@functools.cache
def short_config(*sets: str):
    """The default scenario cut to a short horizon, with `sets` applied."""
    return load_config(DEFAULT_CONFIG, [*SHORT, *sets])


@functools.cache
def plain_run(seed: int = SEED):
    return simulate(short_config(), seed=seed, trace="off")


def fork(at: int = AT, sets=(), forces=(), seed: int = SEED):
    return prepare(short_config(), str(DEFAULT_CONFIG), seed=seed, at=at, sets=sets, forces=forces)


def play(prepared, replicate: int, prefix=None):
    """Both futures of one replicate: the pair and the two finished runs' full results."""
    models: list = []
    pair = continue_pair(
        prefix or prepared.prefix, prepared.fork, replicate, prepared.branch_config, keep=models
    )
    results = [collect_result(model, 0.0) for model in models]
    for model in models:
        model.release()
    return pair, results


def events_until(result, tick: int) -> list[tuple]:
    return [(e.tick, e.kind, tuple(e.actors), e.text) for e in result.events if e.tick <= tick]


# --- a fork without a change ---------------------------------------------------------------


def test_a_fork_without_a_change_reproduces_the_original_and_never_diverges():
    prepared = fork()
    for replicate in range(3):
        pair, _ = play(prepared, replicate)
        assert pair.branch.digest == pair.baseline.digest
        assert pair.diverged_at is None
        if replicate == 0:
            assert pair.baseline.digest == plain_run().digest
            assert pair.baseline.ending == plain_run().ending
        else:  # a reseeded replicate is another future, not the original again
            assert pair.baseline.digest != plain_run().digest


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.integers(min_value=0, max_value=HORIZON - 1))
def test_any_tick_in_range_reproduces_the_original_at_replicate_0(at):
    pair, _ = play(fork(at=at), 0)
    assert pair.baseline.digest == pair.branch.digest == plain_run().digest
    assert pair.diverged_at is None


def test_hours_up_to_t_are_the_original_runs_in_both_branches():
    original = plain_run()
    prepared = fork(sets=[NO_ROBBING])
    for replicate in (0, 1):
        pair, results = play(prepared, replicate)
        assert pair.diverged_at is not None and pair.diverged_at > AT
        for result in results:
            assert result.metrics.iloc[:AT].equals(original.metrics.iloc[:AT])
            assert events_until(result, AT) == events_until(original, AT)
        assert not results[1].metrics.iloc[AT:].equals(original.metrics.iloc[AT:])


# --- changes --------------------------------------------------------------------------------


def test_an_action_weighted_0_at_t_never_happens_after_t_in_any_replicate():
    prepared = fork(sets=[NO_ROBBING])
    robbed_in_baselines = 0
    for replicate in range(4):
        pair, (baseline, branch) = play(prepared, replicate)
        assert [e.tick for e in branch.events if e.kind == "robbery" and e.tick > AT] == []
        assert all(event["kind"] != "robbery" for event in pair.branch_events)
        robbed_in_baselines += sum(e.kind == "robbery" and e.tick > AT for e in baseline.events)
    assert robbed_in_baselines > 0  # the blocked action does happen without the change


def test_a_change_that_alters_nothing_gives_identical_futures():
    # The captain can accept the red disk only in the Heart, never reached in 240 hours.
    prepared = fork(sets=["agents.captain.actions.accept_red.weight=0.1"])
    assert prepared.changed == ["agents.captain.actions.accept_red.weight"]
    for replicate in range(3):
        pair, _ = play(prepared, replicate)
        assert pair.branch.digest == pair.baseline.digest
        assert pair.diverged_at is None


def traced(prepared):
    """The prefix of `prepared` again, keeping the winners' decision records."""
    model = simulate_prefix(prepared.fork, trace="winners")
    assert model.steps == AT
    return model


def decisions_at(result, tick: int) -> dict[str, dict]:
    return {record["character"]: record for record in result.decisions if record["tick"] == tick}


def test_a_forced_choice_is_taken_in_hour_t_plus_1():
    prefix = fork().prefix
    captain = next(iter(p for p in prefix.cast if p.role == "captain"))
    _, (plain, _) = play(fork(), 0, traced(fork()))
    would = decisions_at(plain, AT + 1)[captain.name]["action"]
    other = next(a for a in possible_choices(prefix, captain) if a != would)
    prepared = fork(forces=[f"captain.{other}"])
    pair, (baseline, branch) = play(prepared, 0, traced(prepared))
    taken = decisions_at(branch, AT + 1)[captain.name]
    assert taken["action"] == other and taken["forced"] is True
    assert decisions_at(baseline, AT + 1)[captain.name]["action"] == would
    assert pair.diverged_at == AT + 1


def test_forcing_what_the_character_would_choose_anyway_changes_nothing():
    for replicate in (0, 1):  # each replicate's own choices: reseeded streams choose otherwise
        _, (plain, _) = play(fork(), replicate, traced(fork()))
        chosen = decisions_at(plain, AT + 1)
        assert chosen, "somebody decides in hour T + 1"
        forces = [f"{name}.{record['action']}" for name, record in sorted(chosen.items())]
        prepared = fork(forces=forces)
        pair, (_, branch) = play(prepared, replicate, traced(prepared))
        assert pair.diverged_at is None
        assert pair.branch.digest == pair.baseline.digest
        assert all(decisions_at(branch, AT + 1)[name]["forced"] for name in chosen)


# --- common random numbers ------------------------------------------------------------------


def draws(model) -> tuple:
    return tuple(model.rng.random(4)), model.random.random(), model.random.getrandbits(64)


def test_both_branches_of_a_replicate_start_from_the_same_streams():
    prefix = fork().prefix
    first, second, other = copy_model(prefix), copy_model(prefix), copy_model(prefix)
    reseed(first, SEED, AT, 1)
    reseed(second, SEED, AT, 1)
    reseed(other, SEED, AT, 2)
    assert draws(first) == draws(second)
    assert draws(other) != draws(copy_model(first))
    for model in (first, second, other):
        model.release()


def test_replicates_are_different_futures():
    prepared = fork()
    digests = [play(prepared, replicate)[0].baseline.digest for replicate in range(4)]
    assert len(set(digests)) == 4


def test_a_copy_leaves_the_prefix_untouched():
    prepared = fork(sets=[NO_ROBBING])
    state = prepared.prefix.rng.bit_generator.state
    first, _ = play(prepared, 1)
    assert prepared.prefix.rng.bit_generator.state == state
    again, _ = play(prepared, 1)
    assert again.baseline.digest == first.baseline.digest
    assert again.branch.digest == first.branch.digest


# --- the runners ----------------------------------------------------------------------------


def test_results_are_identical_on_1_and_2_workers(workers_from_a_plain_process):
    prepared = fork(sets=[NO_ROBBING])
    one = run_fork(prepared, 4, workers=1).to_json()
    two = run_fork(prepared, 4, workers=2).to_json()
    assert one == two
    assert [pair["replicate"] for pair in one["pairs"]] == [0, 1, 2, 3]
    assert one["pairs"][0]["baseline_digest"] == plain_run().digest


def test_results_are_identical_on_dask(workers_from_a_plain_process):
    prepared = fork(sets=[NO_ROBBING])
    local = run_fork(prepared, 3, workers=1).to_json()
    assert run_fork(prepared, 3, workers=2, dask="local").to_json() == local


# --- what cannot be changed or forced -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ("simulation.ticks=100", "simulation.ticks"),
        ("simulation.trace='full'", "simulation.trace"),
        ("galaxy.initial_planets=30", "galaxy.initial_planets"),
        ("economy.start_credits=5", "economy.start_credits"),
        ("characters.karl.display_name='Carl'", "characters.karl.display_name"),
        ("characters.walt.starts_aboard=true", "characters.walt.starts_aboard"),
        ("characters.extra.role='crew'", "characters.extra"),
    ],
)
def test_check_changeable_refuses_what_cannot_change_mid_run(change, refused):
    with pytest.raises(UserError, match=rf"--set {refused}.*cannot change in a fork"):
        check_changeable(short_config(), short_config(change))


def test_check_changeable_names_what_a_change_touches():
    after = short_config(NO_ROBBING, "characters.karl.resentment=1.0")
    assert check_changeable(short_config(), after) == [
        "agents.captain.actions.rob_player.weight",
        "characters.karl.resentment",
    ]


@pytest.mark.parametrize(
    ("who", "action", "message"),
    [
        ("nobody", "hide", r"--force nobody: no such character or role \(known: .*karl"),
        ("crew", "rest", r"several characters answer to it; name one \(.*karl"),
        ("captain", "fly", r"nanette \(captain\) has no such action \(its actions: rob_player, "),
        ("captain", "accept_red", r"at tick 60 nanette cannot take it; it could choose: .*warp"),
        ("shania", "rest", r"at tick 60 shania is dead\.$"),
        ("vengeful_player", "hunt", r"a crowd, not a character"),
    ],
)
def test_force_choice_errors_name_the_problem(who, action, message):
    model = copy_model(fork().prefix)
    try:
        with pytest.raises(UserError, match=message):
            force_choice(model, who, action)
        assert model.forced == {}
    finally:
        model.release()


def test_a_name_that_is_also_a_role_is_resolved_by_the_action():
    # the clone captain is named nanette; the role nanette is the real Nanette's
    model = copy_model(fork().prefix)
    try:
        assert find_character(model, "nanette", "hide").name == "nanette"
        assert find_character(model, "nanette", "investigate").name == "real_nanette"
        assert find_character(model, "captain").name == "nanette"
    finally:
        model.release()


def test_a_fork_at_or_past_the_runs_end_is_refused():
    with pytest.raises(UserError, match=r"--at -1: must be 0 or more"):
        fork(at=-1)
    with pytest.raises(UserError, match=rf"--at {HORIZON}: the run's horizon is {HORIZON}"):
        fork(at=HORIZON)


def test_a_fork_after_a_run_that_stopped_early_is_refused():
    config = load_config(DEFAULT_CONFIG)
    stopped = simulate(config, seed=8, trace="off").ticks  # this run ends and stops early
    assert stopped < config.simulation.ticks
    with pytest.raises(UserError, match=rf"is over after {stopped} hours; fork at {stopped - 1}"):
        prepare(config, str(DEFAULT_CONFIG), seed=8, at=stopped + 1)


def test_prepare_refuses_a_bad_change_or_force_by_its_option():
    with pytest.raises(UserError, match=r"the fork's --set: .*rob_player.weight"):
        fork(sets=["agents.captain.actions.rob_player.weight=-1"])
    with pytest.raises(UserError, match=r"the fork's --set: .*agents.captain.no_such_knob"):
        fork(sets=["agents.captain.no_such_knob=1"])
    with pytest.raises(UserError, match=r"--force 'captain': write CHARACTER.ACTION"):
        fork(forces=["captain"])
    with pytest.raises(UserError, match=r"--replicates 0: must be from 1 to"):
        run_fork(fork(), 0)


@pytest.mark.parametrize(
    "forces",
    [("karl.rest", "karl.defy"), ("captain.warp", "nanette.hide")],  # by name; a role and a name
)
def test_two_different_forced_choices_for_one_character_are_refused(forces):
    with pytest.raises(UserError, match=r"--force .*: .* is already forced to take \w+ in hour"):
        fork(forces=forces)


def test_the_same_forced_choice_given_twice_is_one_choice():
    model = copy_model(fork().prefix)
    try:
        force_choice(model, "captain", "warp")
        force_choice(model, "nanette", "warp")
        assert model.forced == {"nanette": "warp"}
    finally:
        model.release()
