"""The Heart of Infinity: clone Daly's garage, the state of his bargain and which disks exist.

Which disks exist depends on the world: red and blue need the real Nanette's mind to be vacant
(in a coma), blue only after the captain has chosen to save her crew over herself. What Daly
and the captain do there is in `world.cast.daly` and `world.cast.captain_in_heart`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DISK_TEXT = {
    "green": "a private universe for the crew",
    "red": "her mind back into the real Nanette's body, the crew wiped",
    "blue": "everyone into the real Nanette's mind",
}


@dataclass
class HeartState:
    captain_inside: bool = False
    offered: set[str] = field(default_factory=set)
    disk_in_hand: str | None = None
    noble_choice: bool = False
    copy_attempted: bool = False
    copy_progress: float = 0.0
    daly_copying: bool = False
    daly_hostile: bool = False
    captain_hostile: bool = False
    offer_made_now: bool = False

    @staticmethod
    def disk_usable(disk: str, nanette_state: str) -> bool:
        """Red and blue need the real Nanette's mind vacant: in a coma, not dead or awake."""
        return disk == "green" or nanette_state == "coma"

    def disks_on_offer(self, nanette_state: str) -> list[str]:
        disks = ["green"]
        if nanette_state == "coma":
            disks.append("red")
            if self.noble_choice:
                disks.append("blue")
        return disks

    def new_offer_possible(self, nanette_state: str) -> bool:
        return any(disk not in self.offered for disk in self.disks_on_offer(nanette_state))
