"""Drawing planets and choosing their lanes, vectorised over the whole galaxy.

Each rule picks the same lanes a plain all-pairs search would (the tests hold them to one);
a KD-tree and the Delaunay triangulation only keep the search from looking at every pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay, QhullError, cKDTree

LANE_SCALE = 5.0  # drawing units -> warp distance units
SHORTEST_LANE = 0.2  # warp distance of the shortest lane: closer planets all tie at it
# Planets closer than this (drawing units) tie at the shortest lane and rank by id; a hair
# wider so that the KD-tree's own rounding never leaves out a tied planet.
TIED_RADIUS = SHORTEST_LANE / LANE_SCALE * (1 + 1e-9)

SYLLABLES = np.array(
    [
        "ka",
        "ro",
        "vex",
        "tal",
        "mir",
        "zan",
        "qu",
        "ul",
        "dor",
        "pha",
        "neb",
        "iri",
        "os",
        "tek",
        "lum",
        "gar",
        "sel",
        "ya",
        "bru",
        "xo",
        "ven",
        "tha",
        "ori",
        "kel",
    ]
)
CAPITALISED = np.array([syllable.capitalize() for syllable in SYLLABLES])
SUFFIX_SHARE = 0.3  # share of names with a number after them, "Kavex-42"


@dataclass
class Drawn:
    """The random attributes of `count` new planets, one array entry per planet."""

    market: np.ndarray
    appeal: np.ndarray
    price: np.ndarray
    moderation: np.ndarray
    names: list[str]


def lane_lengths(from_points: np.ndarray, to_points: np.ndarray) -> np.ndarray:
    """Warp distance of the lanes between matching rows of two (n, 2) arrays of positions."""
    gaps = from_points - to_points
    return np.maximum(SHORTEST_LANE, LANE_SCALE * np.hypot(gaps[:, 0], gaps[:, 1]))


def disc_points(rng: np.random.Generator, count: int, inner: float, scale: float) -> np.ndarray:
    """`count` positions spread evenly over a disc of radius `scale` without its inner part."""
    radius = np.sqrt(rng.uniform(inner, 1.0, count)) * scale
    angle = rng.uniform(0, 2 * math.pi, count)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def draw_planets(rng: np.random.Generator, count: int, settings, taken: set[str]) -> Drawn:
    """Kind, appeal, prices, moderation and a name unused in `taken` (which gains them)."""
    return Drawn(
        market=rng.random(count) < settings.market_share,
        appeal=rng.lognormal(0.0, settings.attractiveness_sigma, count),
        price=rng.uniform(0.8, 1.25, count),
        moderation=np.clip(rng.normal(settings.moderation_mean, 0.1, count), 0, 1),
        names=draw_names(rng, count, taken),
    )


def draw_names(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """`count` new names of two or three syllables, unique: a clash is drawn again."""
    names: list[str] = [""] * count
    pending = list(range(count))
    while pending:
        drawn = _name_draws(rng, len(pending))
        clashed = []
        for index, name in zip(pending, drawn, strict=True):
            if name in taken:
                clashed.append(index)
            else:
                taken.add(name)
                names[index] = name
        pending = clashed
    return names


def _name_draws(rng: np.random.Generator, count: int) -> list[str]:
    syllables = rng.integers(0, len(SYLLABLES), (count, 3))
    three = rng.integers(2, 4, count) == 3
    suffixed = rng.random(count) < SUFFIX_SHARE
    numbers = rng.integers(2, 99, count)
    names = np.strings.add(CAPITALISED[syllables[:, 0]], SYLLABLES[syllables[:, 1]])
    names = np.strings.add(names, np.where(three, SYLLABLES[syllables[:, 2]], ""))
    suffixes = np.where(suffixed, np.strings.add("-", numbers.astype(str)), "")
    return np.strings.add(names, suffixes).tolist()


def nearest(
    tree: cKDTree,
    ids: np.ndarray,
    points: np.ndarray,
    count: int,
    exclude: np.ndarray | None,
    own: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The `count` planets of the tree nearest each point, by lane length and then lower id.

    `ids` (ascending) names the tree's points; `exclude` (one id per point, or None) is never
    chosen; `own` says the points are the tree's own, in its order.
    Returns the (row of the point, chosen id, lane length) of each choice, in rank order.
    """
    size, spare = len(ids), int(exclude is not None)
    wanted = min(size, count + spare)
    if wanted == 0 or len(points) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    _distances, found = tree.query(points, k=wanted)
    rows = np.repeat(np.arange(len(points)), wanted)
    # every planet tied at the shortest lane outranks a nearer one with a higher id
    tied_rows, tied_columns = _lowest_tied(tree, points, own, count + spare)
    rows = np.concatenate([rows, tied_rows])
    columns = np.concatenate([found.ravel(), tied_columns])
    columns = np.where(columns < size, columns, -1)  # a short tree pads its answer with `size`
    pairs = sorted_unique(rows * (size + 1) + columns + 1)  # by row, then id; each once
    rows, columns = pairs // (size + 1), pairs % (size + 1) - 1
    keep = columns >= 0
    rows, chosen, columns = rows[keep], ids[columns[keep]], columns[keep]
    if exclude is not None:
        keep = chosen != exclude[rows]
        rows, columns, chosen = rows[keep], columns[keep], chosen[keep]
    lengths = lane_lengths(points[rows], tree.data[columns])
    # each row's few candidates side by side, sorted stably: equal lengths keep id order
    places = _rank_in_row(rows)
    grid = np.full((len(points), int(places.max(initial=0)) + 1), np.inf)
    grid[rows, places] = lengths
    grid_ids = np.full(grid.shape, -1)
    grid_ids[rows, places] = chosen
    ranked = np.argsort(grid, axis=1, kind="stable")[:, :count]
    rows = np.repeat(np.arange(len(points)), ranked.shape[1])
    lengths = np.take_along_axis(grid, ranked, axis=1).ravel()
    chosen = np.take_along_axis(grid_ids, ranked, axis=1).ravel()
    real = np.isfinite(lengths)  # a row with fewer candidates than `count` is padded
    return rows[real], chosen[real], lengths[real]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending (np.unique hashes first, several times slower here)."""
    ordered = np.sort(values)
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def _lowest_tied(
    tree: cKDTree, points: np.ndarray, own: bool, keep: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the `keep` lowest tree indices tied with it at the shortest lane."""
    if own:
        pairs = tree.query_pairs(TIED_RADIUS, output_type="ndarray").astype(np.int64)
        rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        columns = np.concatenate([pairs[:, 1], pairs[:, 0]])
    else:
        tied = cKDTree(points).sparse_distance_matrix(tree, TIED_RADIUS, output_type="ndarray")
        rows, columns = tied["i"].astype(np.int64), tied["j"].astype(np.int64)
    width = tree.n + 1
    ranked = np.sort(rows * width + columns)
    rows, columns = ranked // width, ranked % width
    top = _rank_in_row(rows) < keep
    return rows[top], columns[top]


