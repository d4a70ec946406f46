"""Disparities of treatment within a cohort, in numbers a lawyer can quote.

"Of 47 people detained, all 3 Dungans were kept in custody and all 44 Kazakhs were released":
given who was in the cohort, their group (e.g. ethnicity) and their outcome (e.g. custody on a
date), this module gives the contingency table, the relative risk with its confidence interval,
Fisher's exact test, and a plain sentence in English and Russian with its caveats.

The test is always a 2×2 Fisher's exact test, one group (``exposed``) against another
(``reference``), ``positive`` outcome against every other known outcome; its p-value is exact.
Values ``"unknown"`` (or empty) of group or outcome are left out and counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import Any

from scipy.stats import fisher_exact  # type: ignore[import-untyped, unused-ignore]

from docket.core.errors import ValidationError

UNKNOWN = "unknown"
LEVEL = 0.95
TEST_NAME = "Fisher's exact test"
TEST_NAME_RU = "Точный критерий Фишера"
ALTERNATIVE = "two-sided"
# Below these the result "rests on few people": a compared group, and the whole cohort.
SMALL_GROUP = 5
SMALL_COHORT = 20
# Added to every cell of a 2×2 table with a zero cell, for the interval only.
HALDANE = 0.5

Labels = Mapping[str, str]


@dataclass(frozen=True)
class Unit:
    """One person, or a counted group of ``weight`` people, of the cohort."""

    group: str
    outcome: str
    weight: int = 1
    label: str = ""


@dataclass(frozen=True)
class Interval:
    """A confidence interval; bounds are None when it cannot be computed."""

    low: float | None
    high: float | None
    level: float = LEVEL


@dataclass(frozen=True)
class Disparity:
    """Outcome by group in a cohort: table, risks, relative risk, exact test and caveats."""

    groups: tuple[str, ...]
    outcomes: tuple[str, ...]
    table: tuple[tuple[str, str, int], ...]
    exposed: str | None
    reference: str | None
    positive: str
    risk: dict[str, float | None]
    relative_risk: float | None
    interval: Interval
    test_name: str
    p_value: float | None
    n: int
    excluded: int
    caveats: tuple[str, ...]
    caveats_ru: tuple[str, ...]
    cohort: str = ""
    cohort_ru: str = ""
    attribute: str = ""
    attribute_ru: str = ""

    def count(self, group: str, outcome: str) -> int:
        """The number of people of ``group`` with ``outcome``."""
        for g, o, c in self.table:
            if g == group and o == outcome:
                return c
        return 0

    def known(self, group: str) -> int:
        """The number of people of ``group`` whose outcome is known."""
        return sum(c for g, o, c in self.table if g == group and o != UNKNOWN)

    def summary(self, lang: str = "en", *, labels: Labels | None = None) -> str:
        """Plain sentences for a lawyer, caveats included; ``labels`` turn codes into words."""
        if lang not in ("en", "ru"):
            raise ValidationError(f"no summary in language {lang!r}; use 'en' or 'ru'")
        words = _Words(self, lang, labels or {})
        parts = [words.counts(), words.test(), words.relative_risk(), *words.caveats()]
        return " ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the result."""
        return {
            "table": [{"group": g, "outcome": o, "count": c} for g, o, c in self.table],
            "groups": list(self.groups),
            "outcomes": list(self.outcomes),
            "positive": self.positive,
            "exposed": self.exposed,
            "reference": self.reference,
            "risk": dict(self.risk),
            "relative_risk": {
                "value": self.relative_risk,
                "low": self.interval.low,
                "high": self.interval.high,
                "level": self.interval.level,
            },
            "test": {"name": self.test_name, "p_value": self.p_value, "alternative": ALTERNATIVE},
            "n": self.n,
            "excluded": self.excluded,
            "cohort": self.cohort,
            "caveats": list(self.caveats),
            "caveats_ru": list(self.caveats_ru),
            "summary": self.summary("en"),
            "summary_ru": self.summary("ru"),
        }


