"""The real Walton inside Infinity: what his avatar sees at the ship, and what it does there.

He logs in, watches (Walt aboard? the ship heading for the Heart?), shoots the clone he fears
or resents most, strikes Walt down with Rocky, or sends every robbed player at the ship.
"""

from __future__ import annotations

from world.cast.casualties import wound
from world.cast.visitors import meet_the_crew
from world.whereabouts import crew_aboard, ship_in_space


def observe(model, walton) -> None:
    """What his avatar sees at the ship this hour: whether Walt is aboard, and whether the
    ship (with Walt) is at or near the Heart. Only what he sees; he is told nothing."""
    if not (walton.in_game and ship_in_space(model)):
        return
    walt = model.walt
    walt_seen = model.walt_in_command or (walt is not None and walt.alive and walt.aboard)
    hops = model.galaxy.hops_from(model.galaxy.heart)[model.ship.planet]  # lanes run both ways
    near_heart = hops <= model.config.realworld.heart_watch_hops
    heading = model.heart.captain_inside  # what he sees: she has gone in (not her plans)
    _see(model, walton, "walt_aboard", walt_seen)
    _see(model, walton, "crew_going_for_heart", walt_seen and (near_heart or heading))


def _see(model, walton, fact: str, value: bool) -> None:
    value = bool(value)  # a numpy bool would not survive the record
    belief = walton.beliefs.about(fact)
    if (belief is None and value) or (belief is not None and bool(belief.value) != value):
        walton.beliefs.learn(fact, value, model.steps, "witnessed")


def heart_threat(model, walton) -> float:
    """How near he believes the crew is to the Heart (0-1), from what he has seen."""
    beliefs, settings = walton.beliefs, model.config.realworld
    if beliefs.holds("crew_going_for_heart"):
        return 1.0
    if not beliefs.holds("walt_aboard"):
        return 0.0
    base = settings.walt_aboard_threat
    if not (walton.in_game and ship_in_space(model)):
        return base
    hops = model.galaxy.hops_from(model.galaxy.heart)[model.ship.planet]  # he sees the ship
    closeness = max(0.0, 1.0 - hops / settings.heart_threat_hops)
    return base + (1.0 - base) * closeness


def relogin_wait(model, walton) -> float:
    """Hours he must wait to log in again: longer each time his avatar was shot down."""
    combat = model.config.combat
    extra = combat.walton_relogin_growth * max(0, walton.times_shot_down - 1)
    return combat.walton_relogin_hours * (1.0 + extra)


# ---------------------------------------------------------------------- effects
def enter_game(model, walton) -> None:
    if model.galaxy.alive:
        walton.in_game = True
        walton.avatar_health = model.config.combat.walton_avatar_health
        walton.target = None
        meet_the_crew(model, walton)


def _targets(model) -> list:
    captain = model.captain
    here = [captain] if captain.alive and not model.heart.captain_inside else []
    return crew_aboard(model) + here


def _choose_target(model, walton, targets: list):
    """The clone he wants dead most: the one he fears (Walt, the captain) or resents."""
    combat, feelings = model.config.combat, model.relationships
    best, best_score, best_why = None, -1.0, ""
    for person in targets:  # in a fixed order: the draws are reproducible
        motives = [(feelings.grievance(walton.name, person.name), "whom he resents most")]
        if person is model.walt and walton.beliefs.holds("walt_aboard"):
            motives.append((combat.walton_fear_walt, "his own copy, the key to the Heart"))
        if person is model.captain:
            motives.append((combat.walton_fear_captain, "the captain who leads them"))
        motive, why = max(motives, key=lambda m: m[0])
        score = sum(m for m, _ in motives) + combat.walton_target_whim * model.rng.random()
        if score > best_score:
            best, best_score, best_why = person, score, why if motive > 0 else "the nearest clone"
    return best, best_why


