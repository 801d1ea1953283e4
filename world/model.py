"""The Mesa model of Into Infinity: one tick is one hour of the game and the real world.

`step` reads as the rules of the world: players live their hour, the real world's processes
run, every due character decides, then the world resolves what they chose.
"""

from __future__ import annotations

import mesa
import numpy as np
from mesa.agent import AgentSet
from mesa.discrete_space import Cell, Network

from agents.brain import Brain
from agents.captain import Captain
from agents.crew import CrewMember
from agents.daly import Daly
from agents.nanette import RealNanette
from agents.vectorised import VectorBrain
from agents.vengeful import VengefulPlayer, decide_hunters
from agents.walton import Walton
from world import hunters
from world.endings import classify
from world.events import EventLog
from world.galaxy import Galaxy
from world.heart import HeartState, resolve_heart
from world.metrics import METRICS, MetricsCollector
from world.orders import discover_quarters, resolve_ship
from world.population import Population
from world.realworld import RealWorld, apply_nanette, apply_walton, step_processes
from world.ship import Ship, hop_fuel
from world.story import Story
from world.succession import promote_heir
from world.victims import victim_tag

ROLE_CLASSES = {
    "captain": Captain,
    "crew": CrewMember,
    "walton": Walton,
    "nanette": RealNanette,
    "daly": Daly,
}


