"""The real James Walton, CEO of Callister Inc.: money first, then his own skin."""

from __future__ import annotations

from agents.character import Character


class Walton(Character):
    role = "walton"

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
            "knows_clones": float(real.walton_knows),
            "in_game": float(self.in_game),
            "at_ship": float(self.in_game and model.ship_in_space()),
            "robbed_players": float(model.story.robbed_total),
            "heart_threat": model.heart_threat(),
            "avatar_health": self.avatar_health,
            "complaints_today": float(population.complaints_today),
            "crew_alive": float(len(model.crew_aboard())),
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
        if model.realworld.walton_knows:
            options.append("cover_up")
            relogged = model.steps - self.logged_out_at >= model.config.combat.walton_relogin_hours
            if not self.in_game and model.ship_in_space() and relogged:
                options.append("enter_game")
        if self.in_game:
            options.append("exit_game")
            if model.ship_in_space():  # the clones are still out there to be hunted
                options.append("attack_crew")
                if model.story.robbed_total > 0 and not model.story.party_invited:
                    options.append("invite_party")
        return options
