"""Player tags for the robbed: the crew's victims get names, so the story can name them."""

from __future__ import annotations

_FIRST = (
    "Nova",
    "Grim",
    "Pixel",
    "Turbo",
    "Shadow",
    "Lucky",
    "Cosmo",
    "Void",
    "Rocket",
    "Blaze",
    "Frost",
    "Zero",
    "Neon",
    "Rogue",
    "Echo",
    "Viper",
    "Orbit",
    "Ghost",
    "Comet",
    "Jinx",
)
_SECOND = (
    "Fox",
    "Rider",
    "Queen",
    "Wolf",
    "Hawk",
    "Byte",
    "Storm",
    "Knight",
    "Moth",
    "Drake",
    "Spark",
    "Fang",
    "Raven",
    "Lynx",
    "Bolt",
    "Wraith",
    "Sable",
    "Pike",
    "Mango",
    "Yeti",
)


def victim_tag(rng) -> str:
    """A gamer tag like 'NeonHawk_482', drawn from the model's generator."""
    first = _FIRST[int(rng.integers(len(_FIRST)))]
    second = _SECOND[int(rng.integers(len(_SECOND)))]
    return f"{first}{second}_{int(rng.integers(10, 1000))}"
