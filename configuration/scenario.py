"""The scenario schema: every knob of a run, typed, bounded and documented.

`configs/default.toml` is an instance of `ScenarioConfig`, assembled here from the sections of
`sections_ship` and `sections_world`, the clock (`Simulation`), one brain per role of the
catalogs in `world.cast` (`AgentsConfig`) and the cast (`Character`). The config reference is
generated from these models (`callister schema`), so descriptions here are the documentation.
Every value the schema accepts can be served: upper bounds are in world units and keep every
sum of a run finite and every count within int64 (tests/test_fuzz_schema.py tries them).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, create_model, model_validator

from agents.spec import MAX_HOURS, Strict, role_model
from configuration.limits import MAX_CAST
from configuration.sections_nanette import RealNanetteRules
from configuration.sections_relationships import RelationshipRules
from configuration.sections_ship import Combat, Economy
from configuration.sections_world import Galaxy, Population, RealWorld, WorldRules
from world.cast import CATALOGS as ROLES
from world.cast import CHARACTER_CLASSES
from world.cast.vocabulary import TRAITS


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


def _agents_model() -> type[Strict]:
    return create_model(
        "Agents",
        __base__=Strict,
        **{role: (role_model(catalog), ...) for role, catalog in ROLES.items()},
    )


AgentsConfig = _agents_model()
CHARACTER_ROLES = tuple(CHARACTER_CLASSES)
# Roles held by exactly one character (the crew may have any number).
SINGLE_ROLES = tuple(role for role in CHARACTER_ROLES if ROLES[role].singleton)


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
    relationships: RelationshipRules = Field(default_factory=RelationshipRules)
    real_nanette: RealNanetteRules = Field(default_factory=RealNanetteRules)
    agents: AgentsConfig  # type: ignore[valid-type]
    characters: dict[str, Character] = Field(
        ..., max_length=MAX_CAST, description="the cast, by name (at most 30 characters)"
    )

    @model_validator(mode="after")
    def _cast_is_complete(self) -> ScenarioConfig:
        for role in SINGLE_ROLES:
            holders = sorted(name for name, c in self.characters.items() if c.role == role)
            if len(holders) != 1:
                raise ValueError(
                    f"characters: exactly one character must have role {role!r}, "
                    f"found {len(holders)} ({', '.join(holders) or 'none'})"
                )
        return self
