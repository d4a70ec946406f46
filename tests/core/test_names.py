"""Transliteration keys: spellings of one name meet, different names stay apart."""

from __future__ import annotations

import pytest

from docket.core.names import (
    ParsedName,
    cyrillic_candidates,
    initials_compatible,
    jaro_winkler,
    latin_keys,
    name_keys,
    nominative,
    nominative_forms,
    parse_name,
    phonetic_key,
    same_surname,
    script,
    surname_similarity,
    translit_key,
    words,
)


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Дауров", "Daurov"),
        ("Хусейзов", "Khuseizov"),
        ("Хусейзов", "Khuseyzov"),
        ("Хусезова", "Khusezova"),
        ("Юхну", "Yukhnu"),
        ("Юхну", "Iukhnu"),
        ("Абдукерим", "Abdukerim"),
        ("Цешанло", "Tseshanlo"),
        ("Уйширов", "Uyshirov"),
        ("Леджер", "Ledzher"),
        ("Жумабек", "Jumabek"),
        ("Ерса", "Ersa"),
        ("Сергеевич", "Sergeyevich"),
        ("Қайрат", "Kairat"),  # Kazakh letters
    ],
)
def test_spellings_of_one_name_meet(cyrillic: str, latin: str) -> None:
    assert translit_key(cyrillic) == translit_key(latin)


def test_latin_spelling_variants_meet() -> None:
    assert translit_key("Khuseizov") == translit_key("Khusezova")
    assert translit_key("Xusein") == translit_key("Khusein") == translit_key("Husein")
    assert translit_key("Daurova") == translit_key("Daurov")
    assert translit_key("Tsoi") == translit_key("Coi")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Daurov", "Maurov"),
        ("Дауров", "Харсанов"),
        ("Yukhnu", "Yunhu"),
        ("Юхну", "Юнху"),
        ("Hizhin", "Kimurov"),
        ("Lohash", "Lugmar"),
        ("Жумабек", "Юмабек"),
    ],
)
def test_different_names_stay_different(one: str, other: str) -> None:
    assert translit_key(one) != translit_key(other)


def test_keys_are_latin_letters_and_digits_only() -> None:
    assert translit_key("«Дауров»,") == "daurov"
    assert translit_key("Ёлкин") == translit_key("Елкин")
    assert translit_key("") == ""


def test_name_keys_give_one_key_per_word() -> None:
    assert name_keys("Ersa Daurov") == ["ersa", "daurov"]
    assert name_keys("Эрса Дауров") == ["ersa", "daurov"]
    assert name_keys("Ts. Khusezova") == ["c", "husezov"]
    assert words("Дауров, «Ёлкин» E-12") == ["дауров", "елкин", "e", "12"]


# --- Name forms (issue 9, part 1) ---------------------------------------------------------------


def test_script_detection() -> None:
    assert script("Дауров") == "Cyrl"
    assert script("Қайрат Нұрланов") == "Cyrl"
    assert script("Daurov") == "Latn"
    assert script("Ersa Дауров") == "mixed"
    assert script("E. Yukhnu, 1971") == "Latn"
    assert script("— 12, ") == ""


def test_latin_keys_apply_every_scheme() -> None:
    keys = latin_keys("Юхну")
    assert {"iuhnu", "juhnu"} == keys  # ICAO/BGN/Wikipedia/GOST 7.79 (ûhnu), scholarly (juxnu)
    assert latin_keys("Жумабек") == {"jumabek"}  # GOST's ž is zh, not z
    assert latin_keys("Цешанло") == {"ceshanlo"}  # GOST's c and š
    assert latin_keys("Yukhnu") == {"iuhnu"}
    assert latin_keys("Iukhnu") == {"iuhnu"}
    assert latin_keys("Дауров") == latin_keys("Daurov") == {"daurov"}
    assert latin_keys("Эрса Дауров") == {"ersa daurov"}
    assert latin_keys("") == set()


