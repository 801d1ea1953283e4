"""The clone crew: Packer, Kabir, Tulaska, Karl, and Walt once he is found.

Each member wishes: to raid, to man the guns, to repair, to rest, to defy the captain, or to
rescue a captured crewmate. The captain reads those wishes; every defiance of a risky order is
a refusal, and a defiant majority stops it (`world.cast.command`). Grievance and trust in the
captain are the member's relationship with her (`model.relationships`).
"""

from __future__ import annotations

from agents.catalog import RoleCatalog
from world.cast.captivity import captives, hold_captives, rescue
from world.cast.character import Character, effect_of
from world.cast.command import RISKY_ORDERS
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
        "rescue": "free a crewmate held by players where the ship is",
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
        "grievance": "this member's grievance against the captain (0-1, a relationship)",
        "trust_in_captain": "how far this member trusts the captain (0-1, a relationship)",
        "crewmate_captured": "crewmates held by players on the ship's planet (people)",
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
        self.captured_at: int | None = None  # the planet where players hold them captive
        self.left_behind_by: str | None = None  # the captain who warped away while they were held
        self.refused: tuple[str, int] | None = None  # (captain, order's start) last refused

    def sense(self) -> dict[str, float]:
        model = self.model
        ship, captain, feelings = model.ship, model.captain, model.relationships
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
            "grievance": feelings.grievance(self.name, captain.name),
            "trust_in_captain": feelings.trust(self.name, captain.name),
            "crewmate_captured": float(len(captives(model, ship.planet))),
            "crew_losses": float(model.crew_losses),
        }

    @property
    def planet(self) -> int:
        if self.captured_at is not None:
            return self.captured_at
        return self.model.ship.planet if self.aboard else self.model.galaxy.xj500

    def available(self) -> list[str]:
        if self.captured_at is not None:
            return ["rest"]  # held: nothing to do but wait
        if not self.aboard:
            return ["join_ship", "rest"] if ship_is_at(self.model, self.planet) else ["rest"]
        options = ["join_raid", "man_guns", "repair", "rest", "defy"]
        if captives(self.model, self.model.ship.planet):
            options.append("rescue")
        return options


CHARACTER = CrewMember  # the Mesa agent class of this role's named characters


def live_the_hour(model, aboard: list) -> None:
    """Everyone aboard as the ship's hour began tires, heals and resents by what they do;
    anyone held by players is hurt."""
    ordered_risk = model.captain.intent in RISKY_ORDERS
    for member in aboard:
        _drift(model, member, ordered_risk)
    hold_captives(model)


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


def _drift(model, member: CrewMember, ordered_risk: bool) -> None:
    """Fatigue and healing drift with what this member does; so does their grievance: an
    unwanted risky order feeds it, an hour's rest lets some go (a refusal vents it too, in
    `world.cast.command`; a raid that pays off, in `captain_orders.rob_player`)."""
    rules, heal = model.config.world, model.config.combat.heal_per_rest
    captain, tick = model.captain.name, model.steps
    if member.intent == "rest":
        member.fatigue = max(0.0, member.fatigue - rules.fatigue_relief_per_rest)
        member.heal(heal)
        model.relationships.feel(member.name, captain, "rested", tick)
    else:
        member.fatigue = min(100.0, member.fatigue + rules.fatigue_per_work_hour)
        member.heal(heal * model.config.combat.heal_share_at_work)
    if ordered_risk and member.intent not in ("join_raid", "man_guns"):
        strength = member.traits["resentment"]
        model.relationships.feel(member.name, captain, "ordered_me_into_danger", tick, strength)


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
    """Defiance: each defier refuses a risky order; a majority stops it (`world.cast.command`)."""


def _join_ship(model, members) -> None:
    """Walt comes aboard where the ship is, once found, and only with Rocky."""
    walt, story = model.walt, model.story
    if walt not in members or walt.aboard or not ship_is_at(model, walt.planet):
        return
    if not story.walt_found or not story.rocky_found:
        return  # he will not leave without Rocky
    walt.aboard = story.walt_aboard = True
    # Walt is loyal to whoever came for him
    model.relationships.feel(walt.name, model.captain.name, "rescued_me", model.steps)
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
    "rescue": rescue,
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
