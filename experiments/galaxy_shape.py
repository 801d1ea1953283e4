"""The default galaxy's shape over many seeds: degrees, diameter, how far XJ-500 and the Heart lie.

    python -m experiments.galaxy_shape [--seeds N] [--planets N] [--config PATH]

Builds one model per seed (nothing runs) and prints each statistic's mean, spread and range
across seeds, so two versions of the galaxy's rules can be compared side by side.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import networkx as nx
import numpy as np

from configuration.errors import UserError
from configuration.loading import load_config
from world.simulate import build_model

DEGREES_SHOWN = 8  # degrees 1..7 one by one, the rest together


def shape_of(model) -> dict[str, float]:
    """One galaxy's statistics, by name."""
    galaxy = model.galaxy
    graph = galaxy.graph
    planets = galaxy.planets_of_kind("ordinary", "market")
    others = [n for n in graph.nodes if n != galaxy.xj500]
    from_rim = np.asarray(galaxy.hops_from(galaxy.xj500))[others]
    rest = [n for n in graph.nodes if n != galaxy.heart]
    from_heart = np.asarray(galaxy.hops_from(galaxy.heart))[rest]
    degrees = Counter(min(graph.degree(n), DEGREES_SHOWN) for n in planets)
    row = {
        "diameter": nx.diameter(graph),
        "mean degree": 2 * graph.number_of_edges() / graph.number_of_nodes(),
        "XJ-500 mean hops": float(from_rim.mean()),
        "XJ-500 max hops": float(from_rim.max()),
        "Heart mean hops": float(from_heart.mean()),
        "Heart max hops": float(from_heart.max()),
        "launch hops from XJ-500": float(galaxy.hops_from(galaxy.xj500)[model.ship.planet]),
    }
    for degree in range(1, DEGREES_SHOWN + 1):
        label = f"degree {degree}" if degree < DEGREES_SHOWN else f"degree {degree}+"
        row[f"share {label}"] = degrees[degree] / len(planets)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m experiments.galaxy_shape", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seeds", type=int, default=100, help="galaxies to build (seeds 1..N)")
    parser.add_argument("--planets", type=int, default=50, help="galaxy.initial_planets")
    parser.add_argument("--config", default="configs/default.toml", help="scenario to start from")
    options = parser.parse_args(argv)
    if options.seeds < 1:
        parser.error("--seeds must be at least 1")  # exits 2
    sets = [f"galaxy.initial_planets={options.planets}"]
    if options.planets > 1000:
        sets.append(f"galaxy.max_planets={options.planets}")
    try:  # a bad file or size is one clear message, not a traceback
        config = load_config(options.config, sets)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    rows = []
    for seed in range(1, options.seeds + 1):
        model = build_model(config, seed=seed)
        rows.append(shape_of(model))
        model.release()
    print(f"{options.seeds} galaxies of {options.planets} planets ({options.config})")
    print(f"{'statistic':26s} {'mean':>8s} {'sd':>7s} {'min':>7s} {'max':>7s}")
    for name in rows[0]:
        values = np.array([row[name] for row in rows], dtype=float)
        print(
            f"{name:26s} {values.mean():8.3f} {values.std():7.3f}"
            f" {values.min():7.2f} {values.max():7.2f}"
        )


if __name__ == "__main__":
    main()
