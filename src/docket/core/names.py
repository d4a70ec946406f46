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
"""

from __future__ import annotations

import re
import unicodedata

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
    key = _latin(text)
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
