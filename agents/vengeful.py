"""Robbed players, materialised with a grudge: many agents of one role, decided at once.

Their choices go through the vectorised scorer: one call scores every due player, and it
chooses exactly what the scalar brain would for the same inputs and draws.
"""

from __future__ import annotations

import mesa
import numpy as np
from mesa.discrete_space import CellAgent

UNKNOWN_HOPS = 99


class VengefulPlayer(CellAgent):
    """One robbed player on the galaxy's network: where, how much they still care, what next."""

    role = "vengeful_player"

    def __init__(self, model: mesa.Model, tag: str, planet: int, grudge: float) -> None:
        super().__init__(model)
        self.tag = tag
        self.cell = model.space[planet]
        self.grudge = grudge
        self.health = 100.0
        self.invited = False
        self.complained = False
        self.intent: str | None = None
        self.robbed_at = model.steps

    @property
    def planet(self) -> int:
        return self.cell.coordinate

    def warp_to(self, planet: int) -> None:
        self.cell = self.model.space[planet]


def hunter_inputs(model, players: list[VengefulPlayer]) -> tuple[dict, dict]:
    """Sensor arrays (one entry per player) and which actions each player can take."""
    count = len(players)
    planets = np.fromiter((p.planet for p in players), dtype=np.int64, count=count)
    sighting = model.sighting
    known = sighting is not None and model.steps - sighting[1] <= model.config.world.sighting_memory
    if known:
        hops = model.galaxy.hops_from(sighting[0])[planets].astype(float)
    else:
        hops = np.full(count, float(UNKNOWN_HOPS))
    invited = np.fromiter((p.invited for p in players), dtype=bool, count=count)
    complained = np.fromiter((p.complained for p in players), dtype=bool, count=count)
    same_planet = (planets == model.ship.planet) & model.ship_in_space()
    inputs = {
        "grudge": np.fromiter((p.grudge for p in players), dtype=float, count=count),
        "hops_to_ship": hops,
        "ship_known": np.full(count, float(known)),
        "invited": invited.astype(float),
        "same_planet": same_planet.astype(float),
        "health": np.fromiter((p.health for p in players), dtype=float, count=count),
        "complained": complained.astype(float),
    }
    available = {
        "hunt": np.full(count, known) & ~same_planet,
        "complain": ~complained,
        "give_up": np.ones(count, dtype=bool),
        "answer_invite": invited & ~same_planet,
        "attack": same_planet,
    }
    return inputs, available


def decide_hunters(model, brain, players: list[VengefulPlayer]) -> None:
    """Every due player picks an intent in one vectorised call."""
    if not players:
        return
    inputs, available = hunter_inputs(model, players)
    uniforms = model.rng.random(len(players))
    chosen = brain.decide(inputs, uniforms, available=available)
    actions = brain.actions
    for player, index in zip(players, chosen.tolist(), strict=True):
        player.intent = actions[index] if index >= 0 else None
