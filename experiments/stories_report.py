"""What `callister stories` reports: each pattern's matches in a run record, as JSON or text."""

from __future__ import annotations

from collections.abc import Mapping

from experiments.statistics import wilson_interval
from experiments.stories import find_matches
from experiments.stories_language import Pattern, needs_decisions
from experiments.stories_timeline import DECISION, record_timeline
from world.clock import stamp

SHOWN_MATCHES = 5  # matches of one pattern the text shows; --json lists them all


def record_stories(patterns: Mapping[str, Pattern], record) -> dict:
    """The `--json` object for one run record: every pattern, matched or not, in file order."""
    timeline = record_timeline(record)
    traced = record.config.simulation.trace != "off"
    rows = []
    for pattern_id, pattern in patterns.items():
        matches = find_matches(pattern, timeline, record.summary.get("ending"))
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
                "applicable": traced or not needs_decisions(pattern),
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


MAX_POINT_COLUMNS = 6  # design points the text shows side by side; --json gives them all


def render_batch_stories(report: Mapping) -> str:
    """Plain text: each pattern's share of the batch's runs, rarest first, then per point."""
    rows = [row for row in report["patterns"] if row["applicable"]]
    lines = [
        f"Story patterns in {report['results']} ({report['experiment']}: {report['runs']} ok "
        f"run(s) of {report['planned']} planned), rarest first; 95% Wilson intervals.",
        "",
    ]
    width = max([len(row["name"]) for row in rows] + [len("pattern")])
    lines.append(f"  {'pattern':<{width}}  {'runs':>9}  {'share':>6}  95% interval")
    for row in rows:
        runs = f"{row['runs_matched']}/{report['runs']}"
        lines.append(
            f"  {row['name']:<{width}}  {runs:>9}  {_percent(row['share']):>6}  "
            f"{_percent(row['ci'][0])} to {_percent(row['ci'][1])}"
        )
    points = rows[0]["points"] if rows else []
    if 1 < len(points) <= MAX_POINT_COLUMNS:
        lines += ["", "By design point (share of its runs):"]
        for point in points:
            values = ", ".join(f"{key} = {value}" for key, value in point["values"].items())
            lines.append(f"  point {point['point']}: {values} ({point['runs']} runs)")
        header = "".join(f"  {'point ' + str(p['point']):>9}" for p in points)
        lines.append(f"  {'pattern':<{width}}{header}")
        for row in rows:
            shares = "".join(f"  {_percent(p['share']):>9}" for p in row["points"])
            lines.append(f"  {row['name']:<{width}}{shares}")
    elif len(points) > MAX_POINT_COLUMNS:
        lines += ["", f"--json gives each pattern's share at each of the {len(points)} points."]
    blind = [row["name"] for row in report["patterns"] if not row["applicable"]]
    if blind:
        lines += [
            "",
            "Not judged (a beat is a chosen action, and batches keep no decisions): "
            + ", ".join(blind)
            + ".",
        ]
    return "\n".join(lines) + "\n"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"
