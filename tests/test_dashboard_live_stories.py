"""Live page, Stories panel: after some hours of the default scenario it lists what is brewing
("k of n beats") and what is complete, exactly as the patterns read on the whole run so far."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from experiments.stories_progress import story_progress
from experiments.stories_timeline import build_timeline, cast_entry
from views.live_stories import shipped_patterns

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def expected_lines(model) -> tuple[list[str], list[str]]:
    """(brewing, complete) pattern names, read afresh from the model's whole logs."""
    cast = {n: cast_entry(n, c.display_name, c.role) for n, c in model.config.characters.items()}
    timeline = build_timeline(
        [(e.tick, e.kind, e.actors, e.text) for e in model.events.events],
        [(d["tick"], d["character"], d["role"], d["action"]) for d in model.decisions],
        cast,
    )
    ending = model.story.ending if model.story.finished else None
    progress = story_progress(shipped_patterns(), timeline, model.steps, ending, not model.running)
    brewing = [
        f"{p.pattern.name}** is brewing: {p.brewing_beats} of" for p in progress if p.brewing
    ]
    return brewing, [p.pattern.name for p in progress if p.complete]


def panel(at):
    return next(e for e in at.expander if e.label.startswith("Stories:"))


def test_the_stories_panel_follows_the_run_hour_by_hour(monkeypatch, tmp_path):
    monkeypatch.delenv("CALLISTER_CONFIGS", raising=False)
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path))
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert panel(at).label == "Stories: 0 brewing, 0 complete"
    at.select_slider(key="ticks_per_refresh").set_value(48).run()
    at.toggle(key="playing").set_value(True).run()  # each run: one timer tick of 48 hours
    seen_brewing = False
    for _ in range(8):
        at.run()
        assert not at.exception
        model = at.session_state["live"].model
        brewing, complete = expected_lines(model)
        shown = panel(at)
        assert shown.label == f"Stories: {len(brewing)} brewing, {len(complete)} complete"
        text = "\n".join(m.value for m in shown.markdown)
        assert all(line in text for line in brewing)
        assert all(f"**{name}**" in text for name in complete)
        seen_brewing |= bool(brewing)
    assert seen_brewing and complete  # the default run has begun stories and finished some
