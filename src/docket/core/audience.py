"""Who an output is for, and what they may see of the record.

Every output (timeline, statistics, reports, exports) is made for an audience. A record is
shown only if its confidentiality is cleared for that audience, and a person is named only as
their consent allows: public and partner outputs never carry a name the person did not agree
to, and a withdrawn consent counts as none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docket.core.errors import ValidationError

AUDIENCES = ("public", "partner", "internal", "restricted")

# Which confidentiality levels each audience may see.
CLEARANCE: dict[str, frozenset[str]] = {
    "public": frozenset({"public"}),
    "partner": frozenset({"public", "internal"}),
    "internal": frozenset({"public", "internal", "confidential"}),
    "restricted": frozenset({"public", "internal", "confidential", "restricted"}),
}

# Audiences that see names as recorded, whatever the consent (the team itself).
NAMES_AS_RECORDED = frozenset({"internal", "restricted"})


# Fields no output shows except to the restricted audience (admins): not partners, not the
# team's documenters and reviewers either. A citation of one of them (its ``field``) is withheld
# with it. The command line's export and backup keep them (the team's full copy).
RESTRICTED_FIELDS: dict[str, tuple[str, ...]] = {"person": ("contact", "identity_document")}
# Audiences that see the restricted fields.
SEES_RESTRICTED_FIELDS = frozenset({"restricted"})


def check_audience(audience: str) -> str:
    """Return ``audience`` or raise a ValidationError listing the valid ones."""
    if audience not in CLEARANCE:
        raise ValidationError(f'unknown audience "{audience}"; valid: {", ".join(AUDIENCES)}')
    return audience


def can_see(audience: str, confidentiality: str) -> bool:
    """True if a record of this confidentiality may appear in an output for ``audience``."""
    return confidentiality in CLEARANCE[check_audience(audience)]


def initials(name: str) -> str:
    """ "Ismar Uyshirov" -> "I. U."; "M. Voinhuy" -> "M. V."."""
    parts = [p for p in name.replace(".", ". ").split() if p[:1].isalpha()]
    return " ".join(f"{p[0].upper()}." for p in parts)


def shown_name(
    name: str,
    *,
    code: str,
    consent: str,
    audience: str,
    pseudonym: str = "",
    consent_withdrawn: bool = False,
    lang: str = "en",
) -> str:
    """The name of a person as an output for ``audience`` may show it."""
    if check_audience(audience) in NAMES_AS_RECORDED:
        return name
    if consent_withdrawn:
        consent = "anonymous"
    if consent == "full_name":
        return name
    if consent == "initials":
        return initials(name)
    if consent == "pseudonym" and pseudonym:
        return pseudonym
    return f"Лицо {code}" if lang == "ru" else f"Person {code}"


def redact(text: str, replacements: dict[str, str]) -> str:
    """Replace every listed name in free text (longest first, any letter case)."""
    import re

    if not text or not replacements:
        return text
    names = sorted((n for n in replacements if n.strip()), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    lowered = {n.casefold(): r for n, r in replacements.items()}
    return pattern.sub(lambda m: lowered[m.group(0).casefold()], text)


def field_visible(audience: str, kind: str, field: str) -> bool:
    """True if an output for ``audience`` may show ``field`` of a record of ``kind``."""
    if check_audience(audience) in SEES_RESTRICTED_FIELDS:
        return True
    return field not in RESTRICTED_FIELDS.get(kind, ())


def hidden_fields(audience: str, kind: str) -> tuple[str, ...]:
    """The fields of ``kind`` that an output for ``audience`` leaves out."""
    return tuple(f for f in RESTRICTED_FIELDS.get(kind, ()) if not field_visible(audience, kind, f))


def without_hidden_fields(audience: str, kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A record in bundle form without the fields ``audience`` may not see, nor their citations."""
    hidden = hidden_fields(audience, kind)
    out = {k: v for k, v in data.items() if k not in hidden}
    if hidden and isinstance(out.get("citations"), list):
        out["citations"] = [
            c for c in out["citations"] if not (isinstance(c, Mapping) and c.get("field") in hidden)
        ]
        if not out["citations"]:
            del out["citations"]
    return out


def hidden_fields_written(audience: str, kind: str, data: Mapping[str, Any]) -> list[str]:
    """The fields ``audience`` may not see that ``data`` (a record being written) sets.

    An empty value sets nothing (it keeps what is stored); neither does an absent one. A
    citation of a hidden field sets it too.
    """
    hidden = hidden_fields(audience, kind)
    found = [f for f in hidden if data.get(f) not in (None, "")]
    citations = data.get("citations")
    if isinstance(citations, list):
        for c in citations:
            if isinstance(c, Mapping) and c.get("field") in hidden and c["field"] not in found:
                found.append(c["field"])
    return found


def keep_hidden_fields(
    audience: str, kind: str, data: Mapping[str, Any], stored: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``data`` (written by ``audience``) with the hidden fields and their citations as stored.

    Whoever may not see a field cannot change it: a save from them carries the stored value
    (and the citations of it) over, so it is neither blanked nor replaced.
    """
    hidden = hidden_fields(audience, kind)
    if not hidden:
        return dict(data)
    out = without_hidden_fields(audience, kind, data)
    stored = stored or {}
    for f in hidden:
        if stored.get(f) not in (None, ""):
            out[f] = stored[f]
    kept = [
        c
        for c in stored.get("citations") or []
        if isinstance(c, Mapping) and c.get("field") in hidden
    ]
    if kept:
        out["citations"] = [*(out.get("citations") or []), *kept]
    return out
