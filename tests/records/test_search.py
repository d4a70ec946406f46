"""Search across persons, events and sources: either script, stemmed, and never past what the
audience may see. Runs on SQLite (FTS5) and PostgreSQL (full-text) alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.records import models as m
from docket.records.search import Hit, index_record, reindex, search
from docket.records.services import bundle_load, case_get

pytestmark = pytest.mark.django_db


def _codes(hits: list[Hit], kind: str | None = None) -> set[str]:
    return {h.code for h in hits if kind is None or h.kind == kind}


def _text(hits: list[Hit]) -> str:
    return " ".join(f"{h.title} {h.snippet}" for h in hits)


@pytest.fixture
def synth(synthetic_bundle: Path) -> m.Case:
    """P-1 public, consent initials; P-2 internal; P-3 confidential with full-name consent;
    E-3 "Arrest of Person One" public."""
    path = synthetic_bundle / "persons.yaml"
    text = path.read_text()
    text = text.replace("  name: Person One\n", "  name: Person One\n  confidentiality: public\n")
    text = text.replace("  name: Person Three\n", "  name: Person Three\n  consent: full_name\n")
    path.write_text(text)
    path = synthetic_bundle / "events.yaml"
    path.write_text(
        path.read_text().replace(
            "  title: Arrest of Person One\n",
            "  title: Arrest of Person One\n  confidentiality: public\n",
        )
    )
    bundle_load(folder=synthetic_bundle, actor="test")
    return case_get("synth")


@pytest.fixture
def korday(korday_bundle: Path) -> m.Case:
    bundle_load(folder=korday_bundle, actor="test")
    return case_get("korday-2020")


def test_a_load_leaves_the_index_current(synth: m.Case) -> None:
    assert m.SearchEntry.objects.filter(case=synth).exists()
    before = sorted(m.SearchEntry.objects.filter(case=synth).values_list("field", "text", "keys"))
    assert reindex(synth) == len(before)
    after = sorted(m.SearchEntry.objects.filter(case=synth).values_list("field", "text", "keys"))
    assert before == after


def test_a_name_is_found_in_either_script(synth: m.Case) -> None:
    # P-1 is recorded as "Person One" and «П. Один».
    assert "P-1" in _codes(search(synth, "Один", audience="internal"), "person")
    assert "P-1" in _codes(search(synth, "odin", audience="internal"), "person")
    assert "P-1" in _codes(search(synth, "Одином", audience="internal"), "person")  # a case ending
    assert "P-2" in _codes(search(synth, "person two", audience="internal"), "person")


def test_events_are_found_by_another_form_of_a_word(synth: m.Case) -> None:
    assert "E-8" in _codes(search(synth, "releases", audience="internal"), "event")
    assert "E-6" in _codes(search(synth, "searches", audience="internal"), "event")
    assert "E-7" in _codes(search(synth, "detain", audience="internal"), "event")


def test_a_source_is_found_by_a_word_of_a_quote(synth: m.Case) -> None:
    hits = search(synth, "DOB", audience="internal")
    assert "S-1" in _codes(hits, "source")
    assert next(h for h in hits if h.code == "S-1").url == "/sources/#S-1"


def test_every_word_must_match(synth: m.Case) -> None:
    assert _codes(search(synth, "Twenty detained", audience="internal")) == {"E-1"}
    assert search(synth, "Twenty zzzqx", audience="internal") == []
    assert search(synth, "  ", audience="internal") == []


def test_the_public_never_finds_a_name_it_may_not_see(synth: m.Case) -> None:
    # Canary: P-1 consented to initials only; its full name must not find anything.
    for query in ("Person One", "Один", "odin"):
        hits = search(synth, query, audience="public")
        assert "P-1" not in _codes(hits, "person"), query
        assert "Person One" not in _text(hits) and "Один" not in _text(hits), query
    # Its event is found by another word, shown with the name redacted.
    hits = search(synth, "arrest", audience="public")
    assert [(h.code, h.title) for h in hits] == [("E-3", "Arrest of P. O.")]
    # The public finds P-1 by the initials it may see.
    assert "P-1" in _codes(search(synth, "P. O.", audience="public"), "person")
    # Nothing that is not public: P-2 internal, P-3 confidential.
    for audience in ("public", "partner"):
        assert "P-3" not in _codes(search(synth, "Person Three", audience=audience))
    assert "P-2" not in _codes(search(synth, "Person Two", audience="public"))
    assert "P-2" in _codes(search(synth, "P-2", audience="partner"))  # named only by its code
    assert "P-3" in _codes(search(synth, "Person Three", audience="internal"))


def test_an_edit_is_indexed_at_once(synth: m.Case) -> None:
    event = m.Event.objects.get(case=synth, code="E-6")
    event.title = "Обыск ночью"
    event.save()
    index_record(event)
    assert "E-6" in _codes(search(synth, "обыски", audience="internal"))
    assert "E-6" not in _codes(search(synth, "night", audience="internal"))


def test_korday_cyrillic_queries_find_latin_names(korday: m.Case) -> None:
    daurov = search(korday, "Дауров", audience="internal")
    titles = {h.title for h in daurov if h.kind == "person"}
    assert {"Ersa Daurov", "Bekir Daurov", "Kh. Daurov"} <= titles
    assert daurov[0].kind == "person"
    yukhnu = {h.title for h in search(korday, "Юхну", audience="internal") if h.kind == "person"}
    assert yukhnu == {"M. Yukhnu", "E. Yukhnu"}
    khuseizov = search(korday, "khuseizov", audience="internal")
    assert {"J. Khuseizov", "Ts. Khusezova"} <= {h.title for h in khuseizov if h.kind == "person"}
    assert "Darkhan Abdukerim" in {h.title for h in search(korday, "Абдукерим", audience="public")}


def test_korday_events_and_sources(korday: m.Case) -> None:
    hits = search(korday, "sentences", audience="public")  # titles say "sentenced", "sentence"
    assert len(_codes(hits, "event")) >= 4
    # Quotes are searched by the team only (they can hold any identifying detail).
    assert any(h.kind == "source" for h in search(korday, "elderly mother", audience="internal"))
    assert not any(h.kind == "source" for h in search(korday, "elderly mother", audience="public"))


def test_korday_public_sees_only_consented_names(korday: m.Case) -> None:
    # Ersa and Bekir Daurov consented to full naming; Kh. Daurov to initials only.
    titles = {h.title for h in search(korday, "Дауров", audience="public") if h.kind == "person"}
    assert titles == {"Ersa Daurov", "Bekir Daurov"}
    # J. Khuseizov and Ts. Khusezova consented to initials: their family name finds nothing.
    for query in ("Khuseizov", "Хусейзов", "Khusezova", "Yukhnu", "Юхну"):
        hits = search(korday, query, audience="public")
        assert hits == [], (query, hits)
    # Their events are still found by other words, with their names redacted.
    hits = search(korday, "search detention son", audience="public")
    assert hits and "Khuse" not in _text(hits)
