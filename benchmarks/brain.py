"""Utility-brain benchmarks: one scalar decision, and one vectorised decision for 10,000 agents.

The specs mirror the shipped configs: mostly logistic, linear and step considerations, with a
normal, a polynomial and a piecewise curve in the mix, softmax selection unless stated.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from agents.brain import Brain
from agents.vectorised import ONE_BY_ONE_UP_TO, VectorBrain
from benchmarks import Case
from world.cast import CATALOGS

SCALAR_TARGET_S = 50e-6
VECTOR_TARGET_S = 5e-3
AGENTS = 10_000


def _logistic(midpoint: float, steepness: float) -> dict[str, Any]:
    return {"type": "logistic", "midpoint": midpoint, "steepness": steepness}


def _linear(slope: float, intercept: float) -> dict[str, Any]:
    return {"type": "linear", "slope": slope, "intercept": intercept}


STEP = {"type": "step", "threshold": 0.5}


def _consider(name: str, low: float, high: float, curve: dict[str, Any]) -> dict[str, Any]:
    return {"input": name, "low": low, "high": high, "curve": curve}


def captain_spec(selector: str) -> dict[str, Any]:
    """12 captain actions x 3 considerations."""
    c = _consider
    actions = {
        "rob_player": [
            c("credits", 150, 0, _logistic(0.45, 9)),
            c("players_here", 0, 30000, _logistic(0.15, 14)),
            c("threat_nearby", 0, 12, _logistic(0.4, -10)),
        ],
        "resupply": [
            c("market_hops", 4, 0, _linear(0.8, 0.2)),
            c("credits", 0, 40, _logistic(0.4, 10)),
            c("fuel", 60, 0, {"type": "polynomial", "exponent": 2, "intercept": 0.1}),
        ],
        "warp": [
            c("players_here", 0, 30000, _logistic(0.2, -12)),
            c("fuel", 0, 40, _logistic(0.4, 10)),
            c("ticks_since_raid", 0, 12, {"type": "normal", "mean": 0.15, "width": 0.25}),
        ],
        "hide": [
            c("crew_rest_support", 0, 1, _linear(0.6, 0.4)),
            c("crew_health", 100, 30, _linear(0.5, 0.5)),
            c("hunters", 0, 20, _linear(0.7, 0.3)),
        ],
        "fight": [
            c("threat_nearby", 0, 12, _logistic(0.2, 12)),
            c("ammo", 0, 30, _logistic(0.3, 10)),
            c("hull", 10, 60, _logistic(0.4, 8)),
        ],
        "flee": [
            c("threat_nearby", 0, 12, _logistic(0.35, 10)),
            c("shields", 100, 0, _linear(0.6, 0.4)),
            c("fuel", 0, 15, _logistic(0.3, 10)),
        ],
        "seek_walt": [
            c("knows_quarters", 0, 1, STEP),
            c("fuel", 0, 30, _logistic(0.3, 10)),
            c("credits", 0, 80, _logistic(0.3, 8)),
        ],
        "enter_heart": [
            c("walt_aboard", 0, 1, STEP),
            c("price_index", 1, 6, _linear(0.8, 0.2)),
            c("fuel", 0, 20, _logistic(0.3, 10)),
        ],
        "accept_green": [
            c("green_offered", 0, 1, STEP),
            c("disk_in_hand", 0, 1, _linear(-0.8, 1.0)),
            c("crew_alive", 0, 4, _linear(0.8, 0.2)),
        ],
        "accept_red": [
            c("red_offered", 0, 1, STEP),
            c("disk_in_hand", 0, 1, _linear(-0.8, 1.0)),
            c("crew_alive", 4, 0, {"type": "piecewise", "points": [[0, 0.2], [0.5, 0.4], [1, 1]]}),
        ],
        "accept_blue": [
            c("blue_offered", 0, 1, STEP),
            c("crew_alive", 0, 4, _linear(0.5, 0.5)),
            c("captain_health", 0, 100, _logistic(0.2, 10)),
        ],
        "fight_daly": [
            c("daly_hostile", 0, 1, STEP),
            c("captain_health", 20, 80, _logistic(0.3, 8)),
            c("copy_attempted", 0, 1, _linear(0.5, 0.5)),
        ],
    }
    return {
        "selector": {"kind": selector, "temperature": 0.06},
        "momentum": {"bonus": 0.2, "ticks": 2},
        "actions": {a: {"weight": 1.0, "considerations": cs} for a, cs in actions.items()},
    }


def captain_inputs(count: int, seed: int = 7) -> list[dict[str, float]]:
    """Varied captain situations (uniform over plausible ranges)."""
    rng = np.random.default_rng(seed)
    scale = {"players_here": 30000.0, "credits": 150.0, "fuel": 60.0, "ammo": 80.0}
    situations = []
    for _ in range(count):
        situation = {
            name: float(rng.random()) * scale.get(name, 10.0) for name in CATALOGS["captain"].inputs
        }
        for flag in ("knows_quarters", "walt_aboard", "green_offered", "red_offered"):
            situation[flag] = float(rng.random() < 0.5)
        situations.append(situation)
    return situations


def vengeful_spec(selector: str) -> dict[str, Any]:
    """5 vengeful-player actions x 3 considerations."""
    c = _consider
    actions = {
        "hunt": [
            c("grudge", 0, 1, _logistic(0.4, 8)),
            c("ship_known", 0, 1, STEP),
            c("hops_to_ship", 10, 0, _linear(0.7, 0.3)),
        ],
        "complain": [
            c("complained", 0, 1, {"type": "step", "threshold": 0.5, "below": 1.0, "above": 0.0}),
            c("grudge", 0, 1, _linear(0.6, 0.4)),
            c("health", 0, 100, {"type": "polynomial", "exponent": 2, "intercept": 0.2}),
        ],
        "give_up": [
            c("grudge", 0, 1, _logistic(0.25, -12)),
            c("hops_to_ship", 0, 20, _linear(0.5, 0.5)),
            c("health", 0, 100, {"type": "normal", "mean": 0.2, "width": 0.3}),
        ],
        "answer_invite": [
            c("invited", 0, 1, STEP),
            c("grudge", 0, 1, _logistic(0.2, 10)),
            c("hops_to_ship", 30, 0, _linear(0.8, 0.2)),
        ],
        "attack": [
            c("same_planet", 0, 1, STEP),
            c("grudge", 0, 1, _linear(0.7, 0.3)),
            c("health", 0, 100, _logistic(0.3, 10)),
        ],
    }
    return {
        "selector": {"kind": selector, "temperature": 0.1, "n": 3, "percent": 0.2},
        "actions": {a: {"weight": 1.0, "considerations": cs} for a, cs in actions.items()},
    }


def vengeful_inputs(count: int, seed: int = 11) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "grudge": rng.random(count),
        "hops_to_ship": rng.integers(0, 15, count).astype(float),
        "ship_known": (rng.random(count) < 0.7).astype(float),
        "invited": (rng.random(count) < 0.3).astype(float),
        "same_planet": (rng.random(count) < 0.1).astype(float),
        "health": rng.uniform(0, 100, count),
        "complained": (rng.random(count) < 0.4).astype(float),
    }


def _scalar_case(selector: str, trace: bool) -> Case:
    brain = Brain(CATALOGS["captain"], captain_spec(selector))
    situations = itertools.cycle(captain_inputs(64))
    uniforms = itertools.cycle(np.random.default_rng(3).random(97).tolist())

    def run() -> None:
        brain.decide(next(situations), next(uniforms), running="warp", running_for=1, trace=trace)

    return Case(
        f"scalar decide 12x3 {selector} trace={'on' if trace else 'off'}",
        run,
        target_s=None if trace else SCALAR_TARGET_S,
        number=300 if trace else 1000,
        repeats=15,  # many short repeats: the median shrugs off bursts of machine load
    )


def _vector_case(selector: str) -> Case:
    brain = VectorBrain(CATALOGS["vengeful_player"], vengeful_spec(selector))
    inputs = vengeful_inputs(AGENTS)
    uniforms = np.random.default_rng(5).random(AGENTS)

    def run() -> None:
        brain.decide(inputs, uniforms)

    return Case(
        f"vector decide {AGENTS}x5x3 {selector}", run, VECTOR_TARGET_S, number=5, repeats=15
    )


def _small_crowd_case(count: int) -> Case:
    """A crowd as small as the default run's hunters: decided one by one on the scalar brain."""
    brain = VectorBrain(CATALOGS["vengeful_player"], vengeful_spec("softmax"))
    inputs = vengeful_inputs(count)
    uniforms = np.random.default_rng(5).random(count)

    def run() -> None:
        brain.decide(inputs, uniforms)

    return Case(f"vector decide {count}x5x3 softmax (one by one)", run, number=200, repeats=15)


def cases() -> list[Case]:
    return [
        _scalar_case("softmax", trace=False),
        _scalar_case("argmax", trace=False),
        _scalar_case("softmax", trace=True),
        *(_vector_case(s) for s in ("softmax", "argmax", "top_n", "top_percent")),
        _small_crowd_case(1),
        _small_crowd_case(ONE_BY_ONE_UP_TO),
    ]
