"""The real world on the same clock: Callister Inc., the press, real Kabir, the hospital, the FBI.

The journalist, real Kabir, the hospital and the FBI are processes with configured rates that
react to what has happened in the run: to the evidence that exists, and to what the characters
chose. They never choose for a character. The real Walton and the real Nanette are characters
(`world.cast`); what they choose takes effect there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KABIR = "real Kabir"  # real Kabir is a process, not a character; this names him as a source

# What can be held against Walton, item -> what one count of it is. Characters' choices and
# world rules add to the counters (`RealWorld.record`); the rest is read from the run's state.
EVIDENCE: dict[str, str] = {
    "price_hikes": "a price hike (public; proves nothing on its own)",
    "clones_found": "the clones found in the complaint logs and players' videos",
    "leaks": "a leak to the press",
    "published": "the published story",
    "killings": "a clone killed by Walton's gun",
    "accident": "the real Nanette's accident after a row with Walton",
    "cover_ups_backfired": "a cover-up that came out",
    "stonewalls": "a stonewalling of the press, on the record",
    "tips": "a fact the real Nanette reported to the FBI",
}
# Evidence that investigators can build a case on, item -> the knob of its weight.
EVIDENCE_WEIGHTS: dict[str, str] = {
    "clones_found": "evidence_clones_found",
    "leaks": "evidence_per_leak",
    "published": "evidence_published",
    "killings": "evidence_per_killing",
    "accident": "evidence_accident",
    "cover_ups_backfired": "evidence_per_backfire",
    "tips": "evidence_per_tip",
}
# The charges the FBI can bring: each stands only if one of its evidence items exists.
CHARGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fraud for price gouging", ("price_hikes",)),
    ("digital human-rights abuse", ("clones_found", "killings", "tips")),
    ("murder of a digital being", ("killings",)),
    ("failure to report an accident", ("accident",)),
    ("obstruction of justice", ("cover_ups_backfired", "stonewalls")),
)


@dataclass
class RealWorld:
    kabir_alarm: float = 0.0
    kabir_mood: str = "calm"  # calm | waiting (for Walton's answer) | heard | brushed_off
    kabir_quit: bool = False
    log_access: bool = False
    journalist_progress: float = 0.0
    interviews: int = 0
    published: bool = False
    legal_risk: float = 0.05
    evidence: float = 0.0  # the real Nanette's investigation (0-1)
    clones_discovered: bool = False
    nanette_state: str = "well"  # well | coma | dead | fused
    walton_arrested: bool = False
    company_folded: bool = False
    counted: dict[str, int] = field(default_factory=dict)  # evidence counters (`record`)

    def add_risk(self, amount: float) -> None:
        self.legal_risk = min(1.0, max(0.0, self.legal_risk + amount))

    def record(self, item: str, count: int = 1) -> None:
        """One more piece of evidence of kind `item` (see `EVIDENCE`)."""
        if item not in EVIDENCE:
            raise ValueError(f"unknown evidence {item!r} (known: {', '.join(EVIDENCE)})")
        self.counted[item] = self.counted.get(item, 0) + count

    def evidence_items(self) -> dict[str, int]:
        """What exists against Walton: every item of `EVIDENCE` and its count."""
        items = {item: self.counted.get(item, 0) for item in EVIDENCE}
        items["clones_found"] = int(self.clones_discovered)
        items["published"] = int(self.published)
        return items

    def evidence_score(self, settings, items: dict[str, int] | None = None) -> float:
        """How strong a case the evidence makes (0: none, 1: enough to convict); `items` is
        `evidence_items()` when the caller has it already."""
        items = self.evidence_items() if items is None else items
        # a list, not a generator (the same sum in the same order): read every hour the FBI
        # is after Walton
        weighed = [getattr(settings, knob) * items[item] for item, knob in EVIDENCE_WEIGHTS.items()]
        score = sum(weighed)
        return min(1.0, score)

    def charges(self, items: dict[str, int] | None = None) -> list[str]:
        """The charges the existing evidence supports, in the table's order."""
        items = self.evidence_items() if items is None else items
        held = {item for item, count in items.items() if count > 0}  # one pass, not one a charge
        return [charge for charge, needs in CHARGES if not held.isdisjoint(needs)]


def step_processes(model) -> None:
    """One hour of the press, real Kabir, the hospital and the FBI."""
    real, settings, tick = model.realworld, model.config.realworld, model.steps
    complaints = model.population.complaints_last_hour
    if not real.kabir_quit:
        _real_kabir(model, complaints)
    if not real.published:
        progress = settings.journalist_rate + settings.journalist_per_complaint * complaints
        press_progress(model, progress)
    if real.nanette_state == "coma" and model.rng.random() < settings.coma_death_rate:
        real.nanette_state = "dead"
        model.events.add(
            tick,
            "nanette_died",
            (model.nanette.display_name,),
            "The hospital calls: the real Nanette has died without waking.",
        )
    _fbi(model)
    walton = model.walton
    folded = model.population.total < settings.company_fold_share * model.population.start_total
    if not real.company_folded and (folded or not model.galaxy.alive):
        real.company_folded = True
        real.add_risk(settings.risk_when_folded)
        model.events.add(
            tick,
            "company_folded",
            (walton.display_name,),
            "Callister Inc. folds."
            if model.galaxy.alive
            else "With Infinity deleted, Callister Inc. folds; investigators move in.",
        )


