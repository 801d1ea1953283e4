"""Branching a run: copy a model's state, reseed its streams, change its rules, force a choice.

A fork continues a model from the hour it has reached under a change. Everything here acts
on a model in memory: `copy_model` duplicates it (no file, no pickle), `reseed` gives a
replicate its own random streams, `change_rules` swaps in a new config from the next hour on,
and `force_choice` makes one character take one action in the next hour. None of them runs
an hour; the run loop (`world.simulate.advance`) does.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import mesa
import numpy as np

from agents.brain import Brain
from agents.vectorised import VectorBrain
from configuration.errors import UserError
from configuration.loading import dump_resolved
from world.cast import CATALOGS
from world.cast.character import Character
from world.model import CallisterModel

# Keys read only while the world is built: a change at tick T could not take effect.
BUILT_ONCE = {
    "galaxy.initial_planets": "the galaxy's first planets are drawn once",
    "galaxy.lanes_per_planet": "the first planets' lanes are drawn once",
    "galaxy.heart_lanes": "the Heart's lanes are drawn once",
    "galaxy.rocky_with_walt": "whether Rocky is with Walt is drawn once",
    "population.players": "the players are placed once",
    "economy.start_credits": "the ship's stores are set once, at launch",
    "economy.start_fuel": "the ship's stores are set once, at launch",
    "economy.start_ammo": "the ship's stores are set once, at launch",
    "economy.start_shields": "the ship's stores are set once, at launch",
    "economy.price_index_start": "the price index starts once",
    "world.loneliness_start": "Daly's loneliness starts once",
    "world.launch_min_hops": "the launch planet is chosen once",
}
# Per character, the keys that say who is in the story rather than how they choose.
CAST_KEYS = {"role", "display_name", "alive", "starts_aboard"}


def copy_model(model: CallisterModel) -> CallisterModel:
    """An independent copy of `model` that continues exactly as the original would.

    The config (every section of it) and the compiled brains are immutable: the copy shares them.
    """
    config = model.config
    sections = [getattr(config, name) for name in type(config).model_fields]
    people = [config.characters[name] for name in config.characters]
    brains = [model.hunter_brain, *(person.brain for person in characters(model))]
    shared = [config, *sections, *people, *brains]
    twin = copy.deepcopy(model, memo={id(thing): thing for thing in shared})
    # Mesa numbers agents with a per-model counter kept in the class attribute
    # `Agent._ids` (no public way to read or set it): the copy must go on counting where
    # the original stands, or its new agents would take other ids than the original's.
    # Under a lock: a threaded Dask worker may copy one cached prefix twice at once.
    with _COUNTERS:
        next_id = next(mesa.Agent._ids[model])
        mesa.Agent._ids[model] = itertools.count(next_id)
        mesa.Agent._ids[twin] = itertools.count(next_id)
    return twin


_COUNTERS = threading.Lock()


def characters(model: CallisterModel) -> Iterator[Character]:
    """Every named character in the model, dead or alive, in the order they were made."""
    return (agent for agent in model.agents if isinstance(agent, Character))


def reseed(model: CallisterModel, seed: int, at: int, replicate: int) -> None:
    """Give the model fresh random streams drawn from (seed, at, replicate), in place.

    In place, so every object holding the model's generators draws from the new streams.
    Two models reseeded with the same triple draw the same numbers: common random numbers.
    """
    sequence = np.random.SeedSequence([seed, at, replicate])
    numbers, words = sequence.spawn(2)
    generator = model.rng.bit_generator
    generator.state = type(generator)(numbers).state
    model.random.seed(int(words.generate_state(2, np.uint64)[0]))


def changed_keys(before: Any, after: Any) -> list[str]:
    """The dotted keys whose values differ between two resolved configs, in order."""
    flat_before, flat_after = _flatten(dump_resolved(before)), _flatten(dump_resolved(after))
    keys = list(flat_before) + [key for key in flat_after if key not in flat_before]
    return [key for key in keys if flat_before.get(key, _MISSING) != flat_after.get(key, _MISSING)]


_MISSING = object()


def _flatten(table: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(table, Mapping):
        items = [(f"{prefix}.{key}" if prefix else str(key), value) for key, value in table.items()]
    elif isinstance(table, list) and any(isinstance(item, Mapping | list) for item in table):
        items = [(f"{prefix}[{index}]", value) for index, value in enumerate(table)]
    else:
        return {prefix: table}
    flat: dict[str, Any] = {}
    for key, value in items:
        flat.update(_flatten(value, key))
    return flat


def check_changeable(before: Any, after: Any, option: str = "--set") -> list[str]:
    """The keys a change touches; `UserError` if one of them cannot change mid-run."""
    keys = changed_keys(before, after)
    for key in keys:
        section, _, rest = key.partition(".")
        reason = None
        if section == "simulation":
            reason = "the fork sets the seed, and both branches keep the run's horizon and trace"
        elif key in BUILT_ONCE:
            reason = f"{BUILT_ONCE[key]}, before tick 0"
        elif section == "characters":
            name, _, field = rest.partition(".")
            if name not in before.characters or name not in after.characters:
                reason = "characters cannot join or leave a story half-way"
            elif field in CAST_KEYS:
                reason = f"a character's {field} is set when the story starts"
        if reason is not None:
            raise UserError(f"{option} {key}: cannot change in a fork ({reason}).")
    return keys


def change_rules(model: CallisterModel, config: Any) -> None:
    """From the next hour on, the model follows `config` (checked by `check_changeable`)."""
    model.config = config
    model.galaxy.settings = config.galaxy
    model.population.retune(config.population)
    model.relationships.rules = config.relationships
    model.hunter_brain = VectorBrain(CATALOGS["vengeful_player"], config.agents.vengeful_player)
    for person in characters(model):
        # a crew member who took command thinks with the captain's role: rebuild by role
        traits = config.characters[person.name].traits()
        role = getattr(config.agents, person.role)
        person.brain = Brain(person.brain.compiled.catalog, role, traits)
        person.traits = traits


def find_character(model: CallisterModel, who: str, action: str | None = None) -> Character:
    """The character named `who` (a config key), or the one holding the single role `who`.

    When `who` is both one character's name and another's role (the clone captain may be
    named after the real Nanette), `action` decides: the one whose role has it.
    """
    by_name = {person.name: person for person in characters(model)}
    holders = [person for person in characters(model) if person.role == who]
    current = getattr(model, who, None) if who in CATALOGS else None
    if isinstance(current, Character):
        holders = [current]  # the role's holder now (a successor, after a captain's death)
    found = [by_name[who]] if who in by_name else []
    found += [person for person in holders if person not in found]
    if len(found) > 1 and action is not None:
        having = [p for p in found if action in p.brain.compiled.catalog.actions]
        found = having or found[:1]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(person.name for person in found)
        raise UserError(f"--force {who}: several characters answer to it; name one ({names}).")
    if any(fallen.name == who for fallen in model.fallen):
        raise UserError(f"--force {who}: {who} died in command before tick {model.steps}.")
    if who in CATALOGS:
        raise UserError(f"--force {who}: a crowd, not a character; only characters can be forced.")
    known = ", ".join(sorted(set(by_name) | {p.role for p in by_name.values()}))
    raise UserError(f"--force {who}: no such character or role (known: {known}).")


def possible_choices(model: CallisterModel, person: Character) -> list[str]:
    """What `person` could choose as the next hour begins, in its catalog's order."""
    if not person.alive:
        return []
    if model.story.finished and person not in (model.walton, model.nanette):
        return []  # once the crew's story is over only the real world goes on
    weighted = [action.id for action in person.brain.compiled.actions]  # weight > 0 only
    available = person.available()
    if available is None:
        return weighted
    allowed = set(available)
    return [action for action in weighted if action in allowed]


