"""A fingerprint of the code that decides a run's outcome (`world`, `agents`, `configuration`).

Git commits miss uncommitted edits, and a Dask worker on another machine may have another
version installed. Each worker therefore reports the hash of the source it actually ran, and
every run records it (`code` column): results of different code never mix unnoticed.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path

PACKAGES = ("world", "agents", "configuration")  # configuration: the schema's defaults


@cache
def code_fingerprint() -> str:
    """sha256 (16 hex digits) over the relative paths and bytes of every .py file of PACKAGES."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            digest.update(f"{package}: missing".encode())
            continue
        root = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(root.rglob("*.py")):
            digest.update(f"{package}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]
