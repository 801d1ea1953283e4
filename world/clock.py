"""The clock every part of a run shares: one tick is one hour, and days start at tick 0."""

from __future__ import annotations

HOURS_PER_DAY = 24  # one tick is one hour


def day_of(tick: int) -> int:
    """The day a tick falls on: day 1 starts at tick 0."""
    return tick // HOURS_PER_DAY + 1


def stamp(tick: int, day_width: int = 1) -> str:
    """`Day 3 14:00` for a tick; `day_width` right-aligns the day number, for columns of text."""
    return f"Day {day_of(tick):>{day_width}} {tick % HOURS_PER_DAY:02d}:00"
