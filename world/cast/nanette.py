"""The real Nanette Cole at Callister Inc.: from complaint logs to the truth, and what it costs."""

from __future__ import annotations

from typing import ClassVar

from agents.catalog import RoleCatalog
from world.cast.character import Character, effect_of
from world.cast.nanette_tells import TELLABLE, leak_to_press, report_to_fbi, talk_to_crew
from world.cast.visitors import meet_the_crew
from world.cast.vocabulary import SHARED_INPUTS, TRAITS
from world.whereabouts import ship_in_space

CATALOG = RoleCatalog(
    role="nanette",
    summary="The real Nanette Cole at Callister Inc.: investigates, confides, goes in, speaks out.",
    actions={
        "work": "do her job",
        "investigate": "dig through complaint logs and videos",
        "offer_help": "offer Walton her help with the bandit complaints",
        "confide_in_walton": "tell Walton the bandits are clones",
        "enter_game": "log in and go to the crew",
        "talk_to_crew": "ask the crew what has happened to them",
        "help_clones": "grant the ship credits and shields from inside (while she has her job)",
        "leak_to_press": "tell the journalist what she knows and has not told yet",
        "report_to_fbi": "take what she knows and has not reported yet to the FBI",
        "stop_walton": "pull the Nubbin from Walton's temple: out of the game",
        "quit": "quit Callister Inc. and confront Walton",
        "rest": "lie low at home, logged out",
    },
    inputs={
        "complaints_today": SHARED_INPUTS["complaints_today"],
        "log_access": "1 once the real Nanette has access to the complaint logs, else 0",
        "evidence": "her investigation's progress towards proof that the bandits are clones (0-1)",
        "clones_discovered": "1 once she knows the bandits are clones, else 0",
        "offered_help": "1 once she has offered Walton her help, else 0",
        "told_walton": "1 once she has confided in Walton, else 0",
        "trust_in_walton": "how far she trusts Walton (0-1, her relationship to him)",
        "grievance_against_walton": "how much she resents Walton (0-1, her relationship to him)",
        "walton_threatened": "1 if she believes Walton has threatened her, else 0",
        "saw_attack": "1 if she knows Walton has attacked the clones, else 0",
        "walton_in_game": "1 if she is at the office and sees Walton logged in at his rig, else 0",
        "in_game": "1 while her avatar is logged in, else 0",
        "with_crew": "1 if her avatar is with the ship in space, else 0",
        "ship_need": "the ship's need as she sees it aboard: the larger of its missing shields "
        "(share of 100) and its credits short of [real_nanette] credits_enough (0-1; 0 away)",
        "hours_since_talk": "hours since she last asked the crew what happened (hours)",
        "unleaked": "facts she believes and has not yet leaked to the press (facts)",
        "unreported": "facts she believes and has not yet reported to the FBI (facts)",
        "quit": "1 once she has quit Callister Inc., else 0",
        "press_pressure": SHARED_INPUTS["press_pressure"],
    },
    traits=TRAITS,
)

NEVER = 10_000  # hours_since_talk before she has ever talked to the crew


def _ship_need(ship, credits_enough: float) -> float:
    """How badly the ship needs her help: its missing shields or its missing credits (0-1)."""
    short = max(0.0, credits_enough - ship.credits) / credits_enough
    return max(short, (100.0 - ship.shields) / 100.0)


