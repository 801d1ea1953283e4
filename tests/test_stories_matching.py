"""Story patterns matched against hand-built timelines: exactly the matches the semantics say.

Each condition of the language (`within`, `not_between`, `$variables`, roles, actions) has a
case that matches and one that must not.
"""

from __future__ import annotations

from experiments.stories import find_matches
from experiments.stories_language import validate_patterns
from experiments.stories_timeline import build_timeline

CAST = {
    "nanette": ("Captain Cole", "captain"),
    "karl": ("Karl", "crew"),
    "kabir": ("Kabir", "crew"),
    "walton": ("James Walton", "walton"),
}


def pattern(*beats: dict):
    """One pattern of the given beats, validated as a pattern file would be."""
    raw = {"patterns": {"p": {"name": "P", "description": "d", "beats": list(beats)}}}
    return validate_patterns(raw, "test.toml")["p"]


def timeline(events=(), decisions=()):
    """Events as (tick, kind, actors...); decisions as (tick, character, action)."""
    return build_timeline(
        [(tick, kind, actors, f"{kind} at {tick}") for tick, kind, *actors in events],
        [(tick, who, CAST[who][1], action) for tick, who, action in decisions],
        CAST,
    )


def ticks(matches) -> list[list[int]]:
    return [[h.tick for h in match.happenings] for match in matches]


REFUSED = {"event": "order_refused", "actor": "crew", "as": "rebel"}
DIED = {"event": "crew_death", "actor": "$rebel"}


def test_a_sequence_matches_in_order_and_not_reversed():
    two = pattern({"event": "walt_found"}, {"event": "walt_joined"})
    assert ticks(find_matches(two, timeline([(5, "walt_found"), (9, "walt_joined")]))) == [[5, 9]]
    assert find_matches(two, timeline([(5, "walt_joined"), (9, "walt_found")])) == []


def test_endings_restrict_a_pattern_to_runs_that_reached_one_of_them():
    raw = {"name": "P", "description": "d", "beats": [{"event": "disk_loaded"}]}
    aired = validate_patterns(
        {"patterns": {"p": {**raw, "endings": ["nanettes_head", "captain_alone"]}}}, "test.toml"
    )["p"]
    loaded = timeline([(5, "disk_loaded", "Captain Cole")])
    assert ticks(find_matches(aired, loaded, "nanettes_head")) == [[5]]
    assert ticks(find_matches(aired, loaded, "captain_alone")) == [[5]]
    assert find_matches(aired, loaded, "private_universe") == []
    assert find_matches(aired, loaded, None) == []  # a run not yet ended has reached none
    anything = validate_patterns({"patterns": {"p": raw}}, "test.toml")["p"]
    assert ticks(find_matches(anything, loaded, "private_universe")) == [[5]]


def test_within_counts_hours_from_the_previous_beat_inclusive():
    soon = pattern({"event": "walt_found"}, {"event": "walt_joined", "within": 4})
    assert ticks(find_matches(soon, timeline([(5, "walt_found"), (9, "walt_joined")]))) == [[5, 9]]
    assert find_matches(soon, timeline([(5, "walt_found"), (10, "walt_joined")])) == []


def test_within_is_not_greedy_a_later_middle_beat_is_tried():
    # the last beat is in reach of the second walt_found only: taking the earliest middle
    # beat (hour 10) greedily would miss the match
    three = pattern(
        {"event": "quarters_found"},
        {"event": "walt_found"},
        {"event": "walt_joined", "within": 5},
    )
    log = timeline(
        [(0, "quarters_found"), (10, "walt_found"), (40, "walt_found"), (44, "walt_joined")]
    )
    assert ticks(find_matches(three, log)) == [[0, 40, 44]]


