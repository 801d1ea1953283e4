"""Clone Nanette Cole, captain of the USS Callister: one order per hour for the whole ship."""

from __future__ import annotations

from agents.character import Character

RISKY_ORDERS = frozenset({"rob_player", "fight"})
HEART_ACTIONS = (
    "accept_green",
    "accept_red",
    "accept_blue",
    "refuse_copy",
    "fight_daly",
    "load_disk",
)


class Captain(Character):
    role = "captain"

    def sense(self) -> dict[str, float]:
        model = self.model
        ship, galaxy, heart = model.ship, model.galaxy, model.heart
        crew = model.crew_aboard()
        wishes = [member.intent for member in crew]

        def share(wanted: set[str]) -> float:
            return sum(wish in wanted for wish in wishes) / len(wishes) if wishes else 0.0

        hops = galaxy.hops_from(ship.planet)
        _market, market_hops = galaxy.nearest_of_kind(ship.planet, "market")
        return {
            "credits": ship.credits,
            "fuel": ship.fuel,
            "ammo": ship.ammo,
            "shields": ship.shields,
            "hull": ship.hull,
            "threat_nearby": model.threat_near(ship.planet),
            "hunters": float(model.hunters_active),
            "price_index": model.price_index,
            "crew_alive": float(len(crew)),
            "crew_health": sum(m.health for m in crew) / len(crew) if crew else 0.0,
            "crew_raid_support": share({"join_raid"}),
            "crew_rest_support": share({"rest", "repair"}),
            "crew_defiance": share({"defy"}),
            "players_here": float(model.population.online[ship.planet]),
            "at_market": float(galaxy.kind(ship.planet) == "market"),
            "market_hops": float(market_hops),
            "knows_quarters": float(model.story.knows_quarters),
            "walt_aboard": float(model.heart_access()),
            "xj500_hops": float(hops[galaxy.xj500]),
            "heart_hops": float(hops[galaxy.heart]),
            "in_heart": float(heart.captain_inside),
            "ticks_since_raid": float(model.steps - ship.last_raid_tick),
            "green_offered": float("green" in heart.offered),
            "red_offered": float("red" in heart.offered),
            "blue_offered": float("blue" in heart.offered),
            "disk_in_hand": float(heart.disk_in_hand is not None),
            "copy_attempted": float(heart.copy_attempted),
            "daly_hostile": float(heart.daly_hostile),
            "collapse_pending": float(model.collapse_at is not None),
            "real_nanette_coma": float(model.realworld.nanette_state == "coma"),
            "captain_health": self.health,
        }

    def available(self) -> list[str]:
        model = self.model
        heart = model.heart
        if heart.captain_inside:
            return self._heart_options(heart, model.daly.alive, model.realworld.nanette_state)
        ship, galaxy, story = model.ship, model.galaxy, model.story
        options = ["hide"]
        kind = galaxy.kind(ship.planet)
        if kind in ("ordinary", "market") and model.population.online[ship.planet] >= 1:
            options.append("rob_player")
        can_warp = model.can_afford_hop()
        if kind == "market" or model.ship.credits > 0:
            options.append("resupply")
        if can_warp:
            options.append("warp")
        if model.threat_near(ship.planet) > 0:
            options.append("fight")
            if can_warp:
                options.append("flee")
        seeking = story.knows_quarters and not story.walt_aboard and model.walt_alive()
        if seeking and (ship.planet == galaxy.xj500 or can_warp):
            options.append("seek_walt")
        if model.heart_access() and galaxy.alive and (ship.planet == galaxy.heart or can_warp):
            options.append("enter_heart")
        return options

    @staticmethod
    def _heart_options(heart, daly_alive: bool, nanette_state: str) -> list[str]:
        options = ["hide"]  # in the Heart: wait and talk
        options += [
            f"accept_{disk}"
            for disk in sorted(heart.offered)
            if heart.disk_in_hand != disk and heart.disk_usable(disk, nanette_state)
        ]
        if daly_alive:
            options.append("fight_daly")
            if heart.daly_copying:
                options.append("refuse_copy")
        held = heart.disk_in_hand
        blocked = daly_alive and heart.daly_copying
        if held is not None and heart.disk_usable(held, nanette_state) and not blocked:
            options.append("load_disk")
        return options
