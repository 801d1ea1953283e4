"""The one write policy of every command and page: check where output goes before any work,
and never replace a file or fill a non-empty directory that Callister did not write unless
the user says so (`--force` on the command line, a confirmation in the dashboard).

`check_output_file` and `check_output_directory` run first: they resolve the path (a symlink
loop, a FIFO or a device is an error), apply the policy, and prove the place is writable by
creating and removing a probe file there. `publish_file` and `publish_directory` then write
atomically, so a failure half-way leaves the old output or nothing, never half of each.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from configuration.errors import UserError

STAGING_PREFIX = ".callister-staging-"
_PROBE_PREFIX = ".callister-probe-"
_SNIFF_BYTES = 4096


def never(path: Path) -> bool:
    """An `ours` test for outputs that Callister never recognises as its own."""
    return False


def written_with(marker: bytes) -> Callable[[Path], bool]:
    """An `ours` test: the file's first few kilobytes hold `marker` (a generator stamp)."""

    def test(path: Path) -> bool:
        try:
            with path.open("rb") as handle:
                return marker in handle.read(_SNIFF_BYTES)
        except OSError:
            return False

    return test


@dataclass(frozen=True)
class OutputFile:
    """A checked output file: `path` is resolved; `replaces` says a file is already there."""

    path: Path
    option: str
    replaces: bool


@dataclass(frozen=True)
class OutputDirectory:
    """A checked output directory; `existing` says it holds entries already (ours or forced)."""

    path: Path
    option: str
    existing: bool


def check_output_file(
    path: str | os.PathLike[str],
    *,
    option: str,
    force: bool = False,
    ours: Callable[[Path], bool] = never,
) -> OutputFile:
    """Check an output file before any work; `UserError` naming `option` if it may not be written.

    An existing regular file is replaced only if `ours(path)` says Callister wrote it, or with
    `force`. Directories, FIFOs and devices are refused even with `force`.
    """
    resolved = user_path(path, option)
    label = f"{option} {path}"
    if resolved.exists():
        mode = resolved.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UserError(f"{label}: is a directory; give a file name.")
        if not stat.S_ISREG(mode):
            raise UserError(
                f"{label}: is not a regular file (a FIFO, socket or device); "
                "give the name of an ordinary file."
            )
        if not force and not ours(resolved):
            raise UserError(
                f"{label}: the file exists and was not written by Callister; choose another "
                f"name{_force_hint(option, 'replace it')}."
            )
    _probe(resolved.parent, label)
    return OutputFile(resolved, option, resolved.exists())


def check_output_directory(
    path: str | os.PathLike[str],
    *,
    option: str,
    force: bool = False,
    ours: Callable[[Path], bool] = never,
    holds: str = "an earlier output",
    reuse: bool = False,
    forceable: bool = True,
    force_option: str = "--force",
) -> OutputDirectory:
    """Check an output directory before any work; `UserError` naming `option` if refused.

    A missing or empty directory is always fine. A non-empty one that `ours` recognises is
    reused when `reuse` (a batch resumes) and otherwise refused as holding `holds` unless
    `force`; a non-empty one that is not ours is refused unless `force`. A command without
    `--force` (`forceable=False`) is not told to offer one in its message; one whose flag has
    another name (`callister fork`'s `--force` forces a choice) names it in `force_option`.
    """
    resolved = user_path(path, option)
    label = f"{option} {path}"
    hint_option = option if forceable else ""
    entries: list[str] = []
    if resolved.exists():
        if not resolved.is_dir():
            raise UserError(f"{label}: exists and is not a directory.")
        try:
            entries = sorted(entry.name for entry in os.scandir(resolved))
        except OSError as error:
            raise UserError(f"{label}: cannot list the directory ({error.strerror}).") from None
    if entries and not force:
        if ours(resolved):
            if not reuse:
                raise UserError(
                    f"{label}: already holds {holds}; choose another "
                    f"directory{_force_hint(hint_option, 'replace it', force_option)}."
                )
        else:
            shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise UserError(
                f"{label}: the directory is not empty and was not written by Callister "
                f"(found {shown}); choose another directory"
                f"{_force_hint(hint_option, 'write into it', force_option)}."
            )
    _probe(resolved, label)
    return OutputDirectory(resolved, option, bool(entries))


