"""A quick A/B of an edited scenario against its original over a few seeds.

Each (variant, seed) is one ordinary `world.simulate.simulate` run with traces off; the
page shows one row per run and the endings side by side. It is a first look, not a
statistic: for intervals and tests, save the config and run an experiment.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from configuration.errors import UserError
from configuration.scenario import ScenarioConfig
from world.simulate import simulate

VARIANTS = ("original", "edited")
MAX_SEEDS = 8


def compare(
    original: ScenarioConfig,
    edited: ScenarioConfig,
    seeds: list[int],
    ticks: int | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One row per run: variant, seed, ending, its tick and a few outcome figures.

    A run that raises becomes a `UserError` naming the variant and the seed.
    """
    rows, total = [], 2 * len(seeds)
    for seed in seeds:
        for variant, config in zip(VARIANTS, (original, edited), strict=True):
            try:
                result = simulate(config, seed=seed, ticks=ticks, trace="off")
            except Exception as error:  # the schema accepted it, the world did not: say which
                raise UserError(
                    f"the {variant} scenario, seed {seed}, failed at run time: "
                    f"{type(error).__name__}: {error}"
                ) from error
            last = result.metrics.iloc[-1]
            rows.append(
                {
                    "variant": variant,
                    "seed": seed,
                    "ending": result.ending,
                    "ending tick": result.ending_tick,
                    "crew alive": sum(member["alive"] for member in result.crew),
                    "robberies": result.event_counts.get("robbery", 0),
                    "price index": float(last["price_index"]),
                    "credits": float(last["credits"]),
                    "Walton arrested": bool(result.flags["walton_arrested"]),
                    "digest": result.digest,
                }
            )
            if on_run is not None:
                on_run(len(rows), total)
    return pd.DataFrame(rows)


def ending_counts(runs: pd.DataFrame) -> pd.DataFrame:
    """Endings (rows) by variant (columns): how often each ending happened."""
    table = pd.crosstab(runs["ending"], runs["variant"])
    return table.reindex(columns=list(VARIANTS), fill_value=0)


def same_runs(runs: pd.DataFrame) -> bool:
    """True when every seed gave the identical trajectory in both variants."""
    by_seed = runs.pivot(index="seed", columns="variant", values="digest")
    return bool((by_seed["original"] == by_seed["edited"]).all())
