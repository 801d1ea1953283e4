"""Partial matches on hand-built timelines: what is brewing at an hour, and what no longer is.

A pattern brews at k beats while its first k beats match and beat k + 1 can still come (its
`within` window open, none of its guards fired since beat k). `StoryWatch`, fed a run hour by
hour, must say at every hour exactly what `story_progress` says on the whole timeline.
"""

from __future__ import annotations

from test_stories_matching import CAST, DIED, REFUSED, pattern, timeline

from experiments.stories import find_matches
from experiments.stories_language import DEFAULT_PATTERNS, load_patterns, validate_patterns
from experiments.stories_progress import StoryWatch, story_progress
from world.events import Event

MUTINY = pattern(REFUSED, {**DIED, "within": 240})
THREE = pattern(
    {"event": "quarters_found"},
    {"event": "walt_found", "within": 48},
    {"event": "walt_joined"},
)
GUARDED = pattern(
    {"event": "raider_captured", "as": "prisoner"},
    {
        "event": "raider_rescued",
        "target": "$prisoner",
        "not_between": [{"event": "raider_left_behind", "target": "$prisoner"}],
    },
)


def progress(found_pattern, log, now, ending=None, finished=False):
    return story_progress({"p": found_pattern}, timeline(log), now, ending, finished)[0]


def test_the_furthest_prefix_brews_with_its_bound_actors():
    log = [(10, "order_refused", "Karl", "Captain Cole")]
    state = progress(MUTINY, log, now=20)
    assert (state.brewing_beats, state.beats, state.complete) == (1, 2, ())
    assert [m.bindings for m in state.brewing] == [{"rebel": "Karl"}]
    two = progress(THREE, [(0, "quarters_found"), (30, "walt_found")], now=31)
    assert (two.brewing_beats, [h.tick for h in two.brewing[0].happenings]) == (2, [0, 30])


def test_nothing_brews_before_the_first_beat():
    state = progress(MUTINY, [(3, "crew_death", "Karl")], now=5)
    assert (state.brewing_beats, state.brewing, state.complete) == (0, (), ())


def test_an_expired_within_window_no_longer_brews():
    log = [(10, "order_refused", "Karl", "Captain Cole")]
    assert progress(MUTINY, log, now=249).brewing_beats == 1  # death still possible at 250
    expired = progress(MUTINY, log, now=250)  # 250 was the last hour it could come
    assert (expired.brewing_beats, expired.brewing) == (0, ())
    # a later refusal opens a new window
    again = progress(MUTINY, [*log, (200, "order_refused", "Karl", "Captain Cole")], now=250)
    assert [m.happenings[0].tick for m in again.brewing] == [200]


def test_an_expired_middle_window_falls_back_to_a_shorter_prefix():
    # walt_found never came within 48 h of the quarters: the story is back to 1 of 3
    late = progress(THREE, [(0, "quarters_found"), (60, "quarters_found")], now=100)
    assert late.brewing_beats == 1 and late.brewing[0].happenings[0].tick == 60
    gone = progress(THREE, [(0, "quarters_found")], now=48)
    assert gone.brewing_beats == 0


def test_a_guard_that_fired_stops_the_brewing():
    captured = [(1, "raider_captured", "Karl", "Zed_1")]
    assert progress(GUARDED, captured, now=2).brewing_beats == 1
    left = [*captured, (2, "raider_left_behind", "Captain Cole", "Karl")]
    assert progress(GUARDED, left, now=3).brewing_beats == 0
    # another prisoner left behind does not stop Karl's rescue
    other = [*captured, (2, "raider_left_behind", "Captain Cole", "Kabir")]
    assert progress(GUARDED, other, now=3).brewing_beats == 1


def test_a_complete_match_and_a_new_one_brewing_are_both_reported():
    log = [
        (1, "order_refused", "Karl", "Captain Cole"),
        (8, "crew_death", "Karl"),
        (9, "order_refused", "Kabir", "Captain Cole"),
    ]
    state = progress(MUTINY, log, now=10)
    assert [m.bindings for m in state.complete] == [{"rebel": "Karl"}]
    # Karl's refusal still opens a window, but the dead do not die twice: the page shows both
    assert [m.bindings for m in state.brewing] == [{"rebel": "Kabir"}, {"rebel": "Karl"}]


