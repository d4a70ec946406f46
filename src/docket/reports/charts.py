"""Charts of a case: custody over time by group, events per week or month, events by type.

The numbers come from ``docket.records.statistics``; drawing is ``docket.core.charts``.
"""

from __future__ import annotations

import datetime

from docket.core import charts, vocab
from docket.records import models as m
from docket.records import statistics as st

CHARTS = ("custody", "detentions", "events")
DETENTION_TYPES = ("detention", "arrest")
TITLES = {
    "custody": {"en": "People in custody, by {by}", "ru": "Лица под стражей: {by}"},
    "detentions": {
        "en": "Detentions and arrests per {step}",
        "ru": "Задержания и аресты по {step}",
    },
    "events": {"en": "Events by type", "ru": "События по типам"},
}
STEP_WORDS = {
    "en": {"week": "week", "month": "month"},
    "ru": {"week": "неделям", "month": "месяцам"},
}
BY_WORDS = {
    "en": {
        "ethnicity": "ethnicity",
        "sex": "sex",
        "citizenship": "citizenship",
        "residence": "residence",
    },
    "ru": {
        "ethnicity": "по национальности",
        "sex": "по полу",
        "citizenship": "по гражданству",
        "residence": "по месту жительства",
    },
}


def _note(
    case: m.Case, start: datetime.date, end: datetime.date, lang: str, extra: str = ""
) -> str:
    title = case.title.get(lang) or case.title.get("en") or case.code
    span = f"{start.isoformat()} – {end.isoformat()}"
    base = (
        f"Docket, case «{title}», {span}; status derived from recorded events."
        if lang == "en"
        else f"Docket, дело «{title}», {span}; статус выведен из записанных событий."
    )
    return f"{base} {extra}".strip()


def build(
    case: m.Case,
    name: str,
    *,
    start: datetime.date,
    end: datetime.date,
    step: str = "month",
    by: str = "ethnicity",
    lang: str = "en",
    audience: str = "internal",
) -> charts.Chart:
    """The chart ``name`` (one of CHARTS) for ``case`` between ``start`` and ``end``."""
    if name == "custody":
        dates = st.period_ends(start, end, step)
        rows = st.series_rows(case, dates, ["in_custody", by], audience=audience)
        groups = sorted({r[by] for r in rows})
        counts = {g: [0.0] * len(dates) for g in groups}
        index = {d.isoformat(): i for i, d in enumerate(dates)}
        for r in rows:
            if r["in_custody"] == "yes":
                counts[r[by]][index[r["date"]]] += r["count"]
        labels = {}
        if by == "ethnicity":
            for t in vocab.vocabulary("ethnicities").terms:
                labels[t.code] = (t.extra.get("plural") or {}).get(lang) or t.label(lang)
        return charts.custody_over_time(
            [d.isoformat() for d in dates],
            counts,
            lang=lang,
            labels=labels,
            title=TITLES["custody"][lang].format(by=BY_WORDS[lang].get(by, by)),
            note=_note(case, start, end, lang),
        )
    if name == "detentions":
        per, uncertain = st.events_per_period(
            case, DETENTION_TYPES, start, end, step, audience=audience
        )
        extra = ""
        if uncertain:
            extra = (
                f"{uncertain} events whose date spans more than one {step} are not shown."
                if lang == "en"
                else f"Не показано событий с датой шире одного периода: {uncertain}."
            )
        return charts.per_period(
            [d.isoformat() for d, _ in per],
            [float(n) for _, n in per],
            lang=lang,
            title=TITLES["detentions"][lang].format(step=STEP_WORDS[lang][step]),
            note=_note(case, start, end, lang, extra),
        )
    rows = st.event_stats_rows(case, ["type"], audience=audience, date_from=start, date_to=end)
    types = vocab.vocabulary("event_types")
    return charts.by_category(
        {r["type"]: float(r["events"]) for r in rows},
        lang=lang,
        title=TITLES["events"][lang],
        labels={t.code: t.label(lang) for t in types.terms},
        note=_note(case, start, end, lang),
    )
