"""Template tags of the document templates: ``{% load docket %}``.

``{% cite notes %}`` turns the citations of one fact into footnotes. The first time a source
and place in it (locator) are cited, a footnote is made where the tag stands; each later citation
of the same one repeats its number. Numbers follow the order of the document as rendered, so
moving a section in a template renumbers its footnotes correctly.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from docket.core.dates import parse_date

register = template.Library()


class Footnotes:
    """The footnotes of one rendered document, numbered in order of first citation."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.numbers: dict[tuple[str, str, str], int] = {}
        self.texts: list[str] = []

    @staticmethod
    def key(note: dict[str, Any]) -> tuple[str, str, str]:
        return (note.get("source", ""), note.get("locator", ""), note.get("title", ""))

    def mark(self, note: dict[str, Any]) -> SafeString:
        key = self.key(note)
        if key in self.numbers:
            n = self.numbers[key]
            return format_html('<sup class="footnote-again" data-n="{}">{}</sup>', n, n)
        self.numbers[key] = len(self.numbers) + 1
        text = note_html(note, self.lang)
        self.texts.append(text)
        return format_html('<span class="footnote">{}</span>', mark_safe(text))


def note_html(note: dict[str, Any], lang: str) -> str:
    """A footnote as a reviewer writes it: publisher, title, date, URL, access date, place."""
    ru = lang == "ru"
    if not note.get("source"):
        return escape("Конфиденциальный источник" if ru else "Confidential source") + "."
    parts = []
    if note.get("publisher"):
        parts.append(escape(note["publisher"]))
    if note.get("title"):
        parts.append(escape(f"«{note['title']}»" if ru else f"“{note['title']}”"))
    if note.get("published"):
        parts.append(escape(parse_date(note["published"]).render(lang)))
    text = ", ".join(parts)
    if note.get("url"):
        url = escape(note["url"])
        text += f', <a href="{url}">{url}</a>'
    if note.get("accessed"):
        when = escape(parse_date(note["accessed"]).render(lang))
        text += f" (дата обращения: {when})" if ru else f" (accessed {when})"
    if note.get("locator"):
        text += ", " + escape(note["locator"])
    return text + "."


@register.simple_tag(takes_context=True)
def cite(context: template.Context, notes: list[dict[str, Any]] | None) -> SafeString:
    registry: Footnotes = context["footnotes"]
    unique: dict[tuple[str, str, str], dict[str, Any]] = {}
    for note in notes or ():
        unique.setdefault(Footnotes.key(note), note)  # each once, in order of first citation
    return mark_safe("".join(registry.mark(n) for n in unique.values()))


@register.simple_tag(takes_context=True)
def source_list(context: template.Context) -> SafeString:
    """Every source cited so far, as a numbered list (the supporting sources of a document)."""
    registry: Footnotes = context["footnotes"]
    items = "".join(f"<li>{text}</li>" for text in registry.texts)
    return mark_safe(f'<ol class="sources">{items}</ol>' if items else "")


@register.filter
def period(value: Any) -> str:
    """The text ending with one full stop: "13 мая 2020 г." stays, "13 May 2020" gets one."""
    text = str(value).rstrip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


@register.filter
def unknown(value: Any, word: str) -> Any:
    """The value, or the document's word for "unknown" when the record has nothing."""
    return value if value not in (None, "", [], ()) else word
