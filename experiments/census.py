"""A census of many default runs: what the cast chose, when the story's beats fell, how it ended.

`python -m experiments.census --seeds 200 --workers 2 [--set key=value ...]` prints the
statistics issue 12 asks for: ending shares with Wilson intervals, the share of runs with each
event, the typical day and order of the key beats, the real Nanette's paths, Walton's attacks,
when prices rise, when arrests fall against the crew's ending, the invite party in the Heart,
and every action's availability and choice counts (the crowd's included).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from configuration.errors import UserError
from configuration.loading import load_config
from experiments.statistics import wilson_interval
from world.cast import CHARACTER_CLASSES
from world.clock import HOURS_PER_DAY
from world.endings import ENDINGS
from world.events import CAUSAL_ORDER
from world.knowledge import TAUGHT_AFTER
from world.simulate import build_model, collect_result

# Beats of the episode, in the order it shows them; the census reports when each fell.
KEY_BEATS = (
    "kabir_warns",
    "kabir_quit",
    "logs_granted",
    "clones_discovered",
    "confided",
    "real_visit",
    "walton_attack",
    "quarters_found",
    "walt_joined",
    "nanette_quit",
    "nanette_coma",
    "hospital_called",
    "invite_party",
    "heart_entered",
    "daly_offer",
    "disk_loaded",
    "story_published",
    "walton_arrested",
)
# The real Nanette's actions that make her path (her everyday work is left out).
NANETTE_ROUTINE = {"work"}


def _tally_choices(model, available: Counter, chosen: Counter) -> None:
    """Count, per role and action, how often it was available and chosen (wraps each brain)."""
    # The class, not each character: an heir promoted mid-run is a new object of its class.
    for role, character_class in CHARACTER_CLASSES.items():
        offered = character_class.available

        def counting(self, role=role, offered=offered):
            options = offered(self)
            names = options if options is not None else self.brain.actions
            for action in names:
                available[(role, action)] += 1
            return options

        character_class.available = counting
    crowd_brain = model.hunter_brain
    decide = crowd_brain.decide

    def crowd_decide(inputs, uniforms, **kwargs):
        picks = decide(inputs, uniforms, **kwargs)
        masks = kwargs.get("available") or {}
        for index, action in enumerate(crowd_brain.actions):
            mask = masks.get(action)
            available[("vengeful_player", action)] += (
                int(mask.sum()) if mask is not None else len(uniforms)
            )
            chosen[("vengeful_player", action)] += int((picks == index).sum())
        return picks

    crowd_brain.decide = crowd_decide


def census_of_run(args: tuple) -> dict:
    """One run's facts for the census (runs in a worker process)."""
    config_path, overrides, seed = args
    config = load_config(config_path, overrides)
    model = build_model(config, seed=seed)
    available, chosen = Counter(), Counter()
    originals = {role: cls.available for role, cls in CHARACTER_CLASSES.items()}
    _tally_choices(model, available, chosen)
    started = time.perf_counter()
    try:
        while model.running:
            model.step()
    finally:
        for role, cls in CHARACTER_CLASSES.items():
            cls.available = originals[role]
    result = collect_result(model, time.perf_counter() - started)
    for decision in result.decisions:
        chosen[(decision["role"], decision["action"])] += 1
    firsts: dict[str, int] = {}
    for event in result.events:
        firsts.setdefault(event.kind, event.tick)
    nanette_path = []
    for decision in result.decisions:
        action = decision["action"]
        key = decision["role"] == "nanette" and action not in NANETTE_ROUTINE
        if key and action not in nanette_path:  # her path: key actions in first-chosen order
            nanette_path.append(action)
    order_violations = [
        (effect, cause)
        for effect, cause in CAUSAL_ORDER
        if effect in firsts and not (cause in firsts and firsts[cause] <= firsts[effect])
    ]
    violations = [  # a true belief held before any event it must follow
        (person.name, belief.fact, belief.tick)
        for person in model.cast
        for belief in person.beliefs.learned
        if belief.value is True
        and not any(
            firsts.get(kind, belief.tick + 1) <= belief.tick for kind in TAUGHT_AFTER[belief.fact]
        )
    ]
    heart_at = firsts.get("heart_entered")
    invites = [e.tick for e in result.events if e.kind == "invite_party"]
    return {
        "seed": seed,
        "ending": result.ending,
        "ending_tick": result.ending_tick,
        "kinds": Counter(e.kind for e in result.events),
        "firsts": firsts,
        "hikes": [e.tick for e in result.events if e.kind == "price_hike"],
        "attacks": result.event_counts.get("walton_attack", 0),
        "attack_kills": sum(
            1 for e in result.events if e.kind == "crew_death" and "Walton" in e.text
        ),
        "arrest": firsts.get("walton_arrested"),
        "invite_in_heart": bool(invites and heart_at is not None and invites[0] >= heart_at),
        "invited": bool(invites),
        "nanette_path": tuple(nanette_path),
        "causal_violations": violations,
        "order_violations": order_violations,
        "beliefs_checked": sum(len(person.beliefs.learned) for person in model.cast),
        "available": available,
        "chosen": chosen,
    }


