"""The chronology: date order with honest partial dates, filters, footnotes, audiences."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.core.errors import NotFound, UnknownTerm
from docket.records.chronology import timeline
from docket.records.services import bundle_load, case_get
from docket.reports import timeline as render

pytestmark = pytest.mark.django_db

EXTRA_EVENTS = """
- code: E-9
  type: death
  date: "2020-04-24"
  title: Death of Person Three
  confidentiality: internal
  participants: [{person: P-3, role: victim}]
  citations: [{source: S-2, locator: para 2, quote: "she died"}]
- code: E-10
  type: threat
  date: 2020-04
  title: Threat against a witness
  confidentiality: restricted
  participants: [{person: P-2, role: victim}]
"""

EXTRA_SOURCES = """
- code: S-2
  kind: news_article
  title: An article
  publisher: A newspaper
  url: https://example.org/article
  confidentiality: public
- code: S-3
  kind: testimony
  title: Testimony of a witness
  identity_confidential: true
  confidentiality: public
"""


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    with (synthetic_bundle / "events.yaml").open("a") as f:
        f.write(EXTRA_EVENTS)
    with (synthetic_bundle / "sources.yaml").open("a") as f:
        f.write(EXTRA_SOURCES)
    path = synthetic_bundle / "events.yaml"
    path.write_text(
        path.read_text().replace(
            "  title: Night search\n",
            "  title: Night search\n"
            "  citations: [{source: S-3, locator: q. 4},\n"
            "    {source: S-2, locator: para 2, quote: Person Two was searched}]\n",
        )
    )
    for name, old in (
        ("events.yaml", "  title: Arrest of Person One\n"),
        ("events.yaml", "  title: Night search\n"),
        ("persons.yaml", "  name: Person One\n"),
        ("persons.yaml", "  name: Person Two\n"),
    ):
        path = synthetic_bundle / name
        path.write_text(path.read_text().replace(old, old + "  confidentiality: public\n", 1))
    bundle_load(folder=synthetic_bundle, actor="test")


def _codes(**kwargs: object) -> list[str]:
    tl = timeline(case_get(), audience="restricted", **kwargs)  # type: ignore[arg-type]
    return [e["code"] for e in tl.entries]


def test_events_come_in_date_order_with_partial_dates_as_written(loaded: None) -> None:
    entries = timeline(case_get(), audience="restricted").entries
    assert [e["code"] for e in entries] == [
        "E-1",
        "E-2",
        "E-3",
        "E-10",  # "April 2020" may begin before 2 April
        "E-4",
        "E-6",
        "E-7",
        "E-9",
        "E-8",
        "E-5",
    ]
    by_code = {e["code"]: e for e in entries}
    assert by_code["E-1"]["date"] == "2020-02-08/2020-02-09"
    assert by_code["E-1"]["date_text"] == "8–9 February 2020"
    assert by_code["E-3"]["date_text"] == "March 2020"
    assert by_code["E-6"]["date_text"] == "24 April 2020, 23:00"


def test_each_entry_has_the_promised_fields(loaded: None) -> None:
    e1 = timeline(case_get()).entries[0]
    assert set(e1) >= {"code", "type", "date", "title", "place", "participants", "sources"}
    group = next(p for p in e1["participants"] if p["kind"] == "group")
    assert (group["role"], group["name"], group["size"]) == (
        "victim",
        "Twenty people detained for a day",
        20,
    )
    assert e1["place"] == "Village B"


def test_filters_by_person_place_type_and_dates(loaded: None) -> None:
    assert _codes(person="P-1") == ["E-3", "E-4", "E-5"]  # through the proceeding too
    assert _codes(place="PL-1") == ["E-1"]  # the village lies inside the country
    assert _codes(types=["release"]) == ["E-2", "E-8"]
    assert _codes(date_from="2020-04-24", date_to="2020-04-24") == ["E-10", "E-6", "E-7", "E-9"]
    assert "E-4" not in _codes(date_from="2020-04-24")
    assert _codes(organization="O-1") == ["E-1", "E-6"]


def test_unknown_filter_values_are_errors(loaded: None) -> None:
    with pytest.raises(NotFound, match='no person with code "P-404"'):
        timeline(case_get(), person="P-404")
    with pytest.raises(UnknownTerm, match="--type"):
        timeline(case_get(), types=["raid"])


def test_footnotes_are_numbered_once_per_place_in_a_source(loaded: None) -> None:
    tl = timeline(case_get())
    search = next(e for e in tl.entries if e["code"] == "E-6")
    assert [s["footnote"] for s in search["sources"]] == [1, 2]
    death = next(e for e in tl.entries if e["code"] == "E-9")
    assert [s["footnote"] for s in death["sources"]] == [2]
    assert tl.footnotes[1]["url"] == "https://example.org/article"
    assert search["sources"][1]["quote"] == "Person Two was searched"


def test_the_public_sees_neither_restricted_events_nor_protected_names(loaded: None) -> None:
    public = timeline(case_get(), audience="public")
    assert [e["code"] for e in public.entries] == ["E-3", "E-6"]  # not internal or restricted ones
    names = [p["name"] for e in public.entries for p in e["participants"]]
    assert "Person One" not in names and "P. O." in names  # consent: initials
    assert "Person Two" not in names and "Person P-2" in names  # consent: anonymous (default)
    arrest = public.entries[0]
    assert arrest["title"] == "Arrest of P. O."  # free text redacted as well
    assert public.footnotes[0]["title"] == "Source withheld"  # a witness's identity is secret
    assert all(not s["quote"] for e in public.entries for s in e["sources"])  # quotes: team only
    text = render.markdown(public) + render.html(public)
    for secret in ("Person One", "Person Two", "Person Three", "Testimony of a witness", "Threat"):
        assert secret not in text


def test_markdown_and_html_in_russian(loaded: None) -> None:
    tl = timeline(case_get(), lang="ru")
    md = render.markdown(tl)
    assert md.startswith("# Хронология: Synthetic case")
    assert "**8–9 февраля 2020 г.**" in md
    assert "[^2]: An article, A newspaper, para 2, https://example.org/article" in md
    page = render.html(tl)
    assert '<html lang="ru">' in page and "Источники" in page
    assert '<a href="https://example.org/article" rel="noreferrer">' in page


def test_html_escapes_what_documenters_typed(synthetic_bundle: Path) -> None:
    path = synthetic_bundle / "events.yaml"
    path.write_text(
        path.read_text().replace("title: Night search", 'title: "<script>x()</script>"')
    )
    bundle_load(folder=synthetic_bundle, actor="test")
    page = render.html(timeline(case_get()))
    assert "<script>x()</script>" not in page and "&lt;script&gt;" in page
