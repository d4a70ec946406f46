"""Transliteration keys: one spelling-independent key per name, whatever the script.

The same person is written «Дауров» in a Russian source and "Daurov" in an English one, and
English sources disagree among themselves ("Khuseizov" / "Khusezova", "Yukhnu" / "Iukhnu").
``translit_key`` reduces a word to a key on which such variants meet:

1. lower case; «ё» is «е»; the hard and soft signs go; letters of Kazakh and Dungan Cyrillic
   become their nearest Russian letter (ә→а, қ→к, ң→н, ү→у, җ→дж …);
2. Cyrillic is transliterated to Latin with the ``iuliia`` package's Wikipedia schema (the
   system English-language sources mostly follow; a maintained library, pinned, rather than a
   hand-written table);
3. diacritics and everything that is not a letter or a digit go;
4. spelling variants are folded: dzh/zh/dj → j, shch/sch → sh, kh/x → h, ts/tz → c, q → k,
   w → v, y → i, «ie» after a vowel or at the start → e, a vowel's trailing i before a consonant
   goes (Khuseyzov, Khuseizov, Khusezov meet), doubled letters collapse, and a final feminine
   -ova/-eva becomes -ov/-ev.

The key is a matching device, never shown: it is lossy on purpose (x, as in Alexander, is read
as the Uzbek/Dungan x = kh). Pure Python, no Django.

Beside it, the name forms that person resolution builds on (docs/names.md): ``script``;
``latin_keys`` (keys under several transliteration schemes at once); ``cyrillic_candidates``;
``nominative`` and ``nominative_forms`` (Russian case endings); ``parse_name`` and
``ParsedName``; ``initials_compatible``; ``same_surname`` and ``surname_similarity``;
``phonetic_key``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

import iuliia  # type: ignore[import-untyped]

_PRE = str.maketrans(
    {
        "ё": "е",
        "ъ": "",
        "ь": "",
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ў": "у",
        "ї": "и",
        "є": "е",
        "ґ": "г",
    }
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_FOLDS = (
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("shch", "sh"),
    ("sch", "sh"),
    ("kh", "h"),
    ("x", "h"),
    ("tch", "ch"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
)
_IE = re.compile(r"(^|[aeiou])ie")
_VOWEL_I = re.compile(r"([aeou])i(?=[^aeiou])")
_DOUBLE = re.compile(r"(.)\1+")
_FEMININE = re.compile(r"(ov|ev)a$")
_WORD = re.compile(r"[^\W_]+")


def _latin(text: str) -> str:
    text = text.casefold().replace("җ", "дж").translate(_PRE)
    if _CYRILLIC.search(text):
        text = iuliia.WIKIPEDIA.translate(text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def translit_key(text: str) -> str:
    """A script-independent matching key: «Дауров» and "Daurov" both give "daurov"."""
    return _fold(_latin(text))


def _fold(key: str) -> str:
    """Step 4 of ``translit_key`` on an ASCII lower-case string."""
    for old, new in _FOLDS:
        key = key.replace(old, new)
    key = _IE.sub(r"\1e", key)
    key = _VOWEL_I.sub(r"\1", key)
    key = _DOUBLE.sub(r"\1", key)
    return _FEMININE.sub(r"\1", key)


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, any script), in lower case."""
    return _WORD.findall(text.casefold().replace("ё", "е"))


def name_keys(text: str) -> list[str]:
    """One key per word of a name: "Ersa Daurov" -> ["ersa", "daurov"]."""
    return [k for k in (translit_key(w) for w in words(text)) if k]


# --- Name forms (issue 9, part 1) ---------------------------------------------------------------
# Script detection, keys under several transliteration schemes, Cyrillic candidates for a Latin
# name, nominative forms, parsed names, initials, surname similarity and a phonetic key.
# docs/names.md describes every step with examples and what is not handled.

Script = Literal["Cyrl", "Latn", "mixed", ""]

#: The transliteration schemes ``latin_keys`` applies, by name: passports (ICAO Doc 9303, which
#: Kazakh and Russian passports follow), BGN/PCGN (British and US usage, most English press),
#: GOST 7.79 (system B, Russian libraries), the scholarly system and Wikipedia's.
SCHEMES: dict[str, Any] = {
    "icao": iuliia.ICAO_DOC_9303,
    "bgn_pcgn": iuliia.BGN_PCGN,
    "gost_779": iuliia.GOST_779,
    "scientific": iuliia.SCIENTIFIC,
    "wikipedia": iuliia.WIKIPEDIA,
}


