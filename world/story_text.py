"""The story as lines to read: turning points in full, everyday beats folded with a count.

Which kinds are everyday is `world.events.ROUTINE`, nowhere else: a kind marked there folds
here, in the CLI and in the dashboard. Routine events between two turning points become one
line with their counts and the days they span; a routine event that is alone is told in full.
Kinds whose texts repeat word for word keep their text, with the count ("… (×12)").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from world.clock import day_of, stamp
from world.events import ROUTINE

STAMP_WIDTH = len(stamp(0, day_width=2))  # "Day  1 00:00": folded lines align with it


@dataclass(frozen=True, slots=True)
class StoryLine:
    """One printed line: a single event (`kinds` holds its kind) or a folded run of them."""

    first_tick: int
    last_tick: int
    kinds: tuple[str, ...]
    text: str
    events: int = 1  # how many events this line stands for

    @property
    def folded(self) -> bool:
        return self.events > 1

    @property
    def routine(self) -> bool:
        return all(kind in ROUTINE for kind in self.kinds)

    def render(self) -> str:
        """The line as the CLI prints it, stamped with its hour or the days it spans."""
        if not self.folded:
            return f"{stamp(self.first_tick, day_width=2)}  {self.text}"
        first, last = day_of(self.first_tick), day_of(self.last_tick)
        span = f"Day {first:>2}" if first == last else f"Days {first:>2}-{last}"
        return f"{span:<{STAMP_WIDTH}}  ... {self.text}"


@dataclass
class _Run:
    """Routine events waiting for the next turning point, by kind in order of appearance."""

    ticks: list[int] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)
    last: tuple[int, str, str] | None = None

    def add(self, tick: int, kind: str, text: str) -> None:
        self.ticks.append(tick)
        self.texts.setdefault(kind, []).append(text)
        self.last = (tick, kind, text)

    def line(self) -> StoryLine | None:
        if not self.ticks:
            return None
        if len(self.ticks) == 1:
            tick, kind, text = self.last
            return StoryLine(tick, tick, (kind,), text)
        parts = [_count(kind, texts) for kind, texts in self.texts.items()]
        first, last = self.ticks[0], self.ticks[-1]
        return StoryLine(first, last, tuple(self.texts), "; ".join(parts), len(self.ticks))


def _count(kind: str, texts: list[str]) -> str:
    """'12 robberies', or the repeated text itself with its count."""
    if len(texts) > 1 and len(set(texts)) == 1:
        return f"{texts[0].rstrip('.')} (×{len(texts)})"
    singular, plural = ROUTINE[kind]
    return f"{len(texts)} {plural if len(texts) != 1 else singular}"


class StoryFolder:
    """Turns events, as they come, into story lines; routine ones wait for the next turn."""

    def __init__(self) -> None:
        self._run = _Run()

    def feed(self, tick: int, kind: str, text: str) -> list[StoryLine]:
        """The lines this event completes (none while a routine run goes on)."""
        if kind in ROUTINE:
            self._run.add(tick, kind, text)
            return []
        lines = self.flush()
        lines.append(StoryLine(tick, tick, (kind,), text))
        return lines

    def flush(self) -> list[StoryLine]:
        """The routine run so far as one line (or none), and a fresh run."""
        line = self._run.line()
        self._run = _Run()
        return [line] if line is not None else []


def fold_story(events: Iterable[tuple[int, str, str]]) -> list[StoryLine]:
    """A whole story, `(tick, kind, text)` in order, as folded lines."""
    folder = StoryFolder()
    lines = [line for tick, kind, text in events for line in folder.feed(tick, kind, text)]
    return lines + folder.flush()
