"""Consistency checks: where the record and its sources disagree (no database)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from docket.core.checks import (
    KINDS,
    POSTHUMOUS,
    SEVERITIES,
    CitedRecord,
    Claim,
    FigureComparison,
    Finding,
    PersonKey,
    contradictions,
    figure_conflicts,
    figure_mismatches,
    impossible_sequences,
    possible_duplicates,
    sort_findings,
    uncited,
)
from docket.core.dates import parse_date
from docket.core.errors import ValidationError
from docket.core.status import StatusEvent

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def ev(type_: str, when: str, code: str, **details: Any) -> StatusEvent:
    parsed = parse_date(when)
    assert parsed.earliest is not None and parsed.latest is not None
    return StatusEvent(type_, parsed.earliest, parsed.latest, parsed.text, details, (), code)


def fig(
    code: str,
    reported: float,
    computed: float | None = None,
    *,
    kind: str = "arrested",
    as_of: str = "2020-05-13",
    filter_: dict[str, str] | None = None,
    statement: str = "",
    basis: tuple[str, ...] = (),
) -> FigureComparison:
    return FigureComparison(code, kind, reported, computed, as_of, filter_ or {}, statement, basis)


def assert_bilingual(finding: Finding) -> None:
    assert finding.message and not CYRILLIC.search(finding.message)
    assert CYRILLIC.search(finding.message_ru)
    assert not finding.message_ru.endswith("..") and not finding.message.endswith("..")
    for code in finding.records:
        assert code in finding.message
        assert code in finding.message_ru


# --- Finding and sort_findings -------------------------------------------------------------


def test_a_finding_keeps_its_records_sorted_and_unique() -> None:
    finding = Finding("uncited", "warning", "m", "с", ("P-2", "P-1", "P-2", ""))
    assert finding.records == ("P-1", "P-2")


def test_a_finding_speaks_english_by_default_and_russian_when_asked() -> None:
    finding = Finding("uncited", "warning", "No source.", "Нет источника.", ("P-1",))
    assert finding.text() == "No source." and finding.text("ru") == "Нет источника."
    assert finding.to_dict("ru") == {
        "kind": "uncited",
        "severity": "warning",
        "message": "Нет источника.",
        "records": ["P-1"],
    }


@pytest.mark.parametrize(("kind", "severity"), [("typo", "error"), ("uncited", "fatal")])
def test_a_finding_of_unknown_kind_or_severity_is_refused(kind: str, severity: str) -> None:
    with pytest.raises(ValidationError):
        Finding(kind, severity, "m", "с", ())


def test_findings_sort_by_severity_then_kind_then_records() -> None:
    made = [
        Finding(kind, severity, "m", "с", (code,))
        for severity in reversed(SEVERITIES)
        for kind in reversed(KINDS)
        for code in ("P-2", "P-1")
    ]
    ordered = sort_findings(made)
    keys = [(SEVERITIES.index(f.severity), KINDS.index(f.kind), f.records) for f in ordered]
    assert keys == sorted(keys)
    assert ordered[0] == Finding("uncited", "error", "m", "с", ("P-1",))


# --- 1. uncited ----------------------------------------------------------------------------


def test_a_cited_record_has_no_finding() -> None:
    assert uncited([CitedRecord("P-0004", "person", 2, "verified")]) == []


def test_a_verified_record_without_citation_is_an_error() -> None:
    [finding] = uncited([CitedRecord("P-0004", "person", 0, "verified")])
    assert (finding.kind, finding.severity, finding.records) == ("uncited", "error", ("P-0004",))
    assert "verified" in finding.message
    assert "лицо" in finding.message_ru
    assert_bilingual(finding)


def test_a_draft_record_without_citation_is_a_warning() -> None:
    [finding] = uncited([CitedRecord("E-0012", "event", 0, "draft")])
    assert finding.severity == "warning"
    assert "событие" in finding.message_ru
    assert_bilingual(finding)


def test_a_retracted_record_without_citation_is_skipped() -> None:
    assert uncited([CitedRecord("E-0012", "event", 0, "retracted")]) == []


# --- 2. figures ----------------------------------------------------------------------------


def test_a_figure_equal_to_the_count_has_no_finding() -> None:
    assert figure_mismatches([fig("F-0001", 25, 25.0)]) == []


def test_a_figure_the_record_counts_differently_is_a_warning_with_both_numbers() -> None:
    statement = "As of May 13, 2020 out of 25 persons arrested … 17 are the Dungans."
    [finding] = figure_mismatches([fig("F-0001", 25, 17, statement=statement)])
    assert (finding.kind, finding.severity) == ("figure_mismatch", "warning")
    assert finding.message == (
        f'F-0001 says 25 arrested as of 13 May 2020 ("{statement}"); the record counts 17.'
    )
    assert "13 мая 2020 г." in finding.message_ru and "17" in finding.message_ru
    assert "арестованные" in finding.message_ru
    assert_bilingual(finding)


def test_a_mismatch_names_its_filter_and_at_most_ten_counted_records() -> None:
    basis = tuple(f"P-{n:04d}" for n in range(12, 0, -1))
    [finding] = figure_mismatches(
        [fig("F-0002", 17, 15, filter_={"ethnicity": "dungan"}, basis=basis)]
    )
    assert "Dungan" in finding.message and "Дунган" in finding.message_ru
    assert finding.records == ("F-0002", *(f"P-{n:04d}" for n in range(1, 11)))


def test_a_figure_the_record_cannot_count_is_info() -> None:
    [finding] = figure_mismatches([fig("F-0003", 5, None, kind="examined")])
    assert (finding.kind, finding.severity, finding.records) == (
        "figure_mismatch",
        "info",
        ("F-0003",),
    )
    assert "cannot count" in finding.message
    assert_bilingual(finding)


def test_figures_answering_one_question_differently_contradict_each_other() -> None:
    figures = [
        fig("F-0005", 5, kind="sentenced", statement="5 of 17 sentenced"),
        fig("F-0006", 4, kind="sentenced", statement="excluding 4 sentenced"),
        fig("F-0001", 25),
    ]
    [finding] = figure_conflicts(figures)
    assert (finding.kind, finding.severity, finding.records) == (
        "contradiction",
        "warning",
        ("F-0005", "F-0006"),
    )
    assert '"5 of 17 sentenced"' in finding.message
    assert "«excluding 4 sentenced»" in finding.message_ru
    assert_bilingual(finding)


def test_figures_that_agree_or_answer_different_questions_do_not_contradict() -> None:
    figures = [
        fig("F-0001", 25),
        fig("F-0002", 25.0, as_of="13.05.2020"),  # same date, written otherwise
        fig("F-0003", 17, filter_={"ethnicity": "dungan"}),
        fig("F-0004", 30, as_of="2020-06-01"),
        fig("F-0005", 44, kind="detained"),
    ]
    assert figure_conflicts(figures) == []


# --- 3. contradictions ---------------------------------------------------------------------


def test_compatible_partial_birth_dates_do_not_contradict() -> None:
    claims = [
        Claim("P-0004", "birth_date", "1990", "S-0002", "P-0004"),
        Claim("P-0004", "birth_date", "1990-01-29", "S-0001", "P-0004"),
        Claim("P-0004", "birth_date", "1990-01/1990-03", "S-0003", "E-0001"),
        Claim("P-0004", "birth_date", "", "S-0004"),  # says nothing
    ]
    assert contradictions(claims) == []


def test_incompatible_birth_dates_contradict_and_name_every_value_and_source() -> None:
    claims = [
        Claim("P-0004", "birth_date", "1990-01-29", "S-0001", "P-0004"),
        Claim("P-0004", "birth_date", "1991", "S-0003", "E-0012"),
        Claim("P-0004", "birth_date", "1990", "", "P-0004"),
    ]
    [finding] = contradictions(claims)
    assert (finding.kind, finding.severity) == ("contradiction", "warning")
    assert finding.records == ("E-0012", "P-0004")
    assert finding.message == (
        'P-0004: sources disagree on the birth date: "1990" per no source (in P-0004); '
        '"29 January 1990" per S-0001 (in P-0004); "1991" per S-0003 (in E-0012).'
    )
    assert "дата рождения" in finding.message_ru and "«1991 г.»" in finding.message_ru
    assert_bilingual(finding)


def test_different_text_values_contradict_and_equal_ones_do_not() -> None:
    claims = [
        Claim("E-0020", "term_months", "18", "S-0001", "E-0020"),
        Claim("E-0020", "term_months", "18", "S-0002", "E-0020"),
        Claim("E-0020", "sentence", "imprisonment", "S-0001", "E-0020"),
        Claim("E-0020", "sentence", "Imprisonment", "S-0002", "E-0020"),
        Claim("E-0021", "term_months", "18", "S-0001", "E-0021"),
        Claim("E-0021", "term_months", "24", "S-0005", "E-0021"),
    ]
    [finding] = contradictions(claims)
    assert finding.records == ("E-0021",)
    assert '"18" per S-0001 (in E-0021); "24" per S-0005 (in E-0021)' in finding.message
    assert "срок в месяцах" in finding.message_ru


# --- 4. impossible sequences ---------------------------------------------------------------


def test_events_in_overlapping_uncertain_order_have_no_finding() -> None:
    events = [
        ev("arrest", "2020-02", "E-1"),
        ev("release", "2020-02-03", "E-2"),  # may be after an arrest some time in February
        ev("charge", "2020-05", "E-3"),
        ev("verdict", "2020-05-10", "E-4", outcome="convicted", sentence="imprisonment"),
        ev("death", "2020-05/2020-07", "E-5"),
        ev("transfer", "2020-06", "E-6"),  # may be before the death
    ]
    assert impossible_sequences("P-0001", events, death=parse_date("2020")) == []


def test_an_event_certainly_after_the_death_is_an_error() -> None:
    events = [ev("death", "2020-02-12", "E-1"), ev("arrest", "2020-03-03", "E-2")]
    [finding] = impossible_sequences("P-0002", events)
    assert (finding.kind, finding.severity) == ("impossible_sequence", "error")
    assert finding.records == ("E-1", "E-2", "P-0002")
    assert "3 March 2020" in finding.message and "12 February 2020" in finding.message
    assert "арест" in finding.message_ru and "12 февраля 2020 г." in finding.message_ru
    assert_bilingual(finding)


def test_an_event_after_the_death_on_the_persons_own_record_is_an_error() -> None:
    [finding] = impossible_sequences(
        "P-0002", [ev("detention", "2021", "E-9")], death=parse_date("2020-12-31")
    )
    assert finding.severity == "error" and finding.records == ("E-9", "P-0002")


@pytest.mark.parametrize("type_", POSTHUMOUS)
def test_a_posthumous_event_after_the_death_has_no_finding(type_: str) -> None:
    events = [ev("death", "2020-02-12", "E-1"), ev(type_, "2020-06", "E-2", outcome="convicted")]
    events.append(ev("charge", "2020-01", "E-3"))
    assert impossible_sequences("P-0002", events) == []


def test_two_deaths_that_cannot_both_be_true_are_an_error() -> None:
    events = [ev("death", "2020-02-12", "E-1"), ev("killing", "2020-02-08/2020-02-09", "E-2")]
    found = impossible_sequences("P-0003", events, death=parse_date("2020-02"))
    [finding] = found
    assert (finding.kind, finding.severity) == ("impossible_sequence", "error")
    assert finding.records == ("E-1", "E-2", "P-0003")
    assert "несовместимые даты смерти" in finding.message_ru


def test_two_compatible_deaths_have_no_finding() -> None:
    events = [ev("death", "2020-02-12", "E-1")]
    assert impossible_sequences("P-0003", events, death=parse_date("2020-02")) == []


def test_a_sentence_before_every_charge_is_a_warning() -> None:
    events = [
        ev("verdict", "2020-05", "E-20", outcome="convicted"),
        ev("charge", "2020-06-02", "E-21"),
        ev("indictment", "2020-07", "E-22"),
    ]
    [finding] = impossible_sequences("P-0001", events)
    assert (finding.kind, finding.severity) == ("impossible_sequence", "warning")
    assert finding.records == ("E-20", "E-21", "E-22", "P-0001")
    assert "sentence before any charge" in finding.message
    assert_bilingual(finding)


def test_a_sentence_after_a_charge_or_an_acquittal_has_no_finding() -> None:
    after_charge = [
        ev("charge", "2020-03", "E-1"),
        ev("verdict", "2020-05", "E-2", sentence="fine"),
    ]
    acquittal = [ev("verdict", "2020-05", "E-3", outcome="acquitted")]
    assert impossible_sequences("P-0001", after_charge) == []
    assert impossible_sequences("P-0001", acquittal) == []


def test_a_sentence_with_no_recorded_charge_is_info() -> None:
    [finding] = impossible_sequences(
        "P-0001", [ev("verdict", "2020-05", "E-2", outcome="convicted")]
    )
    assert (finding.severity, finding.records) == ("info", ("E-2", "P-0001"))
    assert "no recorded charge" in finding.message
    assert_bilingual(finding)


def test_a_release_after_an_arrest_has_no_finding() -> None:
    events = [ev("arrest", "2020-02-08", "E-1"), ev("release", "2020-04", "E-2")]
    assert impossible_sequences("P-0001", events) == []


def test_a_release_after_a_prison_sentence_has_no_finding() -> None:
    events = [
        ev("charge", "2020-03", "E-1"),
        ev("verdict", "2020-05", "E-2", outcome="convicted", sentence="imprisonment"),
        ev("release", "2021-11", "E-3"),
    ]
    assert impossible_sequences("P-0001", events) == []


def test_a_release_before_every_detention_is_a_warning() -> None:
    events = [
        ev("release", "2020-02-07", "E-1"),
        ev("detention", "2020-02-08", "E-2"),
        ev("measure", "2020-02-10", "E-3", measure="house_arrest"),
        ev("measure", "2020-01", "E-4", measure="travel_ban"),  # not custody
    ]
    [finding] = impossible_sequences("P-0001", events)
    assert (finding.severity, finding.records) == ("warning", ("E-1", "E-2", "E-3", "P-0001"))
    assert "release before detention" in finding.message
    assert_bilingual(finding)


def test_a_release_with_no_custody_at_all_is_info() -> None:
    [finding] = impossible_sequences("G-0001", [ev("release", "2020-02-09", "E-1")])
    assert (finding.severity, finding.records) == ("info", ("E-1", "G-0001"))
    assert_bilingual(finding)


def test_an_event_whose_date_ends_before_it_begins_is_refused() -> None:
    broken = StatusEvent("arrest", date(2020, 3, 1), date(2020, 2, 1), "", {}, (), "E-1")
    with pytest.raises(ValidationError):
        impossible_sequences("P-0001", [broken])


# --- 5. possible duplicates ----------------------------------------------------------------


def test_the_same_name_written_otherwise_with_the_same_birth_date_is_a_duplicate() -> None:
    persons = [
        PersonKey("P-0009", ("ismar  uyshirov",), "1990-01-29"),
        PersonKey("P-0004", ("Ismar Uyshirov", "Исмар Уйширов"), "1990-01-29"),
    ]
    [finding] = possible_duplicates(persons)
    assert (finding.kind, finding.severity) == ("possible_duplicate", "warning")
    assert finding.records == ("P-0004", "P-0009")
    assert '"Ismar Uyshirov" / "ismar  uyshirov"' in finding.message
    assert "29 января 1990 г." in finding.message_ru
    assert_bilingual(finding)


def test_compatible_partial_birth_dates_and_russian_spelling_variants_still_match() -> None:
    persons = [
        PersonKey("P-0001", ("Фёдоров Иван",), "1990"),
        PersonKey("P-0002", ("Иван Федоров",), "1990-01-29"),
    ]
    [finding] = possible_duplicates(persons)
    assert finding.severity == "warning" and finding.records == ("P-0001", "P-0002")


def test_different_initials_are_different_names() -> None:
    persons = [
        PersonKey("P-0001", ("M. Voinhuy",), ""),
        PersonKey("P-0002", ("A. Voinhuy",), ""),
    ]
    assert possible_duplicates(persons) == []


def test_the_same_initials_and_surname_with_unknown_birth_dates_is_info() -> None:
    persons = [
        PersonKey("P-0001", ("M. Voinhuy",), ""),
        PersonKey("P-0003", ("M.Voinhuy",), ""),
    ]
    [finding] = possible_duplicates(persons)
    assert (finding.severity, finding.records) == ("info", ("P-0001", "P-0003"))
    assert_bilingual(finding)


def test_the_same_name_with_incompatible_birth_dates_is_not_a_duplicate() -> None:
    persons = [
        PersonKey("P-0001", ("Ismar Uyshirov",), "1990"),
        PersonKey("P-0002", ("Ismar Uyshirov",), "1965"),
    ]
    assert possible_duplicates(persons) == []


def test_each_pair_is_reported_once_however_many_names_meet() -> None:
    persons = [
        PersonKey("P-0002", ("Ismar Uyshirov", "Исмар Уйширов", "I. Uyshirov"), "1990"),
        PersonKey("P-0001", ("Ismar Uyshirov", "Исмар Уйширов", "I. Uyshirov"), "1990"),
        PersonKey("P-0003", ("Someone Else",), "1990"),
    ]
    [finding] = possible_duplicates(persons)
    assert finding.records == ("P-0001", "P-0002")


def test_a_part_larger_than_the_whole_is_a_contradiction() -> None:
    from docket.core.checks import FigureComparison, figure_conflicts

    def fig(code: str, value: float, filter_: dict[str, str]) -> FigureComparison:
        return FigureComparison(code, "sentenced", value, None, "2020-05-13", filter_, "")

    found = figure_conflicts(
        [
            fig("F-3", 5, {"ethnicity": "dungan"}),
            fig("F-8", 4, {}),
            fig("F-4", 3, {"ethnicity": "dungan", "article": "x"}),
        ]
    )
    assert [f.records for f in found] == [("F-3", "F-8")]
    assert "A part exceeds the whole" in found[0].message
    assert "Часть больше целого" in found[0].message_ru
    assert figure_conflicts([fig("F-3", 4, {"ethnicity": "dungan"}), fig("F-8", 5, {})]) == []
