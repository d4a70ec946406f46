"""Search: one box across persons (every spelling, either script), events and sources.

The index is ``SearchEntry``: one row per searchable text of a record, its ``keys`` holding the
text's match terms, computed here in Python for both databases alike:

- the Snowball stem of every word (Russian for Cyrillic words, English for Latin ones), so
  «Дауровым» meets «Дауров» and "arrests" meets "arrested";
- the transliteration key of the word and of its stem (``docket.core.names``), so «Дауров»
  meets "Daurov" and "Khuseizov" meets "Khusezova".

The database only finds rows whose terms start with a query word's terms (every query word must
match): SQLite through an FTS5 table, PostgreSQL through a GIN index on a 'simple' text-search
vector (migration 0004_search). One interface, two backends, the same answers.

Who may see what: an entry carries its record's confidentiality and only entries the audience
is cleared for are searched. A person's real names (``names``) are searched for the team only;
public and partner audiences search a person's ``shown`` name — every spelling only when the
person consented to full naming. Event and source texts are checked again, for every audience
but "restricted" (the team, too, may not read the names of restricted persons), against the text
as they may read it: names redacted as on every page, and any word of a name they may not see
masked, so no query ever finds a record by a name the visitor may not know.

A person's restricted fields (contact, identity document: ``audience.RESTRICTED_FIELDS``) are
never indexed; the quote of a citation of one is indexed as restricted (admins only).

The index follows every write: ``record_put`` (loads) and the admin call ``index_record``;
``reindex`` rebuilds a case.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.expressions import RawSQL

from docket.core.audience import (
    CLEARANCE,
    NAMES_AS_RECORDED,
    RESTRICTED_FIELDS,
    can_see,
    check_audience,
    shown_name,
)
from docket.core.names import translit_key, words
from docket.records import models as m

LEVELS = ("public", "internal", "confidential", "restricted")
KIND_ORDER = {"person": 0, "event": 1, "source": 2}
FIELD_ORDER = {"names": 0, "shown": 0, "title": 1, "description": 2, "quote": 3}
CANDIDATES = 2000  # rows read from the full-text index per query, at most
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CODE = re.compile(r"[A-Za-z]{1,4}-\d+")
_local = threading.local()


@dataclass(frozen=True)
class Hit:
    kind: str  # person, event, source
    code: str
    title: str
    snippet: str
    url: str


# --- terms ---------------------------------------------------------------------------------


def _stemmer(lang: str) -> Any:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {
            "ru": snowballstemmer.stemmer("russian"),
            "en": snowballstemmer.stemmer("english"),
        }
    return stemmers[lang]


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[str, ...]:
    """A (lower-case) word's match terms: the word, its stem, and their transliteration keys."""
    stem = _stemmer("ru" if _CYRILLIC.search(word) else "en").stemWord(word)
    out: list[str] = []
    for t in (word, stem, translit_key(word), translit_key(stem)):
        if t and t not in out:
            out.append(t)
    return tuple(out)


def text_terms(text: str) -> str:
    """The ``keys`` of a text: every term of every word, once, space-separated."""
    seen: dict[str, None] = {}
    for w in words(text):
        for t in word_terms(w)[1:]:
            seen.setdefault(t, None)
    return " ".join(seen)


def query_groups(query: str) -> list[tuple[str, ...]]:
    """One group of alternative terms per query word; a record must match every group."""
    groups: list[tuple[str, ...]] = []
    for w in words(query):
        terms = word_terms(w)
        if terms not in groups:
            groups.append(terms)
    return groups[:12]


def _word_matches(word: str, group: tuple[str, ...]) -> int:
    """2 when the word has one of the group's terms exactly, 1 as a prefix, 0 not at all."""
    terms = word_terms(word)
    if any(t in group for t in terms):
        return 2
    return 1 if any(t.startswith(g) for t in terms for g in group) else 0


# --- writing the index ---------------------------------------------------------------------


def _stricter(*levels: str) -> str:
    return max(levels, key=lambda c: LEVELS.index(c) if c in LEVELS else len(LEVELS))


def _source_level(source: m.Source) -> str:
    """A source whose identity is confidential is withheld from public and partner outputs."""
    if source.identity_confidential:
        return _stricter(source.confidentiality, "confidential")
    return source.confidentiality


def _entry(obj: Any, kind: str, field: str, text: str, **kw: Any) -> m.SearchEntry:
    return m.SearchEntry(
        case_id=obj.case_id,
        target_type=kind,
        target_id=obj.pk,
        code=obj.code,
        field=field,
        text=text,
        keys=text_terms(text),
        confidentiality=kw.pop("confidentiality", obj.confidentiality),
        **kw,
    )


