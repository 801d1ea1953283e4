"""How keys and values appear in messages: dotted TOML keys, values as a user would write them.

Every piece is bounded, so a key a megabyte long, a value nested a thousand levels deep or an
integer too long for `repr` still makes a short, readable message.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SHOWN = 60  # characters of a value quoted in a message
_SHOWN_KEY = 200  # characters of a dotted key in a message: the longest real ones are ~80
_PRINTABLE_INTEGER = 10**sys.int_info.default_max_str_digits  # repr refuses longer ones


def dotted(path: Iterable[str | int]) -> str:
    """`('agents', 'crew', 'considerations', 0)` -> `agents.crew.considerations[0]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            text += f".{name}" if text else name
    return text


def shown_key(key: str) -> str:
    """A dotted key short enough for a message (a key may be a megabyte long)."""
    return key if len(key) <= _SHOWN_KEY else key[: _SHOWN_KEY - 3] + "..."


def show(value: Any) -> str:
    """A value as the user would have written it in TOML, shortened if long.

    Built piece by piece and only as far as is shown, so a value nested a thousand levels
    deep, a huge table or an integer too long for `repr` cannot break an error message.
    """
    if value is None:
        return "nothing"
    pieces: list[str] = []
    length, pending = 0, [value]
    while pending and length <= _SHOWN:
        item = pending.pop()
        if isinstance(item, _Text):
            piece = item
        elif isinstance(item, Mapping):
            piece, pending = "{", [*pending, _Text("}"), *_entries(item.items())]
        elif isinstance(item, list | tuple):
            piece, pending = "[", [*pending, _Text("]"), *_entries(enumerate(item), labelled=False)]
        else:
            piece = _scalar(item)
        pieces.append(piece)
        length += len(piece)
    text = "".join(pieces)
    return text if len(text) <= _SHOWN and not pending else text[: _SHOWN - 3] + "..."


class _Text(str):
    """Punctuation queued by `show`, told apart from string values."""


def _entries(pairs: Iterable[tuple[Any, Any]], *, labelled: bool = True) -> list[Any]:
    """`"key": value, ...` as a stack for `show` (last first); more entries than characters
    shown could never be seen, so no more are taken."""
    items: list[Any] = []
    for key, value in itertools.islice(pairs, _SHOWN + 1):
        items += [_Text(", ")] if items else []
        items += [_Text(f"{_scalar(str(key))}: "), value] if labelled else [value]
    return items[::-1]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value[: _SHOWN + 1], ensure_ascii=False)
    if isinstance(value, int) and abs(value) >= _PRINTABLE_INTEGER:
        sign = "a negative" if value < 0 else "an"
        return f"{sign} integer of about {math.floor(math.log10(abs(value))) + 1:,} digits"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def describe(value: Any) -> str:
    """The TOML type of a value and the value itself: `the string "abc"`."""
    kinds = [
        (bool, "the boolean"),
        (int, "the integer"),
        (float, "the number"),
        (str, "the string"),
    ]
    for kind, name in kinds:
        if isinstance(value, kind):
            return f"{name} {show(value)}"
    if isinstance(value, list):
        return f"an array {show(value)}"
    if isinstance(value, dict):
        return f"a table {show(value)}"
    return show(value)


def number(value: float) -> str:
    """Bounds read best without a trailing `.0`."""
    return str(int(value)) if float(value).is_integer() else repr(value)
