"""The Documents page: each visitor may make documents only for profiles their role allows,
and a document shows no more than that profile may."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from tests.web.test_pages import _client, loaded  # noqa: F401

pytestmark = pytest.mark.django_db


def _post(client: Client, **fields: str) -> Any:
    data = {"kind": "appeal", "lang": "en", "fmt": "pdf", "profile": "public", "preview": "1"}
    data.update(fields)
    return client.post("/documents/", data)


def test_anonymous_visitors_get_public_documents_only(loaded: None) -> None:  # noqa: F811
    client = _client(None)
    page = client.get("/documents/").content.decode()
    assert 'value="public"' in page and 'value="partner"' not in page
    assert 'value="internal"' not in page
    preview = html.unescape(_post(client, as_of="2020-05-13").content.decode())
    assert "P. O." in preview and "Person One" not in preview
    assert "Person Two" not in preview and "Person Three" not in preview
    refused = _post(client, profile="internal", as_of="2020-05-13")
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert "Person Two" not in html.unescape(refused.content.decode())
    download = _post(client, download="1", profile="internal")
    assert download.get("Content-Disposition") is None  # refused: the form again, no file


def test_a_partner_may_use_public_and_partner_but_not_internal(loaded: None) -> None:  # noqa: F811
    client = _client("viewer")
    page = client.get("/documents/").content.decode()
    assert 'value="partner"' in page and 'value="internal"' not in page
    preview = html.unescape(_post(client, profile="partner", as_of="2020-05-13").content.decode())
    assert "Person Three" not in preview  # confidential


def test_the_team_downloads_internal_documents_in_every_format(loaded: None) -> None:  # noqa: F811
    client = _client("documenter")
    preview = html.unescape(_post(client, profile="internal", as_of="2020-05-13").content.decode())
    assert "Person One" in preview and "sandbox" in preview
    for fmt, start in (("pdf", b"%PDF-"), ("docx", b"PK"), ("md", b"# Appeal")):
        response = _post(client, profile="internal", fmt=fmt, download="1")
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'-appeal-en.{fmt}"')
        assert response.content.startswith(start)
    sheet = _post(client, kind="victims", fmt="xlsx", profile="internal")
    assert sheet["Content-Disposition"].endswith('-victims-en.xlsx"')


def test_bad_input_is_explained_next_to_the_form(loaded: None) -> None:  # noqa: F811
    client = _client("documenter")
    page = html.unescape(_post(client, kind="dossier", profile="internal").content.decode())
    assert "give the person's code" in page
    page = html.unescape(_post(client, kind="dossier", person="P-404").content.decode())
    assert 'no person with code "P-404"' in page
    page = _post(client, kind="victims", fmt="pdf").content.decode()
    assert "This document is made as: csv, xlsx." in page
    page = _post(client, as_of="31.02.2020").content.decode()
    assert 'role="alert"' in page and "31.02.2020" in html.unescape(page)


def test_the_page_is_in_russian_for_russian_visitors(loaded: None) -> None:  # noqa: F811
    client = _client(None)
    client.cookies["django_language"] = "ru"
    page = client.get("/documents/").content.decode()
    assert "Документы" in page and "Предпросмотр" in page
