"""The captain and her crew: who refuses a risky order, and a captain who listens.

Every member who defies a risky order refuses it (once per order) and is heard in the story;
a refusal vents the refuser's grievance and stings the captain. Whether the ship carries the
order out is still a majority's call. A captain who chooses a safe order in the hour after
members objected has listened to them, and they feel it.
"""

from __future__ import annotations

RISKY_ORDERS = frozenset({"rob_player", "fight"})  # the crew may refuse these


def hear_the_crew(model, aboard: list) -> str | None:
    """The order the ship carries out this hour, once the crew has had its say."""
    captain, tick = model.captain, model.steps
    order = captain.intent
    _heard_objections(model, order)
    if order not in RISKY_ORDERS:
        return order
    defiant = [m for m in aboard if m.intent == "defy"]
    captain.objectors, captain.objected_at = [m.name for m in defiant], tick
    for member in defiant:
        spell = (captain.name, captain.intent_since)  # one refusal per order, not per hour
        if member.refused != spell:
            member.refused = spell
            _refuse(model, member, order)
    if aboard and len(defiant) * 2 > len(aboard):
        model.events.add(
            tick,
            "crew_defied",
            tuple(m.display_name for m in defiant),
            f"Most of the crew refuses {captain.display_name}'s order to "
            f"{order.replace('_', ' ')}: the ship lies low instead.",
        )
        return "hide"
    return order


def _refuse(model, member, order: str) -> None:
    captain, tick, feelings = model.captain, model.steps, model.relationships
    distrust = feelings.trust(member.name, captain.name) < model.config.relationships.trust_start
    why = "no longer trusts the captain's judgement" if distrust else "has had enough of it"
    feelings.feel(captain.name, member.name, "refused_me", tick)
    feelings.feel(member.name, captain.name, "stood_up_to", tick)  # saying no vents
    model.events.add(
        tick,
        "order_refused",
        (member.display_name, captain.display_name),
        f"{member.display_name} refuses {captain.display_name}'s order to "
        f"{order.replace('_', ' ')}: {member.display_name} {why}.",
    )


def _heard_objections(model, order: str | None) -> None:
    """Objectors of the last hour feel listened to if her new order is a safe one."""
    captain, tick = model.captain, model.steps
    if captain.objected_at == tick - 1 and order not in RISKY_ORDERS:
        for member in model.crew:
            if member.alive and member.name in captain.objectors:
                model.relationships.feel(member.name, captain.name, "listened_to_me", tick)
    if captain.objected_at < tick:
        captain.objectors = []