def test_each_rebel_brews_once_from_their_latest_refusal():
    log = [(t, "order_refused", "Karl", "Captain Cole") for t in (1, 5)]
    log.append((7, "order_refused", "Kabir", "Captain Cole"))
    state = progress(MUTINY, log, now=10)
    assert [(m.bindings["rebel"], m.happenings[0].tick) for m in state.brewing] == [
        ("Kabir", 7),
        ("Karl", 5),
    ]


def test_a_pattern_with_endings_completes_only_with_its_ending():
    raw = {
        "name": "P",
        "description": "d",
        "endings": ["nanettes_head"],
        "beats": [{"event": "daly_killed"}, {"event": "disk_loaded"}],
    }
    aired = validate_patterns({"patterns": {"p": raw}}, "test.toml")["p"]
    log = [(5, "daly_killed", "Captain Cole", "Daly"), (6, "disk_loaded", "Captain Cole")]
    waiting = progress(aired, log, now=6)
    assert (waiting.complete, waiting.brewing_beats, waiting.awaits_ending) == ((), 2, True)
    done = progress(aired, log, now=7, ending="nanettes_head")
    assert (len(done.complete), done.brewing) == (1, ())
    other = progress(aired, log, now=7, ending="private_universe")
    assert (other.complete, other.brewing) == ((), ())
    half = progress(aired, log[:1], now=6)
    assert (half.brewing_beats, half.awaits_ending) == (1, False)


def test_a_finished_run_brews_nothing():
    log = [(10, "order_refused", "Karl", "Captain Cole")]
    assert progress(MUTINY, log, now=20, finished=True).brewing == ()


def test_a_promotion_read_in_an_earlier_hour_still_makes_the_captain():
    falls = pattern({"event": "crew_death", "actor": "captain"})
    watch = StoryWatch({"p": falls}, CAST)
    events = [Event(4, "captain_promoted", ("Karl",), "")]
    watch.update(events, [], now=4)
    events.append(Event(9, "crew_death", ("Karl",), ""))
    state = watch.update(events, [], now=9)[0]
    assert [m.happenings[0].tick for m in state.complete] == [9]


def test_the_watch_fed_hour_by_hour_agrees_with_the_whole_timeline():
    patterns = {
        **load_patterns(DEFAULT_PATTERNS),
        "mutiny_short": MUTINY,
        "three": THREE,
        "guarded": GUARDED,
        "chose": pattern({"action": "seek_walt", "as": "seeker"}, {"event": "walt_found"}),
    }
    events = [
        (1, "raider_captured", ("Karl", "Zed_1")),
        (2, "raider_left_behind", ("Captain Cole", "Karl")),
        (3, "quarters_found", ("Captain Cole",)),
        (4, "order_refused", ("Karl", "Captain Cole")),
        (6, "crew_death", ("Captain Cole",)),
        (6, "captain_promoted", ("Karl",)),
        (20, "walt_found", ("Karl", "Walt")),
        (30, "raider_captured", ("Kabir", "Zed_2")),
        (31, "raider_rescued", ("Karl", "Kabir")),
        (300, "crew_death", ("Karl",)),
    ]
    decisions = [(2, "karl", "seek_walt"), (19, "kabir", "seek_walt")]
    logged = [Event(tick, kind, actors, f"{kind} at {tick}") for tick, kind, actors in events]
    chosen = [
        {"tick": tick, "character": who, "role": CAST[who][1], "action": action, "score": 1.0}
        for tick, who, action in decisions
    ]
    watch = StoryWatch(patterns, CAST)
    for now in range(0, 320):  # the model's logs grow in place, hour by hour
        fed = watch.update(
            [e for e in logged if e.tick <= now], [d for d in chosen if d["tick"] <= now], now
        )
        whole = timeline(
            [(t, kind, *actors) for t, kind, actors in events if t <= now],
            [d for d in decisions if d[0] <= now],
        )
        expected = story_progress(patterns, whole, now)
        assert [_shape(p) for p in fed] == [_shape(p) for p in expected], now
    final = {p.pattern_id: p for p in fed}
    assert _ticks(final["fallen_captain"].complete) == [[6, 6]]
    assert _ticks(final["chose"].complete) == _ticks(find_matches(patterns["chose"], whole))
    assert final["guarded"].complete and not final["mutiny_short"].complete


def _shape(state):
    return (
        state.pattern_id,
        _ticks(state.complete),
        state.brewing_beats,
        _ticks(state.brewing),
        [dict(m.bindings) for m in state.brewing],
    )


def _ticks(matches):
    return [[h.tick for h in m.happenings] for m in matches]
