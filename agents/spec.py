"""Typed, validated description of a utility brain: curves, considerations, actions, selectors.

These pydantic models are what a role's TOML table becomes. Per-role models are generated
from the role's catalog so that an unknown action, input or trait is rejected at its exact
dotted key.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from agents.catalog import RoleCatalog

# Limits that keep every compiled score finite: a weight (x a trait <= 10, x momentum <= 101)
# or a curve parameter (x a trait) stays far below float overflow, and bookends are close
# enough that high - low cannot overflow.
MAX_HOURS = 20_000  # the longest span any key may name: the horizon's maximum (~2.3 years)
MAX_WEIGHT = 1_000.0
MAX_PRIORITY = 1_000
MAX_BOOKEND = 1e12  # real units: far past any count or duration an application measures
MAX_PARAMETER = 1e6  # curve parameters: far past where any curve is already a step
CurveNumber = Annotated[float, Field(ge=-MAX_PARAMETER, le=MAX_PARAMETER)]


class Strict(BaseModel):
    """Base for every config model: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CurveBase(Strict):
    invert: bool = Field(False, description="flip the output: y -> 1 - y")


class LinearCurve(CurveBase):
    """y = slope * x + intercept."""

    type: Literal["linear"] = "linear"
    slope: float = Field(
        1.0, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="rise over the bookend range"
    )
    intercept: float = Field(
        0.0, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="output at x = 0"
    )


class PolynomialCurve(CurveBase):
    """y = slope * max(x - x_shift, 0) ** exponent + intercept."""

    type: Literal["polynomial"] = "polynomial"
    exponent: float = Field(
        2.0, gt=0, le=100, description="power; >1 is slow-then-fast, <1 the reverse"
    )
    slope: float = Field(
        1.0, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="scale of the power term"
    )
    x_shift: float = Field(
        0.0, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="x where the curve starts to rise"
    )
    intercept: float = Field(
        0.0, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="output added everywhere"
    )


class LogisticCurve(CurveBase):
    """y = 1 / (1 + exp(-steepness * (x - midpoint))): an S rising through the midpoint."""

    type: Literal["logistic"] = "logistic"
    midpoint: float = Field(
        0.5, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="x where the output is 0.5"
    )
    steepness: float = Field(
        10.0,
        ge=-MAX_PARAMETER,
        le=MAX_PARAMETER,
        description="slope at the midpoint (negative flips the S)",
    )


class LogitCurve(CurveBase):
    """The inverse S: u = x - midpoint + 0.5, y = 0.5 + ln(u / (1 - u)) / steepness.

    y is 0 for u <= 0 and 1 for u >= 1 (the limits of the formula).
    """

    type: Literal["logit"] = "logit"
    midpoint: float = Field(
        0.5, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="x where the output is 0.5"
    )
    steepness: float = Field(
        10.0, gt=0, le=MAX_PARAMETER, description="larger is flatter in the middle"
    )


class NormalCurve(CurveBase):
    """y = exp(-0.5 * ((x - mean) / width) ** 2): a bell peaking at the mean."""

    type: Literal["normal"] = "normal"
    mean: float = Field(0.5, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="x of the peak")
    width: float = Field(0.15, gt=0, le=MAX_PARAMETER, description="standard deviation of the bell")


class SineCurve(CurveBase):
    """y = 0.5 + 0.5 * sin(2 * pi * (frequency * x + phase))."""

    type: Literal["sine"] = "sine"
    frequency: float = Field(
        1.0, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="cycles over the bookend range"
    )
    phase: float = Field(0.0, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="shift in cycles")


class StepCurve(CurveBase):
    """y = below for x < threshold, above otherwise."""

    type: Literal["step"] = "step"
    threshold: float = Field(
        0.5, ge=-MAX_PARAMETER, le=MAX_PARAMETER, description="x where the step happens"
    )
    below: float = Field(0.0, ge=0, le=1, description="output below the threshold")
    above: float = Field(1.0, ge=0, le=1, description="output at or above the threshold")


