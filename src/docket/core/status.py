"""Custody and legal stage of a person as of any date, derived from their events.

A status is never stored: it is recomputed from the events, so correcting an event corrects
every status that depends on it. The rules, for lawyers and documenters, are in docs/status.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docket.core.errors import ValidationError

CUSTODY = (
    "free",
    "detained",
    "pretrial_detention",
    "house_arrest",
    "restricted",
    "imprisoned",
    "suspended_sentence",
    "deceased",
    "unknown",
)
LEGAL_STAGES = ("none", "suspect", "accused", "on_trial", "convicted", "acquitted", "closed")

# Order of events that take effect on the same day. Release comes after custody-setting events,
# so "detained and released the same day" ends free; death comes last, so nothing outlives it.
PRECEDENCE: dict[str, int] = {
    "detention": 0,
    "arrest": 1,
    "measure": 2,
    "charge": 3,
    "indictment": 4,
    "trial": 5,
    "verdict": 6,
    "appeal_decision": 7,
    "release": 8,
    "case_closed": 9,
    "death": 10,
    "killing": 10,
}

# Custody imposed by a measure of restraint (details["measure"]).
MEASURE_CUSTODY: dict[str, str] = {
    "pretrial_detention": "pretrial_detention",
    "house_arrest": "house_arrest",
    "travel_ban": "restricted",
    "bail": "restricted",
    "police_supervision": "restricted",
}

# Custody that follows a sentence (details["sentence"] of a verdict or a modifying appeal).
SENTENCE_CUSTODY: dict[str, str] = {
    "imprisonment": "imprisoned",
    "suspended": "suspended_sentence",
    "restricted_freedom": "restricted",
    "fine": "free",
    "community_service": "free",
    "none": "free",
}

# Custody that ends when the case is closed; a sentence being served is not ended by closure.
FREED_BY_CLOSURE = frozenset({"detained", "pretrial_detention", "house_arrest", "restricted"})

# Stages that a new charge does not move back to "accused".
KEPT_ON_CHARGE = frozenset({"on_trial", "convicted"})


@dataclass(frozen=True)
class StatusEvent:
    """What the engine needs to know of one event of one person."""

    type: str
    earliest: datetime.date
    latest: datetime.date
    date_text: str
    details: Mapping[str, Any] = field(default_factory=dict)
    charges: tuple[str, ...] = ()
    code: str = ""


@dataclass(frozen=True)
class Status:
    """A person's custody and legal stage on one date, and what they rest on."""

    custody: str
    custody_since: str | None
    legal_stage: str
    legal_stage_since: str | None
    charges: tuple[str, ...]
    events: tuple[str, ...]


def effective_date(event: StatusEvent) -> datetime.date:
    """The day from which ``event`` counts: the latest bound of its date."""
    if event.earliest > event.latest:
        raise ValidationError(
            f"date {event.date_text!r} ends ({event.latest}) before it begins ({event.earliest})",
            where=event.code or f"{event.type} event",
        )
    return event.latest


@dataclass
class _Tracker:
    """The status being built, and when each part of it last changed."""

    custody: str = "unknown"
    custody_since: str | None = None
    stage: str = "none"
    stage_since: str | None = None
    charges: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)

    def set_custody(self, value: str | None, event: StatusEvent) -> None:
        if value is not None and value != self.custody:
            self.custody, self.custody_since = value, event.date_text

    def set_stage(self, value: str, event: StatusEvent) -> None:
        if value != self.stage:
            self.stage, self.stage_since = value, event.date_text

    def add_charges(self, event: StatusEvent) -> None:
        self.charges.extend(c for c in dict.fromkeys(event.charges) if c not in self.charges)


def _detail(event: StatusEvent, key: str) -> str:
    """A text detail of ``event``, or "" when missing or not text."""
    value = event.details.get(key)
    return value if isinstance(value, str) else ""


