"""The lock of a results directory: one writer at a time, and nobody else's files touched.

`held_lock` takes DIR's lock without ever truncating, replacing or deleting a file it did not
create: it makes DIR (and missing parents) only if they are missing, creates `.lock`
exclusively or reopens one a batch left (empty or a process id, never through a symbolic
link), and on exit removes only the lock file and directories this very call created, while it
still holds the lock, and only if DIR never became a store. The lock file holds the holder's
process id (the dashboard reads it to tell whether a batch is running).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from configuration.errors import UserError

LOCK_NAME = ".lock"
# Names that come and go in a directory while a batch starts or writes: temporary files of
# the store (`.tmp-`) and of the write policy's probes and staging (`.callister-`).
TRANSIENT_PREFIXES = (".tmp-", ".callister-")
# Everything a batch lays out before the manifest that marks DIR as its store.
STARTING_NAMES = frozenset({LOCK_NAME, "runs", "series", "experiment.toml"})
_PROCESS_ID = re.compile(rb"\d{1,12}\n?")
# A lock file never holds more than a process id; anything larger is not ours.
_LOCK_BYTES = 64
# How often to retry when the lock file vanished under us (a starting batch gave up).
_ATTEMPTS = 5


class StoreBusy(Exception):
    """Another process holds the directory's lock (a batch is writing into it)."""


def left_by_a_batch(lock_path: Path) -> bool:
    """`lock_path` is a plain file holding nothing or a process id: a batch's lock."""
    try:
        if not stat.S_ISREG(os.lstat(lock_path).st_mode):
            return False
        with open(lock_path, "rb") as handle:
            content = handle.read(_LOCK_BYTES + 1)
    except OSError:
        return False
    return content == b"" or _PROCESS_ID.fullmatch(content) is not None


def left_starting(root: Path) -> bool:
    """DIR holds what a batch makes before its manifest, and nothing else: a batch is starting
    there, or died starting (its lock, maybe empty `runs/` and `series/`, the experiment file).
    """
    names = _lasting_names(root)
    if names is None or LOCK_NAME not in names or not names <= STARTING_NAMES:
        return False
    empty = all(_lasting_names(root / name) == set() for name in names & {"runs", "series"})
    return empty and left_by_a_batch(root / LOCK_NAME)


def _lasting_names(directory: Path) -> set[str] | None:
    """The entries of `directory` that are not transient; None when it cannot be listed."""
    try:
        return {n for n in os.listdir(directory) if not n.startswith(TRANSIENT_PREFIXES)}
    except OSError:
        return None


@contextlib.contextmanager
def held_lock(root: Path, keep: Callable[[], bool]) -> Iterator[None]:
    """Hold DIR's exclusive lock (released by the OS even on SIGKILL); `StoreBusy` if taken.

    `keep()` is asked on exit: if it says DIR did not become a store, what this call created
    (the lock file, DIR, its missing parents) is removed again.
    """
    lock_path = root / LOCK_NAME
    for _ in range(_ATTEMPTS):
        created_directories = _make_directories(root)
        try:
            descriptor, created_lock = _open_lock(lock_path)
        except FileNotFoundError:  # DIR was removed by a batch that gave up starting
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise StoreBusy(str(root)) from None
        if _still_at(descriptor, lock_path):
            break
        # We locked a file that a batch giving up has just unlinked: take the new one.
        os.close(descriptor)
    else:
        raise StoreBusy(str(root))
    try:
        if not created_lock:
            _check_ours(descriptor, lock_path)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        if created_lock and not keep():
            lock_path.unlink(missing_ok=True)  # while still holding it: nobody else has it
            for directory in reversed(created_directories):
                with contextlib.suppress(OSError):
                    directory.rmdir()
        os.close(descriptor)


def _make_directories(root: Path) -> list[Path]:
    """Create DIR and its missing parents; return those this call created, outermost first."""
    missing = []
    directory = root
    while not directory.exists() and directory.parent != directory:
        missing.append(directory)
        directory = directory.parent
    created = []
    for directory in reversed(missing):
        try:
            directory.mkdir()
        except FileExistsError:  # another process made it first: it is not ours to remove
            continue
        created.append(directory)
    return created


def _open_lock(lock_path: Path) -> tuple[int, bool]:
    """(descriptor, created): a new lock file, or the existing one (never via a symlink)."""
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(lock_path, flags | os.O_CREAT | os.O_EXCL, 0o644), True
    except FileExistsError:
        pass
    try:
        descriptor = os.open(lock_path, flags | os.O_NONBLOCK)  # a FIFO must not block us
    except (FileNotFoundError, PermissionError):  # vanished (retried); not ours to write
        raise
    except OSError as error:  # a directory, a symbolic link, a socket...
        raise UserError(
            f"{lock_path}: cannot be used as the batch's lock ({error.strerror}); a batch's "
            "lock is a plain file holding a process id. Remove it or choose another --out."
        ) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise UserError(
            f"{lock_path}: is not a plain file; a batch's lock is a plain file holding a "
            "process id. Remove it or choose another --out."
        )
    return descriptor, False


def _still_at(descriptor: int, lock_path: Path) -> bool:
    """The locked file is still the one named `.lock` (not unlinked or replaced meanwhile)."""
    try:
        named = os.stat(lock_path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _check_ours(descriptor: int, lock_path: Path) -> None:
    """Refuse to overwrite a `.lock` that holds something other than a process id."""
    content = os.pread(descriptor, _LOCK_BYTES + 1, 0)
    if content and _PROCESS_ID.fullmatch(content) is None:
        raise UserError(
            f"{lock_path}: exists and was not written by Callister (a batch's lock holds a "
            "process id); it is left as it is. Remove it or choose another --out."
        )
