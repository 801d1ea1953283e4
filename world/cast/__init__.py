"""The cast: one module per role id, each with its catalog, senses, choices and their effects.

`CATALOGS` is the vocabulary the configuration schema is generated from, in the order the
config reference documents the roles. Characters of the roles in `CHARACTER_CLASSES` are named
in a scenario's `[characters]`; a crowd (robbed players) is never named: it appears in play.
"""

from __future__ import annotations

from world.cast import captain, crew, daly, nanette, vengeful_player, walton

CHARACTER_MODULES = (captain, crew, walton, nanette, daly)
CROWD_MODULES = (vengeful_player,)
ROLE_MODULES = CHARACTER_MODULES + CROWD_MODULES
CATALOGS = {module.CATALOG.role: module.CATALOG for module in ROLE_MODULES}
CHARACTER_CLASSES = {module.CATALOG.role: module.CHARACTER for module in CHARACTER_MODULES}

__all__ = ["CATALOGS", "CHARACTER_CLASSES", "CHARACTER_MODULES", "CROWD_MODULES", "ROLE_MODULES"]