def force_choice(model: CallisterModel, who: str, action: str) -> Character:
    """Make `who` take `action` in the model's next hour; `UserError` if it cannot."""
    person = find_character(model, who, action)
    catalog = person.brain.compiled.catalog
    label = f"--force {who}.{action}"
    if action not in catalog.actions:
        known = ", ".join(catalog.actions)
        raise UserError(
            f"{label}: {person.name} ({person.role}) has no such action (its actions: {known})."
        )
    possible = possible_choices(model, person)
    if action not in possible:
        raise UserError(f"{label}: at tick {model.steps} {_why_not(model, person, possible)}.")
    earlier = model.forced.get(person.name, action)
    if earlier != action:  # a character takes one action an hour: which one is not ours to pick
        raise UserError(
            f"{label}: {person.name} is already forced to take {earlier} in hour "
            f"{model.steps + 1}; force one action per character."
        )
    model.forced[person.name] = action
    return person


def _why_not(model: CallisterModel, person: Character, possible: list[str]) -> str:
    if not person.alive:
        return f"{person.name} is dead"
    if not possible and model.story.finished:
        return "the crew's story is over; only Walton and the real Nanette still act"
    if not possible:
        return f"{person.name} has no action it could choose"
    return f"{person.name} cannot take it; it could choose: {', '.join(possible)}"


class StateTrail:
    """An observer that keeps, hour by hour, what a run's state was beyond its metrics.

    Two branches are compared hour by hour on their metrics, their events and this trail:
    where the numpy stream stands, who is in the cast and what each intends, how many
    feelings changed. `model.random` is left out: the model draws from it only to shuffle
    the cast's turns, as many draws as the cast has members, so where it stands follows from
    the cast's history, which the trail holds (and hashing its state would cost 4x the rest).
    """

    def __init__(self) -> None:
        self.hours: list[tuple] = []

    def __call__(self, model: CallisterModel) -> None:
        # One flat tuple an hour (a nest of small tuples costs twice as much, in the garbage
        # collector's time); the cast by its named roles, not by iterating the AgentSet (weak
        # references: 5x slower); the captain's id tells a successor from the one she replaced.
        numbers = model.rng.bit_generator.state
        inner, captain = numbers["state"], model.captain
        hour = [
            inner["state"],
            inner["inc"],
            numbers["has_uint32"],
            numbers["uinteger"],
            len(model.relationships.changes),
            captain.unique_id,
            captain.intent,
            model.walton.intent,
            model.nanette.intent,
            model.daly.intent,
        ]
        for member in model.crew:
            hour += (member.unique_id, member.intent)
        self.hours.append(tuple(hour))
