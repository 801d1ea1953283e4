"""Thirty million players as per-planet counts: never 30 M Python objects.

Players drift toward attractive planets, come online by hour of day, spend (company revenue),
churn faster as prices rise and complain when bandits strike. Every flow is a whole count
drawn around its mean on per-planet counts (a rounded normal approximation), so a tick costs
the same at 30 k or 30 M players, and players are conserved exactly apart from churn and
joins. The hour's arithmetic over the planets is compiled (`world/players_hour.py`).
"""

from __future__ import annotations

import functools
import math
from types import ModuleType

import numpy as np

from configuration.limits import PLAYER_CEILING
from world.clock import HOURS_PER_DAY


@functools.cache
def compiled_hour() -> ModuleType:
    """`world.players_hour`, loaded at a model's first hour rather than with this module.

    Starting numba and LLVM takes about 0.6 s, which building a model (all a dashboard's
    first render does) need not pay. Batch workers call this while they warm up.
    """
    from world import players_hour  # here, not at the top: see above

    return players_hour


def _allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Split `total` players over planets by `shares` exactly: largest remainder, ties to the
    lower index (the split `world.players_hour.allocate` makes of every hour's arrivals)."""
    raw = total * shares
    counts = raw.astype(np.int64)  # shares are never negative: truncating is flooring
    missing = total - int(counts.sum())
    if missing > 0:
        counts[np.argsort(counts - raw, kind="stable")[:missing]] += 1
    return counts


class Population:
    """Per-planet player counts and the daily totals Callister Inc. watches."""

    def __init__(self, settings, galaxy, rng: np.random.Generator) -> None:
        self.settings = settings
        self.appeal = self._appeal(galaxy)
        total = int(settings.players)
        self.players = _allocate(total, self._shares(self.appeal))
        self.start_total = total
        self._total = total
        self._online_total = 0.0
        self.fear = np.zeros(galaxy.size)
        self.online = np.zeros(galaxy.size)
        self.retune(settings)
        self.revenue = np.zeros(HOURS_PER_DAY)  # credits per hour of the last 24 hours
        self.complaints = np.zeros(HOURS_PER_DAY, dtype=np.int64)
        self._complaints_today = 0  # the sum of `complaints`, kept as they are filed
        self.churned = np.zeros(HOURS_PER_DAY, dtype=np.int64)
        self.totals = np.full(HOURS_PER_DAY, total, dtype=np.int64)  # players at each hour's end
        self.previous_day_revenue = 0.0
        self.revenue_last_day = 0.0
        self._hour = 0

    def retune(self, settings) -> None:
        """Follow `settings` from the next hour on (the daily curve of who is online)."""
        self.settings = settings
        hours = np.arange(HOURS_PER_DAY)
        swing = settings.diurnal_amplitude
        self.diurnal = (
            1.0
            - swing * (1 - np.cos(2 * math.pi * (hours - settings.peak_hour) / HOURS_PER_DAY)) / 2
        )
        self._diurnal_hours = self.diurnal.tolist()  # as Python floats: scalar arithmetic

    @staticmethod
    def _appeal(galaxy) -> np.ndarray:
        return galaxy.attribute_array("attractiveness")

    @staticmethod
    def _shares(weights: np.ndarray) -> np.ndarray:
        total = weights.sum()
        if total <= 0:
            return np.full(len(weights), 1.0 / len(weights))
        return weights / total

    @property
    def total(self) -> int:
        return self._total

    @property
    def online_total(self) -> float:
        return self._online_total

    @property
    def complaints_today(self) -> int:
        return self._complaints_today

    @property
    def complaints_last_hour(self) -> int:
        """Complaints filed during the previous hour (this hour's slot is still filling)."""
        return int(self.complaints[(self._hour - 1) % HOURS_PER_DAY])

    @property
    def churn_today(self) -> float:
        return float(self.churned.sum()) / max(1, self.start_total)

    @property
    def player_growth(self) -> float:
        """Relative change of the player count over the last 24 hours (-1..1)."""
        day_ago = int(self.totals[(self._hour + 1) % HOURS_PER_DAY])
        if day_ago <= 0:
            return 0.0
        return min(1.0, max(-1.0, self._total / day_ago - 1.0))

    @property
    def revenue_change(self) -> float:
        if self.previous_day_revenue <= 0:
            return 0.0
        change = self.revenue_last_day / self.previous_day_revenue - 1.0
        return min(1.0, max(-1.0, float(change)))

    def add_planet(self, galaxy) -> None:
        """Grow every per-planet array for a planet Daly has just built."""
        node = galaxy.size - 1
        appeal = galaxy.attribute(node, "attractiveness")
        self.appeal = np.append(self.appeal, appeal)
        self.players = np.append(self.players, 0)
        self.fear = np.append(self.fear, 0.0)
        self.online = np.append(self.online, 0.0)

    def step(self, tick: int, price_index: float, rng: np.random.Generator) -> None:
        """One hour of players' lives: drift, churn, joins, who is online, what they spend."""
        settings = self.settings
        hour = tick % HOURS_PER_DAY
        if hour == 0:
            self.previous_day_revenue = self.revenue_last_day
        self._hour = hour
        self._complaints_today -= int(self.complaints[hour])
        self.complaints[hour] = 0
        churn_p = min(1.0, settings.churn_rate * price_index**settings.churn_price_elasticity)
        # Drawn as they always were: movers' and churners' noise (one row each), then joins.
        normals = rng.standard_normal((2, len(self.players)))
        expected_joins = settings.join_rate * self._total
        joined = max(0, round(rng.normal(expected_joins, expected_joins**0.5)))
        joined = min(joined, PLAYER_CEILING - self._total)  # the world has no more people
        diurnal = self._diurnal_hours[hour]
        _moved, churned = compiled_hour().players_hour(
            self.players,
            self.fear,
            self.appeal,
            settings.drift_rate,
            churn_p,
            normals,
            joined,
            self.online,
            settings.online_share * diurnal,
            settings.fear_decay,
        )
        self.churned[hour] = churned
        self._total += joined - churned
        self.totals[hour] = self._total
        self._online_total = self._total * settings.online_share * diurnal
        per_player = settings.spend_per_online_hour * price_index ** (
            1.0 - settings.spend_price_elasticity
        )
        self.revenue_last_day += self._online_total * per_player - self.revenue[hour]
        if self.revenue_last_day < 0.0:  # the running sum's rounding residue once spending stops
            self.revenue_last_day = 0.0
        self.revenue[hour] = self._online_total * per_player

    def bandits_strike(self, planet: int, witnesses_factor: float, rng: np.random.Generator) -> int:
        """A robbery or a battle on `planet`: players there fear it and some complain."""
        settings = self.settings
        self.fear[planet] = min(settings.fear_max, self.fear[planet] + settings.bandit_fear)
        expected = self.online[planet] * settings.complaint_rate * witnesses_factor
        complaints = int(rng.poisson(expected))
        self.record_complaints(complaints)
        return complaints

    def log_out(self, planet: int, count: float) -> None:
        """Players hit in a fight just log out for the rest of the hour."""
        gone = min(self.online[planet], count)
        self.online[planet] -= gone
        # The total is rounded apart from the planet's share: with every player on this
        # planet it can fall a last bit below what leaves.
        self._online_total = max(0.0, self._online_total - gone)

    def record_complaints(self, count: int) -> None:
        self.complaints[self._hour] += count
        self._complaints_today += count
