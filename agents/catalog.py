"""What every role can do and sense: the vocabulary the config schema validates against.

The world computes each input (a sensor) every time a character thinks; the config only names
them. Units are part of the description because bookends are written in real units.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RoleCatalog:
    """The actions a role offers and the inputs its considerations may read."""

    role: str
    summary: str
    actions: dict[str, str]
    inputs: dict[str, str]
    singleton: bool = True
    extra: dict[str, str] = field(default_factory=dict)


SHIP_INPUTS = {
    "credits": "ship's credits (credits)",
    "fuel": "ship's fuel (units; one warp hop of distance 1 burns economy.fuel_per_distance)",
    "ammo": "ship's ammunition (rounds)",
    "shields": "ship's shields (percent, 0-100)",
    "hull": "ship's hull integrity (percent, 0-100)",
    "threat_nearby": "hostile players on the ship's planet or one hop away (players)",
    "hunters": "vengeful players still hunting the crew (players)",
    "price_index": "Walton's price multiplier (1 = launch prices)",
}

CAPTAIN_INPUTS = SHIP_INPUTS | {
    "crew_alive": "living clone crew aboard, captain excluded (people)",
    "crew_health": "mean health of the crew aboard (0-100)",
    "crew_raid_support": "share of the crew whose last wish was to join a raid (0-1)",
    "crew_rest_support": "share of the crew whose last wish was to rest or repair (0-1)",
    "crew_defiance": "share of the crew currently defying the captain (0-1)",
    "players_here": "players online on the ship's planet (players)",
    "at_market": "1 if the ship is on a market planet, else 0",
    "market_hops": "warp hops to the nearest market planet (hops)",
    "knows_quarters": "1 once the crew knows Walton's quarters still exist aboard, else 0",
    "walt_aboard": "1 if clone Walton (Walt) is aboard, else 0",
    "xj500_hops": "warp hops to XJ-500 (hops)",
    "heart_hops": "warp hops to the Heart of Infinity (hops)",
    "in_heart": "1 while the captain is inside the Heart of Infinity, else 0",
    "ticks_since_raid": "hours since the last robbery (hours)",
    "green_offered": "1 if Daly has offered the green disk (private universe), else 0",
    "red_offered": "1 if Daly has offered the red disk (captain into her real body), else 0",
    "blue_offered": "1 if Daly has offered the blue disk (all into real Nanette's mind), else 0",
    "disk_in_hand": "1 if the captain holds a disk she accepted, else 0",
    "copy_attempted": "1 once Daly has tried to copy-and-paste the captain, else 0",
    "daly_hostile": "1 if Daly is attacking or copying, else 0",
    "collapse_pending": "1 once the kill switch has fired and Infinity is collapsing, else 0",
    "real_nanette_coma": "1 if the real Nanette is in a coma, else 0",
    "captain_health": "the captain's own health (0-100)",
}

CREW_INPUTS = {
    "health": "this crew member's health (0-100)",
    "fatigue": "this crew member's fatigue (0-100)",
    "aboard": "1 if this character is aboard the USS Callister, else 0",
    "ship_here": "1 if the ship is on this character's planet, else 0",
    "rocky_found": "1 if Rocky is at hand (Walt will not leave without him), else 0",
    "threat_nearby": SHIP_INPUTS["threat_nearby"],
    "credits": SHIP_INPUTS["credits"],
    "hull": SHIP_INPUTS["hull"],
    "shields": SHIP_INPUTS["shields"],
    "risky_order": "1 if the captain's current order is a raid or a fight, else 0",
    "grievance": "this member's accumulated resentment of the captain's orders (0-1)",
    "crew_losses": "clone crew members dead so far (people)",
}

WALTON_INPUTS = {
    "revenue": "company revenue over the last day (credits per hour)",
    "revenue_change": "relative change of revenue against the previous day (-1..1)",
    "churn": "players lost over the last day as a share of all players (0-1)",
    "price_index": SHIP_INPUTS["price_index"],
    "legal_risk": "chance-like measure of the law catching up with Walton (0-1)",
    "press_pressure": "the journalist's progress towards publishing (0-1)",
    "knows_clones": "1 once the real Nanette has told Walton the bandits are clones, else 0",
    "in_game": "1 while Walton's avatar is logged in, else 0",
    "at_ship": "1 if Walton's avatar is on the ship's planet, else 0",
    "robbed_players": "players the crew has ever robbed (players)",
    "heart_threat": "how near the crew is to the Heart: 1 with Walt aboard, else by hops (0-1)",
    "avatar_health": "health of Walton's avatar (0-100)",
    "complaints_today": "player complaints over the last day (complaints)",
    "crew_alive": CAPTAIN_INPUTS["crew_alive"],
}

NANETTE_INPUTS = {
    "complaints_today": WALTON_INPUTS["complaints_today"],
    "log_access": "1 once the real Nanette has access to the complaint logs, else 0",
    "evidence": "her investigation's progress towards proof that the bandits are clones (0-1)",
    "clones_discovered": "1 once she knows the bandits are clones, else 0",
    "told_walton": "1 once she has confided in Walton, else 0",
    "trust_in_walton": "how far she still trusts Walton (0-1)",
    "saw_attack": "1 if she has seen Walton attack the clones, else 0",
    "in_game": "1 while her avatar is logged in, else 0",
    "with_crew": "1 if her avatar is on the ship's planet, else 0",
    "quit": "1 once she has quit Callister Inc., else 0",
    "press_pressure": WALTON_INPUTS["press_pressure"],
}

DALY_INPUTS = {
    "loneliness": "how alone clone Daly feels (0-1); rises while he builds unseen",
    "visitor_present": "1 while the captain is with him in the Heart, else 0",
    "offer_made": "1 once he has offered his disks, else 0",
    "noble_choice": "1 once the captain has chosen to save her crew over herself, else 0",
    "disk_in_hand": CAPTAIN_INPUTS["disk_in_hand"],
    "captain_hostile": "1 if the captain is fighting him, else 0",
    "planets": "planets in Infinity (planets)",
    "health": "Daly's health (0-100)",
}

VENGEFUL_INPUTS = {
    "grudge": "how much this robbed player still wants revenge (0-1, decays)",
    "hops_to_ship": "warp hops to where the ship was last seen (hops)",
    "ship_known": "1 if the ship's position is known to this player, else 0",
    "invited": "1 if Walton's invite party has summoned this player, else 0",
    "same_planet": "1 if this player is on the ship's planet, else 0",
    "health": "this player's avatar health (0-100)",
    "complained": "1 if this player has already complained, else 0",
}

ROLES: dict[str, RoleCatalog] = {
    "captain": RoleCatalog(
        "captain",
        "Clone Nanette Cole, captain: picks the ship's action, weighing her crew's wishes.",
        {
            "rob_player": "raid a player on this planet for credits",
            "resupply": "buy fuel, ammo and shields at a market",
            "warp": "warp to a neighbouring planet with more prey and fewer hunters",
            "hide": "lie low: no sightings, slow recovery",
            "fight": "turn the guns on the hunters here",
            "flee": "warp away from the threat, whatever the prey",
            "seek_walt": "head for XJ-500 to find clone Walton",
            "enter_heart": "take Walt to the Heart of Infinity and go in",
            "accept_green": "take Daly's green disk: a private universe for the crew",
            "accept_red": "take Daly's red disk: herself into her real body, the crew wiped",
            "accept_blue": "take Daly's blue disk: everyone into the real Nanette's mind",
            "refuse_copy": "refuse to let Daly keep a copy of her",
            "fight_daly": "fight Daly in the Heart",
            "load_disk": "load the disk she holds and press enter",
        },
        CAPTAIN_INPUTS,
    ),
    "crew": RoleCatalog(
        "crew",
        "Clone crew (Packer, Kabir, Tulaska, Karl; Walt once found): wishes, duty and defiance.",
        {
            "join_raid": "back the captain's raids and go along",
            "man_guns": "stand at the guns",
            "repair": "patch the hull and shields",
            "rest": "sleep, heal, watch TV",
            "defy": "refuse the captain's order",
            "join_ship": "come aboard the USS Callister (Walt, only with Rocky)",
        },
        CREW_INPUTS,
        singleton=False,
    ),
    "walton": RoleCatalog(
        "walton",
        "The real James Walton, CEO of Callister Inc.: prices, the press, the clones.",
        {
            "raise_prices": "raise the price index",
            "hold_prices": "leave prices as they are",
            "stonewall_press": "stonewall the journalist",
            "cover_up": "destroy evidence of the clones",
            "enter_game": "log in as an avatar and go to the ship",
            "attack_crew": "shoot the clones",
            "invite_party": "invite every robbed player to the ship",
            "exit_game": "log out",
        },
        WALTON_INPUTS,
    ),
    "nanette": RoleCatalog(
        "nanette",
        "The real Nanette Cole at Callister Inc.: investigates, confides, goes in, quits.",
        {
            "work": "do her job",
            "investigate": "dig through complaint logs and videos",
            "confide_in_walton": "tell Walton the bandits are clones",
            "enter_game": "log in and go to the crew",
            "help_clones": "help the clones from outside or inside",
            "quit": "quit Callister Inc. and confront Walton",
        },
        NANETTE_INPUTS,
    ),
    "daly": RoleCatalog(
        "daly",
        "Clone Robert Daly, fused with the engine in the Heart of Infinity.",
        {
            "build_planet": "build a new planet",
            "brood": "brood in his garage",
            "make_offer": "offer the captain his disks",
            "copy_paste": "copy-and-paste the captain to keep a copy",
            "attack": "attack the captain",
        },
        DALY_INPUTS,
    ),
    "vengeful_player": RoleCatalog(
        "vengeful_player",
        "A player the crew robbed, materialised with a grudge.",
        {
            "hunt": "warp towards where the ship was last seen",
            "complain": "file a complaint about the bandits",
            "give_up": "log out and forget it",
            "answer_invite": "answer Walton's invite party",
            "attack": "attack the ship on this planet",
        },
        VENGEFUL_INPUTS,
        singleton=False,
    ),
}

TRAITS: dict[str, str] = {
    "boldness": "appetite for risk; scales risk-taking weights (1 = neutral)",
    "loyalty": "attachment to the captain and crew (1 = neutral)",
    "conscience": "how much wrongdoing weighs (1 = neutral)",
    "greed": "appetite for money (1 = neutral)",
    "resentment": "how fast grievances build (1 = neutral)",
    "curiosity": "drive to dig and explore (1 = neutral)",
    "fear": "sensitivity to danger (1 = neutral)",
}


def role_names() -> list[str]:
    """Role ids in a stable order."""
    return list(ROLES)


def action_ids(role: str) -> list[str]:
    """Action ids of a role, in catalog order."""
    return list(ROLES[role].actions)


def input_names(role: str) -> list[str]:
    """Sensor names a role's considerations may read."""
    return list(ROLES[role].inputs)
