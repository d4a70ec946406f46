"""HTML → .docx with real Word footnotes (docket.reports.docx)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import etree

from docket.reports.docx import render_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

URL = "https://www.hrw.org/news/2020/02/korday"

SAMPLE = f"""<!doctype html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <title>Сообщение</title>
  <style>body {{ color: red; }}</style>
  <script>document.write("script text");</script>
</head>
<body>
  <nav class="screen-only">Screen menu</nav>
  <p>Outside the article</p>
  <article class="document">
    <h1>Communication to the Special Rapporteur</h1>
    <p>
      On 7–8 February 2020 violence broke out in Korday district<span class="footnote">Human
      Rights Watch, report, <a href="{URL}">{URL}</a>.</span>.
      Eleven   people were killed.<span class="footnote">Ministry of Internal Affairs,
      statement of 10 February 2020.</span>
    </p>
    <h2>Жертвы и задержанные</h2>
    <p>Дунганская община пострадала <strong>непропорционально</strong>,
      <span class="footnote">Доклад <em>правозащитников</em>, 2021.</span> и власти
      задержали многих<sup class="footnote-again" data-n="1">1</sup>.</p>
    <h3>Detained persons</h3>
    <table>
      <thead><tr><th>Name</th><th>Status</th></tr></thead>
      <tbody>
        <tr><td>Person A</td><td>Detained</td></tr>
        <tr><td>Person B</td><td>Released</td></tr>
      </tbody>
    </table>
    <ul>
      <li>First point</li>
      <li>Second point
        <ul><li>Nested point</li></ul>
      </li>
    </ul>
    <ol><li>Step one</li><li>Step two</li></ol>
    <dl>
      <dt>Name of the victim</dt><dd>Person A</dd>
      <dt>State concerned</dt><dd>Kazakhstan</dd>
    </dl>
    <blockquote>A quoted passage.</blockquote>
    <div class="page-break"></div>
    <section><p>After the break.</p></section>
    <div class="signature"><p>Lawyer X</p></div>
  </article>
