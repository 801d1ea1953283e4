"""Every TOML input (scenario, experiment, base scenario, `--set` literal, upload) is read here.

One set of checks guards every door, before anything expensive runs: only regular files (a
FIFO or a device would block or never end), at most `MAX_BYTES`, UTF-8 (a leading byte-order
mark is dropped), arrays, inline tables and dotted keys nested at most `MAX_DEPTH` levels
(tomllib recurses, and a long dotted key costs it quadratic memory) and numbers of at most
`MAX_DIGITS` digits (Python's limit for int <-> str). Each problem is one `UserError` naming
the source and the line or the dotted key.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from configuration.errors import UserError
from configuration.input_files import decode_utf8, kind_problem, open_regular, os_reason
from configuration.shown_values import dotted, shown_key

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32  # the deepest valid input (an experiment's piecewise points) is about 10
MAX_DIGITS = sys.int_info.default_max_str_digits
_LIMIT = f"a TOML input may hold at most {MAX_BYTES:,} (4 MiB)"
_TOO_MANY_DIGITS = 10**MAX_DIGITS
_SEGMENT_PATTERN = r"""(?:(?<![\w+-])[A-Za-z0-9_+-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
# Strings and comments are skipped whole, so brackets, dots and digits inside them never count.
# An unterminated multi-line string runs to the end (as tomllib would read it): trying again at
# every later quote would make the scan quadratic.
_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\[\s\S]|"(?!""))*+""""{0,2}+|\'\'\'[\s\S]*?\'\'\'\'{0,2}+'
    r'|"""[\s\S]*+|\'\'\'[\s\S]*+|#[^\n]*+)'
    rf"|(?P<chain>{_SEGMENT_PATTERN}(?:[ \t]*+\.[ \t]*+{_SEGMENT_PATTERN})*+)"
    r"|(?P<open>[\[{])|(?P<close>[\]}])|(?P<unclosed>[\"'][^\n]*+)"
)
_SEGMENT = re.compile(_SEGMENT_PATTERN)
_NUMBER = re.compile(r"[+-]?[0-9]")
_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


class TomlProblem(UserError):
    """Why a TOML text cannot be read; where, as a 1-based line and column (0 when unknown)."""

    def __init__(self, reason: str, line: int = 0, column: int = 0, *, syntax: bool = False):
        super().__init__(reason)
        self.reason, self.line, self.column, self.syntax = reason, line, column, syntax

    def located(self, source: str, text: str) -> str:
        """`source: line L, column C: reason.` and the line itself with a caret under C."""
        if not self.line:
            return f"{source}: {self.reason}."
        lines = text.splitlines()
        shown = lines[self.line - 1] if self.line <= len(lines) else ""
        start = max(0, self.column - 60)  # a long line is shown around the column only
        excerpt, caret = shown[start : start + 76], " " * (self.column - 1 - start) + "^"
        where = f"line {self.line}, column {self.column}"
        return f"{source}: {where}: {self.reason}.\n    {excerpt}\n    {caret}"


def read_text(path: str | Path, what: str = "config file") -> str:
    """The text of a regular UTF-8 file of at most `MAX_BYTES`; anything else is a `UserError`."""
    source = str(path)
    try:
        problem = file_problem(os.stat(path))
    except (OSError, ValueError) as error:
        raise UserError(f"{source}: {os_reason(error, what)}") from None
    if problem:  # refused before opening, with the size it has
        raise UserError(f"{source}: {problem}")
    with open_regular(path, what) as stream:
        try:
            data = stream.read(MAX_BYTES + 1)  # it may have grown, or report no size (/proc)
        except OSError as error:
            raise UserError(f"{source}: {os_reason(error, what)}") from None
    if len(data) > MAX_BYTES:
        raise UserError(f"{source}: {_too_large(f'more than {MAX_BYTES:,}')}")
    return decode_text(data, source)


def file_problem(info: os.stat_result) -> str | None:
    """Why a file with this `os.stat` cannot be a TOML input (not regular, too large), or None."""
    problem = kind_problem(info)
    if problem:
        return problem.replace("not a file", "expected a .toml file")
    return _too_large(f"{info.st_size:,}") if info.st_size > MAX_BYTES else None


def _too_large(size: str) -> str:
    return f"too large: {size} bytes; {_LIMIT}"


def decode_text(data: bytes, source: str) -> str:
    """Bytes of a TOML input as text: at most `MAX_BYTES`, UTF-8, a leading BOM dropped."""
    if len(data) > MAX_BYTES:
        raise UserError(f"{source}: {_too_large(f'{len(data):,}')}")
    return decode_utf8(data, source)


def read_toml(path: str | Path, what: str = "config file") -> dict[str, Any]:
    """The table of a TOML file, after every check of `read_text` and `parse_toml`."""
    return parse_toml(read_text(path, what), str(path))


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """The table of a TOML text (an upload, a file's text); a problem is one `UserError`."""
    text = text.removeprefix("\ufeff")
    try:
        table = loads(text)
    except TomlProblem as problem:
        raise UserError(problem.located(source, text)) from None
    found = unusable(table)
    if found:
        raise UserError(f"{source}: {shown_key(dotted(found[0]))}: {found[1]}.")
    return table


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads` that first refuses what would make it recurse, crawl or raise oddly.

    Raises `TomlProblem`: `syntax` is set when the text is simply not TOML.
    """
    _scan(text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        position = _POSITION.search(str(error))
        line, column = (int(position[1]), int(position[2])) if position and position[1] else (0, 0)
        reason = f"TOML syntax error: {_POSITION.sub('', str(error))}"
        raise TomlProblem(reason, line, column, syntax=True) from None
    except (ValueError, RecursionError) as error:  # the scan should have caught either first
        raise TomlProblem(f"cannot read a value ({type(error).__name__}: {error})") from None


def _scan(text: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` and numbers longer than `MAX_DIGITS`, with where."""
    depth = 0
    for token in _TOKENS.finditer(text):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                reason = f"arrays and inline tables nested more than {MAX_DEPTH} levels deep"
                raise TomlProblem(reason, *_line_column(text, token.start()))
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "chain":
            _check_chain(text, token)


def _check_chain(text: str, token: re.Match[str]) -> None:
    """A dotted key of at most `MAX_DEPTH` parts; a number of at most `MAX_DIGITS` digits."""
    chain = token[0]
    if chain.count(".") < MAX_DEPTH and len(chain) <= MAX_DIGITS:
        return  # the usual case, decided without splitting the chain
    for count, segment in enumerate(_SEGMENT.finditer(chain), 1):
        if count > MAX_DEPTH:
            reason = (
                f"a dotted key of more than {MAX_DEPTH} parts (nesting at most {MAX_DEPTH} deep)"
            )
            raise TomlProblem(reason, *_line_column(text, token.start()))
        digits = sum(character.isdigit() for character in segment[0])
        if _NUMBER.match(segment[0]) and digits > MAX_DIGITS:
            reason = f"a number of {digits:,} digits; numbers may have at most {MAX_DIGITS:,}"
            raise TomlProblem(reason, *_line_column(text, token.start() + segment.start()))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def unusable(data: Any) -> tuple[tuple[str | int, ...], str] | None:
    """The first key path nested deeper than `MAX_DEPTH`, or holding an integer too long to
    print, and why; None when the data is fine. Iterative, so any depth is safe to check."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if len(path) > MAX_DEPTH:
            return path, f"nested more than {MAX_DEPTH} levels deep (tables, arrays, key parts)"
        if isinstance(node, Mapping):
            stack.extend(((*path, key), value) for key, value in reversed(node.items()))
        elif isinstance(node, list | tuple):
            stack.extend(((*path, n), value) for n, value in reversed(list(enumerate(node))))
        elif isinstance(node, int) and abs(node) >= _TOO_MANY_DIGITS:
            digits = math.floor(math.log10(abs(node))) + 1
            return path, f"an integer of about {digits:,} digits; at most {MAX_DIGITS:,}"
    return None
