"""The Heart of Infinity: clone Daly's garage, his disks, his bargain and his kill switch.

Daly acts first (he holds the keyboard), then the captain: a disk loads only if Daly is not
copying her or springing a new offer that hour. Which disks exist depends on the world:
red and blue need the real Nanette's mind to be vacant (in a coma), blue only after the
captain has chosen to save her crew over herself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DISK_TEXT = {
    "green": "a private universe for the crew",
    "red": "her mind back into the real Nanette's body, the crew wiped",
    "blue": "everyone into the real Nanette's mind",
}


@dataclass
class HeartState:
    captain_inside: bool = False
    offered: set[str] = field(default_factory=set)
    disk_in_hand: str | None = None
    noble_choice: bool = False
    copy_attempted: bool = False
    copy_progress: float = 0.0
    daly_copying: bool = False
    daly_hostile: bool = False
    captain_hostile: bool = False
    offer_made_now: bool = False

    @staticmethod
    def disk_usable(disk: str, nanette_state: str) -> bool:
        """Red and blue need the real Nanette's mind vacant: in a coma, not dead or awake."""
        return disk == "green" or nanette_state == "coma"

    def disks_on_offer(self, nanette_state: str) -> list[str]:
        disks = ["green"]
        if nanette_state == "coma":
            disks.append("red")
            if self.noble_choice:
                disks.append("blue")
        return disks

    def new_offer_possible(self, nanette_state: str) -> bool:
        return any(disk not in self.offered for disk in self.disks_on_offer(nanette_state))


def resolve_heart(model) -> None:
    """Daly's and the captain's actions inside the Heart, in that order."""
    heart, daly = model.heart, model.daly
    heart.offer_made_now = False
    if daly.alive:
        _daly_acts(model, heart, daly)
    if heart.captain_inside and model.captain.alive:
        _captain_acts(model, heart, daly)


def _captain_acts(model, heart: HeartState, daly) -> None:
    captain, tick = model.captain, model.steps
    action = captain.intent
    heart.captain_hostile = action in ("fight_daly", "refuse_copy")  # defiance angers him
    who = (captain.display_name,)
    if action and action.startswith("accept_"):
        disk = action.removeprefix("accept_")
        heart.disk_in_hand = disk
        heart.noble_choice = heart.noble_choice or disk == "green"
        model.log(
            tick,
            "disk_accepted",
            (*who, daly.display_name),
            f"{captain.display_name} takes the {disk} disk: {DISK_TEXT[disk]}.",
        )
    elif action == "refuse_copy":
        heart.copy_progress = max(0.0, heart.copy_progress - 0.5)
        model.log(
            tick,
            "copy_refused",
            who,
            f"{captain.display_name} refuses to let Daly keep a copy of her.",
        )
    elif action == "fight_daly" and daly.alive:
        strike = (
            model.config.combat.captain_strike
            * captain.traits["boldness"]
            * float(model.rng.uniform(0.5, 1.5))
        )
        if daly.wound(strike):
            heart.daly_copying = False
            model.log(
                tick,
                "daly_killed",
                (*who, daly.display_name),
                f"{captain.display_name} throws the Bargradian cutlass: Daly is dead. "
                "The kill switch fires.",
            )
            model.kill_switch()
        else:
            model.log(
                tick,
                "daly_fight",
                (*who, daly.display_name),
                f"{captain.display_name} fights Daly in his garage "
                f"(Daly at {daly.health:.0f} health).",
            )
    elif action == "load_disk" and heart.disk_in_hand is not None:
        if not heart.disk_usable(heart.disk_in_hand, model.realworld.nanette_state):
            return  # her body is no longer there to go back to
        if daly.alive and (heart.daly_copying or heart.offer_made_now):
            return  # Daly's hand is on the keyboard this hour
        if not daly.alive and model.rng.random() >= model.config.world.disk_search_chance:
            model.log(
                tick,
                "disk_search",
                who,
                f"The garage is coming apart; {captain.display_name} scrambles among "
                "Daly's floppy disks for the right one.",
            )
            return
        disk = heart.disk_in_hand
        model.story.disk_loaded = disk
        model.log(
            tick,
            "disk_loaded",
            who,
            f"{captain.display_name} loads the {disk} disk and hits enter: {DISK_TEXT[disk]}.",
        )


def _daly_acts(model, heart: HeartState, daly) -> None:
    settings, tick = model.config.world, model.steps
    action = daly.intent
    heart.daly_copying = action == "copy_paste" and heart.captain_inside
    heart.daly_hostile = heart.daly_copying or action == "attack"
    alone = not heart.captain_inside
    daly.loneliness = min(
        1.0,
        daly.loneliness
        + settings.loneliness_rate
        * (
            2.0 if action == "brood" else 0.5 if action == "build_planet" else 1.0 if alone else 0.0
        ),
    )
    if action == "build_planet" and model.galaxy.alive and not model.galaxy.full:
        daly.build_progress += 1.0 / settings.build_hours
        if daly.build_progress >= 1.0:
            daly.build_progress -= 1.0
            node = model.build_planet()
            model.log(
                tick,
                "planet_built",
                (daly.display_name,),
                f"Daly finishes a new planet, {model.galaxy.name(node)} "
                f"({model.galaxy.size} in Infinity).",
            )
    elif action == "make_offer" and heart.captain_inside:
        new = [
            d for d in heart.disks_on_offer(model.realworld.nanette_state) if d not in heart.offered
        ]
        if new:
            heart.offered.update(new)
            heart.offer_made_now = True
            offer = "; ".join(f"{d}: {DISK_TEXT[d]}" for d in new)
            model.log(
                tick,
                "daly_offer",
                (daly.display_name, model.captain.display_name),
                f"Daly offers {model.captain.display_name} his disks — {offer}.",
            )
    elif heart.daly_copying and heart.disk_in_hand is not None:
        if not heart.copy_attempted:
            heart.copy_attempted = True
            model.log(
                tick,
                "copy_attempt",
                (daly.display_name, model.captain.display_name),
                '"Let\'s copy and paste," says Daly: he means to keep a copy of her.',
            )
        if model.captain.intent != "refuse_copy":
            heart.copy_progress += 1.0 / settings.copy_hours
        if heart.copy_progress >= 1.0:
            model.story.copy_made = True
            daly.loneliness = 0.0
    elif action == "attack" and heart.captain_inside:
        damage = model.config.combat.daly_strength * float(model.rng.uniform(0.5, 1.5))
        model.log(
            tick,
            "daly_fight",
            (daly.display_name, model.captain.display_name),
            f'"Stop!" Daly wipes {model.captain.display_name}\'s mouth from her face and '
            "hurls her against the wall.",
        )
        model.wound_character(model.captain, damage, cause="Daly's powers in the Heart")
