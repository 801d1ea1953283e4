"""Why page: the inspector shows every candidate's numbers for the chosen character and tick.

The numbers must be the brain's own: the shown scores reproduce `weight x product x momentum`,
the winner has the top score under argmax, the probabilities sum to 1, and there is one curve
plot per consideration of the inspected action.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def app(tmp_path, monkeypatch, scenario):
    """The app over the tiny scenario, stepped 4 hours on the Live page."""
    (tmp_path / "default.toml").write_text(tomli_w.dumps(scenario), encoding="utf-8")
    monkeypatch.setenv("CALLISTER_CONFIGS", str(tmp_path))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    for _ in range(4):
        at.button(key="step").click().run()
    return at


def table(at, column: str):
    """The first shown table with this column (st.dataframe has no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def candidates(at):
    return table(at, "probability")


def curve_charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart") if "why_curve" in c.proto.id]


def test_inspector_opened_from_live_shows_the_chosen_characters_scores(app):
    app.selectbox(key="inspect_character").select("karl").run()
    app.button(key="ask_why").click().run()
    assert not app.exception
    assert app.selectbox(key="why_character").value == "karl"
    model = app.session_state["live"].model
    latest = [d for d in model.decisions if d["character"] == "karl"][-1]
    assert f"tick {latest['tick']}" in app.subheader[0].value
    shown = candidates(app)
    trace = latest["trace"]
    assert sorted(shown["action"]) == sorted(c["action"] for c in trace["candidates"])
    for row in shown.itertuples():
        expected = row.weight * row.product * row.momentum if row.available else 0.0
        assert row.score == pytest.approx(expected)
    assert shown["probability"].sum() == pytest.approx(1.0)
    winner = shown[shown[""] == "★"]
    assert list(winner["action"]) == [latest["action"]]
    assert winner["score"].iloc[0] == shown["score"].max()  # crew selector is argmax
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["winner"] == latest["action"]
    assert float(metrics["margin"]) == pytest.approx(trace["margin"], abs=1e-4)


def test_each_consideration_has_its_curve_with_the_input_marked(app):
    app.switch_page("views/why.py").run()
    app.selectbox(key="why_character").select("karl").run()
    app.selectbox(key="why_action").select("rest").run()
    assert not app.exception
    considerations = table(app, "x (normalised)")
    assert list(considerations["input"]) == ["fatigue", "health"]
    charts = curve_charts(app)
    assert len(charts) == 2
    for chart, raw in zip(charts, considerations["raw"], strict=True):
        marker = next(t for t in chart["data"] if t["name"] == "now")
        assert marker["x"] == [pytest.approx(raw)]


def test_choosing_an_earlier_tick_shows_that_decision(app):
    app.switch_page("views/why.py").run()
    app.selectbox(key="why_character").select("nanette").run()
    ticks = [
        d["tick"] for d in app.session_state["live"].model.decisions if d["character"] == "nanette"
    ]
    assert len(ticks) >= 2
    assert app.select_slider(key="why_tick").value == ticks[-1]  # the latest by default
    app.select_slider(key="why_tick").set_value(ticks[0]).run()
    assert not app.exception
    assert f"(tick {ticks[0]})" in app.subheader[0].value


def test_without_a_run_or_record_the_page_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("CALLISTER_CONFIGS", str(tmp_path))  # no scenario: no live run
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/why.py").run()
    assert not at.exception
    assert "Nothing to inspect yet" in at.info[0].value
