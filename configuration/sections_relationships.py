"""The schema of how characters feel about each other: where trust starts, what moves it."""

from __future__ import annotations

from pydantic import Field, create_model

from agents.spec import Strict
from world.cast.vocabulary import FEELING_CAUSES as CAUSES


class FeelingChange(Strict):
    """How one kind of event changes the feelings of the one it happened to."""

    trust: float = Field(0.0, ge=-1, le=1, description="change of trust in the other (-1..1)")
    grievance: float = Field(
        0.0, ge=-1, le=1, description="change of grievance against the other (-1..1)"
    )


def _changes_model() -> type[Strict]:
    return create_model(
        "FeelingChanges",
        __base__=Strict,
        **{
            cause: (
                FeelingChange,
                Field(
                    default_factory=lambda t=trust, g=grievance: FeelingChange(
                        trust=t, grievance=g
                    ),
                    description=meaning,
                ),
            )
            for cause, (meaning, trust, grievance) in CAUSES.items()
        },
    )


FeelingChanges = _changes_model()


class RelationshipRules(Strict):
    """Per-pair trust and grievance: where they start and how each kind of event moves them."""

    trust_start: float = Field(
        0.5, ge=0, le=1, description="trust of every character in every other at the start (0-1)"
    )
    grievance_start: float = Field(
        0.0, ge=0, le=1, description="grievance of every character against every other at the start"
    )
    changes: FeelingChanges = Field(  # type: ignore[valid-type]
        default_factory=FeelingChanges,
        description="by kind of event: how it changes trust and grievance",
    )
