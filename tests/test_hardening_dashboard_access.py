"""The dashboard serves only this machine unless the user opts in.

`streamlit run dashboard.py --server.address 0.0.0.0` (or no address at all: Streamlit then
binds every interface) must show one explanatory error and run no page, unless
`CALLISTER_ALLOW_REMOTE=1`; loopback addresses, `localhost` and Unix sockets serve as usual.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from views.navigation import REMOTE_OPT_IN, remote_refusal, serves_only_this_machine

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO / "dashboard.py")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "[::1]",
        "localhost",
        "LocalHost.",
        "::ffff:127.0.0.1",
        "unix:///tmp/callister.sock",
    ],
)
def test_loopback_addresses_and_unix_sockets_serve_only_this_machine(address):
    assert serves_only_this_machine(address)
    assert remote_refusal(address, {}) is None


@pytest.mark.parametrize(
    "address",
    [None, "", "  ", "0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "fe80::1", "example.org",
     "localhost.example.org", "::ffff:10.0.0.1"],
)  # fmt: skip
def test_every_other_address_is_refused_unless_the_user_opts_in(address):
    assert not serves_only_this_machine(address)
    message = remote_refusal(address, {})
    assert message is not None
    assert f"{REMOTE_OPT_IN}=1" in message
    assert "--server.address 127.0.0.1" in message
    assert remote_refusal(address, {REMOTE_OPT_IN: "0"}) is not None  # only 1 opts in
    assert remote_refusal(address, {REMOTE_OPT_IN: "1"}) is None


def test_an_unset_address_is_called_every_interface():
    assert "every network interface" in remote_refusal(None, {})
    assert "`0.0.0.0`" in remote_refusal("0.0.0.0", {})


@pytest.fixture
def served_on(monkeypatch, tmp_path):
    """Make the app believe Streamlit was started with `--server.address ADDRESS`."""
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    monkeypatch.delenv(REMOTE_OPT_IN, raising=False)
    original = streamlit.get_option

    def serve(address: str | None) -> None:
        def get_option(key: str):
            return address if key == "server.address" else original(key)

        monkeypatch.setattr(streamlit, "get_option", get_option)

    return serve


def test_a_network_address_shows_only_the_explanation(served_on):
    served_on("0.0.0.0")
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "`0.0.0.0`" in at.error[0].value
    assert f"{REMOTE_OPT_IN}=1" in at.error[0].value
    assert not at.title  # no page ran
    assert "live" not in at.session_state  # and no model was built
    assert not at.sidebar.selectbox  # nor the scenario picker


def test_no_address_at_all_is_refused_too(served_on):
    served_on(None)
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert "every network interface" in at.error[0].value
    assert not at.title


def test_opting_in_serves_the_pages(served_on, monkeypatch):
    served_on("0.0.0.0")
    monkeypatch.setenv(REMOTE_OPT_IN, "1")
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value.endswith("— live")
    assert "live" in at.session_state


@pytest.mark.parametrize("page", ["tune", "live"])  # views/experiments.py alone cannot import
def test_a_page_served_on_its_own_is_guarded_too(served_on, page):
    served_on("192.168.1.5")
    at = AppTest.from_file(str(REPO / "views" / f"{page}.py"), default_timeout=60).run()
    assert not at.exception
    assert "`192.168.1.5`" in at.error[0].value
    assert not at.title


def test_make_dashboard_and_the_project_config_bind_loopback():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert serves_only_this_machine(config["server"]["address"])
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndashboard:", 1)[1].split("\n\n", 1)[0]
    assert "streamlit run dashboard.py --server.address 127.0.0.1" in recipe
