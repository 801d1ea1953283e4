"""A role spec plus one character's traits, flattened once into plain immutable data.

Both brains (scalar and vectorised) are built from this, so they cannot disagree about
which actions exist, their weights after traits, their bound curves or the tie-break order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from agents.catalog import RoleCatalog
from agents.curves import bind_traits
from agents.selectors import tie_break_order
from agents.spec import Curve, role_model


@dataclass(frozen=True, slots=True)
class CompiledConsideration:
    """One consideration with its curve already bound to the character's traits."""

    input: str
    low: float
    high: float
    span: float  # high - low, computed once so both paths divide by the same float
    curve: Curve


@dataclass(frozen=True, slots=True)
class CompiledAction:
    """A configured action with weight > 0, its weight already multiplied by its trait."""

    id: str
    weight: float
    priority: int
    considerations: tuple[CompiledConsideration, ...]

    @property
    def compensation(self) -> float:
        """Dave Mark's modification factor 1 - 1/n (float maths, 0 for one consideration)."""
        n = len(self.considerations)
        return 1.0 - 1.0 / n if n else 0.0


@dataclass(frozen=True, slots=True)
class CompiledRole:
    """Everything a brain needs, with no pydantic access left for decision time."""

    catalog: RoleCatalog
    source: dict[str, Any]  # the validated spec as plain data: brains pickle by recompiling
    traits: dict[str, float]
    actions: tuple[CompiledAction, ...]  # catalog order
    tie_order: tuple[int, ...]  # indices into actions, best first on equal scores
    think_every: int
    selector: str
    top_n: int
    top_percent: float
    temperature: float
    momentum_factor: float  # 1 + bonus
    momentum_ticks: int


def compensate(s: float, compensation: float) -> float:
    """Dave Mark's compensated consideration score s + s(1 - s)(1 - 1/n); 0 only for s = 0."""
    return s + s * (1.0 - s) * compensation


def validate_spec(catalog: RoleCatalog, spec: BaseModel | Mapping[str, Any]) -> BaseModel:
    """The role's spec model instance (a plain mapping is validated into one)."""
    model = role_model(catalog)
    if isinstance(spec, model):
        return spec
    if isinstance(spec, BaseModel):
        spec = spec.model_dump()
    return model.model_validate(spec)


def validate_traits(catalog: RoleCatalog, traits: Mapping[str, float] | None) -> dict[str, float]:
    """The catalog's trait names with finite, non-negative values (1 is neutral)."""
    checked: dict[str, float] = {}
    for name, value in (traits or {}).items():
        if name not in catalog.traits:
            known = ", ".join(catalog.traits) or "none"
            raise ValueError(f"unknown trait {name!r} (known: {known})")
        value = float(value)
        if not (math.isfinite(value) and value >= 0.0):
            raise ValueError(f"trait {name!r} must be a finite number >= 0, got {value!r}")
        checked[name] = value
    return checked


def compile_role(
    catalog: RoleCatalog,
    spec: BaseModel | Mapping[str, Any],
    traits: Mapping[str, float] | None = None,
) -> CompiledRole:
    """Flatten a role spec for one character; raises ValueError on unusable numbers."""
    spec = validate_spec(catalog, spec)
    traits = validate_traits(catalog, traits)
    role = catalog.role
    actions = []
    for action_id in catalog.actions:
        action = getattr(spec.actions, action_id)
        if action is None or action.weight <= 0.0:
            continue
        weight = action.weight * (
            traits.get(action.weight_trait, 1.0) if action.weight_trait else 1.0
        )
        if not math.isfinite(weight):
            raise ValueError(f"agents.{role}.actions.{action_id}.weight must be finite")
        considerations = tuple(
            CompiledConsideration(
                input=c.input,
                low=float(c.low),
                high=float(c.high),
                span=float(c.high) - float(c.low),
                curve=bind_traits(c.curve, c.bind, traits),
            )
            for c in action.considerations
        )
        for c in considerations:
            if not (math.isfinite(c.span) and c.span != 0.0):
                raise ValueError(
                    f"agents.{role}.actions.{action_id}: bookends of {c.input!r} must be finite "
                    "and distinct"
                )
        actions.append(CompiledAction(action_id, weight, action.priority, considerations))
    bonus = spec.momentum.bonus
    if not math.isfinite(bonus):
        raise ValueError(f"agents.{role}.momentum.bonus must be finite")
    return CompiledRole(
        catalog=catalog,
        source=spec.model_dump(),
        traits=traits,
        actions=tuple(actions),
        tie_order=tie_break_order([a.id for a in actions], [a.priority for a in actions]),
        think_every=spec.think_every,
        selector=spec.selector.kind,
        top_n=spec.selector.n,
        top_percent=spec.selector.percent,
        temperature=spec.selector.temperature,
        momentum_factor=1.0 + bonus,
        momentum_ticks=spec.momentum.ticks,
    )
