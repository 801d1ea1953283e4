"""Stories as a run unfolds: which patterns are brewing ("2 of 3 beats"), which are complete.

At hour `now` (every happening up to and including that hour is in the timeline) a pattern is
*brewing* at k beats when its first k beats match (exactly as `find_matches` matches the
k-beat prefix) and beat k + 1 can still come: its `within` window from beat k has not passed
and none of its `not_between` guards has happened since beat k. The furthest such k is
reported, with who the variables name. A pattern that names `endings` is complete only once
the run has ended in one of them; until the run ends, all its beats matched is "brewing at
n of n, waiting for the ending".

Matching depends only on the happenings a pattern names (its beats' and guards' kinds), in
order, so each pattern is matched on its own sub-timeline of those: `StoryWatch` keeps them
up to date as a live run grows, so a step costs the new hour's happenings, not the run's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from experiments.stories import Match, find_matches
from experiments.stories_language import VARIABLE_PREFIX, Guard, Pattern, kinds_named
from experiments.stories_timeline import DECISION, EVENT, PROMOTION, Happening, build_timeline


@dataclass(frozen=True)
class PatternProgress:
    """One pattern at hour `now`: its complete matches and its furthest live partial ones."""

    pattern_id: str
    pattern: Pattern
    complete: tuple[Match, ...]
    brewing_beats: int  # k: beats matched by the partial matches below (0: nothing brewing)
    brewing: tuple[Match, ...]  # one per distinct set of bound actors, latest first

    @property
    def beats(self) -> int:
        return len(self.pattern.beats)

    @property
    def awaits_ending(self) -> bool:
        """Every beat has happened; only the ending the pattern names is missing."""
        return bool(self.brewing) and self.brewing_beats == self.beats


def story_progress(
    patterns: Mapping[str, Pattern],
    timeline: Sequence[Happening],
    now: int,
    ending: str | None = None,
    finished: bool = False,
) -> list[PatternProgress]:
    """Every pattern's progress at hour `now`, in file order.

    `ending` is the ending the run has reached (None: not yet); `finished`, whether the run
    has stopped (nothing can brew any more).
    """
    return [
        pattern_progress(pattern_id, pattern, _named_only(timeline, pattern), now, ending, finished)
        for pattern_id, pattern in patterns.items()
    ]


def pattern_progress(
    pattern_id: str,
    pattern: Pattern,
    timeline: Sequence[Happening],
    now: int,
    ending: str | None,
    finished: bool,
) -> PatternProgress:
    """One pattern's progress; `timeline` may hold only the happenings the pattern names."""
    return _Candidates(pattern, timeline, ending).progress(pattern_id, now, finished)


class _Candidates:
    """A pattern's complete matches and the matches of each of its prefixes, on one timeline.

    They change only when the timeline grows (or the run reaches its ending); whether a
    prefix still brews changes with the hour, and is judged afresh by `progress`.
    """

    def __init__(self, pattern: Pattern, timeline: Sequence[Happening], ending: str | None):
        self.pattern, self.timeline, self.ending = pattern, timeline, ending
        self.size = len(timeline)
        self.complete = tuple(find_matches(pattern, timeline, ending))
        beats, unended = pattern.beats, pattern.model_copy(update={"endings": ()})
        # prefixes[k]: the matches of the first k beats (k = n only when an ending is named)
        self.prefixes = {
            k: find_matches(unended.model_copy(update={"beats": beats[:k]}), timeline)
            for k in range(1, len(beats) + bool(pattern.endings))
        }

    def progress(self, pattern_id: str, now: int, finished: bool) -> PatternProgress:
        pattern, beats = self.pattern, self.pattern.beats
        nothing = PatternProgress(pattern_id, pattern, self.complete, 0, ())
        if finished or (pattern.endings and self.ending is not None):
            return nothing  # no happening will come, or the ending is decided either way
        whole = self.prefixes.get(len(beats))
        if whole:  # every beat there, the ending still to come
            return PatternProgress(pattern_id, pattern, self.complete, len(beats), _latest(whole))
        for k in range(len(beats) - 1, 0, -1):
            live = [
                match
                for match in self.prefixes[k]
                if _next_beat_can_come(match, beats[k], self.timeline, now)
            ]
            if live:
                return PatternProgress(pattern_id, pattern, self.complete, k, _latest(live))
        return nothing