def _rank_in_row(rows: np.ndarray) -> np.ndarray:
    """Each entry's place among the entries of its row (`rows` sorted)."""
    starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
    return np.arange(len(rows)) - np.repeat(starts, np.diff(np.append(starts, len(rows))))


def spanning_tree(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The shortest tree joining all points (true lengths), as (a, b) index pairs with a < b.

    The Euclidean minimum spanning tree lies inside the Delaunay triangulation. Fewer than
    three points take every pair; points all on one line are chained along it; a point on
    top of another (left out of the triangulation) joins it.
    """
    count = len(points)
    first, second = _delaunay_pairs(points)
    gaps = points[first] - points[second]
    # a tiny floor keeps planets on top of each other joined: sparse graphs drop zeros
    lengths = np.maximum(np.hypot(gaps[:, 0], gaps[:, 1]), np.finfo(float).tiny)
    tree = minimum_spanning_tree(coo_array((lengths, (first, second)), shape=(count, count)))
    tree = coo_array(tree)
    low, high = np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)
    order = np.lexsort((high, low))
    return low[order].astype(np.int64), high[order].astype(np.int64)


def _delaunay_pairs(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Candidate edges that contain a minimum spanning tree, O(n) of them at any size."""
    count = len(points)
    if count < 3:
        first, second = np.triu_indices(count, k=1)
        return first.astype(np.int64), second.astype(np.int64)
    try:
        triangulation = Delaunay(points)
    except QhullError:  # every point on one line: the tree is the chain along it
        chain = np.lexsort((points[:, 1], points[:, 0])).astype(np.int64)
        low, high = np.minimum(chain[:-1], chain[1:]), np.maximum(chain[:-1], chain[1:])
        return low, high
    corners = triangulation.simplices
    # a point Qhull left out (on top of another) joins the vertex it sits on
    left_out = triangulation.coplanar
    first = np.concatenate([corners[:, 0], corners[:, 1], corners[:, 2], left_out[:, 0]])
    second = np.concatenate([corners[:, 1], corners[:, 2], corners[:, 0], left_out[:, 2]])
    low, high = np.minimum(first, second).astype(np.int64), np.maximum(first, second)
    pairs = sorted_unique(low * count + high)
    return pairs // count, pairs % count
