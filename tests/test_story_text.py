"""How the story is told, defined once: endings and their texts, routine kinds, the day stamp.

The CLI, the dashboard and the reports read these from `world.endings` and `world.events`;
none keeps a copy of its own that could drift.
"""

from __future__ import annotations

import io

import callister.commands.run as run_command
import experiments.report
import views.panels
from world import clock, endings, events, story_text
from world.clock import day_of, stamp
from world.endings import DISK_ENDINGS, ENDINGS, HORIZON_ENDING
from world.events import EVENT_KINDS, ROUTINE


def test_every_ending_a_run_can_reach_has_a_text():
    reachable = {*DISK_ENDINGS.values(), "daly_copy", "collapse", "crew_destroyed"}
    assert reachable | {HORIZON_ENDING} == set(ENDINGS)
    assert all(text.endswith(".") for text in ENDINGS.values())


def test_routine_kinds_are_event_kinds_counted_in_words():
    assert set(ROUTINE) <= set(EVENT_KINDS)
    assert all(singular != plural for singular, plural in ROUTINE.values())


def test_the_stamp_names_day_and_hour():
    assert stamp(0) == "Day 1 00:00"
    assert stamp(24 * 9 + 5) == "Day 10 05:00"
    assert stamp(5, day_width=2) == "Day  1 05:00"  # the CLI's aligned column
    assert [day_of(t) for t in (0, 23, 24, 47, 48)] == [1, 1, 2, 2, 3]


def test_every_front_door_reads_the_one_definition():
    assert story_text.ROUTINE is events.ROUTINE  # the CLI and the dashboard fold through it
    assert run_command.StoryFolder is story_text.StoryFolder
    assert views.panels.fold_story is story_text.fold_story
    assert story_text.stamp is views.panels.stamp is clock.stamp
    assert views.panels.ENDINGS is experiments.report.ENDINGS is endings.ENDINGS
    assert not hasattr(events, "ENDINGS")  # ids and texts live in world.endings only


def test_the_cli_folds_routine_runs_between_turning_points():
    teller = run_command.StoryTeller(io.StringIO())

    class Model:  # just the event log the teller reads
        def __init__(self) -> None:
            self.events = events.EventLog()

    model = Model()
    model.events.add(1, "robbery", ["cole"], "A robbery.")
    model.events.add(2, "robbery", ["cole"], "Another robbery.")
    model.events.add(3, "walt_found", ["walt"], "Walt is found.")
    model.events.add(30, "daly_fight", ["daly"], "A blow.")
    teller(model)
    teller.flush()
    assert teller.stream.getvalue().splitlines() == [
        "Day  1        ... 2 robberies",
        "Day  1 03:00  Walt is found.",
        "Day  2 06:00  A blow.",  # alone between turning points: told in full
    ]
