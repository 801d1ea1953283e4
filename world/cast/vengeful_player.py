"""Robbed players, materialised with a grudge: many agents of one role, decided at once.

Their choices go through the vectorised scorer: one call scores every due player, and it
chooses exactly what the scalar brain would for the same inputs and draws.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

import mesa
import numpy as np

from agents.catalog import RoleCatalog
from world.cast.character import effect_of
from world.cast.vocabulary import TRAITS
from world.victims import victim_tag
from world.whereabouts import ship_in_space

CATALOG = RoleCatalog(
    role="vengeful_player",
    summary="A player the crew robbed, materialised with a grudge.",
    actions={
        "hunt": "warp towards where the ship was last seen",
        "complain": "file a complaint about the bandits",
        "give_up": "log out and forget it",
        "answer_invite": "answer Walton's invite party",
        "attack": "attack the ship on this planet",
        "wait": "stay online, waiting for news of the ship",
    },
    inputs={
        "grudge": "how much this robbed player still wants revenge (0-1, decays)",
        "hops_to_ship": "warp hops to where the ship was last seen (hops)",
        "ship_known": "1 if the ship's position is known to this player, else 0",
        "invited": "1 if Walton's invite party has summoned this player, else 0",
        "same_planet": "1 if this player is on the ship's planet, else 0",
        "health": "this player's avatar health (0-100)",
        "complained": "1 if this player has already complained, else 0",
        "hours_since_robbed": "hours since the crew robbed this player (hours)",
        "hours_since_news": "hours since this player last had news of the ship: the robbery "
        "or the latest reported sighting (hours)",
        "allies_here": "other robbed players on this player's planet (players)",
    },
    traits=TRAITS,
    singleton=False,
)

UNKNOWN_HOPS = 99  # hops_to_ship for a player who does not know where the ship is
# Crowds up to this size are sensed in Python tuples: numpy's cost per call (some 25 calls,
# ~40 µs) outweighs its speed per player until a few dozen players. The values are the same.
SENSED_IN_LISTS_UP_TO = 16


class VengefulPlayer(mesa.Agent):
    """One robbed player in the galaxy: where, how much they still care, what next.

    Where is a planet id, not a Mesa cell: a cell keeps its agents in a list, so thousands of
    players leaving one planet cost the square of their number.
    """

    role = "vengeful_player"

    def __init__(self, model: mesa.Model, tag: str, planet: int, grudge: float) -> None:
        super().__init__(model)
        self.tag = tag
        self.planet = planet
        self.grudge = grudge
        self.health = 100.0
        self.invited = False
        self.complained = False
        self.robbed_at = model.steps
        self.intent: str | None = None

    def warp_to(self, planet: int) -> None:
        self.planet = planet


def add_victim(model, planet: int) -> VengefulPlayer:
    """A robbed player materialises with a grudge (the oldest logs out past the cap)."""
    model.story.robbed_total += 1
    settings = model.config.population
    low, high = sorted((settings.grudge_start_min, settings.grudge_start_max))
    grudge = float(model.rng.uniform(low, high))
    player = VengefulPlayer(model, victim_tag(model.rng), planet, grudge)
    player.invited = model.story.party_invited
    model.vengeful.add(player)
    cap = model.config.world.max_vengeful
    while len(model.vengeful) > cap:
        # Players join the set as they materialise, and unique ids rise with it: the first
        # left in the set is the oldest (no scan of everyone for the lowest id).
        drop(model, next(iter(model.vengeful)))
    return player


def drop(model, player: VengefulPlayer) -> None:
    """A robbed player logs out for good (explicitly, not left to garbage collection)."""
    model.vengeful.remove(player)
    player.remove()


# ---------------------------------------------------------------------- sensing and choosing
# What `sense` reads off each player, in one pass over them (as numbers: bools are 0 or 1).
_STATE = ("planet", "robbed_at", "grudge", "health", "invited", "complained")
_read_state = attrgetter(*_STATE)


def sense(model, players: list[VengefulPlayer], crowd: list | None = None) -> tuple[dict, dict]:
    """Sensor values (one entry per player) and which actions each player can take.

    `crowd` is every player (`model.vengeful`), when the caller has listed them already.
    Arrays; a small crowd gets tuples of the same values (`SENSED_IN_LISTS_UP_TO`).
    """
    crowd = list(model.vengeful) if crowd is None else crowd
    if len(players) <= SENSED_IN_LISTS_UP_TO:
        return _sense_in_lists(model, players, crowd)
    return _sense_in_arrays(model, players, crowd)


def _sense_in_arrays(model, players: list[VengefulPlayer], crowd: list) -> tuple[dict, dict]:
    count = len(players)
    table = np.array([_read_state(p) for p in players], dtype=float).reshape(count, len(_STATE))
    planet_ids, robbed_at, grudge, health, invited_ones, complained_ones = table.T.copy()
    planets = planet_ids.astype(np.int64)
    invited, complained = invited_ones > 0, complained_ones > 0
    sighting = model.sighting  # reported to every player online (moderation reports)
    known = sighting is not None and model.steps - sighting[1] <= model.config.world.sighting_memory
    if known:
        hops = model.galaxy.hops_from(sighting[0])[planets].astype(float)
    else:
        hops = np.full(count, float(UNKNOWN_HOPS))
    news = robbed_at if sighting is None else np.maximum(robbed_at, float(sighting[1]))
    same_planet = (planets == model.ship.planet) & ship_in_space(model)
    everyone = np.array([p.planet for p in crowd], np.int64)
    here = np.bincount(everyone, minlength=int(planets.max(initial=0)) + 1)[planets]
    inputs = {
        "grudge": grudge,
        "hops_to_ship": hops,
        "ship_known": np.full(count, float(known)),
        "invited": invited_ones,
        "same_planet": same_planet.astype(float),
        "health": health,
        "complained": complained_ones,
        "hours_since_robbed": model.steps - robbed_at,
        "hours_since_news": model.steps - news,
        "allies_here": np.maximum(here - 1, 0).astype(float),
    }
    available = {
        "hunt": (hops > 0) & known & ~same_planet,  # at the sighting, the trail ends
        "complain": ~complained,
        "give_up": np.ones(count, dtype=bool),
        "answer_invite": invited & ~same_planet,
        "attack": same_planet,
        "wait": np.ones(count, dtype=bool),
    }
    return inputs, available


def _sense_in_lists(model, players: list[VengefulPlayer], crowd: list) -> tuple[dict, dict]:
    """`_sense_in_arrays` player by player: the same values, in tuples of Python numbers."""
    steps, sighting = model.steps, model.sighting
    known = sighting is not None and steps - sighting[1] <= model.config.world.sighting_memory
    hops = model.galaxy.hops_from(sighting[0]) if known else None
    ship = model.ship.planet if ship_in_space(model) else None
    players_on = Counter([p.planet for p in crowd])
    sensed, possible = [], []  # one row per player: its inputs, its actions' availability
    for player in players:
        planet, robbed_at = player.planet, float(player.robbed_at)
        hops_to_ship = float(hops[planet]) if known else float(UNKNOWN_HOPS)
        news = robbed_at if sighting is None else max(robbed_at, float(sighting[1]))
        same_planet, invited = planet == ship, bool(player.invited)
        sensed.append(
            (
                float(player.grudge),
                hops_to_ship,
                float(known),
                float(invited),
                float(same_planet),
                float(player.health),
                float(player.complained),
                steps - robbed_at,
                steps - news,
                float(max(players_on[planet] - 1, 0)),
            )
        )
        hunt = hops_to_ship > 0 and known and not same_planet
        invite = invited and not same_planet
        possible.append((hunt, not player.complained, True, invite, same_planet, True))
    # rows in the catalog's order of inputs and of actions (as `_sense_in_arrays` names them)
    return _columns(CATALOG.inputs, sensed), _columns(CATALOG.actions, possible)


def _columns(names, rows: list[tuple]) -> dict[str, tuple]:
    """One row per player turned into one column per name (empty ones for nobody)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    return dict(zip(names, columns, strict=True))


