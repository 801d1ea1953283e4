"""Schema-driven fuzzing: every numeric key of a scenario near its bounds, alone and in pairs.

The keys come from the schema itself (every int or float field reachable in the small test
scenario, with its ge/gt/le/lt read from the field's metadata), so a new key is fuzzed without
touching this file. Each config must be either refused by validation, with every error line
naming one of the keys that were set, or run 300 ticks with finite, non-negative metrics and
counts. The fuzz test prints how many configs it tried (pytest shows the line even without
`-s`) and records the number as the `configs_tried` property of a JUnit XML report.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from configuration.field_types import unwrap
from configuration.limits import PLAYER_CEILING, bounds_of
from configuration.loading import ConfigError, validate_raw
from configuration.overrides import apply_overrides
from configuration.scenario import ScenarioConfig
from configuration.shown_values import dotted
from world.simulate import build_model

SOURCE = "fuzz.toml"
RUN_TICKS = 300
FUZZ_EXAMPLES = 300  # configs of one or two keys: about 40 s of one core
TALLY: Counter[str] = Counter()  # configs tried, by outcome: what the summary line reports


@dataclass(frozen=True)
class NumericKey:
    """A numeric config key and the bounds the schema gives it (None: unbounded)."""

    key: str
    integer: bool
    lower: float | None
    lower_inclusive: bool
    upper: float | None
    upper_inclusive: bool


def _bounds(metadata: list[Any], key: str, integer: bool) -> NumericKey:
    limits = bounds_of(metadata)
    return NumericKey(
        key, integer, limits.lower, limits.lower_inclusive, limits.upper, limits.upper_inclusive
    )


def _number_type(annotation: Any) -> tuple[bool, list[Any]] | None:
    """(is it an integer, its constraints) for an int or float annotation, else None."""
    metadata: list[Any] = []
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        for item in extra:
            metadata.extend(getattr(item, "metadata", [item]))
    annotation = unwrap(annotation)
    if annotation is int:
        return True, metadata
    if annotation is float:
        return False, metadata
    return None


def numeric_keys(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[NumericKey]:
    """Every int and float key set in `model` (a validated config), walking tables and arrays."""
    for name, field in type(model).model_fields.items():
        value, here = getattr(model, name), (*path, name)
        number = _number_type(field.annotation)
        if number is not None:
            integer, _ = number
            yield _bounds(field.metadata, dotted(here), integer)
        elif isinstance(value, BaseModel):
            yield from numeric_keys(value, here)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    yield from numeric_keys(item, (*here, key))
        elif isinstance(value, list):
            yield from _array_keys(value, field.annotation, here)


def _array_keys(items: list, annotation: Any, path: tuple) -> Iterator[NumericKey]:
    """Tables in an array (considerations) and numbers in arrays of arrays (curve points)."""
    element = unwrap(get_args(unwrap(annotation))[0]) if get_args(unwrap(annotation)) else None
    for index, item in enumerate(items):
        if isinstance(item, BaseModel):
            yield from numeric_keys(item, (*path, index))
        elif isinstance(item, tuple) and get_origin(element) is tuple:
            for position, member in enumerate(get_args(element)):
                number = _number_type(member)
                if number is not None:
                    integer, metadata = number
                    yield _bounds(metadata, dotted((*path, index, position)), integer)


def probe_values(key: NumericKey) -> list[int | float]:
    """Values at, just inside and just outside each bound, plus 0, tiny and huge ones."""
    if key.integer:
        values = {0, 1, -1, 2, 1000, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63), 10**400}
        for bound in (key.lower, key.upper):
            if bound is not None:
                values |= {int(bound) - 1, int(bound), int(bound) + 1}
        return sorted(values)
    values = {0.0, 1.0, -1.0, 0.5, 5e-324, 1e-300, 1e9, 1e30, 1e308, -1e308, 1.7976931348623157e308}
    for bound in (key.lower, key.upper):
        if bound is not None:
            bound = float(bound)
            values |= {bound, math.nextafter(bound, math.inf), math.nextafter(bound, -math.inf)}
    if key.lower is not None and key.upper is not None:
        values.add((float(key.lower) + float(key.upper)) / 2)
    return [*sorted(values), math.inf, -math.inf, math.nan]


def accepts(key: NumericKey, value: float) -> bool:
    """Does the key's own bound accept the value (cross-field rules aside)?"""
    above = key.lower is None or (value >= key.lower if key.lower_inclusive else value > key.lower)
    below = key.upper is None or (value <= key.upper if key.upper_inclusive else value < key.upper)
    return (isinstance(value, int) or math.isfinite(value)) and above and below


