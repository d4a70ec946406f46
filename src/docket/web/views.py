"""Pages. Each view reads through selectors for the visitor's audience and renders; nothing
else. A record the visitor may not see is a 404, never a hint that it exists."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from docket.core import vocab
from docket.core.dates import to_date
from docket.core.errors import DocketError, NotFound
from docket.records import models as m
from docket.records.chronology import timeline
from docket.records.people import SORTS, person_dossier, person_list
from docket.records.selectors import status_subjects
from docket.records.services import case_get
from docket.records.statistics import stats_rows
from docket.web.roles import EDITORS, audience_of, role_of

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


def wants_part(request: HttpRequest) -> bool:
    """Did htmx ask for the part of the page that changes (not a whole page to go back to)?"""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def render_page(
    request: HttpRequest, template: str, part: str, ctx: dict[str, Any]
) -> HttpResponse:
    """The whole page, or — asked by htmx — only its ``part``; the answer varies by that."""
    if wants_part(request):
        response = render(request, part, {**ctx, "partial": True})
    else:
        response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


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


def _latest_start(case: m.Case, as_of: datetime.date, n: int) -> str | None:
    """The start of the ``n``-th latest event begun by ``as_of``: every one of the ``n`` latest
    events ends on or after it, so the chronology need read only those — same entries, a few
    events read instead of every event of the case."""
    starts = list(
        m.Event.objects.filter(case=case, date_earliest__lte=as_of)
        .order_by("-date_earliest")
        .values_list("date_earliest", flat=True)[:n]
    )
    return starts[-1].isoformat() if starts else None


def dashboard(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    subjects = status_subjects(ctx["case"], audience=ctx["audience"])
    rows = stats_rows(
        ctx["case"],
        ctx["as_of"],
        ["custody", "ethnicity"],
        audience=ctx["audience"],
        subjects=subjects,
    )
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
        ctx["case"],
        audience=ctx["audience"],
        lang=lang,
        date_from=_latest_start(ctx["case"], ctx["as_of"], 10),
        date_to=ctx["as_of"].isoformat(),
        last=10,
    )
    ctx.update(
        {
            "ethnicities": [eth_v.label(e, lang) for e in ethnicities],
            "table": table,
            "recent": list(reversed(tl.entries[-10:])),
        }
    )
    if ctx["audience"] in ("internal", "restricted") and not wants_part(request):
        ctx["team"] = True
        ctx["drafts"] = m.Event.objects.filter(case=ctx["case"], review_state="draft").count() + (
            m.Person.objects.filter(case=ctx["case"], review_state="draft").count()
        )
    return render_page(request, "web/dashboard.html", "web/_dashboard_counts.html", ctx)


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
    return render_page(request, "web/persons.html", "web/_persons_results.html", ctx)


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
    from django.db.models import Count

    from docket.core.audience import can_see, redact
    from docket.records.chronology import name_replacements

    hide = name_replacements(ctx["case"], ctx["audience"], ctx["lang"])
    counts = dict(
        m.Citation.objects.filter(case=ctx["case"])
        .values_list("source_id")
        .annotate(n=Count("id"))
        .values_list("source_id", "n")
    )
    rows = []
    for source in m.Source.objects.filter(case=ctx["case"]).order_by("code"):
        hidden = not can_see(ctx["audience"], source.confidentiality) or (
            source.identity_confidential and ctx["audience"] in ("public", "partner")
        )
        if hidden:
            continue
        cites = counts.get(source.pk, 0)
        rows.append(
            {
                "s": source,
                # A title can name a witness ("Statement of …"): names as on every page.
                "title": redact(source.title, hide),
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


LISTS = {
    "places": ("place", ("code", "name", "kind", "parent")),
    "organizations": ("organization", ("code", "name", "kind", "parent")),
    "groups": ("group", ("code", "name", "size", "range")),
    "damages": ("damage", ("code", "owner", "place", "agreement", "money")),
}


def listing(request: HttpRequest, what: str) -> HttpResponse:
    """Places, organizations, counted groups, or damages and compensation per household."""
    from docket.core.audience import can_see, redact
    from docket.records.chronology import name_replacements

    if what not in LISTS:
        raise Http404(what)
    ctx = _base(request)
    kind_name, columns = LISTS[what]
    audience, lang = ctx["audience"], ctx["lang"]
    hide = name_replacements(ctx["case"], audience, lang)
    model = {
        "place": m.Place,
        "organization": m.Organization,
        "group": m.Group,
        "damage": m.Damage,
    }[kind_name]
    objects = model.objects.filter(case=ctx["case"]).order_by("code")
    if kind_name in ("place", "organization"):
        objects = objects.select_related("parent")
    elif kind_name == "damage":
        objects = objects.select_related(
            "owner_person", "owner_group", "owner_organization", "place"
        ).prefetch_related("items")
    rows = []
    for obj in objects:
        if not can_see(audience, obj.confidentiality) or obj.review_state == "retracted":
            continue
        row: dict[str, Any] = {"code": obj.code}
        if kind_name in ("place", "organization"):
            voc = "place_kinds" if kind_name == "place" else "organization_kinds"
            parent = obj.parent  # type: ignore[attr-defined]
            row.update(
                name=obj.name,  # type: ignore[attr-defined]
                kind=vocab.vocabulary(voc).label(obj.kind, lang),  # type: ignore[attr-defined]
                parent=parent.name if parent and can_see(audience, parent.confidentiality) else "",
            )
        elif kind_name == "group":
            g = obj
            row.update(
                name=redact(g.name, hide),  # type: ignore[attr-defined]
                size=g.size if g.size is not None else "—",  # type: ignore[attr-defined]
                range=(
                    f"{g.size_low}–{g.size_high}"  # type: ignore[attr-defined]
                    if g.size_low is not None and g.size_high is not None  # type: ignore[attr-defined]
                    else ""
                ),
            )
        else:
            d = obj
            person = d.owner_person  # type: ignore[attr-defined]
            if person is not None:
                owner = (
                    person.shown_name(audience, lang)
                    if can_see(audience, person.confidentiality)
                    else "—"
                )
            elif d.owner_group is not None:  # type: ignore[attr-defined]
                owner = redact(d.owner_group.name, hide)  # type: ignore[attr-defined]
            elif d.owner_organization is not None:  # type: ignore[attr-defined]
                owner = d.owner_organization.name  # type: ignore[attr-defined]
            else:
                owner = redact(d.owner, hide)  # type: ignore[attr-defined]
            totals: dict[str, dict[str, float]] = {}
            for item in d.items.all():  # type: ignore[attr-defined]
                for key in ("assessed", "claimed", "offered", "paid"):
                    amount = getattr(item, f"{key}_amount")
                    if amount is not None:
                        cur = getattr(item, f"{key}_currency")
                        totals.setdefault(key, {}).setdefault(cur, 0.0)
                        totals[key][cur] += float(amount)
            place = d.place  # type: ignore[attr-defined]
            row.update(
                owner=owner,
                place=place.name if place and can_see(audience, place.confidentiality) else "",
                agreement=vocab.vocabulary("agreement_states").label(d.agreement, lang),  # type: ignore[attr-defined]
                money=totals,
            )
        rows.append(row)
    ctx.update(
        {
            "what": what,
            "kind_name": kind_name,
            "columns": columns,
            "rows": rows,
            "can_edit": ctx["role"] in EDITORS,
        }
    )
    return render(request, "web/listing.html", ctx)


def check_page(request: HttpRequest) -> HttpResponse:
    """The consistency findings, for the team: what to fix before anyone outside reads it."""
    from docket.records.consistency import findings

    ctx = _base(request)
    if ctx["audience"] not in ("internal", "restricted"):
        raise Http404("check")
    found = findings(ctx["case"])
    ctx["findings"] = [
        {"severity": f.severity, "kind": f.kind, "text": f.text(ctx["lang"]), "records": f.records}
        for f in found
    ]
    return render(request, "web/check.html", ctx)
