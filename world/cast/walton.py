"""The real James Walton, CEO of Callister Inc.: money first, then his own skin.

He sets prices, faces the press and real Kabir, covers up, decides whether the real Nanette
gets the logs, and can log in as an avatar (`walton_avatar`) to deal with the clones himself.
"""

from __future__ import annotations

from typing import ClassVar

import world.cast.walton_avatar as avatar
from agents.catalog import RoleCatalog
from world.cast.character import Character, effect_of
from world.cast.vocabulary import SHARED_INPUTS, TRAITS
from world.realworld import KABIR
from world.whereabouts import crew_aboard, ship_in_space

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
        "grant_logs": "accept the real Nanette's offer of help: give her Kabir's complaint logs",
        "listen_to_kabir": "hear real Kabir out about the bandit complaints",
        "brush_off_kabir": "brush real Kabir's warning off",
        "strike_walt": "strike Walt down with Rocky and take the control room",
        "threaten_nanette": "threaten the real Nanette: she was at Daly's the night he died",
    },
    inputs={
        "revenue": "company revenue over the last day (credits per hour)",
        "revenue_change": "relative change of revenue against the previous day (-1..1)",
        "churn": "players lost over the last day as a share of all players (0-1)",
        "player_growth": "relative change of the player count over the last day (-1..1)",
        "hours_since_hike": "hours since Walton last raised prices, or since launch (hours)",
        "price_index": SHARED_INPUTS["price_index"],
        "legal_risk": "chance-like measure of the law catching up with Walton (0-1)",
        "press_pressure": SHARED_INPUTS["press_pressure"],
        "knows_clones": "1 once the real Nanette has told Walton the bandits are clones, else 0",
        "nanette_offered": "1 once Walton believes the real Nanette offered her help, else 0",
        "trust_in_nanette": "how far Walton trusts the real Nanette (0-1)",
        "kabir_waiting": "1 while real Kabir, having come to Walton, awaits an answer, else 0",
        "in_game": "1 while Walton's avatar is logged in, else 0",
        "at_ship": "1 if Walton's avatar is on the ship's planet, else 0",
        "robbed_players": "players the crew has ever robbed (players)",
        "walt_aboard": "1 if Walton has seen Walt aboard the ship (and not seen him gone since)",
        "heart_threat": "how near Walton believes the crew is to the Heart, from what he saw (0-1)",
        "avatar_health": "health of Walton's avatar (0-100)",
        "times_shot_down": "times the crew has shot Walton's avatar down (times)",
        "complaints_today": SHARED_INPUTS["complaints_today"],
        "crew_alive": SHARED_INPUTS["crew_alive"],
    },
    traits=TRAITS,
)


