"""Controlled vocabularies: codes with English and Russian labels, read from YAML files.

Each ``<name>.yaml`` next to this module holds one vocabulary. A term keeps the HURIDOCS
micro-thesaurus code (``huridocs``) where it maps to one; any other key of a term (``details``,
``custody``, ``inverse``, ``article``…) is kept in ``Term.extra``. An unknown code is an
``UnknownTerm`` whose message lists the valid codes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import yaml

from docket.core.errors import UnknownTerm, ValidationError

__all__ = [
    "Term",
    "Vocabulary",
    "article",
    "check",
    "check_details",
    "details_schema",
    "names",
    "vocabulary",
]

LANGUAGES = ("en", "ru")
_HURIDOCS = re.compile(r"^\d{12}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_ARTICLE = re.compile(r"^[A-Z]{2}-[A-Z]+-\d{4}:\d+(?:-\d+)?$")
_DETAIL_TYPES = ("number", "string", "place", "boolean")


@dataclass(frozen=True)
class Term:
    code: str
    labels: Mapping[str, str]
    huridocs: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]


@dataclass(frozen=True)
class Vocabulary:
    name: str
    labels: Mapping[str, str]
    huridocs_list: int | None
    terms: tuple[Term, ...]
    _index: Mapping[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", MappingProxyType({t.code: t for t in self.terms}))

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._index

    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def term(self, code: str, *, where: str = "") -> Term:
        found = self._index.get(code) if isinstance(code, str) else None
        if found is None:
            shown = f'"{code}"' if isinstance(code, str) else repr(code)
            raise UnknownTerm(
                f"unknown {self.noun} {shown}; valid: {', '.join(self.codes())}", where=where
            )
        return found

    def label(self, code: str, lang: str = "en") -> str:
        return self.term(code).label(lang)

    @property
    def noun(self) -> str:
        """What one term is called in messages: 'ethnicity', 'event type'."""
        words = (self.labels.get("en") or self.name).split()
        return " ".join(w if w[1:2].isupper() else w.lower() for w in words)


def _package() -> Traversable:
    return resources.files(__name__)


@cache
def _names() -> tuple[str, ...]:
    found = (p.name for p in _package().iterdir() if p.name.endswith(".yaml"))
    return tuple(sorted(n.removesuffix(".yaml") for n in found))


def names() -> list[str]:
    """Every vocabulary name, sorted."""
    return list(_names())


def _labels(raw: Mapping[str, Any], what: str) -> Mapping[str, str]:
    labels = {k: raw[k] for k in LANGUAGES if k in raw}
    bad = [k for k, v in labels.items() if not isinstance(v, str) or not v.strip()]
    if "en" not in labels or bad:
        raise ValidationError(f"{what}: needs a non-empty text label for en (and ru)")
    return MappingProxyType(labels)


def _term(raw: Any, where: str) -> Term:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("code"), str):
        raise ValidationError(f"each term needs a text code, got {raw!r}", where=where)
    code: str = raw["code"]
    huridocs = raw.get("huridocs")
    if huridocs is not None and not (isinstance(huridocs, str) and _HURIDOCS.match(huridocs)):
        raise ValidationError(f'term "{code}": huridocs must be 12 digits', where=where)
    extra = {k: v for k, v in raw.items() if k not in {"code", "huridocs", *LANGUAGES}}
    return Term(code, _labels(raw, f'term "{code}"'), huridocs, MappingProxyType(extra))


@cache
def vocabulary(name: str) -> Vocabulary:
    """The vocabulary called ``name``, read once from ``<name>.yaml``."""
    if not isinstance(name, str) or not _NAME.match(name) or name not in _names():
        raise UnknownTerm(f'unknown vocabulary "{name}"; valid: {", ".join(_names())}')
    where = f"{name}.yaml"
    raw = yaml.safe_load(_package().joinpath(where).read_text(encoding="utf-8"))
    if not isinstance(raw, Mapping) or raw.get("name") != name:
        raise ValidationError(f'must be a mapping with name: "{name}"', where=where)
    hlist = raw.get("huridocs_list")
    if hlist is not None and (not isinstance(hlist, int) or isinstance(hlist, bool)):
        raise ValidationError("huridocs_list must be a number or null", where=where)
    terms = tuple(_term(t, where) for t in raw.get("terms") or [])
    codes = [t.code for t in terms]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if not terms or dupes:
        raise ValidationError(f"needs terms with unique codes; repeated: {dupes}", where=where)
    return Vocabulary(name, _labels(raw.get("labels") or {}, where), hlist, terms)


def check(name: str, code: str, *, where: str = "") -> str:
    """``code`` if it is a term of vocabulary ``name``; else ``UnknownTerm``."""
    return vocabulary(name).term(code, where=where).code


def _at(where: str, field_name: str) -> str:
    return f"{where} {field_name}" if where else field_name


def _check_value(spec: Mapping[str, Any], value: Any, where: str) -> Any:
    if "vocab" in spec:
        return check(str(spec["vocab"]), value, where=where)
    kind = spec.get("type")
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise ValidationError(f"must be a number >= 0, got {value!r}", where=where)
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValidationError(f"must be true or false, got {value!r}", where=where)
        return value
    if kind == "place":
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"must be a place code, got {value!r}", where=where)
        return value.strip()
    if kind == "string":
        if not isinstance(value, str):
            raise ValidationError(f"must be text, got {value!r}", where=where)
        return value
    raise ValidationError(f"bad details schema {dict(spec)!r}; types: {', '.join(_DETAIL_TYPES)}")


def details_schema(event_type: str) -> Mapping[str, Mapping[str, Any]]:
    """The ``details`` schema of an event type: key -> {vocab: X} or {type: T}; may be empty."""
    schema = vocabulary("event_types").term(event_type).extra.get("details") or {}
    if not isinstance(schema, Mapping):
        raise ValidationError(f'event type "{event_type}": details schema must be a mapping')
    return schema


def check_details(
    event_type: str, details: Mapping[str, Any] | None, *, where: str = ""
) -> dict[str, Any]:
    """Validate the typed details of an event; return them with keys sorted."""
    vocabulary("event_types").term(event_type, where=where)
    schema = details_schema(event_type)
    if details is None:
        return {}
    if not isinstance(details, Mapping):
        raise ValidationError(f"details must be a mapping, got {details!r}", where=where)
    allowed = ", ".join(sorted(schema)) or "none"
    out: dict[str, Any] = {}
    for key in sorted(details, key=str):
        spec = schema.get(key) if isinstance(key, str) else None
        if spec is None:
            raise ValidationError(
                f'unknown detail "{key}" for event type "{event_type}"; allowed: {allowed}',
                where=where,
            )
        out[key] = _check_value(spec, details[key], _at(where, f"details.{key}"))
    return out


def article(code: str, *, where: str = "") -> Term:
    """The criminal-code article ``code`` (e.g. ``KZ-CC-2014:380``) from vocabulary articles."""
    if not isinstance(code, str) or not _ARTICLE.match(code):
        raise ValidationError(
            f'article {code!r} must look like "KZ-CC-2014:380" (code:article)', where=where
        )
    return vocabulary("articles").term(code, where=where)
