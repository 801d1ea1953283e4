"""The schema of the real Nanette's world: her investigation, her report, and the road outside."""

from __future__ import annotations

from pydantic import Field

from agents.spec import Strict
from configuration.limits import MAX_CREDITS


class RealNanetteRules(Strict):
    """The real Nanette's own rates, and the accident hazard on her way home."""

    investigate_without_logs: float = Field(
        0.25,
        ge=0,
        le=1,
        description="share of the investigation rate she keeps without Kabir's logs (0-1)",
    )
    help_shields: float = Field(
        100.0,
        ge=0,
        le=100,
        description="shields (percent points) she restores to the ship with each help from inside",
    )
    credits_enough: float = Field(
        150.0,
        gt=0,
        le=MAX_CREDITS,
        description="credits at which she judges the ship lacks none (her ship_need input)",
    )
    fbi_report_risk: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Walton's legal risk added by each fact she reports to the FBI (0-1)",
    )
    accident_base_rate: float = Field(
        0.00002,
        ge=0,
        le=1,
        description="hourly chance she is hit by a car on an ordinary hour out of the game",
    )
    accident_after_row: float = Field(
        0.15,
        ge=0,
        le=1,
        description="hourly chance added right after a row with Walton (fades by half-life)",
    )
    accident_row_half_life: float = Field(
        4.0,
        gt=0,
        le=10_000,
        description="hours for the row's added chance to fall by half",
    )
    accident_when_afraid: float = Field(
        0.0005,
        ge=0,
        le=1,
        description="hourly chance added while she believes Walton threatened her (x her fear)",
    )
    accident_lying_low: float = Field(
        0.5,
        ge=0,
        le=1,
        description="multiplier of the hourly chance while she lies low at home (0-1)",
    )
