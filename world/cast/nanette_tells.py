"""What the real Nanette tells and is told: the crew's story, her leaks, her reports to the FBI.

Effects of her role (`world/cast/nanette.py`) that carry knowledge from one mind to another.
She tells the press or the FBI each fact she believes once: a listener already told is not
told again, so speaking out cannot become an every-hour loop.
"""

from __future__ import annotations

from world.realworld import leak
from world.whereabouts import crew_aboard

# What she can tell the press or the FBI, and how the story puts it.
TELLABLE: dict[str, str] = {
    "clones_are_real": "the bandits are Daly's clones, alive in the game",
    "walton_attacked_crew": "Walton logged in and shot at them",
    "walton_threatened": "Walton threatened her",
}


def talk_to_crew(model, nanette) -> None:
    """She asks what has happened; whoever aboard saw Walton shoot tells her."""
    tick = model.steps
    nanette.talked_at = tick
    captain = model.captain
    captain_here = [] if model.heart.captain_inside or not captain.alive else [captain]
    tellers = [
        p for p in [*captain_here, *crew_aboard(model)] if p.beliefs.holds("walton_attacked_crew")
    ]
    if not tellers:
        model.events.add(
            tick,
            "talked_to_crew",
            (nanette.display_name,),
            "The real Nanette asks the crew what has happened; nothing she does not know.",
        )
        return
    teller = tellers[0]  # the captain first: she speaks for her crew
    nanette.beliefs.learn("walton_attacked_crew", True, tick, "told", source=teller.display_name)
    model.events.add(
        tick,
        "told_of_attack",
        (teller.display_name, nanette.display_name),
        f"The real Nanette asks the crew what happened; {teller.display_name} tells her "
        "Walton came aboard and opened fire on them.",
    )


def _tell(nanette, told: list[str]) -> list[str]:
    """The facts she tells now (all she has not told this listener), recorded as told."""
    facts = nanette.untold(told)
    told.extend(facts)
    return facts


def leak_to_press(model, nanette) -> None:
    facts = _tell(nanette, nanette.leaked)
    if not facts:
        return
    real, settings = model.realworld, model.config.realworld
    leak(model, settings.leak_effect * len(facts))
    real.add_risk(settings.risk_per_disclosure)
    model.events.add(
        model.steps,
        "nanette_leaked",
        (nanette.display_name, "Kris El Masry"),
        "The real Nanette tells the journalist Kris El Masry that "
        + "; that ".join(TELLABLE[fact] for fact in facts)
        + ".",
    )


def report_to_fbi(model, nanette) -> None:
    facts = _tell(nanette, nanette.reported)
    if not facts:
        return
    real = model.realworld
    real.record("tips", len(facts))
    real.add_risk(model.config.real_nanette.fbi_report_risk * len(facts))
    model.events.add(
        model.steps,
        "fbi_tipped",
        (nanette.display_name, "the FBI"),
        "The real Nanette goes to the FBI: " + "; ".join(TELLABLE[f] for f in facts) + ".",
    )