def _person_entries(person: m.Person, variants: list[str]) -> list[m.SearchEntry]:
    names = list(dict.fromkeys([person.name, *variants]))
    out = [_entry(person, "person", "names", " · ".join(names))]
    if person.consent == "full_name" and not person.consent_withdrawn:
        shown = " · ".join(names)
    else:
        shown = shown_name(
            person.name,
            code=person.code,
            consent=person.consent,
            audience="public",
            pseudonym=person.pseudonym,
            consent_withdrawn=bool(person.consent_withdrawn),
        )
        if shown == f"Person {person.code}":
            shown = person.code  # anonymous: found by code only
    return [*out, _entry(person, "person", "shown", shown)]


def _own_entries(obj: Any) -> list[m.SearchEntry]:
    if isinstance(obj, m.Person):
        variants = m.NameVariant.objects.filter(target_id=obj.pk).values_list("text", flat=True)
        return _person_entries(obj, list(variants))
    if isinstance(obj, m.Event):
        out = [_entry(obj, "event", "title", obj.title)]
        if obj.description.strip():
            out.append(_entry(obj, "event", "description", obj.description))
        return out
    if isinstance(obj, m.Source):
        return [_entry(obj, "source", "title", obj.title, confidentiality=_source_level(obj))]
    return []


def _quote_entries(citations: Any, levels: dict[Any, str]) -> list[m.SearchEntry]:
    """Entries for the quotes of ``citations``; ``levels``: the citing records' confidentiality."""
    out = []
    for c in citations:
        if not c.quote.strip() or c.target_id not in levels:
            continue
        level = _stricter(_source_level(c.source), levels[c.target_id])
        if c.field in RESTRICTED_FIELDS.get(c.target_type, ()):
            # The quote of a citation of a restricted field (a contact) is for admins only.
            level = "restricted"
        out.append(
            _entry(
                c.source, "source", "quote", c.quote, origin_id=c.target_id, confidentiality=level
            )
        )
    return out


def _levels_of(citations: list[m.Citation]) -> dict[Any, str]:
    from docket.records.schema import BY_NAME

    wanted: dict[str, set[Any]] = {}
    for c in citations:
        wanted.setdefault(c.target_type, set()).add(c.target_id)
    levels: dict[Any, str] = {}
    for kind, pks in wanted.items():
        if kind in BY_NAME:
            model = BY_NAME[kind].model
            levels.update(model.objects.filter(pk__in=pks).values_list("pk", "confidentiality"))
    return levels


def index_record(obj: Any) -> None:
    """Bring the index up to date with one record just written (any kind of record)."""
    with transaction.atomic():
        m.SearchEntry.objects.filter(Q(target_id=obj.pk) | Q(origin_id=obj.pk)).delete()
        entries = _own_entries(obj)
        cited = list(m.Citation.objects.filter(target_id=obj.pk).select_related("source"))
        entries += _quote_entries(cited, {obj.pk: obj.confidentiality})
        if isinstance(obj, m.Source):  # its quotes, wherever it is cited, take its level
            citing = list(
                m.Citation.objects.filter(source=obj)
                .exclude(target_id=obj.pk)
                .select_related("source")
            )
            entries += _quote_entries(citing, _levels_of(citing))
        m.SearchEntry.objects.bulk_create(entries, batch_size=500)


def unindex_record(obj: Any) -> None:
    """Forget a record about to be deleted."""
    m.SearchEntry.objects.filter(Q(target_id=obj.pk) | Q(origin_id=obj.pk)).delete()


def reindex(case: m.Case) -> int:
    """Rebuild the whole index of a case; the number of entries written."""
    with transaction.atomic():
        m.SearchEntry.objects.filter(case=case).delete()
        variants: dict[Any, list[str]] = {}
        for target, text in m.NameVariant.objects.filter(
            case=case, target_type="person"
        ).values_list("target_id", "text"):
            variants.setdefault(target, []).append(text)
        entries: list[m.SearchEntry] = []
        for p in m.Person.objects.filter(case=case):
            entries += _person_entries(p, variants.get(p.pk, []))
        for e in m.Event.objects.filter(case=case):
            entries += _own_entries(e)
        for s in m.Source.objects.filter(case=case):
            entries += _own_entries(s)
        cited = list(m.Citation.objects.filter(case=case).select_related("source"))
        entries += _quote_entries(cited, _levels_of(cited))
        m.SearchEntry.objects.bulk_create(entries, batch_size=1000)
        return len(entries)


# --- the two backends ----------------------------------------------------------------------


