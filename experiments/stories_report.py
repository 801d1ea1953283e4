"""What `callister stories` reports: each pattern's matches in a run record, as JSON or text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from experiments.statistics import wilson_interval
from experiments.stories import find_matches
from experiments.stories_language import Pattern
from experiments.stories_timeline import DECISION, record_timeline
from world.clock import stamp

DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "configs" / "stories" / "episode.toml"
SHOWN_MATCHES = 5  # matches of one pattern the text shows; --json lists them all


def record_stories(patterns: Mapping[str, Pattern], record) -> dict:
    """The `--json` object for one run record: every pattern, matched or not, in file order."""
    timeline = record_timeline(record)
    traced = record.config.simulation.trace != "off"
    rows = []
    for pattern_id, pattern in patterns.items():
        matches = find_matches(pattern, timeline)
        found = int(bool(matches))
        low, high = wilson_interval(found, 1)
        rows.append(
            {
                "id": pattern_id,
                "name": pattern.name,
                "description": pattern.description,
                "runs_matched": found,
                "share": float(found),
                "ci": [low, high],
                # no decisions were kept: a pattern with an action beat cannot be judged
                "applicable": traced or not _needs_decisions(pattern),
                "matches": [match.to_dict() for match in matches],
            }
        )
    return {
        "record": str(record.path),
        "seed": record.summary.get("seed", record.config.simulation.seed),
        "ending": record.summary.get("ending"),
        "runs": 1,
        "patterns": rows,
    }


def _needs_decisions(pattern: Pattern) -> bool:
    return any(
        matcher.action is not None
        for beat in pattern.beats
        for matcher in (beat, *beat.not_between)
    )


def render_stories(report: Mapping) -> str:
    """Plain text: the patterns found with their beats, then those not found."""
    found = [row for row in report["patterns"] if row["runs_matched"]]
    lines = [
        f"Story patterns in {report['record']} (seed {report['seed']}, ending "
        f"{report['ending']}): {len(found)} of {len(report['patterns'])} found.",
    ]
    for row in found:
        count = len(row["matches"])
        lines += ["", f"{row['name']} ({count} match{'es' * (count != 1)}): {row['description']}"]
        for number, match in enumerate(row["matches"][:SHOWN_MATCHES], 1):
            who = ", ".join(f"{name} = {actor}" for name, actor in match["bindings"].items())
            lines.append(f"  {number}." + (f" {who}" if who else ""))
            for beat in match["beats"]:
                mark = "chose" if beat["source"] == DECISION else "     "
                lines.append(f"     {stamp(beat['tick'], 3)} {mark} {beat['text']}")
        if count > SHOWN_MATCHES:
            lines.append(f"  ... and {count - SHOWN_MATCHES} more (--json lists them all)")
    missing = [row["name"] for row in report["patterns"] if not row["runs_matched"]]
    if missing:
        lines += ["", "Not found: " + ", ".join(missing) + "."]
    blind = [row["name"] for row in report["patterns"] if not row["applicable"]]
    if blind:
        lines.append(
            'This record kept no decisions (simulation.trace = "off"), so these could not '
            "match: " + ", ".join(blind) + "."
        )
    return "\n".join(lines) + "\n"
