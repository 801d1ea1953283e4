"""Crash-safe file primitives: atomic replace, fsync'd appends, and a torn-line-tolerant reader.

Every file the batch store publishes is written to a temporary name in the same directory,
flushed and fsync'd, then renamed over its final name, and the directory is fsync'd. A reader
therefore sees either the old file or the complete new one; a SIGKILL (or power loss after the
fsync) can leave at most a stray `.tmp-*` file, which is ignored and swept away on resume.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TMP_PREFIX = ".tmp-"


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in `directory` durable (no-op where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def tmp_path_for(final: Path) -> Path:
    """A temporary sibling of `final`, unique per process so concurrent writers never clash."""
    return final.with_name(f"{TMP_PREFIX}{final.name}.{os.getpid()}")


def _publish(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)
    fsync_dir(final.parent)


def write_bytes_atomic(final: Path, data: bytes) -> None:
    """Write `data` to `final` so that no reader ever sees a partial file."""
    tmp = tmp_path_for(final)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _publish(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def write_json_atomic(final: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False, default=str)
    write_bytes_atomic(final, (text + "\n").encode("utf-8"))


def write_table_atomic(final: Path, table: pa.Table, **options: Any) -> None:
    """Write one Parquet file atomically (temp file, fsync, rename, fsync of the directory)."""
    tmp = tmp_path_for(final)
    try:
        with open(tmp, "wb") as handle:
            pq.write_table(table, handle, **options)
            handle.flush()
            os.fsync(handle.fileno())
        _publish(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def parquet_writer_atomic(
    final: Path, schema: pa.Schema, **options: Any
) -> Iterator[pq.ParquetWriter]:
    """A streaming `ParquetWriter` whose file appears under `final` only once it is complete."""
    tmp = tmp_path_for(final)
    try:
        with open(tmp, "wb") as handle:
            writer = pq.ParquetWriter(handle, schema, **options)
            try:
                yield writer
            finally:
                writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        _publish(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line and fsync it; a reader skips a last line torn by a crash."""
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    with open(path, "ab+") as handle:
        # A crash may have cut the previous line short: start on a fresh line so that this
        # record is not glued onto (and lost with) the torn one.
        if handle.seek(0, os.SEEK_END) > 0:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                line = b"\n" + line
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def sweep_tmp_files(directory: Path) -> int:
    """Remove leftovers of writes interrupted by a crash; returns how many were removed."""
    removed = 0
    if directory.is_dir():
        for stray in directory.glob(f"{TMP_PREFIX}*"):
            stray.unlink(missing_ok=True)
            removed += 1
    return removed
