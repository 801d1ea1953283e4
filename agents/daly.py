"""Clone Robert Daly, fused with the engine in the Heart: builds, broods, bargains, grasps."""

from __future__ import annotations

from agents.character import Character


class Daly(Character):
    role = "daly"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loneliness = 0.3
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
