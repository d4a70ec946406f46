"""The API views: thin. Reads go through ``permissions.visible`` and ``Redactor``; writes
through ``permissions.check_write`` and ``services.record_save``."""

from __future__ import annotations

import functools
import importlib.util
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework.exceptions import NotFound as Http404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from docket.api import permissions
from docket.api.redaction import Redactor
from docket.core import vocab
from docket.core.dates import parse_date, to_date
from docket.core.errors import BundleError, DocketError, NotFound, ValidationError
from docket.records import models as m
from docket.records.canonical import Index, dump_record
from docket.records.history import PREFETCH
from docket.records.schema import KINDS, Kind
from docket.records.services import case_get, record_save

# /api/<path>/ -> kind: the bundle file names (sources, places, persons…).
PATHS: dict[str, Kind] = {k.file.removesuffix(".yaml"): k for k in KINDS}

ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT, description='{"errors": [{"where": "field", "message": "…"}]}'
)
COMMON_PARAMS = [
    OpenApiParameter("case", str, description="Case code (default: the only case)."),
    OpenApiParameter("lang", str, enum=["en", "ru"], description="Language of withheld names."),
]
FILTER_PARAMS = [
    OpenApiParameter(
        "type", str, description="Event type, or the kind of a source, place, organization…"
    ),
    OpenApiParameter("ethnicity", str, description="Persons of this ethnicity."),
    OpenApiParameter("review_state", str, enum=["draft", "verified", "retracted"]),
    OpenApiParameter(
        "confidentiality", str, enum=["public", "internal", "confidential", "restricted"]
    ),
    OpenApiParameter("since", str, description="Events that may have happened on or after."),
    OpenApiParameter("until", str, description="Events that may have happened on or before."),
]

NOT_A_RECORD = ValidationError("the body must be one record: a JSON object of field: value")


SEARCHED = ("person", "event", "source")  # what docket.records.search finds


def search_available() -> bool:
    return importlib.util.find_spec("docket.records.search") is not None


def searched_codes(case: m.Case, kind: Kind, query: str, audience: str, lang: str) -> set[str]:
    """Codes of the records of ``kind`` that the search finds for ``audience`` (?q=)."""
    import inspect

    from docket.records import search as searching

    find: Any = searching.search  # type: ignore[attr-defined,unused-ignore]
    extra = {"limit": 10_000} if "limit" in inspect.signature(find).parameters else {}
    hits = find(case, query, audience=audience, lang=lang, **extra)
    return {h.code for h in hits if h.kind == kind.name}


def error_response(exc: DocketError, kind: Kind | None = None, code: str = "") -> Response:
    """A 400 naming every fault: {"errors": [{"where": field, "message": text}]}."""
    problems = exc.problems if isinstance(exc, BundleError) else [exc]
    prefixes = [f"{kind.file}: {code or 'new'}: ", f"{kind.file}: {code or 'new'}"] if kind else []
    errors = []
    for p in problems:
        where = p.where
        for prefix in prefixes:
            if where.startswith(prefix):
                where = where[len(prefix) :]
                break
        errors.append({"where": where, "message": p.message})
    return Response({"errors": errors}, status=http.HTTP_400_BAD_REQUEST)


def _case(request: Request) -> m.Case:
    try:
        return case_get(request.query_params.get("case") or None)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or translation.get_language() or "en"
    return "ru" if lang.startswith("ru") else "en"


