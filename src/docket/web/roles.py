"""Who a web user is to Docket: a role, and the audience the pages are made for.

Roles are Django groups named after ROLES. The audience decides what every page shows
(``docket.core.audience``): the same mechanism as the command line's ``--audience``.
"""

from __future__ import annotations

from typing import Any

ROLES = ("admin", "reviewer", "documenter", "viewer")
# Who may enter and correct records (drafts), and who may also mark them verified.
EDITORS = ("admin", "reviewer", "documenter")
REVIEWERS = ("admin", "reviewer")

AUDIENCE_OF_ROLE = {
    "admin": "restricted",
    "reviewer": "internal",
    "documenter": "internal",
    "viewer": "partner",
}


def role_of(user: Any) -> str | None:
    """The user's strongest role, or None for an anonymous visitor or a user without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return "admin"
    names = set(user.groups.values_list("name", flat=True))
    return next((r for r in ROLES if r in names), None)


def audience_of(user: Any) -> str:
    """The audience pages are made for: public for anonymous visitors and users without role."""
    role = role_of(user)
    return AUDIENCE_OF_ROLE[role] if role else "public"
