"""Story sifting: find the shipped (or a user's) story patterns in a run's timeline.

Semantics (docs/stories.md). Beats match happenings in timeline order, each strictly after
the previous beat's. For every happening that matches the first beat, the *earliest
completion* is taken: the earliest second beat from which the rest can still complete, then
the earliest third, and so on. Completions that end on the same happening with the same
variables are one match, reported from the latest first beat (the tightest): a crew member's
twenty refusals before their death are one mutiny. A one-beat pattern matches every
happening it names.

The search is a depth-first walk that remembers every (beat, previous happening, bindings)
from which no completion exists, so each such state is tried at most once: the cost is
polynomial in the timeline's length, never exponential in the number of beats (and linear
for beats without `within` or `not_between`, whose failures carry over to later starts).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from experiments.stories_language import VARIABLE_PREFIX, Beat, Guard, Pattern
from experiments.stories_timeline import DECISION, EVENT, Happening

TimelineIndex = Mapping[tuple[str, str], Sequence[Happening]]


@dataclass(frozen=True)
class Match:
    """One match of a pattern: the happening of each beat and who the variables named."""

    happenings: tuple[Happening, ...]
    bindings: Mapping[str, str]

    def to_dict(self) -> dict:
        return {
            "ticks": [happening.tick for happening in self.happenings],
            "bindings": dict(self.bindings),
            "beats": [happening.to_dict() for happening in self.happenings],
        }


class _Matcher:
    """A beat or guard compiled against one timeline: the positions its fixed conditions allow."""

    def __init__(self, spec: Guard, index: TimelineIndex, variables: Mapping[str, int]):
        source, kind = (EVENT, spec.event) if spec.event is not None else (DECISION, spec.action)
        self.actor = _slot(spec.actor, variables)
        self.target = _slot(spec.target, variables)
        # a beat that names or binds a target needs a second actor; one that binds, a first
        binds_target = isinstance(spec, Beat) and spec.target_as is not None
        binds_actor = isinstance(spec, Beat) and spec.bind_actor is not None
        needed = 2 if binds_target or self.target is not None else int(binds_actor)
        self.positions = [
            h.position
            for h in index.get((source, kind), ())
            if len(h.actors) >= needed
            and _role_fits(h, 0, self.actor)
            and _role_fits(h, 1, self.target)
        ]

    def fits(self, happening: Happening, bound: tuple[str, ...]) -> bool:
        """The conditions that depend on earlier beats: actors equal to bound variables."""
        return _bound_fits(happening, 0, self.actor, bound) and _bound_fits(
            happening, 1, self.target, bound
        )


def _slot(condition: str | None, variables: Mapping[str, int]) -> str | int | None:
    """A role (str), a variable's index among the bindings (int), or no condition (None)."""
    if condition is not None and condition.startswith(VARIABLE_PREFIX):
        return variables[condition[len(VARIABLE_PREFIX) :]]
    return condition


def _role_fits(happening: Happening, slot: int, condition: str | int | None) -> bool:
    if not isinstance(condition, str):
        return condition is None or len(happening.actors) > slot
    return len(happening.roles) > slot and happening.roles[slot] == condition


def _bound_fits(happening: Happening, slot: int, condition, bound: tuple[str, ...]) -> bool:
    return not isinstance(condition, int) or happening.actors[slot] == bound[condition]


