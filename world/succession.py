"""When the captain dies: the most loyal survivor aboard takes command with their own brain.

The fallen captain is kept for the record; the heir becomes a new Captain agent compiled from
the captain role and the heir's own traits. Whatever she held in the Heart is lost with her.
"""

from __future__ import annotations

from agents.brain import Brain
from agents.captain import Captain
from world.heart import HeartState


def promote_heir(model) -> Captain | None:
    """Hand command to the most loyal crew member aboard (Walt only if nobody else is left)."""
    fallen = model.captain
    model.fallen.append(fallen)
    model.heart = HeartState()
    survivors = sorted(
        model.crew_aboard(),
        key=lambda m: (m is model.walt, -m.traits["loyalty"], m.unique_id),
    )
    model.cast.remove(fallen)
    fallen.remove()
    if not survivors:
        return None
    heir = survivors[0]
    traits = model.config.characters[heir.name].traits()
    brain = Brain("captain", model.config.agents.captain, traits)
    captain = Captain(model, heir.name, heir.display_name, brain, traits)
    captain.health = heir.health
    if heir is model.walt:
        model.walt = None
        model.walt_in_command = True  # his access to the Heart comes with him
    model.crew.remove(heir)
    model.cast.remove(heir)
    heir.remove()
    model.cast.add(captain)
    model.captain = captain
    model.log(
        model.steps,
        "captain_promoted",
        (heir.display_name,),
        f"{heir.display_name} takes command of the USS Callister.",
    )
    return captain
