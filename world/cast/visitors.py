"""Logging into Infinity from the real world: the first time a visitor meets the crew."""

from __future__ import annotations

from world.whereabouts import ship_in_space


def meet_the_crew(model, visitor) -> None:
    """A real person's avatar comes face to face with the clones (once per visitor).

    Meeting them tells the visitor nothing by itself: what the crew went through, she learns
    only by asking (the real Nanette's `talk_to_crew`) or by seeing it.
    """
    if ship_in_space(model) and not getattr(visitor, "met_crew", False):
        visitor.met_crew = True
        model.events.add(
            model.steps,
            "real_visit",
            (visitor.display_name, model.captain.display_name),
            f"The real {visitor.display_name} logs into Infinity and comes face to face "
            "with the clones aboard the USS Callister.",
        )