def think(model) -> None:
    """Every due player picks an intent in one vectorised call."""
    if not model.vengeful:  # most hours of most runs: listing an empty set costs more
        return
    brain, tick = model.hunter_brain, model.steps
    crowd = list(model.vengeful)
    players = [p for p in crowd if (tick + p.unique_id) % brain.think_every == 0]
    if not players:
        return
    inputs, available = sense(model, players, crowd)
    uniforms = model.rng.random(len(players))
    chosen = brain.decide(inputs, uniforms, available=available)
    actions = brain.actions
    for player, index in zip(players, chosen.tolist(), strict=True):
        player.intent = actions[index] if index >= 0 else None


def resolve(model) -> None:
    """Apply every player's intent, let grudges fade, and count who threatens where."""
    if not model.vengeful:  # nobody has a grudge: no threat anywhere
        model.threat = {}
        return
    decay = 0.5 ** (1.0 / model.config.world.grudge_half_life)
    crowd = list(model.vengeful)
    complainers = [p for p in crowd if p.intent == "complain" and not p.complained]
    quitters = [p for p in crowd if p.intent == "give_up"]
    why_quit = _why_quit(model, quitters) if quitters else ""  # while they are still here
    for player in crowd:
        if player.intent is not None:
            effect_of(EFFECTS, CATALOG.role, player.intent)(model, player)
        player.grudge *= decay
    if complainers:
        model.population.record_complaints(len(complainers))
        model.events.add(
            model.steps,
            "complaint",
            tuple(p.tag for p in complainers),
            f"{_tags(complainers)} file{'s' if len(complainers) == 1 else ''} a complaint with "
            "Callister Inc.: robbed by bandits with no player tags who bleed.",
        )
    if quitters:
        model.events.add(
            model.steps,
            "player_gave_up",
            tuple(p.tag for p in quitters),
            f"{_tags(quitters)} give{'s' if len(quitters) == 1 else ''} up the hunt for the "
            f"bandits and log{'s' if len(quitters) == 1 else ''} out"
            f"{why_quit}.",
        )
    count_threats(model)


