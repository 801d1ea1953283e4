"""The clone crew: Packer, Kabir, Tulaska, Karl, and Walt once he is found.

Each member wishes: to raid, to man the guns, to repair, to rest, or to defy the captain. The
captain reads those wishes; a defiant majority refuses a risky order (`world.cast.captain`).
"""

from __future__ import annotations

from agents.catalog import RoleCatalog
from world.cast.captain import RISKY_ORDERS
from world.cast.character import Character, effect_of
from world.cast.vocabulary import SHARED_INPUTS, TRAITS
from world.whereabouts import crew_aboard, ship_is_at, threat_near

CATALOG = RoleCatalog(
    role="crew",
    summary=(
        "Clone crew (Packer, Kabir, Tulaska, Karl; Walt once found): wishes, duty and defiance."
    ),
    actions={
        "join_raid": "back the captain's raids and go along",
        "man_guns": "stand at the guns",
        "repair": "patch the hull and shields",
        "rest": "sleep, heal, watch TV",
        "defy": "refuse the captain's order",
        "join_ship": "come aboard the USS Callister (Walt, only with Rocky)",
    },
    inputs={
        "health": "this crew member's health (0-100)",
        "fatigue": "this crew member's fatigue (0-100)",
        "aboard": "1 if this character is aboard the USS Callister, else 0",
        "ship_here": "1 if the ship is on this character's planet, else 0",
        "rocky_found": "1 if Rocky is at hand (Walt will not leave without him), else 0",
        "threat_nearby": SHARED_INPUTS["threat_nearby"],
        "credits": SHARED_INPUTS["credits"],
        "hull": SHARED_INPUTS["hull"],
        "shields": SHARED_INPUTS["shields"],
        "risky_order": "1 if the captain's current order is a raid or a fight, else 0",
        "grievance": "this member's accumulated resentment of the captain's orders (0-1)",
        "crew_losses": "clone crew members dead so far (people)",
    },
    traits=TRAITS,
    singleton=False,
)


class CrewMember(Character):
    role = "crew"

    def __init__(self, *args, aboard: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.aboard = aboard
        self.fatigue = 0.0
        self.grievance = 0.0

    def sense(self) -> dict[str, float]:
        model = self.model
        ship = model.ship
        return {
            "health": self.health,
            "fatigue": self.fatigue,
            "aboard": float(self.aboard),
            "ship_here": float(ship_is_at(model, self.planet)),
            "rocky_found": float(model.story.rocky_found),
            "threat_nearby": threat_near(model, ship.planet),
            "credits": ship.credits,
            "hull": ship.hull,
            "shields": ship.shields,
            "risky_order": float(model.captain.intent in RISKY_ORDERS),
            "grievance": self.grievance,
            "crew_losses": float(model.crew_losses),
        }

    @property
    def planet(self) -> int:
        return self.model.ship.planet if self.aboard else self.model.galaxy.xj500

    def available(self) -> list[str]:
        if not self.aboard:
            return ["join_ship", "rest"] if ship_is_at(self.model, self.planet) else ["rest"]
        return ["join_raid", "man_guns", "repair", "rest", "defy"]


CHARACTER = CrewMember  # the Mesa agent class of this role's named characters


def live_the_hour(model, aboard: list) -> None:
    """Everyone aboard as the ship's hour began tires, heals and resents by what they do."""
    rules = model.config.world
    ordered_risk = model.captain.intent in RISKY_ORDERS
    for member in aboard:
        _drift(member, ordered_risk, model.config.combat.heal_per_rest, rules)


def choices(model, aboard: list) -> dict[str, list[CrewMember]]:
    """Who chose what as the hour began: those aboard, and anyone waiting to come aboard.

    Taken before the upkeep, so a member who starves or takes command this hour still does
    what they chose (a repairer's last hour still patches the hull).
    """
    waiting = [m for m in model.crew if m.alive and not m.aboard]
    chosen: dict[str, list[CrewMember]] = {}
    for member in [*aboard, *waiting]:
        if member.intent is not None:
            chosen.setdefault(member.intent, []).append(member)
    return chosen


def resolve(model, chosen: dict[str, list[CrewMember]]) -> None:
    """Each choice of the hour takes effect, for the members who made it (see `choices`)."""
    for action, members in chosen.items():
        effect_of(EFFECTS, CATALOG.role, action)(model, members)


def _drift(member: CrewMember, ordered_risk: bool, heal: float, rules) -> None:
    """Fatigue, healing and grievance drift with what this member is doing."""
    if member.intent == "rest":
        member.fatigue = max(0.0, member.fatigue - 6.0)
        member.heal(heal)
    else:
        member.fatigue = min(100.0, member.fatigue + 1.5)
        member.heal(heal * 0.2)
    if ordered_risk and member.intent not in ("join_raid", "man_guns"):
        gain = rules.grievance_per_order * member.traits["resentment"]
        member.grievance = min(1.0, member.grievance + gain)
    elif member.intent == "defy":
        member.grievance *= 0.9  # venting
    member.grievance *= rules.grievance_decay


# ---------------------------------------------------------------------- effects
def _go_along(model, members) -> None:
    """Backing a raid: `captain_orders.rob_player` takes them along (loot, landmines)."""


def _man_the_guns(model, members) -> None:
    """At the guns: they fire in this hour's battle at the ship (`hunters.resolve_battle`)."""


def _repair(model, members) -> None:
    ship = model.ship
    ship.hull = min(100.0, ship.hull + len(members) * model.config.combat.repair_per_hour)


def _rest(model, members) -> None:
    """Rest heals and unwinds (`_drift`); resting, one may notice Walton's quarters
    (`notice_quarters`)."""


def _defy(model, members) -> None:
    """Defiance: a defiant majority refuses a risky order (`captain.resolve_orders`)."""


def _join_ship(model, members) -> None:
    """Walt comes aboard where the ship is, once found, and only with Rocky."""
    walt, story = model.walt, model.story
    if walt not in members or walt.aboard or not ship_is_at(model, walt.planet):
        return
    if not story.walt_found or not story.rocky_found:
        return  # he will not leave without Rocky
    walt.aboard = story.walt_aboard = True
    model.events.add(
        model.steps,
        "walt_joined",
        (walt.display_name,),
        "Walt comes aboard the USS Callister with Rocky under his arm; his quarters "
        "were waiting for him.",
    )


EFFECTS = {
    "join_raid": _go_along,
    "man_guns": _man_the_guns,
    "repair": _repair,
    "rest": _rest,
    "defy": _defy,
    "join_ship": _join_ship,
}


def notice_quarters(model) -> None:
    """World rule: resting crew may notice that Walton's quarters still exist aboard."""
    story = model.story
    if story.knows_quarters:
        return
    chance = model.config.world.quarters_discovery_chance
    for member in crew_aboard(model):
        if member.intent == "rest" and model.rng.random() < chance * member.traits["curiosity"]:
            story.knows_quarters = True
            model.events.add(
                model.steps,
                "quarters_found",
                (member.display_name,),
                f"{member.display_name} mentions that Walton's quarters are still aboard: "
                "a scorched atom of Walton may have respawned on XJ-500.",
            )
            return
