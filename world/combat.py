"""Fights: players against the ship, Walton's gun against the clones.

Incoming damage hits the shields first (credits flow into them while they last), then the
hull, then the people aboard. Players who are hit just log out; clones bleed and die.
"""

from __future__ import annotations

from dataclasses import dataclass

from world.ship import recharge_shields


@dataclass(frozen=True)
class Volley:
    attackers: int
    kills: int
    rounds: float
    shield_damage: float
    hull_damage: float
    injuries: float


def exchange_fire(
    ship, attackers: int, gunners: int, combat, economy, price_index: float, rng
) -> Volley:
    """One hour of battle at the ship's planet."""
    engaged = min(attackers, combat.max_engaged)
    rounds = min(ship.ammo, gunners * combat.rounds_per_gunner)
    ship.ammo -= rounds
    kills = min(engaged, int(rng.binomial(int(rounds), combat.kill_chance_per_round)))
    incoming = (engaged - kills) * combat.player_damage
    to_shields = incoming * combat.shield_absorb
    recharge_shields(ship, economy, price_index, max(0.0, to_shields - ship.shields))
    absorbed = min(ship.shields, to_shields)
    ship.shields -= absorbed
    hull_damage = min(ship.hull, incoming - absorbed)
    ship.hull -= hull_damage
    return Volley(
        engaged, kills, rounds, absorbed, hull_damage, hull_damage * combat.injury_per_hull_damage
    )


def spread_injuries(people: list, total: float, rng) -> list[tuple[object, float]]:
    """Share `total` health loss among the people aboard at random (multinomial by share)."""
    if not people or total <= 0:
        return []
    chunks = max(1, round(total / 5.0))
    hits = rng.multinomial(chunks, [1.0 / len(people)] * len(people))
    per_chunk = total / chunks
    return [
        (person, count * per_chunk) for person, count in zip(people, hits, strict=True) if count
    ]
