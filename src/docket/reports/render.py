"""Documents rendered from templates, then written as Markdown, HTML, PDF or DOCX.

The templates (``templates/documents/*.html``, described in docs/reports.md) are ordinary
Django templates that a non-programmer can edit; a folder given with ``--templates`` (or
``DOCKET_TEMPLATES``) is looked in first, so a community keeps its own wording without touching
the program. Words that change with the language come from ``templates/documents/labels.yaml``.
A template renders one HTML page for print; every format is made from that one page
(``docket.reports.formats``), so the PDF, the DOCX and the Markdown say the same thing.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.template import Context, Engine

from docket.core.errors import ValidationError
from docket.records import models as m
from docket.reports import documents
from docket.reports.tags import Footnotes

HERE = Path(__file__).parent / "templates"
FORMATS = {
    "appeal": ("md", "html", "pdf", "docx"),
    "chronology": ("md", "html", "pdf", "docx"),
    "dossier": ("md", "html", "pdf", "docx"),
    "communication": ("md", "html", "pdf", "docx"),
    "victims": ("csv", "xlsx"),
}


@cache
def labels() -> dict[str, dict[str, str]]:
    path = HERE / "documents" / "labels.yaml"
    with open(path, encoding="utf-8") as f:
        data: dict[str, dict[str, str]] = yaml.safe_load(f)
    for key, pair in data.items():  # a comma outside quotes splits a label: say where
        if not isinstance(pair, dict) or set(pair) - {"en", "ru"} or not pair.get("en"):
            raise ValidationError(
                f"{key}: needs {{en: ..., ru: ...}}; put a label with a comma in quotes",
                where=str(path),
            )
    return data


def words(lang: str) -> dict[str, str]:
    return {key: pair.get(lang) or pair["en"] for key, pair in labels().items()}


def engine(templates: str | os.PathLike[str] | None = None) -> Engine:
    """The template engine: the user's folder first (if any), then Docket's own."""
    folder = templates or os.environ.get("DOCKET_TEMPLATES") or None
    dirs = [str(HERE)]
    if folder:
        if not Path(folder).is_dir():
            raise ValidationError(f"templates folder {str(folder)!r} does not exist")
        dirs.insert(0, str(folder))
    return Engine(dirs=dirs, autoescape=True, libraries={"docket": "docket.reports.tags"})


@dataclass
class Request:
    """What to produce: a kind of document for a profile, language and date."""

    kind: str
    profile: str = "public"
    lang: str = "en"
    as_of: datetime.date | None = None
    person: str | None = None
    place: str | None = None
    requests: str = ""
    submitter: str = ""

    def check(self) -> None:
        if self.kind not in FORMATS:
            raise ValidationError(f'unknown document "{self.kind}"; valid: {", ".join(FORMATS)}')
        documents.check_profile(self.profile)
        if self.lang not in documents.LANGS:
            raise ValidationError(f'unknown language "{self.lang}"; valid: en, ru')
        if self.kind in ("dossier", "communication") and not self.person:
            raise ValidationError(
                f"the {self.kind} is about one person: give the person's code (--person CODE)"
            )


def gather(case: m.Case, req: Request) -> dict[str, Any]:
    """The data of the document, read from the record for the request's profile."""
    req.check()
    day = req.as_of or datetime.date.today()
    common = {"profile": req.profile, "lang": req.lang}
    build: dict[str, Callable[[], dict[str, Any]]] = {
        "appeal": lambda: documents.appeal(case, **common, as_of=day, requests=req.requests),
        "chronology": lambda: documents.chronology(
            case, **common, person=req.person, place=req.place, as_of=req.as_of
        ),
        "dossier": lambda: documents.dossier(case, **common, person=req.person or "", as_of=day),
        "communication": lambda: documents.communication(
            case,
            **common,
            person=req.person or "",
            as_of=day,
            requests=req.requests,
            submitter=req.submitter,
        ),
    }
    return build[req.kind]()


def render_html(
    req: Request, data: dict[str, Any], templates: str | os.PathLike[str] | None = None
) -> str:
    """The document as one HTML page for print, with footnotes where they are cited."""
    context = {
        **data,
        "w": words(req.lang),
        "lang": req.lang,
        "profile": req.profile,
        "kind": req.kind,
        "generated": datetime.date.today().isoformat(),
        "footnotes": Footnotes(req.lang),
    }
    template = engine(templates).get_template(f"documents/{req.kind}.html")
    return template.render(Context(context))


def make(
    case: m.Case,
    req: Request,
    fmt: str,
    *,
    templates: str | os.PathLike[str] | None = None,
    step: Callable[[str], None] = lambda _: None,
) -> bytes:
    """The document in ``fmt``, as bytes; ``step`` is told each stage (for a progress bar)."""
    req.check()
    if fmt not in FORMATS[req.kind]:
        raise ValidationError(
            f'the {req.kind} is written as {", ".join(FORMATS[req.kind])}, not "{fmt}"'
        )
    title = documents.case_title(case, req.lang)
    if req.kind == "victims":
        from docket.reports import tables

        step("reading the record")
        rows = tables.victims(
            case, profile=req.profile, lang=req.lang, as_of=req.as_of or datetime.date.today()
        )
        step(f"writing {fmt}")
        if fmt == "csv":
            return tables.to_csv(rows, req.lang)
        return tables.to_xlsx(rows, req.lang, title)
    from docket.reports import formats

    step("reading the record")
    data = gather(case, req)
    step("laying out the document")
    page = render_html(req, data, templates)
    step(f"writing {fmt}")
    if fmt == "html":
        return formats.screen_html(page).encode("utf-8")
    if fmt == "md":
        return formats.markdown(page).encode("utf-8")
    if fmt == "pdf":
        return formats.pdf(page)
    from docket.reports.docx import render_docx

    return render_docx(page, lang=req.lang, title=data.get("title", title))


STAGES = 3  # the calls of ``step`` above, for a progress bar's length
