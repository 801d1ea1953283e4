"""Dashboard benchmarks: a Step plus redraw of the live page, and the first render.

Targets (the dashboard issue), default scenario:
- Step + redraw <= 100 ms (median). Measured through AppTest, which reruns the *whole* script
  (entry point, sidebar, controls and the live fragment) for a click: an upper bound on the
  browser's fragment-only rerun. The fragment body alone (one step, every panel built) is
  reported too, timed directly.
- Step + redraw at 5,000 planets <= 300 ms (median): the fragment body as above on a default
  scenario grown to 5,000 planets, where the galaxy is drawn with WebGL.
- First render <= 3 s: in a fresh process that has imported Streamlit (as a started server
  has), the first run of the app: importing the pages, world and plotting, building the model
  and drawing the Live page. Reported as a note (median of 3 fresh processes).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks import Case, Result

REPO = Path(__file__).resolve().parents[1]
DASHBOARD = str(REPO / "dashboard.py")
STEP_TARGET_S = 0.100
LARGE_GALAXY = 5_000  # planets, the Heart and XJ-500 included
LARGE_STEP_TARGET_S = 0.300
FIRST_RENDER_TARGET_S = 3.0
FRESH_PROCESSES = 3

_FIRST_RENDER = f"""
import json, time
import streamlit
from streamlit.testing.v1 import AppTest
started = time.perf_counter()
at = AppTest.from_file({DASHBOARD!r}, default_timeout=120).run()
elapsed = time.perf_counter() - started
assert not at.exception, at.exception
assert at.session_state["live"].tick == 0
print(json.dumps(elapsed))
"""


def _quiet() -> None:
    # AppTest outside `streamlit run` warns once per thread about a missing run context.
    logging.getLogger("streamlit").setLevel(logging.ERROR)


def _step_through_apptest():
    from streamlit.testing.v1 import AppTest

    _quiet()
    os.environ.pop("CALLISTER_CONFIGS", None)  # the repo's configs/default.toml
    app = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert not app.exception and app.selectbox(key="scenario").value == "default.toml"

    def step() -> None:
        app.button(key="step").click().run()

    return step


def _fragment_body():
    """One step and every live panel built, in bare mode (no server, no AppTest)."""
    _quiet()
    from views import live
    from views.configs import load_scenario
    from views.state import start_live_run

    run = start_live_run(load_scenario("default.toml"), 1)

    def body() -> None:
        live._view_body(False, 1)  # Step is not "clicked" in bare mode: step explicitly
        run.step(1)

    return body


def _fragment_body_at_scale():
    """The fragment body (one step, every panel) on the default scenario at 5,000 planets."""
    _quiet()
    from configuration.loading import load_config
    from views import live
    from views.configs import Scenario
    from views.state import start_live_run

    planets = LARGE_GALAXY - 2  # the Heart and XJ-500 are the other two
    overrides = [f"galaxy.initial_planets={planets}", f"galaxy.max_planets={planets + 1000}"]
    config = load_config(REPO / "configs" / "default.toml", overrides)
    run = start_live_run(Scenario(f"default.toml at {LARGE_GALAXY} planets", {}, config, ""), 1)

    def body() -> None:
        live._view_body(False, 1)
        run.step(1)

    return body


def cases() -> list[Case]:
    return [
        Case(
            "dashboard: Step + redraw, live page (AppTest, whole script)",
            _step_through_apptest(),
            target_s=STEP_TARGET_S,
            number=5,
            repeats=7,
        ),
        Case("dashboard: Step + redraw, fragment body alone", _fragment_body(), number=5),
        Case(
            "dashboard: step + redraw at 5,000 planets",
            _fragment_body_at_scale(),
            target_s=LARGE_STEP_TARGET_S,
            number=3,
            repeats=5,
        ),
    ]


def first_render_seconds() -> list[float]:
    """The first app run in each of a few fresh processes."""
    times = []
    for _ in range(FRESH_PROCESSES):
        done = subprocess.run(
            [sys.executable, "-c", _FIRST_RENDER],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env=os.environ | {"PYTHONWARNINGS": "ignore"},
        )
        times.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return times


def notes(results: list[Result]) -> list[str]:
    times = first_render_seconds()
    median = statistics.median(times)
    verdict = "pass" if median <= FIRST_RENDER_TARGET_S else "FAIL"
    shown = ", ".join(f"{t:.2f}" for t in times)
    return [
        f"dashboard: first render of the Live page (fresh process, Streamlit imported): "
        f"median {median:.2f} s over [{shown}] s, target {FIRST_RENDER_TARGET_S:.0f} s: {verdict}"
    ]
