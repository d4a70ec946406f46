"""A chronology as Markdown or as a self-contained HTML page, in English or Russian."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template import Context, Engine

from docket.records.chronology import Timeline

WORDS = {
    "en": {
        "chronology": "Chronology",
        "events": "events",
        "participants": "Participants",
        "sources": "Sources",
        "no_events": "No events match.",
        "date": "Date",
        "event": "Event",
        "place": "Place",
        "filters": "Filters",
        "people": "people",
    },
    "ru": {
        "chronology": "Хронология",
        "events": "событий",
        "participants": "Участники",
        "sources": "Источники",
        "no_events": "Нет событий по этим условиям.",
        "date": "Дата",
        "event": "Событие",
        "place": "Место",
        "filters": "Отбор",
        "people": "чел.",
    },
}

_ENGINE = Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=True)


def _party_text(p: dict[str, Any], words: dict[str, str]) -> str:
    size = f" ({p['size']} {words['people']})" if p.get("size") else ""
    return f"{p['name']}{size} — {p['role_label']}"


def _context(tl: Timeline) -> dict[str, Any]:
    words = WORDS[tl.lang]
    title = tl.case.title.get(tl.lang) or tl.case.title.get("en") or tl.case.code
    entries = [
        {**e, "party_texts": [_party_text(p, words) for p in e["participants"]]} for e in tl.entries
    ]
    return {
        "tl": tl,
        "w": words,
        "title": title,
        "entries": entries,
        "filters": ", ".join(f"{k}: {v}" for k, v in tl.filters.items()),
    }


def _md_escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*")


def markdown(tl: Timeline) -> str:
    """The chronology as Markdown with footnotes ([^1])."""
    ctx = _context(tl)
    w = ctx["w"]
    lines = [f"# {w['chronology']}: {_md_escape(ctx['title'])}", ""]
    lines.append(
        f"{len(tl.entries)} {w['events']}."
        + (f" {w['filters']}: {ctx['filters']}." if ctx["filters"] else "")
    )
    lines.append("")
    if not tl.entries:
        lines.append(w["no_events"])
    for e in ctx["entries"]:
        marks = "".join(f"[^{s['footnote']}]" for s in e["sources"])
        place = f" ({_md_escape(e['place'])})" if e["place"] else ""
        lines.append(
            f"- **{e['date_text']}** — {_md_escape(e['title'])}{place}. *{e['type_label']}*{marks}"
        )
        if e["party_texts"]:
            lines.append(
                f"  {w['participants']}: "
                + "; ".join(_md_escape(t) for t in e["party_texts"])
                + "."
            )
    if tl.footnotes:
        lines.append("")
    for n in tl.footnotes:
        lines.append(f"[^{n['footnote']}]: {_note_text(n)}")
    return "\n".join(lines) + "\n"


def _note_text(n: dict[str, Any]) -> str:
    parts = [p for p in (n["title"], n["publisher"], n["locator"], n["url"]) if p]
    return ", ".join(_md_escape(p) if p != n["url"] else p for p in parts)


def html(tl: Timeline) -> str:
    """The chronology as one HTML page (no external files), escaped."""
    ctx = _context(tl)
    ctx["notes"] = [
        {**n, "text": ", ".join(p for p in (n["title"], n["publisher"], n["locator"]) if p)}
        for n in tl.footnotes
    ]
    return _ENGINE.get_template("timeline.html").render(Context(ctx))