def filtered(qs: QuerySet[Any], kind: Kind, params: Any) -> QuerySet[Any]:
    """Apply ?type= ?ethnicity= ?review_state= ?confidentiality= ?since= ?until=."""
    names = kind.field_names
    if params.get("type"):
        field = "type" if "type" in names else "kind" if "kind" in names else None
        if field is None:
            raise ValidationError(f"{kind.name} records have no type", where="type")
        qs = qs.filter(**{field: params["type"]})
    if params.get("ethnicity"):
        if "ethnicity" not in names:
            raise ValidationError(f"{kind.name} records have no ethnicity", where="ethnicity")
        vocab.check("ethnicities", params["ethnicity"], where="ethnicity")
        qs = qs.filter(ethnicity=params["ethnicity"])
    for key, vname in (("review_state", "review_states"), ("confidentiality", "confidentiality")):
        if params.get(key):
            qs = qs.filter(**{key: vocab.check(vname, params[key], where=key)})
    for key in ("since", "until"):
        if params.get(key):
            if kind.name != "event":
                raise ValidationError(f"only events are filtered by {key}", where=key)
            d = parse_date(params[key], where=key)
            if key == "since" and d.earliest:
                qs = qs.filter(date_latest__gte=d.earliest)
            if key == "until" and d.latest:
                qs = qs.filter(date_earliest__lte=d.latest)
    return qs


class RecordViewSet(GenericViewSet):  # type: ignore[type-arg]
    """Records of one kind: list, read, create, replace."""

    kind: Kind
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def _visible(self, request: Request, case: m.Case) -> QuerySet[Any]:
        qs = self.kind.model.objects.filter(case=case)
        return permissions.visible(qs, self.kind, permissions.audience(request))

    def list(self, request: Request) -> Response:
        case = _case(request)
        audience, lang = permissions.audience(request), _lang(request)
        try:
            qs = filtered(self._visible(request, case), self.kind, request.query_params)
        except DocketError as exc:
            return error_response(exc)
        query = request.query_params.get("q", "").strip()
        if query and search_available():
            if self.kind.name not in SEARCHED:
                return error_response(
                    ValidationError("search covers persons, events and sources", where="q")
                )
            qs = qs.filter(code__in=searched_codes(case, self.kind, query, audience, lang))
        qs = qs.order_by("code").prefetch_related(*PREFETCH.get(self.kind.name, ()))
        page = self.paginate_queryset(qs)
        redactor = Redactor(case, audience, lang)
        return self.get_paginated_response([redactor.record(obj) for obj in page])

    def retrieve(self, request: Request, code: str) -> Response:
        case = _case(request)
        obj = self._visible(request, case).filter(code=code).first()
        if obj is None:
            raise Http404()
        return Response(Redactor(case, permissions.audience(request), _lang(request)).record(obj))

    def create(self, request: Request) -> Response:
        case = _case(request)
        data = permissions.check_write(request, case, request.data)
        data = permissions.check_fields(request, self.kind, data)
        if not isinstance(data, dict):
            return error_response(NOT_A_RECORD)
        code = str(data.get("code") or "")
        try:
            with transaction.atomic():
                if code and self.kind.model.objects.filter(case=case, code=code).exists():
                    raise ValidationError(
                        f"{code} already exists; change it with PUT", where="code"
                    )
                taken = data.get("id") and self.kind.model.objects.filter(pk=_uuid(data["id"]))
                if taken and taken.exists():
                    raise ValidationError("this id already belongs to a record", where="id")
                derived = m.derived_id(case.code, self.kind.name, code) if code else None
                if derived and self.kind.model.objects.filter(pk=derived).exists():
                    raise ValidationError(
                        f"{code} was the code of a record since renamed; choose another",
                        where="code",
                    )
                outcome, obj = record_save(
                    case=case, kind=self.kind, data=data, actor=_actor(request)
                )
        except DocketError as exc:
            return error_response(exc, self.kind, code)
        return self._written(request, case, obj, http.HTTP_201_CREATED)

    def update(self, request: Request, code: str) -> Response:
        case = _case(request)
        current = self._visible(request, case).filter(code=code).first()
        if current is None:
            raise Http404()
        data = permissions.check_write(request, case, request.data)
        # A field the caller may not see keeps its stored value (and citations).
        stored = dump_record(current, Index(case, [current.pk]))
        data = permissions.check_fields(request, self.kind, data, stored)
        if not isinstance(data, dict):
            return error_response(NOT_A_RECORD)
        if data.get("code") not in (None, "", code):
            return error_response(ValidationError("must be the code in the address", where="code"))
        if data.get("id") not in (None, "", str(current.pk)):
            return error_response(ValidationError("the id cannot change", where="id"))
        data = {**data, "code": code}
        try:
            with transaction.atomic():
                outcome, obj = record_save(
                    case=case, kind=self.kind, data=data, actor=_actor(request)
                )
        except DocketError as exc:
            return error_response(exc, self.kind, code)
        return self._written(request, case, obj, http.HTTP_200_OK)

    def _written(self, request: Request, case: m.Case, obj: m.Record, status: int) -> Response:
        redactor = Redactor(case, permissions.audience(request), _lang(request))
        return Response(redactor.record(obj), status=status)


