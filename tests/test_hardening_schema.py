"""Values the schema used to accept that crashed a run, or filled it with NaN, inf or negative
numbers, and the arithmetic that now holds at the bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from callister.cli import main
from configuration.limits import PLAYER_CEILING
from configuration.loading import ConfigError, load_config
from configuration.sections_ship import Combat, Economy
from configuration.sections_world import Galaxy, Population
from world.combat import exchange_fire, spread_injuries
from world.galaxy import Galaxy as GalaxyMap
from world.model import CallisterModel
from world.population import Population as Players
from world.ship import Ship
from world.simulate import simulate

ROB = "agents.captain.actions.rob_player"
TICKS = 300

# (overrides on configs/default.toml, the key the refusal must name or None if the config
# must run, an event that must happen in the run so the repaired code is exercised)
CASES = [
    # 5: a robbery with no loot to take took log(0)
    pytest.param(["economy.loot_mean=0"], None, "robbery", id="5-loot-mean-zero"),
    # 6: overflow
    pytest.param(
        ["economy.price_index_start=1e130", "economy.price_index_max=1e130"],
        "economy.price_index_start",
        None,
        id="6-price-index-1e130",
    ),
    pytest.param(
        [
            "economy.price_index_start=1000",
            "economy.price_index_max=1000",
            "population.churn_price_elasticity=20",
            "population.spend_price_elasticity=0",
        ],
        None,
        None,  # every hour of the population runs at this index
        id="6-price-index-at-its-maximum",
    ),
    pytest.param(
        [
            "economy.price_index_start=0.01",
            "economy.price_index_max=0.01",
            "population.spend_price_elasticity=5",
            "population.spend_per_online_hour=1000",
        ],
        None,
        "robbery",
        id="6-price-index-at-its-minimum",
    ),
    pytest.param(["population.join_rate=1"], "population.join_rate", None, id="6-join-rate-1"),
    pytest.param(
        ["population.join_rate=0.05"], "population.join_rate", None, id="6-join-rate-0.05"
    ),
    pytest.param(
        ["population.join_rate=0.01", "population.players=10_000_000_000"],
        None,
        "robbery",
        id="6-join-rate-at-its-maximum-from-the-ceiling",
    ),
    pytest.param(
        ["combat.injury_per_hull_damage=1e308"],
        "combat.injury_per_hull_damage",
        None,
        id="6-injury-1e308",
    ),
    pytest.param(
        ["combat.injury_per_hull_damage=100", "combat.player_damage=100"],
        None,
        "ship_battle",
        id="6-injury-at-its-maximum",
    ),
    pytest.param([f"{ROB}.weight=1.7e308"], f"{ROB}.weight", None, id="6-weight-1.7e308"),
    pytest.param(
        [f"{ROB}.weight=1000", "agents.captain.momentum.bonus=100"],
        None,
        "robbery",
        id="6-weight-and-momentum-at-their-maximum",
    ),
    pytest.param(
        [f"{ROB}.considerations[0].low=-1e308", f"{ROB}.considerations[0].high=1e308"],
        f"{ROB}.considerations[0].low",
        None,
        id="6-bookends-1e308",
    ),
    pytest.param(
        [f"{ROB}.considerations[0].low=1e12", f"{ROB}.considerations[0].high=-1e12"],
        None,
        None,
        id="6-bookends-at-their-maximum",
    ),
    pytest.param(
        ["world.build_hours=" + "9" * 400], "world.build_hours", None, id="6-build-hours-400-digits"
    ),
    pytest.param(
        ["economy.price_index_start=7"],
        "economy.price_index_start",
        None,
        id="6-price-start-above-the-maximum",
    ),
    # 7: NaN or inf in metrics
    pytest.param(
        ["population.spend_per_online_hour=1e308"],
        "population.spend_per_online_hour",
        None,
        id="7-spend-1e308",
    ),
    pytest.param(["economy.loot_mean=1e308"], "economy.loot_mean", None, id="7-loot-1e308"),
    pytest.param(
        ["economy.loot_mean=1e9", "economy.loot_sigma=3", "economy.loot_per_extra_raider=5"],
        None,
        "robbery",
        id="7-loot-at-its-maximum",
    ),
    # 9: a galaxy the program cannot build in reasonable time and memory
    pytest.param(
        ["galaxy.initial_planets=5000"], "galaxy.initial_planets", None, id="9-5000-planets"
    ),
]


def assert_finite_and_non_negative(metrics) -> None:
    bad = [name for name in metrics if not np.isfinite(metrics[name]).all()]
    assert not bad, f"non-finite metrics: {bad}"
    negative = [name for name in metrics if (metrics[name] < 0).any()]
    assert not negative, f"negative metrics: {negative}"


@pytest.mark.parametrize(("overrides", "refused_key", "event"), CASES)
def test_reported_crashes_are_refused_or_served(default_config_path, overrides, refused_key, event):
    """Each value that once crashed a run is refused naming its key, or runs 300 ticks cleanly."""
    if refused_key is not None:
        with pytest.raises(ConfigError) as caught:
            load_config(default_config_path, overrides)
        assert refused_key in str(caught.value)
        return
    config = load_config(default_config_path, [*overrides, f"simulation.ticks={TICKS}"])
    result = simulate(config)
    assert result.ticks == TICKS
    assert_finite_and_non_negative(result.metrics)
    if event is not None:
        assert result.event_counts[event] > 0, f"no {event} in {TICKS} ticks: nothing was tried"


def test_a_refused_value_exits_2_naming_the_key_without_a_traceback(capsys):
    code = main(["run", "--set", "economy.loot_mean=1e308", "--set", "simulation.ticks=10"])
    err = capsys.readouterr().err
    assert code == 2
    assert "economy.loot_mean (from --set economy.loot_mean=1e308): must be <= " in err
    assert "Traceback" not in err


def test_a_price_start_above_its_ceiling_names_both_keys(default_config_path):
    with pytest.raises(ConfigError) as caught:
        load_config(
            default_config_path, ["economy.price_index_max=2", "economy.price_index_start=3"]
        )
    assert str(caught.value).endswith(
        "economy.price_index_max (from --set economy.price_index_max=2): must be >= "
        "economy.price_index_start (3), got 2: prices cannot start above their ceiling."
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["economy.start_fuel=70"], "economy.max_fuel: must be >= economy.start_fuel (70)"),
        (["economy.start_ammo=90"], "economy.max_ammo: must be >= economy.start_ammo (90)"),
        (
            ["galaxy.initial_planets=300", "galaxy.max_planets=200"],
            "galaxy.max_planets (from --set galaxy.max_planets=200): must be >= "
            "galaxy.initial_planets (300)",
        ),
    ],
)
def test_a_store_cannot_start_fuller_than_it_holds(default_config_path, overrides, message):
    with pytest.raises(ConfigError) as caught:
        load_config(default_config_path, overrides)
    assert message in str(caught.value)


# ---- the arithmetic at the bounds, over more hours than a 300-tick run reaches -------------------
def test_players_joining_at_the_maximum_rate_stop_at_the_ceiling():
    """Joins compound: 1% an hour from 30 million passes int64 after ~2,600 hours."""
    rng = np.random.default_rng(3)
    galaxy = GalaxyMap(Galaxy(initial_planets=20), rng)
    population = Players(Population(join_rate=0.01, churn_rate=0), galaxy, rng)
    for tick in range(3_000):
        population.step(tick, 1.0, rng)
    assert population.total == PLAYER_CEILING
    assert population.players.sum() == PLAYER_CEILING and (population.players >= 0).all()
    assert np.isfinite(population.online).all() and (population.online >= 0).all()


def test_revenue_of_a_deserted_game_is_zero_not_a_rounding_residue():
    rng = np.random.default_rng(0)
    galaxy = GalaxyMap(Galaxy(initial_planets=20), rng)
    settings = Population(churn_rate=0.01, spend_per_online_hour=0.37, diurnal_amplitude=0.9)
    population = Players(settings, galaxy, rng)
    for tick in range(2_000):
        population.step(tick, 1.0 + (tick % 7) * 0.13, rng)  # prices move: uneven revenue
        assert population.revenue_last_day >= 0.0, tick
    assert population.total == 0


def test_players_online_never_drop_below_zero_when_all_are_on_one_planet():
    rng = np.random.default_rng(0)
    galaxy = GalaxyMap(Galaxy(initial_planets=4), rng)
    population = Players(
        Population(players=3, drift_rate=0, churn_rate=0, join_rate=0), galaxy, rng
    )
    planet = int(np.flatnonzero(population.players)[0])
    population.players[:] = 0
    population.players[planet] = 3  # (3 * 0.06) * d rounds below 3 * (0.06 * d) at hour 0
    population.step(0, 1.0, rng)
    population.log_out(planet, 1)
    assert population.online_total >= 0.0 and population.online[planet] == 0.0


def test_a_battle_at_every_bound_stays_finite():
    combat = Combat(
        max_engaged=10_000, player_damage=100, injury_per_hull_damage=100, rounds_per_gunner=1000
    )
    economy = Economy(start_credits=1e9, shield_price=1e9, max_ammo=1e6, start_ammo=1e6)
    ship = Ship.launch(0, economy)
    volley = exchange_fire(ship, 10**7, 0, combat, economy, 1000.0, np.random.default_rng(1))
    assert volley.attackers == 10_000 and volley.kills == 0
    assert volley.hull_damage == 100.0 and volley.injuries == 100.0 * 100
    assert all(math.isfinite(value) for value in (ship.credits, ship.shields, ship.ammo))
    wounds = spread_injuries(["a", "b", "c"], volley.injuries, np.random.default_rng(2))
    assert math.isclose(sum(damage for _, damage in wounds), volley.injuries)


def test_daly_stops_building_when_infinity_is_full(default_config_path):
    config = load_config(
        default_config_path,
        ["galaxy.initial_planets=10", "galaxy.max_planets=13", "world.build_hours=2"],
    )
    result = simulate(config, ticks=400)
    assert result.event_counts["planet_built"] == 3
    assert result.metrics["planets"].max() == 13 + 2  # with the Heart and XJ-500


def test_the_largest_galaxy_the_schema_allows_is_built(default_config_path):
    config = load_config(default_config_path, ["galaxy.initial_planets=500"])
    model = CallisterModel(config)
    assert len(model.galaxy.planets_of_kind("ordinary", "market")) == 500
    model.step()
    model.release()


def test_a_cast_larger_than_the_program_serves_is_refused(default_config_path):
    extras = [f'characters.extra{n}.role="crew"' for n in range(21)]  # 10 + 21 = 31
    with pytest.raises(ConfigError) as caught:
        load_config(default_config_path, extras)
    assert "characters (from --set" in str(caught.value)
    assert "must have at most 30 items" in str(caught.value)
    assert load_config(default_config_path, extras[:20])  # 30 is served