def _matching(qs: QuerySet[m.SearchEntry], groups: list[tuple[str, ...]]) -> Any:
    vendor = connection.vendor
    if vendor == "sqlite":
        expr = " AND ".join("(" + " OR ".join(f'"{t}"*' for t in g) + ")" for g in groups)
        sql = "SELECT rowid FROM records_searchentry_fts WHERE records_searchentry_fts MATCH %s"
        return qs.filter(id__in=RawSQL(sql, [expr]))  # noqa: S611 - terms are letters/digits
    if vendor == "postgresql":
        expr = " & ".join("(" + " | ".join(f"'{t}':*" for t in g) + ")" for g in groups)
        where = (
            "to_tsvector('simple'::regconfig, text || ' ' || keys)"
            " @@ to_tsquery('simple'::regconfig, %s)"
        )
        return qs.extra(where=[where], params=[expr])  # noqa: S610 - parameterised
    for g in groups:  # any other database: a plain scan, same semantics but no index
        cond = Q()
        for t in g:
            cond |= Q(keys__startswith=t) | Q(keys__contains=f" {t}")
        qs = qs.filter(cond)
    return qs


# --- what an audience may read -------------------------------------------------------------


_WORD_SPAN = re.compile(r"[^\W_]+")


class _Redactor:
    """Replaces whole names, word by word, like ``audience.redact`` but fast for thousands of
    names: names are looked up by their first two words instead of one giant pattern."""

    def __init__(self, replacements: dict[str, str]) -> None:
        self.names: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = {}
        for name, shown in replacements.items():
            ws = tuple(words(name))
            if ws:
                self.names.setdefault(ws[:2], []).append((ws, shown))
        for found in self.names.values():
            found.sort(key=lambda item: len(item[0]), reverse=True)

    def __call__(self, text: str) -> str:
        if not self.names:
            return text
        spans = list(_WORD_SPAN.finditer(text))
        folded = [w.group(0).casefold().replace("ё", "е") for w in spans]
        out, at, i = [], 0, 0
        while i < len(spans):
            hit = None
            for key in (tuple(folded[i : i + 2]), (folded[i],)):
                for ws, shown in self.names.get(key, []):
                    if tuple(folded[i : i + len(ws)]) == ws:
                        hit = (ws, shown)
                        break
                if hit:
                    break
            if hit is None:
                i += 1
                continue
            last = spans[i + len(hit[0]) - 1]
            out += [text[at : spans[i].start()], hit[1]]
            at = last.end()
            if text[at : at + 1] == "." and len(folded[i + len(hit[0]) - 1]) <= 2:
                at += 1  # an initial's full stop belongs to the name
            i += len(hit[0])
        return "".join([*out, text[at:]])


@dataclass
class _Privacy:
    redactor: _Redactor
    hidden_keys: frozenset[str]
    withheld: str

    def clean(self, text: str) -> str:
        """Text as the audience may read it: names redacted, words of hidden names masked."""
        text = self.redactor(text)
        if not self.hidden_keys:
            return text

        def mask(match: re.Match[str]) -> str:
            word = match.group(0)
            hidden = len(word) >= 3 and translit_key(word) in self.hidden_keys
            return self.withheld if hidden else word

        return _WORD_SPAN.sub(mask, text)


# Words a recorded "name" may hold that name no one ("Mother of Ramazan … (name not given)").
_NOT_NAMES = frozenset(
    [
        "person",
        "mother",
        "father",
        "son",
        "daughter",
        "brother",
        "sister",
        "wife",
        "husband",
        "child",
        "children",
        "relative",
        "unknown",
        "unnamed",
        "лицо",
        "мать",
        "отец",
        "сын",
        "дочь",
        "брат",
        "сестра",
        "жена",
        "муж",
    ]
)

_privacy_cache: dict[tuple[Any, ...], _Privacy] = {}


def _privacy(case: m.Case, audience: str, lang: str) -> _Privacy:
    from docket.records.chronology import _name_replacements

    stamp = m.Change.objects.filter(case=case).aggregate(last=Max("seq"))["last"]
    key = (case.pk, audience, lang, stamp)
    if key in _privacy_cache:
        return _privacy_cache[key]
    variants: dict[Any, list[str]] = {}
    for target, text in m.NameVariant.objects.filter(case=case, target_type="person").values_list(
        "target_id", "text"
    ):
        variants.setdefault(target, []).append(text)
    hidden: set[str] = set()
    allowed: set[str] = set()
    for p in m.Person.objects.filter(case=case).only(
        "id", "name", "consent", "consent_withdrawn", "confidentiality"
    ):
        named = can_see(audience, p.confidentiality) and (
            audience in NAMES_AS_RECORDED  # the team: every name it is cleared for
            or (p.consent == "full_name" and not p.consent_withdrawn)
        )
        for name in (p.name, *variants.get(p.pk, [])):
            for w in re.findall(r"[^\W_]+", name):
                if len(w) >= 3 and w[0].isupper() and w.casefold() not in _NOT_NAMES:
                    (allowed if named else hidden).add(translit_key(w))
    privacy = _Privacy(
        redactor=_Redactor(_name_replacements(case, audience, lang)),
        hidden_keys=frozenset(hidden - allowed),
        withheld="[имя скрыто]" if lang == "ru" else "[name withheld]",
    )
    if len(_privacy_cache) > 32:
        _privacy_cache.clear()
    _privacy_cache[key] = privacy
    return privacy