@pytest.fixture(scope="module")
def base_scenario(make_scenario) -> dict[str, Any]:
    """The small test scenario with a 300-tick horizon: every fuzzed config starts here."""
    return apply_overrides(make_scenario(), {"simulation.ticks": RUN_TICKS})


@pytest.fixture(scope="module")
def keys(base_scenario) -> list[NumericKey]:
    return list(numeric_keys(validate_raw(base_scenario, SOURCE)))


def _names_a_key(line: str, set_keys: list[str]) -> bool:
    """An error line is about a key that was set: the key itself, or a table containing it."""
    where = line.removeprefix(f"{SOURCE}: ").split(" ")[0].rstrip(":")
    return any(
        key == where or key.startswith((f"{where}.", f"{where}[")) or key in line
        for key in set_keys
    )


def check_served(config: ScenarioConfig) -> None:
    """Run up to RUN_TICKS hours; every metric and count must stay finite and non-negative."""
    model = build_model(config)
    try:
        while model.running and model.steps < RUN_TICKS:
            model.step()
        metrics = model.datacollector.get_model_vars_dataframe()
        table = metrics.to_numpy()
        bad = [name for name in metrics if not np.isfinite(metrics[name]).all()]
        assert not bad, f"non-finite metrics: {bad}"
        negative = [name for name in metrics if (metrics[name] < 0).any()]
        assert not negative, f"negative metrics: {negative}"
        assert table.shape[0] == model.steps >= 1
        population = model.population
        assert (population.players >= 0).all() and 0 <= population.total <= PLAYER_CEILING
        assert int(population.players.sum()) == population.total  # conserved, not wrapped
        assert np.isfinite(population.online).all() and (population.online >= 0).all()
        assert np.isfinite(population.revenue).all() and (population.revenue >= 0).all()
        assert (population.complaints >= 0).all() and (population.churned >= 0).all()
        assert 0 <= len(model.vengeful) <= config.world.max_vengeful
        assert model.party_guests >= 0 and model.story.robbed_total >= 0
        cast = [*model.fallen, model.captain, *model.crew, model.walton, model.nanette, model.daly]
        for person in cast:
            assert 0.0 <= person.health <= 100.0, (person.name, person.health)
    finally:
        model.release()


def try_config(base: dict[str, Any], overrides: dict[str, int | float]) -> str:
    """Validate, then run if accepted; returns the outcome ('refused' or 'served')."""
    try:
        config = validate_raw(apply_overrides(base, overrides), SOURCE)
    except ConfigError as error:
        lines = str(error).splitlines()
        assert lines and all(_names_a_key(line, list(overrides)) for line in lines), lines
        return "refused"
    check_served(config)
    return "served"


# ---- the fuzz test ---------------------------------------------------------------------------
def _probe(key: NumericKey) -> st.SearchStrategy[tuple[str, int | float]]:
    """One of the key's probe values, three times in four one its own bounds accept (so most
    pairs run rather than stop at validation)."""
    values = probe_values(key)
    inside = st.sampled_from([v for v in values if accepts(key, v)])
    outside = [v for v in values if not accepts(key, v)]  # none for an unbounded integer
    value = st.integers(0, 3).flatmap(
        lambda quarter: st.sampled_from(outside) if quarter == 3 and outside else inside
    )
    return st.tuples(st.just(key.key), value)


