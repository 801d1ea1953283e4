"""The schema of the USS Callister's economy and fights: credits, prices, supplies, damage."""

from __future__ import annotations

from pydantic import Field, field_validator

from agents.spec import MAX_HOURS, Strict
from configuration.limits import (
    HEALTH,
    MAX_CREDITS,
    MAX_PRICE_INDEX,
    MAX_SUPPLY,
    MIN_PRICE_INDEX,
    at_least,
)


class Economy(Strict):
    """Credits, prices and supplies of the USS Callister."""

    start_credits: float = Field(60, ge=0, le=MAX_CREDITS, description="credits at tick 0")
    start_fuel: float = Field(30, ge=0, le=MAX_SUPPLY, description="fuel units at tick 0")
    start_ammo: float = Field(40, ge=0, le=MAX_SUPPLY, description="rounds at tick 0")
    start_shields: float = Field(50, ge=0, le=HEALTH, description="shields at tick 0 (percent)")
    max_fuel: float = Field(60, gt=0, le=MAX_SUPPLY, description="tank size (fuel units)")
    max_ammo: float = Field(80, gt=0, le=MAX_SUPPLY, description="magazine size (rounds)")
    fuel_per_distance: float = Field(
        4.0, ge=0, le=1000, description="fuel units burned per unit of warp distance"
    )
    fuel_price: float = Field(
        0.5, ge=0, le=MAX_CREDITS, description="credits per fuel unit at price index 1"
    )
    ammo_price: float = Field(
        0.4, ge=0, le=MAX_CREDITS, description="credits per round at price index 1"
    )
    shield_price: float = Field(
        0.3, ge=0, le=MAX_CREDITS, description="credits per shield percent at index 1"
    )
    upkeep_per_hour: float = Field(
        0.4,
        ge=0,
        le=MAX_CREDITS,
        description="credits per hour the ship costs to exist, times the price index",
    )
    starvation_damage: float = Field(
        0.5,
        ge=0,
        le=HEALTH,
        description="health per hour every clone loses while credits are at zero",
    )
    black_market_markup: float = Field(
        3.0,
        ge=1,
        le=100,
        description="price multiple for fuel bought away from a market when stranded",
    )
    loot_mean: float = Field(
        34,
        ge=0,
        le=MAX_CREDITS,
        description="mean credits taken in one robbery (0: the crew finds nothing)",
    )
    loot_sigma: float = Field(0.6, ge=0, le=3, description="log-normal spread of loot")
    loot_per_extra_raider: float = Field(
        0.15, ge=0, le=5, description="extra share of loot each crew member joining a raid adds"
    )
    price_index_start: float = Field(
        1.0,
        ge=MIN_PRICE_INDEX,
        le=MAX_PRICE_INDEX,
        description="price index at tick 0 (1 = launch prices)",
    )
    price_hike: float = Field(
        0.15, ge=0, le=5, description="relative rise of the price index per raise_prices"
    )
    price_index_max: float = Field(
        6.0,
        ge=MIN_PRICE_INDEX,
        le=MAX_PRICE_INDEX,
        description="ceiling of the price index (at least price_index_start)",
    )

    _fuel_fits = field_validator("max_fuel")(
        at_least("economy", "start_fuel", "the tank cannot start fuller than it holds")
    )
    _ammo_fits = field_validator("max_ammo")(
        at_least("economy", "start_ammo", "the magazine cannot start fuller than it holds")
    )
    _start_below_ceiling = field_validator("price_index_max")(
        at_least("economy", "price_index_start", "prices cannot start above their ceiling")
    )


class Combat(Strict):
    """Fights between the ship, players, Walton's avatar and Daly."""

    raid_danger: float = Field(
        0.25, ge=0, le=1, description="chance a robbery goes wrong and the raiders are hurt"
    )
    raid_injury: float = Field(30, ge=0, le=HEALTH, description="health lost by a hurt raider")
    player_damage: float = Field(
        1.0,
        ge=0,
        le=HEALTH,
        description="damage points (shield or hull percent) one attacking player deals per hour",
    )
    max_engaged: int = Field(
        12,
        ge=1,
        le=10_000,
        description="attackers that can fire at the ship in the same hour (players)",
    )
    rounds_per_gunner: float = Field(
        3.0, ge=0, le=1000, description="rounds one gunner fires per hour"
    )
    kill_chance_per_round: float = Field(
        0.3, ge=0, le=1, description="chance one round logs an attacking player out"
    )
    party_interest_decay: float = Field(
        0.08, ge=0, le=1, description="share of invite-party guests who drift off each hour"
    )
    walton_relogin_hours: int = Field(
        24,
        ge=0,
        le=MAX_HOURS,
        description="hours before Walton can log in again after his avatar is killed",
    )
    shield_absorb: float = Field(
        0.8, ge=0, le=1, description="share of incoming damage shields take while above 0"
    )
    injury_per_hull_damage: float = Field(
        0.5, ge=0, le=HEALTH, description="crew health lost per point of hull damage"
    )
    walton_damage: float = Field(
        45, ge=0, le=HEALTH, description="health a clone loses to Walton's gun"
    )
    walton_avatar_health: float = Field(
        100, gt=0, le=10_000, description="health of Walton's avatar"
    )
    crew_fire_damage: float = Field(
        30,
        ge=0,
        le=10_000,
        description="damage the armed crew deals to Walton's avatar per hour",
    )
    daly_strength: float = Field(
        25, ge=0, le=HEALTH, description="health Daly's powers take per attack"
    )
    captain_strike: float = Field(
        35, ge=0, le=HEALTH, description="damage the captain deals Daly per blow"
    )
    captain_guns: int = Field(
        2,
        ge=0,
        le=20,
        description="gunners' worth of fire the captain adds when she orders a fight",
    )
    heal_per_rest: float = Field(
        3, ge=0, le=HEALTH, description="health a resting character regains per hour"
    )
    heal_share_at_work: float = Field(
        0.2,
        ge=0,
        le=1,
        description="share of heal_per_rest a character regains in an hour not resting",
    )
    repair_per_hour: float = Field(
        2, ge=0, le=HEALTH, description="hull percent one repairing member fixes"
    )
    walton_threat: float = Field(
        5,
        ge=0,
        le=10_000,
        description="players' worth of threat Walton's avatar poses while attacking (players)",
    )
    walton_hit_chance: float = Field(
        0.6, ge=0, le=1, description="chance one hour's burst of Walton's gun hits its target"
    )
    walton_relogin_growth: float = Field(
        1.0,
        ge=0,
        le=100,
        description="extra share of the relogin wait for each time his avatar was shot down "
        "before (1: the wait doubles each time)",
    )
    walton_fear_walt: float = Field(
        0.6,
        ge=0,
        le=10,
        description="how much Walton wants Walt dead once he has seen him aboard (target "
        "score, beside grievance 0-1)",
    )
    walton_fear_captain: float = Field(
        0.4,
        ge=0,
        le=10,
        description="how much Walton wants the captain dead (target score, beside grievance)",
    )
    walton_target_whim: float = Field(
        0.3,
        ge=0,
        le=10,
        description="random spread of Walton's target scores (0: always the top motive)",
    )
    walton_strike_damage: float = Field(
        30, ge=0, le=HEALTH, description="health Walt loses when Walton strikes him with Rocky"
    )
    walton_strike_hours: int = Field(
        12,
        ge=0,
        le=MAX_HOURS,
        description="hours struck-down Walt lies out cold: no key to the Heart meanwhile",
    )
