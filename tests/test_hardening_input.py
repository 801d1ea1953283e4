"""What a TOML input file may be: regular, at most 4 MiB, UTF-8 (a BOM is fine), no link loop.

Every refusal is one `UserError` naming the file; reading never blocks (a FIFO) or runs
forever (a device). FIFO tests carry a timeout so a regression fails instead of hanging.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import tomli_w

from callister.cli import main
from configuration import loading, toml_input
from configuration.errors import UserError
from experiments.scenario import check_parameters, prepare_base
from experiments.spec import load_experiment
from views.configs import parse_upload

HANG_GUARD = pytest.mark.timeout(20)
FOUR_MIB = 4 * 1024 * 1024


def refused(call, *args) -> str:
    with pytest.raises(UserError) as caught:
        call(*args)
    return str(caught.value)


def experiment(tmp_path: Path, base: Path | str, body: str = "", name: str = "t") -> Path:
    path = tmp_path / "exp.toml"
    path.write_text(f'[experiment]\nname = "{name}"\nconfig = "{base}"\n{body}', encoding="utf-8")
    return path


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    (tmp_path / "loop.toml").symlink_to(tmp_path / "back.toml")
    (tmp_path / "back.toml").symlink_to(tmp_path / "loop.toml")
    return tmp_path / "loop.toml"


# ---- non-regular files ------------------------------------------------------------------------


@HANG_GUARD
def test_a_fifo_config_is_refused_without_blocking(fifo):
    assert (
        refused(loading.load_config, fifo) == f"{fifo}: is a FIFO (named pipe), not a regular file"
    )


@HANG_GUARD
def test_a_fifo_experiment_file_is_refused_without_blocking(fifo):
    assert refused(load_experiment, fifo) == f"{fifo}: is a FIFO (named pipe), not a regular file"


@HANG_GUARD
def test_a_fifo_base_scenario_is_refused_without_blocking(tmp_path, fifo):
    path = experiment(tmp_path, fifo)
    message = refused(lambda: prepare_base(load_experiment(path)))
    assert (
        message == f"{path}: experiment.config: {fifo}: is a FIFO (named pipe), not a regular file"
    )


@HANG_GUARD
def test_a_device_is_refused_before_reading_it():
    assert refused(loading.load_config, "/dev/zero") == (
        "/dev/zero: is a character device, not a regular file"
    )


def test_a_socket_is_refused():
    with tempfile.TemporaryDirectory(dir="/tmp") as directory:  # socket paths must be short
        path = Path(directory) / "s.toml"
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(str(path))
            assert refused(toml_input.read_toml, path) == f"{path}: is a socket, not a regular file"


@HANG_GUARD
def test_the_cli_exits_2_on_a_fifo_and_never_hangs(fifo):
    result = subprocess.run(
        [sys.executable, "-m", "callister", "validate", str(fifo)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == f"error: {fifo}: is a FIFO (named pipe), not a regular file\n"


@HANG_GUARD
def test_batch_exits_2_on_a_fifo_experiment(capsys, fifo, tmp_path):
    assert main(["batch", str(fifo), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"error: {fifo}: is a FIFO (named pipe), not a regular file\n"
    assert not (tmp_path / "out").exists()


# ---- size -------------------------------------------------------------------------------------


def test_a_file_over_4_mib_is_refused_naming_the_limit(scenario, write_config):
    text = tomli_w.dumps(scenario) + "#" * FOUR_MIB + "\n"
    path = write_config(text)
    message = refused(loading.load_config, path)
    assert message == (
        f"{path}: too large: {len(text.encode()):,} bytes; "
        "a TOML input may hold at most 4,194,304 (4 MiB)"
    )


def test_an_upload_over_4_mib_is_refused():
    message = refused(parse_upload, "big.toml", b"#" * (FOUR_MIB + 1))
    assert message.startswith("big.toml: too large: 4,194,305 bytes") and "4 MiB" in message


@HANG_GUARD
def test_unterminated_strings_up_to_the_limit_are_read_in_one_pass(write_config):
    line = '\\"""\n'  # each line opens a multi-line string that never ends
    path = write_config(line * (FOUR_MIB // len(line)))
    assert "TOML syntax error" in refused(loading.load_config, path)


# ---- symbolic link loops ----------------------------------------------------------------------


def test_a_symlink_loop_as_config_is_a_clear_error(capsys, loop):
    assert refused(loading.load_config, loop) == (
        f"{loop}: a symbolic link loop (the links point back to each other), not a file"
    )
    assert main(["validate", str(loop)]) == 2
    assert "symbolic link loop" in capsys.readouterr().err


def test_a_symlink_loop_as_experiment_file_or_its_config(tmp_path, loop):
    assert "symbolic link loop" in refused(load_experiment, loop)
    path = experiment(tmp_path, loop)
    assert refused(load_experiment, path) == (
        f"{path}: experiment.config: {loop}: a symbolic link loop, not a file"
    )


# ---- encodings --------------------------------------------------------------------------------


def test_a_utf8_byte_order_mark_is_accepted_at_every_door(tmp_path, scenario, write_config):
    text = "\ufeff" + tomli_w.dumps(scenario)
    assert loading.load_config(write_config(text)).simulation.ticks == 48
    assert parse_upload("bom.toml", text.encode()).config.simulation.ticks == 48
    base = write_config(text, "base.toml")
    path = experiment(tmp_path, base, '[fixed]\n"simulation.ticks" = 50\n')
    path.write_text("\ufeff" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert prepare_base(load_experiment(path)).config.simulation.ticks == 50


def test_utf16_is_named_as_such(write_config, scenario):
    path = write_config("")
    path.write_bytes(tomli_w.dumps(scenario).encode("utf-16"))
    assert refused(loading.load_config, path) == (
        f"{path}: not UTF-8 text (it is UTF-16); save it as UTF-8"
    )


def test_a_syntax_error_on_a_long_line_shows_only_the_part_around_it(write_config):
    path = write_config("x = 1" + " " * 100_000 + "y\n")
    message = refused(loading.load_config, path)
    assert message.startswith(f"{path}: line 1, column 100006: TOML syntax error")
    assert len(message) < 400 and message.endswith("y\n" + " " * 63 + "^")


# ---- the experiment's name --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bad name", ".hidden", "a/b", "x" * 101])
def test_a_bad_experiment_name_is_explained_in_words(tmp_path, default_config_path, name):
    message = refused(load_experiment, experiment(tmp_path, default_config_path, name=name))
    assert "experiment.name: must be letters, digits, _ . - starting with a letter or digit, " in (
        message
    )
    assert "at most 100 characters, got " in message
    assert "pattern" not in message and "^" not in message


# ---- the CLI's last line of defence -----------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (RecursionError, "nested too deep for Python"),
        (MemoryError, "ran out of memory"),
        (ZeroDivisionError("division by zero"), "failed: ZeroDivisionError: division by zero"),
    ],
)
def test_an_unforeseen_recursion_or_memory_error_is_one_line_naming_a_bug(
    capsys, monkeypatch, default_config_path, error, said
):
    def explode(*args, **kwargs):
        raise error

    monkeypatch.setattr("configuration.loading.load_config", explode)
    assert main(["validate", str(default_config_path)]) == 70
    err = capsys.readouterr().err
    assert err.startswith(f"error: `callister validate` {said}") and err.count("\n") == 1
    assert "This is a bug in Callister: please report it" in err


def test_the_traceback_of_a_bug_is_shown_on_request(capsys, monkeypatch, default_config_path):
    def explode(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("configuration.loading.load_config", explode)
    monkeypatch.setenv("CALLISTER_TRACEBACK", "1")
    assert main(["validate", str(default_config_path)]) == 70
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_a_huge_grid_value_is_shown_briefly(tmp_path, scenario, write_config):
    base = write_config(scenario)
    body = f'[parameters]\n"simulation.ticks" = [24, {10**400}]\n'
    loaded = load_experiment(experiment(tmp_path, base, body))
    message = refused(check_parameters, loaded, prepare_base(loaded))
    assert 'parameters."simulation.ticks" = 1000' in message and "must be <= 20000" in message
    assert "0" * 200 not in message
