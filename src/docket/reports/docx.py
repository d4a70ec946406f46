"""Restricted HTML → Word (.docx) with real footnotes.

`render_docx(html, lang="en", title="")` returns the bytes of a .docx file. It is meant for the
HTML our document templates produce (appeals, UN communications), which are written by people
who are not programmers: anything this module does not know degrades to its text, and no
nesting, however odd, makes it fail.

The HTML contract
-----------------

What is rendered
    The contents of the first ``<article class="document">`` if there is one, else of
    ``<body>``; a fragment is treated as a body. ``<head>``, ``<style>``, ``<script>``,
    ``<template>``, ``<svg>`` and embedded media are ignored, and so is every element with the
    class ``screen-only`` (with everything inside it).

Blocks
    ``h1``-``h6``
        Word "Heading 1" … "Heading 6".
    ``p``
        A paragraph.
    ``ul`` / ``ol`` with ``li``
        "List Bullet" / "List Number"; a list inside a list item goes one level deeper ("List
        Bullet 2", "List Number 3"; level 3 is the deepest). Every ``ol`` starts again from 1, or
        from its ``start`` attribute. Further paragraphs of one item are "List Continue".
    ``table`` (``caption``, ``thead``, ``tbody``, ``tfoot``, ``tr``, ``th``, ``td``)
        A "Table Grid" table. Rows of ``thead`` - or, without a ``thead``, the leading rows made
        only of ``th`` - are bold and repeat at the top of every page; ``th`` cells elsewhere
        are bold. ``colspan`` merges cells; ``rowspan`` is ignored (the text is kept). A caption
        becomes a bold paragraph above the table.
    ``blockquote``
        Its paragraphs indented by 1 cm (nesting adds up).
    ``dl`` / ``dt`` / ``dd``
        ``dt`` a bold paragraph kept with the next one, ``dd`` a paragraph indented by 1 cm:
        the "field: value" forms of a UN communication.
    ``<div class="page-break">``
        The next paragraph starts a new page (ignored inside tables and footnotes).
    ``<div class="signature">``
        Its paragraphs, kept together on one page, after some space; they start with a line of
        underscores to sign on unless the div already has one ("___").
    ``div``, ``section``, ``header``, ``footer``, ``article``, ``main``, ``aside``, …
        Containers: their contents are rendered, text directly inside them is a paragraph.

Inline
    Text; ``strong``/``b`` bold; ``em``/``i`` italic; ``sup`` superscript, ``sub`` subscript;
    ``u`` underlined; ``br`` a line break; ``a href`` keeps its text and is a real hyperlink
    when the address is absolute (http, https, mailto, ftp) - ``#anchor`` links are plain text;
    ``span`` and every unknown element are transparent (their contents are rendered).

Footnotes
    ``<span class="footnote">text, may contain <a href>…</a></span>`` (the class counts on any
    element) becomes a Word footnote at that point; its text appears only in the footnote,
    never in the body. Footnotes get the ids 1, 2, 3 … in document order, and Word and
    LibreOffice number them the same way.
    ``<sup class="footnote-again" data-n="3">3</sup>`` cites an earlier footnote again: it is a
    superscript "3" (its text, else ``data-n``) in the "FootnoteReference" character style.
    Whitespace just before a footnote mark is dropped (``text <span class="footnote">`` gives
    "text¹"). A footnote inside a footnote is rendered as text of the outer one.

Whitespace
    Collapsed as a browser does: runs of spaces, tabs and newlines are one space, none at the
    start or end of a paragraph nor before a line break; whitespace-only text between blocks
    makes no paragraph. Non-breaking spaces are kept.

The document
    A4, 2.5 cm margins, the page number ("PAGE" field) centred in the footer; core properties
    title (``title``, else the page's ``<title>``) and language; the default run language
    (``w:lang``) is "en-GB" for ``en`` and "ru-RU" for ``ru`` (other values are used as given).

Limitations: ``pre`` does not keep its line breaks; lists inside footnotes lose their bullets
(footnote paragraphs are always "FootnoteText"); ``rowspan`` is ignored; images are dropped;
content nested more than 255 elements deep is dropped by the HTML parser (libxml2).

How footnotes are built (python-docx 1.2 has no footnote API): a ``/word/footnotes.xml``
``XmlPart`` with the separator (id -1) and continuation separator (id 0) footnotes as Word
writes them, related from the document part by ``RT.FOOTNOTES`` (python-docx writes the
content-type override from the part's content type), listed in ``settings.xml``
``w:footnotePr``; the styles "FootnoteText", "FootnoteReference" and "Hyperlink" are added to
``styles.xml``. Each footnote is ``<w:footnote w:id="N">`` whose first paragraph starts with a
``w:footnoteRef`` run; the body gets a run ``<w:footnoteReference w:id="N"/>``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

import lxml.html
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.font import Font
from docx.text.paragraph import Paragraph
from lxml import etree

__all__ = ["render_docx"]

LANGUAGE_TAGS = {"en": "en-GB", "ru": "ru-RU"}

_WS = re.compile(r"[ \t\n\r\f]+")
_INDENT = Cm(1)
_SIGNING_LINE = "_" * 36
_LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")

# Never rendered, with everything inside.
_SKIP = frozenset(
    {
        "head", "title", "meta", "link", "style", "script", "template", "noscript",
        "svg", "math", "img", "picture", "video", "audio", "iframe", "object", "embed",
        "canvas", "input", "select", "textarea", "button",
    }
)  # fmt: skip
# Blocks that only separate their contents from what is around them.
_CONTAINERS = frozenset(
    {
        "p", "div", "section", "header", "footer", "article", "main", "aside", "nav",
        "address", "figure", "figcaption", "hgroup", "center", "form", "fieldset", "legend",
        "details", "summary", "pre", "hr", "body", "html",
    }
)  # fmt: skip
_HEADINGS = {f"h{n}": f"Heading{n}" for n in range(1, 7)}

_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)
_FOOTNOTE_PR_XML = (
    f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
)
_STYLES_XML = {
    "FootnoteText": (
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="FootnoteText">'
        '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>'
    ),
    "FootnoteReference": (
        f'<w:style {nsdecls("w")} w:type="character" w:styleId="FootnoteReference">'
        '<w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    ),
    "Hyperlink": (
        f'<w:style {nsdecls("w")} w:type="character" w:styleId="Hyperlink">'
        '<w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:rPr><w:color w:val="0563C1" w:themeColor="hyperlink"/><w:u w:val="single"/></w:rPr>'
        "</w:style>"
    ),
}


def render_docx(html: str, *, lang: str, title: str = "") -> bytes:
    """The .docx (bytes) for `html` written to the contract in this module's docstring.

    `lang` is "en" or "ru" (or a full tag such as "kk-KZ"); `title` goes to the core
    properties, by default the page's ``<title>``.
    """
    page = _parse(html)
    doc = Document()
    tag = LANGUAGE_TAGS.get(lang.strip().lower(), lang.strip()) or LANGUAGE_TAGS["en"]
    _set_up(doc, tag)
    notes = _Notes(doc)
    root = _content_root(page) if page is not None else None
    if root is not None:
        _Renderer(doc, notes).render(root)
    _finish_body(doc)

    props = doc.core_properties
    props.title = title.strip() or _page_title(page)
    props.language = tag
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- input -------------------------------------------------------------------------------------


def _parse(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):  # e.g. only a comment: nothing to render
        return None


def _content_root(page: etree._Element) -> etree._Element | None:
    found = page.xpath(
        "//article[contains(concat(' ', normalize-space(@class), ' '), ' document ')]"
    )
    if isinstance(found, list) and found:
        return cast(etree._Element, found[0])
    body = page.find("body")
    return body


def _page_title(page: etree._Element | None) -> str:
    if page is None:
        return ""
    t = page.find("head/title")
    return _text_of(t) if t is not None else ""


def _text_of(el: etree._Element) -> str:
    return _WS.sub(" ", "".join(el.itertext())).strip()


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


# -- document set-up ---------------------------------------------------------------------------


def _set_up(doc: DocxDocument, lang_tag: str) -> None:
    styles = doc.styles.element
    for style_id, xml in _STYLES_XML.items():
        if styles.get_by_id(style_id) is None:
            styles.append(parse_xml(xml))

    # The default language of every run.
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), lang_tag)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), lang_tag)

    # Word lists the separator footnotes in the settings; w:footnotePr precedes w:compat.
    if settings.find(qn("w:footnotePr")) is None:
        footnote_pr = parse_xml(_FOOTNOTE_PR_XML)
        anchor = next(
            (
                settings.find(qn(t))
                for t in ("w:endnotePr", "w:compat", "w:docVars", "w:rsids")
                if settings.find(qn(t)) is not None
            ),
            None,
        )
        if anchor is not None:
            anchor.addprevious(footnote_pr)
        else:
            settings.append(footnote_pr)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))

    # Page number, centred.
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = paragraph._p
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        r = OxmlElement("w:r")
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r.append(fld)
        elif instr == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = instr
            r.append(t)
        p.append(r)
    end = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end.append(fld)
    p.append(end)


def _finish_body(doc: DocxDocument) -> None:
    """Word wants a paragraph in an empty body and after a table that ends the document."""
    body = doc.element.body
    blocks = [c for c in body if c.tag in (qn("w:p"), qn("w:tbl"))]
    if not blocks or blocks[-1].tag == qn("w:tbl"):
        doc.add_paragraph()


class _Notes:
    """The footnotes part and the footnotes in it."""

    def __init__(self, doc: DocxDocument) -> None:
        element = parse_xml(_FOOTNOTES_XML)
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, doc.part.package
        )
        doc.part.relate_to(self.part, RT.FOOTNOTES)
        self.element = element
        self.count = 0

    def new(self) -> tuple[int, BaseOxmlElement]:
        self.count += 1
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(self.count))
        self.element.append(note)
        return self.count, cast(BaseOxmlElement, note)


# -- where paragraphs go -----------------------------------------------------------------------


class _Story(Protocol):
    part: Part

    def new_paragraph(self, style: str | None) -> Paragraph: ...

    def new_table(self, rows: int, cols: int) -> Table: ...


def _styled(paragraph: Paragraph, style: str | None) -> Paragraph:
    if style:
        paragraph._p.get_or_add_pPr().style = style
    return paragraph


class _BodyStory:
    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self.part: Part = doc.part
        self.break_pending = False
        self.after_table = False

    def new_paragraph(self, style: str | None) -> Paragraph:
        paragraph = _styled(self.doc.add_paragraph(), style)
        if self.break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.break_pending = False
        if self.after_table and not (style or "").startswith("Heading"):
            paragraph.paragraph_format.space_before = Pt(8)  # tables have no space after
        self.after_table = False
        return paragraph

    def new_table(self, rows: int, cols: int) -> Table:
        if self.break_pending:
            run = self.doc.add_paragraph()._p.add_r()
            br = OxmlElement("w:br")
            br.set(qn("w:type"), "page")
            run.append(br)
            self.break_pending = False
        elif self.after_table:  # Word would merge two adjacent tables into one
            self.doc.add_paragraph()
        self.after_table = True
        return cast(Table, self.doc.add_table(rows, cols))


class _CellStory:
    def __init__(self, cell: _Cell) -> None:
        self.cell = cell
        self.part: Part = cell.part
        # An unused empty paragraph: the one of a new cell, or the one after a table.
        self.spare: Paragraph | None = cell.paragraphs[0]
        self.spare_after_table = False

    def new_paragraph(self, style: str | None) -> Paragraph:
        paragraph, self.spare = self.spare or self.cell.add_paragraph(), None
        return _styled(paragraph, style)

    def new_table(self, rows: int, cols: int) -> Table:
        table = self.cell.add_table(rows, cols)  # python-docx adds a paragraph after it
        if self.spare is not None and not self.spare_after_table:
            p = self.spare._p
            parent = p.getparent()
            if parent is not None:
                parent.remove(p)
        self.spare, self.spare_after_table = self.cell.paragraphs[-1], True
        return table


class _NoteStory:
    """The paragraphs of one footnote; the first starts with the footnote mark."""

    def __init__(self, note: BaseOxmlElement, part: Part, width: Length) -> None:
        self.note = note
        self.part = part
        self.width = width
        self.paragraphs = 0

    def new_paragraph(self, style: str | None) -> Paragraph:
        p = cast(CT_P, OxmlElement("w:p"))
        self.note.append(p)
        p.get_or_add_pPr().style = "FootnoteText"
        if self.paragraphs == 0:
            mark = p.add_r()
            mark.get_or_add_rPr().style = "FootnoteReference"
            mark.append(OxmlElement("w:footnoteRef"))
            p.add_r().text = " "
        self.paragraphs += 1
        return Paragraph(p, cast(Any, self))

    def new_table(self, rows: int, cols: int) -> Table:
        tbl = CT_Tbl.new_tbl(rows, cols, self.width)
        self.note.append(tbl)
        return Table(tbl, cast(Any, self))

    def finish(self) -> None:
        if self.paragraphs == 0 or self.note[-1].tag != qn("w:p"):
            self.new_paragraph(None)


# -- inline content ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fmt:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    vert: str | None = None  # "superscript" / "subscript"
    link: str | None = None
    link_key: int = 0  # which <a>: two adjacent links stay two hyperlinks


class _Line:
    """The paragraph being filled, with the whitespace state of a browser's line box."""

    def __init__(self, paragraph: Paragraph, part: Part) -> None:
        self.paragraph = paragraph
        self.p = paragraph._p
        self.part = part
        self.space = True  # at the start or after a space: a leading space is dropped
        self.breaks = 0
        self.last_t: etree._Element | None = None
        self.link: etree._Element | None = None
        self.link_key = 0

    def text(self, text: str, fmt: _Fmt) -> None:
        if self.space:
            text = text.lstrip(" ")
        if not text:
            return
        self._flush_breaks()
        r = self._run(fmt)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        self.last_t = t
        self.space = text.endswith(" ")

    def line_break(self) -> None:
        self._trim()
        self.breaks += 1
        self.space = True

    def note_mark(self, note_id: int) -> None:
        self._trim()
        self._flush_breaks()
        r = self.p.add_r()
        r.get_or_add_rPr().style = "FootnoteReference"
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(note_id))
        r.append(ref)
        self.last_t, self.space = None, False

    def note_again(self, label: str) -> None:
        self._trim()
        self._flush_breaks()
        r = self.p.add_r()
        rpr = r.get_or_add_rPr()
        rpr.style = "FootnoteReference"
        rpr.superscript = True
        r.text = label
        self.last_t, self.space = None, False

    def finish(self) -> None:
        self._trim()

    def _trim(self) -> None:
        t, self.last_t = self.last_t, None
        if t is None or not t.text or not t.text.endswith(" "):
            return
        t.text = t.text.rstrip(" ")
        if not t.text:
            run = t.getparent()
            holder = run.getparent() if run is not None else None
            if run is not None and holder is not None:
                holder.remove(run)

    def _flush_breaks(self) -> None:
        for _ in range(self.breaks):
            self.p.add_r().append(OxmlElement("w:br"))
        self.breaks = 0

    def _run(self, fmt: _Fmt) -> CT_R:
        r = cast(CT_R, OxmlElement("w:r"))
        if fmt.link:
            if self.link is None or self.link_key != fmt.link_key or self.p[-1] is not self.link:
                r_id = self.part.relate_to(fmt.link, RT.HYPERLINK, is_external=True)
                self.link = OxmlElement("w:hyperlink")
                self.link.set(qn("r:id"), r_id)
                self.link.set(qn("w:history"), "1")
                self.link_key = fmt.link_key
                self.p.append(self.link)
            self.link.append(r)
        else:
            self.p.append(r)
        if fmt.link:
            r.get_or_add_rPr().style = "Hyperlink"
        if fmt.bold or fmt.italic or fmt.underline or fmt.vert:
            font = Font(r)
            font.bold = fmt.bold or None
            font.italic = fmt.italic or None
            font.underline = (fmt.underline and not fmt.link) or None
            font.superscript = fmt.vert == "superscript" or None
            font.subscript = fmt.vert == "subscript" or None
        return r