def disparity(
    units: Iterable[Unit],
    *,
    positive: str,
    exposed: str | None = None,
    reference: str | None = None,
    cohort: str = "",
    cohort_ru: str = "",
    attribute: str = "",
    attribute_ru: str = "",
) -> Disparity:
    """Compare the share of ``positive`` outcomes between groups of a cohort.

    ``cohort`` completes "Of 47 …" ("people detained on 8–9 February 2020"); ``cohort_ru``
    completes "Из 47 …" in the genitive ("задержанных 8–9 февраля 2020 года"). ``attribute``
    names what the groups are ("ethnicity" / "национальность"). Without ``exposed`` the group
    with the highest share is compared; without ``reference``, the largest other group.
    """
    positive = _code(positive)
    if positive == UNKNOWN:
        raise ValidationError("the outcome compared cannot be 'unknown'", where="positive")
    counts: dict[tuple[str, str], int] = {}
    for unit in units:
        weight = unit.weight
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise ValidationError(
                f"weight must be a whole number of people, not {weight!r}",
                where=unit.label or f"{unit.group}/{unit.outcome}",
            )
        key = (_code(unit.group), _code(unit.outcome))
        counts[key] = counts.get(key, 0) + weight
    if sum(counts.values()) == 0:
        raise ValidationError("the cohort is empty")

    groups = _ordered({g for g, _ in counts}, counts, 0)
    outcomes = _ordered({o for _, o in counts} | {positive}, counts, 1, first=positive)
    table = tuple((g, o, counts.get((g, o), 0)) for g in groups for o in outcomes)
    known = {g: sum(counts.get((g, o), 0) for o in outcomes if o != UNKNOWN) for g in groups}
    hits = {g: counts.get((g, positive), 0) for g in groups}
    risk: dict[str, float | None] = {
        g: (hits[g] / known[g] if known[g] else None) for g in groups if g != UNKNOWN
    }
    comparable = [g for g in groups if g != UNKNOWN and known[g]]
    for name, role in ((exposed, "exposed"), (reference, "reference")):
        if name is not None and name not in comparable:
            raise ValidationError(
                f"group {name!r} has no one with a known outcome in the cohort", where=role
            )
    if exposed is not None and exposed == reference:
        raise ValidationError(f"group {exposed!r} cannot be compared with itself")

    relative_risk: float | None = None
    interval = Interval(None, None)
    p_value: float | None = None
    if len(comparable) >= 2:
        if exposed is None:
            others = [g for g in comparable if g != reference]
            exposed = min(others, key=lambda g: (-(risk[g] or 0.0), -known[g], g))
        if reference is None:
            reference = min((g for g in comparable if g != exposed), key=lambda g: (-known[g], g))
        a, c = hits[exposed], hits[reference]
        b, d = known[exposed] - a, known[reference] - c
        relative_risk = _relative_risk(a, b, c, d)
        interval = _katz(a, b, c, d)
        p_value = float(fisher_exact([[a, b], [c, d]], alternative=ALTERNATIVE).pvalue)

    n = sum(known[g] for g in groups if g != UNKNOWN)
    excluded = sum(counts.values()) - n
    result = Disparity(
        groups=groups,
        outcomes=outcomes,
        table=table,
        exposed=exposed,
        reference=reference,
        positive=positive,
        risk=risk,
        relative_risk=relative_risk,
        interval=interval,
        test_name=TEST_NAME,
        p_value=p_value,
        n=n,
        excluded=excluded,
        caveats=(),
        caveats_ru=(),
        cohort=cohort,
        cohort_ru=cohort_ru,
        attribute=attribute,
        attribute_ru=attribute_ru,
    )
    return replace(
        result,
        caveats=tuple(_Words(result, "en", {}).caveats()),
        caveats_ru=tuple(_Words(result, "ru", {}).caveats()),
    )


def format_p(p: float, lang: str = "en") -> str:
    """``p`` as "p = 0.00006" or "p = 0.035": one or two significant digits, never "p = 0"."""
    if p < 1e-6:
        text, sign = "0.000001", "<"
    elif p >= 0.9995:
        text, sign = "1", "="
    else:
        digits = 1 if p < 0.001 else 2
        rounded = float(f"{p:.{digits}g}")
        decimals = max(digits - 1 - math.floor(math.log10(rounded)), 0)
        text, sign = f"{rounded:.{decimals}f}", "="
    return f"p {sign} {_decimal(text, lang)}"


def _code(value: str) -> str:
    return value.strip() or UNKNOWN


def _ordered(
    values: set[str], counts: Mapping[tuple[str, str], int], axis: int, first: str = ""
) -> tuple[str, ...]:
    """Largest first, ties by name, ``first`` at the start and "unknown" at the end."""

    def size(value: str) -> int:
        return sum(c for key, c in counts.items() if key[axis] == value)

    def rank(value: str) -> tuple[int, int, str]:
        place = 0 if value == first else 2 if value == UNKNOWN else 1
        return place, -size(value), value

    return tuple(sorted(values, key=rank))