class PiecewiseCurve(CurveBase):
    """Linear interpolation through authored [x, y] points, flat beyond the ends."""

    type: Literal["piecewise"] = "piecewise"
    points: list[tuple[CurveNumber, CurveNumber]] = Field(
        ...,
        min_length=2,
        description="[x, y] points with strictly increasing x, each number within ±1,000,000",
    )

    @field_validator("points")
    @classmethod
    def _increasing(cls, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        xs = [x for x, _ in points]
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("points must have strictly increasing x")
        return points


Curve = Annotated[
    LinearCurve
    | PolynomialCurve
    | LogisticCurve
    | LogitCurve
    | NormalCurve
    | SineCurve
    | StepCurve
    | PiecewiseCurve,
    Field(discriminator="type"),
]
CURVE_TYPES = ("linear", "polynomial", "logistic", "logit", "normal", "sine", "step", "piecewise")


class Momentum(Strict):
    """Commitment to the running action, declared in simulation time."""

    bonus: float = Field(
        0.0, ge=0, le=100, description="running action's score is multiplied by 1+bonus"
    )
    ticks: int = Field(
        0, ge=0, le=MAX_HOURS, description="hours after choosing during which the bonus holds"
    )


class Selector(Strict):
    """How a role turns scores into a choice."""

    kind: Literal["argmax", "top_n", "top_percent", "softmax"] = Field(
        "argmax", description="argmax | top_n | top_percent | softmax"
    )
    n: int = Field(3, ge=1, le=100, description="top_n: how many of the best to draw from")
    percent: float = Field(
        0.1, gt=0, le=1, description="top_percent: keep scores >= (1 - percent) * best"
    )
    temperature: float = Field(
        0.1, gt=0, le=MAX_WEIGHT, description="softmax: temperature (score units)"
    )


def _model_name(catalog: RoleCatalog, part: str) -> str:
    return f"{catalog.role.title().replace('_', '')}{part}"


def _trait_name(catalog: RoleCatalog) -> object:
    """The trait names this role's characters may have (a Literal; `str` if none)."""
    return Literal[tuple(catalog.traits)] if catalog.traits else str  # type: ignore[valid-type]


def _consideration_model(catalog: RoleCatalog) -> type[BaseModel]:
    inputs = tuple(catalog.inputs)
    TraitName = _trait_name(catalog)

    class Consideration(Strict):
        """input -> bookends in real units -> curve -> score in [0, 1]."""

        input: Literal[inputs]  # type: ignore[valid-type]
        low: float = Field(
            0.0,
            ge=-MAX_BOOKEND,
            le=MAX_BOOKEND,
            description="input value mapped to x = 0 (real units)",
        )
        high: float = Field(
            1.0,
            ge=-MAX_BOOKEND,
            le=MAX_BOOKEND,
            description="input value mapped to x = 1 (real units)",
        )
        curve: Curve = Field(default_factory=LinearCurve)
        bind: dict[str, TraitName] = Field(
            default_factory=dict,
            description="curve parameter -> trait: the parameter is multiplied by the trait",
        )

        @model_validator(mode="after")
        def _check(self) -> Consideration:
            if self.low == self.high:
                raise ValueError("low and high must differ (bookends of zero width)")
            curve_fields = set(type(self.curve).model_fields) - {"type", "invert", "points"}
            for param in sorted(self.bind):
                if param not in curve_fields:
                    allowed = ", ".join(sorted(curve_fields)) or "none"
                    raise ValueError(
                        f"bind names {param!r}, which is not a parameter of a "
                        f"{self.curve.type} curve (allowed: {allowed})"
                    )
            return self

    Consideration.__name__ = _model_name(catalog, "Consideration")
    return Consideration


def _action_model(catalog: RoleCatalog) -> type[BaseModel]:
    consideration = _consideration_model(catalog)
    TraitName = _trait_name(catalog)
    return create_model(
        _model_name(catalog, "Action"),
        __base__=Strict,
        weight=(
            float,
            Field(1.0, ge=0, le=MAX_WEIGHT, description="priority ceiling; 0 removes the action"),
        ),
        priority=(
            int,
            Field(
                0,
                ge=-MAX_PRIORITY,
                le=MAX_PRIORITY,
                description="argmax tie-break: higher wins equal scores",
            ),
        ),
        weight_trait=(
            TraitName | None,
            Field(None, description="trait that multiplies the weight per character"),
        ),
        considerations=(list[consideration], Field(default_factory=list)),  # type: ignore[valid-type]
    )


@cache
def role_model(catalog: RoleCatalog) -> type[BaseModel]:
    """The pydantic model of a role's spec: its action ids, inputs and traits are the catalog's."""
    action = _action_model(catalog)
    actions_model = create_model(
        _model_name(catalog, "Actions"),
        __base__=Strict,
        **{
            name: (action | None, Field(None, description=text))
            for name, text in catalog.actions.items()
        },
    )
    return create_model(
        _model_name(catalog, "Role"),
        __base__=Strict,
        think_every=(int, Field(1, ge=1, le=MAX_HOURS, description="hours between decisions")),
        selector=(Selector, Field(default_factory=Selector)),
        momentum=(Momentum, Field(default_factory=Momentum)),
        actions=(actions_model, Field(default_factory=actions_model)),
    )