</body>
</html>
"""

FOOTNOTE_TEXTS = [
    f"Human Rights Watch, report, {URL}.",
    "Ministry of Internal Affairs, statement of 10 February 2020.",
    "Доклад правозащитников, 2021.",
]


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _all_text(data: bytes) -> str:
    """Every w:t of the body and the footnotes."""
    texts = []
    for name in ("word/document.xml", "word/footnotes.xml"):
        texts += [t.text or "" for t in _part(data, name).iter(f"{{{W}}}t")]
    return " ".join(texts)


@pytest.fixture(scope="module")
def sample() -> bytes:
    return render_docx(SAMPLE, lang="ru")


def test_body_text_styles_and_table(sample: bytes) -> None:
    d = docx.Document(io.BytesIO(sample))
    paras = [(p.style.name if p.style else "", p.text) for p in d.paragraphs]
    texts = [t for _, t in paras]

    assert ("Heading 1", "Communication to the Special Rapporteur") in paras
    assert ("Heading 2", "Жертвы и задержанные") in paras
    assert ("Heading 3", "Detained persons") in paras
    # Whitespace collapses like a browser's; footnote texts stay out of the body; a space before
    # a footnote mark goes.
    assert (
        "On 7–8 February 2020 violence broke out in Korday district. Eleven people were killed."
    ) in texts
    assert "Дунганская община пострадала непропорционально, и власти задержали многих1." in texts
    body = "\n".join(texts)
    for note in FOOTNOTE_TEXTS:
        assert note not in body
    assert "Human" not in body and "Ministry" not in body
    # Only the article; nothing from head, script, style or screen-only elements.
    for absent in ("Outside the article", "Screen menu", "script text", "color: red"):
        assert absent not in _all_text(sample)
    # No empty paragraphs from the indentation of the HTML.
    assert all(t.strip() for t in texts), paras

    assert ("List Bullet", "First point") in paras
    assert ("List Bullet", "Second point") in paras
    assert ("List Bullet 2", "Nested point") in paras
    assert ("List Number", "Step one") in paras and ("List Number", "Step two") in paras

    dt = next(p for p in d.paragraphs if p.text == "Name of the victim")
    assert all(r.bold for r in dt.runs)
    dd = next(p for p in d.paragraphs if p.text == "Kazakhstan")
    assert dd.paragraph_format.left_indent and dd.paragraph_format.left_indent > 0
    quote = next(p for p in d.paragraphs if p.text == "A quoted passage.")
    assert quote.paragraph_format.left_indent and quote.paragraph_format.left_indent > 0
    after = next(p for p in d.paragraphs if p.text == "After the break.")
    assert after.paragraph_format.page_break_before is True
    sign = texts.index("Lawyer X")
    assert set(texts[sign - 1]) == {"_"}

    (table,) = d.tables
    assert table.style is not None and table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Name", "Status"],
        ["Person A", "Detained"],
        ["Person B", "Released"],
    ]
    header = table.rows[0]
    assert header._tr.trPr is not None
    assert header._tr.trPr.find(f"{{{W}}}tblHeader") is not None
    assert all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)
    assert table.rows[1]._tr.trPr is None


def test_footnotes_part(sample: bytes) -> None:
    notes = _part(sample, "word/footnotes.xml")
    footnotes = notes.findall("w:footnote", NS)
    ids = [int(f.get(f"{{{W}}}id")) for f in footnotes]
    assert ids == [-1, 0, 1, 2, 3]
    assert [f.get(f"{{{W}}}type") for f in footnotes[:2]] == ["separator", "continuationSeparator"]
    assert footnotes[0].find(".//w:separator", NS) is not None
    assert footnotes[1].find(".//w:continuationSeparator", NS) is not None
    for note, expected in zip(footnotes[2:], FOOTNOTE_TEXTS, strict=True):
        assert note.find(".//w:footnoteRef", NS) is not None
        assert _text(note).strip() == expected
        assert note.find(".//w:pStyle", NS).get(f"{{{W}}}val") == "FootnoteText"
    # The URL is a real hyperlink, related from the footnotes part.
    link = footnotes[2].find(".//w:hyperlink", NS)
    assert link is not None and _text(link) == URL
    with zipfile.ZipFile(io.BytesIO(sample)) as z:
        rels = z.read("word/_rels/footnotes.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
        doc_rels = z.read("word/_rels/document.xml.rels").decode()
    assert URL in rels and 'TargetMode="External"' in rels
    assert 'PartName="/word/footnotes.xml"' in types
    assert "wordprocessingml.footnotes+xml" in types
    assert "relationships/footnotes" in doc_rels and 'Target="footnotes.xml"' in doc_rels

    settings = _part(sample, "word/settings.xml")
    listed = settings.findall("w:footnotePr/w:footnote", NS)
    assert [f.get(f"{{{W}}}id") for f in listed] == ["-1", "0"]

    styles = _part(sample, "word/styles.xml")
    style_ids = {s.get(f"{{{W}}}styleId") for s in styles.findall("w:style", NS)}
    assert {"FootnoteText", "FootnoteReference"} <= style_ids
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang is not None and lang.get(f"{{{W}}}val") == "ru-RU"


def test_footnote_references_in_body(sample: bytes) -> None:
    document = _part(sample, "word/document.xml")
    refs = document.findall(".//w:footnoteReference", NS)
    assert [r.get(f"{{{W}}}id") for r in refs] == ["1", "2", "3"]
    for ref in refs:
        style = ref.getparent().find("w:rPr/w:rStyle", NS)
        assert style is not None and style.get(f"{{{W}}}val") == "FootnoteReference"
    # The repeated citation: a superscript "1" in the footnote reference style, not a new note.
    again = [
        r
        for r in document.iter(f"{{{W}}}r")
        if r.find("w:rPr/w:rStyle[@w:val='FootnoteReference']", NS) is not None
        and r.find("w:footnoteReference", NS) is None
    ]
    assert len(again) == 1
    assert _text(again[0]) == "1"
    assert again[0].find("w:rPr/w:vertAlign", NS).get(f"{{{W}}}val") == "superscript"


def test_document_properties_and_footer(sample: bytes) -> None:
    d = docx.Document(io.BytesIO(sample))
    assert d.core_properties.title == "Сообщение"  # from <title> when none is given
    assert d.core_properties.language == "ru-RU"
    footer = d.sections[0].footer
    assert footer.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    instr = footer._element.findall(".//w:instrText", NS)
    assert [i.text.strip() for i in instr] == ["PAGE"]

    english = render_docx("<p>Hello</p>", lang="en", title="An appeal")
    d = docx.Document(io.BytesIO(english))
    assert d.core_properties.title == "An appeal"
    assert d.core_properties.language == "en-GB"
    lang = _part(english, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang is not None and lang.get(f"{{{W}}}val") == "en-GB"


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is needed to check that the .docx opens: "
            "apt-get install libreoffice-writer-nogui"
        )
    return found


def docx_to_pdf(data: bytes, tmp_path: Path) -> pypdf.PdfReader:
    """Open a .docx in LibreOffice (headless) and print it to PDF, as a recipient would."""
    soffice = _soffice()
    source = tmp_path / "sample.docx"
    source.write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "sample.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    return pypdf.PdfReader(pdf)


def test_libreoffice_converts_to_pdf(sample: bytes, tmp_path: Path) -> None:
    reader = docx_to_pdf(sample, tmp_path)
    first = reader.pages[0].extract_text()
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert URL in first
    assert "Дунганская община пострадала" in first
    assert "Доклад правозащитников, 2021." in first
    # The footnotes are at the foot of the page: after the last body text of that page.
    assert first.index("Human Rights Watch") > first.index("A quoted passage.")
    assert text.count("Ministry of Internal Affairs") == 1
    assert "After the break." in reader.pages[1].extract_text()


ODD = """
<html><body>
  <!-- a comment -->
  <blink>Unknown <marquee>inner <b>bold</b></marquee> tag</blink>
  <span><span><span>Deeply nested span</span></span></span>
  <p>Paragraph <div>with a div inside</div> and after</p>
  <strong><p>Bold paragraph in strong</p></strong>
  <h2>Heading with a note<span class="footnote">Note in a heading.</span></h2>
  <table>
    <caption>Caption text</caption>
    <tr><th>Col A</th><th>Col B</th><th>Col C</th></tr>
    <tr><td colspan="2">Spanning cell<span class="footnote">Note in a cell,
      <a href="https://example.org/cell">https://example.org/cell</a>.</span></td>
      <td><p>First para</p><p>Second para</p>
        <table><tr><td>Inner table</td></tr></table></td></tr>
    <tr><td>Short row</td></tr>
  </table>
  <table></table>
  <table><tr></tr></table>
  <ul>Stray list text<li>Item</li><li></li><p>Para in list</p></ul>
  <li>Orphan item</li>
  <dd>Orphan dd</dd>
  <p>Line one<br>line two<br></p>
  <p><br>   </p>
  <p>Outer note<span class="footnote">Outer <span class="footnote">inner</span> text</span></p>
  <p>Empty note<span class="footnote"></span> here<sup class="footnote-again" data-n="2"></sup></p>
  <p><a href="#fn1">Anchor link</a> and <a>no href</a> and <a href="javascript:x()">js</a></p>
  <p class="screen-only">Hidden on paper</p>
  <div class="page-break"></div>
  <p>Unclosed paragraph <em>em <i>deeper
  <section>Section text</section>
