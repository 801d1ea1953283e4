"""Per-tick metrics collected by Mesa's DataCollector: the series every chart and batch reads."""

from __future__ import annotations


def _crew_health(model) -> float:
    crew = model.crew_aboard()
    return sum(m.health for m in crew) / len(crew) if crew else 0.0


def _clones_alive(model) -> int:
    return int(model.captain.alive) + sum(m.alive for m in model.crew)


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
