"""Folding the story: every turning point is told alone, everyday runs become one counted line."""

from __future__ import annotations

import pytest

from world import events, story_text
from world.simulate import simulate
from world.story_text import fold_story

DAY = 24


def test_turning_points_stay_single_and_routine_runs_fold_between_them():
    story = [
        (1, "robbery", "The crew robs A."),
        (2, "price_hike", "Prices rise."),
        (3 * DAY, "robbery", "The crew robs B."),
        (3 * DAY + 1, "walt_found", "Walt is found."),
        (3 * DAY + 2, "robbery", "The crew robs C."),
        (4 * DAY, "heart_entered", "The captain enters the Heart."),
    ]
    lines = fold_story(story)
    assert [line.render() for line in lines] == [
        "Days  1-4     ... 2 robberies; 1 price hike",
        "Day  4 01:00  Walt is found.",
        "Day  4 02:00  The crew robs C.",  # alone between two turning points: told in full
        "Day  5 00:00  The captain enters the Heart.",
    ]
    assert [line.folded for line in lines] == [True, False, False, False]


def test_a_line_repeated_word_for_word_keeps_its_text_and_count():
    refusal = "Karl refuses the order to raid."
    lines = fold_story([(t, "copy_refused", refusal) for t in range(2 * DAY, 9 * DAY, 12)])
    assert len(lines) == 1
    assert lines[0].text == "Karl refuses the order to raid (×14)"
    assert lines[0].render().startswith("Days  3-9")


def test_a_kind_marked_routine_anywhere_folds_without_a_list_here(monkeypatch):
    monkeypatch.setitem(events.ROUTINE, "walt_found", ("sighting of Walt", "sightings of Walt"))
    lines = fold_story([(t, "walt_found", f"Walt seen ({t}).") for t in range(5)])
    assert [line.text for line in lines] == ["5 sightings of Walt"]
    assert story_text.ROUTINE is events.ROUTINE


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_whole_run_keeps_every_turning_point_and_counts_every_routine_event(default_config, seed):
    run = simulate(default_config, seed=seed)
    told = [(e.tick, e.kind, e.text) for e in run.events]
    lines = fold_story(told)
    assert sum(line.events for line in lines) == len(told)
    turning = [(t, k, x) for t, k, x in told if k not in events.ROUTINE]
    single = [
        (line.first_tick, line.kinds[0], line.text)
        for line in lines
        if not line.folded and not line.routine
    ]
    assert single == turning
    folded = [line for line in lines if line.folded]
    assert all(line.routine for line in folded)
    assert len(lines) < len(told)
    ticks = [line.first_tick for line in lines]
    assert ticks == sorted(ticks)
