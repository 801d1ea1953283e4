"""The pages of the app, who may reach them, and the hand-offs between them.

`PAGES` is the one registry of pages: `dashboard.py` builds the menu from it and every
`st.switch_page` goes through `switch_to`.

The app serves only this machine (a loopback address or a Unix socket) unless the user opts in
with `CALLISTER_ALLOW_REMOTE=1`: its pages run simulations and start batches that write files.
A hand-off (Live/Replay -> Why or What if…, Live -> Replay) is a small request in
`st.session_state` that the target page consumes once, so links carry their context without any
page importing another.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class AppPage:
    """One page: its script (relative to dashboard.py, as `st.Page` takes it) and menu entry."""

    path: str
    title: str
    icon: str
    default: bool = False  # the landing page
    picks_scenario: bool = False  # the sidebar shows the shared scenario and seed


PAGES = {
    "live": AppPage(
        "views/live.py", "Live", ":material/satellite_alt:", default=True, picks_scenario=True
    ),
    "why": AppPage("views/why.py", "Why", ":material/psychology_alt:"),
    "tune": AppPage("views/tune.py", "Tune", ":material/tune:", picks_scenario=True),
    "replay": AppPage("views/replay.py", "Replay", ":material/history:"),
    "experiments": AppPage("views/experiments.py", "Experiments", ":material/science:"),
    "whatif": AppPage("views/whatif.py", "What if…", ":material/call_split:"),
}
WHY_REQUEST = "why_request"
WHAT_IF_REQUEST = "what_if_request"
REMOTE_OPT_IN = "CALLISTER_ALLOW_REMOTE"
UNIX_SOCKET_PREFIX = "unix://"  # Streamlit's own spelling of a Unix-socket server.address


def serves_only_this_machine(address: str | None) -> bool:
    """Whether Streamlit's `server.address` binds nothing other machines can reach.

    Unset or empty means every interface (Streamlit 1.67 binds 0.0.0.0, or the dual-stack
    `::`); host names other than `localhost` may resolve to any interface, so they count as
    remote.
    """
    host = (address or "").strip()
    if host.startswith(UNIX_SOCKET_PREFIX):
        return True
    host = host.removeprefix("[").removesuffix("]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:  # empty, or a host name
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return ip.is_loopback


def refuse_remote_serving() -> None:
    """Show why and stop the script when served to other machines without the opt-in.

    `dashboard.py` calls it before any page; the pages that run or write call it again, so
    `streamlit run views/<page>.py` on its own is guarded too.
    """
    refusal = remote_refusal(st.get_option("server.address"), os.environ)
    if refusal is not None:
        st.error(refusal)
        st.stop()


def remote_refusal(address: str | None, environment: Mapping[str, str]) -> str | None:
    """Why the app refuses to serve on `address` (None: it may), given the environment."""
    if serves_only_this_machine(address) or environment.get(REMOTE_OPT_IN) == "1":
        return None
    where = f"`{address.strip()}`" if address and address.strip() else "every network interface"
    return (
        f"The dashboard is being served on {where}, so other machines can reach it, and "
        "its pages run simulations and start batches that write files on this machine. "
        "It serves only this machine unless you opt in.\n\n"
        "- To use it here, start it on loopback: `make dashboard`, or "
        "`streamlit run dashboard.py --server.address 127.0.0.1`.\n"
        f"- To serve it to your network on purpose, set `{REMOTE_OPT_IN}=1` in the "
        "environment of `streamlit run` (see docs/dashboard.md)."
    )


@dataclass(frozen=True)
class WhyRequest:
    """Open the inspector on `character` at `tick` (None: the latest decision) of `source`."""

    source: str  # "live" or "replay"
    character: str
    tick: int | None


def ask_why(source: str, character: str, tick: int | None) -> None:
    """Go to the inspector for one character's decision."""
    st.session_state[WHY_REQUEST] = WhyRequest(source, character, tick)
    switch_to("why")


def switch_to(page: str) -> None:
    """Open the page registered as `page` in `PAGES` (this run of the script stops here)."""
    st.switch_page(PAGES[page].path)


def take_why_request() -> WhyRequest | None:
    """The pending hand-off to the inspector, consumed."""
    return st.session_state.pop(WHY_REQUEST, None)


def ask_what_if(origin: object) -> None:
    """Go to the What if… page to fork `origin` (a `views.whatif_forks.ForkOrigin`)."""
    st.session_state[WHAT_IF_REQUEST] = origin
    switch_to("whatif")


def take_what_if_request() -> object | None:
    """The pending hand-off to the What if… page, consumed."""
    return st.session_state.pop(WHAT_IF_REQUEST, None)
