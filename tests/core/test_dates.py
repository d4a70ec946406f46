"""Partial dates: parsing canonical and human forms, bounds, ordering, rendering, errors."""

from __future__ import annotations

import datetime
from datetime import date

import pytest

from docket.core.dates import (
    PARTS_OF_DAY,
    PRECISIONS,
    UNKNOWN,
    PartialDate,
    parse_date,
    to_date,
)
from docket.core.errors import DateError

CANONICAL = [
    # text, earliest, latest, precision
    ("2020", date(2020, 1, 1), date(2020, 12, 31), "year"),
    ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "month"),
    ("2020-02-08", date(2020, 2, 8), date(2020, 2, 8), "day"),
    ("2020-04-24/2020-04-28", date(2020, 4, 24), date(2020, 4, 28), "range"),
    ("2020-02/2020-05-13", date(2020, 2, 1), date(2020, 5, 13), "range"),
    ("2019/2020", date(2019, 1, 1), date(2020, 12, 31), "range"),
    ("2020-05-06T23:00", date(2020, 5, 6), date(2020, 5, 6), "time"),
    ("2020-02-07/2020-02-08 night", date(2020, 2, 7), date(2020, 2, 8), "range"),
    ("2020-05-06 night", date(2020, 5, 6), date(2020, 5, 6), "day"),
    ("1985~", date(1985, 1, 1), date(1985, 12, 31), "year"),
    ("2020-03?", date(2020, 3, 1), date(2020, 3, 31), "month"),
    ("2020-03%", date(2020, 3, 1), date(2020, 3, 31), "month"),
    ("2020-05-06T23:00~ evening", date(2020, 5, 6), date(2020, 5, 6), "time"),
    ("0985", date(985, 1, 1), date(985, 12, 31), "year"),
]

HUMAN = [
    # written, canonical text
    ("March 2020", "2020-03"),
    ("Feb 2020", "2020-02"),
    ("24 April 2020", "2020-04-24"),
    ("April 24, 2020", "2020-04-24"),
    ("24-28.04.2020", "2020-04-24/2020-04-28"),
    ("24–28 April 2020", "2020-04-24/2020-04-28"),
    ("24-28 April 2020", "2020-04-24/2020-04-28"),
    ("7–8 February 2020", "2020-02-07/2020-02-08"),
    ("February 8-9, 2020", "2020-02-08/2020-02-09"),
    ("28 February – 3 March 2020", "2020-02-28/2020-03-03"),
    ("28.02-03.03.2020", "2020-02-28/2020-03-03"),
    ("2019–2020", "2019/2020"),
    ("29.01.1990", "1990-01-29"),
    ("05.2020", "2020-05"),
    ("март 2020", "2020-03"),
    ("24 апреля 2020", "2020-04-24"),
    ("24 апреля 2020 г.", "2020-04-24"),
    ("2020г.", "2020"),
    ("c. 1985", "1985~"),
    ("circa 1985", "1985~"),
    ("около 1985", "1985~"),
    ("около февраля 2020 г.", "2020-02~"),
    ("  2020-04-24  ", "2020-04-24"),
    ("2020-04-24 / 2020-04-28", "2020-04-24/2020-04-28"),
    ("2020-05-06 23:00", "2020-05-06T23:00"),
    ("6 May 2020, 23:00", "2020-05-06T23:00"),
    ("night of 7–8 February 2020", "2020-02-07/2020-02-08 night"),
    ("ночь с 7 на 8 февраля 2020 г.", "2020-02-07/2020-02-08 night"),
    ("6 мая 2020 г., вечером", "2020-05-06 evening"),
    ("2020-05-06 evening?", "2020-05-06? evening"),
    ("March 2020 (uncertain)", "2020-03?"),
    ("2020-03~?", "2020-03%"),
    ("2020-04-24/2020-04-24", "2020-04-24"),
]


@pytest.mark.parametrize(("text", "earliest", "latest", "precision"), CANONICAL)
def test_canonical_form_is_read_with_its_bounds_and_precision(
    text: str, earliest: date, latest: date, precision: str
) -> None:
    parsed = parse_date(text)
    assert (parsed.text, parsed.earliest, parsed.latest) == (text, earliest, latest)
    assert parsed.precision == precision
    assert parsed.precision in PRECISIONS
    assert parsed.known
    assert str(parsed) == text


@pytest.mark.parametrize(("written", "canonical"), HUMAN)
def test_human_form_is_stored_canonically(written: str, canonical: str) -> None:
    assert parse_date(written) == parse_date(canonical)
    assert parse_date(written).text == canonical


@pytest.mark.parametrize(
    "value", [row[0] for row in CANONICAL] + [row[0] for row in HUMAN] + [1985, date(2020, 2, 29)]
)
def test_parsing_the_canonical_text_gives_back_an_equal_date(
    value: str | int | date,
) -> None:
    parsed = parse_date(value)
    assert parse_date(parsed.text) == parsed


