"""Words more than one role uses: the traits of every character and the inputs roles share.

A trait scales a character's weights and curves (1 = neutral); an input here means the same
thing, in the same unit, for every role that reads it.
"""

from __future__ import annotations

TRAITS: dict[str, str] = {
    "boldness": "appetite for risk; scales risk-taking weights (1 = neutral)",
    "loyalty": "attachment to the captain and crew (1 = neutral)",
    "conscience": "how much wrongdoing weighs (1 = neutral)",
    "greed": "appetite for money (1 = neutral)",
    "resentment": "how fast grievances build (1 = neutral)",
    "curiosity": "drive to dig and explore (1 = neutral)",
    "fear": "sensitivity to danger (1 = neutral)",
}

SHARED_INPUTS: dict[str, str] = {
    "credits": "ship's credits (credits)",
    "shields": "ship's shields (percent, 0-100)",
    "hull": "ship's hull integrity (percent, 0-100)",
    "threat_nearby": "hostile players on the ship's planet or one hop away (players)",
    "price_index": "Walton's price multiplier (1 = launch prices)",
    "crew_alive": "living clone crew aboard, captain excluded (people)",
    "disk_in_hand": "1 if the captain holds a disk she accepted, else 0",
    "press_pressure": "the journalist's progress towards publishing (0-1)",
    "complaints_today": "player complaints over the last day (complaints)",
}

# Kinds of event that change how `who` feels about `whom`:
# cause -> (meaning, default trust change, default grievance change).
FEELING_CAUSES: dict[str, tuple[str, float, float]] = {
    "rescued_me": ("whom saved who (a rescue, coming to fetch them)", 0.3, -0.2),
    "wounded_me": ("whom hurt who", -0.4, 0.4),
    "obeyed_me": ("who gave an order and whom obeyed it", 0.02, 0.0),
    "refused_me": ("who gave an order and whom refused it", -0.1, 0.1),
    "ordered_me_into_danger": (
        "whom sent who into a raid or fight against their wish",
        -0.01,
        0.03,
    ),
    "listened_to_me": ("whom heeded who's objection", 0.1, -0.15),
    "betrayed_me": ("whom betrayed who (quit on them, turned on them, broke faith)", -0.5, 0.4),
    "broke_a_promise": ("whom broke a promise made to who", -0.3, 0.2),
    "confided_in_me": ("whom trusted who with a secret", 0.15, 0.0),
    "threatened_me": ("whom threatened who", -0.3, 0.3),
    "worked_beside_me": ("who spent a working day for whom", 0.002, 0.0),
    "raid_paid_off": ("whom led who on a raid that paid off", 0.03, -0.05),
    "rested": ("who rested an hour and let go of some grievance against whom", 0.0, -0.01),
    "stood_up_to": ("who refused whom's order and vented their grievance doing it", 0.0, -0.15),
}