def script(text: str) -> Script:
    """The script of the letters of ``text``: "Cyrl", "Latn", "mixed", or "" without letters.

    >>> script("Дауров"), script("Daurov"), script("Дауров (Daurov)"), script("12 —")
    ('Cyrl', 'Latn', 'mixed', '')
    >>> script("Қайрат")
    'Cyrl'
    """
    found: set[str] = set()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CYRILLIC"):
            found.add("Cyrl")
        elif name.startswith("LATIN"):
            found.add("Latn")
        else:
            found.add("other")
    if not found:
        return ""
    if len(found) > 1:
        return "mixed"
    only = found.pop()
    return "Cyrl" if only == "Cyrl" else "Latn" if only == "Latn" else "mixed"


# Letters of GOST 7.79 (system A) and the scholarly system, read as the digraphs English
# sources write, before diacritics are stripped (else ž would become z, š s, č c).
_DIACRITIC_LETTERS = str.maketrans(
    {
        "č": "ch",
        "š": "sh",
        "ž": "zh",
        "ŝ": "shch",
        "û": "yu",
        "â": "ya",
        "ë": "yo",
        "ʺ": "",
        "ʹ": "",
    }
)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFC", text.casefold()).translate(_DIACRITIC_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def _word_keys(word: str) -> set[str]:
    """Folded keys of one word under every scheme (one key for a Latin word)."""
    lowered = word.casefold()
    if not _CYRILLIC.search(lowered):
        key = _fold(_ascii(lowered))
        return {key} if key else set()
    prepared = lowered.replace("җ", "дж").translate(_PRE)
    keys = {_fold(_ascii(schema.translate(prepared))) for schema in SCHEMES.values()}
    return {k for k in keys if k}


def latin_keys(text: str) -> set[str]:
    """Comparable Latin keys of a name under every scheme in ``SCHEMES``.

    Cyrillic is transliterated by each scheme (Kazakh letters first become their nearest Russian
    letter: ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и), the schemes' letters with diacritics
    become digraphs (č→ch, š→sh, ž→zh, û→yu …) and each result is folded as ``translit_key``
    folds; Latin text gives its own folded key. A name of several words gives
    keys of the words joined by a space, one per scheme.

    >>> sorted(latin_keys("Юхну"))
    ['iuhnu', 'juhnu']
    >>> latin_keys("Yukhnu") <= latin_keys("Юхну")
    True
    >>> sorted(latin_keys("Қайрат"))
    ['kajrat', 'karat']
    >>> sorted(latin_keys("Эрса Дауров"))
    ['ersa daurov']
    """
    parts = words(text)
    if not parts:
        return set()
    if len(parts) == 1:
        return _word_keys(parts[0])
    out: set[str] = set()
    for schema in SCHEMES.values():
        keyed = []
        for part in parts:
            if _CYRILLIC.search(part):
                prepared = part.replace("җ", "дж").translate(_PRE)
                keyed.append(_fold(_ascii(schema.translate(prepared))))
            else:
                keyed.append(_fold(_ascii(part)))
        joined = " ".join(k for k in keyed if k)
        if joined:
            out.add(joined)
    return out


# Latin → Cyrillic: units (longest first) and their readings, most likely first.
_TO_CYRILLIC: dict[str, tuple[str, ...]] = {
    "shch": ("щ",),
    "dzh": ("дж",),
    "sch": ("щ", "ш"),
    "zh": ("ж",),
    "kh": ("х", "кх"),
    "ts": ("ц", "тс"),
    "tz": ("ц",),
    "ch": ("ч",),
    "sh": ("ш",),
    "yu": ("ю",),
    "iu": ("ю",),
    "ju": ("ю",),
    "ya": ("я",),
    "ia": ("я",),
    "ja": ("я",),
    "yo": ("ё",),
    "jo": ("ё",),
    "ye": ("е",),
    "je": ("е",),
    "ph": ("ф",),
    "a": ("а",),
    "b": ("б",),
    "c": ("ц", "к"),
    "d": ("д",),
    "e": ("е",),
    "f": ("ф",),
    "g": ("г",),
    "h": ("х",),
    "i": ("и",),
    "j": ("дж", "ж"),
    "k": ("к",),
    "l": ("л",),
    "m": ("м",),
    "n": ("н",),
    "o": ("о",),
    "p": ("п",),
    "q": ("к",),
    "r": ("р",),
    "s": ("с",),
    "t": ("т",),
    "u": ("у",),
    "v": ("в",),
    "w": ("в", "у"),
    "x": ("х", "кс"),
    "y": ("ы", "и"),
    "z": ("з",),
}
_UNITS = sorted(_TO_CYRILLIC, key=len, reverse=True)
_LATIN_VOWELS = set("aeiouy")
_CANDIDATES_PER_WORD = 6


