"""The scenario schema: every knob of a run, typed, bounded and documented.

`configs/default.toml` is an instance of `ScenarioConfig`; the config reference is generated
from these models (`callister schema`), so descriptions here are the documentation.
Every value the schema accepts can be served: upper bounds are in world units and keep every
sum of a run finite and every count within int64 (tests/test_fuzz_schema.py tries them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field, ValidationInfo, create_model, field_validator, model_validator

from agents.catalog import ROLES, TRAITS
from agents.spec import MAX_HOURS, Strict, role_model
from world.population import PLAYER_CEILING

MAX_CREDITS = 1e9  # credits in the billions are plenty: the show's dangerous raid brought 34
MAX_SUPPLY = 1e6  # fuel units or rounds a ship can hold
HEALTH = 100  # every character's health scale, and the percent scale of hull and shields
MAX_PRICE_INDEX = 1_000  # Walton's multiplier: "everything costs double", not a trillion times
MIN_PRICE_INDEX = 0.01
# Galaxy sizes the program serves. Building links every pair of planets (nearest lanes and a
# spanning tree), so it grows faster than the square: 500 planets build in ~2 s, 1,000 in
# ~7 s, 2,000 in ~50 s, 5,000 took 152 s and 5 GB. Each planet Daly adds resets the hop
# caches, so a growing galaxy costs more every hour: 2,000 planets is ~15 ms an hour.
MAX_INITIAL_PLANETS = 500
MAX_PLANETS = 2_000
# Every character decides on its own each hour it thinks, and a full trace keeps ~8 kB per
# decision: 30 characters thinking every hour for 20,000 hours is ~5 GB of trace.
MAX_CAST = 30


def _at_least(section: str, other: str, reason: str) -> Callable:
    """A field validator: the field must be >= `other`, an earlier field of the same section."""

    def check(cls, value: float, info: ValidationInfo) -> float:
        floor = info.data.get(other)  # absent when `other` itself failed validation
        if floor is not None and value < floor:
            raise ValueError(f"must be >= {section}.{other} ({floor:g}), got {value:g}: {reason}")
        return value

    return check


class Simulation(Strict):
    """Clock, seed and how much of each decision is recorded."""

    ticks: int = Field(
        2160,
        ge=1,
        le=MAX_HOURS,
        description="horizon in hours (2160 = 90 days; 20,000 is about 2.3 years)",
    )
    seed: int = Field(
        1, ge=0, le=2**63 - 1, description="master seed of the run (a 64-bit signed integer)"
    )
    trace: Literal["off", "winners", "full"] = Field(
        "winners",
        description=(
            "decision traces kept: off | winners (chosen action) | full (every candidate, "
            "~40 kB an hour with the default cast: ~1 GB for 20,000 hours)"
        ),
    )


class Galaxy(Strict):
    """The networkx galaxy of planets and warp lanes."""

    initial_planets: int = Field(
        50,
        ge=4,
        le=MAX_INITIAL_PLANETS,
        description="ordinary planets at tick 0 (building grows with the square of this)",
    )
    max_planets: int = Field(
        1000,
        ge=4,
        le=MAX_PLANETS,
        description="ordinary planets Infinity can hold: Daly stops building when it is full",
    )
    lanes_per_planet: int = Field(3, ge=1, le=12, description="warp lanes to nearest neighbours")
    market_share: float = Field(0.2, ge=0, le=1, description="share of planets with a market")
    heart_lanes: int = Field(3, ge=1, le=12, description="lanes from the Heart to inner planets")
    attractiveness_sigma: float = Field(
        0.6, ge=0, le=3, description="log-normal spread of how much players like each planet"
    )
    moderation_mean: float = Field(
        0.3, ge=0, le=1, description="mean moderation of a planet: how fast bandits get reported"
    )
    rocky_with_walt: float = Field(
        0.6,
        ge=0,
        le=1,
        description="chance Rocky is at Walt's side at tick 0 (else lost on XJ-500)",
    )

    _room_for_the_first = field_validator("max_planets")(
        _at_least("galaxy", "initial_planets", "Infinity must hold the planets it starts with")
    )


class Population(Strict):
    """The 30 million players, held as per-planet aggregates."""

    players: int = Field(
        30_000_000,
        ge=0,
        le=PLAYER_CEILING,
        description="registered players (joins stop at 10 billion: more people than there are)",
    )
    online_share: float = Field(
        0.06, ge=0, le=1, description="share of players online at the daily peak hour"
    )
    diurnal_amplitude: float = Field(
        0.6, ge=0, le=1, description="trough-to-peak swing of the online share (0 = flat day)"
    )
    peak_hour: int = Field(20, ge=0, le=23, description="hour of day when most players are online")
    drift_rate: float = Field(
        0.02, ge=0, le=1, description="share of players per hour moving toward attractive planets"
    )
    join_rate: float = Field(
        2e-5,
        ge=0,
        le=0.01,
        description="new players per hour as a share of the population (0.01: +27% a day)",
    )
    churn_rate: float = Field(
        1e-5, ge=0, le=1, description="players quitting per hour as a share, at price index 1"
    )
    churn_price_elasticity: float = Field(
        2.5, ge=0, le=20, description="churn multiplies by price_index ** elasticity"
    )
    spend_per_online_hour: float = Field(
        0.02,
        ge=0,
        le=1000,
        description="credits an online player spends per hour at price index 1",
    )
    spend_price_elasticity: float = Field(
        0.6, ge=0, le=5, description="spend per player scales by price_index ** (1 - elasticity)"
    )
    complaint_rate: float = Field(
        2e-6, ge=0, le=1, description="complaints per online player per hour near a bandit sighting"
    )
    bandit_fear: float = Field(
        0.5, ge=0, le=1, description="attractiveness lost by a planet where bandits strike"
    )
    fear_decay: float = Field(
        0.985, ge=0, le=1, description="share of a planet's bandit fear left after each hour"
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
        _at_least("economy", "start_fuel", "the tank cannot start fuller than it holds")
    )
    _ammo_fits = field_validator("max_ammo")(
        _at_least("economy", "start_ammo", "the magazine cannot start fuller than it holds")
    )
    _start_below_ceiling = field_validator("price_index_max")(
        _at_least("economy", "price_index_start", "prices cannot start above their ceiling")
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
    repair_per_hour: float = Field(
        2, ge=0, le=HEALTH, description="hull percent one repairing member fixes"
    )


class WorldRules(Strict):
    """Rules of Infinity that no character chooses."""

    collapse_delay: int = Field(
        3, ge=1, le=10_000, description="hours from Daly's death to Infinity's deletion"
    )
    quarters_discovery_chance: float = Field(
        0.0015,
        ge=0,
        le=1,
        description="chance per resting crew member per hour of noticing Walton's quarters",
    )
    rocky_search_chance: float = Field(
        0.3, ge=0, le=1, description="chance per hour at XJ-500 of finding lost Rocky"
    )
    grudge_half_life: float = Field(
        120, gt=0, le=MAX_HOURS, description="hours for a robbed player's grudge to halve"
    )
    grudge_forget: float = Field(
        0.05, ge=0, le=1, description="grudge below which a player logs out for good"
    )
    sighting_memory: int = Field(
        24, ge=1, le=MAX_HOURS, description="hours a sighting of the ship stays known to hunters"
    )
    max_vengeful: int = Field(
        400, ge=0, le=10_000, description="cap on materialised vengeful players (oldest drop)"
    )
    invite_reach: float = Field(
        1.0, ge=0, le=1, description="share of every robbed player reached by an invite party"
    )
    invite_wave: int = Field(
        60,
        ge=0,
        le=10_000,
        description="extra guests per robbed player an invite party brings (players)",
    )
    grievance_per_order: float = Field(
        0.03,
        ge=0,
        le=1,
        description="grievance a crew member gains per hour sent unwillingly into a raid or fight",
    )
    grievance_decay: float = Field(
        0.995, ge=0, le=1, description="share of a crew member's grievance left after each hour"
    )
    loneliness_rate: float = Field(
        0.0015, ge=0, le=1, description="Daly's loneliness gained per hour alone"
    )
    build_hours: int = Field(
        36, ge=1, le=MAX_HOURS, description="hours of Daly's building per new planet"
    )
    copy_hours: int = Field(
        3,
        ge=1,
        le=MAX_HOURS,
        description="hours of uninterrupted copy-and-paste Daly needs to keep a copy",
    )
    disk_search_chance: float = Field(
        0.5,
        ge=0,
        le=1,
        description="chance per hour of finding the right disk in the collapsing garage",
    )
    epilogue: int = Field(
        720,
        ge=0,
        le=MAX_HOURS,
        description="hours the real world runs on after the crew's story ends",
    )


class RealWorld(Strict):
    """Callister Inc., the press, the hospital and the FBI: processes with configured rates."""

    kabir_alarm_per_complaint: float = Field(
        0.004,
        ge=0,
        le=1,
        description="real Kabir's alarm per complaint; at 1 he quits and hands over his logs",
    )
    journalist_rate: float = Field(
        0.0004, ge=0, le=1, description="journalist's progress per hour with no news (0-1 scale)"
    )
    journalist_per_complaint: float = Field(
        0.0003, ge=0, le=1, description="journalist's progress per player complaint"
    )
    interview_every: float = Field(
        0.25, gt=0, le=1, description="progress between two interviews with Walton"
    )
    stonewall_effect: float = Field(
        0.5, ge=0, le=1, description="share of the journalist's progress removed by stonewalling"
    )
    cover_up_effect: float = Field(
        0.1, ge=0, le=1, description="legal risk removed by one cover-up"
    )
    cover_up_backfire: float = Field(
        0.05, ge=0, le=1, description="chance a cover-up leaks and adds twice that risk"
    )
    investigate_rate: float = Field(
        0.02, ge=0, le=1, description="evidence per hour of investigation with the logs (0-1)"
    )
    help_credits: float = Field(
        80,
        ge=0,
        le=MAX_CREDITS,
        description="credits the real Nanette can grant the crew from inside the game",
    )
    leak_effect: float = Field(
        0.1, ge=0, le=1, description="press progress added when she leaks what she knows"
    )
    risk_per_interview: float = Field(
        0.02, ge=0, le=1, description="Walton's legal risk added by each press interview"
    )
    risk_when_published: float = Field(
        0.15, ge=0, le=1, description="legal risk added when the story is published"
    )
    risk_when_published_with_clones: float = Field(
        0.25, ge=0, le=1, description="further risk if the clones were known when it ran"
    )
    risk_per_disclosure: float = Field(
        0.05,
        ge=0,
        le=1,
        description="risk added when clones are discovered, confided, or leaked to the press",
    )
    risk_per_murder: float = Field(
        0.15, ge=0, le=1, description="risk added when Walton's gun kills a clone"
    )
    risk_per_accident: float = Field(
        0.1,
        ge=0,
        le=1,
        description="risk added when the real Nanette is hit by a car after the row",
    )
    risk_when_folded: float = Field(
        0.2,
        ge=0,
        le=1,
        description="risk added when Callister Inc. folds and investigators move in",
    )
    risk_per_stonewall: float = Field(
        0.005, ge=0, le=1, description="risk added by each stonewalling of the press (obstruction)"
    )
    fbi_rate: float = Field(
        0.004, ge=0, le=1, description="hourly arrest chance at legal risk 1 once the story is out"
    )
    accident_chance: float = Field(
        0.5,
        ge=0,
        le=1,
        description="chance the real Nanette is hit by a car after confronting Walton",
    )
    coma_death_rate: float = Field(
        0.0002, ge=0, le=1, description="hourly chance the comatose real Nanette dies"
    )
    company_fold_share: float = Field(
        0.5, ge=0, le=1, description="company folds when players fall below this share of the start"
    )


def _agents_model() -> type[Strict]:
    return create_model(
        "Agents",
        __base__=Strict,
        **{role: (role_model(role), ...) for role in ROLES},
    )


AgentsConfig = _agents_model()
CHARACTER_ROLES = tuple(role for role, spec in ROLES.items() if role != "vengeful_player")


class Character(Strict):
    """A named member of the cast (at most 30): its role, where it starts and its traits
    (1 = neutral)."""

    role: Literal[CHARACTER_ROLES]  # type: ignore[valid-type]
    display_name: str = Field("", description="name used in the story (defaults to the key)")
    alive: bool = Field(True, description="false for characters dead before the story starts")
    starts_aboard: bool = Field(True, description="crew only: false for Walt, who waits on XJ-500")
    boldness: float = Field(1.0, ge=0, le=10, description=TRAITS["boldness"])
    loyalty: float = Field(1.0, ge=0, le=10, description=TRAITS["loyalty"])
    conscience: float = Field(1.0, ge=0, le=10, description=TRAITS["conscience"])
    greed: float = Field(1.0, ge=0, le=10, description=TRAITS["greed"])
    resentment: float = Field(1.0, ge=0, le=10, description=TRAITS["resentment"])
    curiosity: float = Field(1.0, ge=0, le=10, description=TRAITS["curiosity"])
    fear: float = Field(1.0, ge=0, le=10, description=TRAITS["fear"])

    def traits(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in TRAITS}


class ScenarioConfig(Strict):
    """A whole scenario: what `configs/default.toml` holds."""

    simulation: Simulation = Field(default_factory=Simulation)
    galaxy: Galaxy = Field(default_factory=Galaxy)
    population: Population = Field(default_factory=Population)
    economy: Economy = Field(default_factory=Economy)
    combat: Combat = Field(default_factory=Combat)
    world: WorldRules = Field(default_factory=WorldRules)
    realworld: RealWorld = Field(default_factory=RealWorld)
    agents: AgentsConfig  # type: ignore[valid-type]
    characters: dict[str, Character] = Field(
        ..., max_length=MAX_CAST, description="the cast, by name (at most 30 characters)"
    )

    @model_validator(mode="after")
    def _cast_is_complete(self) -> ScenarioConfig:
        for role in ("captain", "walton", "nanette", "daly"):
            holders = sorted(name for name, c in self.characters.items() if c.role == role)
            if len(holders) != 1:
                raise ValueError(
                    f"characters: exactly one character must have role {role!r}, "
                    f"found {len(holders)} ({', '.join(holders) or 'none'})"
                )
        return self
