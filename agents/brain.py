"""The per-character utility brain: score every action, then let the role's selector choose.

score(action) = weight x Π s_i' x momentum, with s_i' = s + s(1 - s)(1 - 1/n) the compensated
consideration score (Dave Mark). A zero consideration or a zero weight vetoes the action.
A Brain is compiled once per character and is immutable: deciding has no side effects, and
all randomness is the one `uniform` draw the caller passes in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from agents.catalog import RoleCatalog
from agents.compiled import compile_role
from agents.curves import scalar_consideration
from agents.selectors import make_selector
from agents.trace import CandidateTrace, ConsiderationTrace, DecisionTrace


@dataclass(frozen=True, slots=True)
class Decision:
    """What a brain chose: an action id (None when nothing scored > 0) and its score."""

    action: str | None
    score: float
    trace: DecisionTrace | None = None


class Brain:
    """Utility brain of one character, compiled from (role catalog, role spec, traits)."""

    __slots__ = (
        "_factor",
        "_index",
        "_momentum_ticks",
        "_order",
        "_plan",
        "_select",
        "_select_traced",
        "_selector_kind",
        "actions",
        "compiled",
        "role",
        "think_every",
    )

    def __init__(
        self,
        catalog: RoleCatalog,
        spec: BaseModel | Mapping[str, Any],
        traits: Mapping[str, float] | None = None,
    ) -> None:
        compiled = compile_role(catalog, spec, traits)
        # Plain tuples and closures: no pydantic attribute access is left for decision time.
        plan = tuple(
            (
                action.id,
                action.weight,
                action.compensation,
                tuple(
                    (c.input, c.low, c.span, scalar_consideration(c.curve, c.low, c.span))
                    for c in action.considerations
                ),
            )
            for action in compiled.actions
        )
        selector = {
            "kind": compiled.selector,
            "n": compiled.top_n,
            "percent": compiled.top_percent,
            "temperature": compiled.temperature,
        }
        fields = {
            "compiled": compiled,
            "role": catalog.role,
            "actions": tuple(a.id for a in compiled.actions),
            "think_every": compiled.think_every,
            "_plan": plan,
            "_order": compiled.tie_order,
            "_index": {a.id: i for i, a in enumerate(compiled.actions)},
            "_select": make_selector(**selector, probabilities=False),
            "_select_traced": make_selector(**selector, probabilities=True),
            "_selector_kind": compiled.selector,
            "_factor": compiled.momentum_factor,
            "_momentum_ticks": compiled.momentum_ticks if compiled.momentum_factor != 1.0 else 0,
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Brain is immutable once compiled")

    def __reduce__(self) -> tuple:
        # Closures do not pickle: rebuild from the source (copy, deepcopy, multiprocessing).
        return (Brain, (self.compiled.catalog, self.compiled.source, self.compiled.traits))

    def __repr__(self) -> str:
        return f"Brain({self.role!r}, actions={self.actions}, selector={self._selector_kind!r})"

    def decide(
        self,
        inputs: Mapping[str, float],
        uniform: float,
        *,
        running: str | None = None,
        running_for: int = 0,
        available: Collection[str] | None = None,
        trace: bool = False,
    ) -> Decision:
        """Choose an action from sensor values (real units) and one uniform draw in [0, 1).

        `running` is the action under way for `running_for` ticks (momentum applies while
        running_for < momentum.ticks); `available` lists the possible actions (None: all).
        """
        if not 0.0 <= uniform < 1.0:
            raise ValueError(f"uniform must be in [0, 1), got {uniform!r}")
        if trace:
            return self._decide_traced(inputs, uniform, running, running_for, available)
        scores = []
        for action_id, weight, compensation, considerations in self._plan:
            if available is not None and action_id not in available:
                scores.append(0.0)
                continue
            product = 1.0
            for name, _, _, scorer in considerations:
                s = scorer(inputs[name])
                if s == 0.0:  # a zero consideration (or a NaN sensor) vetoes the action
                    product = 0.0
                    break
                product *= s + s * (1.0 - s) * compensation
            scores.append(weight * product)
        if running is not None and running_for < self._momentum_ticks:
            i = self._index.get(running)
            if i is not None:
                scores[i] = scores[i] * self._factor
        index, _ = self._select(scores, uniform, self._order)
        if index < 0:
            return Decision(None, 0.0)
        return Decision(self.actions[index], scores[index])

    def _decide_traced(
        self,
        inputs: Mapping[str, float],
        uniform: float,
        running: str | None,
        running_for: int,
        available: Collection[str] | None,
    ) -> Decision:
        """The same arithmetic as `decide`, keeping every intermediate number."""
        rows = []
        for action_id, weight, compensation, considerations in self._plan:
            product, parts = 1.0, []
            for name, low, span, scorer in considerations:
                raw = float(inputs[name])  # Python floats throughout: the trace holds no numpy
                x = (raw - low) / span  # for the record; `scorer` normalises the same way
                if x > 0.0:
                    x = min(x, 1.0)
                elif x == x:
                    x = 0.0
                s = scorer(raw)
                compensated = s + s * (1.0 - s) * compensation
                product *= compensated
                parts.append(ConsiderationTrace(name, raw, x, s, compensated))
            is_available = available is None or action_id in available
            momentum = (
                self._factor if running == action_id and running_for < self._momentum_ticks else 1.0
            )
            score = weight * product if is_available else 0.0
            if momentum != 1.0:
                score = score * momentum
            rows.append((action_id, is_available, tuple(parts), product, weight, momentum, score))
        scores = [row[-1] for row in rows]
        index, probabilities = self._select_traced(scores, uniform, self._order)
        candidates = tuple(
            CandidateTrace(*row, probability=p) for row, p in zip(rows, probabilities, strict=True)
        )
        ranked = [i for i in self._order if scores[i] > 0.0 and i != index]
        ranked.sort(key=lambda i: -scores[i])  # stable: equal scores keep tie-break order
        runner_up = ranked[0] if ranked else -1
        margin = 0.0
        if index >= 0:
            margin = scores[index] - (scores[runner_up] if runner_up >= 0 else 0.0)
        decision_trace = DecisionTrace(
            role=self.role,
            selector=self._selector_kind,
            uniform=float(uniform),
            candidates=candidates,
            winner=self.actions[index] if index >= 0 else None,
            runner_up=self.actions[runner_up] if runner_up >= 0 else None,
            margin=margin,
        )
        if index < 0:
            return Decision(None, 0.0, decision_trace)
        return Decision(self.actions[index], scores[index], decision_trace)