def _relative_risk(a: int, b: int, c: int, d: int) -> float | None:
    if c == 0:
        return None
    return (a / (a + b)) / (c / (c + d))


def _katz(a: int, b: int, c: int, d: int, level: float = LEVEL) -> Interval:
    """Katz log interval of the relative risk; Haldane–Anscombe 0.5 added if a cell is zero."""
    cells = [float(x) for x in (a, b, c, d)]
    if 0 in (a, b, c, d):
        cells = [x + HALDANE for x in cells]
    fa, fb, fc, fd = cells
    estimate = math.log((fa / (fa + fb)) / (fc / (fc + fd)))
    se = math.sqrt(1 / fa - 1 / (fa + fb) + 1 / fc - 1 / (fc + fd))
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    return Interval(math.exp(estimate - z * se), math.exp(estimate + z * se), level)


def _decimal(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "ru" else text


def _number(x: float, lang: str) -> str:
    """A ratio with two or three significant digits: 0.42, 2.5, 79, 1,270 (ru: 0,42 … 1 270)."""
    if x >= 100:
        text = f"{round(x, -1 if x < 1000 else -int(math.log10(x)) + 2):,.0f}"
        return text.replace(",", "\u00a0") if lang == "ru" else text
    return _decimal(f"{x:.2f}" if x < 1 else f"{x:.1f}" if x < 10 else f"{x:.0f}", lang)


def _percent(share: float) -> str:
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{round(share * 100)}%"


def _people_ru(n: int) -> str:
    """The word "человек" after the number ``n``: 1 человек, 2 человека, 5 человек."""
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "человека"
    return "человек"


def _people_ru_of(n: int) -> str:
    """The word "человек" after "из ``n``": из 47 человек, из 21 человека."""
    return "человека" if n % 10 == 1 and n % 100 != 11 else "человек"


def _people_en(n: int) -> str:
    return "person" if n == 1 else "people"


class _Words:
    """The sentences of one result in one language, with codes turned into words."""

    def __init__(self, result: Disparity, lang: str, labels: Labels) -> None:
        self.r = result
        self.lang = lang
        self.labels = labels
        self.en = lang == "en"

    def word(self, code: str) -> str:
        return self.labels.get(code, code)

    def quoted(self, code: str) -> str:
        return f"«{self.word(code)}»" if not self.en else self.word(code)

    def outcome_were(self) -> str:
        """The positive outcome after its subjects: "were kept in custody" (ru: label as is)."""
        code = self.r.positive
        if code in self.labels:
            return f"were {self.labels[code]}" if self.en else self.labels[code]
        return f'had the outcome "{code}"' if self.en else f"с исходом «{code}»"

    def outcome_quoted(self) -> str:
        code = self.r.positive
        return f'"{self.word(code)}"' if self.en else f"«{self.word(code)}»"

    def attribute_clause(self) -> str:
        """The null hypothesis, e.g. "if ethnicity made no difference"."""
        if self.en:
            return f"if {self.r.attribute or 'group membership'} made no difference"
        return f"если {self.r.attribute_ru or 'принадлежность к группе'} не влияет на исход"

    def share(self, group: str) -> str:
        hits, known = self.r.count(group, self.r.positive), self.r.known(group)
        pct = _percent(hits / known)
        name = self.word(group)
        if not self.en:
            return f"{name} — {hits} из {known} ({pct})"
        if hits == known and known > 1:
            return f"all {known} {name} ({pct})"
        if hits == 0 and known > 1:
            return f"none of the {known} {name} ({pct})"
        return f"{hits} of {known} {name} ({pct})"

    def counts(self) -> str:
        r = self.r
        if self.en:
            of = f"Of {r.n} {r.cohort or _people_en(r.n)}"
        else:
            of = f"Из {r.n} {r.cohort_ru or _people_ru_of(r.n)}"
        if r.n == 0:
            return ""
        if r.exposed is None or r.reference is None:
            known = [g for g in r.groups if g != UNKNOWN and r.known(g)]
            if self.en:
                return f"{of}, {self.share(known[0])} {self.outcome_were()}."
            return f"{of} {self.outcome_were()}: {self.share(known[0])}."
        same = r.risk[r.exposed] == r.risk[r.reference]
        if self.en:
            tail = " — no difference" if same else ""
            return (
                f"{of}, {self.share(r.exposed)} {self.outcome_were()}, "
                f"against {self.share(r.reference)}{tail}."
            )
        tail = "; разницы нет" if same else ""
        return (
            f"{of} {self.outcome_were()}: {self.share(r.exposed)}, {self.share(r.reference)}{tail}."
        )

    def test(self) -> str:
        r = self.r
        if r.p_value is None or r.exposed is None or r.reference is None:
            return ""
        p = format_p(r.p_value, self.lang)
        same = r.risk[r.exposed] == r.risk[r.reference]
        if self.en:
            head = f"{r.test_name}: {p} (two-sided); "
            if same:
                return head + "the data show no difference between the groups."
            if r.p_value < 0.001:
                return (
                    head
                    + f"a difference this large would be very unlikely {self.attribute_clause()}."
                )
            if r.p_value < 0.05:
                return head + (
                    f"a difference this large would be unlikely {self.attribute_clause()} "
                    "(below the usual 5% threshold)."
                )
            if r.p_value < 0.1:
                return (
                    head + "the difference is borderline: it does not reach the usual 5% threshold."
                )
            return head + (
                "a difference like this could easily arise by chance, so these numbers alone do "
                "not show that the groups were treated differently."
            )
        head = f"{TEST_NAME_RU}: {p} (двусторонний); "
        if same:
            return head + "данные не показывают никакой разницы между группами."
        if r.p_value < 0.001:
            return head + f"столь большая разница крайне маловероятна, {self.attribute_clause()}."
        if r.p_value < 0.05:
            return head + (
                f"такая разница маловероятна, {self.attribute_clause()} "
                "(ниже обычного порога в 5%)."
            )
        if r.p_value < 0.1:
            return head + "разница на грани значимости: обычный порог в 5% не достигнут."
        return head + (
            "такая разница вполне может быть случайной, поэтому сами по себе эти цифры не "
            "доказывают, что с группами обращались по-разному."
        )

    def relative_risk(self) -> str:
        r = self.r
        if r.relative_risk is None or r.exposed is None or r.reference is None:
            return ""
        rr, ci = _number(r.relative_risk, self.lang), self.interval()
        if self.en:
            return (
                f"Relative risk, {self.word(r.exposed)} compared with {self.word(r.reference)}: "
                f"{rr} ({ci})."
            )
        return (
            f"Относительный риск (группа {self.quoted(r.exposed)} по сравнению с группой "
            f"{self.quoted(r.reference)}) — {rr} ({ci})."
        )

    def interval(self) -> str:
        i = self.r.interval
        if i.low is None or i.high is None:
            return ""
        pct = f"{round(i.level * 100)}%"
        low, high = _number(i.low, self.lang), _number(i.high, self.lang)
        return f"{pct} CI {low} to {high}" if self.en else f"{pct} ДИ от {low} до {high}"

    def caveats(self) -> list[str]:
        out: list[str] = []
        for make in self.makers():
            sentence = make()
            if sentence:
                out.append(sentence)
        return out

    def makers(self) -> list[Callable[[], str]]:
        return [
            self.too_few_groups,
            self.undefined,
            self.haldane,
            self.left_out,
            self.small,
            self.unknowns,
        ]

    def cells(self) -> tuple[int, int, int, int] | None:
        r = self.r
        if r.exposed is None or r.reference is None:
            return None
        a, c = r.count(r.exposed, r.positive), r.count(r.reference, r.positive)
        return a, r.known(r.exposed) - a, c, r.known(r.reference) - c

    def too_few_groups(self) -> str:
        r = self.r
        if r.p_value is not None:
            return ""
        known = [g for g in r.groups if g != UNKNOWN and r.known(g)]
        if not known:
            if self.en:
                return "No one in the cohort has both a known group and a known outcome."
            return "Ни у кого в выборке не известны одновременно группа и исход."
        if self.en:
            return (
                f"Only one group ({self.word(known[0])}) has people with a known outcome, "
                "so there is nothing to compare it with."
            )
        return f"Есть только одна группа ({self.quoted(known[0])}), сравнивать её не с чем."

    def undefined(self) -> str:
        r, cells = self.r, self.cells()
        if cells is None or r.relative_risk is not None or r.reference is None:
            return ""
        a = cells[0]
        ci = self.interval()
        if self.en:
            who = (
                f"no one in either group {self.outcome_were_singular()}"
                if a == 0
                else f"none of the {self.word(r.reference)} {self.outcome_were_singular()}"
            )
            return (
                f"The relative risk cannot be computed because {who} (it would mean dividing "
                f"by zero); adding 0.5 to every cell (Haldane–Anscombe correction) gives a "
                f"{ci.replace(' CI ', ' confidence interval of ')}."
            )
        where = "ни в одной из двух групп" if a == 0 else f"в группе {self.quoted(r.reference)}"
        return (
            f"Относительный риск вычислить нельзя: {where} нет ни одного случая исхода "
            f"{self.outcome_quoted()} (пришлось бы делить на ноль). С поправкой "
            f"Холдейна — Энскомба (0,5 к каждой ячейке) "
            f"{ci.replace(' ДИ ', ' доверительный интервал — ')}."
        )

    def outcome_were_singular(self) -> str:
        code = self.r.positive
        if code in self.labels:
            return f"was {self.labels[code]}"
        return f'had the outcome "{code}"'

    def haldane(self) -> str:
        cells = self.cells()
        if cells is None or self.r.relative_risk is None or 0 not in cells:
            return ""
        if self.en:
            return (
                "One cell of the 2×2 table is zero, so the confidence interval adds 0.5 to "
                "every cell (Haldane–Anscombe correction)."
            )
        return (
            "Одна из ячеек таблицы 2×2 равна нулю, поэтому для доверительного интервала к "
            "каждой ячейке добавлено 0,5 (поправка Холдейна — Энскомба)."
        )

    def left_out(self) -> str:
        r = self.r
        if r.exposed is None or r.reference is None:
            return ""
        others = [g for g in r.groups if g not in (UNKNOWN, r.exposed, r.reference) and r.known(g)]
        if not others:
            return ""
        if self.en:
            listed = _join_en(
                [f"{self.word(g)} ({r.known(g)} {_people_en(r.known(g))})" for g in others]
            )
            return (
                f"The test compares {self.word(r.exposed)} with {self.word(r.reference)} only; "
                f"it leaves out {listed}."
            )
        listed = _join_ru(
            [f"{self.quoted(g)} ({r.known(g)} {_people_ru(r.known(g))})" for g in others]
        )
        if len(others) == 1:
            rest = f"группа {listed} в сравнение не вошла"
        else:
            rest = f"группы {listed} в сравнение не вошли"
        return (
            f"Критерий сравнивает только группы {self.quoted(r.exposed)} и "
            f"{self.quoted(r.reference)}; {rest}."
        )

    def small(self) -> str:
        r = self.r
        if r.exposed is None or r.reference is None:
            return ""
        few = [g for g in (r.exposed, r.reference) if r.known(g) < SMALL_GROUP]
        if not few and r.n >= SMALL_COHORT:
            return ""
        if self.en:
            detail = _join_en([f"only {r.known(g)} {self.word(g)}" for g in few])
            return (
                "Small numbers: the p-value is exact, but the result rests on few people"
                f"{f' ({detail})' if few else f' ({r.n} in all)'}."
            )
        detail = _join_ru(
            [f"{self.quoted(g)} — {r.known(g)} {_people_ru(r.known(g))}" for g in few]
        )
        total = f"всего {r.n} {_people_ru(r.n)}"
        return (
            "Малые числа: p-значение точное, но вывод опирается на немногих людей "
            f"({detail if few else total})."
        )

    def unknowns(self) -> str:
        r = self.r
        no_group = sum(c for g, _, c in r.table if g == UNKNOWN)
        no_outcome = sum(c for g, o, c in r.table if g != UNKNOWN and o == UNKNOWN)
        if not no_group and not no_outcome:
            return ""
        if self.en:
            attribute = r.attribute or "group"
            parts = []
            if no_group:
                parts.append(f"{no_group} {_people_en(no_group)} whose {attribute} is unknown")
            if no_outcome:
                parts.append(f"{no_outcome} {_people_en(no_outcome)} whose outcome is unknown")
            verb = "was" if no_group + no_outcome == 1 and len(parts) == 1 else "were"
            return f"{_join_en(parts)} {verb} left out."
        if r.attribute_ru:
            unknown_group = f"для которых неизвестен признак «{r.attribute_ru}»"
        else:
            unknown_group = "для которых неизвестна группа"
        parts = []
        if no_group:
            parts.append(f"{no_group} {_people_ru(no_group)}, {unknown_group}")
        if no_outcome:
            parts.append(f"{no_outcome} {_people_ru(no_outcome)} с неизвестным исходом")
        return f"Не учтены: {', и '.join(parts) if no_group and no_outcome else parts[0]}."


def _join_en(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _join_ru(items: list[str]) -> str:
    if len(items) <= 2:
        return " и ".join(items)
    return ", ".join(items[:-1]) + " и " + items[-1]
