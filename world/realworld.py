"""The real world on the same clock: Callister Inc., the press, real Kabir, the hospital, the FBI.

The journalist, real Kabir, the hospital and the FBI are processes with configured rates that
react to what has happened in the run. The real Walton and the real Nanette are characters
(`world.cast`); what they choose takes effect there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RealWorld:
    kabir_alarm: float = 0.0
    kabir_quit: bool = False
    log_access: bool = False
    journalist_progress: float = 0.0
    interviews: int = 0
    published: bool = False
    legal_risk: float = 0.05
    evidence: float = 0.0
    leaks: int = 0  # facts the real Nanette has leaked to the press
    fbi_tips: int = 0  # facts the real Nanette has reported to the FBI
    clones_discovered: bool = False
    nanette_state: str = "well"  # well | coma | dead | fused
    walton_arrested: bool = False
    company_folded: bool = False

    def add_risk(self, amount: float) -> None:
        self.legal_risk = min(1.0, max(0.0, self.legal_risk + amount))


def step_processes(model) -> None:
    """One hour of the press, real Kabir, the hospital and the FBI."""
    real, settings, tick = model.realworld, model.config.realworld, model.steps
    complaints = model.population.complaints_last_hour
    if not real.kabir_quit:
        real.kabir_alarm += settings.kabir_alarm_per_complaint * complaints
        if real.kabir_alarm >= 1.0:
            real.kabir_quit = real.log_access = True
            model.events.add(
                tick,
                "kabir_quit",
                ("real Kabir", model.walton.display_name),
                "Real Kabir flags the bandit complaints, is brushed off by Walton and "
                "quits; his logs pass to the real Nanette.",
            )
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
    walton = model.walton
    wanted = walton.free and (real.published or real.legal_risk > 0.5)
    if wanted and model.rng.random() < settings.fbi_rate * real.legal_risk**2:
        walton.free = False
        walton.in_game = False
        real.walton_arrested = True
        model.events.add(
            tick,
            "walton_arrested",
            (walton.display_name, "the FBI"),
            "The FBI arrests James Walton: fraud, digital human-rights abuse, "
            "failure to report an accident.",
        )
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


def press_progress(model, amount: float) -> None:
    """The journalist's story advances by `amount`: interviews along the way, then print."""
    real, settings, tick = model.realworld, model.config.realworld, model.steps
    real.journalist_progress = min(1.0, real.journalist_progress + amount)
    next_interview = (real.interviews + 1) * settings.interview_every
    if next_interview <= real.journalist_progress < 1.0:
        real.interviews += 1
        # World rule (as aired): rattled by the press, Walton accepts the real Nanette's
        # offer of help and grants her Kabir's complaint logs.
        real.log_access = True
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
