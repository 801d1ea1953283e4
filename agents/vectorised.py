"""The utility brain for many agents of one role at once (a crowd), on numpy arrays.

It chooses exactly what `agents.brain.Brain.decide` chooses for the same inputs and uniforms:
both are built from the same `CompiledRole`, curves share `agents.exactmath`, products are
taken in the same order, and the selectors walk actions in the same tie-break order.
Layout: considerations are rows of an (considerations, agents) matrix grouped by curve shape,
so each curve formula runs once per group; scores are an (actions, agents) matrix whose rows
are in tie-break order. A crowd of a few agents is cheaper on the scalar brain, one by one:
the arrays cost ~200 numpy calls whatever the crowd's size, and both brains choose alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import numpy as np
from pydantic import BaseModel

from agents.brain import Brain
from agents.catalog import RoleCatalog
from agents.compiled import CompiledConsideration, compile_role
from agents.curve_arrays import clamp_unit
from agents.curves import CurveGroup, group_key
from agents.selectors import select_array
from agents.workspace import Workspace

# Crowds up to this size decide one by one on the scalar brain. Not a tuning number: the
# choices are the same either way, only the speed differs (with the shipped vengeful-player
# spec one by one costs ~40 µs an agent, the arrays ~450 µs a call up to a few dozen agents).
ONE_BY_ONE_UP_TO = 16


class VectorBrain:
    """Utility brain shared by many agents of one role (one spec, one set of traits)."""

    def __init__(
        self,
        catalog: RoleCatalog,
        spec: BaseModel | Mapping[str, Any],
        traits: Mapping[str, float] | None = None,
        *,
        one_by_one_up_to: int = ONE_BY_ONE_UP_TO,
    ) -> None:
        compiled = compile_role(catalog, spec, traits)
        self.compiled = compiled
        self.one_by_one_up_to = one_by_one_up_to
        self._scalar = Brain.from_compiled(compiled)
        self.role = catalog.role
        self.actions: tuple[str, ...] = tuple(a.id for a in compiled.actions)
        self._index = {action: i for i, action in enumerate(self.actions)}
        self.think_every = compiled.think_every
        # Row r of the score matrix is action rank_to_action[r] (tie-break order).
        self._rank_to_action = np.array(compiled.tie_order, dtype=np.int64)
        ranked = [compiled.actions[i] for i in compiled.tie_order]

        # Group considerations by curve shape; remember each one's row for the products.
        grouped: dict[object, list[tuple[int, int, CompiledConsideration]]] = {}
        for rank, action in enumerate(ranked):
            for k, consideration in enumerate(action.considerations):
                key = group_key(consideration.curve)
                grouped.setdefault(key, []).append((rank, k, consideration))
        rows: dict[tuple[int, int], int] = {}
        inputs, lows, spans, compensation = [], [], [], []
        self._groups: list[tuple[int, int, CurveGroup]] = []
        for members in grouped.values():
            start = len(inputs)
            for rank, k, c in members:
                rows[rank, k] = len(inputs)
                inputs.append(c.input)
                lows.append(c.low)
                spans.append(c.span)
                compensation.append(ranked[rank].compensation)
            curves = [c.curve for _, _, c in members]
            self._groups.append((start, len(inputs), CurveGroup(curves)))
        self._inputs = tuple(inputs)
        self._low = np.array(lows, dtype=np.float64)[:, None]
        self._span = np.array(spans, dtype=np.float64)[:, None]
        self._compensation = np.array(compensation, dtype=np.float64)[:, None]
        # Per ranked action: its weight and its consideration rows in consideration order.
        self._products = tuple(
            (action.weight, tuple(rows[rank, k] for k in range(len(action.considerations))))
            for rank, action in enumerate(ranked)
        )
        self._ranked_ids = tuple(action.id for action in ranked)
        self._workspace = Workspace()

    def __repr__(self) -> str:
        return f"VectorBrain({self.role!r}, actions={self.actions})"

    def __reduce__(self) -> tuple:
        # The per-thread workspace does not pickle: rebuild from the source instead.
        c = self.compiled
        return (
            partial(VectorBrain, one_by_one_up_to=self.one_by_one_up_to),
            (c.catalog, c.source, c.traits),
        )

    def decide(
        self,
        inputs: Mapping[str, np.ndarray],
        uniforms: np.ndarray,
        *,
        running: np.ndarray | None = None,
        running_for: np.ndarray | None = None,
        available: Mapping[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Chosen index into `.actions` per agent (-1: nothing scored > 0).

        `inputs` maps each sensor to one value per agent (a scalar is broadcast); `running`
        holds the running action's index or -1 and `running_for` its age in ticks (None: 0);
        `available` maps action ids to boolean masks (a missing id is available to all).
        """
        uniforms = np.asarray(uniforms, dtype=np.float64)
        if uniforms.ndim != 1:
            raise ValueError("uniforms must be one-dimensional: one draw per agent")
        if uniforms.size and not (uniforms.min() >= 0.0 and uniforms.max() < 1.0):
            raise ValueError("uniforms must be in [0, 1)")
        if not self.actions:  # nothing configured: nobody can act (and max() needs a row)
            return np.full(uniforms.size, -1, dtype=np.int64)
        if uniforms.size <= self.one_by_one_up_to:
            return self._decide_one_by_one(inputs, uniforms, running, running_for, available)
        scores = self._ranked_scores(inputs, uniforms.size, running, running_for, available)
        c = self.compiled
        chosen = select_array(
            c.selector,
            scores,
            uniforms,
            n=c.top_n,
            percent=c.top_percent,
            temperature=c.temperature,
            ws=self._workspace,
        )
        return np.where(chosen >= 0, self._rank_to_action[np.maximum(chosen, 0)], -1)

    def _decide_one_by_one(
        self,
        inputs: Mapping[str, np.ndarray],
        uniforms: np.ndarray,
        running: np.ndarray | None,
        running_for: np.ndarray | None,
        available: Mapping[str, np.ndarray] | None,
    ) -> np.ndarray:
        """`decide` on the scalar brain, agent by agent, with the array path's conventions."""
        count = uniforms.size
        c = self.compiled

        def each(values, dtype) -> list:  # one Python value per agent, cast as the arrays cast
            array = np.asarray(values, dtype=dtype)
            if array.shape != (count,):  # a scalar for everyone (or a shape error, as arrays)
                array = np.broadcast_to(array, (count,))
            return array.tolist()

        columns = {name: each(inputs[name], np.float64) for name in dict.fromkeys(self._inputs)}
        masks = {}
        if available is not None:
            masks = {a: each(available[a], bool) for a in self.actions if a in available}
        running_ids, ages = [None] * count, [0] * count
        if running is not None and c.momentum_factor != 1.0 and c.momentum_ticks > 0:
            # The array path boosts where running == the action's index: -1 matches nothing.
            by_index = dict(enumerate(self.actions))
            running_ids = [by_index.get(r) for r in each(running, None)]
            if running_for is not None:
                ages = each(running_for, None)
        chosen = np.empty(count, dtype=np.int64)
        for agent, uniform in enumerate(uniforms.tolist()):
            decision = self._scalar.decide(
                {name: column[agent] for name, column in columns.items()},
                uniform,
                running=running_ids[agent],
                running_for=ages[agent],
                available=[a for a in self.actions if a not in masks or masks[a][agent]],
            )
            chosen[agent] = -1 if decision.action is None else self._index[decision.action]
        return chosen

    def scores(
        self,
        inputs: Mapping[str, np.ndarray],
        count: int,
        *,
        running: np.ndarray | None = None,
        running_for: np.ndarray | None = None,
        available: Mapping[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Final scores, shape (len(actions), count), rows in `.actions` order."""
        ranked = self._ranked_scores(inputs, count, running, running_for, available)
        out = np.empty_like(ranked)
        out[self._rank_to_action] = ranked
        return out

    def _ranked_scores(
        self,
        inputs: Mapping[str, np.ndarray],
        count: int,
        running: np.ndarray | None,
        running_for: np.ndarray | None,
        available: Mapping[str, np.ndarray] | None,
    ) -> np.ndarray:
        """Scores with rows in tie-break order (a workspace buffer); mirrors `Brain.decide`."""
        ws = self._workspace
        with np.errstate(all="ignore"):
            compensated = self._compensated(inputs, count, ws)
        scores = ws.get("brain_scores", (len(self._products), count))
        for rank, (weight, rows) in enumerate(self._products):
            row = scores[rank]
            if not rows:
                row.fill(weight)
                continue
            np.copyto(row, compensated[rows[0]])
            for r in rows[1:]:
                np.multiply(row, compensated[r], out=row)
            np.multiply(row, weight, out=row)
        # Momentum and availability as exact 0/1 blends (scores are finite): no masked calls.
        c = self.compiled
        if running is not None and c.momentum_factor != 1.0 and c.momentum_ticks > 0:
            running = np.asarray(running)
            within = True if running_for is None else np.asarray(running_for) < c.momentum_ticks
            boosted = ws.get("brain_boosted", (count,))
            for rank, action in enumerate(self._rank_to_action):
                np.copyto(boosted, within & (running == action))
                if boosted.any():
                    row = scores[rank]  # row*factor*b + row*(1-b): exactly one of the two
                    gained = np.multiply(np.multiply(row, c.momentum_factor), boosted)
                    np.multiply(row, np.subtract(1.0, boosted, out=boosted), out=row)
                    np.add(row, gained, out=row)
        if available is not None:
            for rank, action_id in enumerate(self._ranked_ids):
                mask = available.get(action_id)
                if mask is not None:
                    np.multiply(scores[rank], np.asarray(mask, dtype=bool), out=scores[rank])
        return scores

    def _compensated(self, inputs: Mapping[str, np.ndarray], count: int, ws: Workspace):
        """Compensated consideration scores s + s(1 - s)(1 - 1/n), shape (considerations, count)."""
        shape = (len(self._inputs), count)
        x = ws.get("brain_x", shape)
        for row, name in enumerate(self._inputs):
            x[row] = inputs[name]
        np.divide(np.subtract(x, self._low, out=x), self._span, out=x)
        nan = np.isnan(x, out=ws.get("brain_nan", shape, np.bool_))
        has_nan = bool(nan.any())
        clamp_unit(x)  # x > 0 ? min(x, 1) : 0, exactly like the scalar brain
        s = ws.get("brain_s", shape)
        for start, stop, group in self._groups:
            group.into(x[start:stop], s[start:stop], ws)
        if has_nan:  # a NaN sensor scores 0, like the scalar brain's veto
            np.copyto(s, 0.0, where=nan)
        out = np.subtract(1.0, s, out=x)  # x is spent: reuse its memory
        np.multiply(np.multiply(out, s, out=out), self._compensation, out=out)
        return np.add(out, s, out=out)