# --- searching -----------------------------------------------------------------------------


def _score(text: str, groups: list[tuple[str, ...]]) -> tuple[int, int]:
    """(groups matched, of which exactly) by the words of ``text``; and where the first is."""
    ws = words(text)
    matched = exact = 0
    for g in groups:
        best = max((_word_matches(w, g) for w in ws), default=0)
        matched += best > 0
        exact += best == 2
    return (exact if matched == len(groups) else -1), matched


def _snippet(text: str, groups: list[tuple[str, ...]], width: int = 160) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    start = 0
    for match in re.finditer(r"[^\W_]+", text):
        word = match.group(0).casefold().replace("ё", "е")
        if any(_word_matches(word, g) for g in groups):
            start = max(0, match.start() - width // 3)
            break
    cut = text[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")


def _url(kind: str, code: str) -> str:
    return {
        "person": f"/persons/{code}/",
        "event": f"/chronology/#{code}",
        "source": f"/sources/#{code}",
    }[kind]


def search(
    case: m.Case, query: str, *, audience: str, lang: str = "en", limit: int = 50
) -> list[Hit]:
    """Persons, events and sources matching every word of ``query``, as ``audience`` sees them."""
    check_audience(audience)
    groups = query_groups(query)
    if not groups:
        return []
    if not m.SearchEntry.objects.filter(case=case).exists() and (
        m.Person.objects.filter(case=case).exists() or m.Event.objects.filter(case=case).exists()
    ):
        reindex(case)  # a database written before the index existed
    team = audience in NAMES_AS_RECORDED
    qs = m.SearchEntry.objects.filter(
        case=case, confidentiality__in=CLEARANCE[audience], field__in=list(FIELD_ORDER)
    ).exclude(field="shown" if team else "names")
    if not team:  # quotes are the team's to read (as in the chronology and the API)
        qs = qs.exclude(field="quote")
    columns = ("target_type", "target_id", "code", "field", "text")
    if _CODE.fullmatch(query.strip()):  # a record's code: that record, as the audience sees it
        rows = list(qs.filter(code__iexact=query.strip()).values_list(*columns))
        return _hits(case, rows, [], audience, lang, limit)
    rows = list(_matching(qs, groups).values_list(*columns)[:CANDIDATES])
    return _hits(case, rows, groups, audience, lang, limit)


def _hits(
    case: m.Case,
    rows: list[Any],
    groups: list[tuple[str, ...]],
    audience: str,
    lang: str,
    limit: int,
) -> list[Hit]:
    # Everyone below "restricted" reads texts with the names they may not see withheld: for
    # the team (internal) those are the names of restricted persons, as on the pages.
    privacy = None if audience == "restricted" or not rows else _privacy(case, audience, lang)
    best: dict[tuple[str, str], tuple[tuple[Any, ...], str, Any, str]] = {}
    for kind, target_id, code, field, text in rows:
        if privacy is not None and kind != "person":
            text = privacy.clean(text)
        exact, matched = _score(text, groups)
        if exact < 0:
            continue  # matched only through words this audience may not read
        rank = (-exact, KIND_ORDER[kind], FIELD_ORDER[field], code)
        if (kind, code) not in best or rank < best[(kind, code)][0]:
            best[(kind, code)] = (rank, field, target_id, text)
    chosen = sorted(best.items(), key=lambda item: item[1][0])[:limit]
    titles = _titles(chosen, audience, lang, privacy)
    return [
        Hit(
            kind=kind,
            code=code,
            title=titles.get(target_id, code),
            snippet=_snippet(text, groups),
            url=_url(kind, code),
        )
        for (kind, code), (_, _, target_id, text) in chosen
    ]


def _titles(
    chosen: list[Any], audience: str, lang: str, privacy: _Privacy | None
) -> dict[Any, str]:
    ids: dict[str, list[Any]] = {}
    for (kind, _), (_, _, target_id, _) in chosen:
        ids.setdefault(kind, []).append(target_id)
    titles: dict[Any, str] = {}
    for p in m.Person.objects.filter(pk__in=ids.get("person", [])):
        titles[p.pk] = p.shown_name(audience, lang)
    for pk, title in m.Event.objects.filter(pk__in=ids.get("event", [])).values_list("pk", "title"):
        titles[pk] = privacy.clean(title) if privacy else title
    for pk, title in m.Source.objects.filter(pk__in=ids.get("source", [])).values_list(
        "pk", "title"
    ):
        titles[pk] = privacy.clean(title) if privacy else title
    return titles
