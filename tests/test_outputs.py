"""The write policy: outputs checked before work; nothing Callister did not write is lost."""

from __future__ import annotations

import os

import pytest

from configuration.errors import UserError
from world.outputs import (
    check_output_directory,
    check_output_file,
    publish_directory,
    publish_file,
    written_with,
)


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    target = tmp_path / "notes.md"
    target.write_text("keep me")
    with pytest.raises(UserError, match=r"--output .*notes\.md: the file exists .* --force"):
        check_output_file(target, option="--output")
    assert target.read_text() == "keep me"
    publish_file(check_output_file(target, option="--output", force=True), "new")
    assert target.read_text() == "new"


def test_a_file_callister_wrote_is_replaced_without_force(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("<meta name='generator' content='callister'>old")
    output = check_output_file(target, option="--html", ours=written_with(b"'callister'"))
    assert output.replaces
    publish_file(output, "fresh")
    assert target.read_text() == "fresh"


def test_fifos_and_directories_are_refused_even_with_force(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="not a regular file"):
        check_output_file(fifo, option="-o", force=True)
    with pytest.raises(UserError, match="is a directory"):
        check_output_file(tmp_path, option="-o", force=True)


def test_an_output_under_a_file_is_refused_before_any_work(tmp_path):
    (tmp_path / "some_file").write_text("x")
    with pytest.raises(UserError, match=r"--out .*some_file is a file, not a directory"):
        check_output_directory(tmp_path / "some_file" / "sub", option="--out")
    with pytest.raises(UserError, match=r"--html .*is a file, not a directory"):
        check_output_file(tmp_path / "some_file" / "r.html", option="--html")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory_is_refused_before_any_work(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(UserError, match="cannot write in"):
            check_output_directory(locked / "record", option="--out")
    finally:
        locked.chmod(0o700)


def test_empty_paths_and_symlink_loops_are_clear_errors(tmp_path):
    with pytest.raises(UserError, match="--out: the path is empty"):
        check_output_directory("", option="--out")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(UserError, match="cannot resolve the path"):
        check_output_file(loop / "x", option="-o")


def test_a_non_empty_directory_is_kept_unless_forced(tmp_path):
    (tmp_path / "config.toml").write_text("keep")
    with pytest.raises(UserError, match=r"not empty and was not written by Callister .*config"):
        check_output_directory(tmp_path, option="--out")
    assert (tmp_path / "config.toml").read_text() == "keep"


def test_our_directory_is_refused_or_reused_as_asked(tmp_path):
    (tmp_path / "summary.json").write_text("{}")
    ours = lambda path: (path / "summary.json").is_file()  # noqa: E731
    with pytest.raises(UserError, match=r"already holds a run record; .*--force"):
        check_output_directory(tmp_path, option="--out", ours=ours, holds="a run record")
    assert check_output_directory(tmp_path, option="--out", ours=ours, reuse=True).existing


def test_a_published_directory_appears_whole_and_forced_ones_lose_stale_files(tmp_path):
    target = tmp_path / "record"

    def fill(staging):
        (staging / "a.json").write_text("new a")

    publish_directory(check_output_directory(target, option="--out"), fill)
    assert sorted(p.name for p in target.iterdir()) == ["a.json"]
    (target / "b.json").write_text("stale b")
    (target / "mine.txt").write_text("user file")
    forced = check_output_directory(target, option="--out", force=True)
    publish_directory(forced, fill, owned=("a.json", "b.json"))
    assert sorted(p.name for p in target.iterdir()) == ["a.json", "mine.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".callister")]


def test_a_failing_writer_leaves_nothing_behind(tmp_path):
    target = tmp_path / "record"

    def fill(staging):
        (staging / "half.json").write_text("half")
        raise RuntimeError("the writer broke")

    with pytest.raises(RuntimeError):
        publish_directory(check_output_directory(target, option="--out"), fill)
    assert list(tmp_path.iterdir()) == []


def test_a_page_is_not_told_to_pass_force(tmp_path):
    (tmp_path / "summary.json").write_text("{}")
    with pytest.raises(UserError) as refused:
        check_output_directory(tmp_path, option="Save run record", ours=lambda path: True)
    assert "--force" not in str(refused.value)
    assert "choose another directory." in str(refused.value)


def test_an_existing_directory_keeps_its_identity_and_permissions(tmp_path):
    target = tmp_path / "shared"
    target.mkdir()
    target.chmod(0o2777)
    before = target.stat()

    def fill(staging):
        (staging / "summary.json").write_text("{}")

    publish_directory(check_output_directory(target, option="--out"), fill)
    after = target.stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert [p.name for p in target.iterdir()] == ["summary.json"]


def test_an_interrupted_forced_write_never_looks_complete(tmp_path, monkeypatch):
    target = tmp_path / "record"
    target.mkdir()
    (target / "summary.json").write_text("old run")
    (target / "metrics.parquet").write_text("old run")

    def fill(staging):
        (staging / "metrics.parquet").write_text("new run")
        (staging / "summary.json").write_text("new run")

    moves = []

    def replace_then_fail(source, destination):
        moves.append(os.path.basename(destination))
        if len(moves) > 1:
            raise OSError(28, "No space left on device")
        os.rename(source, destination)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    output = check_output_directory(target, option="--out", force=True)
    with pytest.raises(UserError, match="No space left on device"):
        publish_directory(
            output, fill, owned=("summary.json", "metrics.parquet"), marker="summary.json"
        )
    assert moves == ["metrics.parquet", "summary.json"]  # the marker goes last
    assert not (target / "summary.json").exists()  # the old marker went first
    assert sorted(p.name for p in target.iterdir()) == ["metrics.parquet"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "private.md"
    target.write_text("old")
    target.chmod(0o600)
    publish_file(check_output_file(target, option="-o", force=True), "new")
    assert (target.stat().st_mode & 0o777, target.read_text()) == (0o600, "new")


def test_an_unknown_home_directory_is_a_clear_error():
    with pytest.raises(UserError, match=r"--out ~nosuchuser-callister/x: cannot resolve the path"):
        check_output_directory("~nosuchuser-callister/x", option="--out")