def test_latin_keys_of_schemes_differ_where_the_schemes_do() -> None:
    # BGN/PCGN writes initial е as "ye"; the fold turns initial "ie" into "e", so they still meet
    assert latin_keys("Ерсе") == {"erse"}
    # GOST and the scholarly system write й as j, which the fold reads as zh: a separate key
    assert "husejzov" in latin_keys("Хусейзов")
    assert translit_key("Khuseyzov") in latin_keys("Хусейзов")


@pytest.mark.parametrize(
    ("kazakh", "latin"),
    [
        ("Қайрат", "Kairat"),
        ("Әлия", "Aliya"),
        ("Ғани", "Gani"),
        ("Өмір", "Omir"),
        ("Ұлан", "Ulan"),
        ("Үміт", "Umit"),
        ("Һашим", "Hashim"),
        ("Серікұлы", "Serikuly"),
        ("Нұрланов", "Nurlanov"),
    ],
)
def test_kazakh_letters_meet_their_latin_spelling(kazakh: str, latin: str) -> None:
    keys = latin_keys(kazakh)
    assert all(k.isascii() for k in keys)
    assert latin_keys(latin) <= keys


def test_yunhu_and_yukhnu_do_not_share_a_key_but_are_close() -> None:
    # Юнху is Yunhu under every scheme; "Yukhnu" has the n and the kh the other way round.
    assert same_surname("Юнху", "Yunhu")
    assert not same_surname("Юнху", "Yukhnu")
    assert not latin_keys("Юнху") & latin_keys("Yukhnu")
    assert surname_similarity("Юнху", "Yukhnu") > 0.9
    assert surname_similarity("Юнху", "Daurov") < 0.6


def test_surname_similarity() -> None:
    assert surname_similarity("Дауров", "Daurov") == 1.0
    assert surname_similarity("Даурову", "Daurov") == 1.0  # case ending undone
    assert surname_similarity("Yukhnu", "Yukhu") > 0.9
    assert surname_similarity("Yukhnu", "Yukhu") < 1.0
    assert surname_similarity("Daurov", "Hizhin") < 0.6
    assert surname_similarity("", "Daurov") == 0.0
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.9611, abs=1e-4)
    assert jaro_winkler("abc", "xyz") == 0.0


def test_cyrillic_candidates() -> None:
    assert cyrillic_candidates("Yukhnu") == {"Юхну", "Юкхну"}
    assert cyrillic_candidates("Daurov") == {"Дауров"}
    assert cyrillic_candidates("Ersa") == {"Эрса", "Ерса"}
    assert "Хусейзов" in cyrillic_candidates("Khuseizov")
    assert "Цой" in cyrillic_candidates("Tsoi")
    assert "Жумабек" in cyrillic_candidates("Zhumabek")
    assert "Юнху" in cyrillic_candidates("Yunhu")
    assert cyrillic_candidates("") == set()


def test_cyrillic_candidates_are_small_and_deterministic() -> None:
    many = cyrillic_candidates("Khuseizov Tsoi")
    assert many == cyrillic_candidates("Khuseizov Tsoi")
    assert 1 <= len(many) <= 12
    assert all(len(c) <= 6 or " " in c for c in cyrillic_candidates("Chzhan"))
    for candidate in cyrillic_candidates("Khuseizov"):
        assert translit_key(candidate) == translit_key("Khuseizov") or "кх" in candidate.lower()


@pytest.mark.parametrize(
    ("declined", "nominative_form"),
    [
        ("Даурову", "Дауров"),
        ("Дауровым", "Дауров"),
        ("Даурове", "Дауров"),
        ("Дауровых", "Дауров"),
        ("Дауровой", "Даурова"),
        ("Хижину", "Хижин"),
        ("Хижиным", "Хижин"),
        ("Маратовича", "Маратович"),
        ("Маратовичем", "Маратович"),
        ("Маратовны", "Маратовна"),
        ("Ильиничной", "Ильинична"),
        ("Ковальского", "Ковальский"),
        ("Ковальской", "Ковальская"),
        ("ДАУРОВУ", "ДАУРОВ"),
    ],
)
def test_nominative_reduces_marked_endings(declined: str, nominative_form: str) -> None:
    assert nominative(declined) == nominative_form
    assert nominative_form in nominative_forms(declined)


