"""The search page: the header box, results as the visitor's audience may see them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from docket.records.services import bundle_load

pytestmark = pytest.mark.django_db


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    path = synthetic_bundle / "persons.yaml"
    path.write_text(
        path.read_text().replace(
            "  name: Person One\n", "  name: Person One\n  confidentiality: public\n"
        )
    )
    bundle_load(folder=synthetic_bundle, actor="test")


def test_the_header_has_a_labelled_search_box(loaded: None) -> None:
    page = _text(Client().get("/"))
    assert 'role="search"' in page and '<label for="search-q">Search</label>' in page


def test_the_team_finds_a_latin_name_with_a_cyrillic_query(loaded: None) -> None:
    client = Client()
    user = get_user_model().objects.create_user("doc", password="a long password 9")
    user.groups.add(Group.objects.get_or_create(name="documenter")[0])
    client.force_login(user)
    page = _text(client.get("/search/", {"q": "Один"}))
    assert 'href="/persons/P-1/"' in page and "Person One" in page


def test_the_public_finds_no_name_it_may_not_see(loaded: None) -> None:
    page = _text(Client().get("/search/", {"q": "Person One"}))
    assert "Person One" not in page.replace('value="Person One"', "").replace("“Person One”", "")
    assert "/persons/P-1/" not in page
    assert "0 results" in page


def test_the_search_page_in_russian(loaded: None) -> None:
    client = Client()
    client.cookies["django_language"] = "ru"
    page = _text(client.get("/search/", {"q": "P. O."}))
    assert "Поиск" in page and "по запросу" in page
