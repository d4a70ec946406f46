"""The pages, as each kind of visitor sees them: anonymous public, partner viewer, team."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from docket.records.services import bundle_load
from tests.web.helpers import login

pytestmark = pytest.mark.django_db

LOCALE = (
    Path(__file__).resolve().parents[2] / "src" / "docket" / "web" / "locale" / "ru" / "LC_MESSAGES"
)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    """P-1 public with consent "initials"; P-2 internal; P-3 confidential."""
    path = synthetic_bundle / "persons.yaml"
    path.write_text(
        path.read_text().replace(
            "  name: Person One\n", "  name: Person One\n  confidentiality: public\n"
        )
    )
    path = synthetic_bundle / "events.yaml"
    path.write_text(
        path.read_text().replace(
            "  title: Arrest of Person One\n",
            "  title: Arrest of Person One\n  confidentiality: public\n",
        )
    )
    bundle_load(folder=synthetic_bundle, actor="test")


def _client(role: str | None) -> Client:
    client = Client()
    if role:
        user = get_user_model().objects.create_user(f"u-{role}", password="a long password 9")
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        login(client, user)
    return client


def test_anonymous_visitors_see_only_public_records_named_as_consented(loaded: None) -> None:
    client = _client(None)
    page = _text(client.get("/persons/?as_of=2020-05-13"))
    assert "P. O." in page and "Person One" not in page
    assert "P-2" not in page and "Person Two" not in page and "Person Three" not in page
    person = _text(client.get("/persons/P-1/?as_of=2020-05-13"))
    assert "P. O." in person and "Person One" not in person and "1990" not in person
    assert "Arrest of P. O." in person
    for hidden in ("/persons/P-2/", "/persons/P-3/"):
        response = client.get(hidden)
        assert response.status_code == 404
        assert "Person Two" not in _text(response) and "Person Three" not in _text(response)


def test_a_partner_sees_internal_but_not_confidential_records(loaded: None) -> None:
    client = _client("viewer")
    assert client.get("/persons/P-2/").status_code == 200
    assert "Person P-2" in _text(client.get("/persons/P-2/"))  # consent: anonymous
    assert client.get("/persons/P-3/").status_code == 404


def test_the_team_sees_names_status_history_and_footnotes(loaded: None) -> None:
    client = _client("documenter")
    page = _text(client.get("/persons/P-1/?as_of=2020-05-13"))
    assert "Person One" in page and "П. Один" in page and "29 January 1990" in page
    assert "Imprisoned" in page and "Convicted" in page
    history = page[page.index("Status over time") :]
    assert history.index("Pre-trial detention") < history.index("Imprisoned")  # in order
    assert client.get("/persons/P-3/").status_code == 200
    listing = _text(client.get("/persons/?as_of=2020-05-13&custody=imprisoned"))
    assert "1 person" in listing and "Person One" in listing and "Person Two" not in listing
    dashboard = _text(client.get("/?as_of=2020-02-09"))
    assert "Consistency checks" in dashboard
    check = _text(client.get("/check/"))
    assert "uncited" in check and "P-2" in check
    assert _client(None).get("/check/").status_code == 404


def test_a_bad_date_is_reported_on_the_page(loaded: None) -> None:
    page = _text(_client("documenter").get("/persons/?as_of=2020-02-30"))
    assert 'role="alert"' in page and "February 2020 has 29 days" in page


def test_pages_switch_to_russian(loaded: None) -> None:
    client = _client("documenter")
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/persons/"})
    assert response.status_code == 302
    page = _text(client.get("/persons/?as_of=2020-05-13"))
    assert '<html lang="ru">' in page and "Лица" in page and "Процессуальный статус" in page
    assert "3 лица" in page
    person = _text(client.get("/persons/P-1/?as_of=2020-05-13"))
    assert "29 января 1990 г." in person


@pytest.mark.parametrize("url", ["/", "/persons/", "/chronology/", "/sources/", "/login/"])
def test_every_page_answers(loaded: None, url: str) -> None:
    assert _client(None).get(url).status_code == 200


def test_every_russian_string_is_translated_and_compiled() -> None:
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po, "a fuzzy translation is not used: check and unmark it"
    entries = re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', po)
    assert entries
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for raw_id, raw_str in entries:
        msgid = "".join(re.findall(r'"(.*)"', raw_id)).replace('\\"', '"').replace("\\n", "\n")
        msgstr = "".join(re.findall(r'"(.*)"', raw_str))
        assert msgstr, f"untranslated: {msgid!r}"
        assert compiled.gettext(msgid) != msgid, f"not compiled: {msgid!r} (run msgfmt)"
