"""Pages. Each view reads through selectors for the visitor's audience and renders; nothing
else. A record the visitor may not see is a 404, never a hint that it exists."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from docket.core import vocab
from docket.core.dates import to_date
from docket.core.errors import DocketError, NotFound
from docket.records import models as m
from docket.records.chronology import timeline
from docket.records.people import SORTS, person_dossier, person_list
from docket.records.services import case_get
from docket.records.statistics import stats_rows
from docket.web.roles import audience_of, role_of

PAGE_SIZE = 50


def _lang() -> str:
    return "ru" if (translation.get_language() or "en").startswith("ru") else "en"


def _as_of(request: HttpRequest) -> tuple[datetime.date, str]:
    """The day asked for (?as_of=), today if none; an unreadable day is reported, not fatal."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return datetime.date.today(), ""
    try:
        return to_date(raw), ""
    except DocketError as exc:
        return datetime.date.today(), exc.message


def _case() -> m.Case:
    try:
        return case_get()
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _base(request: HttpRequest) -> dict[str, Any]:
    as_of, error = _as_of(request)
    return {
        "case": _case(),
        "lang": _lang(),
        "audience": audience_of(request.user),
        "role": role_of(request.user),
        "as_of": as_of,
        "as_of_error": error,
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    rows = stats_rows(ctx["case"], ctx["as_of"], ["custody", "ethnicity"], audience=ctx["audience"])
    lang = ctx["lang"]
    custody_v, eth_v = vocab.vocabulary("custody_states"), vocab.vocabulary("ethnicities")
    ethnicities = sorted({r["ethnicity"] for r in rows})
    table = []
    for code in custody_v.codes():
        counts = {r["ethnicity"]: r["count"] for r in rows if r["custody"] == code}
        if counts:
            table.append(
                {
                    "custody": custody_v.label(code, lang),
                    "code": code,
                    "cells": [counts.get(e, 0) for e in ethnicities],
                    "total": sum(counts.values()),
                }
            )
    tl = timeline(
        ctx["case"], audience=ctx["audience"], lang=lang, date_to=ctx["as_of"].isoformat()
    )
    ctx.update(
        {
            "ethnicities": [eth_v.label(e, lang) for e in ethnicities],
            "table": table,
            "recent": list(reversed(tl.entries[-10:])),
        }
    )
    if ctx["audience"] in ("internal", "restricted"):
        from docket.records.consistency import findings

        found = findings(ctx["case"])
        ctx["findings"] = {
            s: sum(1 for f in found if f.severity == s) for s in ("error", "warning", "info")
        }
        ctx["drafts"] = m.Event.objects.filter(case=ctx["case"], review_state="draft").count() + (
            m.Person.objects.filter(case=ctx["case"], review_state="draft").count()
        )
    return render(request, "web/dashboard.html", ctx)


def persons(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    lang = ctx["lang"]
    filters = {k: request.GET.get(k, "") for k in ("custody", "legal_stage", "ethnicity")}
    sort = request.GET.get("sort", "code")
    rows = person_list(
        ctx["case"], audience=ctx["audience"], lang=lang, as_of=ctx["as_of"], sort=sort, **filters
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    choices = {
        "custody": vocab.vocabulary("custody_states"),
        "legal_stage": vocab.vocabulary("legal_stages"),
        "ethnicity": vocab.vocabulary("ethnicities"),
    }
    query = request.GET.copy()
    query.pop("page", None)
    ctx.update(
        {
            "page": page,
            "count": len(rows),
            "filters": filters,
            "sort": sort,
            "sorts": SORTS,
            "query": query.urlencode(),
            "choices": {k: [(t.code, t.label(lang)) for t in v.terms] for k, v in choices.items()},
        }
    )
    return render(request, "web/persons.html", ctx)


def person(request: HttpRequest, code: str) -> HttpResponse:
    ctx = _base(request)
    try:
        dossier = person_dossier(
            ctx["case"], code, audience=ctx["audience"], lang=ctx["lang"], as_of=ctx["as_of"]
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    ctx["d"] = dossier
    return render(request, "web/person.html", ctx)


def chronology(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    try:
        tl = timeline(
            ctx["case"],
            audience=ctx["audience"],
            lang=ctx["lang"],
            types=[t for t in request.GET.getlist("type") if t],
            date_from=request.GET.get("from") or None,
            date_to=request.GET.get("to") or None,
        )
    except DocketError as exc:
        ctx["error"] = exc.message
        tl = timeline(ctx["case"], audience=ctx["audience"], lang=ctx["lang"])
    page = Paginator(tl.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx.update({"page": page, "footnotes": tl.footnotes, "count": len(tl.entries)})
    return render(request, "web/timeline.html", ctx)


def sources(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    from docket.core.audience import can_see

    rows = []
    for source in m.Source.objects.filter(case=ctx["case"]).order_by("code"):
        hidden = not can_see(ctx["audience"], source.confidentiality) or (
            source.identity_confidential and ctx["audience"] in ("public", "partner")
        )
        if hidden:
            continue
        cites = m.Citation.objects.filter(source=source).count()
        rows.append(
            {
                "s": source,
                "citations": cites,
                "kind": vocab.vocabulary("source_kinds").label(source.kind, ctx["lang"]),
            }
        )
    ctx["rows"] = rows
    return render(request, "web/sources.html", ctx)


def search_page(request: HttpRequest) -> HttpResponse:
    """One box across persons, events and sources, for the visitor's audience."""
    from docket.records.search import search

    ctx = _base(request)
    query = request.GET.get("q", "").strip()[:200]
    hits = search(ctx["case"], query, audience=ctx["audience"], lang=ctx["lang"]) if query else []
    ctx.update({"q": query, "hits": hits})
    return render(request, "web/search.html", ctx)