def _become_suspect(t: _Tracker, e: StatusEvent) -> None:
    if t.stage == "none":
        t.set_stage("suspect", e)


def _detention(t: _Tracker, e: StatusEvent) -> None:
    t.set_custody("detained", e)
    _become_suspect(t, e)


def _arrest(t: _Tracker, e: StatusEvent) -> None:
    t.set_custody("pretrial_detention", e)
    _become_suspect(t, e)


def _measure(t: _Tracker, e: StatusEvent) -> None:
    t.set_custody(MEASURE_CUSTODY.get(_detail(e, "measure")), e)
    _become_suspect(t, e)


def _release(t: _Tracker, e: StatusEvent) -> None:
    # "Released under a travel ban" is a change of measure, not freedom.
    if _detail(e, "measure") in MEASURE_CUSTODY:
        _measure(t, e)
    else:
        t.set_custody("free", e)


def _charge(t: _Tracker, e: StatusEvent) -> None:
    if t.stage not in KEPT_ON_CHARGE:
        t.set_stage("accused", e)
    t.add_charges(e)


def _indictment(t: _Tracker, e: StatusEvent) -> None:
    t.set_stage("accused", e)
    t.add_charges(e)


def _trial(t: _Tracker, e: StatusEvent) -> None:
    t.set_stage("on_trial", e)


def _convict(t: _Tracker, e: StatusEvent) -> None:
    t.set_stage("convicted", e)
    t.set_custody(SENTENCE_CUSTODY.get(_detail(e, "sentence")), e)


def _acquit(t: _Tracker, e: StatusEvent) -> None:
    t.set_stage("acquitted", e)
    t.set_custody("free", e)


def _verdict(t: _Tracker, e: StatusEvent) -> None:
    outcome = _detail(e, "outcome")
    if outcome == "acquitted":
        _acquit(t, e)
    elif outcome == "convicted" or (not outcome and _detail(e, "sentence")):
        _convict(t, e)


def _appeal_decision(t: _Tracker, e: StatusEvent) -> None:
    # "upheld" (or an outcome not recorded) leaves everything as the verdict set it.
    outcome = _detail(e, "outcome")
    if outcome == "overturned":
        _acquit(t, e)
    elif outcome == "modified":
        _convict(t, e)
    elif outcome == "retrial":
        t.set_stage("on_trial", e)


def _case_closed(t: _Tracker, e: StatusEvent) -> None:
    t.set_stage("closed", e)
    if t.custody in FREED_BY_CLOSURE:
        t.set_custody("free", e)


def _death(t: _Tracker, e: StatusEvent) -> None:
    t.set_custody("deceased", e)


_HANDLERS: dict[str, Callable[[_Tracker, StatusEvent], None]] = {
    "detention": _detention,
    "arrest": _arrest,
    "measure": _measure,
    "charge": _charge,
    "indictment": _indictment,
    "trial": _trial,
    "verdict": _verdict,
    "appeal_decision": _appeal_decision,
    "release": _release,
    "case_closed": _case_closed,
    "death": _death,
    "killing": _death,
}


def _order(event: StatusEvent) -> tuple[datetime.date, datetime.date, int, str]:
    return (effective_date(event), event.earliest, PRECEDENCE[event.type], event.code)


def status_as_of(events: Iterable[StatusEvent], as_of: datetime.date) -> Status:
    """Custody and legal stage on ``as_of``, from the events that count by then."""
    counting = sorted(
        (e for e in events if effective_date(e) <= as_of and e.type in _HANDLERS), key=_order
    )
    t = _Tracker()
    for event in counting:
        if t.custody == "deceased":
            break  # death is final: whatever is recorded after it changes nothing
        _HANDLERS[event.type](t, event)
        t.applied.append(event.code)
    return Status(
        custody=t.custody,
        custody_since=t.custody_since,
        legal_stage=t.stage,
        legal_stage_since=t.stage_since,
        charges=tuple(t.charges),
        events=tuple(t.applied),
    )
