"""Why: the decision inspector — why did this character choose that, and not something else?

For one character at one tick: every candidate action with its considerations (raw input,
normalised input, curve output, compensated score), the product, weight, momentum, final
score and selection probability; the winner and its margin over the runner-up; and each
consideration's response curve with the input of that moment marked; for inputs the character
reads from its beliefs, the belief behind each (value, when and how learned, from whom) as it
stood at that decision. Decisions come from the live run (traced in full) or from the run
record open in Replay.
"""

from __future__ import annotations

import streamlit as st

from configuration.errors import UserError
from views.curves import curve_figure, curve_parameters
from views.decisions import DecisionLog, candidate_rows, consideration_rows, curves_for
from views.minds import Minds, beliefs_behind_decision
from views.navigation import take_why_request
from views.records import opened_record
from views.state import live_run
from world.clock import stamp

SOURCES = {"live": "the live run", "replay": "the record open in Replay"}


def _sources() -> dict[str, tuple[DecisionLog, object, dict[str, str], Minds]]:
    """Available decision sources: name -> (log, config, character -> label, minds)."""
    found = {}
    run = live_run()
    if run is not None:
        labels = {p.name: f"{p.display_name} ({p.role})" for p in run.model.cast}
        minds = Minds.from_model(run.model)
        found["live"] = (DecisionLog.from_model(run.model), run.model.config, labels, minds)
    record = opened_record()
    if record is not None:
        labels = {
            name: f"{spec.display_name or name.replace('_', ' ').title()} ({spec.role})"
            for name, spec in record.config.characters.items()
        }
        found["replay"] = (record.decisions, record.config, labels, record.minds)
    return found


def _pick(sources) -> tuple[str, str, int] | None:
    """Source, character and tick: from a hand-off (Live/Replay) or the widgets."""
    request = take_why_request()
    if request is not None and request.source in sources:
        st.session_state["why_source"] = request.source
        st.session_state["why_character"] = request.character
        st.session_state.pop("why_tick", None)
        log = sources[request.source][0]
        st.session_state["why_tick_wanted"] = log.at_or_before(request.character, request.tick)
    if st.session_state.get("why_source") not in sources:
        st.session_state["why_source"] = next(iter(sources))
    left, middle, right = st.columns([1, 1.3, 3])
    source = left.radio("Decisions of", list(sources), format_func=SOURCES.get, key="why_source")
    log, _, labels, _ = sources[source]
    characters = log.characters()
    if not characters:
        st.info("No decisions yet: step the run on the Live page.")
        return None
    if st.session_state.get("why_character") not in characters:
        st.session_state["why_character"] = characters[0]
    character = middle.selectbox(
        "Character", characters, format_func=lambda c: labels.get(c, c), key="why_character"
    )
    ticks = log.ticks(character)
    wanted = st.session_state.pop("why_tick_wanted", None)
    if wanted in ticks:
        st.session_state["why_tick"] = wanted
    elif st.session_state.get("why_tick") not in ticks:
        st.session_state["why_tick"] = ticks[-1]
    if len(ticks) == 1:
        right.markdown(f"Tick **{ticks[0]}** (the only decision so far)")
        return source, character, ticks[0]
    tick = right.select_slider(
        "Tick of the decision", ticks, key="why_tick", format_func=lambda t: f"{t} · {stamp(t)}"
    )
    return source, character, int(tick)


def _summary(record: dict, trace: dict, labels: dict[str, str]) -> None:
    who = labels.get(record["character"], record["character"])
    tick = int(record["tick"])
    st.subheader(f"{stamp(tick)} (tick {tick}): {who} chose “{trace['winner'] or 'nothing'}”")
    cells = st.columns(5)
    winner = next((c for c in trace["candidates"] if c["action"] == trace["winner"]), None)
    cells[0].metric("winner", trace["winner"] or "—")
    cells[1].metric("its score", f"{winner['score']:.4f}" if winner else "0")
    cells[2].metric("runner-up", trace["runner_up"] or "—")
    cells[3].metric("margin", f"{trace['margin']:+.4f}", help="winner score − runner-up score")
    cells[4].metric(
        "chance of the winner",
        f"{winner['probability']:.0%}" if winner else "—",
        help=f"selector {trace['selector']}; uniform draw {trace['uniform']:.3f}",
    )


def _scores_chart(trace: dict) -> dict:
    ranked = sorted(trace["candidates"], key=lambda c: c["score"])
    colours = ["#ff9f1c" if c["action"] == trace["winner"] else "#4aa3ff" for c in ranked]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [c["score"] for c in ranked],
                "y": [c["action"] for c in ranked],
                "marker": {"color": colours},
                "customdata": [c["probability"] for c in ranked],
                "hovertemplate": "%{y}: score %{x:.4f}, chance %{customdata:.0%}<extra></extra>",
            }
        ],
        "layout": {
            "height": 60 + 26 * len(ranked),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {"title": {"text": "score = weight × product × momentum"}},
        },
    }


