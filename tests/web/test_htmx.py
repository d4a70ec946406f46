"""Partial updates with htmx: asked with an HX-Request header, a page answers with only the part
that changes; asked without it (JavaScript off, a link, a reload), with the whole page."""

from __future__ import annotations

import pytest
from django.test import Client

from docket.records import models as m
from docket.records.history import verify_history
from tests.records.helpers import snapshot
from tests.web.test_entry import _client, loaded  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_the_person_list_answers_htmx_with_the_results_only(loaded: None) -> None:  # noqa: F811
    client = _client("documenter")
    url = "/persons/?as_of=2020-05-13&custody=imprisoned"
    whole = client.get(url)
    part = client.get(url, **HX)
    assert whole.status_code == part.status_code == 200
    assert "HX-Request" in whole["Vary"] and "HX-Request" in part["Vary"]
    page, fragment = whole.content.decode(), part.content.decode()
    assert "<html" in page and 'id="results"' in page and 'hx-get="/persons/"' in page
    assert "<html" not in fragment and "<form" not in fragment and 'id="results"' not in fragment
    assert "<table>" in fragment and "Person One" in fragment and "Person Two" not in fragment
    assert "1 person" in fragment
    # The language switch and the login link follow the new address.
    assert 'id="lang-next"' in fragment and 'hx-swap-oob="true"' in fragment
    assert f'value="{url.replace("&", "&amp;")}"' in fragment
    # Going back in history asks for a whole page.
    restore = client.get(url, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HX).content.decode()
    assert "<html" in restore


def test_the_person_list_pages_through_htmx_and_without(loaded: None) -> None:  # noqa: F811
    from docket.web import views

    client = _client("documenter")
    size = views.PAGE_SIZE
    views.PAGE_SIZE = 1
    try:
        fragment = client.get("/persons/?as_of=2020-05-13", **HX).content.decode()
        page = client.get("/persons/?as_of=2020-05-13").content.decode()
    finally:
        views.PAGE_SIZE = size
    link = "/persons/?as_of=2020-05-13&amp;page=2"
    assert f'href="{link}"' in fragment and f'hx-get="{link}"' in fragment
    assert 'hx-target="#results"' in fragment and 'hx-push-url="true"' in fragment
    assert f'href="{link}"' in page


def test_the_overview_answers_htmx_with_the_counts_only(loaded: None) -> None:  # noqa: F811
    client = _client("documenter")
    whole = client.get("/?as_of=2020-05-13").content.decode()
    fragment = client.get("/?as_of=2020-05-13", **HX).content.decode()
    assert "<html" in whole and 'hx-target="#as-of-results"' in whole and "For review" in whole
    assert "<html" not in fragment and "For review" not in fragment and "<form" not in fragment
    assert "Who was where on 13 May 2020" in fragment and "<table>" in fragment
    assert "Latest events" in fragment
    bad = client.get("/?as_of=31.02.2020", **HX).content.decode()
    assert "February 2020 has 29 days" in bad and 'role="alert"' in bad


def test_verifying_from_the_queue_answers_htmx_with_that_row(loaded: None) -> None:  # noqa: F811
    reviewer = _client("reviewer")
    queue = reviewer.get("/review/").content.decode()
    assert 'hx-post="/records/person/P-1/verify/"' in queue and 'hx-target="closest tr"' in queue
    row = reviewer.post("/records/person/P-1/verify/", **HX)
    assert row.status_code == 200
    text = row.content.decode()
    assert text.startswith("<tr") and "<html" not in text and "P-1 is verified." in text
    assert m.Person.objects.get(code="P-1").review_state == "verified"
    # A record without a source stays a draft; the row says why and keeps its button.
    before = snapshot()
    text = reviewer.post("/records/person/P-2/verify/", **HX).content.decode()
    assert text.startswith("<tr") and "a verified record needs at least one citation" in text
    assert "Mark verified" in text and 'role="alert"' in text
    assert snapshot() == before
    assert verify_history().ok
    # Without JavaScript the same button leads back to the whole queue.
    response = reviewer.post("/records/person/P-3/verify/")
    assert response.status_code == 302 and response["Location"] == "/review/"


def test_htmx_does_not_open_a_way_around_permissions(loaded: None) -> None:  # noqa: F811
    before = snapshot()
    assert _client("documenter").post("/records/person/P-1/verify/", **HX).status_code == 403
    assert Client().post("/records/person/P-1/verify/", **HX).status_code == 403
    assert snapshot() == before
    public = Client().get("/persons/?as_of=2020-05-13", **HX).content.decode()
    assert "Person Two" not in public


def test_pages_load_htmx_from_our_own_static_files(loaded: None) -> None:  # noqa: F811
    page = Client().get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    assert '"historyCacheSize": 0' in page
    script = Client().get("/static/django_htmx/htmx-2.min.js")
    assert script.status_code == 200
