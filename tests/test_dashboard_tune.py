"""Tune page: edits are validated as typed, previews follow, comparisons run, saves are safe.

Saving must write a valid TOML file inside the configs directory only (sanitised name), and
never overwrite an existing file without the explicit tick.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from configuration.loading import load_config

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
ROB = "agents.captain.actions.rob_player"


def key(dotted: str, label: str = "default.toml") -> str:
    return f"tune:{label}:{dotted}"


@pytest.fixture
def configs(tmp_path, scenario) -> Path:
    directory = tmp_path / "configs"
    directory.mkdir()
    (directory / "default.toml").write_text(tomli_w.dumps(scenario), encoding="utf-8")
    return directory


@pytest.fixture
def app(configs, monkeypatch, tmp_path):
    monkeypatch.setenv("CALLISTER_CONFIGS", str(configs))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    return at.switch_page("views/tune.py").run()


def errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def metric(at, start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(start))


def test_the_page_shows_the_first_role_action_and_its_curves(app):
    assert not app.exception
    assert not app.error
    assert app.selectbox(key="tune_role").value == "captain"
    assert app.selectbox(key="tune_action_captain").value == "rob_player"
    assert app.number_input(key=key(f"{ROB}.weight")).value == 1.0
    kinds = [app.selectbox(key=key(f"{ROB}.considerations[{n}].curve.type")).value for n in (0, 1)]
    assert kinds == ["logistic", "linear"]
    curves = [c for c in app.get("plotly_chart") if "tune_curve" in c.proto.id]
    assert len(curves) == 2
    assert "compensated product" in {m.label for m in app.metric}


def test_an_out_of_range_edit_shows_the_schema_error_and_blocks_saving(app, configs):
    app.number_input(key=key(f"{ROB}.weight")).set_value(-1.0).run()
    assert not app.exception
    assert f"{ROB}.weight`: must be >= 0, got -1.0" in errors(app)
    assert any("Fix the errors" in w.value for w in app.warning)
    with pytest.raises(KeyError):
        app.button(key="tune_save")  # no save button while invalid
    assert sorted(p.name for p in configs.iterdir()) == ["default.toml"]


def test_a_valid_edit_changes_the_brains_score_live(app):
    before = metric(app, "score = weight")
    app.number_input(key=key(f"{ROB}.weight")).set_value(2.0).run()
    assert not app.error
    assert any("1 edit(s), all valid" in s.value for s in app.success)
    after = metric(app, "score = weight")
    assert float(after) == pytest.approx(2 * float(before))


def test_changing_a_curve_type_offers_its_parameters_and_previews_both(app):
    curve = f"{ROB}.considerations[0].curve"
    app.selectbox(key=key(f"{curve}.type")).select("normal").run()
    assert not app.exception
    assert not app.error
    # the logistic steepness was bound to greed; a bell curve has no steepness to bind
    assert any("dropped the trait binding steepness × greed" in i.value for i in app.info)
    assert app.number_input(key=key(f"{curve}.mean")).value == 0.5
    app.number_input(key=key(f"{curve}.width")).set_value(0.05).run()
    chart = next(c for c in app.get("plotly_chart") if "considerations[0]" in c.proto.id)
    names = [t["name"] for t in json.loads(chart.proto.spec)["data"]]
    assert names[:2] == ["original", "curve"]
    app.number_input(key=key(f"{curve}.width")).set_value(0.0).run()
    assert f"{curve}.width`: must be > 0" in errors(app)


def test_piecewise_points_are_validated(app):
    curve = f"{ROB}.considerations[1].curve"
    app.selectbox(key=key(f"{curve}.type")).select("piecewise").run()
    assert not app.error
    app.text_input(key=key(f"{curve}.points")).input("[[0, 1], [0, 0]]").run()
    assert "strictly increasing x" in errors(app)
    app.text_input(key=key(f"{curve}.points")).input("[[0, 1], [1, 0]]").run()
    assert not app.error
    app.text_input(key=key(f"{curve}.points")).input("[" * 5000 + "]" * 5000).run()
    assert not app.exception
    assert "points`: wrong type" in errors(app)


def test_trait_edits_are_validated(app):
    app.selectbox(key="tune_character").select("karl").run()
    app.number_input(key=key("characters.karl.resentment")).set_value(-2.0).run()
    assert "characters.karl.resentment`: must be >= 0" in errors(app)
    app.number_input(key=key("characters.karl.resentment")).set_value(2.5).run()
    assert not app.error


def test_saving_writes_a_valid_toml_only_inside_configs(app, configs, tmp_path):
    app.number_input(key=key(f"{ROB}.weight")).set_value(2.0).run()
    app.text_input(key="tune_save_name").input("../../escaped name.toml").run()
    app.button(key="tune_save").click().run()
    assert not app.exception
    saved = configs / "escaped_name.toml"
    assert saved.exists()
    assert not list(tmp_path.glob("escaped*"))  # nothing outside configs/
    assert load_config(saved).agents.captain.actions.rob_player.weight == 2.0
    assert "Edited from default.toml" in saved.read_text(encoding="utf-8")

    app.number_input(key=key(f"{ROB}.weight")).set_value(3.0).run()
    app.button(key="tune_save").click().run()
    assert "already exists" in errors(app)
    assert load_config(saved).agents.captain.actions.rob_player.weight == 2.0
    app.checkbox(key="tune_overwrite").check().run()
    app.button(key="tune_save").click().run()
    assert not app.error
    assert load_config(saved).agents.captain.actions.rob_player.weight == 3.0
    assert "escaped_name.toml" in app.selectbox(key="scenario").options


def test_an_empty_file_name_is_refused(app, configs):
    app.text_input(key="tune_save_name").input("../..").run()
    app.button(key="tune_save").click().run()
    assert "give the new config a name" in errors(app)
    assert sorted(p.name for p in configs.iterdir()) == ["default.toml"]


def test_quick_comparison_runs_both_variants_on_the_same_seeds(app):
    app.number_input(key=key(f"{ROB}.weight")).set_value(0.0).run()
    app.number_input(key="tune_seeds").set_value(2).run()
    app.number_input(key="tune_ticks").set_value(24).run()
    app.button(key="tune_compare").click().run()
    assert not app.exception
    runs = next(d.value for d in app.dataframe if "variant" in d.value.columns)
    assert sorted(runs["variant"]) == ["edited", "edited", "original", "original"]
    assert set(runs["seed"]) == {7, 8}
    edited = runs[runs["variant"] == "edited"]
    assert (edited["robberies"] == 0).all()  # weight 0 removes robbing entirely


def test_discarding_edits_restores_the_file_values(app):
    app.number_input(key=key(f"{ROB}.weight")).set_value(-1.0).run()
    app.button(key="tune_discard").click().run()
    assert not app.error
    assert app.number_input(key=key(f"{ROB}.weight")).value == 1.0


def test_every_role_and_action_of_the_default_config_renders(monkeypatch, default_config):
    monkeypatch.delenv("CALLISTER_CONFIGS", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/tune.py").run()
    for role in at.selectbox(key="tune_role").options:
        at.selectbox(key="tune_role").select(role).run()
        actions = at.selectbox(key=f"tune_action_{role}").options
        configured = getattr(default_config.agents, role).model_dump(exclude_none=True)
        assert actions == list(configured["actions"])
        for action in actions:
            at.selectbox(key=f"tune_action_{role}").select(action).run()
            assert not at.exception, (role, action)
            assert not at.error, (role, action)