@pytest.mark.parametrize(
    "word", ["Юнху", "Эрсе", "Ерсе", "Эрса", "Даурова", "Дауров", "Марат", "Daurovu", "Серікұлы"]
)
def test_nominative_keeps_what_may_be_a_nominative(word: str) -> None:
    assert nominative(word) == word


def test_nominative_forms_show_the_ambiguity() -> None:
    assert nominative_forms("Даурова") == {"Даурова", "Дауров"}  # a woman, or a man's genitive
    assert nominative_forms("Даурову") == {"Даурову", "Дауров", "Даурова"}
    assert {"Эрсе", "Эрса"} <= nominative_forms("Эрсе")  # Эрсе, or the dative of Эрса
    assert {"Ерсе", "Ерса"} <= nominative_forms("Ерсе")
    assert "Марат" in nominative_forms("Марату")
    assert "Эрса" in nominative_forms("Эрсой")
    assert "Юнху" in nominative_forms("Юнху")
    assert nominative_forms("Yukhnu") == {"Yukhnu"}


def test_parse_initials_and_surname() -> None:
    assert parse_name("E. Yukhnu") == ParsedName("E. Yukhnu", surname="Yukhnu", initials=("E",))
    assert parse_name("Yukhnu E.").surname == "Yukhnu"
    comma = parse_name("Yukhnu, M.")
    assert (comma.surname, comma.initials, comma.given) == ("Yukhnu", ("M",), ())
    kh = parse_name("Kh. Daurov")
    assert (kh.surname, kh.initials) == ("Daurov", ("Kh",))
    two = parse_name("М.А. Юнху")
    assert (two.surname, two.initials) == ("Юнху", ("М", "А"))
    assert parse_name("Юнху").surname == "Юнху"


def test_parse_order() -> None:
    assert parse_name("Ersa Daurov").surname == "Daurov"
    assert parse_name("Эрса Дауров").given == ("Эрса",)
    assert parse_name("Дауров Эрса").surname == "Дауров"  # -ов marks the surname
    assert parse_name("ДАУРОВ Эрса").surname == "Дауров"  # capitals mark it too
    assert parse_name("Daurov, Ersa").given == ("Ersa",)
    assert parse_name("Bekir Daurov").given == ("Bekir",)


def test_parse_reduces_a_declined_surname() -> None:
    parsed = parse_name("Эрсе Даурову")
    assert (parsed.surname, parsed.given) == ("Дауров", ("Эрсе",))
    assert parse_name("гражданину Хижину").surname == "Хижин"  # a title in the dative goes too
    assert parse_name("гражданину Хижину Исмару").given == ("Исмару",)  # given names as written
    assert parse_name("гражданин Хижин Исмар").surname == "Хижин"


@pytest.mark.parametrize(
    ("text", "surname", "given", "patronymic"),
    [
        ("Дауров Эрса Маратович", "Дауров", ("Эрса",), "Маратович"),
        ("Эрса Маратович Дауров", "Дауров", ("Эрса",), "Маратович"),
        ("Даурова Айгуль Маратовна", "Даурова", ("Айгуль",), "Маратовна"),
        ("Даурову Эрсе Маратовичу", "Дауров", ("Эрсе",), "Маратович"),
        ("Айдос Серікұлы Нұрланов", "Нұрланов", ("Айдос",), "Серікұлы"),
        ("Нұрланов Айдос Серікұлы", "Нұрланов", ("Айдос",), "Серікұлы"),
        ("Айгерим Болаткызы Жумабекова", "Жумабекова", ("Айгерим",), "Болаткызы"),
        ("Sergei Ivanovich Petrov", "Petrov", ("Sergei",), "Ivanovich"),
    ],
)
def test_parse_patronymics(
    text: str, surname: str, given: tuple[str, ...], patronymic: str
) -> None:
    parsed = parse_name(text)
    assert (parsed.surname, parsed.given, parsed.patronymic) == (surname, given, patronymic)


