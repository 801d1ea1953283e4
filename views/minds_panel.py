"""The character panel Live and Replay share: what one character believes, how it feels.

Beliefs: the latest belief about each fact (its meaning, value, when and how it was learned,
from whom or what). Feelings: its trust in and grievance against every other character, with
the cause and hour of the last change. Both as they stood at the end of the hour shown.
"""

from __future__ import annotations

import streamlit as st

from views.minds import NOT_RECORDED, Minds


def minds_panel(
    minds: Minds,
    character: str,
    labels: dict[str, str],
    *,
    tick: int | None = None,
    key: str = "",
) -> None:
    """Draw `character`'s beliefs and feelings (at the end of hour `tick`; None: now)."""
    who = labels.get(character, character)
    st.markdown(f"**What {who} believes**")
    if minds.beliefs is None:
        st.caption(f"Beliefs: {NOT_RECORDED}.")
    else:
        beliefs = minds.beliefs_table(character, tick)
        if beliefs.empty:
            st.caption("Nothing learned yet: every hidden fact is still unknown to them.")
        else:
            st.dataframe(beliefs, hide_index=True, key=f"{key}minds_beliefs")
    st.markdown(f"**How {who} feels about the others** (trust, grievance: 0-1)")
    if minds.feelings is None:
        st.caption(f"Feelings: {NOT_RECORDED}.")
        return
    others = [name for name in labels if name != character]
    st.dataframe(
        minds.feelings_table(character, others, labels, tick),
        hide_index=True,
        key=f"{key}minds_feelings",
        column_config={
            "trust": st.column_config.ProgressColumn(
                "trust", min_value=0.0, max_value=1.0, format="%.2f"
            ),
            "grievance": st.column_config.ProgressColumn(
                "grievance", min_value=0.0, max_value=1.0, format="%.2f"
            ),
        },
    )
