"""Where `run --out`, `schema -o`, `report --html` and the Live page's Save write.

One policy: nothing Callister did not write is replaced without `--force`; our own output is
recognised (a record's summary, a generator stamp) and refused or replaced as documented;
the path is checked before any work, so a refusal never costs a whole run first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w

import experiments.report
import views.state
import world.simulate
from callister.cli import main
from configuration.errors import UserError
from configuration.loading import load_config
from configuration.scenario import Simulation
from experiments.html_report import GENERATOR
from views.configs import Scenario
from views.state import LiveRun
from world.record import read_record

REPO = Path(__file__).resolve().parent.parent


def cli(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def tiny(tmp_path, make_scenario) -> Path:
    """A small scenario file: a run of it takes a fraction of a second."""
    path = tmp_path / "tiny.toml"
    path.write_text(tomli_w.dumps(make_scenario()), encoding="utf-8")
    return path


@pytest.fixture
def no_run(monkeypatch):
    """Fail the test if a model is built: refusals must come before any work."""

    def refuse(*args, **kwargs):
        raise AssertionError("the simulation started before the output was checked")

    monkeypatch.setattr(world.simulate, "build_model", refuse)


# ---- run --out ------------------------------------------------------------------------------


def test_run_out_keeps_a_directory_callister_did_not_write(capsys, tmp_path, tiny, no_run):
    out = tmp_path / "d"
    out.mkdir()
    (out / "config.toml").write_text("keep", encoding="utf-8")
    code, _, err = cli(capsys, "run", tiny, "--out", out)
    assert code == 2
    assert err.startswith(f"error: --out {out}: the directory is not empty and was not written")
    assert "config.toml" in err and "--force" in err
    assert [p.name for p in out.iterdir()] == ["config.toml"]
    assert (out / "config.toml").read_text(encoding="utf-8") == "keep"


def test_run_out_force_writes_a_record_beside_other_files(capsys, tmp_path, tiny):
    out = tmp_path / "d"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli(capsys, "run", tiny, "--out", out, "--force", "--json")[0] == 0
    assert read_record(out).summary["ticks"] == 48
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".callister")]


def test_run_out_replaces_a_record_only_with_force(capsys, tmp_path, tiny):
    out = tmp_path / "record"
    assert cli(capsys, "run", tiny, "--seed", "1", "--out", out, "--json")[0] == 0
    first = (out / "summary.json").read_bytes()
    code, _, err = cli(capsys, "run", tiny, "--seed", "2", "--out", out)
    assert code == 2
    assert "already holds a run record" in err and "--force" in err
    assert (out / "summary.json").read_bytes() == first
    code, printed, _ = cli(capsys, "run", tiny, "--seed", "2", "--out", out, "--force", "--json")
    assert code == 0
    assert read_record(out).summary["digest"] == json.loads(printed)["digest"]


def test_an_unwritable_out_is_refused_before_the_run(capsys, tmp_path, tiny, no_run):
    (tmp_path / "some_file").write_text("x", encoding="utf-8")
    code, _, err = cli(capsys, "run", tiny, "--out", tmp_path / "some_file" / "sub")
    assert code == 2
    assert err.startswith("error: --out ") and "some_file is a file, not a directory" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_out_is_refused_before_the_run(capsys, tmp_path, tiny, no_run):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = cli(capsys, "run", tiny, "--out", locked / "record")
    finally:
        locked.chmod(0o700)
    assert code == 2
    assert "cannot write in" in err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_place_nobody_can_write_is_refused_before_the_run(capsys, tiny, no_run):
    # /proc takes no new files, even from root: the read-only case where tests run as root
    code, _, err = cli(capsys, "run", tiny, "--out", "/proc/callister-record")
    assert code == 2
    assert err.startswith("error: --out /proc/callister-record: cannot write in /proc")


def test_an_empty_out_is_an_error_not_a_silent_skip(capsys, tiny, no_run):
    code, _, err = cli(capsys, "run", tiny, "--out", "")
    assert code == 2
    assert "--out: the path is empty" in err


def _bound(field: str, name: str) -> int:
    return next(
        getattr(m, name) for m in Simulation.model_fields[field].metadata if hasattr(m, name)
    )


def test_ticks_and_seed_out_of_bounds_name_the_option(capsys, tiny, no_run):
    most, least = _bound("ticks", "le"), _bound("ticks", "ge")
    code, _, err = cli(capsys, "run", tiny, "--ticks", most + 1)
    assert code == 2
    assert err == f"error: --ticks {most + 1}: must be at most {most}.\n"
    code, _, err = cli(capsys, "run", tiny, "--ticks", least - 1)
    assert err == f"error: --ticks {least - 1}: must be at least {least}.\n"
    code, _, err = cli(capsys, "run", tiny, "--seed", -1)
    assert code == 2
    assert err == f"error: --seed -1: must be at least {_bound('seed', 'ge')}.\n"


def test_the_installed_command_refuses_a_bad_out_without_a_traceback(tmp_path):
    (tmp_path / "some_file").write_text("x", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "callister", "run", "--out", str(tmp_path / "some_file" / "sub")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: --out ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # refused before the story began


# ---- the Live page's Save -----------------------------------------------------------------


class _FrozenClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_saving_a_live_run_under_an_existing_name_is_refused(monkeypatch, tmp_path, tiny):
    monkeypatch.setattr(views.state, "datetime", _FrozenClock)  # both saves get one name
    config = load_config(tiny)
    scenario = Scenario(label="tiny.toml", raw={}, config=config, text="")
    first = LiveRun.start(scenario, seed=3)
    first.run_to_end()
    saved = first.save(tmp_path)
    before = (saved / "summary.json").read_bytes()
    again = LiveRun.start(scenario, seed=3)
    again.run_to_end()
    with pytest.raises(UserError, match="already holds a run record"):
        again.save(tmp_path)
    assert again.saved_to is None
    assert (saved / "summary.json").read_bytes() == before
    first.model.release()
    again.model.release()


# ---- schema -o ------------------------------------------------------------------------------


def test_schema_output_keeps_a_file_it_did_not_write(capsys, tmp_path):
    target = tmp_path / "notes.md"
    target.write_text("my notes", encoding="utf-8")
    code, _, err = cli(capsys, "schema", "-o", target)
    assert code == 2
    assert f"--output {target}: the file exists and was not written by Callister" in err
    assert target.read_text(encoding="utf-8") == "my notes"
    assert cli(capsys, "schema", "-o", target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Config reference")


@pytest.mark.parametrize("kind", ["markdown", "json"])
def test_schema_output_regenerates_its_own_file(capsys, tmp_path, kind):
    target = tmp_path / f"reference.{kind}"
    assert cli(capsys, "schema", "--format", kind, "-o", target)[0] == 0
    first = target.read_text(encoding="utf-8")
    target.write_text(first + "\nan edit\n", encoding="utf-8")
    assert cli(capsys, "schema", "--format", kind, "-o", target)[0] == 0
    assert target.read_text(encoding="utf-8") == first
    if kind == "json":
        assert json.loads(first)["$comment"].startswith("Generated by `callister schema")


def test_schema_output_empty_is_an_error(capsys):
    code, out, err = cli(capsys, "schema", "-o", "")
    assert code == 2
    assert out == "" and "--output: the path is empty" in err


# ---- report --html ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory, make_scenario) -> Path:
    """A finished batch of two tiny runs."""
    root = tmp_path_factory.mktemp("batch")
    config = root / "tiny.toml"
    config.write_text(tomli_w.dumps(make_scenario()), encoding="utf-8")
    experiment = root / "t.toml"
    experiment.write_text(
        f'[experiment]\nname = "t"\nconfig = "{config}"\nreplicates = 2\n', encoding="utf-8"
    )
    out = root / "results"
    # In a process of its own: AppTests earlier in this process leave dashboard.py as the
    # __main__ that multiprocessing would re-run in the batch's workers.
    batch = [sys.executable, "-m", "callister", "batch", str(experiment), "--out", str(out)]
    result = subprocess.run([*batch, "--workers", "1", "-q"], cwd=REPO, check=False)
    assert result.returncode == 0
    return out


@pytest.fixture
def no_report(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the report was built before --html was checked")

    monkeypatch.setattr(experiments.report, "build_report", refuse)


def test_report_html_keeps_a_file_it_did_not_write(capsys, tmp_path, results, no_report):
    target = tmp_path / "page.html"
    target.write_text("<html>mine</html>", encoding="utf-8")
    code, _, err = cli(capsys, "report", results, "--html", target)
    assert code == 2
    assert f"--html {target}: the file exists and was not written by Callister" in err
    assert target.read_text(encoding="utf-8") == "<html>mine</html>"
    code, _, err = cli(capsys, "report", results, "--html", tmp_path / "page.html" / "x.html")
    assert code == 2 and "page.html is a file, not a directory" in err
    code, _, err = cli(capsys, "report", results, "--html", "")
    assert code == 2 and "--html: the path is empty" in err


def test_report_html_replaces_its_own_report_and_others_with_force(capsys, tmp_path, results):
    target = tmp_path / "report.html"
    assert cli(capsys, "report", results, "--html", target)[0] == 0
    page = target.read_text(encoding="utf-8")
    assert GENERATOR in page[:4096]
    target.write_text(page.replace("</body>", "an edit</body>"), encoding="utf-8")
    assert cli(capsys, "report", results, "--html", target)[0] == 0  # ours: no --force
    assert "an edit" not in target.read_text(encoding="utf-8")
    other = tmp_path / "other.html"
    other.write_text("<html>mine</html>", encoding="utf-8")
    assert cli(capsys, "report", results, "--html", other, "--force")[0] == 0
    assert GENERATOR in other.read_text(encoding="utf-8")[:4096]