def _tags(players: list[VengefulPlayer]) -> str:
    """'NovaFox_12, GrimHawk_7 and 3 more': the first few players, by tag."""
    tags = ", ".join(p.tag for p in players[:3])
    return tags + (f" and {len(players) - 3} more" if len(players) > 3 else "")


def _why_quit(model, quitters: list[VengefulPlayer]) -> str:
    """What the first who quit weighed: the grudge left, the news of the ship, the avatar."""
    first, sighting = quitters[0], model.sighting
    news = first.robbed_at if sighting is None else max(first.robbed_at, sighting[1])
    hours = model.steps - news
    if sighting is None or hours > model.config.world.sighting_memory:
        where = "nobody knows where the ship is"
    else:
        hops = model.galaxy.hops_from(sighting[0])[first.planet]
        where = f"the ship last seen {hops} hops from here" if hops else "the trail ends here"
    why = f": grudge down to {first.grudge:.2f}, last news of the ship {hours} h ago, {where}"
    return why + (f", avatar at {first.health:.0f} health" if first.health < 100 else "")


def count_threats(model) -> None:
    """Hostile players per planet, read by everyone who senses danger (`threat_near`)."""
    model.threat = Counter([player.planet for player in model.vengeful])


# ---------------------------------------------------------------------- effects
def _hunt(model, player) -> None:
    if model.sighting is not None:
        player.warp_to(model.galaxy.step_toward(player.planet, model.sighting[0]))


def _complain(model, player) -> None:
    """Files a complaint, once; `resolve` reports this hour's complaints together."""
    player.complained = True


def _give_up(model, player) -> None:
    """Gives up: logs out for good."""
    drop(model, player)


def _answer_invite(model, player) -> None:
    if ship_in_space(model):
        player.warp_to(model.ship.planet)


def _attack(model, player) -> None:
    """Attacks the ship on this planet: the battle at the ship resolves it (`world.hunters`)."""


def _wait(model, player) -> None:
    """Stays online where they are, waiting for a sighting or an invite."""


EFFECTS = {
    "hunt": _hunt,
    "complain": _complain,
    "give_up": _give_up,
    "answer_invite": _answer_invite,
    "attack": _attack,
    "wait": _wait,
}