class CallisterModel(mesa.Model):
    """Infinity and the real world around it, seeded so every run can be replayed."""

    def __init__(self, config, seed: int | None = None) -> None:
        self.seed = config.simulation.seed if seed is None else seed
        super().__init__(rng=self.seed)
        self.config = config
        self.trace_level = config.simulation.trace
        self.galaxy = Galaxy(config.galaxy, self.rng)
        self.space = Network(self.galaxy.graph, random=self.random)  # planets as Mesa cells
        self.population = Population(config.population, self.galaxy, self.rng)
        self.ship = Ship.launch(self._launch_planet(), config.economy)
        self.price_index = config.economy.price_index_start
        self.story, self.heart, self.realworld = Story(), HeartState(), RealWorld()
        self.story.rocky_found = bool(self.rng.random() < config.galaxy.rocky_with_walt)
        self.events = EventLog()
        self.decisions: list[dict] = []
        self.sighting: tuple[int, int] | None = None
        self.party_guests = 0
        self.in_battle = self.captain_fights = False
        self.collapse_at: int | None = None
        self.crew_losses = 0
        self.fallen: list = []  # captains who died in command, kept for the record
        self.walt_in_command = False
        self.ending: str | None = None
        self._threat = np.zeros(self.galaxy.size)
        self._cast_characters()
        self.hunter_brain = VectorBrain("vengeful_player", config.agents.vengeful_player)
        self.vengeful = AgentSet([], random=self.random)
        self.datacollector = MetricsCollector(METRICS, capacity=config.simulation.ticks)

    def _launch_planet(self) -> int:
        """A random planet at least three hops from XJ-500 (else the farthest there is)."""
        far = self.galaxy.hops_from(self.galaxy.xj500)
        planets = self.galaxy.planets_of_kind("ordinary", "market")
        candidates = [n for n in planets if far[n] >= 3] or [max(planets, key=lambda n: far[n])]
        return candidates[int(self.rng.integers(len(candidates)))]

    def _cast_characters(self) -> None:
        self.crew: list[CrewMember] = []
        self.walt: CrewMember | None = None
        for name in self.config.characters:  # TOML order is the author's order
            spec = self.config.characters[name]
            brain = Brain(spec.role, getattr(self.config.agents, spec.role), spec.traits())
            kwargs = {"aboard": spec.starts_aboard} if spec.role == "crew" else {}
            person = ROLE_CLASSES[spec.role](
                self, name, spec.display_name, brain, spec.traits(), **kwargs
            )
            person.alive = spec.alive
            if spec.role == "crew":
                self.crew.append(person)
                if not spec.starts_aboard and self.walt is None:
                    self.walt = person
            else:
                setattr(self, spec.role, person)
        self.cast = AgentSet(
            [self.captain, *self.crew, self.walton, self.nanette, self.daly], random=self.random
        )

    # ------------------------------------------------------------------ the rules of a tick
    def step(self) -> None:
        tick = self.steps
        self.population.step(tick, self.price_index, self.rng)
        step_processes(self)
        if self.story.finished:
            self._real_world_goes_on()
        else:
            self.cast.shuffle_do("think")
            decide_hunters(self, self.hunter_brain, self._due_hunters(tick))
            apply_walton(self)
            apply_nanette(self)
            resolve_heart(self)
            resolve_ship(self)
            hunters.resolve_hunters(self)
            hunters.resolve_battle(self)
            discover_quarters(self)
            self._collapse_if_due()
            self.captain_fights = False
            self._check_ending()
        self.datacollector.collect(self)
        self._stop_if_over()

    def _real_world_goes_on(self) -> None:
        for person in (self.walton, self.nanette):
            person.think()
        apply_walton(self)
        apply_nanette(self)
        self._collapse_if_due()

    def _due_hunters(self, tick: int) -> list[VengefulPlayer]:
        every = self.hunter_brain.think_every
        return [p for p in self.vengeful if (tick + p.unique_id) % every == 0]

    def _check_ending(self) -> None:
        ending = classify(self)
        if ending is None:
            return
        story = self.story
        story.finished, story.ending, story.ending_tick = True, ending, self.steps
        self.ending = ending
        if ending in ("captain_alone", "nanettes_head"):
            self.realworld.nanette_state = "fused"
        if ending == "captain_alone":  # the red disk: she wakes in her body, the crew is wiped
            for member in self.crew:
                member.alive = False

    def _stop_if_over(self) -> None:
        horizon = self.steps >= self.config.simulation.ticks
        epilogue_over = self.story.finished and (
            self.steps - self.story.ending_tick >= self.config.world.epilogue
        )
        if horizon or epilogue_over:
            if self.ending is None:
                self.ending = "outlaws"
            self.running = False

    def release(self) -> None:
        """Let this model be garbage-collected once the caller drops it.

        Mesa 3.3 keeps a per-model id counter in the class-level `Agent._ids` dict, keyed by
        the model itself, so without this every model ever built stays in memory (~1 MB a
        run: a batch worker would grow without bound).
        """
        mesa.Agent._ids.pop(self, None)

    # ------------------------------------------------------------------ world services
    def log(self, tick: int, kind: str, actors, text: str) -> None:
        self.events.add(tick, kind, actors, text)

    def record_decision(self, agent, decision, inputs: dict[str, float]) -> None:
        if self.trace_level == "off":
            return
        record = {
            "tick": self.steps,
            "character": agent.name,
            "role": agent.role,
            "action": decision.action,
            "score": decision.score,
        }
        if self.trace_level == "full" and decision.trace is not None:
            record["trace"] = decision.trace.to_dict()
        self.decisions.append(record)

    def crew_aboard(self) -> list[CrewMember]:
        return [m for m in self.crew if m.alive and m.aboard and not self.ship.destroyed]

    def clones_alive(self) -> bool:
        """Is anyone of the crew still in the story: aboard the ship, or in the Heart?"""
        if self.captain.alive and self.heart.captain_inside:
            return True
        return not self.ship.destroyed and (self.captain.alive or bool(self.crew_aboard()))

    def clones_in_story(self) -> int:
        """The captain (if alive) and the crew aboard: who the story is about right now."""
        return int(self.captain.alive) + len(self.crew_aboard())

    def heart_access(self) -> bool:
        """Walton-level access: Walt alive and aboard, or Walt in command himself."""
        walt = self.walt
        return self.walt_in_command or (walt is not None and walt.alive and walt.aboard)

    def walt_alive(self) -> bool:
        return self.walt is not None and self.walt.alive

    def ship_in_space(self) -> bool:
        """The ship is out there to be found (not destroyed, not deleted, story not over)."""
        return not self.ship.destroyed and self.galaxy.alive and not self.story.finished

    def ship_is_at(self, planet: int) -> bool:
        return self.ship_in_space() and self.ship.planet == planet

    def can_afford(self, source: int, target: int) -> bool:
        distance = self.galaxy.lane_distance(source, target)
        return hop_fuel(distance, self.config.economy) <= self.ship.fuel

    def can_afford_hop(self) -> bool:
        here = self.ship.planet
        return any(self.can_afford(here, n) for n in self.galaxy.neighbours(here))

    def count_threats(self) -> None:
        planets = [player.planet for player in self.vengeful]
        self._threat = np.bincount(planets, minlength=self.galaxy.size).astype(float)

    def threat_near(self, planet: int) -> float:
        near = self._threat[planet] + sum(self._threat[n] for n in self.galaxy.neighbours(planet))
        if planet == self.ship.planet:
            near += self.party_guests + (1 if self.walton.in_game else 0)
        return float(near)

    @property
    def hunters_active(self) -> int:
        return len(self.vengeful)

    def heart_threat(self) -> float:
        if self.heart_access():
            return 1.0
        if not self.story.knows_quarters:
            return 0.0
        hops = self.galaxy.hops_from(self.ship.planet)[self.galaxy.heart]
        return max(0.0, 0.5 - hops / 16.0)

    def ship_moved(self) -> None:
        self.in_battle = False

    def add_victim(self, planet: int) -> VengefulPlayer:
        self.story.robbed_total += 1
        grudge = float(self.rng.uniform(0.5, 1.0))
        player = VengefulPlayer(self, victim_tag(self.rng), planet, grudge)
        player.invited = self.story.party_invited
        self.vengeful.add(player)
        cap = self.config.world.max_vengeful
        while len(self.vengeful) > cap:
            self.drop_hunter(min(self.vengeful, key=lambda p: p.unique_id))
        return player

    def drop_hunter(self, player: VengefulPlayer) -> None:
        """A robbed player logs out for good (explicitly, not left to garbage collection)."""
        self.vengeful.remove(player)
        player.remove()

    def wound_character(self, person, damage: float, cause: str) -> bool:
        killed = person.wound(damage)
        if killed:
            self.crew_losses += 1
            self.log(
                self.steps,
                "crew_death",
                (person.display_name,),
                f"{person.display_name} dies of {cause}. Clones bleed, and die, for real.",
            )
            if person is self.captain:
                promote_heir(self)
        return killed

    def destroy_ship(self) -> None:
        aboard = [*self.crew_aboard(), self.captain]
        self.ship.destroyed = True
        for person in aboard:
            if person.alive and not (person is self.captain and self.heart.captain_inside):
                person.alive = False
                self.crew_losses += 1
                self.log(
                    self.steps,
                    "crew_death",
                    (person.display_name,),
                    f"{person.display_name} dies as the USS Callister breaks apart.",
                )

    def build_planet(self) -> int:
        node = self.galaxy.add_planet(self.steps, self.rng)
        cell = Cell(node, random=self.random)
        self.space.add_cell(cell)
        for neighbour in self.galaxy.neighbours(node):
            self.space.add_connection(cell, self.space[neighbour])
        self.population.add_planet(self.galaxy)
        self._threat = np.append(self._threat, 0.0)
        return node

    def meet_the_crew(self, visitor) -> None:
        if self.ship_in_space() and not getattr(visitor, "met_crew", False):
            visitor.met_crew = True
            if visitor is self.nanette and self.events.happened("walton_attack"):
                self.realworld.saw_attack = True  # the crew tells her what Walton did
            self.log(
                self.steps,
                "real_visit",
                (visitor.display_name, self.captain.display_name),
                f"The real {visitor.display_name} logs into Infinity and comes face to face "
                "with the clones aboard the USS Callister.",
            )

    def walton_shoots(self) -> None:
        hunters.walton_shoots(self)

    def invite_party(self) -> None:
        hunters.invite_party(self)

    def kill_switch(self) -> None:
        self.collapse_at = self.steps + self.config.world.collapse_delay

    def _collapse_if_due(self) -> None:
        if self.collapse_at is None or self.steps < self.collapse_at or not self.galaxy.alive:
            return
        self.galaxy.alive = False
        escaped = self.story.disk_loaded is not None
        if not escaped:  # nobody got out: the crew is deleted with the game
            for person in [self.captain, *self.crew]:
                person.alive = False
        self.walton.in_game = self.nanette.in_game = False
        self.log(
            self.steps,
            "infinity_collapse",
            ("Infinity",),
            "The kill switch completes: Infinity implodes and is deleted, with everything "
            "still inside it.",
        )
