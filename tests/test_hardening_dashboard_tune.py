"""Tune's save names and writes, by the app's write policy.

Windows device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9, any case, with or without an
extension) are refused as save names; saving over an existing file still needs the
'overwrite' tick, and even then never replaces what is not a regular file (a FIFO, a
directory).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import tomli_w
from streamlit.testing.v1 import AppTest

from configuration.errors import UserError
from views.configs import safe_config_name, save_config

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.mark.parametrize(
    "requested",
    ["con", "CON", "Con.toml", "aux.txt", "nul.tar.gz", "prn", "com1", "COM9", "com0", "lpt1",
     "Lpt9.toml", "lpt0", "con ", "con .txt", "con!!", "_aux_", "some/dir/aux", "..\\nul"],
)  # fmt: skip
def test_windows_device_names_are_refused(requested):
    with pytest.raises(UserError, match="device name on Windows") as refused:
        safe_config_name(requested)
    assert repr(requested) in str(refused.value)


@pytest.mark.parametrize(
    ("requested", "saved"),
    [("console", "console.toml"), ("com10", "com10.toml"), ("lpt", "lpt.toml"),
     ("aux_ship", "aux_ship.toml"), ("connor.toml", "connor.toml"), ("nul1", "nul1.toml")],
)  # fmt: skip
def test_names_that_only_resemble_devices_are_kept(requested, saved):
    assert safe_config_name(requested) == saved


@pytest.fixture
def configs(tmp_path, monkeypatch, scenario) -> Path:
    directory = tmp_path / "configs"
    directory.mkdir()
    (directory / "default.toml").write_text(tomli_w.dumps(scenario), encoding="utf-8")
    monkeypatch.setenv("CALLISTER_CONFIGS", str(directory))
    monkeypatch.setenv("CALLISTER_RUNS", str(tmp_path / "runs"))
    return directory


def save_from_the_page(name: str, *, overwrite: bool = False) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("views/tune.py").run()
    at.text_input(key="tune_save_name").input(name).run()
    if overwrite:
        at.checkbox(key="tune_overwrite").check().run()
    return at.button(key="tune_save").click().run()


def test_the_page_refuses_a_device_name_and_writes_nothing(configs):
    at = save_from_the_page("aux")
    assert not at.exception
    assert "AUX is a device name on Windows" in " ".join(e.value for e in at.error)
    assert sorted(p.name for p in configs.iterdir()) == ["default.toml"]


def test_overwrite_never_replaces_a_fifo(configs, scenario):
    fifo = configs / "piped.toml"
    os.mkfifo(fifo)
    at = save_from_the_page("piped", overwrite=True)
    assert not at.exception
    assert "is not a regular file" in " ".join(e.value for e in at.error)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the FIFO, not replaced by a config
    with pytest.raises(UserError, match="is not a regular file"):
        save_config("piped", scenario, overwrite=True)


def test_overwrite_never_replaces_a_directory(configs, scenario):
    (configs / "folder.toml").mkdir()
    (configs / "folder.toml" / "inside").write_text("keep", encoding="utf-8")
    with pytest.raises(UserError, match="is a directory"):
        save_config("folder", scenario, overwrite=True)
    assert (configs / "folder.toml" / "inside").read_text(encoding="utf-8") == "keep"


def test_a_saved_config_is_complete_and_no_staging_file_is_left(configs, scenario):
    saved = save_config("fresh", scenario, note="a note")
    assert saved == configs / "fresh.toml"
    assert saved.read_text(encoding="utf-8").startswith("# Saved by the Callister dashboard")
    assert sorted(p.name for p in configs.iterdir()) == ["default.toml", "fresh.toml"]
    with pytest.raises(UserError, match="already exists"):
        save_config("fresh", scenario)  # the tick is still the confirmation
