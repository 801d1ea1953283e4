"""A named character: a Mesa agent that senses its situation and lets its brain choose.

Characters only *decide*: `think` stores an intent and records the decision; the world applies
intents afterwards, through the effect table of the character's role.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import ClassVar

import mesa

from agents.brain import NOTHING, Brain, Decision
from world.knowledge import Beliefs


class Character(mesa.Agent):
    """Base of every named role: health, an intent, and a staggered think cadence."""

    role: str = ""
    # Inputs read from a belief rather than the world: input -> the fact behind it (the Why
    # page shows that belief, with when and how it was learned, beside the input).
    belief_inputs: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        model: mesa.Model,
        name: str,
        display_name: str,
        brain: Brain,
        traits: dict[str, float],
    ) -> None:
        super().__init__(model)
        self.name = name
        self.display_name = display_name or name.replace("_", " ").title()
        self.brain = brain
        self.traits = traits
        self.health = 100.0
        self.alive = True
        self.intent: str | None = None
        self.intent_since = 0
        self.beliefs = Beliefs()  # what this character knows, and how it learned it

    def sense(self) -> dict[str, float]:
        """The role's inputs, in real units (the role's catalog says what each means)."""
        raise NotImplementedError

    def available(self) -> Collection[str] | None:
        """Actions possible right now; None means every configured action."""
        return None

    def is_due(self, tick: int) -> bool:
        # Staggered by id so characters with the same cadence do not all think at once.
        return self.alive and (tick + self.unique_id) % self.brain.think_every == 0

    def think(self) -> None:
        """Choose an intent for the coming hours from the current situation."""
        model, tick = self.model, self.model.steps
        forced = model.forced.pop(self.name, None) if model.forced and self.alive else None
        due = self.is_due(tick)
        if not due and forced is None:
            return
        decision = NOTHING
        if due:  # a forced character still draws as it would have: common random numbers
            decision = self.brain.decide(
                self.sense(),
                float(model.rng.random()),
                running=self.intent,
                running_for=tick - self.intent_since,
                available=self.available(),
                trace=model.trace_level == "full",
            )
        if forced is not None:
            score = decision.score if decision.action == forced else 0.0
            decision = Decision(forced, score, decision.trace)  # the trace: what it would have done
        if decision.action != self.intent:
            self.intent_since = tick
        self.intent = decision.action
        if model.trace_level != "off":
            record = {
                "tick": tick,
                "character": self.name,
                "role": self.role,
                "action": decision.action,
                "score": decision.score,
            }
            if forced is not None:
                record["forced"] = True
            if decision.trace is not None:
                record["trace"] = decision.trace.to_dict()
            model.decisions.append(record)
            model.beliefs_held.append(len(self.beliefs.learned))  # what it knew as it chose

    def wound(self, damage: float) -> bool:
        """Take damage; returns True if this killed the character."""
        if not self.alive or damage <= 0:
            return False
        self.health = max(0.0, self.health - damage)
        if self.health <= 0:
            self.alive = False
            self.intent = None
            return True
        return False

    def heal(self, amount: float) -> None:
        if self.alive:
            self.health = min(100.0, self.health + amount)


def effect_of(effects: Mapping[str, Callable], role: str, action: str) -> Callable:
    """The effect of a chosen action; an action its role does not have is a bug, not a no-op."""
    try:
        return effects[action]
    except KeyError:
        known = ", ".join(effects)
        raise ValueError(
            f"{role} chose {action!r}, which is not one of its actions ({known})"
        ) from None
