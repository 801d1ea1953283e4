"""The clone crew: Packer, Kabir, Tulaska, Karl, and Walt once he is found.

Each member wishes: to raid, to man the guns, to repair, to rest, or to defy the captain.
The captain reads those wishes; a defiant member does not take part in her order.
"""

from __future__ import annotations

from agents.character import Character


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
        captain_order = model.captain.intent
        return {
            "health": self.health,
            "fatigue": self.fatigue,
            "aboard": float(self.aboard),
            "ship_here": float(model.ship_is_at(self.planet)),
            "rocky_found": float(model.story.rocky_found),
            "threat_nearby": model.threat_near(ship.planet),
            "credits": ship.credits,
            "hull": ship.hull,
            "shields": ship.shields,
            "risky_order": float(captain_order in ("rob_player", "fight")),
            "grievance": self.grievance,
            "crew_losses": float(model.crew_losses),
        }

    @property
    def planet(self) -> int:
        return self.model.ship.planet if self.aboard else self.model.galaxy.xj500

    def available(self) -> list[str]:
        if not self.aboard:
            return ["join_ship", "rest"] if self.model.ship_is_at(self.planet) else ["rest"]
        return ["join_raid", "man_guns", "repair", "rest", "defy"]

    def live_an_hour(
        self, ordered_risk: bool, heal: float, grievance_gain: float, grievance_decay: float
    ) -> None:
        """Fatigue, healing and grievance drift with what this member is doing."""
        if self.intent == "rest":
            self.fatigue = max(0.0, self.fatigue - 6.0)
            self.heal(heal)
        else:
            self.fatigue = min(100.0, self.fatigue + 1.5)
            self.heal(heal * 0.2)
        if ordered_risk and self.intent not in ("join_raid", "man_guns"):
            self.grievance = min(1.0, self.grievance + grievance_gain * self.traits["resentment"])
        elif self.intent == "defy":
            self.grievance *= 0.9  # venting
        self.grievance *= grievance_decay
