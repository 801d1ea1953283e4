"""One run loop: `world.simulate.advance` steps every model, whoever runs it.

The CLI, the Live page and the batch worker each watch a run differently (a story teller and a
replay recorder, the replay recorder a few hours at a time, a deadline) but step it through the
same loop, so a run means the same thing at every front door.
"""

from __future__ import annotations

import mesa
import pytest

import world.simulate
from callister.cli import main
from callister.commands.run import StoryTeller
from configuration.loading import load_config
from experiments.records import STATUS_OK
from experiments.worker import RunTask, execute_run
from views.configs import Scenario
from views.state import LiveRun
from world.record import ReplayRecorder
from world.simulate import advance, build_model, play_out


@pytest.fixture
def tiny_path(make_scenario, write_config):
    return write_config(make_scenario(), "tiny.toml")


@pytest.fixture
def tiny_config(tiny_path):
    return load_config(tiny_path)


@pytest.fixture
def loops(monkeypatch) -> list[tuple[int | None, list]]:
    """Every call of the run loop as (hours asked, observers); the loop itself still runs."""
    calls: list[tuple[int | None, list]] = []
    original = world.simulate.advance

    def spy(model, ticks=None, observers=()):
        calls.append((ticks, list(observers)))
        return original(model, ticks, observers)

    monkeypatch.setattr(world.simulate, "advance", spy)
    return calls


def test_advance_runs_the_hours_asked_then_stops_at_the_end(tiny_config):
    model = build_model(tiny_config, seed=1)
    seen: list[int] = []
    assert advance(model, 5, [lambda m: seen.append(m.steps)]) == 5
    assert seen == [1, 2, 3, 4, 5]
    rest = advance(model)
    assert not model.running and model.steps == 5 + rest
    assert advance(model, 10) == 0  # an ended run stays ended


def test_an_observer_that_raises_stops_the_loop_in_its_hour(tiny_config):
    model = build_model(tiny_config, seed=1)

    def fail_at_three(m) -> None:
        if m.steps == 3:
            raise RuntimeError("observer failed")

    with pytest.raises(RuntimeError, match="observer failed"):
        advance(model, observers=[fail_at_three])
    assert model.steps == 3


def test_play_out_releases_the_model_even_when_the_run_fails(tiny_config):
    model = build_model(tiny_config, seed=1)
    assert model in mesa.Agent._ids  # Mesa's leak that `release` undoes

    def fail(m) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        play_out(model, 0.0, [fail])
    assert model not in mesa.Agent._ids


@pytest.mark.parametrize(
    ("options", "watchers"),
    [
        (["--json"], []),
        (["--json", "--out", "{out}"], [ReplayRecorder]),
        (["--out", "{out}"], [StoryTeller, ReplayRecorder]),
    ],
)
def test_the_cli_runs_through_the_loop(loops, capsys, tmp_path, tiny_path, options, watchers):
    argv = ["run", str(tiny_path), *(o.format(out=tmp_path / "record") for o in options)]
    assert main(argv) == 0
    capsys.readouterr()
    assert [(ticks, [type(o) for o in observers]) for ticks, observers in loops] == [
        (None, watchers)
    ]


def test_the_live_page_runs_through_the_loop(loops, tiny_config):
    run = LiveRun.start(Scenario("tiny.toml", {}, tiny_config, ""), seed=3)
    assert run.step(4) == 4
    run.run_to_end()
    assert loops == [(4, [run.replay]), (tiny_config.simulation.ticks, [run.replay])]
    assert run.step() == 0 and len(loops) == 2  # nothing left to run: the loop is not called


def test_the_batch_worker_runs_through_the_loop(loops, make_scenario):
    task = RunTask(
        run_id=0,
        point=0,
        replicate=0,
        seed=1,
        attempt=1,
        values={},
        base_raw=make_scenario(),
        base_source="tiny.toml",
        time_limit_s=600.0,
    )
    assert execute_run(task).status == STATUS_OK
    [(ticks, observers)] = loops
    assert ticks is None and len(observers) == 1  # the deadline
