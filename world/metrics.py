"""Per-tick metrics: the series every chart, record and batch reads.

A Mesa-DataCollector equivalent that writes floats into preallocated columns: Mesa's
`collect` deep-copies every reporter's value, which cost more than a whole tick of the world.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from world.whereabouts import clones_in_story, crew_aboard


def _crew_health(model) -> float:
    crew = crew_aboard(model)
    return sum(m.health for m in crew) / len(crew) if crew else 0.0


def _clones_alive(model) -> int:
    return clones_in_story(model)


METRICS = {
    "credits": lambda m: m.ship.credits,
    "fuel": lambda m: m.ship.fuel,
    "ammo": lambda m: m.ship.ammo,
    "shields": lambda m: m.ship.shields,
    "hull": lambda m: m.ship.hull,
    "crew_alive": _clones_alive,
    "crew_health": _crew_health,
    "price_index": lambda m: m.price_index,
    "players": lambda m: m.population.total,
    "players_online": lambda m: m.population.online_total,
    "revenue": lambda m: m.population.revenue_last_day,
    "complaints_today": lambda m: m.population.complaints_today,
    "vengeful_active": lambda m: len(m.vengeful),
    "party_guests": lambda m: m.party_guests,
    "legal_risk": lambda m: m.realworld.legal_risk,
    "journalist_progress": lambda m: m.realworld.journalist_progress,
    "evidence": lambda m: m.realworld.evidence,
    "daly_loneliness": lambda m: m.daly.loneliness,
    "planets": lambda m: m.galaxy.size,
    "ship_planet": lambda m: m.ship.planet,
}


class MetricsCollector:
    """Collects every metric once per tick into a (ticks x metrics) float64 table."""

    def __init__(self, reporters: dict, capacity: int) -> None:
        self.names = list(reporters)
        self._reporters = tuple(reporters.values())
        self._table = np.zeros((max(1, capacity), len(self.names)))
        self._rows = 0

    def collect(self, model) -> None:
        if self._rows == len(self._table):
            self._table = np.vstack([self._table, np.zeros_like(self._table)])
        # One assignment of the whole row: twenty item assignments cost twice the reporters.
        self._table[self._rows] = [reporter(model) for reporter in self._reporters]
        self._rows += 1

    def latest(self) -> dict[str, float]:
        return dict(zip(self.names, self._table[self._rows - 1].tolist(), strict=True))

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """Same name and shape as Mesa's DataCollector: one row per collected tick."""
        return pd.DataFrame(self._table[: self._rows].copy(), columns=self.names)
