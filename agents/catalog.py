"""What a role can do and sense: the vocabulary a role's spec is validated against.

A catalog names a role's actions, the inputs its considerations may read (with units, because
bookends are written in real units) and the traits that may scale its weights and curves.
The library defines no catalog of its own: the application hands one to every spec model,
compiler and brain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class RoleCatalog:
    """The actions a role offers, the inputs its considerations may read and its traits."""

    role: str
    summary: str
    actions: Mapping[str, str]  # action id -> what it means
    inputs: Mapping[str, str]  # input name -> what it measures, with its unit
    traits: Mapping[str, str] = field(default_factory=dict)  # trait name -> what it scales
    singleton: bool = True  # False: many agents share the role (and one vectorised brain)

    def _identity(self) -> tuple:
        return (
            self.role,
            self.summary,
            tuple(self.actions.items()),
            tuple(self.inputs.items()),
            tuple(self.traits.items()),
            self.singleton,
        )

    # Equal by content, so a catalog that crossed a process boundary finds the same cached
    # spec model as the original.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, RoleCatalog) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())
