"""A scenario that validates but fails at run time never shows a traceback.

The schema is being tightened so that such scenarios cannot exist; the pages must hold
anyway. The world is made to fail here by wrapping `CallisterModel.step` (before a model is
built: Mesa binds a model's step when it is created) so that tick 3 raises the error
`economy.loot_mean = 0` used to raise. Step, Run to end, Play and Reset on the Live page,
and the Tune page's comparison, must each show one `st.error` naming the scenario, the seed
and what failed, stop the run, and leave the page usable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from world.model import CallisterModel

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
FAILING_TICK = 3


@pytest.fixture
def workspace(tmp_path, monkeypatch, make_scenario) -> Path:
    """A configs dir holding the tiny scenario (seed 7, 48 ticks) as default.toml."""
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "default.toml").write_text(tomli_w.dumps(make_scenario()), encoding="utf-8")
    monkeypatch.setenv("CALLISTER_CONFIGS", str(configs))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    return tmp_path


@pytest.fixture
def failing_world(monkeypatch, workspace):
    """Models built from now on raise at tick 3; returns a function that mends the world."""
    original = CallisterModel.step

    def step(self) -> None:
        if self.steps >= FAILING_TICK:
            raise ValueError("math domain error")
        original(self)

    monkeypatch.setattr(CallisterModel, "step", step)
    return lambda: monkeypatch.setattr(CallisterModel, "step", original)


def failure_shown(at: AppTest) -> str:
    assert not at.exception
    shown = [e.value for e in at.error if "failed at tick" in e.value]
    assert len(shown) == 1, [e.value for e in at.error]
    return shown[0]


def assert_stopped(at: AppTest) -> None:
    run = at.session_state["live"]
    assert run.finished
    assert run.failure is not None
    for button in ("step", "run_to_end", "save_record"):
        assert at.button(key=button).disabled, button
    assert at.toggle(key="playing").disabled
    assert "stopped by a failure" in " ".join(m.value for m in at.markdown)


def test_a_step_that_raises_stops_the_run_with_an_error(failing_world):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    for _ in range(FAILING_TICK):
        at.button(key="step").click().run()
    message = failure_shown(at)
    assert "default.toml, seed 7" in message
    assert f"tick {FAILING_TICK}" in message
    assert "ValueError: math domain error" in message
    assert_stopped(at)
    assert any(m.label == "credits" for m in at.metric)  # the page still draws the run
    failure_shown(at.run())  # and keeps saying why on every rerun

    failing_world()  # Reset builds a fresh run, which now works
    at.button(key="reset").click().run()
    assert not at.exception
    assert not at.error
    at.button(key="step").click().run()
    assert at.session_state["live"].tick == 1
    assert at.session_state["live"].failure is None


def test_run_to_end_stops_at_the_failing_tick(failing_world):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.button(key="run_to_end").click().run()
    assert f"tick {FAILING_TICK}" in failure_shown(at)
    assert_stopped(at)


def test_play_switches_itself_off_when_the_run_fails(failing_world):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.select_slider(key="ticks_per_refresh").set_value(6).run()
    at.toggle(key="playing").set_value(True).run()  # one refresh: six ticks, the third fails
    assert "ValueError" in failure_shown(at)
    assert at.toggle(key="playing").value is False
    assert_stopped(at)


def test_a_scenario_whose_world_cannot_be_built_is_an_error(monkeypatch, workspace):
    def refuse(self, *args, **kwargs) -> None:
        raise OverflowError("int too large to convert")

    monkeypatch.setattr(CallisterModel, "__init__", refuse)
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert "default.toml, seed 7" in at.error[0].value
    assert "OverflowError: int too large to convert" in at.error[0].value
    assert "live" not in at.session_state
    assert "Choose a usable scenario" in at.info[0].value


def test_a_reset_that_cannot_build_keeps_the_run_being_watched(monkeypatch, workspace):
    released = []
    monkeypatch.setattr(CallisterModel, "release", lambda self: released.append(self))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.button(key="step").click().run()
    watched = at.session_state["live"]

    def refuse(self, *args, **kwargs) -> None:
        raise OverflowError("int too large to convert")

    monkeypatch.setattr(CallisterModel, "__init__", refuse)
    at.button(key="reset").click().run()
    assert not at.exception
    assert "OverflowError" in " ".join(e.value for e in at.error)
    assert at.session_state["live"] is watched
    assert watched.model not in released  # still whole: it was not handed back to Mesa
    at.button(key="step").click().run()
    assert at.session_state["live"].tick == 2


def test_a_comparison_whose_run_fails_is_an_error_in_the_tune_page(failing_world):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/tune.py").run()
    at.number_input(key="tune_seeds").set_value(1).run()
    at.button(key="tune_compare").click().run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "The comparison of default.toml stopped" in message
    assert "the original scenario, seed 7, failed at run time: ValueError" in message
    assert not any("variant" in d.value.columns for d in at.dataframe)
