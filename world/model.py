"""The Mesa model of Into Infinity: one tick is one hour of the game and the real world.

`step` reads as the rules of the world: players live their hour, the real world's processes
run, every due character decides, then the world resolves what they chose, role by role.
What each role senses, may do and what its choices do lives in `world/cast/<role>.py`.
"""

from __future__ import annotations

import mesa
import numpy as np
from mesa.agent import AgentSet

from agents.brain import Brain
from agents.vectorised import VectorBrain
from world.cast import (
    CATALOGS,
    CHARACTER_CLASSES,
    captain,
    crew,
    daly,
    nanette,
    vengeful_player,
    walton,
)
from world.collapse import collapse_if_due
from world.endings import HORIZON_ENDING, end_the_story_if_over
from world.events import EventLog
from world.galaxy import Galaxy
from world.heart import HeartState
from world.hunters import resolve_battle
from world.metrics import METRICS, MetricsCollector
from world.population import Population
from world.realworld import RealWorld, step_processes
from world.relationships import Relationships
from world.road import cross_the_road
from world.ship import Ship
from world.story import Story
from world.upkeep import pay_upkeep
from world.whereabouts import crew_aboard


class CallisterModel(mesa.Model):
    """Infinity and the real world around it, seeded so every run can be replayed."""

    def __init__(self, config, seed: int | None = None) -> None:
        self.seed = config.simulation.seed if seed is None else seed
        super().__init__(rng=self.seed)
        self.config = config
        self.trace_level = config.simulation.trace
        self.galaxy = Galaxy(config.galaxy, self.rng)
        self.population = Population(config.population, self.galaxy, self.rng)
        self.ship = Ship.launch(self._launch_planet(), config.economy)
        self.price_index = config.economy.price_index_start
        self.story, self.heart, self.realworld = Story(), HeartState(), RealWorld()
        self.story.rocky_found = bool(self.rng.random() < config.galaxy.rocky_with_walt)
        self.events = EventLog()
        self.relationships = Relationships(config.relationships)  # who trusts, who resents whom
        self.decisions: list[dict] = []  # what each character chose, as the trace level keeps
        # beside each decision: how many beliefs its character held then (its first n), for the
        # Why page; kept apart so the decision records themselves stay as they were
        self.beliefs_held: list[int] = []
        self.sighting: tuple[int, int] | None = None  # (planet, tick) the ship was last seen
        self.party_guests = 0
        self.in_battle = self.captain_fights = False
        self.collapse_at: int | None = None  # the tick the kill switch deletes Infinity
        self.crew_losses = 0
        self.fallen: list = []  # captains who died in command, kept for the record
        self.walt_in_command = False
        self.ending: str | None = None
        self.forced: dict[str, str] = {}  # name -> action a fork makes it take next hour
        self.threat: dict[int, int] = {}  # hostile players per planet, where there are any
        self._cast_characters()
        self.hunter_brain = VectorBrain(CATALOGS["vengeful_player"], config.agents.vengeful_player)
        self.vengeful = AgentSet([], random=self.random)
        self.datacollector = MetricsCollector(METRICS, capacity=config.simulation.ticks)

    def _launch_planet(self) -> int:
        """A random planet at least `world.launch_min_hops` from XJ-500 (else the farthest)."""
        far = self.galaxy.hops_from(self.galaxy.xj500)
        planets = np.asarray(self.galaxy.planets_of_kind("ordinary", "market"))
        candidates = planets[far[planets] >= self.config.world.launch_min_hops]
        if len(candidates) == 0:
            candidates = planets[[np.argmax(far[planets])]]  # the first of the farthest
        return int(candidates[self.rng.integers(len(candidates))])

    def _cast_characters(self) -> None:
        """Every named character, in the order of the roles; `model.<role>` for a single role."""
        by_role: dict[str, list] = {role: [] for role in CHARACTER_CLASSES}
        for name in self.config.characters:  # TOML order is the author's order
            spec = self.config.characters[name]
            role = spec.role
            brain = Brain(CATALOGS[role], getattr(self.config.agents, role), spec.traits())
            kwargs = {"aboard": spec.starts_aboard} if role == "crew" else {}
            person = CHARACTER_CLASSES[role](
                self, name, spec.display_name, brain, spec.traits(), **kwargs
            )
            person.alive = spec.alive
            by_role[role].append(person)
        for role, people in by_role.items():
            if CATALOGS[role].singleton:  # the schema makes sure there is exactly one
                setattr(self, role, people[0])
        self.crew: list[crew.CrewMember] = by_role["crew"]
        # Walt is the crew member who waits on XJ-500 instead of starting aboard.
        self.walt = next((member for member in self.crew if not member.aboard), None)
        self.cast = AgentSet([p for people in by_role.values() for p in people], random=self.random)

    # ------------------------------------------------------------------ the rules of a tick
    def step(self) -> None:
        self.population.step(self.steps, self.price_index, self.rng)
        step_processes(self)  # the press, real Kabir, the hospital, the FBI
        cross_the_road(self)  # the real Nanette's accident hazard
        if self.story.finished:
            self._real_world_goes_on()
        else:
            self._characters_think()
            vengeful_player.think(self)
            self._resolve_choices()
            collapse_if_due(self)
            end_the_story_if_over(self)
        self.forced.clear()  # a fork's forced choice is for one hour: the one it forks into
        self.datacollector.collect(self)
        self._stop_if_over()

    def _characters_think(self) -> None:
        """Every due character decides (or a fork's forced one acts), in a fresh random order.

        The order is Mesa's `AgentSet.shuffle_do`'s: one `random.shuffle` of the cast as listed.
        Only the characters due (or forced) are called: about half are not, in any hour, and
        Mesa's getattr-and-call of each of them cost more than the whole test of being due.
        """
        order = list(self.cast)
        self.random.shuffle(order)
        tick, forced = self.steps, self.forced
        for person in order:
            if person.is_due(tick) or person.name in forced:
                person.think()

    def _resolve_choices(self) -> None:
        """What everyone chose takes effect, role by role, in this order."""
        # The real world acts first. The real Nanette sits in the same office as Walton: her
        # hand on his Nubbin comes before his next shot in the game.
        nanette.resolve(self)
        walton.resolve(self)  # prices, the press, logging in, his avatar's shots
        daly.resolve(self)  # in the Heart Daly holds the keyboard...
        captain.resolve_in_heart(self)  # ...and the captain answers him
        aboard = crew_aboard(self)  # the crew as the ship's hour begins
        crew.live_the_hour(self, aboard)
        captain.rest_or_work(self)
        chosen = crew.choices(self, aboard)  # what the crew chose as the hour began
        pay_upkeep(self, aboard)
        crew.resolve(self, chosen)
        captain.resolve_orders(self, aboard)
        vengeful_player.resolve(self)
        resolve_battle(self)
        crew.notice_quarters(self)

    def _real_world_goes_on(self) -> None:
        """After the crew's story ends, Walton and the real Nanette still live their hours."""
        for person in (self.walton, self.nanette):
            person.think()
        nanette.resolve(self)
        walton.resolve(self)
        collapse_if_due(self)

    def _stop_if_over(self) -> None:
        horizon = self.steps >= self.config.simulation.ticks
        epilogue_over = self.story.finished and (
            self.steps - self.story.ending_tick >= self.config.world.epilogue
        )
        if horizon or epilogue_over:
            if self.ending is None:
                self.ending = HORIZON_ENDING
            self.running = False

    def release(self) -> None:
        """Let this model be garbage-collected once the caller drops it.

        Mesa 3.3 keeps a per-model id counter in the class-level `Agent._ids` dict, keyed by
        the model itself, so without this every model ever built stays in memory (~1 MB a
        run: a batch worker would grow without bound).
        """
        mesa.Agent._ids.pop(self, None)