def _readings(word: str) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        unit = next((u for u in _UNITS if word.startswith(u, i)), None)
        if unit is None:  # a letter with no reading (digit, apostrophe): dropped
            i += 1
            continue
        readings = _TO_CYRILLIC[unit]
        after_vowel = i > 0 and word[i - 1] in _LATIN_VOWELS
        if unit == "e" and i == 0:
            readings = ("э", "е")
        elif unit == "y" and (after_vowel or i == 0):
            readings = ("й",)
        elif unit == "i" and after_vowel:
            readings = ("й", "и")
        out.append(readings)
        i += len(unit)
    return out


def _cyrillic_word(word: str) -> list[str]:
    lowered = _ascii(word)
    if not lowered:
        return []
    spelled = ["".join(p) for p in itertools.product(*_readings(lowered))]
    spelled = list(dict.fromkeys(spelled))[:_CANDIDATES_PER_WORD]
    if word[:1].isupper():
        spelled = [s[:1].upper() + s[1:] for s in spelled]
    return spelled


def cyrillic_candidates(latin: str) -> set[str]:
    """A few plausible Cyrillic spellings of a Latin name, to search Cyrillic sources with.

    Deterministic and small: at most six spellings a word (the most likely readings first:
    kh→х before кх, initial e→э before е, y after a vowel→й), the words' spellings combined in
    order. Capitalised words stay capitalised.

    >>> sorted(cyrillic_candidates("Yukhnu"))
    ['Юкхну', 'Юхну']
    >>> cyrillic_candidates("Daurov")
    {'Дауров'}
    >>> sorted(cyrillic_candidates("Ersa"))
    ['Ерса', 'Эрса']
    """
    per_word = [_cyrillic_word(w) for w in latin.split()]
    per_word = [w for w in per_word if w]
    if not per_word:
        return set()
    combined = (" ".join(c) for c in itertools.product(*per_word))
    return set(itertools.islice(combined, _CANDIDATES_PER_WORD * len(per_word)))


# Nominative: (ending, replacements) — the first replacement is the reading ``nominative``
# takes; ``nominative_forms`` keeps them all. Surname stems: -ов/-ев/-ёв/-ин/-ын.
_STEMS = ("ов", "ев", "ёв", "ин", "ын")
_SURNAME_RULES: list[tuple[str, tuple[str, ...]]] = []
for _stem in _STEMS:
    _SURNAME_RULES += [
        (_stem + "ым", (_stem,)),  # Дауровым: instrumental (man)
        (_stem + "ых", (_stem,)),  # Дауровых: plural genitive («братьев Дауровых»)
        (_stem + "ы", (_stem,)),  # Дауровы: plural
        (_stem + "ой", (_stem + "а",)),  # Дауровой: oblique cases (woman)
        (_stem + "ому", (_stem,)),  # rare adjectival dative
        (_stem + "у", (_stem, _stem + "а")),  # Даурову: dative (man) or accusative (woman)
        (_stem + "е", (_stem,)),  # о Даурове: prepositional (man)
    ]
_PATRONYMIC_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("вичем", ("вич",)),
    ("вича", ("вич",)),
    ("вичу", ("вич",)),
    ("виче", ("вич",)),
    ("вны", ("вна",)),
    ("вне", ("вна",)),
    ("вну", ("вна",)),
    ("вной", ("вна",)),
    ("ичны", ("ична",)),
    ("ичне", ("ична",)),
    ("ичну", ("ична",)),
    ("ичной", ("ична",)),
]
_ADJECTIVAL_RULES: list[tuple[str, tuple[str, ...]]] = [
    (stem + end, (stem + nom,))
    for stem in ("ск", "цк")
    for end, nom in (
        ("ого", "ий"),
        ("ому", "ий"),
        ("им", "ий"),
        ("ом", "ий"),
        ("ой", "ая"),
        ("ую", "ая"),
    )
]
_MARKED_RULES = sorted(
    _PATRONYMIC_RULES + _ADJECTIVAL_RULES + _SURNAME_RULES, key=lambda r: len(r[0]), reverse=True
)
_CYR_VOWELS = set("аеёиоуыэюя")


