"""A brain's untraced decision as generated Python: its actions and considerations unrolled.

The plain loop over (action, consideration) tuples spent most of a decision unpacking tuples,
testing loop conditions and calling curve closures. Unrolled, each consideration is a few
lines reading its numbers as globals, and linear and logistic curves are written inline. The
arithmetic is the loop's, operation for operation, so every score keeps its bits:
x = (value - low) / span; the factor is the compensated score s + s(1 - s)(1 - 1/n), computed
once for each end; the product is taken left to right, times the weight, then the momentum.
A zero factor (or a NaN sensor) vetoes the action: its other considerations are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import CodeType, FunctionType
from typing import Any, NamedTuple

from agents.compiled import CompiledRole, compensate
from agents.curve_scalar import bookended, inline_key, inline_lines, inline_parameters
from agents.exactmath import exp

INDENT = "    "


class Unrolled(NamedTuple):
    """The generated function and its source (kept for debugging: `print(brain.decide_source)`)."""

    decide: Callable[..., Any]
    source: str


class _Consideration(NamedTuple):
    """What the source of one consideration depends on (its numbers are globals)."""

    input: str
    inline: tuple[str, bool] | None  # the curve written inline (kind, invert), or called
    low_vetoes: bool  # the score at the low end is 0
    high_vetoes: bool  # the score at the high end is 0


_Shape = tuple[tuple[str, tuple[_Consideration, ...]], ...]  # (action id, considerations)


def unroll(compiled: CompiledRole, namespace: dict[str, Any]) -> Unrolled:
    """decide(inputs, uniform, boosted, available): the untraced decision of a compiled role.

    Candidates (score > 0) are listed in tie-break order; the selector namespace["pick"]
    chooses among them and namespace["new_decision"]((action, score, None)) is returned, or
    namespace["NOTHING"] when nothing scored.
    """
    constants: dict[str, Any] = {"exp": exp, "momentum": compiled.momentum_factor}
    shape = []
    for rank, index in enumerate(compiled.tie_order):
        action = compiled.actions[index]
        constants[f"weight_{rank}"] = action.weight
        constants[f"compensation_{rank}"] = action.compensation
        considerations = []
        for k, c in enumerate(action.considerations):
            name = f"{rank}_{k}"
            _, _, at_low, at_high, formula = bookended(c.curve, c.low, c.span)
            low_factor = compensate(at_low, action.compensation)
            high_factor = compensate(at_high, action.compensation)
            constants[f"low_{name}"], constants[f"span_{name}"] = c.low, c.span
            constants[f"low_factor_{name}"] = low_factor
            constants[f"high_factor_{name}"] = high_factor
            inline = inline_key(c.curve)
            if inline is None:
                constants[f"curve_{name}"] = formula
            else:
                constants.update(inline_parameters(c.curve, f"curve_{name}_"))
            considerations.append(
                _Consideration(c.input, inline, low_factor == 0.0, high_factor == 0.0)
            )
        shape.append((action.id, tuple(considerations)))
    # The numbers are globals, not literals: brains that differ only in numbers (traits,
    # sweeps) share the source and its compiled code, and writing and compiling them is the
    # slow part. Each brain gets its own copy of the code (`replace()`): the interpreter
    # caches where globals are per code object, and a cache shared by brains would thrash.
    source, code = _generated(compiled.catalog.role, tuple(shape), compiled.momentum_factor != 1.0)
    decide = FunctionType(code.replace(), {**namespace, **constants})
    return Unrolled(decide, source)


@lru_cache(maxsize=256)
def _generated(role: str, shape: _Shape, momentum: bool) -> tuple[str, CodeType]:
    """The source of decide for this shape, and its code (~2 ms to compile a large brain)."""
    lines = [
        "def decide(inputs, uniform, boosted, available):",
        f'{INDENT}"""Untraced decision of a {role} brain (agents.unrolled)."""',
        f"{INDENT}chosen, scores = [], []  # the candidates, in tie-break order",
    ]
    for rank, (action_id, considerations) in enumerate(shape):
        lines += _action_lines(rank, action_id, considerations, momentum)
    lines += [
        f"{INDENT}position = pick(scores, uniform)",
        f"{INDENT}if position < 0:",
        f"{INDENT * 2}return NOTHING",
        f"{INDENT}return new_decision((chosen[position], scores[position], None))",
    ]
    source = "\n".join(lines) + "\n"
    module = compile(source, f"<unrolled {role} brain>", "exec")
    return source, next(c for c in module.co_consts if isinstance(c, CodeType))


def _action_lines(
    rank: int, action_id: str, considerations: tuple[_Consideration, ...], momentum: bool
) -> list[str]:
    quoted = repr(action_id)
    lines = [
        f"{INDENT}# {action_id}",
        f"{INDENT}if available is None or {quoted} in available:",
        f"{INDENT * 2}while True:  # one pass: `break` vetoes the action",
    ]
    pad, inside = INDENT * 3, INDENT * 2
    for k, c in enumerate(considerations):
        name = f"{rank}_{k}"
        if c.inline is None:
            curve_lines = [f"s = curve_{name}(x)"]
        else:
            curve_lines = inline_lines(c.inline, f"curve_{name}_")
        lines += [
            f"{pad}# {c.input}",
            f"{pad}x = (inputs[{c.input!r}] - low_{name}) / span_{name}",
            f"{pad}if x > 0.0:",
            f"{pad}{INDENT}if x >= 1.0:",
            f"{pad}{inside}" + ("break" if c.high_vetoes else f"f{k} = high_factor_{name}"),
            f"{pad}{INDENT}else:",
            *(f"{pad}{inside}{line}" for line in curve_lines),
            f"{pad}{inside}f{k} = s + s * (1.0 - s) * compensation_{rank}",
            f"{pad}{inside}if f{k} == 0.0:",
            f"{pad}{inside}{INDENT}break",
        ]
        if not c.low_vetoes:
            lines += [f"{pad}elif x == x:", f"{pad}{INDENT}f{k} = low_factor_{name}"]
        lines += [f"{pad}else:", f"{pad}{INDENT}break  # NaN, or the low end scoring 0"]
    # The loop's product was ((1.0 * f0) * f1) * ...; 1.0 * f0 is f0 exactly.
    product = " * ".join(f"f{k}" for k in range(len(considerations))) or "1.0"
    lines.append(f"{pad}score = weight_{rank} * ({product})")
    if momentum:
        lines += [f"{pad}if boosted == {quoted}:", f"{pad}{INDENT}score = score * momentum"]
    lines += [
        f"{pad}if score > 0.0:",
        f"{pad}{INDENT}chosen.append({quoted})",
        f"{pad}{INDENT}scores.append(score)",
        f"{pad}break",
    ]
    return lines
