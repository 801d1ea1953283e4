"""The USS Callister and what it costs to keep flying: credits, fuel, ammo, shields, hull."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Ship:
    planet: int
    credits: float
    fuel: float
    ammo: float
    shields: float
    hull: float = 100.0
    last_raid_tick: int = -(10**6)
    destroyed: bool = False

    @classmethod
    def launch(cls, planet: int, economy) -> Ship:
        return cls(
            planet,
            economy.start_credits,
            economy.start_fuel,
            economy.start_ammo,
            economy.start_shields,
        )


def hop_fuel(distance: float, economy) -> float:
    return distance * economy.fuel_per_distance


def buy(ship: Ship, economy, price_index: float, planet_multiplier: float) -> dict[str, float]:
    """Spend credits at a market: fuel and ammo for a few days first, then shields, then full.

    Returns what was bought, so the story can say so.
    """
    unit = price_index * planet_multiplier
    prices = {
        "fuel": economy.fuel_price * unit,
        "ammo": economy.ammo_price * unit,
        "shields": economy.shield_price * unit,
    }
    caps = {"fuel": economy.max_fuel, "ammo": economy.max_ammo, "shields": 100.0}
    plan = [
        ("fuel", 0.5),
        ("ammo", 0.4),
        ("shields", 0.6),
        ("fuel", 1.0),
        ("ammo", 1.0),
        ("shields", 1.0),
    ]
    bought = dict.fromkeys(caps, 0.0)
    for good, fill in plan:
        wanted = max(0.0, caps[good] * fill - getattr(ship, good))
        price = prices[good]
        affordable = ship.credits / price if price > 0 else wanted
        amount = min(wanted, affordable)
        if amount <= 0:
            continue
        setattr(ship, good, getattr(ship, good) + amount)
        ship.credits = max(0.0, ship.credits - amount * price)
        bought[good] += amount
    return bought


def recharge_shields(ship: Ship, economy, price_index: float, wanted: float) -> float:
    """In battle, credits flow straight into the shields until they run out."""
    price = economy.shield_price * price_index
    amount = min(wanted, 100.0 - ship.shields, ship.credits / price if price > 0 else wanted)
    if amount <= 0:
        return 0.0
    ship.shields += amount
    ship.credits = max(0.0, ship.credits - amount * price)
    return amount


def buy_fuel(ship: Ship, economy, unit_price_factor: float) -> float:
    """Fill the tank as far as credits allow at `fuel_price * unit_price_factor` per unit."""
    price = economy.fuel_price * unit_price_factor
    amount = min(
        economy.max_fuel - ship.fuel, ship.credits / price if price > 0 else economy.max_fuel
    )
    if amount <= 0:
        return 0.0
    ship.fuel += amount
    ship.credits = max(0.0, ship.credits - amount * price)
    return amount
