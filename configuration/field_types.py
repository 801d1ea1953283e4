"""What a pydantic field's annotation validates, once `Annotated` and `| None` are peeled off.

Shared by the error translation (`problems`), the reference (`reference`) and the schema fuzz
test, which all walk the schema's types.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def unwrap(tp: Any) -> Any:
    """Strip `Annotated[...]` and `X | None` down to the type that does the validating."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
            continue
        members = [m for m in union_args(tp) if m is not type(None)]
        if union_args(tp) and len(members) == 1:
            tp = members[0]
            continue
        return tp


def union_args(tp: Any) -> tuple[Any, ...]:
    return get_args(tp) if get_origin(tp) in (Union, types.UnionType) else ()


def union_members(tp: Any) -> list[type[BaseModel]]:
    return [m for m in union_args(tp) if isinstance(m, type) and issubclass(m, BaseModel)]
