"""Records as an audience may see them: the canonical form for the team, a redacted one outside.

For the restricted audience (admins) a record is its canonical bundle form (``dump_record``);
for the internal audience (the rest of the team) it is that form without the restricted fields
(``docket.core.audience.RESTRICTED_FIELDS``: a person's contact and identity document) and the
citations of them. For public and partner audiences the same form is redacted the way every
other output is (``docket.core.audience``, ``docket.records.chronology``):

- notes are left out (they are for the team);
- references to records the audience may not see are left out (a participant, sender,
  relative, concerned person, pressure event, place, organization…);
- a person is named as their consent allows, and unless that is their full name, the other
  spellings, birth date, residence, occupation, citizenship, pseudonym and consent withdrawal
  date are left out, with the citations that support those fields;
- a citation of a source the audience may not see, or whose identity is confidential, becomes
  ``{"source": "confidential source"}``;
- every name of a person the audience may not see named is replaced in all free text
  (titles, descriptions, statements, notes of participants…) exactly as in the chronology;
- quotes are left out of citations (they are the team's to read);
- the restricted fields and their citations are left out, as for the internal audience.
"""

from __future__ import annotations

import datetime
from typing import Any

from docket.core.audience import NAMES_AS_RECORDED, redact, without_hidden_fields
from docket.records import models as m
from docket.records.canonical import PARTY_KEYS, Index, dump_record
from docket.records.chronology import name_replacements
from docket.records.schema import BY_MODEL, KINDS
from docket.records.selectors import status_rows

CONFIDENTIAL_SOURCE = {"source": "confidential source"}
# What identifies a person beyond the name shown: only kept when they consented to full naming.
IDENTIFYING = (
    "names",
    "birth_date",
    "residence",
    "occupation",
    "citizenship",
    "pseudonym",
    "consent_withdrawn",
)


class Redactor:
    """Turns stored records into what one audience may see; reads the case once."""

    def __init__(self, case: m.Case, audience: str, lang: str = "en") -> None:
        from docket.api.permissions import visible

        self.case = case
        self.audience = audience
        self.lang = lang
        self.index = Index(case)
        self.open = audience in NAMES_AS_RECORDED
        self.seen: set[tuple[str, str]] = set()
        for kind in KINDS:
            qs = visible(kind.model.objects.filter(case=case), kind, audience)
            self.seen.update((kind.name, code) for code in qs.values_list("code", flat=True))
        self.people: dict[str, tuple[str, bool]] = {}  # code -> (shown name, fully named)
        self.hide: dict[str, str] = {}
        if not self.open:
            self.hide = name_replacements(case, audience, lang)
            for p in m.Person.objects.filter(case=case):
                self.people[p.code] = (
                    p.shown_name(audience, lang),
                    p.consent == "full_name" and not p.consent_withdrawn,
                )

    def sees(self, kind: str, code: Any) -> bool:
        return (kind, code) in self.seen

    def record(self, obj: m.Record) -> dict[str, Any]:
        """One record as this audience may see it (the caller has checked it may)."""
        kind = BY_MODEL[type(obj)].name
        data = without_hidden_fields(self.audience, kind, dump_record(obj, self.index))
        if self.open:
            return data
        return self.redacted(kind, data)

    def redacted(self, kind: str, data: dict[str, Any]) -> dict[str, Any]:  # noqa: C901
        from docket.records.schema import BY_NAME

        d = without_hidden_fields(self.audience, kind, data)
        d.pop("notes", None)
        removed: set[str] = set()
        for f in BY_NAME[kind].fields:
            if f.type == "ref" and f.name in d and not self.sees(f.ref, d[f.name]):
                del d[f.name]
                removed.add(f.name)
        if kind == "person":
            shown, full = self.people.get(d["code"], (d["code"], False))
            if not full:
                for key in IDENTIFYING:
                    if key in d:
                        del d[key]
                        removed.add(key)
        for key in ("participants", "senders"):
            if key in d:
                d[key] = [p for p in d[key] if self._party_seen(p)]
        if "relationships" in d:
            d["relationships"] = [r for r in d["relationships"] if self.sees("person", r["person"])]
        if "concerning" in d:
            d["concerning"] = [c for c in d["concerning"] if self.sees("person", c)]
        if "pressure_events" in d:
            d["pressure_events"] = [e for e in d["pressure_events"] if self.sees("event", e)]
        if "items" in d:
            d["items"] = [self._item(it) for it in d["items"]]
        if "names" in d:
            d["names"] = [self._name(n) for n in d["names"]]
        for key in ("details", "filter", "attributes"):
            if isinstance(d.get(key), dict):
                d[key] = self._json(d[key])
        if "citations" in d:
            d["citations"] = [
                self._citation(c) for c in d["citations"] if c.get("field") not in removed
            ]
        d = {k: v for k, v in d.items() if v not in ([], {})}
        d = self.text(d)
        if kind == "person":
            d["name"] = shown
        return d

    def text(self, value: Any) -> Any:
        """Every string in ``value`` with the names this audience may not see replaced."""
        if isinstance(value, str):
            return redact(value, self.hide)
        if isinstance(value, list):
            return [self.text(v) for v in value]
        if isinstance(value, dict):
            return {k: self.text(v) for k, v in value.items()}
        return value

    def _party_seen(self, party: dict[str, Any]) -> bool:
        return any(self.sees(k, party[k]) for k in PARTY_KEYS if k in party)

    def _item(self, item: dict[str, Any]) -> dict[str, Any]:
        if "assessed_by" in item and not self.sees("organization", item["assessed_by"]):
            item = {k: v for k, v in item.items() if k != "assessed_by"}
        return item

    def _name(self, name: dict[str, Any]) -> dict[str, Any]:
        if "source" in name and not self.sees("source", name["source"]):
            name = {k: v for k, v in name.items() if k != "source"}
        return name

    def _json(self, values: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in values.items():
            ref = {"from_place": "place", "to_place": "place", "residence": "place"}.get(key)
            if ref and not self.sees(ref, value):
                continue
            out[key] = value
        return out

    def _citation(self, citation: dict[str, Any]) -> dict[str, Any]:
        if not self.sees("source", citation["source"]):
            return dict(CONFIDENTIAL_SOURCE)
        # As in the chronology: a quote can carry any identifying detail, so only the team
        # (the open audiences) reads quotes.
        return citation if self.open else {k: v for k, v in citation.items() if k != "quote"}

    def status(self, as_of: datetime.date) -> list[dict[str, Any]]:
        """``status_rows`` for this audience: hidden persons absent, names as consented."""
        rows = [r for r in status_rows(self.case, as_of) if self.sees("person", r["code"])]
        if self.open:
            return rows
        out = []
        for row in rows:
            shown, full = self.people.get(row["code"], (row["code"], False))
            row = {**row, "name": shown}
            if not full:
                row["names"] = [shown]
                row["birth_date"] = None
            out.append(row)
        return out
