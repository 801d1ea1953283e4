"""The real James Walton, CEO of Callister Inc.: money first, then his own skin.

He sets prices, faces the press, covers up, and can log in as an avatar to shoot the clones
or send every robbed player at them.
"""

from __future__ import annotations

from typing import ClassVar

from agents.catalog import RoleCatalog
from world.cast.casualties import wound
from world.cast.character import Character, effect_of
from world.cast.visitors import meet_the_crew
from world.cast.vocabulary import SHARED_INPUTS, TRAITS
from world.whereabouts import crew_aboard, heart_access, ship_in_space

CATALOG = RoleCatalog(
    role="walton",
    summary="The real James Walton, CEO of Callister Inc.: prices, the press, the clones.",
    actions={
        "raise_prices": "raise the price index",
        "hold_prices": "leave prices as they are",
        "stonewall_press": "stonewall the journalist",
        "cover_up": "destroy evidence of the clones",
        "enter_game": "log in as an avatar and go to the ship",
        "attack_crew": "shoot the clones",
        "invite_party": "invite every robbed player to the ship",
        "exit_game": "log out",
    },
    inputs={
        "revenue": "company revenue over the last day (credits per hour)",
        "revenue_change": "relative change of revenue against the previous day (-1..1)",
        "churn": "players lost over the last day as a share of all players (0-1)",
        "price_index": SHARED_INPUTS["price_index"],
        "legal_risk": "chance-like measure of the law catching up with Walton (0-1)",
        "press_pressure": SHARED_INPUTS["press_pressure"],
        "knows_clones": "1 once the real Nanette has told Walton the bandits are clones, else 0",
        "in_game": "1 while Walton's avatar is logged in, else 0",
        "at_ship": "1 if Walton's avatar is on the ship's planet, else 0",
        "robbed_players": "players the crew has ever robbed (players)",
        "heart_threat": "how near the crew is to the Heart: 1 with Walt aboard, else by hops (0-1)",
        "avatar_health": "health of Walton's avatar (0-100)",
        "complaints_today": SHARED_INPUTS["complaints_today"],
        "crew_alive": SHARED_INPUTS["crew_alive"],
    },
    traits=TRAITS,
)


