"""The press, the FBI and the charges react to evidence that exists, never to a script.

No evidence, no arrest; the arrest lists exactly the charges the run's evidence supports; the
real world's and Walton's knobs refuse out-of-bound values naming their key.
"""

from __future__ import annotations

import pytest

from configuration.loading import ConfigError, load_config
from world.realworld import CHARGES, EVIDENCE, step_processes
from world.simulate import build_model, simulate

NEW_KNOBS = [
    "realworld.kabir_alarm_kept_when_heard",
    "realworld.kabir_quit_rate_unanswered",
    "realworld.kabir_quit_rate_brushed_off",
    "realworld.kabir_quit_rate_heard",
    "realworld.risk_per_listening",
    "realworld.stonewall_effect",
    "realworld.evidence_clones_found",
    "realworld.evidence_per_leak",
    "realworld.evidence_published",
    "realworld.evidence_per_killing",
    "realworld.evidence_accident",
    "realworld.evidence_per_backfire",
    "realworld.walt_aboard_threat",
    "realworld.heart_threat_hops",
    "realworld.heart_watch_hops",
    "realworld.threaten_trust_below",
    "combat.walton_threat",
    "combat.walton_hit_chance",
    "combat.walton_relogin_growth",
    "combat.walton_fear_walt",
    "combat.walton_fear_captain",
    "combat.walton_target_whim",
    "combat.walton_strike_damage",
    "combat.walton_strike_hours",
]


@pytest.mark.parametrize("dotted", NEW_KNOBS)
def test_a_new_knob_out_of_bounds_is_refused_naming_its_key(default_config_path, dotted):
    with pytest.raises(ConfigError, match=dotted.replace(".", r"\.")):
        load_config(default_config_path, [f"{dotted}=-1"])


def _wanted(config, overrides=()):
    """A model in which the FBI would act at once if it had anything to go on."""
    model = build_model(config, seed=5, ticks=100)
    real = model.realworld
    real.published, real.legal_risk = True, 1.0
    real.journalist_progress = 1.0
    return model


def _hours(model, hours: int) -> None:
    for _ in range(hours):
        model.steps += 1
        step_processes(model)


def test_no_evidence_no_arrest(default_config_path):
    config = load_config(
        default_config_path,
        ["realworld.fbi_rate=1", "realworld.evidence_published=0", "realworld.evidence_per_leak=1"],
    )
    model = _wanted(config)
    model.realworld.record("price_hikes", 5)  # public prices prove nothing on their own
    model.realworld.record("stonewalls", 3)
    _hours(model, 200)
    assert not model.realworld.walton_arrested and model.walton.free
    model.realworld.record("leaks")  # a leak gives the FBI something to go on
    _hours(model, 50)
    assert model.realworld.walton_arrested
    arrest = next(e for e in model.events.events if e.kind == "walton_arrested")
    assert "fraud for price gouging" in arrest.text and "obstruction of justice" in arrest.text
    assert "murder" not in arrest.text and "accident" not in arrest.text
    assert "human-rights" not in arrest.text  # a leak of what? the clones were never found


def test_charges_are_built_from_the_evidence_table(default_config):
    model = build_model(default_config, seed=5, ticks=10)
    real = model.realworld
    assert real.charges() == [] and real.evidence_score(default_config.realworld) == 0.0
    real.record("killings")
    assert real.charges() == ["digital human-rights abuse", "murder of a digital being"]
    real.nanette_state = "coma"  # an accident alone, with nobody to blame, is no charge
    assert "failure to report an accident" not in real.charges()
    real.record("accident")  # the road recorded one after a row with Walton
    assert "failure to report an accident" in real.charges()
    assert {need for _charge, needs in CHARGES for need in needs} <= set(EVIDENCE)
    with pytest.raises(ValueError, match="unknown evidence"):
        real.record("rumours")


@pytest.mark.parametrize("seed", range(1, 13))
def test_an_arrest_charges_only_what_happened_before_it(default_config, seed):
    result = simulate(default_config, seed=seed, trace="off")
    arrests = [e for e in result.events if e.kind == "walton_arrested"]
    if not arrests:
        return
    arrest = arrests[0]
    before = [e for e in result.events if e.tick <= arrest.tick]

    def happened(kind, text=""):
        return any(e.kind == kind and text in e.text for e in before)

    charged = arrest.text
    assert ("fraud for price gouging" in charged) == happened("price_hike")
    assert ("murder of a digital being" in charged) == happened("crew_death", "Walton's gun")
    assert ("failure to report an accident" in charged) == happened("nanette_coma")
    rights = happened("clones_discovered") or happened("crew_death", "Walton's gun")
    assert ("digital human-rights abuse" in charged) == rights
    evidence = (
        happened("clones_discovered")
        or happened("story_published")
        or happened("crew_death", "Walton's gun")
        or happened("nanette_coma")
    )
    assert evidence or "obstruction" in charged


def test_interviews_no_longer_hand_over_the_logs(default_config):
    model = build_model(default_config, seed=5, ticks=10)
    from world.realworld import press_progress

    press_progress(model, 0.3)
    press_progress(model, 0.3)
    assert model.realworld.interviews == 2 and not model.realworld.log_access