def attack_crew(model, walton) -> None:
    """An hour of his avatar's gunfire at the clone he chose; the gunners fire back."""
    targets = _targets(model)
    if not walton.in_game or not targets or not ship_in_space(model):
        return
    tick, combat = model.steps, model.config.combat
    target, why = _choose_target(model, walton, targets)
    hit = model.rng.random() < combat.walton_hit_chance
    witnesses = [walton, *targets] + ([model.nanette] if model.nanette.in_game else [])
    for witness in witnesses:  # he knows what he did; everyone at the ship sees him shoot
        if not witness.beliefs.holds("walton_attacked_crew"):
            witness.beliefs.learn("walton_attacked_crew", True, tick, "witnessed")
    if walton.target != target.name:  # a new attack, or he turns his gun on someone else
        walton.target = target.name
        model.events.add(
            tick,
            "walton_attack",
            (walton.display_name, target.display_name),
            f'Walton opens fire on {target.display_name}, {why}: "They\'re illegal!" '
            + (f"{target.display_name} is hit." if hit else "He misses."),
        )
    if hit:
        model.relationships.feel(target.name, walton.name, "wounded_me", tick)
        if wound(model, target, combat.walton_damage, cause="Walton's gun"):
            model.realworld.add_risk(model.config.realworld.risk_per_murder)
            model.realworld.record("killings")
    return_fire(model, walton)


def return_fire(model, walton) -> None:
    """Those manning the guns (and the captain, if she ordered a fight) shoot back at him."""
    tick, combat = model.steps, model.config.combat
    gunners = [m for m in crew_aboard(model) if m.intent == "man_guns"]
    captain = model.captain
    aboard = captain.alive and not model.heart.captain_inside and not model.ship.destroyed
    if aboard and captain.intent == "fight":  # her guns join only when she orders a fight
        gunners.append(captain)
    if not gunners or not walton.in_game:
        return
    walton.avatar_health -= combat.crew_fire_damage * len(gunners)
    for gunner in gunners:
        model.relationships.feel(walton.name, gunner.name, "wounded_me", tick, strength=0.25)
    if walton.avatar_health <= 0:
        walton.in_game = False
        walton.logged_out_at = tick
        walton.times_shot_down += 1
        names = ", ".join(g.display_name for g in gunners)
        model.events.add(
            tick,
            "walton_logged_out",
            (walton.display_name, *(g.display_name for g in gunners)),
            f"{names} shoot Walton's avatar down and send him out of the game — for now.",
        )


def strike_walt(model, walton) -> None:
    """He strikes Walt down with Rocky and takes the control room: no key to the Heart for
    a while."""
    walt, combat, tick = model.walt, model.config.combat, model.steps
    if not walton.in_game or walt is None or not (walt.alive and walt.aboard):
        return
    if not ship_in_space(model):
        return
    model.story.walt_out_cold_until = tick + combat.walton_strike_hours
    model.relationships.feel(walt.name, walton.name, "wounded_me", tick)
    model.events.add(
        tick,
        "walton_struck_walt",
        (walton.display_name, walt.display_name),
        "Walton's avatar strikes Walt down with Rocky and takes the control room: "
        f"without Walt the ship has no key to the Heart for {combat.walton_strike_hours} hours.",
    )
    wound(model, walt, combat.walton_strike_damage, cause="Walton's blow")
    return_fire(model, walton)


def invite_party(model, walton) -> None:
    """He hits 'Invite Party': every robbed player is sent at the ship."""
    if not walton.in_game:
        return
    story, rules = model.story, model.config.world
    story.party_invited = True
    for player in model.vengeful:
        player.invited = True
    model.party_guests = int(story.robbed_total * rules.invite_wave * rules.invite_reach)
    why = (
        "the crew is going for the Heart"
        if walton.beliefs.holds("crew_going_for_heart")
        else "to be rid of the clones"
    )
    model.events.add(
        model.steps,
        "invite_party",
        (walton.display_name,),
        f"Walton hits 'Invite Party' ({why}): {story.robbed_total} robbed players and "
        f"{model.party_guests} guests are sent at the USS Callister.",
    )


def exit_game(model, walton) -> None:
    walton.in_game = False