def publish_file(output: OutputFile, data: bytes | str) -> Path:
    """Write `data` to the checked file atomically (temporary sibling, fsync, rename).

    A replaced file keeps its permissions; a new one gets the umask's, like any new file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = output.path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = _fresh_name(target.parent)
        try:
            with open(temporary, "xb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileNotFoundError):
                os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError as error:
        raise UserError(f"{output.option} {target}: cannot write ({error.strerror}).") from None
    return target


def publish_directory(
    output: OutputDirectory,
    fill: Callable[[Path], None],
    owned: Iterable[str] = (),
    marker: str | None = None,
) -> Path:
    """Let `fill` write every file into a staging directory, then move them into place.

    A missing target receives the staging directory whole, in one rename. An existing one
    (empty, reused or forced) keeps its identity and permissions: the files are staged inside
    it and moved up one by one. `marker`, the file whose presence says the output is complete,
    is removed first and moved last, so an interruption never leaves a complete-looking mix of
    two outputs; names in `owned` that this output did not write again are removed.
    """
    target = output.path
    existing = target.is_dir()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _fresh_name(target if existing else target.parent)
        os.mkdir(staging)
    except OSError as error:
        raise UserError(f"{output.option} {target}: cannot write ({error.strerror}).") from None
    try:
        fill(staging)
        if not existing:
            os.replace(staging, target)
            return target
        written = sorted(entry.name for entry in staging.iterdir())
        if marker is not None:
            with contextlib.suppress(FileNotFoundError):
                (target / marker).unlink()
        for name in sorted(written, key=lambda name: name == marker):
            os.replace(staging / name, target / name)
        for name in sorted(set(owned) - set(written)):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                (target / name).unlink()
    except OSError as error:
        raise UserError(f"{output.option} {target}: cannot write ({error.strerror}).") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def user_path(text: str | os.PathLike[str], option: str) -> Path:
    """A path a user typed, `~` expanded and resolved; a clear `UserError` if it cannot be.

    `~nosuchuser` and symbolic-link loops raise `RuntimeError` in Python 3.11, not `OSError`.
    """
    raw = os.fspath(text)
    if not str(raw).strip():
        raise UserError(f"{option}: the path is empty; give a file or directory name.")
    try:
        return Path(raw).expanduser().resolve(strict=False)
    except (RuntimeError, OSError) as error:
        reason = (getattr(error, "strerror", None) or str(error) or "a symbolic link loop").rstrip(
            "."
        )
        raise UserError(f"{option} {raw}: cannot resolve the path ({reason}).") from None


def _force_hint(option: str, what: str, force_option: str = "--force") -> str:
    """Command-line options can be forced; a page's own button cannot, so say nothing there."""
    return f", or pass {force_option} to {what}" if option.startswith("-") else ""


def _fresh_name(directory: Path) -> Path:
    """An unused hidden name in `directory` for a staging file or directory."""
    return directory / f"{STAGING_PREFIX}{secrets.token_hex(8)}"


def _probe(directory: Path, label: str) -> None:
    """Prove the nearest existing ancestor of `directory` takes new files (read-only mounts too)."""
    existing = directory
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise UserError(f"{label}: {existing} is a file, not a directory.")
    try:
        descriptor, probe = tempfile.mkstemp(dir=existing, prefix=_PROBE_PREFIX)
    except OSError as error:
        raise UserError(f"{label}: cannot write in {existing} ({error.strerror}).") from None
    os.close(descriptor)
    os.unlink(probe)