def _day(tick: float) -> str:
    return f"{tick / HOURS_PER_DAY:.1f}"


def report(runs: list[dict]) -> str:
    total = len(runs)
    lines = [f"# Census of {total} runs", "", "## Endings (95% Wilson interval)"]
    endings = Counter(r["ending"] for r in runs)
    for ending in sorted(ENDINGS, key=lambda e: -endings[e]):
        low, high = wilson_interval(endings[ending], total)
        lines.append(
            f"- {ending}: {endings[ending]}/{total} = {endings[ending] / total:.1%} "
            f"[{low:.1%}, {high:.1%}]"
        )
    lines += ["", "## Share of runs with each event"]
    with_kind = Counter(kind for r in runs for kind in r["kinds"])
    for kind, count in sorted(with_kind.items(), key=lambda kv: -kv[1]):
        lines.append(f"- {kind}: {count / total:.0%}")
    lines += ["", "## Key beats: share of runs, median first day (in run order of medians)"]
    beats = []
    for kind in KEY_BEATS:
        ticks = [r["firsts"][kind] for r in runs if kind in r["firsts"]]
        if ticks:
            beats.append((statistics.median(ticks), kind, len(ticks)))
    for median, kind, count in sorted(beats):
        lines.append(f"- day {_day(median)}: {kind} ({count / total:.0%} of runs)")
    paths = Counter(r["nanette_path"] for r in runs)
    lines += ["", f"## The real Nanette: {len(paths)} different paths; the commonest"]
    for path, count in paths.most_common(8):
        lines.append(f"- {count}: {' -> '.join(path) or '(only work)'}")
    attacks = [r["attacks"] for r in runs]
    lines += [
        "",
        "## Walton's attacks per run",
        f"mean {statistics.mean(attacks):.2f}, median {statistics.median(attacks)}, "
        f"max {max(attacks)}; runs where his gun killed: "
        f"{sum(1 for r in runs if r['attack_kills'])}",
    ]
    hikes = [t for r in runs for t in r["hikes"]]
    lines += ["", f"## Price hikes by day ({len(hikes)} hikes)"]
    if hikes:
        for start in range(0, 90, 10):
            share = sum(start * 24 <= t < (start + 10) * 24 for t in hikes) / len(hikes)
            lines.append(f"- days {start}-{start + 10}: {share:.0%}")
    arrested = [r for r in runs if r["arrest"] is not None]
    before = [r for r in arrested if r["ending_tick"] is None or r["arrest"] < r["ending_tick"]]
    gaps = [(r["arrest"] - r["ending_tick"]) / 24 for r in arrested if r["ending_tick"]]
    lines += [
        "",
        "## Arrests",
        f"{len(arrested)}/{total} runs; before the crew's ending: {len(before)}; "
        f"median days after the ending: {statistics.median(gaps):.1f}"
        if gaps
        else f"{len(arrested)}/{total} runs",
    ]
    invited = sum(r["invited"] for r in runs)
    in_heart = sum(r["invite_in_heart"] for r in runs)
    lines += [
        "",
        "## Invite party",
        f"{invited} runs; while the captain is in the Heart: {in_heart}",
    ]
    violations = [v for r in runs for v in r["causal_violations"]]
    lines += [
        "",
        "## Causal order: every belief held true was learned after an event it must follow",
        f"{sum(r['beliefs_checked'] for r in runs)} beliefs checked; violations: {len(violations)}"
        + (f" (first: {violations[0]})" if violations else ""),
        "",
        f"## Causal order of events: {len(CAUSAL_ORDER)} rules (world.events.CAUSAL_ORDER)",
        f"violations: {sum(len(r['order_violations']) for r in runs)}"
        + "".join(f"; {e} before {c}" for r in runs for e, c in r["order_violations"][:1]),
    ]
    available, chosen = Counter(), Counter()
    for r in runs:
        available.update(r["available"])
        chosen.update(r["chosen"])
    never = sorted(key for key in available if available[key] and not chosen[key])
    lines += ["", "## Actions: chosen / available (decisions)"]
    for role, action in sorted(available):
        lines.append(f"- {role}.{action}: {chosen[(role, action)]} / {available[(role, action)]}")
    lines += [
        "",
        "## Actions available but never chosen: "
        + (", ".join(f"{r}.{a}" for r, a in never) or "none"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m experiments.census", description=__doc__)
    parser.add_argument("config", nargs="?", default="configs/default.toml")
    parser.add_argument("--seeds", type=int, default=200, help="runs, seeds 1..N")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    options = parser.parse_args(argv)
    if options.seeds < 1 or options.workers < 1:
        parser.error("--seeds and --workers must be at least 1")  # exits 2
    try:  # a bad file or --set is one clear message before any run starts
        load_config(options.config, options.overrides)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    jobs = [(options.config, options.overrides, seed) for seed in range(1, options.seeds + 1)]
    with ProcessPoolExecutor(options.workers) as pool:
        runs = list(pool.map(census_of_run, jobs, chunksize=4))
    print(report(runs))


if __name__ == "__main__":
    main()
