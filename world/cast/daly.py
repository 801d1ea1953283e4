"""Clone Robert Daly, fused with the engine in the Heart: builds, broods, bargains, grasps.

He holds the keyboard in the Heart, so each hour he moves before the captain answers. Which
disks he can offer depends on the world (`world.heart`): red and blue need the real Nanette's
mind vacant, blue only after the captain chose to save her crew over herself.
"""

from __future__ import annotations

from agents.catalog import RoleCatalog
from world.cast.casualties import wound
from world.cast.character import Character, effect_of
from world.cast.vocabulary import SHARED_INPUTS, TRAITS
from world.heart import DISK_TEXT

CATALOG = RoleCatalog(
    role="daly",
    summary="Clone Robert Daly, fused with the engine in the Heart of Infinity.",
    actions={
        "build_planet": "build a new planet",
        "brood": "brood in his garage",
        "make_offer": "offer the captain his disks",
        "copy_paste": "copy-and-paste the captain to keep a copy",
        "attack": "attack the captain",
    },
    inputs={
        "loneliness": "how alone clone Daly feels (0-1); rises while he builds unseen",
        "visitor_present": "1 while the captain is with him in the Heart, else 0",
        "offer_made": "1 once he has offered his disks, else 0",
        "noble_choice": "1 once the captain has chosen to save her crew over herself, else 0",
        "disk_in_hand": SHARED_INPUTS["disk_in_hand"],
        "captain_hostile": "1 if the captain is fighting him, else 0",
        "planets": "planets in Infinity (planets)",
        "health": "Daly's health (0-100)",
    },
    traits=TRAITS,
)


class Daly(Character):
    role = "daly"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loneliness = self.model.config.world.loneliness_start
        self.build_progress = 0.0

    def sense(self) -> dict[str, float]:
        heart = self.model.heart
        return {
            "loneliness": self.loneliness,
            "visitor_present": float(heart.captain_inside),
            "offer_made": float(bool(heart.offered)),
            "noble_choice": float(heart.noble_choice),
            "disk_in_hand": float(heart.disk_in_hand is not None),
            "captain_hostile": float(heart.captain_hostile),
            "planets": float(self.model.galaxy.size),
            "health": self.health,
        }

    def available(self) -> list[str]:
        model = self.model
        heart = model.heart
        options = ["brood"]
        if model.galaxy.alive and not model.galaxy.full:
            options.append("build_planet")
        if heart.captain_inside:
            options.append("attack")
            if heart.new_offer_possible(model.realworld.nanette_state):
                options.append("make_offer")
            if heart.disk_in_hand is not None:
                options.append("copy_paste")
        return options


CHARACTER = Daly  # the Mesa agent class of this role's named characters


def resolve(model) -> None:
    """Daly's hour in the Heart: his mood, then what he chose (the captain answers after)."""
    heart, daly = model.heart, model.daly
    heart.offer_made_now = False
    if not daly.alive:
        return
    action = daly.intent
    heart.daly_copying = action == "copy_paste" and heart.captain_inside
    heart.daly_hostile = heart.daly_copying or action == "attack"
    daly.loneliness = min(1.0, daly.loneliness + _loneliness_growth(model, action))
    if action is not None:
        effect_of(EFFECTS, CATALOG.role, action)(model, daly)


def _loneliness_growth(model, action: str | None) -> float:
    """His loneliness this hour: brooding feeds it, building less; company (or bargaining,
    fighting, copying her, all in company) stops it."""
    rules = model.config.world
    if action == "brood":
        return rules.loneliness_rate * rules.loneliness_brooding
    if action == "build_planet":
        return rules.loneliness_rate * rules.loneliness_building
    return 0.0 if model.heart.captain_inside else rules.loneliness_rate


# ---------------------------------------------------------------------- effects
def _brood(model, daly) -> None:
    """Brooding in his garage: only his loneliness grows (twice as fast, above)."""


def _build_planet(model, daly) -> None:
    galaxy, settings = model.galaxy, model.config.world
    if not galaxy.alive or galaxy.full:
        return
    daly.build_progress += 1.0 / settings.build_hours
    if daly.build_progress >= 1.0:
        daly.build_progress -= 1.0
        node = add_planet(model)
        model.events.add(
            model.steps,
            "planet_built",
            (daly.display_name,),
            f"Daly finishes a new planet, {galaxy.name(node)} ({galaxy.size} in Infinity).",
        )


def add_planet(model) -> int:
    """A new planet joins the galaxy and the players' map."""
    node = model.galaxy.add_planet(model.steps, model.rng)
    model.population.add_planet(model.galaxy)
    return node


def _make_offer(model, daly) -> None:
    heart = model.heart
    if not heart.captain_inside:
        return
    new = [d for d in heart.disks_on_offer(model.realworld.nanette_state) if d not in heart.offered]
    if new:
        heart.offered.update(new)
        heart.offer_made_now = True
        offer = "; ".join(f"{d}: {DISK_TEXT[d]}" for d in new)
        model.events.add(
            model.steps,
            "daly_offer",
            (daly.display_name, model.captain.display_name),
            f"Daly offers {model.captain.display_name} his disks — {offer}.",
        )
        if "red" in new or "blue" in new:  # those disks need her body vacant: he tells her why
            model.captain.beliefs.learn(
                "real_nanette_coma", True, model.steps, "told", source=daly.display_name
            )


def _copy_paste(model, daly) -> None:
    """While she holds a disk, he copies her, unless she refuses this hour."""
    heart, settings = model.heart, model.config.world
    if not heart.daly_copying or heart.disk_in_hand is None:
        return
    if not heart.copy_attempted:
        heart.copy_attempted = True
        model.events.add(
            model.steps,
            "copy_attempt",
            (daly.display_name, model.captain.display_name),
            '"Let\'s copy and paste," says Daly: he means to keep a copy of her.',
        )
    if model.captain.intent != "refuse_copy":
        heart.copy_progress += 1.0 / settings.copy_hours
    if heart.copy_progress >= 1.0:
        model.story.copy_made = True
        daly.loneliness = 0.0


def _attack(model, daly) -> None:
    if not model.heart.captain_inside:
        return
    captain = model.captain
    damage = model.config.combat.daly_strength * float(model.rng.uniform(0.5, 1.5))
    model.events.add(
        model.steps,
        "daly_fight",
        (daly.display_name, captain.display_name),
        f'"Stop!" Daly wipes {captain.display_name}\'s mouth from her face and '
        "hurls her against the wall.",
    )
    wound(model, captain, damage, cause="Daly's powers in the Heart")


EFFECTS = {
    "build_planet": _build_planet,
    "brood": _brood,
    "make_offer": _make_offer,
    "copy_paste": _copy_paste,
    "attack": _attack,
}
