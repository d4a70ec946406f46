"""Who may do what through the API: the one place the rules are enforced.

The rules are the pages' (docs/web.md): a caller's role comes from ``docket.web.roles`` and
decides their audience; a record the audience may not see does not exist for them (404, never
403). Writing needs the documenter, reviewer or admin role; only a reviewer or an admin may
mark a record verified; nobody may write a record they could not read back, nor a field they
could not read back (``check_fields``: a person's contact and identity document are for admins
only; anyone else's writes keep the stored values).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from docket.core.audience import (
    CLEARANCE,
    NAMES_AS_RECORDED,
    hidden_fields_written,
    keep_hidden_fields,
)
from docket.records import models as m
from docket.records.schema import Kind
from docket.web.roles import audience_of, role_of

WRITERS = frozenset({"documenter", "reviewer", "admin"})
VERIFIERS = frozenset({"reviewer", "admin"})


def audience(request: Request) -> str:
    """The audience every answer to this request is made for."""
    return audience_of(request.user)


def role(request: Request) -> str | None:
    return role_of(request.user)


class RecordPermission(BasePermission):
    """Anyone may read (and is shown what their audience may see); writers may write."""

    message = "writing needs the documenter, reviewer or admin role"

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return role_of(request.user) in WRITERS


def visible(qs: QuerySet[Any], kind: Kind, audience: str) -> QuerySet[Any]:
    """The records of ``qs`` that ``audience`` may see.

    Outside the team (public, partner), retracted records and sources whose identity is
    confidential are not shown either.
    """
    qs = qs.filter(confidentiality__in=sorted(CLEARANCE[audience]))
    if audience not in NAMES_AS_RECORDED:
        qs = qs.exclude(review_state="retracted")
        if kind.model is m.Source:
            qs = qs.filter(identity_confidential=False)
    return qs


def may_see(obj: m.Record, audience: str) -> bool:
    kind_model: Any = type(obj)
    return visible(kind_model.objects.filter(pk=obj.pk), _kind_of(obj), audience).exists()


def _kind_of(obj: m.Record) -> Kind:
    from docket.records.schema import BY_MODEL

    return BY_MODEL[type(obj)]


def check_write(request: Request, case: m.Case, data: Any) -> Any:
    """The record as this caller may write it, or PermissionDenied.

    A caller who may not verify writes drafts: a record they send without ``review_state``
    becomes a draft (even where the case's default is verified, and when they edit a verified
    record), and one they send as verified is refused.
    """
    who = role_of(request.user)
    if who not in WRITERS:
        raise PermissionDenied(RecordPermission.message)
    if not isinstance(data, dict):
        return data  # the checks of the record itself report it
    if who not in VERIFIERS:
        if data.get("review_state") == "verified":
            raise PermissionDenied("only a reviewer or an admin may mark a record verified")
        if not data.get("review_state"):
            data = {**data, "review_state": "draft"}
    level = data.get("confidentiality") or case.defaults.get("confidentiality", "internal")
    cleared = CLEARANCE[audience_of(request.user)]
    if isinstance(level, str) and level in CLEARANCE["restricted"] and level not in cleared:
        raise PermissionDenied(
            f"your role may not write a {level} record (you could not read it back)"
        )
    return data


def check_fields(
    request: Request, kind: Kind, data: Any, stored: dict[str, Any] | None = None
) -> Any:
    """``data`` with the fields the caller may not see as ``stored``, or PermissionDenied when
    it sets one of them (a non-empty value, or a citation of it)."""
    if not isinstance(data, dict):
        return data
    who = audience_of(request.user)
    written = hidden_fields_written(who, kind.name, data)
    if written:
        raise PermissionDenied(
            f"only an admin may write these fields of a {kind.name}: {', '.join(written)}"
        )
    return keep_hidden_fields(who, kind.name, data, stored)
