"""Who acts: a name and roles, and what each role may do.

Every call that changes the book or an alert takes an :class:`Actor`; the rules are checked
here, in the library, so the CLI, the HTTP service and any script obey the same ones. Users,
passwords and sign-in are not this module's: whatever authenticates a person fills an
``Actor`` (the CLI's ``--as NAME --role ROLE`` until users exist).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from discreet.errors import DiscreetError

__all__ = ["ACTIONS", "ROLES", "SYSTEM", "Actor", "ReviewPermissionError", "require"]

ROLES = ("analyst", "reviewer", "admin", "auditor", "system")

# action -> roles that may take it; auditors read only, so no action lists them
ACTIONS: dict[str, frozenset[str]] = {
    "import": frozenset({"analyst", "admin", "system"}),
    "screen": frozenset({"analyst", "reviewer", "admin", "system"}),
    "assign": frozenset({"analyst", "reviewer", "admin"}),
    "comment": frozenset({"analyst", "reviewer", "admin"}),
    "attach": frozenset({"analyst", "reviewer", "admin"}),
    "decide": frozenset({"analyst", "reviewer", "admin"}),
    "approve": frozenset({"reviewer"}),  # and never the decider (review.cases)
    "close": frozenset({"analyst", "reviewer", "admin"}),
}


class ReviewPermissionError(DiscreetError):
    """The actor's roles do not allow the action (or four eyes forbid it)."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A person or process acting on the book: ``name`` as it appears in the trail."""

    name: str
    roles: frozenset[str]

    @classmethod
    def of(cls, name: str, roles: Iterable[str]) -> Actor:
        """An actor with its roles checked (unknown roles are refused, not ignored)."""
        clean = " ".join(name.split())
        if not clean:
            raise ReviewPermissionError("an actor needs a name")
        wanted = frozenset(r.strip().lower() for r in roles if r.strip())
        unknown = wanted - set(ROLES)
        if unknown:
            raise ReviewPermissionError(f"unknown role(s) {', '.join(sorted(unknown))}; "
                                        f"roles: {', '.join(ROLES)}")
        if not wanted:
            raise ReviewPermissionError(f"{clean} has no role; roles: {', '.join(ROLES)}")
        return cls(clean, wanted)

    def may(self, action: str) -> bool:
        return bool(self.roles & ACTIONS[action])

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "roles": sorted(self.roles)}


SYSTEM = Actor("discreet", frozenset({"system"}))  # continuous screening on its own


def require(actor: Actor, action: str) -> None:
    """Refuse the action unless one of the actor's roles allows it."""
    if not actor.may(action):
        allowed = " or ".join(sorted(ACTIONS[action]))
        read_only = " (auditors read only)" if "auditor" in actor.roles else ""
        raise ReviewPermissionError(f"{actor.name} ({', '.join(sorted(actor.roles))}) may not "
                                    f"{action}: it needs the role {allowed}{read_only}")