def _match_case(form: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return form.upper()
    if like[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def nominative_forms(word: str) -> set[str]:
    """Every nominative a Cyrillic name word may be a case form of, the word itself included.

    Marked endings (surnames in -ов/-ев/-ин/-ын, -ский/-цкий, patronymics) are reduced by rule;
    for other words the generic endings of a declined given name are undone as candidates
    (Марату → Марат, Эрсе → Эрса), the word itself always kept: a Dungan name such as Юнху or
    Эрсе may be a nominative. Latin words are returned as they are.

    >>> sorted(nominative_forms("Даурову"))
    ['Дауров', 'Даурова', 'Даурову']
    >>> sorted(nominative_forms("Даурова"))
    ['Дауров', 'Даурова']
    >>> sorted(nominative_forms("Эрсе"))
    ['Эрс', 'Эрса', 'Эрсе']
    """
    forms = {word}
    lower = word.casefold()
    if not _CYRILLIC.search(lower) or len(lower) < 3:
        return forms
    for ending, replacements in _MARKED_RULES:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            base = lower[: -len(ending)]
            forms |= {_match_case(base + r, word) for r in replacements}
            return forms
    for stem in _STEMS:  # Даурова: the feminine nominative, or the man's genitive
        if lower.endswith(stem + "а") and len(lower) > len(stem) + 2:
            forms.add(_match_case(lower[:-1], word))
            return forms
    last, before = lower[-1], lower[-2]
    if lower.endswith(("ом", "ой")) and lower[-3] not in _CYR_VOWELS:  # Маратом, Эрсой
        forms.add(_match_case(lower[:-2] + ("" if last == "м" else "а"), word))
        return forms
    if before in _CYR_VOWELS:
        return forms
    base = lower[:-1]
    if last in "ау":  # Марата, Марату
        forms.add(_match_case(base, word))
    elif last == "е":  # Марате, Эрсе
        forms |= {_match_case(base, word), _match_case(base + "а", word)}
    elif last == "ы":  # Эрсы
        forms.add(_match_case(base + "а", word))
    return forms


def nominative(word: str) -> str:
    """The nominative of a Cyrillic name word, changed only where the ending cannot be one.

    Marked case endings are reduced (Даурову, Дауровым, о Даурове → Дауров; Дауровой → Даурова;
    Маратовича → Маратович; Шевченко stays). A word that may itself be a nominative stays:
    Даурова (a woman, or a man's genitive — see ``nominative_forms``), Юнху, Эрсе, Марату
    (no lexicon says Марат is not Марату).

    >>> nominative("Даурову"), nominative("Дауровым"), nominative("Даурова"), nominative("Юнху")
    ('Дауров', 'Дауров', 'Даурова', 'Юнху')
    """
    lower = word.casefold()
    if not _CYRILLIC.search(lower):
        return word
    for ending, replacements in _MARKED_RULES:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            return _match_case(lower[: -len(ending)] + replacements[0], word)
    return word


_TITLES = frozenset(
    {
        "г-н",
        "г-жа",
        "гн",
        "гжа",
        "гр",
        "гражданин",
        "гражданка",
        "гражданина",
        "гражданину",
        "гражданином",
        "гражданки",
        "гражданке",
        "господина",
        "господину",
        "госпожи",
        "госпоже",
        "господин",
        "госпожа",
        "мистер",
        "миссис",
        "доктор",
        "проф",
        "профессор",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "madam",
        "citizen",
        "mister",
    }
)
_PATRONYMIC = re.compile(
    r"(ович|евич|овна|евна|ична|ovich|evich|ovna|evna|ichna|ovic|evic|улы|ұлы|кызы|қызы|uly|uli|kyzy|kizi|qyzy)$"
)
_SURNAME_LIKE = re.compile(
    r"(ов|ев|ёв|ин|ын|ова|ева|ина|ына|ский|цкий|ская|цкая|ov|ev|in|yn|ova|eva|ina|sky|skiy|skii|skaya)$"
)
_INITIALS = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{0,2}$|^[^\W\d_]$")


@dataclass(frozen=True)
class ParsedName:
    """A name taken apart: given names, initials, surname and patronymic, titles dropped.

    ``given`` and ``patronymic`` are as written (the surname is reduced with ``nominative``);
    ``initials`` are the explicit initials in order, without dots ("Kh." → "Kh").
    """

    text: str
    surname: str = ""
    given: tuple[str, ...] = ()
    initials: tuple[str, ...] = ()
    patronymic: str = ""

    @property
    def first(self) -> str:
        """The first given name, or its initial: what ``initials_compatible`` compares."""
        return self.given[0] if self.given else self.initials[0] if self.initials else ""


def _split_initials(token: str) -> list[str]:
    return [p for p in token.split(".") if p]


def parse_name(text: str) -> ParsedName:
    """Take a written name apart.

    Titles go ("г-н", "Mr", "Dr", "гражданин" …). "Surname, Given" is read by its comma;
    a patronymic (-ович/-евич/-овна/-евна/-ична, Kazakh -улы/-кызы) fixes Russian order
    (Дауров Эрса Маратович or Эрса Маратович Дауров); with initials the full word is the surname
    ("M. Yukhnu", "Yukhnu M."); otherwise the last word is the surname unless the first word
    looks like one (-ов/-ева/-ин/-ский …) and the last does not, or the first is in capitals.

    >>> parse_name("г-н Даурову Эрсе").surname
    'Дауров'
    >>> p = parse_name("Yukhnu, M.")
    >>> p.surname, p.initials
    ('Yukhnu', ('M',))
    >>> parse_name("Эрса Маратович Дауров").patronymic
    'Маратович'
    """
    raw = text.strip()
    comma_surname = ""
    if "," in raw:
        head, _, tail = raw.partition(",")
        if len(head.split()) == 1:
            comma_surname, raw = head.strip(), tail
    tokens = [t.strip("«»\"'()") for t in raw.split()]
    tokens = [
        t
        for t in tokens
        if t
        and t.casefold().rstrip(".").replace("-", "") not in _TITLES
        and t.casefold().rstrip(".") not in _TITLES
    ]
    initials: list[str] = []
    full: list[str] = []
    patronymic = ""
    initials_first = False
    for token in tokens:
        if _INITIALS.match(token) and (token.endswith(".") or len(token) == 1 or "." in token):
            if not full and not initials:
                initials_first = True
            initials += _split_initials(token)
        elif not patronymic and _PATRONYMIC.search(nominative(token).casefold()):
            patronymic = token
            full.append(token)
        else:
            full.append(token)
    surname = comma_surname
    rest = [t for t in full if t != patronymic] if patronymic else list(full)
    if not surname and rest:
        if patronymic:
            p_at = full.index(patronymic)
            if p_at == len(full) - 1 and len(rest) >= 2:  # Дауров Эрса Маратович
                surname, rest = rest[0], rest[1:]
            else:  # Эрса Маратович Дауров
                surname, rest = rest[-1], rest[:-1]
        elif initials and len(rest) == 1:
            surname, rest = rest[0], []
        elif initials and not initials_first:  # Yukhnu M.
            surname, rest = rest[0], rest[1:]
        elif len(rest) == 1:
            surname, rest = rest[0], []
        elif (rest[0].isupper() and len(rest[0]) > 1 and not rest[-1].isupper()) or (
            _SURNAME_LIKE.search(nominative(rest[0]).casefold())
            and not _SURNAME_LIKE.search(nominative(rest[-1]).casefold())
        ):
            surname, rest = rest[0], rest[1:]
        else:
            surname, rest = rest[-1], rest[:-1]
    surname_nominative = nominative(surname)
    if surname_nominative.isupper() and len(surname_nominative) > 1:
        surname_nominative = surname_nominative.capitalize()
    return ParsedName(
        text=text,
        surname=surname_nominative,
        given=tuple(rest),
        initials=tuple(initials),
        patronymic=nominative(patronymic) if patronymic else "",
    )


def _given_keys(word: str) -> set[str]:
    keys: set[str] = set()
    for form in nominative_forms(word):
        keys |= _word_keys(form)
    return keys


def _agree(one: str, other: str, *, one_initial: bool, other_initial: bool) -> bool:
    ones = _word_keys(one) if one_initial else _given_keys(one)
    others = _word_keys(other) if other_initial else _given_keys(other)
    if not one_initial and not other_initial:
        return bool(ones & others)
    return any(a.startswith(b) or b.startswith(a) for a in ones for b in others)


def initials_compatible(a: ParsedName, b: ParsedName) -> bool:
    """Whether the given names and initials of two names may belong to one person.

    Compared in order, as far as both go: two full names must share a key (their nominative
    forms under every scheme: "Эрсе" agrees with "Ersa"); an initial agrees with a name or an
    initial whose key starts with its own, across scripts ("M." with «Марат», "Kh." with «Х.»).
    A name without given names or initials contradicts nothing. Surnames are not compared here:
    see ``same_surname`` and ``surname_similarity``.

    >>> initials_compatible(parse_name("M. Yukhnu"), parse_name("Марат Юнху"))
    True
    >>> initials_compatible(parse_name("M. Yukhnu"), parse_name("Эрсмане Юнху"))
    False
    """
    ones = [(g, False) for g in a.given] + [(i, True) for i in a.initials]
    others = [(g, False) for g in b.given] + [(i, True) for i in b.initials]
    for (one, one_initial), (other, other_initial) in zip(ones, others, strict=False):
        if not _agree(one, other, one_initial=one_initial, other_initial=other_initial):
            return False
    if a.patronymic and b.patronymic:
        return _agree(a.patronymic, b.patronymic, one_initial=False, other_initial=False)
    return True


def _surname_keys(name: str | ParsedName) -> set[str]:
    word = name.surname if isinstance(name, ParsedName) else name
    keys: set[str] = set()
    for form in nominative_forms(word):
        keys |= latin_keys(form)
    return keys


def same_surname(a: str | ParsedName, b: str | ParsedName) -> bool:
    """Whether two surnames share a key under some scheme (their nominative forms included).

    >>> same_surname("Юнху", "Yunhu"), same_surname("Даурову", "Daurov")
    (True, True)
    >>> same_surname("Юнху", "Yukhnu")
    False
    """
    return bool(_surname_keys(a) & _surname_keys(b))


def jaro_winkler(a: str, b: str) -> float:
    """Jaro–Winkler similarity of two strings, 0..1 (prefix weight 0.1, at most 4 letters).

    >>> round(jaro_winkler("martha", "marhta"), 3)
    0.961
    """
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(len(a), len(b)) // 2 - 1
    matched_b = [False] * len(b)
    a_matches: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not matched_b[j] and b[j] == char:
                matched_b[j] = True
                a_matches.append(char)
                break
    m = len(a_matches)
    if not m:
        return 0.0
    b_matches = [c for c, used in zip(b, matched_b, strict=True) if used]
    transpositions = sum(x != y for x, y in zip(a_matches, b_matches, strict=True)) / 2
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def surname_similarity(a: str | ParsedName, b: str | ParsedName) -> float:
    """Jaro–Winkler similarity of two surnames under the best pair of scheme keys, 0..1.

    1.0 when they share a key (``same_surname``).

    >>> surname_similarity("Дауров", "Daurov")
    1.0
    >>> round(surname_similarity("Юнху", "Yukhnu"), 2)
    0.95
    """
    ones, others = _surname_keys(a), _surname_keys(b)
    if not ones or not others:
        return 0.0
    if ones & others:
        return 1.0
    return max(jaro_winkler(x, y) for x in ones for y in others)


_PHONETIC_MERGES = (("ph", "f"), ("ck", "k"), ("g", "k"), ("z", "s"), ("d", "t"), ("b", "p"))
_LEADING_GLIDE = re.compile(r"^[ij](?=[aeou])")
_VOWELS_AFTER_FIRST = re.compile(r"(?<=.)[aeiou]")


def phonetic_key(text: str) -> str:
    """A coarse phonetic key for blocking: one code a word, joined by spaces.

    On the folded Latin key (``translit_key``: kh→h, ts→c, zh/dzh→j, y→i, w→v, doubles
    collapsed, -ova→-ov): a leading i/j glide before a vowel goes (Yukhnu, Iukhnu, Юхну → uhnu),
    voiced and voiceless pairs merge (g/k, z/s, d/t, b/p), the vowels after the first letter go
    and repeated letters collapse.

    >>> phonetic_key("Yukhnu"), phonetic_key("Юхну"), phonetic_key("Ersa Daurova")
    ('uhn', 'uhn', 'ers trv')
    """
    codes = []
    for word in words(text):
        key = translit_key(word)
        key = _LEADING_GLIDE.sub("", key)
        for old, new in _PHONETIC_MERGES:
            key = key.replace(old, new)
        key = _VOWELS_AFTER_FIRST.sub("", key)
        key = _DOUBLE.sub(r"\1", key)
        if key:
            codes.append(key)
    return " ".join(codes)
