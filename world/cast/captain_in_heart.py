"""The captain's choices in the Heart of Infinity: Daly's disks, his copy, the fight.

Daly moves first each hour (he holds the keyboard, `world.cast.daly`); her answer follows.
"""

from __future__ import annotations

from world.heart import DISK_TEXT


def accept(disk: str):
    """The effect of accepting Daly's `disk`."""

    def accept(model, aboard) -> None:
        heart, captain = model.heart, model.captain
        heart.disk_in_hand = disk
        heart.noble_choice = heart.noble_choice or disk == "green"
        model.events.add(
            model.steps,
            "disk_accepted",
            (captain.display_name, model.daly.display_name),
            f"{captain.display_name} takes the {disk} disk: {DISK_TEXT[disk]}.",
        )

    accept.__doc__ = f"Take Daly's {disk} disk: {DISK_TEXT[disk]}."
    return accept


def refuse_copy(model, aboard) -> None:
    setback = model.config.world.refuse_copy_setback
    model.heart.copy_progress = max(0.0, model.heart.copy_progress - setback)
    model.events.add(
        model.steps,
        "copy_refused",
        (model.captain.display_name,),
        f"{model.captain.display_name} refuses to let Daly keep a copy of her.",
    )


def fight_daly(model, aboard) -> None:
    captain, daly, heart = model.captain, model.daly, model.heart
    if not daly.alive:
        return
    who = (captain.display_name, daly.display_name)
    strike = (
        model.config.combat.captain_strike
        * captain.traits["boldness"]
        * float(model.rng.uniform(0.5, 1.5))
    )
    if daly.wound(strike):
        heart.daly_copying = False
        model.events.add(
            model.steps,
            "daly_killed",
            who,
            f"{captain.display_name} throws the Bargradian cutlass: Daly is dead. "
            "The kill switch fires.",
        )
        model.collapse_at = model.steps + model.config.world.collapse_delay
    else:
        model.events.add(
            model.steps,
            "daly_fight",
            who,
            f"{captain.display_name} fights Daly in his garage (Daly at {daly.health:.0f} health).",
        )


def load_disk(model, aboard) -> None:
    captain, daly, heart, tick = model.captain, model.daly, model.heart, model.steps
    disk = heart.disk_in_hand
    if disk is None or not heart.disk_usable(disk, model.realworld.nanette_state):
        return  # nothing in hand, or her body is no longer there to go back to
    if daly.alive and (heart.daly_copying or heart.offer_made_now):
        return  # Daly's hand is on the keyboard this hour
    if not daly.alive and model.rng.random() >= model.config.world.disk_search_chance:
        model.events.add(
            tick,
            "disk_search",
            (captain.display_name,),
            f"The garage is coming apart; {captain.display_name} scrambles among "
            "Daly's floppy disks for the right one.",
        )
        return
    model.story.disk_loaded = disk
    model.events.add(
        tick,
        "disk_loaded",
        (captain.display_name,),
        f"{captain.display_name} loads the {disk} disk and hits enter: {DISK_TEXT[disk]}.",
    )