def _assignments(keys: list[NumericKey]) -> st.SearchStrategy[dict[str, int | float]]:
    # Draw an index, not the key itself: hypothesis would print all 250 keys in its repr.
    one = st.sampled_from(range(len(keys))).flatmap(lambda index: _probe(keys[index]))
    return st.lists(one, min_size=1, max_size=2, unique_by=lambda pair: pair[0]).map(dict)


@pytest.mark.slow
def test_every_numeric_key_near_its_bounds_is_refused_or_served(
    base_scenario, keys, capsys, record_property
):
    assert len(keys) > 200  # sections, roles, actions, considerations, curves and traits

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_assignments(keys))
    def fuzz(overrides: dict[str, int | float]) -> None:
        TALLY[try_config(base_scenario, overrides)] += 1

    TALLY.clear()
    fuzz()
    tried = sum(TALLY.values())
    with capsys.disabled():
        print(
            f"\nschema fuzz: {tried} configs tried over {len(keys)} numeric keys: "
            f"{TALLY['served']} ran (up to {RUN_TICKS} ticks), {TALLY['refused']} were refused"
        )
    record_property("configs_tried", tried)
    assert tried >= FUZZ_EXAMPLES * 0.9 and TALLY["served"] and TALLY["refused"]


# ---- every key alone: validation names it; each section at its extremes runs -----------------
@pytest.mark.slow  # ~4,000 validations
def test_every_probe_value_is_refused_naming_the_key_or_accepted(base_scenario, keys):
    """Alone, a value outside a key's bounds is refused naming it, and one inside is accepted
    unless a cross-field rule (also naming the key) refuses it."""
    for key in keys:
        for value in probe_values(key):
            try:
                validate_raw(apply_overrides(base_scenario, {key.key: value}), SOURCE)
            except ConfigError as error:  # out of bounds, or a rule between two keys
                lines = str(error).splitlines()
                assert all(_names_a_key(line, [key.key]) for line in lines), lines
                continue
            assert accepts(key, value), f"{key.key}={value!r} is outside its bounds but accepted"


def _extreme(key: NumericKey, side: str) -> int | float:
    bound = key.upper if side == "upper" else key.lower
    inclusive = key.upper_inclusive if side == "upper" else key.lower_inclusive
    if bound is None:
        raise AssertionError(f"{key.key} has no {side} bound: every number needs one")
    if inclusive:
        return int(bound) if key.integer else float(bound)
    step = -1 if side == "upper" else 1
    if key.integer:
        return int(bound) + step
    return math.nextafter(float(bound), -math.inf if side == "upper" else math.inf)


SECTIONS = ("simulation", "galaxy", "population", "economy", "combat", "world", "realworld")


@pytest.mark.parametrize("side", ["lower", "upper"])
@pytest.mark.parametrize("section", [*SECTIONS, "agents", "characters"])
def test_a_whole_section_at_its_extremes_is_served(base_scenario, keys, section, side):
    """Every key of a section at the same end of its range at once (where the cross-field
    rules allow it): the combinations most likely to overflow must still run."""
    opposite = "lower" if side == "upper" else "upper"
    chosen = {
        # bookends at opposite ends: the widest span (high - low) there is
        k.key: _extreme(k, opposite if k.key.endswith(".low") else side)
        for k in keys
        # piecewise points must keep strictly increasing x: the fuzz test moves them
        if k.key.startswith(f"{section}.") and ".points[" not in k.key
    }
    if section == "galaxy" and side == "upper":
        # the largest galaxy is built by its own test; 13 planets take 12 lanes each
        chosen["galaxy.initial_planets"] = 13
    if section == "simulation":
        chosen["simulation.ticks"] = RUN_TICKS
    assert chosen
    assert try_config(base_scenario, chosen) == "served"


def test_every_number_in_the_schema_has_both_bounds(keys):
    unbounded = [k.key for k in keys if k.lower is None or k.upper is None]
    assert not unbounded, f"numeric keys without an upper or lower bound: {unbounded}"
