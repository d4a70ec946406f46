"""Controlled vocabularies: every file loads, and the rules that other parts rely on hold."""

from __future__ import annotations

import re

import pytest

from docket.core import vocab
from docket.core.errors import DocketError, UnknownTerm, ValidationError

EXPECTED = {
    "agreement_states", "appeal_outcomes", "articles", "confidentiality", "consent",
    "credibility", "custody_states", "damage_kinds", "ethnicities", "event_types",
    "figure_kinds", "intervention_kinds", "intervention_statuses", "legal_stages", "measures",
    "name_kinds", "organization_kinds", "place_kinds", "relationship_types", "reliability",
    "review_states", "roles", "scripts", "sentence_kinds", "sex", "source_kinds",
    "verdict_outcomes",
}  # fmt: skip


@pytest.fixture(params=vocab.names())
def vocabulary(request: pytest.FixtureRequest) -> vocab.Vocabulary:
    return vocab.vocabulary(request.param)


def test_names_lists_every_vocabulary_sorted() -> None:
    assert vocab.names() == sorted(vocab.names())
    assert set(vocab.names()) >= EXPECTED


def test_every_vocabulary_loads_with_its_own_name_and_labels(
    vocabulary: vocab.Vocabulary,
) -> None:
    assert vocabulary.terms
    assert vocabulary.labels["en"].strip() and vocabulary.labels["ru"].strip()
    assert vocab.vocabulary(vocabulary.name) is vocabulary  # cached


def test_every_term_has_english_and_russian_labels(vocabulary: vocab.Vocabulary) -> None:
    for term in vocabulary.terms:
        assert term.labels["en"].strip(), term.code
        assert re.search("[а-яё]", term.labels["ru"], re.IGNORECASE), term.code


def test_codes_are_unique_text(vocabulary: vocab.Vocabulary) -> None:
    codes = vocabulary.codes()
    assert len(codes) == len(set(codes))
    assert all(isinstance(c, str) and c for c in codes)


def test_huridocs_codes_are_twelve_digits_and_only_with_a_list(
    vocabulary: vocab.Vocabulary,
) -> None:
    mapped = [t.huridocs for t in vocabulary.terms if t.huridocs is not None]
    assert all(re.fullmatch(r"\d{12}", h) for h in mapped)
    if mapped:
        assert isinstance(vocabulary.huridocs_list, int)


def test_known_huridocs_mappings() -> None:
    assert vocab.vocabulary("ethnicities").term("dungan").huridocs == "082109190001"
    assert vocab.vocabulary("ethnicities").huridocs_list == 13
    assert vocab.vocabulary("sex").term("female").huridocs == "020000000000"
    assert vocab.vocabulary("event_types").term("arrest").huridocs == "030101000000"
    assert vocab.vocabulary("ethnicities").term("kazakh").huridocs is None


def test_event_types_are_exactly_the_agreed_codes_in_order() -> None:
    assert vocab.vocabulary("event_types").codes() == [
        "detention", "arrest", "search", "interrogation", "ill_treatment", "death", "killing",
        "injury", "attack", "arson", "property_destruction", "threat", "intimidation",
        "hate_speech", "transfer", "release", "measure", "charge", "indictment", "trial",
        "verdict", "appeal_decision", "case_closed", "complaint", "official_response",
        "forensic_examination", "damage_assessment", "compensation_offer",
        "compensation_payment", "riot", "medical_emergency",
    ]  # fmt: skip


def test_credibility_codes_are_strings_and_reliability_is_a_to_f() -> None:
    assert vocab.vocabulary("credibility").codes() == ["1", "2", "3", "4", "5", "6"]
    assert vocab.vocabulary("reliability").codes() == list("ABCDEF")
    assert 1 not in vocab.vocabulary("credibility")


def test_label_in_russian_and_falls_back_to_english() -> None:
    eth = vocab.vocabulary("ethnicities")
    assert eth.label("dungan") == "Dungan (Hui)"
    assert eth.label("dungan", "ru") == "Дунганин / дунганка"
    assert eth.term("dungan").label("kk") == "Dungan (Hui)"


def test_contains_and_check_return_the_code() -> None:
    assert "kazakh" in vocab.vocabulary("ethnicities")
    assert "Kazakh" not in vocab.vocabulary("ethnicities")
    assert vocab.check("roles", "victim") == "victim"


def test_unknown_term_error_lists_the_valid_codes() -> None:
    with pytest.raises(UnknownTerm) as caught:
        vocab.check("ethnicities", "dungn", where="persons.yaml P-0004 ethnicity")
    message = str(caught.value)
    assert message.startswith("persons.yaml P-0004 ethnicity: ")
    assert 'unknown ethnicity "dungn"; valid: dungan, kazakh, russian' in message
    assert caught.value.where == "persons.yaml P-0004 ethnicity"
    assert isinstance(caught.value, ValidationError | DocketError)


