"""Partial dates: when something happened, as precisely as the record knows it.

A date may be known to the year, month or day, as a range, with a time or a part of the
day, and may be approximate (``1985~``) or uncertain (``2020-03?``). ``parse_date`` reads
the canonical forms of docs/bundle-format.md ("Dates") and common English and Russian
human forms; ``PartialDate.text`` is always the canonical form.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from docket.core.errors import DateError

PRECISIONS = ("unknown", "year", "month", "day", "range", "time", "before")
PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")

_MONTH_NAMES = (  # English, Russian nominative, Russian genitive
    ("January", "январь", "января"),
    ("February", "февраль", "февраля"),
    ("March", "март", "марта"),
    ("April", "апрель", "апреля"),
    ("May", "май", "мая"),
    ("June", "июнь", "июня"),
    ("July", "июль", "июля"),
    ("August", "август", "августа"),
    ("September", "сентябрь", "сентября"),
    ("October", "октябрь", "октября"),
    ("November", "ноябрь", "ноября"),
    ("December", "декабрь", "декабря"),
)
_EN_MONTHS = tuple(row[0] for row in _MONTH_NAMES)
_RU_NOMINATIVE = tuple(row[1] for row in _MONTH_NAMES)
_RU_GENITIVE = tuple(row[2] for row in _MONTH_NAMES)
_MONTH_WORDS: dict[str, int] = {"sept": 9}
for _number, (_en, _nom, _gen) in enumerate(_MONTH_NAMES, start=1):
    _MONTH_WORDS.update(dict.fromkeys((_en.lower(), _en[:3].lower(), _nom, _gen), _number))

_RU_PARTS = {"morning": "утром", "afternoon": "днём", "evening": "вечером", "night": "ночью"}
_PART_WORDS = {p: p for p in PARTS_OF_DAY} | {w: p for p, w in _RU_PARTS.items()}
_PART_WORDS["днем"] = "afternoon"
_UNKNOWN_WORDS = ("", "unknown", "date unknown", "неизвестно", "дата неизвестна")
_FLAG_SUFFIXES = (
    ("(uncertain)", False, True),
    ("(не точно)", False, True),
    ("(?)", False, True),
    ("%", True, True),
    ("~", True, False),
    ("?", False, True),
)
_READ_HINT = "cannot read it; write e.g. 2020-02-08, 2020-02, 2020 or 2020-04-24/2020-04-28"

_PART_SUFFIX = re.compile(r"[\s,]+(" + "|".join(_PART_WORDS) + r")$")
_PART_PREFIX = re.compile(r"(" + "|".join(PARTS_OF_DAY) + r") of\s+")
# "on or before": EDTF's open start ("../2020-05-06") and its words in both languages.
_BEFORE_PREFIX = re.compile(r"(?:\.\./|by\s+|no later than\s+|не позднее\s+)")
_APPROX_PREFIX = re.compile(r"(?:(?:c|ca|approx)\.\s*|(?:circa|about|около|примерно)\s+)")
_NIGHT_RU = re.compile(r"ночь с (.+) на (.+)")
_TIME = re.compile(r"(?:t|,\s*|\s+)(\d{1,2}):(\d{2})$")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MY = re.compile(r"(\d{1,2})\.(\d{4})")
_DM = re.compile(r"(\d{1,2})(?:\.(\d{1,2}))?\.?")

_Parts = tuple[int | None, int | None, int | None]  # year, month, day as read


@dataclass(frozen=True)
class PartialDate:
    """A date known to some precision; ``text`` is canonical, "" when unknown."""

    text: str
    earliest: datetime.date | None
    latest: datetime.date | None
    precision: str
    approximate: bool = False
    uncertain: bool = False
    time: str | None = None
    part_of_day: str | None = None

    @property
    def known(self) -> bool:
        """True unless this is the unknown date."""
        return self.precision != "unknown"

    def sort_key(self) -> tuple[datetime.date, datetime.date, str, str]:
        """Chronological key: by earliest, then latest, time and text; unknown last."""
        if self.earliest is None or self.latest is None:
            return (datetime.date.max, datetime.date.max, "\uffff", "")
        return (self.earliest, self.latest, self.time or "", self.text)

    def render(self, lang: str = "en") -> str:
        """Human form in ``lang`` ("en" or "ru"; any other language gets English)."""
        ru = lang == "ru"
        if not self.known:
            return "дата неизвестна" if ru else "date unknown"
        core = self.text.split(" ")[0].rstrip("~?%").partition("T")[0]
        if core.startswith("../"):
            end = _Ymd.from_text(core[3:])
            return ("не позднее " if ru else "by ") + _fmt(end, ru, genitive=ru)
        sides = [_Ymd.from_text(t) for t in core.split("/")]
        a, b = sides[0], sides[-1]
        next_day = None not in (a.day, b.day) and (b.bounds()[0] - a.bounds()[0]).days == 1
        night_ru = ru and self.part_of_day == "night" and not self.approximate and next_day
        if night_ru:
            same_month = (a.year, a.month) == (b.year, b.month)
            start = str(a.day) if same_month else _fmt(a, ru, year=a.year != b.year)
            body = f"ночь с {start} на {_fmt(b, ru)}"
        else:
            body = _render_sides(sides, ru, genitive=ru and self.approximate)
        if self.time:
            body += f", {self.time}"
        if self.approximate:
            body = ("около " if ru else "c. ") + body
        if self.part_of_day and not night_ru:
            part = self.part_of_day
            body = f"{body}, {_RU_PARTS[part]}" if ru else f"{part} of {body}"
        if self.uncertain:
            body += " (не точно)" if ru else " (uncertain)"
        return body

    def __str__(self) -> str:
        return self.text


UNKNOWN = PartialDate(text="", earliest=None, latest=None, precision="unknown")


@dataclass(frozen=True)
class _Ymd:
    """One checked end of a date: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def from_text(cls, text: str) -> _Ymd:
        return cls(*(int(n) for n in text.split("-")))

    @property
    def text(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        if self.month is None:
            return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        if self.day is None:
            last = calendar.monthrange(self.year, self.month)[1]
            first = datetime.date(self.year, self.month, 1)
            return first, first.replace(day=last)
        day = datetime.date(self.year, self.month, self.day)
        return day, day


def _fmt(side: _Ymd, ru: bool, *, year: bool = True, genitive: bool = False) -> str:
    """One end in words: "24 April 2020", "апреля 2020 г.", "2020"."""
    year_text = f"{side.year} г." if ru else str(side.year)
    if side.month is None:
        return year_text
    index = side.month - 1
    if side.day is not None:
        words = f"{side.day} {_RU_GENITIVE[index] if ru else _EN_MONTHS[index]}"
    elif ru:
        words = _RU_GENITIVE[index] if genitive else _RU_NOMINATIVE[index]
    else:
        words = _EN_MONTHS[index]
    return f"{words} {year_text}" if year else words


def _render_sides(sides: list[_Ymd], ru: bool, *, genitive: bool) -> str:
    a = sides[0]
    if len(sides) == 1:
        return _fmt(a, ru, genitive=genitive)
    b = sides[1]
    if a.month is None and b.month is None:
        return f"{a.year}–{b.year}" + (" гг." if ru else "")
    if a.day is not None and b.day is not None and (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{_fmt(b, ru)}"
    start = _fmt(a, ru, year=a.year != b.year or a.month is None, genitive=genitive)
    return f"{start} – {_fmt(b, ru, genitive=genitive)}"


def _bad(raw: str, reason: str, where: str) -> DateError:
    return DateError(f'"{raw}" is not a date: {reason}', where=where)


def _read_side(text: str) -> _Parts | None:
    """Read one end without checking it; None when the text is not a date at all."""
    text = re.sub(r"(?<=\d)г", " г", text).strip(" ,")
    numeric = ((_ISO, (1, 2, 3)), (_DMY, (3, 2, 1)), (_MY, (2, 1, 0)), (_DM, (0, 2, 1)))
    for pattern, order in numeric:
        if match := pattern.fullmatch(text):
            found = [match.group(i) if i else None for i in order]
            year, month, day = (int(n) if n else None for n in found)
            return year, month, day
    year = month = day = None
    for token in re.split(r"[\s,]+", text):
        token = token.rstrip(".")
        if token in ("г", "гг", "год", "года"):
            continue
        if token in _MONTH_WORDS and month is None:
            month = _MONTH_WORDS[token]
        elif re.fullmatch(r"\d{1,2}", token) and day is None:
            day = int(token)
        elif re.fullmatch(r"\d{3,4}", token) and year is None:
            year = int(token)
        else:
            return None
    if year is None and month is None and day is None:
        return None
    return year, month, day


def _split_range(text: str) -> list[str]:
    if "/" in text:
        return text.split("/")
    whole = _read_side(text)
    if whole is not None and whole[0] is not None:
        return [text]
    if " - " in text:
        return text.split(" - ")
    return text.split("-") if text.count("-") == 1 else [text]


def _check(parts: _Parts, raw: str, where: str) -> _Ymd:
    year, month, day = parts
    if year is None:
        raise _bad(raw, "it has no year", where)
    if not 1 <= year <= 9999:
        raise _bad(raw, f"year {year} is out of range (1–9999)", where)
    if month is None:
        if day is not None:
            raise _bad(raw, "it has a day but no month", where)
        return _Ymd(year)
    if not 1 <= month <= 12:
        raise _bad(raw, f"there is no month {month}", where)
    if day is None:
        return _Ymd(year, month)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise _bad(raw, f"{_EN_MONTHS[month - 1]} {year} has {last} days", where)
    return _Ymd(year, month, day)


def _parse_text(raw: str, where: str) -> PartialDate:
    text = " ".join(raw.split()).lower()
    for dash in "–—−‒":
        text = text.replace(dash, "-")
    if text in _UNKNOWN_WORDS:
        return UNKNOWN
    before = False
    if match := _BEFORE_PREFIX.match(text):
        before, text = True, text[match.end() :]
    approximate = uncertain = False
    part: str | None = None
    changed = True
    while changed:
        changed = False
        for suffix, approx_flag, uncertain_flag in _FLAG_SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)].rstrip(" ,")
                approximate, uncertain = approximate or approx_flag, uncertain or uncertain_flag
                changed = True
        if part is None and (match := _PART_SUFFIX.search(text)):
            part, text, changed = _PART_WORDS[match.group(1)], text[: match.start()], True
    for _ in range(2):  # "c. night of ..." and "night of c. ..."
        if match := _APPROX_PREFIX.match(text):
            approximate, text = True, text[match.end() :]
        if part is None and (match := _PART_PREFIX.match(text)):
            part, text = match.group(1), text[match.end() :]
    if part is None and (match := _NIGHT_RU.fullmatch(text)):
        part, text = "night", f"{match.group(1)} - {match.group(2)}"
    time: str | None = None
    if match := _TIME.search(text):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise _bad(raw, f"there is no time {match.group(1)}:{match.group(2)}", where)
        time, text = f"{hour:02d}:{minute:02d}", text[: match.start()]

    pieces = [p.strip() for p in _split_range(text)]
    read = [_read_side(p) for p in pieces]
    if len(read) > 2 or not all(read):
        raise _bad(raw, _READ_HINT, where)
    parts = [p for p in read if p is not None]
    if len(parts) == 2:
        (y1, m1, d1), (y2, m2, d2) = parts
        m2 = m1 if m2 is None and d2 is not None else m2  # "February 8-9, 2020"
        m1 = m2 if m1 is None and d1 is not None else m1  # "24-28.04.2020"
        parts = [(y2 if y1 is None else y1, m1, d1), (y2, m2, d2)]
    ends = [_check(p, raw, where) for p in parts]
    if len(ends) == 2 and ends[0] == ends[1]:
        ends = ends[:1]
    start, end = ends[0], ends[-1]
    if end.bounds()[1] < start.bounds()[0]:
        raise _bad(raw, f"it ends ({end.text}) before it starts ({start.text})", where)
    if start.bounds()[0] > end.bounds()[0] or start.bounds()[1] > end.bounds()[1]:
        raise _bad(
            raw, f"its start ({start.text}) does not come before its end ({end.text})", where
        )

    if time is not None and (len(ends) > 1 or start.day is None):
        raise _bad(raw, "a time of day needs one exact day", where)
    if before:
        if len(ends) > 1 or time or part or approximate or uncertain:
            raise _bad(raw, "write an on-or-before date as ../2020-05-06 (one plain date)", where)
        return PartialDate(
            text=f"../{end.text}",
            earliest=datetime.date.min,
            latest=end.bounds()[1],
            precision="before",
        )
    if len(ends) == 2:
        core, precision = f"{start.text}/{end.text}", "range"
    else:
        core = start.text + (f"T{time}" if time else "")
        precision = "time" if time else "day" if start.day else "month" if start.month else "year"
    flags = "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    return PartialDate(
        text=core + flags + (f" {part}" if part else ""),
        earliest=start.bounds()[0],
        latest=end.bounds()[1],
        precision=precision,
        approximate=approximate,
        uncertain=uncertain,
        time=time,
        part_of_day=part,
    )


