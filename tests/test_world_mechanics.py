"""Mechanics of the world: galaxy, 30 M players as aggregates, economy and combat."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configuration.sections_ship import Combat, Economy
from configuration.sections_world import Galaxy, Population
from world.combat import exchange_fire, spread_injuries
from world.galaxy import Galaxy as GalaxyMap
from world.population import Population as Players
from world.ship import Ship, buy, buy_fuel, recharge_shields


def make_galaxy(seed: int = 1, planets: int = 50) -> GalaxyMap:
    return GalaxyMap(Galaxy(initial_planets=planets), np.random.default_rng(seed))


def test_galaxy_is_connected_with_heart_at_centre_and_xj500_from_tick_zero():
    galaxy = make_galaxy()
    assert nx.is_connected(galaxy.graph)
    assert galaxy.size == 50 + 2
    assert galaxy.kind(galaxy.heart) == "heart" and galaxy.graph.nodes[galaxy.heart]["pos"] == (
        0,
        0,
    )
    assert galaxy.kind(galaxy.xj500) == "xj500"
    assert galaxy.graph.nodes[galaxy.xj500]["created_tick"] == 0
    assert all(d > 0 for *_, d in galaxy.graph.edges(data="distance"))


def test_daly_building_grows_the_galaxy_and_keeps_it_connected():
    galaxy = make_galaxy()
    rng = np.random.default_rng(5)
    hops_before = galaxy.hops_from(galaxy.heart).copy()
    new = [galaxy.add_planet(tick=100 + i, rng=rng) for i in range(10)]
    assert galaxy.size == 62 and nx.is_connected(galaxy.graph)
    assert [galaxy.graph.nodes[n]["created_tick"] for n in new] == list(range(100, 110))
    assert len(galaxy.hops_from(galaxy.heart)) == 62  # cache refreshed, not stale
    assert (galaxy.hops_from(galaxy.heart)[: len(hops_before)] <= hops_before).all()


def test_step_toward_follows_a_shortest_path():
    galaxy = make_galaxy()
    here, target = galaxy.planets_of_kind("ordinary")[0], galaxy.xj500
    path = [here]
    while path[-1] != target:
        path.append(galaxy.step_toward(path[-1], target))
    assert len(path) - 1 == nx.shortest_path_length(galaxy.graph, here, target)


@settings(max_examples=25, deadline=None)
@given(players=st.integers(0, 40_000_000), price=st.floats(0.5, 6.0), seed=st.integers(0, 999))
def test_players_are_never_negative_and_conserved_apart_from_churn_and_joins(players, price, seed):
    rng = np.random.default_rng(seed)
    galaxy = make_galaxy(seed % 7 + 1, planets=20)
    population = Players(Population(players=players), galaxy, rng)
    assert population.players.sum() == players
    total = players
    for tick in range(1, 49):
        before = int(population.players.sum())
        population.step(tick, price, rng)
        after = int(population.players.sum())
        joined_minus_lost = after - before
        assert (population.players >= 0).all()
        assert after == population.total  # the running total agrees with the counts
        assert joined_minus_lost == population.total - total
        total = population.total
        assert joined_minus_lost + int(population.churned[tick % 24]) >= 0  # joins are >= 0


def test_without_churn_or_joins_players_are_exactly_conserved():
    rng = np.random.default_rng(3)
    population = Players(
        Population(players=30_000_000, churn_rate=0, join_rate=0), make_galaxy(), rng
    )
    for tick in range(1, 200):
        population.step(tick, 3.0, rng)
    assert population.players.sum() == 30_000_000


def test_complaints_of_the_day_are_the_last_24_hours_as_filed_and_forgotten():
    rng = np.random.default_rng(4)
    population = Players(Population(), make_galaxy(), rng)
    for tick in range(1, 24 * 3):
        population.step(tick, 1.0, rng)
        if tick % 5 == 0:
            population.bandits_strike(tick % 20, 1.0, rng)
        if tick % 7 == 0:
            population.record_complaints(3)
        assert population.complaints_today == int(population.complaints.sum()), tick
    assert population.complaints_today > 0


def test_rising_prices_drive_players_away_and_revenue_to_the_company():
    def run(price: float) -> tuple[int, float]:
        rng = np.random.default_rng(11)
        population = Players(Population(), make_galaxy(), rng)
        for tick in range(1, 24 * 10):
            population.step(tick, price, rng)
        return population.total, population.revenue_last_day

    (players_cheap, revenue_cheap), (players_dear, revenue_dear) = run(1.0), run(4.0)
    assert players_dear < players_cheap
    assert revenue_dear > revenue_cheap  # spend elasticity < 1: squeezing pays, for a while


def test_online_players_follow_the_hour_of_day():
    rng = np.random.default_rng(2)
    population = Players(Population(peak_hour=20), make_galaxy(), rng)
    online = {}
    for tick in range(1, 25):
        population.step(tick, 1.0, rng)
        online[tick % 24] = population.online_total
    assert max(online, key=online.get) == 20
    assert min(online, key=online.get) == 8


def test_a_tick_does_the_same_work_at_30k_and_30m_players():
    # Cost is measured in benchmarks; here: the same draws and array sizes at any scale.
    shapes = {}
    for players in (30_000, 30_000_000):
        rng = np.random.default_rng(4)
        population = Players(Population(players=players), make_galaxy(), rng)
        population.step(1, 1.0, rng)
        shapes[players] = (population.players.shape, rng.bit_generator.state["state"]["state"])
    assert shapes[30_000][0] == shapes[30_000_000][0]


def test_buying_at_a_market_spends_credits_and_respects_caps():
    economy = Economy()
    ship = Ship(planet=0, credits=20.0, fuel=10.0, ammo=10.0, shields=10.0)
    bought = buy(ship, economy, price_index=2.0, planet_multiplier=1.0)
    assert ship.credits >= 0 and ship.credits < 20.0
    assert bought["fuel"] > 0  # fuel first
    spent = 20.0 - ship.credits
    cost = 2.0 * (
        bought["fuel"] * economy.fuel_price
        + bought["ammo"] * economy.ammo_price
        + bought["shields"] * economy.shield_price
    )
    assert spent == pytest.approx(cost)
    rich = Ship(planet=0, credits=1e6, fuel=0.0, ammo=0.0, shields=0.0)
    buy(rich, economy, 1.0, 1.0)
    assert (rich.fuel, rich.ammo, rich.shields) == (economy.max_fuel, economy.max_ammo, 100.0)


def test_double_prices_buy_half_as_much_fuel():
    economy = Economy()
    cheap = Ship(0, credits=10.0, fuel=0.0, ammo=0.0, shields=0.0)
    dear = Ship(0, credits=10.0, fuel=0.0, ammo=0.0, shields=0.0)
    assert buy_fuel(cheap, economy, 1.0) == pytest.approx(2 * buy_fuel(dear, economy, 2.0))


def test_shields_absorb_before_the_hull_and_credits_recharge_them():
    combat, economy = Combat(kill_chance_per_round=0.0, max_engaged=50), Economy()
    rng = np.random.default_rng(0)
    ship = Ship(0, credits=0.0, fuel=10.0, ammo=0.0, shields=100.0)
    volley = exchange_fire(
        ship, attackers=20, gunners=0, combat=combat, economy=economy, price_index=1.0, rng=rng
    )
    incoming = 20 * combat.player_damage
    assert volley.shield_damage == pytest.approx(incoming * combat.shield_absorb)
    assert volley.hull_damage == pytest.approx(incoming * (1 - combat.shield_absorb))
    broke = Ship(0, credits=0.0, fuel=10.0, ammo=0.0, shields=0.0)
    volley = exchange_fire(broke, 20, 0, combat, economy, 1.0, rng)
    assert volley.hull_damage == pytest.approx(incoming)
    funded = Ship(0, credits=1000.0, fuel=10.0, ammo=0.0, shields=0.0)
    volley = exchange_fire(funded, 20, 0, combat, economy, 1.0, rng)
    assert funded.credits < 1000.0 and volley.shield_damage > 0


def test_only_so_many_attackers_can_engage_the_ship_at_once():
    combat, economy = Combat(kill_chance_per_round=0.0, max_engaged=12), Economy()
    ship = Ship(0, credits=0.0, fuel=10.0, ammo=0.0, shields=0.0)
    volley = exchange_fire(ship, 5000, 0, combat, economy, 1.0, np.random.default_rng(0))
    assert volley.attackers == 12
    assert volley.hull_damage == pytest.approx(12 * combat.player_damage)


def test_gunners_spend_ammo_and_log_attackers_out():
    combat, economy = Combat(kill_chance_per_round=1.0), Economy()
    ship = Ship(0, credits=0.0, fuel=10.0, ammo=100.0, shields=100.0)
    volley = exchange_fire(
        ship,
        attackers=5,
        gunners=3,
        combat=combat,
        economy=economy,
        price_index=1.0,
        rng=np.random.default_rng(1),
    )
    assert volley.rounds == 3 * combat.rounds_per_gunner and ship.ammo == 100 - volley.rounds
    assert volley.kills == 5 and volley.hull_damage == 0
    assert recharge_shields(ship, economy, 1.0, 50.0) == 0.0  # full shields need nothing


def test_injuries_are_shared_among_those_aboard_and_sum_to_the_total():
    people = ["a", "b", "c"]
    shares = spread_injuries(people, 30.0, np.random.default_rng(3))
    assert sum(damage for _, damage in shares) == pytest.approx(30.0)
    assert {person for person, _ in shares} <= set(people)
    assert spread_injuries([], 30.0, np.random.default_rng(3)) == []