def _candidate_table(trace: dict) -> None:
    table = candidate_rows(trace)
    top = float(table["score"].max()) if len(table) else 1.0
    st.dataframe(
        table,
        hide_index=True,
        key="why_candidates",
        column_config={
            "score": st.column_config.ProgressColumn(
                "score", min_value=0.0, max_value=max(top, 1e-9), format="%.4f"
            ),
            "probability": st.column_config.ProgressColumn(
                "probability", min_value=0.0, max_value=1.0, format="percent"
            ),
            "product": st.column_config.NumberColumn(format="%.4f"),
            "weight": st.column_config.NumberColumn(format="%.3f"),
        },
    )


def _beliefs_behind(behind) -> None:
    """The beliefs this decision's inputs read, as they stood when it was taken."""
    st.markdown(
        "**What it believed** (inputs read from its beliefs: the belief as it stood at this "
        "decision, when and how it was learned, and from whom or what)"
    )
    st.dataframe(behind, hide_index=True, key="why_beliefs")


def _with_beliefs(table, behind):
    """A considerations table with each belief input's belief beside it."""
    if behind is None:
        return table
    said = {
        row["input"]: f"{row['value']} since {row['learned']}" if row["learned"] else row["value"]
        for row in behind.to_dict("records")
    }
    table = table.copy()
    table.insert(table.columns.get_loc("raw"), "belief", table["input"].map(said).fillna(""))
    return table


def _curves(trace: dict, config, character: str, behind=None) -> None:
    """Each consideration of one candidate: its numbers and its curve with the input marked."""
    actions = [c["action"] for c in trace["candidates"] if c["considerations"]]
    if not actions:
        st.caption("No candidate has considerations: each scored its weight.")
        return
    default = trace["winner"] if trace["winner"] in actions else actions[0]
    if st.session_state.get("why_action") not in actions:
        st.session_state["why_action"] = default
    action = st.selectbox("Considerations of", actions, key="why_action")
    table = _with_beliefs(consideration_rows(trace, action), behind)
    st.dataframe(table, hide_index=True, key="why_considerations")
    compiled = curves_for(config, trace["role"], character).get(action)
    candidate = next(c for c in trace["candidates"] if c["action"] == action)
    if compiled is None or len(compiled.considerations) != len(candidate["considerations"]):
        st.caption("The curves of this action are not in the config this run was built from.")
        return
    columns = st.columns(2)
    for n, (spec, seen) in enumerate(
        zip(compiled.considerations, candidate["considerations"], strict=True)
    ):
        title = f"{spec.input}: {spec.curve.type} ({curve_parameters(spec.curve)})"
        figure = curve_figure(spec.curve, spec.low, spec.high, title=title, marked=seen["raw"])
        columns[n % 2].plotly_chart(figure, key=f"why_curve_{n}")


def render() -> None:
    st.title("Why — the decision inspector")
    sources = _sources()
    if not sources:
        st.info("Nothing to inspect yet: start a run on the Live page, or open a record in Replay.")
        return
    picked = _pick(sources)
    if picked is None:
        return
    source, character, tick = picked
    log, config, labels, minds = sources[source]
    try:
        record = log.decision(character, tick)
    except UserError as error:  # a record whose trace of this decision is broken
        st.error(f"This decision cannot be shown:\n\n```\n{error}\n```")
        return
    trace = record.get("trace") if record else None
    behind = beliefs_behind_decision(minds, record) if record else None
    if trace is None:
        st.warning(
            "This decision was recorded without its candidates (trace level 'winners'): "
            f"{character} chose {record['action'] if record else '?'}. Re-run with "
            '`simulation.trace = "full"` to see why.'
        )
        if behind is not None:  # what it knew needs no trace
            _beliefs_behind(behind)
        return
    _summary(record, trace, labels)
    if behind is not None:
        _beliefs_behind(behind)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Every candidate** (★ = chosen; unavailable actions score 0)")
        _candidate_table(trace)
    with right:
        st.plotly_chart(_scores_chart(trace), key="why_scores")
    st.markdown("**Considerations and their curves** (red dot: the input at this tick)")
    _curves(trace, config, character, behind)
    with st.expander("All considerations of all candidates"):
        table = _with_beliefs(consideration_rows(trace), behind)
        st.dataframe(table, hide_index=True, key="why_all_considerations")


if __name__ == "__main__":
    render()