class Walton(Character):
    role = "walton"
    belief_inputs: ClassVar[dict[str, str]] = {"knows_clones": "clones_are_real"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.in_game = False
        self.avatar_health = 0.0
        self.logged_out_at = -(10**9)
        self.free = True  # False once arrested

    def sense(self) -> dict[str, float]:
        model = self.model
        population, real = model.population, model.realworld
        return {
            "revenue": population.revenue_last_day / 24.0,
            "revenue_change": population.revenue_change,
            "churn": population.churn_today,
            "price_index": model.price_index,
            "legal_risk": real.legal_risk,
            "press_pressure": real.journalist_progress,
            "knows_clones": float(self.beliefs.holds("clones_are_real")),
            "in_game": float(self.in_game),
            "at_ship": float(self.in_game and ship_in_space(model)),
            "robbed_players": float(model.story.robbed_total),
            "heart_threat": _heart_threat(model),
            "avatar_health": self.avatar_health,
            "complaints_today": float(population.complaints_today),
            "crew_alive": float(len(crew_aboard(model))),
        }

    def is_due(self, tick: int) -> bool:
        return self.free and super().is_due(tick)

    def available(self) -> list[str]:
        model = self.model
        options = ["hold_prices"]
        if model.galaxy.alive and model.price_index < model.config.economy.price_index_max:
            options.append("raise_prices")
        if model.realworld.journalist_progress > 0:
            options.append("stonewall_press")
        if self.beliefs.holds("clones_are_real"):
            options.append("cover_up")
            relogged = model.steps - self.logged_out_at >= model.config.combat.walton_relogin_hours
            if not self.in_game and ship_in_space(model) and relogged:
                options.append("enter_game")
        if self.in_game:
            options.append("exit_game")
            if ship_in_space(model):  # the clones are still out there to be hunted
                options.append("attack_crew")
                if model.story.robbed_total > 0 and not model.story.party_invited:
                    options.append("invite_party")
        return options


CHARACTER = Walton  # the Mesa agent class of this role's named characters


def _heart_threat(model) -> float:
    if heart_access(model):
        return 1.0
    if not model.story.knows_quarters:
        return 0.0
    hops = model.galaxy.hops_from(model.ship.planet)[model.galaxy.heart]
    return max(0.0, 0.5 - hops / 16.0)


def resolve(model) -> None:
    """What the real Walton chose, on the hours he decides (and while he is free)."""
    walton = model.walton
    if walton.is_due(model.steps) and walton.intent is not None:  # is_due: only while free
        effect_of(EFFECTS, CATALOG.role, walton.intent)(model, walton)


# ---------------------------------------------------------------------- effects
def _raise_prices(model, walton) -> None:
    economy = model.config.economy
    before = model.price_index
    model.price_index = min(economy.price_index_max, before * (1 + economy.price_hike))
    model.events.add(
        model.steps,
        "price_hike",
        (walton.display_name,),
        f"Walton raises prices: the price index goes {before:.2f} -> "
        f"{model.price_index:.2f}. Everything costs more.",
    )


def _hold_prices(model, walton) -> None:
    """Prices stay where they are."""


def _stonewall_press(model, walton) -> None:
    real, settings = model.realworld, model.config.realworld
    real.journalist_progress = max(0.0, real.journalist_progress - settings.stonewall_effect * 0.05)
    real.add_risk(settings.risk_per_stonewall)


def _cover_up(model, walton) -> None:
    settings = model.config.realworld
    backfired = model.rng.random() < settings.cover_up_backfire
    model.realworld.add_risk(
        2 * settings.cover_up_effect if backfired else -settings.cover_up_effect
    )


def _enter_game(model, walton) -> None:
    if model.galaxy.alive:
        walton.in_game = True
        walton.avatar_health = model.config.combat.walton_avatar_health
        meet_the_crew(model, walton)


def _attack_crew(model, walton) -> None:
    """His avatar shoots a clone aboard; the crew shoots back."""
    if not walton.in_game:
        return
    targets = crew_aboard(model) + (
        [model.captain] if model.captain.alive and not model.heart.captain_inside else []
    )
    if not targets or not ship_in_space(model):
        return
    tick, combat = model.steps, model.config.combat
    target = targets[int(model.rng.integers(len(targets)))]
    witnesses = targets + ([model.nanette] if model.nanette.in_game else [])
    for witness in witnesses:  # everyone at the ship sees him shoot
        witness.beliefs.learn("walton_attacked_crew", True, tick, "witnessed")
    model.events.add(
        tick,
        "walton_attack",
        (walton.display_name, target.display_name),
        f'Walton grabs a gun and opens fire on the clones: "They\'re illegal!" '
        f"{target.display_name} is hit.",
    )
    if wound(model, target, combat.walton_damage, cause="Walton's gun"):
        model.realworld.add_risk(model.config.realworld.risk_per_murder)
    armed = sum(1 for m in crew_aboard(model) if m.intent != "rest") or 1
    walton.avatar_health -= combat.crew_fire_damage * armed
    if walton.avatar_health <= 0:
        walton.in_game = False
        walton.logged_out_at = tick
        model.events.add(
            tick,
            "walton_logged_out",
            (walton.display_name,),
            "The crew shoots Walton's avatar down and sends him out of the game — for now.",
        )


def _invite_party(model, walton) -> None:
    """He hits 'Invite Party': every robbed player is sent at the ship."""
    if not walton.in_game:
        return
    story, rules = model.story, model.config.world
    story.party_invited = True
    for player in model.vengeful:
        player.invited = True
    model.party_guests = int(story.robbed_total * rules.invite_wave * rules.invite_reach)
    model.events.add(
        model.steps,
        "invite_party",
        (walton.display_name,),
        f"Walton hits 'Invite Party': {story.robbed_total} robbed players and "
        f"{model.party_guests} guests are sent at the USS Callister.",
    )


def _exit_game(model, walton) -> None:
    walton.in_game = False


EFFECTS = {
    "raise_prices": _raise_prices,
    "hold_prices": _hold_prices,
    "stonewall_press": _stonewall_press,
    "cover_up": _cover_up,
    "enter_game": _enter_game,
    "attack_crew": _attack_crew,
    "invite_party": _invite_party,
    "exit_game": _exit_game,
}
