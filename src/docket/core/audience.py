"""Who an output is for, and what they may see of the record.

Every output (timeline, statistics, reports, exports) is made for an audience. A record is
shown only if its confidentiality is cleared for that audience, and a person is named only as
their consent allows: public and partner outputs never carry a name the person did not agree
to, and a withdrawn consent counts as none.
"""

from __future__ import annotations

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