@pytest.mark.parametrize(
    "text",
    [
        "г-н Эрса Дауров",
        "г-жа Эрса Дауров",
        "гражданин Эрса Дауров",
        "господин Эрса Дауров",
        "Mr Ersa Daurov",
        "Mr. Ersa Daurov",
        "Dr. Ersa Daurov",
        "Prof Ersa Daurov",
    ],
)
def test_titles_are_dropped(text: str) -> None:
    parsed = parse_name(text)
    assert len(parsed.given) == 1
    assert translit_key(parsed.given[0]) == "ersa"
    assert translit_key(parsed.surname) == "daurov"


def test_initials_compatible_across_scripts_both_ways() -> None:
    m_yukhnu, marat = parse_name("M. Yukhnu"), parse_name("Марат Юнху")
    ersmane = parse_name("Эрсмане Юнху")
    assert initials_compatible(m_yukhnu, marat)
    assert initials_compatible(marat, m_yukhnu)
    assert not initials_compatible(m_yukhnu, ersmane)
    assert not initials_compatible(ersmane, m_yukhnu)
    assert not initials_compatible(marat, ersmane)


def test_initials_compatible_cases() -> None:
    p = parse_name
    assert initials_compatible(p("E. Yukhnu"), p("E. Yukhu"))
    assert initials_compatible(p("Kh. Daurov"), p("Х. Дауров"))
    assert initials_compatible(p("Kh. Daurov"), p("Хасан Дауров"))
    assert not initials_compatible(p("Kh. Daurov"), p("Bekir Daurov"))  # the pair
    assert not initials_compatible(p("Ismar Hizhin"), p("Muharme Hizhin"))
    assert initials_compatible(p("Ersa Daurov"), p("Эрса Дауров"))
    assert initials_compatible(p("Ersa Daurov"), p("Эрсе Даурову"))  # the dative of Эрса
    assert initials_compatible(p("Yu. Daurov"), p("Юсуп Дауров"))
    assert initials_compatible(p("Daurov"), p("Эрса Дауров"))  # nothing to contradict
    assert initials_compatible(p("М.А. Юнху"), p("Марат Юнху"))
    assert not initials_compatible(p("Дауров Эрса Маратович"), p("Дауров Эрса Бекирович"))
    assert initials_compatible(p("Дауров Эрса Маратович"), p("Эрсе Маратовичу Даурову"))


def test_full_given_names_must_share_a_key() -> None:
    # Erse and Ersa differ by a letter in Latin: no key joins them here; scoring (issue 9 part 2)
    # weighs that by similarity. In Cyrillic, «Эрсе» may be the dative of «Эрса» and agrees.
    assert not initials_compatible(parse_name("Erse Daurov"), parse_name("Ersa Daurov"))
    assert initials_compatible(parse_name("Эрсе Дауров"), parse_name("Ersa Daurov"))


def test_phonetic_key() -> None:
    assert phonetic_key("Yukhnu") == phonetic_key("Iukhnu") == phonetic_key("Юхну") == "uhn"
    assert phonetic_key("Daurov") == phonetic_key("Дауров") == phonetic_key("Daurova")
    assert phonetic_key("Ersa") == phonetic_key("Erse") == phonetic_key("Эрсе") == "ers"
    assert phonetic_key("Tsoi") == phonetic_key("Цой")
    assert phonetic_key("Zhumabek") == phonetic_key("Jumabek") == phonetic_key("Жумабек")
    assert phonetic_key("Khuseizov") == phonetic_key("Husezova")
    assert phonetic_key("Ersa Daurov") == "ers trv"
    assert phonetic_key("Daurov") != phonetic_key("Hizhin")
    assert phonetic_key("Yukhnu") != phonetic_key("Yunhu")  # not a phonetic rule: see docs
    assert phonetic_key("") == ""


def test_existing_keys_unchanged_by_the_new_functions() -> None:
    assert translit_key("Қайрат") == translit_key("Kairat") == "karat"
    assert name_keys("Эрса Дауров") == ["ersa", "daurov"]


def test_docstring_examples_hold() -> None:
    import doctest

    import docket.core.names

    result = doctest.testmod(docket.core.names)
    assert result.attempted >= 20
    assert result.failed == 0