def _uuid(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(f"is not a UUID: {value!r}", where="id") from None


def _actor(request: Request) -> str:
    return f"api:{request.user.get_username()}"


def _own(method: Any) -> Any:
    """A copy of ``method`` for one view set, so that its schema is not shared by all."""

    @functools.wraps(method)
    def copy(self: Any, *args: Any, **kwargs: Any) -> Any:
        return method(self, *args, **kwargs)

    return copy


def viewset_for(path: str, kind: Kind) -> type[RecordViewSet]:
    """The view set of one kind, with its OpenAPI description."""
    label = path.replace("_", " ")
    record = OpenApiResponse(OpenApiTypes.OBJECT, description=f"One {kind.name}")
    listing = OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=f"{{count, next, previous, results: [{kind.name}, …]}}",
    )
    body = OpenApiTypes.OBJECT
    filters = [
        p
        for p in FILTER_PARAMS
        if (p.name in ("type",) and ({"type", "kind"} & set(kind.field_names)))
        or (p.name == "ethnicity" and "ethnicity" in kind.field_names)
        or (p.name in ("since", "until") and kind.name == "event")
        or p.name in ("review_state", "confidentiality")
    ]
    search = (
        [OpenApiParameter("q", str, description="Words to search for (docket.records.search)")]
        if search_available() and kind.name in SEARCHED
        else []
    )
    tags = [path]
    methods = {
        "list": extend_schema(
            summary=f"List {label}",
            parameters=[*COMMON_PARAMS, *filters, *search],
            responses={200: listing, 400: ERRORS},
            tags=tags,
        )(_own(RecordViewSet.list)),
        "retrieve": extend_schema(
            summary=f"Read one {kind.name}",
            parameters=COMMON_PARAMS,
            responses={200: record, 404: OpenApiResponse(description="No such record")},
            tags=tags,
        )(_own(RecordViewSet.retrieve)),
        "create": extend_schema(
            summary=f"Create a {kind.name} (bundle form, docs/bundle-format.md)",
            parameters=COMMON_PARAMS,
            request=body,
            responses={201: record, 400: ERRORS, 401: None, 403: None},
            tags=tags,
        )(_own(RecordViewSet.create)),
        "update": extend_schema(
            summary=f"Replace a {kind.name} (bundle form)",
            parameters=COMMON_PARAMS,
            request=body,
            responses={200: record, 400: ERRORS, 401: None, 403: None, 404: None},
            tags=tags,
        )(_own(RecordViewSet.update)),
    }
    return type(f"{kind.name.title()}ViewSet", (RecordViewSet,), {"kind": kind, **methods})


class StatusView(APIView):
    """Custody and legal stage of every person the caller may see, on a day."""

    @extend_schema(
        summary="Status of persons on a day",
        parameters=[
            *COMMON_PARAMS,
            OpenApiParameter("as_of", str, description="Day (2020-05-13); default today."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS},
        tags=["status"],
    )
    def get(self, request: Request) -> Response:
        import datetime

        case = _case(request)
        raw = request.query_params.get("as_of", "").strip()
        try:
            as_of = to_date(raw) if raw else datetime.date.today()
        except DocketError as exc:
            exc.where = "as_of"
            return error_response(exc)
        redactor = Redactor(case, permissions.audience(request), _lang(request))
        rows = redactor.status(as_of)
        return Response({"as_of": as_of.isoformat(), "count": len(rows), "results": rows})