def test_flags_and_extras_are_recorded_as_fields() -> None:
    parsed = parse_date("2020-05-06T23:00~ evening")
    assert parsed.approximate and not parsed.uncertain
    assert (parsed.time, parsed.part_of_day) == ("23:00", "evening")
    assert parsed.part_of_day in PARTS_OF_DAY
    assert parse_date("2020-03?").uncertain and not parse_date("2020-03?").approximate
    both = parse_date("2020-03%")
    assert both.approximate and both.uncertain


@pytest.mark.parametrize("flagged", ["1985~", "1985?", "1985%", "c. 1985"])
def test_approximate_and_uncertain_keep_the_bounds_of_the_bare_value(flagged: str) -> None:
    bare = parse_date("1985")
    assert (parse_date(flagged).earliest, parse_date(flagged).latest) == (
        bare.earliest,
        bare.latest,
    )


@pytest.mark.parametrize(
    ("text", "latest"),
    [
        ("2020-02", date(2020, 2, 29)),
        ("2019-02", date(2019, 2, 28)),
        ("1900-02", date(1900, 2, 28)),
        ("2000-02", date(2000, 2, 29)),
        ("2020-04", date(2020, 4, 30)),
        ("2020-12", date(2020, 12, 31)),
        ("2020-01/2020-02", date(2020, 2, 29)),
    ],
)
def test_month_ends_on_its_last_day_including_leap_february(text: str, latest: date) -> None:
    assert parse_date(text).latest == latest


@pytest.mark.parametrize(
    ("value", "text", "precision"),
    [
        (1985, "1985", "year"),
        (date(2020, 2, 29), "2020-02-29", "day"),
        (datetime.datetime(2020, 5, 6, 23, 0), "2020-05-06T23:00", "time"),
    ],
)
def test_non_text_values_are_read(value: int | date, text: str, precision: str) -> None:
    assert (parse_date(value).text, parse_date(value).precision) == (text, precision)


@pytest.mark.parametrize("value", [None, "", "   ", "unknown", "Unknown", "дата неизвестна"])
def test_missing_values_are_the_unknown_date(value: str | None) -> None:
    parsed = parse_date(value)
    assert parsed == UNKNOWN
    assert not parsed.known
    assert (parsed.text, parsed.earliest, parsed.latest) == ("", None, None)
    assert parsed.precision == "unknown"


def test_mixed_precisions_sort_by_earliest_then_latest() -> None:
    texts = ["2020-02", "2020-01-15", "2020-01-10/2020-01-20", "2020"]
    ordered = sorted((parse_date(t) for t in texts), key=PartialDate.sort_key)
    assert [d.text for d in ordered] == ["2020", "2020-01-10/2020-01-20", "2020-01-15", "2020-02"]


def test_month_only_date_sorts_before_day_in_next_month() -> None:
    assert parse_date("2020-02").sort_key() < parse_date("2020-03-01").sort_key()


def test_unknown_date_sorts_after_every_known_date() -> None:
    dates = [UNKNOWN, parse_date("9999-12-31T23:59"), parse_date("1985")]
    ordered = sorted(dates, key=PartialDate.sort_key)
    assert ordered[-1] == UNKNOWN
    assert ordered[0].text == "1985"


def test_same_day_sorts_without_time_before_with_time() -> None:
    day, timed = parse_date("2020-05-06"), parse_date("2020-05-06T23:00")
    assert sorted([timed, day], key=PartialDate.sort_key) == [day, timed]


RENDERED = [
    # text, English, Russian
    ("1990-01-29", "29 January 1990", "29 января 1990 г."),
    ("2020-02", "February 2020", "февраль 2020 г."),
    ("2020", "2020", "2020 г."),
    ("2020-04-24/2020-04-28", "24–28 April 2020", "24–28 апреля 2020 г."),
    ("2020-02-28/2020-03-03", "28 February – 3 March 2020", "28 февраля – 3 марта 2020 г."),
    (
        "2019-12-28/2020-01-03",
        "28 December 2019 – 3 January 2020",
        "28 декабря 2019 г. – 3 января 2020 г.",
    ),
    ("2020-02/2020-05", "February – May 2020", "февраль – май 2020 г."),
    ("2019/2020", "2019–2020", "2019–2020 гг."),
    ("2020-05-06T23:00", "6 May 2020, 23:00", "6 мая 2020 г., 23:00"),
    (
        "2020-02-07/2020-02-08 night",
        "night of 7–8 February 2020",
        "ночь с 7 на 8 февраля 2020 г.",
    ),
    (
        "2020-01-31/2020-02-01 night",
        "night of 31 January – 1 February 2020",
        "ночь с 31 января на 1 февраля 2020 г.",
    ),
    ("2020-05-06 evening", "evening of 6 May 2020", "6 мая 2020 г., вечером"),
    ("1985~", "c. 1985", "около 1985 г."),
    ("2020-02~", "c. February 2020", "около февраля 2020 г."),
    ("2020-03?", "March 2020 (uncertain)", "март 2020 г. (не точно)"),
    ("", "date unknown", "дата неизвестна"),
]


