"""Files a user names can be anything: only regular files are read, never with an open that
could block, never past a size limit; each problem is one `UserError` naming the file.

The TOML door (`toml_input`), run records (`world.record_check`) and the batch manifest read
their files here. Standard library only: the batch driver imports this and must stay light.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

from configuration.errors import UserError

# Opening a FIFO for reading blocks until a writer comes, unless non-blocking: then it returns
# at once and `fstat` on the open descriptor refuses it, with no gap for a swap in between.
_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0)
_KINDS = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
)


def kind_problem(info: os.stat_result) -> str | None:
    """Why a file with this `os.stat` is not a regular file, or None."""
    return next((problem for test, problem in _KINDS if test(info.st_mode)), None)


def os_reason(error: OSError | ValueError, what: str) -> str:
    """An error of `os.open`/`read` as a sentence about the file (`what` names its kind)."""
    if isinstance(error, ValueError):  # os functions refuse a NUL character this way
        return "the path contains a NUL character"
    reasons = {
        errno.ENOENT: f"no such {what}",
        errno.ENOTDIR: f"no such {what} (a part of the path is not a directory)",
        errno.ELOOP: "a symbolic link loop (the links point back to each other), not a file",
        errno.EACCES: "cannot read the file (permission denied)",
        errno.ENAMETOOLONG: "the path is too long",
        errno.EISDIR: "is a directory, not a file",
    }
    return reasons.get(error.errno, f"cannot read the file ({error.strerror or error})")


def open_regular(path: str | Path, what: str = "file") -> BinaryIO:
    """Open a regular file for reading without ever blocking; anything else is a `UserError`."""
    source = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | _NON_BLOCKING)
    except (OSError, ValueError) as error:
        raise UserError(f"{source}: {os_reason(error, what)}") from None
    problem = kind_problem(os.fstat(descriptor))
    if problem:
        os.close(descriptor)
        raise UserError(f"{source}: {problem}")
    return os.fdopen(descriptor, "rb")


def read_bytes(path: str | Path, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of a regular file; more than `limit` bytes is a `UserError` (read no further)."""
    with open_regular(path, what) as stream:
        try:
            data = stream.read() if limit is None else stream.read(limit + 1)
        except OSError as error:
            raise UserError(f"{path}: {os_reason(error, what)}") from None
    if limit is not None and len(data) > limit:
        raise UserError(f"{path}: too large: more than {limit:,} bytes")
    return data


def decode_utf8(data: bytes, source: str | Path) -> str:
    """Bytes as UTF-8 text, a leading byte-order mark dropped (Windows editors write one)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{source}: not UTF-8 text (it is UTF-16); save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{source}: not UTF-8 text (byte {error.start})") from None
    return text.removeprefix("\ufeff")


def read_text(path: str | Path, what: str = "file", limit: int | None = None) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes."""
    return decode_utf8(read_bytes(path, what, limit), path)


def parse_json(text: str, source: str | Path) -> Any:
    """JSON text that a user or a disk may have damaged: any problem is a `UserError`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    except ValueError:  # int() refuses numbers of more than 4,300 digits
        raise UserError(f"{source}: not valid JSON (a number of more than 4,300 digits).") from None
    except RecursionError:
        raise UserError(f"{source}: not valid JSON (nested too deeply).") from None
