"""The real Nanette Cole at Callister Inc.: from complaint logs to the truth, and what it costs."""

from __future__ import annotations

from typing import ClassVar

from agents.catalog import RoleCatalog
from world.cast.character import Character, effect_of
from world.cast.visitors import meet_the_crew
from world.cast.vocabulary import SHARED_INPUTS, TRAITS
from world.realworld import leak
from world.whereabouts import ship_in_space

CATALOG = RoleCatalog(
    role="nanette",
    summary="The real Nanette Cole at Callister Inc.: investigates, confides, goes in, quits.",
    actions={
        "work": "do her job",
        "investigate": "dig through complaint logs and videos",
        "confide_in_walton": "tell Walton the bandits are clones",
        "enter_game": "log in and go to the crew",
        "help_clones": "help the clones from outside or inside",
        "quit": "quit Callister Inc. and confront Walton",
    },
    inputs={
        "complaints_today": SHARED_INPUTS["complaints_today"],
        "log_access": "1 once the real Nanette has access to the complaint logs, else 0",
        "evidence": "her investigation's progress towards proof that the bandits are clones (0-1)",
        "clones_discovered": "1 once she knows the bandits are clones, else 0",
        "told_walton": "1 once she has confided in Walton, else 0",
        "trust_in_walton": "how far she still trusts Walton (0-1)",
        "saw_attack": "1 if she has seen Walton attack the clones, else 0",
        "in_game": "1 while her avatar is logged in, else 0",
        "with_crew": "1 if her avatar is on the ship's planet, else 0",
        "quit": "1 once she has quit Callister Inc., else 0",
        "press_pressure": SHARED_INPUTS["press_pressure"],
    },
    traits=TRAITS,
)


class RealNanette(Character):
    role = "nanette"
    belief_inputs: ClassVar[dict[str, str]] = {
        "clones_discovered": "clones_are_real",
        "saw_attack": "walton_attacked_crew",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.in_game = False
        self.trust_in_walton = 0.6
        self.told_walton = False
        self.quit = False

    def sense(self) -> dict[str, float]:
        real = self.model.realworld
        return {
            "complaints_today": float(self.model.population.complaints_today),
            "log_access": float(real.log_access),
            "evidence": real.evidence,
            "clones_discovered": float(self.beliefs.holds("clones_are_real")),
            "told_walton": float(self.told_walton),
            "trust_in_walton": self.trust_in_walton,
            "saw_attack": float(self.beliefs.holds("walton_attacked_crew")),
            "in_game": float(self.in_game),
            "with_crew": float(self.in_game),
            "quit": float(self.quit),
            "press_pressure": real.journalist_progress,
        }

    def is_due(self, tick: int) -> bool:
        return self.model.realworld.nanette_state == "well" and super().is_due(tick)

    def available(self) -> list[str]:
        knows_clones = self.beliefs.holds("clones_are_real")
        options = []
        if not self.quit:
            options += ["work", "quit"]
            if not knows_clones:
                options.append("investigate")
        if knows_clones:
            options.append("help_clones")
            if not self.told_walton and not self.quit:
                options.append("confide_in_walton")
            if not self.in_game and not self.quit and ship_in_space(self.model):
                options.append("enter_game")
        return options


CHARACTER = RealNanette  # the Mesa agent class of this role's named characters


def resolve(model) -> None:
    """What the real Nanette chose, on the hours she decides (and while she is well)."""
    nanette = model.nanette
    if model.realworld.nanette_state != "well" or not nanette.is_due(model.steps):
        return
    if nanette.intent is not None:
        effect_of(EFFECTS, CATALOG.role, nanette.intent)(model, nanette)


# ---------------------------------------------------------------------- effects
def _work(model, nanette) -> None:
    """A day's work at Callister Inc. rebuilds a little of her trust in Walton."""
    nanette.trust_in_walton = min(1.0, nanette.trust_in_walton + 0.002)


def _investigate(model, nanette) -> None:
    real, settings = model.realworld, model.config.realworld
    if real.clones_discovered:
        return
    access = 1.0 if real.log_access else 0.25
    real.evidence = min(
        1.0, real.evidence + settings.investigate_rate * access * nanette.traits["curiosity"]
    )
    if real.evidence >= 1.0:
        real.clones_discovered = True  # the evidence now exists, in her hands
        nanette.beliefs.learn("clones_are_real", True, model.steps, "logs")
        real.add_risk(settings.risk_per_disclosure)
        model.events.add(
            model.steps,
            "clones_discovered",
            (nanette.display_name,),
            "In a robbed gamer's video the real Nanette sees her own face: the "
            "bandits are Daly's clones, loose in Infinity.",
        )


def _confide_in_walton(model, nanette) -> None:
    real = model.realworld
    nanette.told_walton = True
    model.walton.beliefs.learn(
        "clones_are_real", True, model.steps, "told", source=nanette.display_name
    )
    real.add_risk(model.config.realworld.risk_per_disclosure)
    model.events.add(
        model.steps,
        "confided",
        (nanette.display_name, model.walton.display_name),
        "The real Nanette tells Walton everything: Daly, the DNA, the clones.",
    )


def _enter_game(model, nanette) -> None:
    if model.galaxy.alive:
        nanette.in_game = True
        meet_the_crew(model, nanette)


def _help_clones(model, nanette) -> None:
    """Inside, credits and shields for the ship; outside, a leak to the press."""
    settings = model.config.realworld
    if nanette.in_game and ship_in_space(model):
        model.ship.credits += settings.help_credits
        model.ship.shields = 100.0
    else:
        leak(model, settings.leak_effect)
        model.realworld.add_risk(settings.risk_per_disclosure)


def _quit(model, nanette) -> None:
    real, settings, tick = model.realworld, model.config.realworld, model.steps
    nanette.quit = True
    nanette.in_game = False
    model.events.add(
        tick,
        "nanette_quit",
        (nanette.display_name, model.walton.display_name),
        "The real Nanette confronts Walton and quits.",
    )
    rowed = model.walton.beliefs.holds("clones_are_real")  # a row with a Walton who knows
    if rowed and model.rng.random() < settings.accident_chance:
        real.nanette_state = "coma"
        real.add_risk(settings.risk_per_accident)
        model.events.add(
            tick,
            "nanette_coma",
            (nanette.display_name,),
            "Crossing the road after the row, the real Nanette is hit by a car; she is in a coma.",
        )


EFFECTS = {
    "work": _work,
    "investigate": _investigate,
    "confide_in_walton": _confide_in_walton,
    "enter_game": _enter_game,
    "help_clones": _help_clones,
    "quit": _quit,
}