# -- block content -----------------------------------------------------------------------------


class _Flow:
    """Paragraphs made in one story with the same style, indent and list level."""

    def __init__(
        self,
        story: _Story,
        *,
        style: str | None = None,
        next_style: str | None = None,
        indent: int = 0,
        depth: int = 0,
        num_id: int | None = None,
        keep: bool = False,
        space_before: Length | None = None,
    ) -> None:
        self.story = story
        self.style = style
        self.next_style = next_style if next_style is not None else style
        self.indent = indent
        self.depth = depth
        self.num_id = num_id
        self.keep = keep
        self.space_before = space_before
        self.line: _Line | None = None
        self.last: Paragraph | None = None
        self.count = 0

    def sub(self, **changes: Any) -> _Flow:
        """A flow inside this one: same story, indent and list depth unless changed."""
        args: dict[str, Any] = {"indent": self.indent, "depth": self.depth}
        args.update(changes)
        return _Flow(self.story, **args)

    def ensure_line(self) -> _Line:
        if self.line is None:
            style = self.style if self.count == 0 else self.next_style
            paragraph = self.story.new_paragraph(style)
            if self.count == 0 and self.num_id is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = self.num_id
            if self.indent and not (style or "").startswith("List"):
                paragraph.paragraph_format.left_indent = Emu(self.indent)
            if self.keep:
                paragraph.paragraph_format.keep_with_next = True
            if self.count == 0 and self.space_before is not None:
                paragraph.paragraph_format.space_before = self.space_before
            self.count += 1
            self.last = paragraph
            self.line = _Line(paragraph, self.story.part)
        return self.line

    def text(self, text: str | None, fmt: _Fmt) -> None:
        if not text:
            return
        text = _WS.sub(" ", text)
        if self.line is None and not text.strip(" "):
            return
        self.ensure_line().text(text, fmt)

    def close(self) -> None:
        if self.line is not None:
            self.line.finish()
            self.line = None