def parse_date(value: str | int | datetime.date | None, *, where: str = "") -> PartialDate:
    """Read a date written in any accepted form; raise DateError if it cannot exist."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        raise _bad(str(value), "expected text, a year or a date", where)
    if isinstance(value, int):
        if not 1 <= value <= 9999:
            raise _bad(str(value), f"year {value} is out of range (1–9999)", where)
        return _parse_text(f"{value:04d}", where)
    if isinstance(value, datetime.datetime):
        return _parse_text(f"{value.date().isoformat()}T{value.hour:02d}:{value.minute:02d}", where)
    if isinstance(value, datetime.date):
        return _parse_text(value.isoformat(), where)
    if isinstance(value, str):
        return _parse_text(value, where)
    raise _bad(repr(value), "expected text, a year or a date", where)


def to_date(value: str | datetime.date, *, where: str = "") -> datetime.date:
    """An exact day ("2020-05-13", "13.05.2020" or a date); anything vaguer is a DateError."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = parse_date(value, where=where)
    exact = parsed.precision in ("day", "time") and not (parsed.approximate or parsed.uncertain)
    if not exact or parsed.earliest is None:
        raise DateError(
            f'"{value}" is not an exact day: write it as 2020-05-13 or 13.05.2020', where=where
        )
    return parsed.earliest