def _real_kabir(model, complaints: int) -> None:
    """Complaints alarm real Kabir; alarmed, he goes to Walton; how Walton answered sets how
    soon he quits (a rate): his logs then pass to the real Nanette."""
    real, settings, tick = model.realworld, model.config.realworld, model.steps
    if real.kabir_mood != "brushed_off":  # brushed off, he has stopped talking to Walton
        real.kabir_alarm = min(
            1.0, real.kabir_alarm + settings.kabir_alarm_per_complaint * complaints
        )
        if real.kabir_alarm >= 1.0 and real.kabir_mood != "waiting":
            real.kabir_mood = "waiting"
            model.walton.beliefs.learn("kabir_warned", True, tick, "told", source=KABIR)
            model.events.add(
                tick,
                "kabir_warns",
                (KABIR, model.walton.display_name),
                "Real Kabir comes to Walton with the bandit complaints: players robbed by a "
                "crew that bleeds. He waits for an answer.",
            )
    rate = {
        "waiting": settings.kabir_quit_rate_unanswered,
        "brushed_off": settings.kabir_quit_rate_brushed_off,
        "heard": settings.kabir_quit_rate_heard,
    }.get(real.kabir_mood, 0.0)
    if rate > 0 and model.rng.random() < rate:
        why = {
            "waiting": "His warning still unanswered, real Kabir quits Callister Inc.",
            "brushed_off": "Brushed off by Walton, real Kabir quits Callister Inc.",
            "heard": "Though Walton heard him out, real Kabir quits Callister Inc.",
        }[real.kabir_mood]
        real.kabir_quit = real.log_access = True
        model.events.add(
            tick,
            "kabir_quit",
            (KABIR, model.walton.display_name),
            f"{why} His complaint logs pass to the real Nanette.",
        )


def _fbi(model) -> None:
    """Once the story is out (or the risk is high), the FBI may arrest Walton: only on evidence,
    the likelier the stronger it is, for the charges it supports."""
    real, settings, walton = model.realworld, model.config.realworld, model.walton
    wanted = walton.free and (real.published or real.legal_risk > 0.5)
    if not wanted:
        return
    items = real.evidence_items()  # read once: the FBI weighs them every hour it is wanted
    strength = real.evidence_score(settings, items)
    charges = real.charges(items)
    if strength <= 0 or not charges:
        return
    if model.rng.random() < settings.fbi_rate * real.legal_risk**2 * strength:
        walton.free = False
        walton.in_game = False
        real.walton_arrested = True
        model.events.add(
            model.steps,
            "walton_arrested",
            (walton.display_name, "the FBI"),
            "The FBI arrests James Walton: " + ", ".join(charges) + ".",
        )


def leak(model, amount: float) -> None:
    """Someone leaks what they know to the press: evidence, and the journalist's story moves."""
    model.realworld.record("leaks")
    press_progress(model, amount)


# What a published story can teach its readers: the facts leaked to the journalist.
PRINTABLE = ("clones_are_real", "walton_attacked_crew")


def _everyone_reads_it(model, tick: int) -> None:
    """Once printed, what was leaked is known to everyone in the real world who did not know."""
    printed = [fact for fact in PRINTABLE if fact in model.nanette.leaked]
    for reader in (model.walton, model.nanette):
        for fact in printed:
            if not reader.beliefs.holds(fact):
                reader.beliefs.learn(fact, True, tick, "press", source="The New York Times")


def press_progress(model, amount: float) -> None:
    """The journalist's story advances by `amount`: interviews along the way, then print."""
    real, settings, tick = model.realworld, model.config.realworld, model.steps
    real.journalist_progress = min(1.0, real.journalist_progress + amount)
    next_interview = (real.interviews + 1) * settings.interview_every
    if next_interview <= real.journalist_progress < 1.0:
        real.interviews += 1
        real.add_risk(settings.risk_per_interview)
        model.events.add(
            tick,
            "journalist_interview",
            ("Kris El Masry", model.walton.display_name),
            "Journalist Kris El Masry grills Walton about the Infinity bandits "
            f"(interview {real.interviews}).",
        )
    if real.journalist_progress >= 1.0 and not real.published:
        real.published = True
        real.add_risk(
            settings.risk_when_published
            + settings.risk_when_published_with_clones * real.clones_discovered
        )
        model.events.add(
            tick,
            "story_published",
            ("Kris El Masry",),
            "The New York Times runs the story of the bleeding bandits of Infinity.",
        )
        _everyone_reads_it(model, tick)