class _Renderer:
    def __init__(self, doc: DocxDocument, notes: _Notes) -> None:
        self.doc = doc
        self.notes = notes
        self.body = _BodyStory(doc)
        self.in_note = False
        self.width = doc._block_width
        self._link_keys = 0

    def render(self, root: etree._Element) -> None:
        flow = _Flow(self.body)
        self.children(root, flow, _Fmt())
        flow.close()

    def children(self, el: etree._Element, flow: _Flow, fmt: _Fmt) -> None:
        flow.text(el.text, fmt)
        for child in el:
            self.node(child, flow, fmt)
            flow.text(child.tail, fmt)

    def node(self, el: etree._Element, flow: _Flow, fmt: _Fmt) -> None:
        if not isinstance(el.tag, str):  # comments, processing instructions
            return
        tag = el.tag.lower()
        classes = _classes(el)
        if tag in _SKIP or "screen-only" in classes:
            return
        if "footnote" in classes:
            self.footnote(el, flow)
        elif "footnote-again" in classes:
            label = _text_of(el) or (el.get("data-n") or "").strip()
            if label:
                flow.ensure_line().note_again(label)
        elif tag in _HEADINGS:
            flow.close()
            self.block(el, flow.sub(style=_HEADINGS[tag], keep=True), fmt)
        elif tag in ("ul", "ol"):
            flow.close()
            self.list(el, flow, fmt, ordered=tag == "ol")
        elif tag == "li":  # outside a list
            flow.close()
            self.block(el, self.item_flow(flow, ordered=False, num_id=None), fmt)
        elif tag == "table":
            flow.close()
            self.table(el, flow, fmt)
        elif tag == "blockquote" or tag == "dd":
            flow.close()
            self.block(el, flow.sub(indent=flow.indent + _INDENT), fmt)
        elif tag == "dt":
            flow.close()
            self.block(el, flow.sub(keep=True), replace(fmt, bold=True))
        elif tag in ("dl", "caption") or tag in _CONTAINERS:
            flow.close()
            if "page-break" in classes and flow.story is self.body:
                self.body.break_pending = True
            if "signature" in classes:
                sig = flow.sub(keep=True, space_before=Pt(24))
                if "___" not in "".join(el.itertext()):  # the template has no line of its own
                    sig.text(_SIGNING_LINE, _Fmt())
                    sig.close()
                self.block(el, sig, fmt)
                if sig.last is not None:  # kept together, not with what follows
                    sig.last.paragraph_format.keep_with_next = None
            else:
                self.children(el, flow, fmt)
                flow.close()
        elif tag == "br":
            if flow.line is not None:
                flow.line.line_break()
        else:
            self.children(el, flow, self.inline_fmt(el, tag, fmt))

    def block(self, el: etree._Element, flow: _Flow, fmt: _Fmt) -> None:
        self.children(el, flow, fmt)
        flow.close()

    def inline_fmt(self, el: etree._Element, tag: str, fmt: _Fmt) -> _Fmt:
        if tag in ("strong", "b"):
            return replace(fmt, bold=True)
        if tag in ("em", "i", "cite"):
            return replace(fmt, italic=True)
        if tag == "u":
            return replace(fmt, underline=True)
        if tag == "sup":
            return replace(fmt, vert="superscript")
        if tag == "sub":
            return replace(fmt, vert="subscript")
        if tag == "a":
            href = (el.get("href") or "").strip()
            if href.lower().startswith(_LINK_SCHEMES):
                self._link_keys += 1
                return replace(fmt, link=href, link_key=self._link_keys)
        return fmt

    # -- footnotes

    def footnote(self, el: etree._Element, flow: _Flow) -> None:
        if self.in_note:  # a footnote in a footnote: its text is part of the outer one
            self.children(el, flow, _Fmt())
            return
        note_id, note = self.notes.new()
        story = _NoteStory(note, self.notes.part, self.width)
        self.in_note = True
        try:
            self.block(el, _Flow(story), _Fmt())
        finally:
            self.in_note = False
        story.finish()
        flow.ensure_line().note_mark(note_id)

    # -- lists

    def list(self, el: etree._Element, flow: _Flow, fmt: _Fmt, *, ordered: bool) -> None:
        num_id: int | None = None
        if ordered and not isinstance(flow.story, _NoteStory):
            start = _int(el.get("start"), 1, lo=0, hi=32767)
            num_id = self.restart_numbering(self.list_style(flow.depth + 1, ordered), start)
        # Text and elements that are not in an <li> are list items of their own.
        stray = self.item_flow(flow, ordered=ordered, num_id=num_id)
        stray.text(el.text, fmt)
        for child in el:
            if isinstance(child.tag, str) and child.tag.lower() == "li":
                stray.close()
                if "screen-only" not in _classes(child):
                    self.block(child, self.item_flow(flow, ordered=ordered, num_id=num_id), fmt)
                stray = self.item_flow(flow, ordered=ordered, num_id=num_id)
            else:
                self.node(child, stray, fmt)
            stray.text(child.tail, fmt)
        stray.close()

    def list_style(self, depth: int, ordered: bool) -> str:
        level = min(max(depth, 1), 3)
        return ("ListNumber" if ordered else "ListBullet") + (str(level) if level > 1 else "")

    def item_flow(self, flow: _Flow, *, ordered: bool, num_id: int | None) -> _Flow:
        depth = flow.depth + 1
        level = min(depth, 3)
        return flow.sub(
            style=self.list_style(depth, ordered),
            next_style="ListContinue" + (str(level) if level > 1 else ""),
            depth=depth,
            num_id=num_id,
        )

    def restart_numbering(self, style_id: str, start: int) -> int | None:
        """A new w:num for the list style's numbering that starts again at `start`."""
        style = self.doc.styles.element.get_by_id(style_id)
        ppr = style.pPr if style is not None else None
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        # CT_Numbering: python-docx leaves these methods untyped.
        numbering: Any = self.doc.part.numbering_part.element
        num = numbering.num_having_numId(num_pr.numId.val)
        new = numbering.add_num(num.abstractNumId.val)
        new.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(new.numId)

    # -- tables

    def table(self, el: etree._Element, flow: _Flow, fmt: _Fmt) -> None:
        rows: list[tuple[etree._Element, bool]] = []
        before: list[etree._Element | str] = []

        def collect(container: etree._Element, head: bool) -> None:
            if container.text and container.text.strip():
                before.append(container.text)
            for child in container:
                if isinstance(child.tag, str):
                    tag = child.tag.lower()
                    if tag in _SKIP or "screen-only" in _classes(child):
                        pass
                    elif tag == "tr":
                        rows.append((child, head))
                    elif tag in ("thead", "tbody", "tfoot"):
                        collect(child, tag == "thead")
                    elif tag not in ("colgroup", "col"):
                        before.append(child)
                if child.tail and child.tail.strip():
                    before.append(child.tail)

        collect(el, False)
        grid: list[tuple[list[etree._Element], bool]] = []
        for tr, head in rows:
            cells = [
                c
                for c in tr
                if isinstance(c.tag, str)
                and c.tag.lower() not in _SKIP
                and "screen-only" not in _classes(c)
            ]
            stray = (tr.text or "") + "".join(c.tail or "" for c in tr)
            if stray.strip():
                before.append(_WS.sub(" ", stray))
            if cells:
                grid.append((cells, head))

        for item in before:  # the caption and anything else that is not in a cell
            sub = flow.sub(keep=True)
            if isinstance(item, str):
                sub.text(item, fmt)
            else:
                caption = isinstance(item.tag, str) and item.tag.lower() == "caption"
                self.node(item, sub, replace(fmt, bold=True) if caption else fmt)
            sub.close()
        if not grid:
            return

        ncols = max(sum(_int(c.get("colspan"), 1, lo=1, hi=63) for c in cells) for cells, _ in grid)
        table = flow.story.new_table(len(grid), ncols)
        table._tbl.tblStyle_val = "TableGrid"
        leading_head = 0
        any_thead = any(head for _, head in grid)
        for cells, head in grid:
            is_head = head if any_thead else all(c.tag.lower() == "th" for c in cells)
            if not is_head:
                break
            leading_head += 1
        # Row by row: python-docx's table.rows[i] and table.cell(i, j) walk the whole table on
        # every call, which made a 1,000-row table take minutes.
        for i, (row, (cells, head)) in enumerate(zip(table.rows, grid, strict=True)):
            if i < leading_head:
                tr_pr = row._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:tblHeader"))
            row_cells = row.cells
            col = 0
            for c in cells:
                if col >= ncols:
                    break
                span = min(_int(c.get("colspan"), 1, lo=1, hi=63), ncols - col)
                cell = row_cells[col]
                if span > 1:
                    cell = cell.merge(row_cells[col + span - 1])
                    row_cells = row.cells
                bold = fmt.bold or i < leading_head or head or c.tag.lower() == "th"
                cell_flow = _Flow(_CellStory(cell))
                self.block(c, cell_flow, replace(fmt, bold=bold))
                col += span


def _int(value: str | None, default: int, *, lo: int, hi: int) -> int:
    try:
        return min(max(int((value or "").strip()), lo), hi)
    except ValueError:
        return default
