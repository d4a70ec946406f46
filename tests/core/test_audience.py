from __future__ import annotations

import pytest

from docket.core.audience import can_see, initials, shown_name
from docket.core.errors import ValidationError


@pytest.mark.parametrize(
    ("audience", "confidentiality", "visible"),
    [
        ("public", "public", True),
        ("public", "internal", False),
        ("partner", "internal", True),
        ("partner", "confidential", False),
        ("internal", "confidential", True),
        ("internal", "restricted", False),
        ("restricted", "restricted", True),
    ],
)
def test_each_audience_sees_only_what_it_is_cleared_for(
    audience: str, confidentiality: str, visible: bool
) -> None:
    assert can_see(audience, confidentiality) is visible


def test_an_unknown_audience_is_an_error_listing_the_valid_ones() -> None:
    with pytest.raises(ValidationError, match="valid: public, partner, internal, restricted"):
        can_see("press", "public")


def test_initials() -> None:
    assert initials("Ismar Uyshirov") == "I. U."
    assert initials("M. Voinhuy") == "M. V."
    assert initials("Ts. Khusezova") == "T. K."


@pytest.mark.parametrize(
    ("consent", "withdrawn", "public_form"),
    [
        ("full_name", False, "Ismar Uyshirov"),
        ("initials", False, "I. U."),
        ("pseudonym", False, "Witness A"),
        ("anonymous", False, "Person P-0004"),
        ("full_name", True, "Person P-0004"),
    ],
)
def test_public_outputs_name_people_only_as_they_consented(
    consent: str, withdrawn: bool, public_form: str
) -> None:
    kwargs = {"code": "P-0004", "consent": consent, "pseudonym": "Witness A"}
    assert (
        shown_name("Ismar Uyshirov", audience="public", consent_withdrawn=withdrawn, **kwargs)
        == public_form
    )
    assert shown_name("Ismar Uyshirov", audience="internal", **kwargs) == "Ismar Uyshirov"


def test_an_anonymous_person_is_named_by_code_in_russian_too() -> None:
    assert (
        shown_name("X", code="P-1", consent="anonymous", audience="public", lang="ru") == "Лицо P-1"
    )


def test_redact_replaces_every_spelling_longest_first() -> None:
    from docket.core.audience import redact

    text = "Search at the house of Ismar Uyshirov; ISMAR UYSHIROV and Uyshirov were taken."
    out = redact(text, {"Ismar Uyshirov": "I. U.", "Uyshirov": "I. U."})
    assert out == "Search at the house of I. U.; I. U. and I. U. were taken."
    assert redact("nothing here", {}) == "nothing here"