class _Search:
    """Earliest completions of one pattern over one timeline, with failures remembered."""

    def __init__(self, pattern: Pattern, timeline: Sequence[Happening], index: TimelineIndex):
        self.timeline = timeline
        self.beats: list[Beat] = list(pattern.beats)
        self.variables: dict[str, int] = {}
        self.matchers: list[_Matcher] = []
        self.guards: list[list[_Matcher]] = []
        for beat in self.beats:
            self.matchers.append(_Matcher(beat, index, self.variables))
            self.guards.append([_Matcher(g, index, self.variables) for g in beat.not_between])
            for name in (beat.bind_actor, beat.target_as):
                if name is not None:
                    self.variables[name] = len(self.variables)
        self.failed: set[tuple[int, int, tuple[str, ...]]] = set()
        # A beat with no `within` and no guards that cannot complete after position p cannot
        # after any later p either (its candidates only shrink): the earliest such p, by
        # (beat, bindings), makes a long run of hopeless first beats cost one scan, not n.
        self.hopeless_after: dict[tuple[int, tuple[str, ...]], int] = {}

    def bind(self, number: int, happening: Happening, bound: tuple[str, ...]) -> tuple[str, ...]:
        beat = self.beats[number]
        if beat.bind_actor is not None:
            bound += (happening.actors[0],)
        if beat.target_as is not None:
            bound += (happening.actors[1],)
        return bound

    def first_forbidden(self, number: int, after: int, bound: tuple[str, ...]) -> int:
        """The position of the first guarded happening after `after` (past the end: none)."""
        first = len(self.timeline)
        for guard in self.guards[number]:
            start = bisect.bisect_right(guard.positions, after)
            for position in guard.positions[start:]:
                if position >= first:
                    break
                if guard.fits(self.timeline[position], bound):
                    first = position
                    break
        return first

    def complete(self, number: int, after: int, bound: tuple[str, ...]) -> tuple[int, ...] | None:
        """The earliest positions of beats `number`.. after position `after`, or None."""
        if number == len(self.beats):
            return ()
        state = (number, after, bound)
        beat, matcher = self.beats[number], self.matchers[number]
        unbounded = beat.within is None and not beat.not_between
        if state in self.failed or after >= self.hopeless_after.get((number, bound), after + 1):
            return None
        last_tick = self.timeline[after].tick + beat.within if beat.within is not None else None
        stop = self.first_forbidden(number, after, bound)
        start = bisect.bisect_right(matcher.positions, after)
        for position in matcher.positions[start:]:
            happening = self.timeline[position]
            if position >= stop or (last_tick is not None and happening.tick > last_tick):
                break
            if not matcher.fits(happening, bound):
                continue
            rest = self.complete(number + 1, position, self.bind(number, happening, bound))
            if rest is not None:
                return (position, *rest)
        self.failed.add(state)
        if unbounded:
            key = (number, bound)
            self.hopeless_after[key] = min(after, self.hopeless_after.get(key, after))
        return None

    def matches(self) -> list[Match]:
        starts = self.matchers[0].positions
        if len(self.beats) == 1:
            return [self.match((position,)) for position in starts]
        # one match per (last happening, bindings): the one with the latest first beat
        by_end: dict[tuple[int, tuple[str, ...]], tuple[int, ...]] = {}
        for position in starts:
            first = self.bind(0, self.timeline[position], ())
            rest = self.complete(1, position, first)
            if rest is not None:
                positions = (position, *rest)
                by_end[(rest[-1], self.bound_by(positions))] = positions  # starts rise
        found = sorted(by_end.values())
        return [self.match(positions) for positions in found]

    def bound_by(self, positions: tuple[int, ...]) -> tuple[str, ...]:
        """The variables' values in a complete match."""
        bound: tuple[str, ...] = ()
        for number, position in enumerate(positions):
            bound = self.bind(number, self.timeline[position], bound)
        return bound

    def match(self, positions: tuple[int, ...]) -> Match:
        happenings = tuple(self.timeline[p] for p in positions)
        bound = self.bound_by(positions)
        return Match(happenings, dict(zip(self.variables, bound, strict=True)))


def index_timeline(timeline: Sequence[Happening]) -> TimelineIndex:
    """The happenings of each (source, kind), in timeline order: what each beat looks through."""
    index: dict[tuple[str, str], list[Happening]] = {}
    for happening in timeline:
        index.setdefault((happening.source, happening.kind), []).append(happening)
    return index


def find_matches(
    pattern: Pattern,
    timeline: Sequence[Happening],
    ending: str | None = None,
    index: TimelineIndex | None = None,
) -> list[Match]:
    """Every match of `pattern` in `timeline`, in the order of their first beats.

    A pattern that names `endings` matches only a run that reached one of them (`ending`).
    `index` (`index_timeline(timeline)`) saves rebuilding it when many patterns read one run.
    """
    if pattern.endings and ending not in pattern.endings:
        return []
    return _Search(
        pattern, timeline, index_timeline(timeline) if index is None else index
    ).matches()