class Walton(Character):
    role = "walton"
    belief_inputs: ClassVar[dict[str, str]] = {
        "knows_clones": "clones_are_real",
        "nanette_offered": "nanette_offered_help",
        "kabir_waiting": "kabir_warned",
        "walt_aboard": "walt_aboard",
        "heart_threat": "crew_going_for_heart",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.in_game = False
        self.avatar_health = 0.0
        self.logged_out_at = -(10**9)
        self.times_shot_down = 0
        self.target: str | None = None  # name of the clone his gun is on
        self.last_hike = 0  # the tick of his last price hike (launch prices at 0)
        self.threatened_nanette = False
        self.free = True  # False once arrested

    def sense(self) -> dict[str, float]:
        model = self.model
        population, real = model.population, model.realworld
        return {
            "revenue": population.revenue_last_day / 24.0,
            "revenue_change": population.revenue_change,
            "churn": population.churn_today,
            "player_growth": population.player_growth,
            "hours_since_hike": float(model.steps - self.last_hike),
            "price_index": model.price_index,
            "legal_risk": real.legal_risk,
            "press_pressure": real.journalist_progress,
            "knows_clones": float(self.beliefs.holds("clones_are_real")),
            "nanette_offered": float(self.beliefs.holds("nanette_offered_help")),
            "trust_in_nanette": model.relationships.trust(self.name, model.nanette.name),
            "kabir_waiting": float(self.kabir_waiting()),
            "in_game": float(self.in_game),
            "at_ship": float(self.in_game and ship_in_space(model)),
            "robbed_players": float(model.story.robbed_total),
            "walt_aboard": float(self.beliefs.holds("walt_aboard")),
            "heart_threat": avatar.heart_threat(model, self),
            "avatar_health": self.avatar_health,
            "times_shot_down": float(self.times_shot_down),
            "complaints_today": float(population.complaints_today),
            "crew_alive": float(len(crew_aboard(model))),
        }

    def is_due(self, tick: int) -> bool:
        return self.free and super().is_due(tick)

    def kabir_waiting(self) -> bool:
        """Kabir came to him (a belief) and is still at his door for an answer."""
        return self.beliefs.holds("kabir_warned") and self.model.realworld.kabir_mood == "waiting"

    def sees_her_against_him(self) -> bool:
        """He knows she knows of the clones (she told him), and he no longer trusts her."""
        model = self.model
        trust = model.relationships.trust(self.name, model.nanette.name)
        limit = model.config.realworld.threaten_trust_below
        return self.beliefs.holds("clones_are_real") and trust < limit

    def available(self) -> list[str]:
        model, real = self.model, self.model.realworld
        options = ["hold_prices"]
        if model.galaxy.alive and model.price_index < model.config.economy.price_index_max:
            options.append("raise_prices")
        if real.journalist_progress > 0:
            options.append("stonewall_press")
        if self.beliefs.holds("nanette_offered_help") and not real.log_access:
            options.append("grant_logs")
        if self.kabir_waiting():
            options += ["listen_to_kabir", "brush_off_kabir"]
        if self.beliefs.holds("clones_are_real"):
            options.append("cover_up")
            relogged = model.steps - self.logged_out_at >= avatar.relogin_wait(model, self)
            if not self.in_game and ship_in_space(model) and relogged:
                options.append("enter_game")
        well = real.nanette_state == "well"
        if not self.threatened_nanette and well and self.sees_her_against_him():
            options.append("threaten_nanette")
        if self.in_game:
            options.append("exit_game")
            if ship_in_space(model):  # the clones are still out there to be hunted
                options.append("attack_crew")
                if model.story.robbed_total > 0 and not model.story.party_invited:
                    options.append("invite_party")
                walt_conscious = model.steps >= model.story.walt_out_cold_until
                if self.beliefs.holds("walt_aboard") and model.walt is not None and walt_conscious:
                    options.append("strike_walt")
        return options


CHARACTER = Walton  # the Mesa agent class of this role's named characters

# Actions that go on every hour while they are his intent, not only on the hours he decides:
# a gunfight does not wait six hours between bursts.
EVERY_HOUR = ("attack_crew",)


def resolve(model) -> None:
    """What the real Walton chose, on the hours he decides (and while he is free); his avatar
    sees the ship every hour it is there, and keeps shooting while he attacks."""
    walton = model.walton
    if not walton.free:
        return
    avatar.observe(model, walton)
    due = walton.is_due(model.steps)
    if walton.intent is not None and (due or walton.intent in EVERY_HOUR):
        effect_of(EFFECTS, CATALOG.role, walton.intent)(model, walton)


# ---------------------------------------------------------------------- effects
def _raise_prices(model, walton) -> None:
    economy = model.config.economy
    before = model.price_index
    model.price_index = min(economy.price_index_max, before * (1 + economy.price_hike))
    walton.last_hike = model.steps
    model.realworld.record("price_hikes")
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
    real.journalist_progress = max(0.0, real.journalist_progress - settings.stonewall_effect)
    real.add_risk(settings.risk_per_stonewall)
    real.record("stonewalls")


def _cover_up(model, walton) -> None:
    settings = model.config.realworld
    backfired = model.rng.random() < settings.cover_up_backfire
    model.realworld.add_risk(
        2 * settings.cover_up_effect if backfired else -settings.cover_up_effect
    )
    if backfired:
        model.realworld.record("cover_ups_backfired")


def _grant_logs(model, walton) -> None:
    """He takes her up on her offer: Kabir's complaint logs are hers to read."""
    model.realworld.log_access = True
    model.events.add(
        model.steps,
        "logs_granted",
        (walton.display_name, model.nanette.display_name),
        "Walton accepts the real Nanette's offer of help and gives her Kabir's complaint logs.",
    )


def _listen_to_kabir(model, walton) -> None:
    """Heard out, Kabir calms down; but Walton can no longer say he did not know."""
    real, settings = model.realworld, model.config.realworld
    real.kabir_mood = "heard"
    real.kabir_alarm *= settings.kabir_alarm_kept_when_heard
    real.add_risk(settings.risk_per_listening)
    model.events.add(
        model.steps,
        "kabir_heard",
        (walton.display_name, KABIR),
        "Walton hears real Kabir out about the bandit complaints and promises to look into it.",
    )


def _brush_off_kabir(model, walton) -> None:
    model.realworld.kabir_mood = "brushed_off"
    model.events.add(
        model.steps,
        "kabir_brushed_off",
        (walton.display_name, KABIR),
        "Walton brushes off real Kabir's warning: the bandits are a bug, and bugs can wait.",
    )


def _threaten_nanette(model, walton) -> None:
    """He tells her he knows she was at Daly's apartment the night Daly died."""
    nanette, tick = model.nanette, model.steps
    walton.threatened_nanette = True
    nanette.beliefs.learn("walton_threatened", True, tick, "told", source=walton.display_name)
    model.relationships.feel(nanette.name, walton.name, "threatened_me", tick)
    model.events.add(
        tick,
        "walton_threatened",
        (walton.display_name, nanette.display_name),
        "Walton, who no longer trusts the real Nanette, threatens her: he knows she was at "
        "Daly's apartment the night Daly died.",
    )


EFFECTS = {
    "raise_prices": _raise_prices,
    "hold_prices": _hold_prices,
    "stonewall_press": _stonewall_press,
    "cover_up": _cover_up,
    "enter_game": avatar.enter_game,
    "attack_crew": avatar.attack_crew,
    "invite_party": avatar.invite_party,
    "exit_game": avatar.exit_game,
    "grant_logs": _grant_logs,
    "listen_to_kabir": _listen_to_kabir,
    "brush_off_kabir": _brush_off_kabir,
    "strike_walt": avatar.strike_walt,
    "threaten_nanette": _threaten_nanette,
}
