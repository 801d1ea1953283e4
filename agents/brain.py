"""The per-character utility brain: score every action, then let the role's selector choose.

score(action) = weight x Π s_i' x momentum, with s_i' = s + s(1 - s)(1 - 1/n) the compensated
consideration score (Dave Mark). A zero consideration or a zero weight vetoes the action.
A Brain is compiled once per character and is immutable: deciding has no side effects, and
all randomness is the one `uniform` draw the caller passes in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import partial
from typing import Any, NamedTuple

from pydantic import BaseModel

from agents.candidates import make_candidate_selector
from agents.catalog import RoleCatalog
from agents.compiled import CompiledRole, compensate, compile_role
from agents.curves import bookended
from agents.selectors import make_selector
from agents.trace import CandidateTrace, ConsiderationTrace, DecisionTrace
from agents.unrolled import unroll


class Decision(NamedTuple):
    """What a brain chose: an action id (None when nothing scored > 0) and its score.

    A named tuple rather than a frozen dataclass: as immutable, and built in half the time
    (one is built per decision, thousands a run).
    """

    action: str | None
    score: float
    trace: DecisionTrace | None = None


NOTHING = Decision(None, 0.0)  # immutable, so every untraced "nothing scored" can share it


class Brain:
    """Utility brain of one character, compiled from (role catalog, role spec, traits)."""

    __slots__ = (
        "_factor",
        "_momentum_ticks",
        "_order",
        "_plan",
        "_select_traced",
        "_selector_kind",
        "_unrolled",
        "actions",
        "compiled",
        "decide_source",
        "role",
        "think_every",
    )

    def __init__(
        self,
        catalog: RoleCatalog,
        spec: BaseModel | Mapping[str, Any],
        traits: Mapping[str, float] | None = None,
    ) -> None:
        self._install(compile_role(catalog, spec, traits))

    @classmethod
    def from_compiled(cls, compiled: CompiledRole) -> Brain:
        """The brain of an already compiled role (the vectorised brain shares its own)."""
        brain = cls.__new__(cls)
        brain._install(compiled)
        return brain

    def _install(self, compiled: CompiledRole) -> None:
        # Plain tuples and closures: no pydantic attribute access is left for decision time.
        # A traced consideration is (input, low, span, score at x = 0, score at x = 1, formula).
        plan = tuple(
            (
                index,
                action.id,
                action.weight,
                action.compensation,
                tuple((c.input, *bookended(c.curve, c.low, c.span)) for c in action.considerations),
            )
            for index, action in enumerate(compiled.actions)
        )
        selector = {
            "kind": compiled.selector,
            "n": compiled.top_n,
            "percent": compiled.top_percent,
            "temperature": compiled.temperature,
        }
        # Untraced: generated code (new_decision skips the named tuple's Python-level __new__).
        namespace = {
            "pick": make_candidate_selector(**selector),
            "new_decision": partial(tuple.__new__, Decision),
            "NOTHING": NOTHING,
        }
        unrolled = unroll(compiled, namespace)
        fields = {
            "compiled": compiled,
            "role": compiled.catalog.role,
            "actions": tuple(a.id for a in compiled.actions),
            "think_every": compiled.think_every,
            "_plan": plan,
            # Scored in tie-break order, the candidates (score > 0) come out in that order.
            "_unrolled": unrolled.decide,
            "decide_source": unrolled.source,
            "_order": compiled.tie_order,
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
        boosted = running if running_for < self._momentum_ticks else None
        return self._unrolled(inputs, uniform, boosted, available)

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
        for _, action_id, weight, compensation, considerations in self._plan:
            product, parts = 1.0, []
            for name, low, span, at_low, at_high, formula in considerations:
                raw = float(inputs[name])  # Python floats throughout: the trace holds no numpy
                x = (raw - low) / span
                if x > 0.0:
                    x = min(x, 1.0)
                    s = at_high if x == 1.0 else formula(x)
                elif x == x:
                    x, s = 0.0, at_low
                else:
                    s = 0.0  # a NaN sensor scores 0; its x stays NaN in the record
                compensated = compensate(s, compensation)
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
