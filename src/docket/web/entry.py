"""Entering, correcting and reviewing records in the browser.

Every save goes through ``records.services.record_save`` — the same checks as a bundle load,
one transaction, one entry in the hash-chained history — and problems are shown next to the
field they concern, in the user's language where the message comes from a form, and as the
checker wrote it otherwise. Documenters enter drafts; only reviewers and admins mark verified.

The restricted fields (``docket.core.audience.RESTRICTED_FIELDS``: a person's contact and
identity document) are on admins' forms only. Anyone else's form, history and restore leave
them out, and their saves keep the stored values (and the citations of them) unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from docket.core.audience import (
    can_see,
    hidden_fields_written,
    keep_hidden_fields,
    without_hidden_fields,
)
from docket.core.errors import BundleError, DocketError
from docket.records import models as m
from docket.records.canonical import Index, dump_record
from docket.records.schema import BY_MODEL, BY_NAME, Kind
from docket.records.services import case_get, next_code, record_save
from docket.web.forms import (
    CHILD_FIELDS,
    CODE_LISTS,
    child_formset,
    error_field,
    record_form,
    to_raw,
)
from docket.web.roles import EDITORS, REVIEWERS, audience_of, role_of
from docket.web.views import _lang, wants_part

# Record kinds with a web form: every kind of the record.
FORM_KINDS = (
    "person",
    "event",
    "source",
    "place",
    "organization",
    "group",
    "proceeding",
    "figure",
    "damage",
    "intervention",
)

# What each kind is called on the page.
KIND_LABELS = {
    "person": gettext_lazy("person"),
    "event": gettext_lazy("event"),
    "source": gettext_lazy("source"),
    "place": gettext_lazy("place"),
    "organization": gettext_lazy("organization"),
    "group": gettext_lazy("group"),
    "proceeding": gettext_lazy("proceeding"),
    "figure": gettext_lazy("reported figure"),
    "damage": gettext_lazy("damage"),
    "intervention": gettext_lazy("intervention"),
}


def _kind(name: str) -> Kind:
    if name not in FORM_KINDS:
        raise Http404(name)
    return BY_NAME[name]


def _actor(request: HttpRequest) -> str:
    return f"web:{request.user.get_username()}"


def edit(request: HttpRequest, kind_name: str, code: str | None = None) -> HttpResponse:
    """New record (no code) or correction of one; GET shows the form, POST saves."""
    role = role_of(request.user)
    if role not in EDITORS:
        if not request.user.is_authenticated:
            return redirect(f"/login/?next={request.get_full_path()}")
        return HttpResponseForbidden(_("Your role may not change the record."))
    kind = _kind(kind_name)
    case = case_get()
    lang = _lang()
    audience = audience_of(request.user)
    obj = None
    if code:
        obj = kind.model.objects.filter(case=case, code=code).first()
        if obj is None or not can_see(audience, obj.confidentiality):
            raise Http404(code)
    children = [c for c in (*kind.children, "citations") if c in CHILD_FIELDS]
    if request.method == "POST":
        form = record_form(kind, case, lang, request.POST, audience=audience)
        formsets = {c: child_formset(c, case, lang, request.POST) for c in children}
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            raw = to_raw(kind, form, formsets)
            written = hidden_fields_written(audience, kind.name, raw)
            if obj is not None:
                # Fields this writer may not see are not on the form: keep them as stored.
                stored = dump_record(obj, Index(case, [obj.pk]))
                raw = keep_hidden_fields(audience, kind.name, raw, stored)
            raw["code"] = raw.get("code") or (obj.code if obj else next_code(case, kind))
            if obj is not None:
                raw["id"] = str(obj.pk)
            level = raw.get("confidentiality") or case.defaults.get("confidentiality", "internal")
            if written:
                form.add_error(
                    None,
                    _("Only an administrator may record these fields: %(fields)s.")
                    % {"fields": ", ".join(written)},
                )
            elif raw.get("review_state") == "verified" and role not in REVIEWERS:
                form.add_error("review_state", _("Only a reviewer can mark a record verified."))
            elif not can_see(audience_of(request.user), level):
                # As in the API: nobody writes a record they could not read back.
                form.add_error("confidentiality", _("Your role may not change the record."))
            else:
                try:
                    _outcome, saved = record_save(
                        case=case, kind=kind, data=raw, actor=_actor(request)
                    )
                except BundleError as exc:
                    _show_problems(form, formsets, exc)
                except DocketError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Saved %(code)s.") % {"code": saved.code})
                    return redirect("record_edit", kind_name=kind.name, code=saved.code)
    else:
        initial = (
            _initial(obj, case, audience)
            if obj
            else {
                "confidentiality": case.defaults.get("confidentiality", "internal"),
                "review_state": "draft",
            }
        )
        form = record_form(kind, case, lang, initial=initial, audience=audience)
        formsets = {
            c: child_formset(c, case, lang, initial=_child_initial(c, initial.get(c, [])))
            for c in children
        }
    history = _history(obj, audience) if obj is not None else []
    return render(
        request,
        "web/edit.html",
        {
            "lang": lang,
            "role": role,
            "kind": kind,
            "kind_label": KIND_LABELS[kind.name],
            "obj": obj,
            "form": form,
            "formsets": formsets,
            # A list, not the dict: in a template ``formsets.items`` would be the "items" child.
            "formset_list": list(formsets.items()),
            "history": history,
            "can_review": role in REVIEWERS,
        },
    )


def _initial(obj: m.Record, case: m.Case, audience: str) -> dict[str, Any]:
    data = without_hidden_fields(
        audience, BY_MODEL[type(obj)].name, dump_record(obj, Index(case, [obj.pk]))
    )
    data.setdefault("confidentiality", obj.confidentiality)
    data.setdefault("review_state", obj.review_state)
    return data


def _child_initial(name: str, rows: list[Any]) -> list[dict[str, Any]]:
    if name in CODE_LISTS:
        return [{CODE_LISTS[name]: code} for code in rows]
    out = []
    for row in rows:
        row = dict(row)
        if name in ("participants", "senders"):
            for key in ("person", "group", "organization"):
                if key in row:
                    row["party"] = f"{key}:{row.pop(key)}"
        out.append(row)
    return out


def _show_problems(form: Any, formsets: dict[str, Any], exc: BundleError) -> None:
    for problem in exc.problems:
        child, field = error_field(getattr(problem, "where", ""))
        message = getattr(problem, "message", str(problem))
        if child in formsets:
            formsets[child].non_form_errors().append(f"{field}: {message}" if field else message)
            formsets[child]._non_form_errors = formsets[child].non_form_errors()
        elif field in form.fields:
            form.add_error(field, message)
        else:
            form.add_error(None, str(problem))


def review_queue(request: HttpRequest) -> HttpResponse:
    """Drafts waiting for a reviewer, newest change first."""
    role = role_of(request.user)
    if role not in EDITORS:
        if not request.user.is_authenticated:
            return redirect(f"/login/?next={request.get_full_path()}")
        return HttpResponseForbidden(_("Your role may not review the record."))
    case = case_get()
    audience = audience_of(request.user)
    cited = set(m.Citation.objects.filter(case=case).values_list("target_id", flat=True))
    rows = []
    for name in FORM_KINDS:
        kind = BY_NAME[name]
        for obj in kind.model.objects.filter(case=case, review_state="draft").order_by("code"):
            if can_see(audience, obj.confidentiality):
                rows.append({"kind": name, "obj": obj, "cited": obj.pk in cited})
    return render(
        request,
        "web/review.html",
        {"lang": _lang(), "role": role, "rows": rows, "can_review": role in REVIEWERS},
    )


@require_POST
def verify(request: HttpRequest, kind_name: str, code: str) -> HttpResponse:
    """Mark a draft verified (reviewers only); refused without a citation."""
    role = role_of(request.user)
    if role not in REVIEWERS:
        return HttpResponseForbidden(_("Only a reviewer can mark a record verified."))
    kind = _kind(kind_name)
    case = case_get()
    obj = kind.model.objects.filter(case=case, code=code).first()
    if obj is None or not can_see(audience_of(request.user), obj.confidentiality):
        raise Http404(code)
    data = dump_record(obj, Index(case, [obj.pk]))
    data["review_state"] = "verified"
    error = ""
    try:
        record_save(case=case, kind=kind, data=data, actor=_actor(request))
    except BundleError as exc:
        error = "; ".join(p.message for p in exc.problems if hasattr(p, "message"))
    if wants_part(request):
        # htmx asked from the review queue: answer with that one row, as it now stands.
        cited = m.Citation.objects.filter(case=case, target_id=obj.pk).exists()
        row = {"kind": kind.name, "obj": obj, "cited": cited, "verified": not error}
        return render(
            request,
            "web/_review_row.html",
            {"r": {**row, "error": error}, "can_review": True, "lang": _lang()},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(code)s is verified.") % {"code": code})
    return redirect("review")


@require_POST
def restore(request: HttpRequest, kind_name: str, code: str, seq: int) -> HttpResponse:
    """Put a record back as it was after change ``seq`` — itself a new, recorded change."""
    role = role_of(request.user)
    if role not in EDITORS:
        return HttpResponseForbidden(_("Your role may not change the record."))
    kind = _kind(kind_name)
    case = case_get()
    obj = kind.model.objects.filter(case=case, code=code).first()
    if obj is None or not can_see(audience_of(request.user), obj.confidentiality):
        raise Http404(code)
    change = m.Change.objects.filter(seq=seq, target_id=obj.pk).exclude(action="delete").first()
    if change is None:
        raise Http404(str(seq))
    # What this restorer may not see stays as it is now: they cannot see what they would undo.
    stored = dump_record(obj, Index(case, [obj.pk]))
    data = keep_hidden_fields(audience_of(request.user), kind.name, dict(change.data), stored)
    data["id"] = str(obj.pk)
    if data.get("review_state") == "verified" and role not in REVIEWERS:
        data["review_state"] = "draft"
    try:
        record_save(case=case, kind=kind, data=data, actor=_actor(request))
    except BundleError as exc:
        messages.error(request, "; ".join(str(p) for p in exc.problems))
    else:
        messages.success(request, _("Restored the version of change %(seq)s.") % {"seq": seq})
    return redirect("record_edit", kind_name=kind.name, code=data.get("code", code))


def _history(obj: m.Record, audience: str, limit: int = 20) -> list[dict[str, Any]]:
    """The record's latest changes, each with what it changed: field, old → new (without the
    fields ``audience`` may not see)."""
    kind_name = BY_MODEL[type(obj)].name
    changes = list(m.Change.objects.filter(target_id=obj.pk).order_by("seq"))
    rows = []
    before: dict[str, Any] = {}
    for change in changes:
        after = without_hidden_fields(audience, kind_name, change.data or {})
        diff = [
            {"field": key, "old": _short(before.get(key)), "new": _short(after.get(key))}
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        ]
        rows.append({"c": change, "diff": diff if change.action != "create" else []})
        before = after
    return list(reversed(rows))[:limit]


def _short(value: Any, width: int = 80) -> str:
    if value in (None, "", [], {}):
        return "—"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"
