"""The real Nanette Cole at Callister Inc.: from complaint logs to the truth, and what it costs."""

from __future__ import annotations

from agents.character import Character


class RealNanette(Character):
    role = "nanette"

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
            "clones_discovered": float(real.clones_discovered),
            "told_walton": float(self.told_walton),
            "trust_in_walton": self.trust_in_walton,
            "saw_attack": float(real.saw_attack),
            "in_game": float(self.in_game),
            "with_crew": float(self.in_game),
            "quit": float(self.quit),
            "press_pressure": real.journalist_progress,
        }

    def is_due(self, tick: int) -> bool:
        return self.model.realworld.nanette_state == "well" and super().is_due(tick)

    def available(self) -> list[str]:
        real = self.model.realworld
        options = []
        if not self.quit:
            options += ["work", "quit"]
            if not real.clones_discovered:
                options.append("investigate")
        if real.clones_discovered:
            options.append("help_clones")
            if not self.told_walton and not self.quit:
                options.append("confide_in_walton")
            if not self.in_game and not self.quit and self.model.ship_in_space():
                options.append("enter_game")
        return options