def _next_beat_can_come(match: Match, beat: Guard, timeline: Sequence[Happening], now: int) -> bool:
    """Whether `beat` (the next one) can still follow `match`: in its window, unguarded."""
    last = match.happenings[-1]
    # the earliest the next beat can come is the next hour: every happening of `now` is in
    if beat.within is not None and last.tick + beat.within <= now:
        return False
    after = timeline[last.position + 1 :]
    return not any(
        _fits(guard, happening, match.bindings) for guard in beat.not_between for happening in after
    )


def _fits(guard: Guard, happening: Happening, bindings: Mapping[str, str]) -> bool:
    """Whether `happening` is what `guard` names, its actors as the bindings say."""
    source, kind = (EVENT, guard.event) if guard.event is not None else (DECISION, guard.action)
    if happening.source != source or happening.kind != kind:
        return False
    for slot, condition in enumerate((guard.actor, guard.target)):
        if condition is None:
            continue
        if len(happening.actors) <= slot:
            return False
        if condition.startswith(VARIABLE_PREFIX):
            if happening.actors[slot] != bindings[condition[len(VARIABLE_PREFIX) :]]:
                return False
        elif happening.roles[slot] != condition:
            return False
    return True


def _latest(matches: Iterable[Match]) -> tuple[Match, ...]:
    """One match per set of bound actors, the one whose last beat came latest; latest first."""
    by_actors: dict[tuple, Match] = {}
    for match in matches:
        key = tuple(match.bindings.items())
        kept = by_actors.get(key)
        if kept is None or match.happenings[-1].position >= kept.happenings[-1].position:
            by_actors[key] = match
    return tuple(sorted(by_actors.values(), key=lambda m: -m.happenings[-1].position))


def _named_only(timeline: Sequence[Happening], pattern: Pattern) -> list[Happening]:
    """The happenings `pattern` names, renumbered: matching them is matching the whole."""
    named = kinds_named(pattern)
    kept = [h for h in timeline if (h.source, h.kind) in named]
    return [dataclasses.replace(h, position=n) for n, h in enumerate(kept)]


class StoryWatch:
    """Follows a growing run through its own logs, reading only what was appended.

    A live page calls `update` after every step with the model's event log and decisions;
    each pattern is matched again only when a happening it names arrived (or the run reached
    its ending), so an hour costs its own happenings. Roles follow promotions across calls,
    as `build_timeline` does within one.
    """

    def __init__(self, patterns: Mapping[str, Pattern], cast: Mapping[str, tuple[str, str]]):
        self.patterns = dict(patterns)
        self.cast = dict(cast)  # character id -> (display name, role), promotions applied
        self.named = {pid: kinds_named(pattern) for pid, pattern in self.patterns.items()}
        self.timelines: dict[str, list[Happening]] = {pid: [] for pid in self.patterns}
        self.candidates: dict[str, _Candidates] = {}
        self.events_read = self.decisions_read = 0

    def update(
        self,
        events: Sequence,
        decisions: Sequence[Mapping],
        now: int,
        ending: str | None = None,
        finished: bool = False,
    ) -> list[PatternProgress]:
        """Read the happenings appended since the last call; every pattern's progress at `now`.

        `events` is the whole event log so far (`world.events.Event`: tick, kind, actors,
        text), `decisions` every decision so far (dicts with tick, character, role, action).
        """
        fresh = build_timeline(
            [(e.tick, e.kind, e.actors, e.text) for e in events[self.events_read :]],
            [
                (d["tick"], d["character"], d["role"], d["action"])
                for d in decisions[self.decisions_read :]
            ],
            self.cast,
        )
        self.events_read, self.decisions_read = len(events), len(decisions)
        for happening in fresh:
            if happening.source == EVENT and happening.kind == PROMOTION and happening.actors:
                self._promote(happening.actors[0])
            for pattern_id, named in self.named.items():
                if (happening.source, happening.kind) in named:
                    sub = self.timelines[pattern_id]
                    sub.append(dataclasses.replace(happening, position=len(sub)))
        progress = []
        for pattern_id, pattern in self.patterns.items():
            sub, known = self.timelines[pattern_id], self.candidates.get(pattern_id)
            if known is None or known.size != len(sub) or known.ending != ending:
                known = self.candidates[pattern_id] = _Candidates(pattern, sub, ending)
            progress.append(known.progress(pattern_id, now, finished))
        return progress

    def _promote(self, shown: str) -> None:
        """The promoted character holds the captain's role in every later call too."""
        for name, (display, _role) in self.cast.items():
            if display == shown:
                self.cast[name] = (display, "captain")
