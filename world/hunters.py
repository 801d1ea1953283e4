"""Robbed players on the hunt, Walton's invite party, and battles at the ship's planet."""

from __future__ import annotations

from world.combat import exchange_fire, spread_injuries


def resolve_hunters(model) -> None:
    """Apply every vengeful player's intent, then let grudges fade."""
    rules, tick = model.config.world, model.steps
    decay = 0.5 ** (1.0 / rules.grudge_half_life)
    sighting = model.sighting
    complainers = []
    for player in list(model.vengeful):
        action = player.intent
        if action == "hunt" and sighting is not None:
            player.warp_to(model.galaxy.step_toward(player.planet, sighting[0]))
        elif action == "answer_invite" and model.ship_in_space():
            player.warp_to(model.ship.planet)
        elif action == "complain" and not player.complained:
            player.complained = True
            complainers.append(player)
        player.grudge *= decay
        if action == "give_up" or (player.grudge < rules.grudge_forget and not player.invited):
            model.drop_hunter(player)
    if complainers:
        model.population.record_complaints(len(complainers))
        tags = ", ".join(p.tag for p in complainers[:3])
        more = f" and {len(complainers) - 3} more" if len(complainers) > 3 else ""
        model.log(
            tick,
            "complaint",
            tuple(p.tag for p in complainers),
            f"{tags}{more} file complaints: robbed by bandits with no player tags who bleed.",
        )
    model.count_threats()


def resolve_battle(model) -> None:
    """One hour of fighting if anyone is attacking the ship where it is."""
    ship, tick = model.ship, model.steps
    if not model.ship_in_space():
        model.party_guests = 0
        return
    attackers = [p for p in model.vengeful if p.planet == ship.planet and p.intent == "attack"]
    total = len(attackers) + model.party_guests
    if total == 0:
        model.in_battle = False
        return
    crew = model.crew_aboard()
    guns = model.config.combat.captain_guns if model.captain_fights else 0
    gunners = sum(m.intent == "man_guns" for m in crew) + guns
    settings = model.config
    volley = exchange_fire(
        ship, total, gunners, settings.combat, settings.economy, model.price_index, model.rng
    )
    kills = volley.kills
    for player in attackers[:kills]:
        model.drop_hunter(player)  # a player who is hit just logs out
    model.party_guests = max(0, model.party_guests - max(0, kills - len(attackers)))
    if not model.in_battle:
        model.log(
            tick,
            "ship_battle",
            (model.captain.display_name,),
            (f"{total} players attack" if total != 1 else "1 player attacks")
            + f" the USS Callister at {model.galaxy.name(ship.planet)}"
            + (" — Walton's invite party." if model.party_guests else "."),
        )
    model.in_battle = True
    model.population.bandits_strike(ship.planet, 0.5, model.rng)
    aboard = crew + (
        [model.captain] if model.captain.alive and not model.heart.captain_inside else []
    )
    for person, damage in spread_injuries(aboard, volley.injuries, model.rng):
        model.wound_character(person, damage, cause="the battle")
    if ship.hull <= 0:
        model.destroy_ship()
    if model.party_guests:
        leaving = int(model.rng.binomial(model.party_guests, settings.combat.party_interest_decay))
        model.party_guests -= leaving


def walton_shoots(model) -> None:
    """Walton's avatar shoots a clone aboard; the crew shoots back."""
    walton, tick = model.walton, model.steps
    targets = model.crew_aboard() + (
        [model.captain] if model.captain.alive and not model.heart.captain_inside else []
    )
    if not targets or not model.ship_in_space():
        return
    target = targets[int(model.rng.integers(len(targets)))]
    model.realworld.saw_attack = model.realworld.saw_attack or model.nanette.in_game
    model.log(
        tick,
        "walton_attack",
        (walton.display_name, target.display_name),
        f'Walton grabs a gun and opens fire on the clones: "They\'re illegal!" '
        f"{target.display_name} is hit.",
    )
    if model.wound_character(target, model.config.combat.walton_damage, cause="Walton's gun"):
        model.realworld.add_risk(model.config.realworld.risk_per_murder)
    armed = sum(1 for m in model.crew_aboard() if m.intent != "rest") or 1
    walton.avatar_health -= model.config.combat.crew_fire_damage * armed
    if walton.avatar_health <= 0:
        walton.in_game = False
        walton.logged_out_at = tick
        model.log(
            tick,
            "walton_logged_out",
            (walton.display_name,),
            "The crew shoots Walton's avatar down and sends him out of the game — for now.",
        )


def invite_party(model) -> None:
    """Walton hits 'Invite Party': every robbed player is sent at the ship."""
    story, tick = model.story, model.steps
    story.party_invited = True
    for player in model.vengeful:
        player.invited = True
    rules = model.config.world
    model.party_guests = int(story.robbed_total * rules.invite_wave * rules.invite_reach)
    model.log(
        tick,
        "invite_party",
        (model.walton.display_name,),
        f"Walton hits 'Invite Party': {story.robbed_total} robbed players and "
        f"{model.party_guests} guests are sent at the USS Callister.",
    )