def test_unknown_vocabulary_error_lists_the_vocabulary_names() -> None:
    with pytest.raises(UnknownTerm, match=r'unknown vocabulary "colours"; valid: .*ethnicities'):
        vocab.vocabulary("colours")
    with pytest.raises(UnknownTerm):
        vocab.vocabulary("../errors")


def test_check_details_accepts_good_details_and_sorts_keys() -> None:
    details = {"term_months": 18, "sentence": "imprisonment", "outcome": "convicted"}
    result = vocab.check_details("verdict", details)
    assert result == details
    assert list(result) == ["outcome", "sentence", "term_months"]
    assert vocab.check_details("measure", {"measure": "house_arrest", "duration_months": 2.5})
    assert vocab.check_details("transfer", {"from_place": " PL-0001", "to_place": "PL-0002"}) == {
        "from_place": "PL-0001",
        "to_place": "PL-0002",
    }
    assert vocab.check_details("search", {"warrant_shown": False, "officers": 6})
    assert vocab.check_details("appeal_decision", {"outcome": "modified", "fine_amount": 0})


def test_check_details_without_schema_accepts_only_empty() -> None:
    assert vocab.check_details("riot", {}) == {}
    assert vocab.check_details("riot", None) == {}
    with pytest.raises(ValidationError, match="allowed: none"):
        vocab.check_details("riot", {"size": 1})


def test_check_details_rejects_unknown_keys_listing_allowed_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        vocab.check_details("verdict", {"outcome": "convicted", "years": 2}, where="E-0020")
    assert 'unknown detail "years"' in str(caught.value)
    assert "allowed: fine_amount, fine_currency, outcome" in str(caught.value)
    assert caught.value.where == "E-0020"


def test_check_details_rejects_values_outside_their_vocabulary() -> None:
    with pytest.raises(UnknownTerm, match=r"valid: convicted, acquitted") as caught:
        vocab.check_details("verdict", {"outcome": "guilty"}, where="E-0020")
    assert caught.value.where == "E-0020 details.outcome"
    with pytest.raises(UnknownTerm):
        vocab.check_details("measure", {"measure": 3})


@pytest.mark.parametrize("bad", [-1, -0.5, True, "12", None, float("nan")])
def test_check_details_rejects_bad_numbers(bad: object) -> None:
    with pytest.raises(ValidationError, match="number >= 0"):
        vocab.check_details("verdict", {"term_months": bad})


def test_check_details_rejects_wrong_types() -> None:
    with pytest.raises(ValidationError, match="place code"):
        vocab.check_details("transfer", {"to_place": "  "})
    with pytest.raises(ValidationError, match="text"):
        vocab.check_details("release", {"reason": 5})
    with pytest.raises(ValidationError, match="true or false"):
        vocab.check_details("search", {"warrant_shown": "yes"})
    with pytest.raises(UnknownTerm, match="event type"):
        vocab.check_details("party", {})


def test_every_details_schema_is_well_formed() -> None:
    for term in vocab.vocabulary("event_types").terms:
        for key, spec in vocab.details_schema(term.code).items():
            assert isinstance(key, str)
            if "vocab" in spec:
                assert spec["vocab"] in vocab.names(), (term.code, key)
            else:
                assert spec["type"] in {"number", "string", "place", "boolean"}, (term.code, key)


def test_article_lookup() -> None:
    term = vocab.article("KZ-CC-2014:380")
    assert term.extra["code_name"] == "KZ-CC-2014"
    assert term.extra["article"] == "380"
    assert term.label("ru") == "Применение насилия в отношении представителя власти"
    assert vocab.article("KZ-CC-2014:272").label() == "Mass riots"
    for code in vocab.vocabulary("articles").codes():
        code_name, number = code.split(":")
        assert vocab.article(code).extra == {"code_name": code_name, "article": number}


def test_article_rejects_malformed_and_unknown_codes() -> None:
    with pytest.raises(ValidationError, match="must look like"):
        vocab.article("380")
    with pytest.raises(UnknownTerm, match="KZ-CC-2014:293"):
        vocab.article("KZ-CC-2014:1")


@pytest.mark.parametrize("name", ["measures", "sentence_kinds"])
def test_custody_values_are_custody_states(name: str) -> None:
    states = vocab.vocabulary("custody_states")
    for term in vocab.vocabulary(name).terms:
        assert term.extra["custody"] in states, term.code
    assert vocab.vocabulary("measures").term("travel_ban").extra["custody"] == "restricted"
    assert vocab.vocabulary("sentence_kinds").term("suspended").extra["custody"] == (
        "suspended_sentence"
    )


def test_relationship_inverses_are_relationship_types_and_symmetric() -> None:
    types = vocab.vocabulary("relationship_types")
    for term in types.terms:
        inverse = term.extra["inverse"]
        assert inverse in types
        assert types.term(inverse).extra["inverse"] == term.code
    assert types.term("parent").extra["inverse"] == "child"
