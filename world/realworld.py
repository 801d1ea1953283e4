"""The real world on the same clock: Callister Inc., the press, real Kabir, the hospital, the FBI.

The journalist, real Kabir, the hospital and the FBI are processes with configured rates;
the real Walton and the real Nanette are agents whose chosen actions are applied here.
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
    clones_discovered: bool = False
    walton_knows: bool = False
    saw_attack: bool = False
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
            model.log(
                tick,
                "kabir_quit",
                ("real Kabir", model.walton.display_name),
                "Real Kabir flags the bandit complaints, is brushed off by Walton and "
                "quits; his logs pass to the real Nanette.",
            )
    if not real.published:
        progress = settings.journalist_rate + settings.journalist_per_complaint * complaints
        _press_progress(model, progress)
    if real.nanette_state == "coma" and model.rng.random() < settings.coma_death_rate:
        real.nanette_state = "dead"
        model.log(
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
        model.log(
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
        model.log(
            tick,
            "company_folded",
            (walton.display_name,),
            "Callister Inc. folds."
            if model.galaxy.alive
            else "With Infinity deleted, Callister Inc. folds; investigators move in.",
        )


def _press_progress(model, amount: float) -> None:
    real, settings, tick = model.realworld, model.config.realworld, model.steps
    real.journalist_progress = min(1.0, real.journalist_progress + amount)
    next_interview = (real.interviews + 1) * settings.interview_every
    if next_interview <= real.journalist_progress < 1.0:
        real.interviews += 1
        # World rule (as aired): rattled by the press, Walton accepts the real Nanette's
        # offer of help and grants her Kabir's complaint logs.
        real.log_access = True
        real.add_risk(settings.risk_per_interview)
        model.log(
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
        model.log(
            tick,
            "story_published",
            ("Kris El Masry",),
            "The New York Times runs the story of the bleeding bandits of Infinity.",
        )


def apply_walton(model) -> None:
    """What the real Walton chose to do this hour."""
    walton, real, tick = model.walton, model.realworld, model.steps
    settings = model.config
    action = walton.intent if walton.free and walton.is_due(tick) else None
    who = (walton.display_name,)
    if action == "raise_prices":
        before = model.price_index
        model.price_index = min(
            settings.economy.price_index_max, before * (1 + settings.economy.price_hike)
        )
        model.log(
            tick,
            "price_hike",
            who,
            f"Walton raises prices: the price index goes {before:.2f} -> "
            f"{model.price_index:.2f}. Everything costs more.",
        )
    elif action == "stonewall_press":
        real.journalist_progress = max(
            0.0, real.journalist_progress - settings.realworld.stonewall_effect * 0.05
        )
        real.add_risk(settings.realworld.risk_per_stonewall)
    elif action == "cover_up":
        backfired = model.rng.random() < settings.realworld.cover_up_backfire
        real.add_risk(
            2 * settings.realworld.cover_up_effect
            if backfired
            else -settings.realworld.cover_up_effect
        )
    elif action == "enter_game" and model.galaxy.alive:
        walton.in_game = True
        walton.avatar_health = settings.combat.walton_avatar_health
        model.meet_the_crew(walton)
    elif action == "attack_crew" and walton.in_game:
        model.walton_shoots()
    elif action == "invite_party" and walton.in_game:
        model.invite_party()
    elif action == "exit_game" and walton.in_game:
        walton.in_game = False


def apply_nanette(model) -> None:
    """What the real Nanette chose to do this hour."""
    nanette, real, tick = model.nanette, model.realworld, model.steps
    settings = model.config.realworld
    if real.nanette_state != "well" or not nanette.is_due(tick):
        return
    action = nanette.intent
    who = (nanette.display_name,)
    if action == "investigate" and not real.clones_discovered:
        access = 1.0 if real.log_access else 0.25
        real.evidence = min(
            1.0, real.evidence + settings.investigate_rate * access * nanette.traits["curiosity"]
        )
        if real.evidence >= 1.0:
            real.clones_discovered = True
            real.add_risk(settings.risk_per_disclosure)
            model.log(
                tick,
                "clones_discovered",
                who,
                "In a robbed gamer's video the real Nanette sees her own face: the "
                "bandits are Daly's clones, loose in Infinity.",
            )
    elif action == "confide_in_walton":
        nanette.told_walton = real.walton_knows = True
        real.add_risk(settings.risk_per_disclosure)
        model.log(
            tick,
            "confided",
            (*who, model.walton.display_name),
            "The real Nanette tells Walton everything: Daly, the DNA, the clones.",
        )
    elif action == "enter_game" and model.galaxy.alive:
        nanette.in_game = True
        model.meet_the_crew(nanette)
    elif action == "help_clones":
        if nanette.in_game and model.ship_in_space():
            model.ship.credits += settings.help_credits
            model.ship.shields = 100.0
        else:
            _press_progress(model, settings.leak_effect)
            real.add_risk(settings.risk_per_disclosure)
    elif action == "quit":
        nanette.quit = True
        nanette.in_game = False
        model.log(
            tick,
            "nanette_quit",
            (*who, model.walton.display_name),
            "The real Nanette confronts Walton and quits.",
        )
        if real.walton_knows and model.rng.random() < settings.accident_chance:
            real.nanette_state = "coma"
            real.add_risk(settings.risk_per_accident)
            model.log(
                tick,
                "nanette_coma",
                who,
                "Crossing the road after the row, the real Nanette is hit by a car; "
                "she is in a coma.",
            )
    elif action == "work":
        nanette.trust_in_walton = min(1.0, nanette.trust_in_walton + 0.002)
