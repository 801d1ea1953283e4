"""Wounds, deaths and the chain of command: what happens when a clone is hurt.

Clones bleed and die for real. When the captain dies, the most loyal survivor aboard takes
command with a brain of their own: a new captain compiled from the captain's role and the
heir's own traits. Whatever she held in the Heart is lost with her.
"""

from __future__ import annotations

from agents.brain import Brain
from world.heart import HeartState
from world.whereabouts import crew_aboard


def wound(model, person, damage: float, cause: str) -> bool:
    """Hurt a clone; a death is logged, and a captain's death hands on the command."""
    killed = person.wound(damage)
    if killed:
        model.crew_losses += 1
        model.events.add(
            model.steps,
            "crew_death",
            (person.display_name,),
            f"{person.display_name} dies of {cause}. Clones bleed, and die, for real.",
        )
        if person is model.captain:
            promote_heir(model)
    return killed


def destroy_ship(model) -> None:
    """The USS Callister breaks apart with everyone aboard (a captain in the Heart lives on)."""
    aboard = [*crew_aboard(model), model.captain]
    model.ship.destroyed = True
    for person in aboard:
        if person.alive and not (person is model.captain and model.heart.captain_inside):
            person.alive = False
            model.crew_losses += 1
            model.events.add(
                model.steps,
                "crew_death",
                (person.display_name,),
                f"{person.display_name} dies as the USS Callister breaks apart.",
            )


def promote_heir(model):
    """Hand command to the most loyal crew member aboard (Walt only if nobody else is left)."""
    fallen = model.captain
    model.fallen.append(fallen)
    model.heart = HeartState()
    survivors = sorted(
        crew_aboard(model),
        key=lambda m: (m is model.walt, -m.traits["loyalty"], m.unique_id),
    )
    model.cast.remove(fallen)
    fallen.remove()
    if not survivors:
        return None
    heir = survivors[0]
    traits = model.config.characters[heir.name].traits()
    brain = Brain(fallen.brain.compiled.catalog, getattr(model.config.agents, fallen.role), traits)
    # The heir is a captain of the fallen one's kind: this module need not import the role.
    captain = type(fallen)(model, heir.name, heir.display_name, brain, traits)
    captain.health = heir.health
    captain.beliefs = heir.beliefs  # what the heir knew, the new captain knows
    if heir is model.walt:
        model.walt = None
        model.walt_in_command = True  # his access to the Heart comes with him
    model.crew.remove(heir)
    model.cast.remove(heir)
    heir.remove()
    model.cast.add(captain)
    model.captain = captain
    model.events.add(
        model.steps,
        "captain_promoted",
        (heir.display_name,),
        f"{heir.display_name} takes command of the USS Callister.",
    )
    return captain