@pytest.mark.parametrize(("text", "english", "russian"), RENDERED)
def test_date_renders_in_english_and_russian(text: str, english: str, russian: str) -> None:
    parsed = parse_date(text)
    assert parsed.render() == english
    assert parsed.render("en") == english
    assert parsed.render("ru") == russian


@pytest.mark.parametrize(("text", "english", "russian"), RENDERED)
def test_rendered_text_reads_back_as_the_same_date(text: str, english: str, russian: str) -> None:
    assert parse_date(english) == parse_date(text)
    assert parse_date(russian) == parse_date(text)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2020-02-30", "February 2020 has 29 days"),
        ("2021-02-29", "February 2021 has 28 days"),
        ("31.04.2020", "April 2020 has 30 days"),
        ("2020-13", "there is no month 13"),
        ("13.2020", "there is no month 13"),
        ("0000", "year 0 is out of range"),
        ("2020-05-06T24:00", "there is no time 24:00"),
        ("2020-02T10:00", "a time of day needs one exact day"),
        ("24 April", "it has no year"),
        ("yesterday", "cannot read it"),
        ("2020/2021/2022", "cannot read it"),
        ("2020-04-28/2020-04-24", "it ends (2020-04-24) before it starts (2020-04-28)"),
        ("28.04-24.04.2020", "it ends (2020-04-24) before it starts (2020-04-28)"),
        ("2020/2020-02", "does not come before its end"),
    ],
)
def test_impossible_or_unreadable_date_is_an_error_naming_the_input(
    value: str, reason: str
) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value, where="persons.yaml: P-0004: birth_date")
    assert caught.value.message.startswith(f'"{value}" is not a date: ')
    assert reason in caught.value.message
    assert caught.value.where == "persons.yaml: P-0004: birth_date"
    assert str(caught.value).startswith("persons.yaml: P-0004: birth_date: ")


def test_exact_error_message_for_a_day_past_the_month_end() -> None:
    with pytest.raises(DateError) as caught:
        parse_date("2020-02-30")
    assert str(caught.value) == '"2020-02-30" is not a date: February 2020 has 29 days'


@pytest.mark.parametrize("value", [0, 10000, True])
def test_out_of_range_or_boolean_value_is_an_error(value: int) -> None:
    with pytest.raises(DateError):
        parse_date(value)


@pytest.mark.parametrize(
    "value",
    ["2020-05-13", "13.05.2020", " 2020-05-13 ", "13 May 2020", date(2020, 5, 13)],
)
def test_to_date_reads_an_exact_day(value: str | date) -> None:
    assert to_date(value) == date(2020, 5, 13)


def test_to_date_drops_the_time_of_a_datetime() -> None:
    assert to_date(datetime.datetime(2020, 5, 13, 10, 30)) == date(2020, 5, 13)


@pytest.mark.parametrize(
    "value", ["2020-05", "2020", "2020-05-13/2020-05-14", "2020-05-13~", "2020-05-13?", ""]
)
def test_to_date_rejects_anything_less_precise_than_a_day(value: str) -> None:
    with pytest.raises(DateError) as caught:
        to_date(value, where="--as-of")
    assert f'"{value}"' in caught.value.message
    assert caught.value.where == "--as-of"


def test_to_date_passes_through_impossible_day_errors() -> None:
    with pytest.raises(DateError, match="February 2020 has 29 days"):
        to_date("30.02.2020")


@pytest.mark.parametrize(
    "written",
    ["../2020-05-06", "by 6 May 2020", "no later than 06.05.2020", "не позднее 6 мая 2020"],
)
def test_on_or_before_date_is_open_at_the_start(written: str) -> None:
    d = parse_date(written)
    assert d.text == "../2020-05-06"
    assert (d.earliest, d.latest, d.precision) == (
        datetime.date.min,
        datetime.date(2020, 5, 6),
        "before",
    )
    assert d.render("en") == "by 6 May 2020"
    assert d.render("ru") == "не позднее 6 мая 2020 г."
    assert parse_date(d.render("ru")) == d and parse_date(d.render("en")) == d


def test_on_or_before_a_month_renders_in_the_genitive() -> None:
    d = parse_date("../2020-05")
    assert (d.latest, d.render("ru"), d.render("en")) == (
        datetime.date(2020, 5, 31),
        "не позднее мая 2020 г.",
        "by May 2020",
    )


def test_on_or_before_takes_one_plain_date() -> None:
    with pytest.raises(DateError, match="one plain date"):
        parse_date("../2020-05-01/2020-05-06")