</body></html>
"""


def test_odd_input_keeps_the_text() -> None:
    data = render_docx(ODD, lang="en")
    d = docx.Document(io.BytesIO(data))
    everything = _all_text(data)
    for piece in (
        "Unknown",
        "inner",
        "bold",
        "tag",
        "Deeply nested span",
        "with a div inside",
        "and after",
        "Bold paragraph in strong",
        "Heading with a note",
        "Caption text",
        "Spanning cell",
        "First para",
        "Second para",
        "Inner table",
        "Short row",
        "Stray list text",
        "Item",
        "Para in list",
        "Orphan item",
        "Orphan dd",
        "Line one",
        "line two",
        "Outer",
        "text",
        "Anchor link",
        "no href",
        "js",
        "Unclosed paragraph",
        "deeper",
        "Section text",
        "Note in a heading.",
        "Note in a cell,",
        "https://example.org/cell",
    ):
        assert piece in everything, piece
    assert "Hidden on paper" not in everything
    assert "a comment" not in everything

    heading = next(p for p in d.paragraphs if p.text.startswith("Heading with"))
    assert heading.style is not None and heading.style.name == "Heading 2"
    assert heading.text == "Heading with a note"
    assert heading._p.find(".//w:footnoteReference", NS) is not None

    document = _part(data, "word/document.xml")
    cell_refs = document.findall(".//w:tc//w:footnoteReference", NS)
    assert [r.get(f"{{{W}}}id") for r in cell_refs] == ["2"]
    notes = _part(data, "word/footnotes.xml").findall("w:footnote", NS)
    texts = {int(n.get(f"{{{W}}}id")): _text(n).strip() for n in notes}
    assert texts[1] == "Note in a heading."
    assert texts[2] == "Note in a cell, https://example.org/cell."
    assert texts[3] == "Outer inner text"  # a note inside a note stays text of the outer one
    assert texts[4] == ""  # an empty note still takes its number
    assert len(document.findall(".//w:footnoteReference", NS)) == 4

    bold = next(p for p in d.paragraphs if p.text == "Bold paragraph in strong")
    assert all(r.bold for r in bold.runs)
    lines = next(p for p in d.paragraphs if p.text.startswith("Line one"))
    assert lines.text == "Line one\nline two"  # no break left at the end
    assert "Anchor link and no href and js" in [p.text for p in d.paragraphs]
    assert not document.findall(".//w:hyperlink", NS)  # only absolute addresses are links

    (outer,) = d.tables  # the empty tables make none
    assert len(outer.columns) == 3
    assert outer.rows[1].cells[0].text.startswith("Spanning cell")
    assert outer.rows[1].cells[0]._tc.grid_span == 2
    assert outer.rows[1].cells[2].tables[0].rows[0].cells[0].text == "Inner table"


@pytest.mark.parametrize(
    "html",
    ["", "   \n  ", "<!-- only a comment -->", "<html><head><title>T</title></head></html>"],
)
def test_empty_input_gives_an_empty_document(html: str) -> None:
    d = docx.Document(io.BytesIO(render_docx(html, lang="ru")))
    assert "".join(p.text for p in d.paragraphs) == ""
    assert not d.tables


def test_fragment_and_whitespace() -> None:
    data = render_docx(
        "  Loose   text\n\t<em>emph</em>  <b> bold </b>tail\u00a0nbsp  ", lang="en", title="X"
    )
    d = docx.Document(io.BytesIO(data))
    assert [p.text for p in d.paragraphs] == ["Loose text emph bold tail\u00a0nbsp"]
