"""The schema of Infinity and the real world around the crew: galaxy, players, rules, press."""

from __future__ import annotations

from pydantic import Field, field_validator

from agents.spec import MAX_HOURS, Strict
from configuration.limits import (
    MAX_CREDITS,
    MAX_INITIAL_PLANETS,
    MAX_PLANETS,
    MAX_VENGEFUL,
    PLAYER_CEILING,
    at_least,
    fewer_than,
)


class Galaxy(Strict):
    """The networkx galaxy of planets and warp lanes."""

    initial_planets: int = Field(
        50,
        ge=4,
        le=MAX_INITIAL_PLANETS,
        description="ordinary planets at tick 0 (building takes ~0.3 s at the largest)",
    )
    max_planets: int = Field(
        1000,
        ge=4,
        le=MAX_PLANETS,
        description="ordinary planets Infinity can hold: Daly stops building when it is full",
    )
    lanes_per_planet: int = Field(
        3, ge=1, le=12, description="warp lanes to nearest neighbours (fewer than the planets)"
    )
    market_share: float = Field(0.2, ge=0, le=1, description="share of planets with a market")
    heart_lanes: int = Field(
        3, ge=1, le=12, description="lanes from the Heart to inner planets (at most the planets)"
    )
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
        at_least("galaxy", "initial_planets", "Infinity must hold the planets it starts with")
    )
    _lanes_to_others = field_validator("lanes_per_planet")(
        fewer_than("galaxy", "initial_planets", "a planet's lanes lead to other planets")
    )
    _heart_lanes_to_planets = field_validator("heart_lanes")(
        fewer_than(
            "galaxy", "initial_planets", "each Heart lane leads to a planet", allow_equal=True
        )
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
        0.1,
        ge=0,
        le=1,
        description="share of its attractiveness a planet loses each time bandits strike there",
    )
    fear_max: float = Field(
        0.95, ge=0, le=1, description="most of its attractiveness a planet can lose to bandit fear"
    )
    fear_decay: float = Field(
        0.985, ge=0, le=1, description="share of a planet's bandit fear left after each hour"
    )
    battle_witnesses: float = Field(
        0.5,
        ge=0,
        le=10,
        description="complaints from an hour of battle at the ship, relative to a robbery's",
    )
    grudge_start_min: float = Field(
        0.5, ge=0, le=1, description="lowest grudge a robbed player starts with (0-1)"
    )
    grudge_start_max: float = Field(
        1.0,
        ge=0,
        le=1,
        description="highest grudge a robbed player starts with (0-1; drawn uniformly from min)",
    )
    player_hit_damage: float = Field(
        60,
        gt=0,
        le=100,
        description="avatar health a robbed player loses per hit from the ship's guns "
        "(0-100; at 0 the player logs out)",
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
    sighting_memory: int = Field(
        24, ge=1, le=MAX_HOURS, description="hours a sighting of the ship stays known to hunters"
    )
    max_vengeful: int = Field(
        400, ge=0, le=MAX_VENGEFUL, description="cap on materialised vengeful players (oldest drop)"
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
    fatigue_per_work_hour: float = Field(
        1.5, ge=0, le=100, description="fatigue a crew member gains per hour not resting (0-100)"
    )
    fatigue_relief_per_rest: float = Field(
        6.0, ge=0, le=100, description="fatigue a crew member sheds per hour of rest (0-100)"
    )
    sighting_witnesses: float = Field(
        0.2,
        ge=0,
        le=10,
        description="complaints a sighting of the ship draws, relative to a robbery's",
    )
    launch_min_hops: int = Field(
        3,
        ge=0,
        le=1000,
        description="warp hops from XJ-500 the ship launches at least (else the farthest planet)",
    )
    hospital_call_every: int = Field(
        48,
        ge=1,
        le=MAX_HOURS,
        description="hours the captain waits before calling the real world's hospital again",
    )
    capture_chance: float = Field(
        0.01,
        ge=0,
        le=1,
        description=(
            "chance per crew raider per robbery of being captured by the robbed player "
            "(times the player's grudge, divided by the raider's boldness)"
        ),
    )
    captive_harm: float = Field(
        0.3, ge=0, le=100, description="health a captured raider loses per hour held"
    )
    loneliness_rate: float = Field(
        0.0015, ge=0, le=1, description="Daly's loneliness gained per hour alone"
    )
    loneliness_start: float = Field(
        0.3, ge=0, le=1, description="Daly's loneliness at the start (0-1)"
    )
    loneliness_brooding: float = Field(
        2.0, ge=0, le=100, description="Daly's loneliness growth per hour brooding, x the rate"
    )
    loneliness_building: float = Field(
        0.5, ge=0, le=100, description="Daly's loneliness growth per hour building, x the rate"
    )
    refuse_copy_setback: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Daly's copy progress (0-1) undone by each hour the captain refuses",
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
        description="real Kabir's alarm per complaint; at 1 he comes to Walton with a warning",
    )
    kabir_alarm_kept_when_heard: float = Field(
        0.3,
        ge=0,
        le=1,
        description="share of real Kabir's alarm left after Walton listens to him",
    )
    kabir_quit_rate_unanswered: float = Field(
        0.003,
        ge=0,
        le=1,
        description="hourly chance real Kabir quits while his warning waits for an answer",
    )
    kabir_quit_rate_brushed_off: float = Field(
        0.04, ge=0, le=1, description="hourly chance real Kabir quits once Walton brushed him off"
    )
    kabir_quit_rate_heard: float = Field(
        0.0, ge=0, le=1, description="hourly chance real Kabir quits after Walton listened"
    )
    risk_per_listening: float = Field(
        0.01,
        ge=0,
        le=1,
        description="legal risk added when Walton hears Kabir out: he can no longer say he "
        "did not know",
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
        0.025, ge=0, le=1, description="journalist's progress (0-1) one stonewalling removes"
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
    coma_death_rate: float = Field(
        0.0002, ge=0, le=1, description="hourly chance the comatose real Nanette dies"
    )
    company_fold_share: float = Field(
        0.5, ge=0, le=1, description="company folds when players fall below this share of the start"
    )
    # What investigators can use against Walton: the FBI's arrest chance scales with the sum.
    evidence_clones_found: float = Field(
        0.4, ge=0, le=1, description="evidence weight of the clones found in the complaint logs"
    )
    evidence_per_leak: float = Field(
        0.1, ge=0, le=1, description="evidence weight of each leak to the press"
    )
    evidence_published: float = Field(
        0.3, ge=0, le=1, description="evidence weight of the published story"
    )
    evidence_per_killing: float = Field(
        0.5, ge=0, le=1, description="evidence weight of each clone Walton's gun killed"
    )
    evidence_accident: float = Field(
        0.3, ge=0, le=1, description="evidence weight of the real Nanette's accident after a row"
    )
    evidence_per_backfire: float = Field(
        0.3, ge=0, le=1, description="evidence weight of each cover-up that backfired"
    )
    evidence_per_tip: float = Field(
        0.15,
        ge=0,
        le=1,
        description="evidence weight of each fact the real Nanette reports to the FBI",
    )
    # How Walton reads the danger of the crew reaching the Heart (from what he has seen).
    walt_aboard_threat: float = Field(
        0.5,
        ge=0,
        le=1,
        description="heart threat (0-1) Walton feels once he has seen Walt aboard, wherever "
        "the ship is",
    )
    heart_threat_hops: float = Field(
        16,
        gt=0,
        le=1000,
        description="hops from the Heart at which the ship he sees adds no threat (hops)",
    )
    heart_watch_hops: int = Field(
        2,
        ge=0,
        le=1000,
        description="hops from the Heart within which Walton, seeing Walt aboard, concludes "
        "the crew is going for it (hops)",
    )
    threaten_trust_below: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Walton's trust in the real Nanette below which he counts her against him "
        "(and may threaten her)",
    )
