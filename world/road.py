"""The road outside Callister Inc.: any hour, the real Nanette may be hit by a car.

A world rule, not anyone's choice: each hour she is well, a small base hazard, raised while she
is shaken by a row with Walton (fading with a half-life) and while she is afraid of him,
lowered while she lies low at home. The coma it causes is what opens the red and blue disks
in the Heart.
"""

from __future__ import annotations

# The hours since a row, when there has been none.
NO_ROW = float("inf")


ORDINARY = "lost in thought"  # the road's own hazard, with nobody to blame


def hazard_parts(rules, hours_since_row: float, afraid: bool, fear: float) -> dict[str, float]:
    """Her hourly chance of being hit, by cause: the ordinary road, a recent row, her fear."""
    row = 0.0
    if hours_since_row != NO_ROW:
        row = rules.accident_after_row * 0.5 ** (hours_since_row / rules.accident_row_half_life)
    return {
        ORDINARY: rules.accident_base_rate,
        "shaken after her row with Walton": row,
        "looking over her shoulder since Walton's threat": (
            rules.accident_when_afraid * fear if afraid else 0.0
        ),
    }


def accident_rate(
    rules, hours_since_row: float, afraid: bool, fear: float, lying_low: bool
) -> float:
    """Her hourly chance of being hit, from how recently she rowed with Walton and her fear."""
    rate = sum(hazard_parts(rules, hours_since_row, afraid, fear).values())
    if lying_low:
        rate *= rules.accident_lying_low
    return min(1.0, rate)


def hours_since_row(model, nanette) -> float:
    """Hours since her last row with Walton: her quitting, or his threat as she learned it."""
    rows = [nanette.last_row_at] if nanette.last_row_at is not None else []
    threat = nanette.beliefs.about("walton_threatened")
    if threat is not None and threat.value:
        rows.append(threat.tick)
    return float(model.steps - max(rows)) if rows else NO_ROW


def cross_the_road(model) -> None:
    """One hour of the hazard, while she is well."""
    real, nanette = model.realworld, model.nanette
    if real.nanette_state != "well":
        return
    since = hours_since_row(model, nanette)
    afraid, fear = nanette.beliefs.holds("walton_threatened"), nanette.traits["fear"]
    rules = model.config.real_nanette
    rate = accident_rate(rules, since, afraid, fear, lying_low=nanette.intent == "rest")
    if rate <= 0 or model.rng.random() >= rate:
        return
    real.nanette_state = "coma"
    nanette.in_game = False
    parts = hazard_parts(rules, since, afraid, fear)
    why = max(parts, key=parts.get)  # the cause that weighed most this hour
    if why != ORDINARY:  # Walton's row or threat weighed most: it counts against him
        real.record("accident")
        real.add_risk(model.config.realworld.risk_per_accident)
    model.events.add(
        model.steps,
        "nanette_coma",
        (nanette.display_name,),
        f"Crossing the road, {why}, the real Nanette is hit by a car; she is in a coma.",
    )
