"""Scaling benchmarks: what a run costs as the galaxy, the players and the vengeful cap grow.

Each size is a default run (configs/default.toml) with one knob overridden, built and stepped
`TICKS` hours in-process:
- planets: `galaxy.initial_planets` at 50, 500, 5,000 and 20,000 (build alone, and build +
  `TICKS` ticks), plus a build of 10,000 planets;
- players: `population.players` at 30 k, 30 M and 3 B;
- the vengeful cap: `world.max_vengeful` at 400, 4,000 and 40,000. One robbery materialises
  one robbed player, so a 300-hour run never reaches these caps by itself: the benchmark fills
  the world to the cap first (`add_victim` on random planets, each with the grudge the config
  draws), then steps it, so every hour pays for `cap` players deciding.
`notes` prints the scaling table, each run as a ratio to the default 50-planet one (30 M players,
cap 400), and the targets of issue 13:
300 ticks at 5,000 planets (build included) <= 1.5x the same at 50; 10,000 planets build in
<= 1 s; the per-tick cost grows at most linearly with the vengeful cap.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from benchmarks import Case, Result, format_seconds
from configuration.loading import load_config
from world.cast.vengeful_player import add_victim
from world.simulate import build_model

DEFAULT = Path(__file__).resolve().parents[1] / "configs" / "default.toml"
TICKS = 300
SEED = 7
PLANETS = (50, 500, 5_000, 20_000)
BUILD_ONLY = 10_000
PLAYERS = (30_000, 30_000_000, 3_000_000_000)
CAPS = (400, 4_000, 40_000)
PLANETS_RATIO_TARGET = 1.5  # 300 ticks at 5,000 planets over the same at 50 (build included)
BUILD_TARGET_S = 1.0  # building 10,000 planets
# Robbed players who stay angry through the benchmark's hours (their grudge halves in 120 h).
GRUDGE = ("population.grudge_start_min=1.0", "population.grudge_start_max=1.0")


def _config(*overrides: str):
    return load_config(DEFAULT, list(overrides))


def _planets(count: int) -> tuple[str, ...]:
    return (f"galaxy.initial_planets={count}", f"galaxy.max_planets={max(count, 1000)}")


class Stepped:
    """Build a model (filled with `robbed` vengeful players) and step it `TICKS` hours.

    Remembers how many ticks actually ran (a story can end sooner).
    """

    def __init__(self, config, robbed: int = 0, ticks: int = TICKS) -> None:
        self.config, self.robbed, self.ticks = config, robbed, ticks
        self.ticks_run = ticks

    def __call__(self) -> None:
        model = build_model(self.config, seed=SEED)
        planets = model.galaxy.planets_of_kind("ordinary", "market")
        for planet in model.rng.choice(planets, size=self.robbed):
            add_victim(model, int(planet))
        for done in range(self.ticks):
            if not model.running:
                self.ticks_run = done
                return
            model.step()
        self.ticks_run = self.ticks


def planets_name(count: int) -> str:
    return f"scale: build + {TICKS} ticks at {count:,} planets"


def build_name(count: int) -> str:
    return f"scale: build at {count:,} planets"


def players_name(count: int) -> str:
    return f"scale: build + {TICKS} ticks at {count:,} players"


def cap_name(cap: int) -> str:
    return f"scale: build + {TICKS} ticks at vengeful cap {cap:,}"


def filled_name(cap: int) -> str:
    return f"scale: build, filled to vengeful cap {cap:,}"


def cases() -> list[Case]:
    built = []
    for count in (*PLANETS[:3], BUILD_ONLY, PLANETS[3]):
        target = BUILD_TARGET_S if count == BUILD_ONLY else None
        repeats = 3 if count >= BUILD_ONLY else 7
        built.append(
            Case(build_name(count), Stepped(_config(*_planets(count)), ticks=0), target, 1, repeats)
        )
    stepped = [
        Case(
            planets_name(count),
            Stepped(_config(*_planets(count))),
            repeats=3 if count > 5_000 else 7,
        )
        for count in PLANETS
    ]
    players = [
        Case(players_name(count), Stepped(_config(f"population.players={count}")), repeats=5)
        for count in PLAYERS
    ]
    caps = []
    for cap in CAPS:
        config = _config(*GRUDGE, f"world.max_vengeful={cap}")
        caps.append(Case(filled_name(cap), Stepped(config, cap, ticks=0), repeats=5))
        caps.append(Case(cap_name(cap), Stepped(config, cap), repeats=5))
    return built + stepped + players + caps


def notes(results: list[Result]) -> list[str]:
    """The scaling table (ratios to the default 50-planet run) and the issue's targets."""
    by_name = {r.case.name: r for r in results}

    def per_tick(name: str, build: float) -> float:
        result = by_name[name]
        ticks = max(1, result.case.run.ticks_run)
        return max(0.0, result.median_s - build) / ticks

    lines = [f"scale: {'size':>22}  {'build':>9}  {'per tick':>9}  {'run':>9}  ratio (run)"]
    base = by_name[planets_name(PLANETS[0])].median_s
    for count in PLANETS:
        build = by_name[build_name(count)].median_s
        run = by_name[planets_name(count)].median_s
        tick = per_tick(planets_name(count), build)
        lines.append(
            f"scale: {f'{count:,} planets':>22}  {format_seconds(build):>9}  "
            f"{format_seconds(tick):>9}  {format_seconds(run):>9}  {run / base:.2f}x"
        )
    for label, names in (
        ("players", [(f"{n:,} players", players_name(n), build_name(50)) for n in PLAYERS]),
        ("vengeful cap", [(f"cap {n:,}", cap_name(n), filled_name(n)) for n in CAPS]),
    ):
        for size, name, before in names:
            run, build = by_name[name].median_s, by_name[before].median_s
            ticks = by_name[name].case.run.ticks_run
            lines.append(
                f"scale: {size:>22}  {format_seconds(build):>9}  "
                f"{format_seconds(per_tick(name, build)):>9}  "
                f"{format_seconds(run):>9}  {run / base:.2f}x ({label}, {ticks} ticks)"
            )
    ratio = by_name[planets_name(PLANETS[2])].median_s / base
    lines.append(
        f"scale: {TICKS} ticks at {PLANETS[2]:,} planets / at {PLANETS[0]} (build included) = "
        f"{ratio:.2f} "
        f"(target <= {PLANETS_RATIO_TARGET}): {'pass' if ratio <= PLANETS_RATIO_TARGET else 'FAIL'}"
    )
    cap_ticks = [per_tick(cap_name(cap), by_name[filled_name(cap)].median_s) for cap in CAPS]
    growth = [later / earlier for earlier, later in itertools.pairwise(cap_ticks)]
    linear = all(g <= 10.0 for g in growth)  # each size is 10x the one before
    lines.append(
        f"scale: per-tick cost at vengeful cap {CAPS[1]:,} / {CAPS[0]:,} = {growth[0]:.2f}, "
        f"{CAPS[2]:,} / {CAPS[1]:,} = {growth[1]:.2f} (at most linear: <= 10 each): "
        f"{'pass' if linear else 'FAIL'}"
    )
    return lines