def test_not_between_forbids_only_between_the_two_beats():
    guarded = pattern(
        {"event": "raider_captured", "as": "prisoner"},
        {
            "event": "raider_rescued",
            "target": "$prisoner",
            "not_between": [{"event": "raider_left_behind", "target": "$prisoner"}],
        },
    )
    rescued = [(1, "raider_captured", "Karl", "Zed_1"), (3, "raider_rescued", "Kabir", "Karl")]
    assert ticks(find_matches(guarded, timeline(rescued))) == [[1, 3]]
    abandoned = [*rescued, (2, "raider_left_behind", "Captain Cole", "Karl")]
    assert find_matches(guarded, timeline(abandoned)) == []
    # another crew member left behind is no guard against Karl's rescue
    other = [*rescued, (2, "raider_left_behind", "Captain Cole", "Kabir")]
    assert ticks(find_matches(guarded, timeline(other))) == [[1, 3]]
    # before the first beat or after the last, the guard does not matter
    outside = [(0, "raider_left_behind", "Captain Cole", "Karl"), *rescued]
    assert ticks(find_matches(guarded, timeline(outside))) == [[1, 3]]


def test_same_actor_binds_the_first_beats_actor():
    mutiny = pattern(REFUSED, DIED)
    same = [(1, "order_refused", "Karl", "Captain Cole"), (8, "crew_death", "Karl")]
    assert [m.bindings for m in find_matches(mutiny, timeline(same))] == [{"rebel": "Karl"}]
    other = [(1, "order_refused", "Karl", "Captain Cole"), (8, "crew_death", "Kabir")]
    assert find_matches(mutiny, timeline(other)) == []


def test_a_role_condition_reads_the_role_at_that_hour():
    falls = pattern({"event": "crew_death", "actor": "captain"})
    log = [
        (3, "crew_death", "Kabir"),
        (4, "crew_death", "Captain Cole"),
        (4, "captain_promoted", "Karl"),
        (9, "crew_death", "Karl"),  # captain since hour 4
    ]
    assert ticks(find_matches(falls, timeline(log))) == [[4], [9]]


def test_many_first_beats_with_the_same_ending_are_one_match_the_latest():
    mutiny = pattern(REFUSED, DIED)
    log = [(t, "order_refused", "Karl", "Captain Cole") for t in (1, 2, 5)]
    log += [(9, "crew_death", "Karl"), (10, "order_refused", "Kabir", "Captain Cole")]
    assert ticks(find_matches(mutiny, timeline(log))) == [[5, 9]]


def test_a_one_beat_pattern_matches_every_occurrence():
    hikes = pattern({"event": "price_hike"})
    log = timeline([(1, "price_hike", "James Walton"), (7, "price_hike", "James Walton")])
    assert ticks(find_matches(hikes, log)) == [[1], [7]]


def test_an_action_beat_matches_the_chosen_action_by_role_and_variable():
    offer_then_choice = pattern(
        {"event": "daly_offer", "target": "captain", "target_as": "captain"},
        {"action": "accept_blue", "actor": "$captain"},
    )
    log = timeline(
        [(10, "daly_offer", "Daly", "Captain Cole")],
        [(10, "nanette", "accept_green"), (11, "karl", "rest"), (12, "nanette", "accept_blue")],
    )
    assert ticks(find_matches(offer_then_choice, log)) == [[10, 12]]
    assert find_matches(offer_then_choice, timeline([(10, "daly_offer", "Daly", "Karl")])) == []


def test_within_an_hour_choices_come_before_events():
    chose_then_found = pattern({"action": "seek_walt"}, {"event": "walt_found", "within": 0})
    log = timeline([(4, "walt_found", "Captain Cole", "Walt")], [(4, "nanette", "seek_walt")])
    assert ticks(find_matches(chose_then_found, log)) == [[4, 4]]


def test_a_long_timeline_is_searched_without_blow_up():
    # 3,000 refusals, each could start a mutiny, no death: every state is tried once
    mutiny = pattern(REFUSED, {"event": "order_refused", "actor": "$rebel"}, DIED)
    log = [(t, "order_refused", "Karl" if t % 2 else "Kabir", "Captain Cole") for t in range(3000)]
    assert find_matches(mutiny, timeline(log)) == []
    log.append((3001, "crew_death", "Karl"))
    assert ticks(find_matches(mutiny, timeline(log))) == [[2997, 2999, 3001]]


def test_binding_a_target_skips_happenings_without_one():
    bound = pattern(
        {"event": "crew_death", "target_as": "other"}, {"event": "crew_death", "actor": "$other"}
    )
    log = timeline(
        [(1, "crew_death", "Karl"), (2, "crew_death", "Kabir", "Karl"), (3, "crew_death", "Karl")]
    )
    assert [m.bindings for m in find_matches(bound, log)] == [{"other": "Karl"}]
