"""Seconds spent in each stage of a function, by wrapping the functions it looks up.

A command's engine (`discover`, `batch_stories`) calls its stages through its module's
globals (or a dict of them): wrapping them there times each stage without changing what runs.
A stage called from inside another timed stage counts toward the outer one; a stage that is
a generator is read to its end inside its stage.
"""

from __future__ import annotations

import contextlib
import inspect
import time
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any


class StageClock:
    """`seconds[stage]` for the stages named in `targets`: (namespace, name, stage) each."""

    def __init__(self, targets: list[tuple[Any, str, str]]) -> None:
        self.targets = targets
        self.seconds = dict.fromkeys((stage for _, _, stage in targets), 0.0)
        self._depth = 0

    def _timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self._depth:  # inside another stage: its time is that stage's
                return function(*args, **kwargs)
            self._depth += 1
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
                # a generator does its work as it is read: read it here, inside the stage
                return iter(list(result)) if inspect.isgenerator(result) else result
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self._depth -= 1

        return wrapper

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """The stages wrapped while inside the block, restored after it."""
        originals = [
            (namespace, name, _get(namespace, name)) for namespace, name, _ in self.targets
        ]
        for (namespace, name, stage), (_, _, function) in zip(self.targets, originals, strict=True):
            _set(namespace, name, self._timed(stage, function))
        try:
            yield
        finally:
            for namespace, name, function in originals:
                _set(namespace, name, function)


def _get(namespace: Any, name: str) -> Any:
    if isinstance(namespace, MutableMapping):
        return namespace[name]
    return getattr(namespace, name)


def _set(namespace: Any, name: str, value: Any) -> None:
    if isinstance(namespace, MutableMapping):
        namespace[name] = value
    else:
        setattr(namespace, name, value)
