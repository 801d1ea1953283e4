"""The interim Tune page renders real configs, follows the role/action choice, shows bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def app(tmp_path, monkeypatch, scenario):
    """The page over a tmp configs dir holding a valid default.toml and a broken config."""
    (tmp_path / "default.toml").write_text(tomli_w.dumps(scenario), encoding="utf-8")
    scenario["agents"]["captain"]["actions"]["rob_player"]["weight"] = -1
    (tmp_path / "broken.toml").write_text(tomli_w.dumps(scenario), encoding="utf-8")
    (tmp_path / "syntax.toml").write_text("[simulation\n", encoding="utf-8")
    monkeypatch.setenv("CALLISTER_CONFIGS", str(tmp_path))
    at = AppTest.from_file(DASHBOARD, default_timeout=30)
    return at.run()


def table_inputs(at) -> list[str]:
    return list(at.dataframe[0].value["input"])


def test_page_renders_the_first_role_and_action(app):
    assert not app.exception
    assert not app.error
    assert app.selectbox(key="config").value == "default.toml"
    assert app.selectbox(key="role").value == "captain"
    assert app.selectbox(key="action_captain").value == "rob_player"
    assert table_inputs(app) == ["credits", "threat_nearby"]
    assert [s.label.split(":")[0] for s in app.slider] == ["credits", "threat_nearby"]
    assert any("compensated product" in m.label for m in app.metric)


def test_changing_role_and_action_updates_the_table(app):
    app.selectbox(key="role").select("crew").run()
    assert not app.exception
    assert app.selectbox(key="action_crew").options == ["join_raid", "rest", "defy"]
    app.selectbox(key="action_crew").select("rest").run()
    assert table_inputs(app) == ["fatigue", "health"]
    app.selectbox(key="action_crew").select("defy").run()
    assert table_inputs(app) == ["grievance"]
    assert not app.exception


def test_moving_a_slider_changes_the_score(app):
    before = {m.label: m.value for m in app.metric}
    app.slider(key="mark_captain_rob_player_threat_nearby").set_value(19.0).run()
    after = {m.label: m.value for m in app.metric}
    assert not app.exception
    assert after["compensated product"] != before["compensated product"]


def test_traits_of_a_character_bind_the_curves(app):
    app.selectbox(key="traits_captain").select("cole").run()
    assert not app.exception


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("broken.toml", "agents.captain.actions.rob_player.weight: must be >= 0, got -1."),
        ("syntax.toml", "TOML syntax error"),
    ],
)
def test_a_broken_config_shows_the_validation_message(app, name, shown):
    app.selectbox(key="config").select(name).run()
    assert not app.exception
    assert len(app.error) == 1
    assert shown in app.error[0].value


def test_every_role_and_action_of_the_default_config_renders(monkeypatch, default_config):
    monkeypatch.delenv("CALLISTER_CONFIGS", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert at.selectbox(key="config").value == "default.toml"
    for role in at.selectbox(key="role").options:
        at.selectbox(key="role").select(role).run()
        actions = at.selectbox(key=f"action_{role}").options
        configured = getattr(default_config.agents, role).model_dump(exclude_none=True)
        assert actions == list(configured["actions"])
        for action in actions:
            at.selectbox(key=f"action_{role}").select(action).run()
            assert not at.exception, (role, action)
            assert not at.error, (role, action)
