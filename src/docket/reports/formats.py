"""One rendered document page, written as HTML for the screen, Markdown or PDF.

The page a template renders is meant for print: a footnote is a ``<span class="footnote">``
where it is cited (WeasyPrint floats it to the foot of the page; ``docket.reports.docx`` makes
it a Word footnote), and a repeated citation is ``<sup class="footnote-again">``. For the
screen and for Markdown, footnotes become numbered marks with the notes listed at the end.
"""

from __future__ import annotations

import re

from lxml import html as lhtml
from lxml.etree import SubElement, _Element

FOOTNOTE = "footnote"
AGAIN = "footnote-again"


def _classes(el: _Element) -> set[str]:
    return set((el.get("class") or "").split())


def _article(root: _Element) -> _Element:
    found = root.xpath('//article[contains(concat(" ", @class, " "), " document ")]')
    return found[0] if found else root


def screen_html(page: str) -> str:
    """The page with footnotes as linked numbers and a list of notes at the end."""
    root = lhtml.document_fromstring(page)
    article = _article(root)
    notes = []
    spans = [s for s in article.iter("span") if FOOTNOTE in _classes(s)]
    for n, span in enumerate(spans, start=1):
        item = lhtml.Element("li", id=f"fn-{n}")
        item.text = span.text
        for child in list(span):
            item.append(child)
        notes.append(item)
        mark = lhtml.Element("sup", {"class": "fn"})
        link = SubElement(mark, "a", href=f"#fn-{n}", id=f"fnref-{n}")
        link.text = str(n)
        mark.tail = span.tail
        span.getparent().replace(span, mark)
    for sup in article.xpath('.//sup[contains(@class, "footnote-again")]'):
        n = sup.get("data-n", "")
        sup.text = None
        link = SubElement(sup, "a", href=f"#fn-{n}")
        link.text = n
    if notes:
        section = SubElement(article, "section", {"class": "notes"})
        heading = SubElement(section, "h2")
        heading.text = "Примечания" if root.get("lang") == "ru" else "Notes"
        ol = SubElement(section, "ol")
        for item in notes:
            ol.append(item)
    out: bytes = lhtml.tostring(root, encoding="utf-8", doctype="<!doctype html>")
    return out.decode("utf-8")


def pdf(page: str) -> bytes:
    """The page as PDF (WeasyPrint): A4, page numbers, footnotes at the foot of each page."""
    from weasyprint import HTML

    data: bytes = HTML(string=page).write_pdf()
    return data


_SPACE = re.compile(r"\s+")
# Characters Markdown would read as markup; a run of underscores (a line to sign on) is kept.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|]|(?<!_)_(?!_))")


def _md_text(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text or ""))


class _Markdown:
    def __init__(self) -> None:
        self.notes: list[str] = []

    def inline(self, el: _Element) -> str:
        """The text of an element and its inline children, as Markdown."""
        out = [_md_text(el.text)]
        for child in el:
            out.append(self.inline_child(child))
            out.append(_md_text(child.tail))
        return "".join(out)

    def inline_child(self, el: _Element) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        classes = _classes(el)
        if tag == "span" and FOOTNOTE in classes:
            self.notes.append(self.inline(el).strip())
            return f"[^{len(self.notes)}]"
        if tag == "sup" and AGAIN in classes:
            return f"[^{el.get('data-n', '')}]"
        if tag in ("strong", "b"):
            inner = self.inline(el).strip()
            return f"**{inner}**" if inner else ""
        if tag in ("em", "i"):
            inner = self.inline(el).strip()
            return f"*{inner}*" if inner else ""
        if tag == "br":
            return "  \n"
        if tag == "a" and el.get("href"):
            text = self.inline(el).strip()
            href = el.get("href")
            return f"<{href}>" if text in (href, _md_text(href)) else f"[{text}]({href})"
        if tag in ("style", "script"):
            return ""
        return self.inline(el)

    def blocks(self, el: _Element, depth: int = 0) -> list[str]:
        out: list[str] = []
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            classes = _classes(child)
            if tag in ("h1", "h2", "h3", "h4"):
                out.append("#" * int(tag[1]) + " " + self.inline(child).strip())
            elif tag == "p" or tag == "blockquote":
                text = self.inline(child).strip()
                if text:
                    out.append(("> " if tag == "blockquote" else "") + text)
            elif tag in ("ul", "ol"):
                lines = []
                for n, li in enumerate(child.findall("li"), start=1):
                    mark = f"{n}." if tag == "ol" else "-"
                    lines.append("  " * depth + f"{mark} " + self.inline(li).strip())
                if lines:
                    out.append("\n".join(lines))
            elif tag == "table":
                out.append(self.table(child))
            elif tag == "dl":
                lines = []
                for item in child:
                    if item.tag == "dt":
                        lines.append(f"**{self.inline(item).strip()}**: ")
                    elif item.tag == "dd" and lines:
                        lines[-1] += self.inline(item).strip()
                out.append("  \n".join(lines))
            elif tag in ("style", "script", "head", "title"):
                continue
            elif "page-break" in classes:
                out.append("---")
            else:  # section, div, header, article and anything unknown: walk in
                text = _md_text(child.text).strip()
                if text:
                    out.append(text)
                out.extend(self.blocks(child, depth))
            tail = _md_text(child.tail).strip()
            if tail:
                out.append(tail)
        return out

    def table(self, table: _Element) -> str:
        rows = []
        for tr in table.iter("tr"):
            cells = [self.inline(c).strip().replace("\n", " ") for c in tr if c.tag in ("th", "td")]
            rows.append(cells)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)


def markdown(page: str) -> str:
    """The page as Markdown, footnotes as ``[^n]`` with their texts at the end."""
    root = lhtml.document_fromstring(page)
    writer = _Markdown()
    body = writer.blocks(_article(root))
    notes = [f"[^{n}]: {text}" for n, text in enumerate(writer.notes, start=1)]
    return "\n\n".join([*body, *(["\n".join(notes)] if notes else [])]) + "\n"
