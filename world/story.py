"""What has happened in the crew's story so far: the facts later choices depend on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Story:
    knows_quarters: bool = False
    walt_found: bool = False
    walt_aboard: bool = False
    rocky_found: bool = False
    robbed_total: int = 0
    party_invited: bool = False
    disk_loaded: str | None = None
    copy_made: bool = False
    finished: bool = False
    ending: str | None = None
    ending_tick: int | None = None
    walt_out_cold_until: int = -1  # struck down by Walton's avatar: no key to the Heart till then
