"""The Documents page: an appeal, chronology, dossier, UN communication or victims list made
from the record, previewed on the page and downloaded in any format (as ``docket report``).

A visitor may choose only profiles their role is cleared for: anonymous visitors the public
one, a partner (viewer) public or partner, the team also internal. The document is made by
the same code as the command line, so it hides exactly what that profile hides.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from docket.core.audience import AUDIENCES
from docket.core.dates import to_date
from docket.core.errors import DocketError
from docket.reports.documents import PROFILES
from docket.reports.render import FORMATS, Request, make
from docket.web.roles import audience_of
from docket.web.views import _base

KIND_CHOICES = [
    ("appeal", _("Appeal")),
    ("chronology", _("Chronology")),
    ("dossier", _("Person dossier")),
    ("communication", _("UN communication")),
    ("victims", _("Victims and prosecutions list")),
]
FORMAT_CHOICES = [
    ("pdf", "PDF"),
    ("docx", "Word (DOCX)"),
    ("html", "HTML"),
    ("md", "Markdown"),
    ("xlsx", "Excel (XLSX)"),
    ("csv", "CSV"),
]
PROFILE_LABELS = {
    "public": _("Public: only public records; names only as consent allows"),
    "partner": _("Partner: also internal records; names only as consent allows"),
    "internal": _("Internal: for the team; names as recorded"),
}
TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def profiles_for(audience: str) -> list[str]:
    """The profiles whose audience is no wider than the visitor's own."""
    rank = AUDIENCES.index(audience)
    return [p for p, a in PROFILES.items() if AUDIENCES.index(a) <= rank]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=KIND_CHOICES)
    lang = forms.ChoiceField(label=_("Language"), choices=[("en", "English"), ("ru", "Русский")])
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    profile = forms.ChoiceField(label=_("Made for"))
    as_of = forms.CharField(
        label=_("As of"), required=False, help_text=_("Day the document speaks of; empty: today.")
    )
    person = forms.CharField(
        label=_("Person code"),
        required=False,
        help_text=_("For a dossier or UN communication (and a person's chronology), e.g. P-0004."),
    )
    place = forms.CharField(
        label=_("Place code"), required=False, help_text=_("For the chronology of one place.")
    )
    submitter = forms.CharField(
        label=_("Submitting organization code"),
        required=False,
        help_text=_("UN communication: named in internal documents only."),
    )
    requests = forms.CharField(
        label=_("Requests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For an appeal or UN communication: one request per paragraph."),
    )

    def __init__(self, *args: Any, profiles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["profile"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p, PROFILE_LABELS[p]) for p in profiles]

    def clean_as_of(self) -> datetime.date | None:
        raw = self.cleaned_data["as_of"].strip()
        if not raw:
            return None
        try:
            return to_date(raw)
        except DocketError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, fmt = data.get("kind"), data.get("fmt")
        if kind and fmt and fmt not in FORMATS[kind]:
            self.add_error(
                "fmt",
                _("This document is made as: %(formats)s.") % {"formats": ", ".join(FORMATS[kind])},
            )
        return data


def documents(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    profiles = profiles_for(audience_of(request.user))
    preview = ""
    if request.method == "POST":
        form = DocumentForm(request.POST, profiles=profiles)
        if form.is_valid():
            data = form.cleaned_data
            req = Request(
                kind=data["kind"],
                profile=data["profile"],
                lang=data["lang"],
                as_of=data["as_of"] or (None if data["kind"] == "chronology" else ctx["as_of"]),
                person=data["person"].strip() or None,
                place=data["place"].strip() or None,
                requests=data["requests"],
                submitter=data["submitter"].strip(),
            )
            downloading = "download" in request.POST
            fmt = data["fmt"] if downloading or data["kind"] == "victims" else "html"
            try:
                made = make(ctx["case"], req, fmt)
            except DocketError as exc:
                form.add_error(None, exc.message)
            else:
                if downloading or data["kind"] == "victims":
                    name = f"{ctx['case'].code}-{req.kind}-{req.lang}.{fmt}"
                    response = HttpResponse(made, content_type=TYPES[fmt])
                    response["Content-Disposition"] = f'attachment; filename="{name}"'
                    response["X-Content-Type-Options"] = "nosniff"
                    return response
                preview = made.decode("utf-8")
    else:
        form = DocumentForm(
            profiles=profiles, initial={"lang": ctx["lang"], "profile": profiles[0], "fmt": "pdf"}
        )
    ctx.update({"form": form, "preview": preview})
    return render(request, "web/documents.html", ctx)