class RealNanette(Character):
    role = "nanette"
    belief_inputs: ClassVar[dict[str, str]] = {
        "clones_discovered": "clones_are_real",
        "saw_attack": "walton_attacked_crew",
        "walton_threatened": "walton_threatened",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.in_game = False
        self.told_walton = False
        self.offered_help = False
        self.quit = False
        self.last_row_at: int | None = None  # the hour of her last row with Walton
        self.talked_at: int | None = None  # the hour she last asked the crew what happened
        self.leaked: list[str] = []  # facts she has told the press, in order
        self.reported: list[str] = []  # facts she has told the FBI, in order

    def untold(self, told: list[str]) -> list[str]:
        """Facts she believes that are not in `told` (what she still has to say)."""
        return [fact for fact in TELLABLE if self.beliefs.holds(fact) and fact not in told]

    def sense(self) -> dict[str, float]:
        model = self.model
        real, feelings, walton = model.realworld, model.relationships, model.walton
        with_crew = self.in_game and ship_in_space(model)
        talked = NEVER if self.talked_at is None else min(NEVER, model.steps - self.talked_at)
        return {
            "complaints_today": float(model.population.complaints_today),
            "log_access": float(real.log_access),
            "evidence": real.evidence,
            "clones_discovered": float(self.beliefs.holds("clones_are_real")),
            "offered_help": float(self.offered_help),
            "told_walton": float(self.told_walton),
            "trust_in_walton": feelings.trust(self.name, walton.name),
            "grievance_against_walton": feelings.grievance(self.name, walton.name),
            "walton_threatened": float(self.beliefs.holds("walton_threatened")),
            "saw_attack": float(self.beliefs.holds("walton_attacked_crew")),
            "walton_in_game": float(walton.in_game and not self.quit),
            "in_game": float(self.in_game),
            "with_crew": float(with_crew),
            "ship_need": _ship_need(model.ship, model.config.real_nanette.credits_enough)
            if with_crew
            else 0.0,
            "hours_since_talk": float(talked),
            "unleaked": float(len(self.untold(self.leaked))),
            "unreported": float(len(self.untold(self.reported))),
            "quit": float(self.quit),
            "press_pressure": real.journalist_progress,
        }

    def is_due(self, tick: int) -> bool:
        return self.model.realworld.nanette_state == "well" and super().is_due(tick)

    def available(self) -> list[str]:
        model = self.model
        knows_clones = self.beliefs.holds("clones_are_real")
        knows_attack = self.beliefs.holds("walton_attacked_crew")
        at_ship = self.in_game and ship_in_space(model)
        options = []
        if self.quit:
            options.append("rest")
        else:
            options += ["work", "quit"]
            if not knows_clones:
                options.append("investigate")
            if not self.offered_help and not model.realworld.log_access:
                options.append("offer_help")
            if knows_clones and not self.told_walton:
                options.append("confide_in_walton")
            if knows_attack and model.walton.in_game:  # at the office, beside his rig
                options.append("stop_walton")
        if knows_clones and not self.in_game and ship_in_space(model):
            options.append("enter_game")  # from the office, or from home once she has quit
        if at_ship:
            if not self.quit:  # her developer access goes with her job
                options.append("help_clones")
            if not knows_attack:  # once she knows what he did, asking adds nothing
                options.append("talk_to_crew")
        if self.untold(self.leaked):
            options.append("leak_to_press")
        if self.untold(self.reported):
            options.append("report_to_fbi")
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
    model.relationships.feel(nanette.name, model.walton.name, "worked_beside_me", model.steps)


def _investigate(model, nanette) -> None:
    real, settings = model.realworld, model.config.realworld
    if real.clones_discovered:
        return
    access = 1.0 if real.log_access else model.config.real_nanette.investigate_without_logs
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


def _offer_help(model, nanette) -> None:
    """She asks to help with the bandit complaints; whether he grants the logs is his choice."""
    walton = model.walton
    nanette.offered_help = True
    walton.beliefs.learn(
        "nanette_offered_help", True, model.steps, "told", source=nanette.display_name
    )
    model.events.add(
        model.steps,
        "help_offered",
        (nanette.display_name, walton.display_name),
        "The real Nanette offers Walton her help with the bandit complaints.",
    )


def _confide_in_walton(model, nanette) -> None:
    real, walton = model.realworld, model.walton
    nanette.told_walton = True
    walton.beliefs.learn("clones_are_real", True, model.steps, "told", source=nanette.display_name)
    model.relationships.feel(walton.name, nanette.name, "confided_in_me", model.steps)
    real.add_risk(model.config.realworld.risk_per_disclosure)
    model.events.add(
        model.steps,
        "confided",
        (nanette.display_name, walton.display_name),
        "The real Nanette trusts Walton with everything: Daly, the DNA, the clones.",
    )


def _enter_game(model, nanette) -> None:
    if model.galaxy.alive:
        nanette.in_game = True
        meet_the_crew(model, nanette)


def _help_clones(model, nanette) -> None:
    """From inside the game: credits and some shields for the ship."""
    if nanette.in_game and ship_in_space(model):
        ship = model.ship
        ship.credits += model.config.realworld.help_credits
        ship.shields = min(100.0, ship.shields + model.config.real_nanette.help_shields)


def _stop_walton(model, nanette) -> None:
    """The Nubbin: she pulls Walton out of the game, and he will not forgive it."""
    walton, tick = model.walton, model.steps
    if not walton.in_game:
        return
    walton.in_game = False
    walton.logged_out_at = tick  # his relog clock starts again
    nanette.in_game = False  # she takes off her own headset to reach his
    model.relationships.feel(walton.name, nanette.name, "betrayed_me", tick)
    model.events.add(
        tick,
        "walton_pulled_out",
        (nanette.display_name, walton.display_name),
        "Knowing what he did to the crew, the real Nanette pulls the Nubbin from Walton's "
        "temple: his avatar vanishes from the ship.",
    )


def _quit(model, nanette) -> None:
    tick, walton = model.steps, model.walton
    nanette.quit = True
    nanette.in_game = False
    nanette.last_row_at = tick  # she confronts him: a row (the road is riskier for a while)
    model.relationships.feel(walton.name, nanette.name, "betrayed_me", tick)
    if nanette.beliefs.holds("walton_attacked_crew"):
        why = "Knowing he shot at the crew"
    elif nanette.told_walton:
        why = "Having told him everything about the clones"
    else:
        why = "Sick of what Callister Inc. has become"
    model.events.add(
        tick,
        "nanette_quit",
        (nanette.display_name, walton.display_name),
        f"{why}, the real Nanette confronts Walton and quits.",
    )


def _rest(model, nanette) -> None:
    """She lies low at home, logged out (the road reads this: she goes out less)."""
    nanette.in_game = False


EFFECTS = {
    "work": _work,
    "investigate": _investigate,
    "offer_help": _offer_help,
    "confide_in_walton": _confide_in_walton,
    "enter_game": _enter_game,
    "talk_to_crew": talk_to_crew,
    "help_clones": _help_clones,
    "leak_to_press": leak_to_press,
    "report_to_fbi": report_to_fbi,
    "stop_walton": _stop_walton,
    "quit": _quit,
    "rest": _rest,
}
