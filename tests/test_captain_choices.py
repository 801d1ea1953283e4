"""The captain's new choices: the hospital call, the red disk; rescues; their knobs."""

from __future__ import annotations

import pytest

from configuration.loading import ConfigError, load_config
from world.cast import captain
from world.simulate import build_model, simulate

SEEDS = range(1, 5)
NEW_ACTIONS = {  # action -> the events it alone produces
    "agents.captain.actions.call_hospital": "hospital_called",
    "agents.crew.actions.rescue": "raider_rescued",
}


@pytest.mark.parametrize("action", sorted(NEW_ACTIONS))
def test_weight_zero_removes_the_action_and_its_events(default_config_path, action):
    kind = NEW_ACTIONS[action]
    on = load_config(default_config_path, ["simulation.ticks=1200"])
    off = load_config(default_config_path, ["simulation.ticks=1200", f"{action}.weight=0"])
    witness = next(s for s in range(1, 41) if simulate(on, seed=s).event_counts[kind])
    assert not any(simulate(off, seed=s).event_counts[kind] for s in {witness, *SEEDS})


@pytest.fixture(scope="module")
def coma_readings(default_config):
    """Every reading of the captain's `real_nanette_coma` over six default runs."""
    readings, runs = [], []
    original = captain.Captain.sense

    def sense(self):
        inputs = original(self)
        readings.append((len(runs), self.model.steps, inputs["real_nanette_coma"], self))
        return inputs

    patch = pytest.MonkeyPatch()
    patch.setattr(captain.Captain, "sense", sense)
    try:
        for seed in range(1, 7):
            model = build_model(default_config, seed=seed)
            while model.running:
                model.step()
            runs.append(model)
    finally:
        patch.undo()
    return readings, runs


def test_the_coma_is_never_read_before_a_call_or_daly_told_her(coma_readings):
    readings, runs = coma_readings
    known = 0
    for run, tick, value, who in readings:
        if value != 1.0:
            continue
        known += 1
        taught = [
            e.tick for e in runs[run].events.events if e.kind in ("hospital_called", "daly_offer")
        ]
        assert taught and min(taught) < tick, (run, tick)
        learned = [b for b in who.beliefs.learned if b.fact == "real_nanette_coma"]
        belief = [b for b in learned if b.tick < tick][-1]  # what she believed as she chose
        assert belief.value is True and belief.how in ("phone_call", "told")
    assert known > 0  # the rule was exercised


def test_a_hospital_call_tells_the_captain_and_the_crew(coma_readings):
    _readings, runs = coma_readings
    model = next(m for m in runs if m.events.happened("hospital_called"))
    call = next(e for e in model.events.events if e.kind == "hospital_called")
    heard = [
        b
        for person in [*model.crew, *model.fallen, model.captain]
        for b in person.beliefs.learned
        if b.fact == "real_nanette_coma" and b.tick == call.tick
    ]
    assert {b.how for b in heard} == {"phone_call", "told"}
    assert any(b.source == "the hospital" for b in heard)


def test_the_red_disk_can_be_taken(default_config_path):
    tempted = load_config(default_config_path, ["agents.captain.actions.accept_red.weight=20"])
    endings = {simulate(tempted, seed=s).ending for s in range(1, 13)}
    assert "captain_alone" in endings


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("world.fatigue_per_work_hour", "-1"),
        ("world.fatigue_relief_per_rest", "101"),
        ("world.sighting_witnesses", "-0.5"),
        ("world.launch_min_hops", "-1"),
        ("world.hospital_call_every", "0"),
        ("world.capture_chance", "1.5"),
        ("world.captive_harm", "-1"),
        ("world.loneliness_start", "2"),
        ("world.loneliness_brooding", "-1"),
        ("world.loneliness_building", "-1"),
        ("world.refuse_copy_setback", "1.5"),
        ("combat.heal_share_at_work", "2"),
        ("relationships.changes.raid_paid_off.trust", "2"),
        ("relationships.changes.rested.grievance", "-2"),
        ("relationships.changes.stood_up_to.grievance", "-2"),
    ],
)
def test_a_new_knob_out_of_bounds_is_refused_by_name(default_config_path, key, value):
    with pytest.raises(ConfigError) as caught:
        load_config(default_config_path, [f"{key}={value}"])
    assert key in str(caught.value)
