"""The cast: one module per role id, each with its catalog, senses, choices and their effects.

`CATALOGS` is the vocabulary the configuration schema is generated from, in the order the
config reference documents the roles.
"""

from __future__ import annotations

from world.cast import captain, crew, daly, nanette, vengeful_player, walton
from world.cast.vocabulary import TRAITS

ROLE_MODULES = (captain, crew, walton, nanette, daly, vengeful_player)
CATALOGS = {module.CATALOG.role: module.CATALOG for module in ROLE_MODULES}

__all__ = ["CATALOGS", "ROLE_MODULES", "TRAITS"]
