"""A person's contact details and identity document are restricted fields: only admins (the
restricted audience) see them — on the person page, in the API, on their entry form. No one else,
the team's documenters and reviewers included, finds them in any page, API answer, search or
document; and a save by someone who cannot see them keeps them as stored (docs/security.md,
Restricted fields).

The person here is public and consented to full naming, so everything else about them is shown
to everyone: only the two restricted fields (and the citation of one, whose quote repeats the
number) must be missing.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from docket.cli import cli
from docket.records import models as m
from docket.records.schema import BY_NAME
from docket.records.services import bundle_load, case_get, record_save
from tests.web.helpers import login  # admins and reviewers pass the TOTP step

pytestmark = pytest.mark.django_db

CODE = "P-50"
NAME = "Sensitiva Subjectova"
CONTACT = "+7 701 555 0199"
IDENTITY = "ID 045512345"
# Every part of the two values an output could carry on its own.
# The locator of the citation of the contact: that citation is withheld with the field.
LOCATOR = "call log 4471"
SECRETS = (CONTACT, "701 555 0199", "555 0199", IDENTITY, "045512345", LOCATOR)
DAY = "2020-05-13"
ROLES_WITHOUT = (None, "viewer", "documenter", "reviewer")


def leaks(text: str) -> list[str]:
    plain = html.unescape(text)
    plain = plain.replace("\\u00a0", " ").replace("\u00a0", " ")
    return [s for s in SECRETS if s in plain]


def assert_clean(where: str, text: str) -> None:
    found = leaks(text)
    assert not found, f"{where}: {found}"


@pytest.fixture
def sensitive_case(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")
    record_save(
        case=case_get(),
        kind=BY_NAME["person"],
        data={
            "code": CODE,
            "name": NAME,
            "confidentiality": "public",
            "consent": "full_name",
            "occupation": "farmer",
            "contact": CONTACT,
            "identity_document": IDENTITY,
            "citations": [
                {"source": "S-1", "locator": "p. 2", "quote": "a farmer", "field": "occupation"},
                {
                    "source": "S-1",
                    "locator": LOCATOR,
                    "quote": f"phone {CONTACT}",
                    "field": "contact",
                },
            ],
        },
        actor="test",
    )
    record_save(
        case=case_get(),
        kind=BY_NAME["event"],
        data={
            "code": "E-50",
            "type": "arrest",
            "date": "2020-03-01",
            "title": f"Arrest of {NAME}",
            "confidentiality": "public",
            "participants": [{"person": CODE, "role": "victim"}],
        },
        actor="test",
    )


def _user(role: str) -> Any:
    user, _ = get_user_model().objects.get_or_create(username=f"sens-{role}")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.is_staff = role in ("admin", "reviewer", "documenter")
    user.is_superuser = role == "admin"
    user.save()
    return user


def _client(role: str | None) -> Client:
    client = Client()
    if role:
        login(client, _user(role))
    return client


def _api(role: str | None) -> Client:
    client = Client()
    if role:
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=_user(role))
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _unechoed(text: str, url: str) -> str:
    """``text`` without the search words the visitor typed (the box echoes them)."""
    from urllib.parse import parse_qs, quote, quote_plus, urlsplit

    for typed in parse_qs(urlsplit(url).query).get("q", []):
        for form in (typed, quote(typed), quote_plus(typed)):
            text = text.replace(form, "<typed>")
    return text


def _stored() -> m.Person:
    return m.Person.objects.get(case=case_get(), code=CODE)


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


PAGES = [
    f"/persons/{CODE}/",
    f"/persons/{CODE}/?as_of={DAY}",
    "/persons/",
    f"/persons/?as_of={DAY}",
    "/",
    "/chronology/",
    "/sources/",
    "/search/?q=0199",
    "/search/?q=045512345",
    "/search/?q=phone",
    f"/search/?q={NAME}",
    "/documents/",
]


def test_an_admin_sees_them(sensitive_case: None) -> None:
    """So that the test can fail: the values are there for the one audience that may read them."""
    page = _text(_client("admin").get(f"/persons/{CODE}/"))
    assert CONTACT in page and IDENTITY in page
    assert "Contact" in page and "Identity document" in page
    detail = _api("admin").get(f"/api/persons/{CODE}/").json()
    assert detail["contact"] == CONTACT and detail["identity_document"] == IDENTITY
    assert any(c.get("locator") == LOCATOR for c in detail["citations"])
    form = _text(_client("admin").get(f"/records/person/{CODE}/edit/"))
    assert CONTACT in form and IDENTITY in form
    # The search finds the quote of the citation of the contact for admins only.
    assert "S-1" in _text(_client("admin").get("/search/?q=phone"))
    assert CONTACT in json.dumps(_api("admin").get("/api/persons/").json())


@pytest.mark.parametrize("role", ROLES_WITHOUT)
def test_no_page_shows_them(sensitive_case: None, role: str | None) -> None:
    client = _client(role)
    for lang in ("en", "ru"):
        client.cookies["django_language"] = lang
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_clean(f"{role} {lang} {url}", _unechoed(_text(response), url))
            htmx = client.get(url, headers={"HX-Request": "true"})
            assert_clean(f"{role} {lang} {url} (htmx)", _unechoed(_text(htmx), url))
    page = _text(client.get(f"/persons/{CODE}/"))
    assert NAME in page  # the person is shown…
    if role not in (None, "viewer"):
        assert "farmer" in page  # …with what else the audience may see
    profiles = {None: "public", "viewer": "partner"}.get(role, "internal")
    for kind in ("dossier", "communication", "chronology"):
        for fmt in ("pdf", "md"):
            data = {"kind": kind, "person": CODE, "lang": "en", "fmt": fmt, "profile": profiles,
                    "as_of": DAY, "preview": "1"}  # fmt: skip
            response = client.post("/documents/", data)
            assert response.status_code == 200
            assert_clean(f"{role} documents {kind} {fmt}", _text(response))
            if kind == "dossier" and fmt == "md":
                assert NAME in _text(response)
    if role in ("documenter", "reviewer"):
        form = client.get(f"/records/person/{CODE}/edit/")
        assert form.status_code == 200
        text = _text(form)
        assert_clean(f"{role} edit form", text)
        assert 'name="contact"' not in text and 'name="identity_document"' not in text
        assert "farmer" in text


@pytest.mark.parametrize("role", ROLES_WITHOUT)
def test_no_api_answer_carries_them(sensitive_case: None, role: str | None) -> None:
    client = _api(role)
    for url in (
        "/api/persons/",
        f"/api/persons/{CODE}/",
        "/api/persons/?q=0199",
        "/api/persons/?q=045512345",
        f"/api/persons/?q={NAME}",
        "/api/sources/?q=0199",
        "/api/sources/?q=phone",
        "/api/sources/",
        "/api/events/",
        "/api/status/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(f"{role} {url}", _unechoed(response.content.decode(), url))
    detail = client.get(f"/api/persons/{CODE}/").json()
    assert detail["name"] == NAME
    assert "contact" not in detail and "identity_document" not in detail
    assert all(c.get("field") != "contact" for c in detail.get("citations", []))


@pytest.mark.parametrize("audience", ["public", "partner", "internal"])
def test_no_report_or_command_line_output_carries_them(
    sensitive_case: None, audience: str, tmp_path: Path
) -> None:
    for kind, extra in (
        ("appeal", ()),
        ("chronology", ()),
        ("chronology", ("--person", CODE)),
        ("dossier", ("--person", CODE)),
        ("communication", ("--person", CODE)),
    ):
        out = tmp_path / f"{kind}.md"
        _run("report", kind, "--profile", audience, "--as-of", DAY, *extra, "--out", str(out))
        text = out.read_text()
        assert_clean(f"report {kind} {extra} {audience}", text)
        if kind == "dossier":
            assert NAME in text
    for query in ("0199", "045512345", "phone", NAME):
        text = _run("search", query, "--audience", audience, "--json")
        assert_clean(f"docket search {query} {audience}", text.replace(query, ""))
    assert_clean(f"timeline {audience}", _run("timeline", "--audience", audience, "--json"))


def test_the_export_keeps_them(sensitive_case: None, tmp_path: Path) -> None:
    _run("export", "--out", str(tmp_path / "bundle"))
    persons = (tmp_path / "bundle" / "persons.yaml").read_text()
    assert CONTACT in persons and IDENTITY in persons


def _form_post(**extra: str) -> dict[str, str]:
    data = {
        "code": CODE,
        "name": NAME,
        "consent": "full_name",
        "occupation": "teacher",
        "confidentiality": "public",
        "review_state": "draft",
        "sex": "unknown",
        "ethnicity": "unknown",
        "citations-TOTAL_FORMS": "1",
        "citations-0-source": "S-1",
        "citations-0-locator": "p. 2",
        "citations-0-field": "occupation",
        **extra,
    }
    for prefix in ("names", "relationships", "citations"):
        data.setdefault(f"{prefix}-TOTAL_FORMS", "0")
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


def _contact_citations() -> list[str]:
    person = _stored()
    return list(
        m.Citation.objects.filter(target_id=person.pk, field="contact").values_list(
            "quote", flat=True
        )
    )


def test_a_documenter_s_web_edit_keeps_them(sensitive_case: None) -> None:
    client = _client("documenter")
    # A value typed into a field that is not on the form is not read.
    response = client.post(
        f"/records/person/{CODE}/edit/", _form_post(contact="", identity_document="forged")
    )
    assert response.status_code == 302, _text(response)[:2000]
    person = _stored()
    assert person.occupation == "teacher"
    assert (person.contact, person.identity_document) == (CONTACT, IDENTITY)
    assert _contact_citations() == [f"phone {CONTACT}"]
    # Their own citation of a restricted field is refused.
    refused = _form_post(**{"citations-0-field": "contact", "occupation": "baker"})
    response = client.post(f"/records/person/{CODE}/edit/", refused)
    assert response.status_code == 200
    assert "Only an administrator may record these fields: contact." in _text(response)
    assert _stored().occupation == "teacher"
    # The history on the edit page does not show them either.
    assert_clean("edit page with history", _text(client.get(f"/records/person/{CODE}/edit/")))


def test_an_admin_s_web_edit_changes_them(sensitive_case: None) -> None:
    client = _client("admin")
    post = _form_post(contact="+7 700 000 0000", identity_document=IDENTITY)
    response = client.post(f"/records/person/{CODE}/edit/", post)
    assert response.status_code == 302, _text(response)[:2000]
    assert _stored().contact == "+7 700 000 0000"
    assert _contact_citations() == []  # the admin's form held every citation: it replaced them


def test_a_documenter_s_restore_keeps_them(sensitive_case: None) -> None:
    first = m.Change.objects.filter(target_id=_stored().pk).order_by("seq").first()
    assert first is not None
    record_save(
        case=case_get(),
        kind=BY_NAME["person"],
        data={**first.data, "contact": "+7 702 111 2233", "occupation": "baker"},
        actor="test",
    )
    response = _client("documenter").post(f"/records/person/{CODE}/restore/{first.seq}/")
    assert response.status_code == 302
    person = _stored()
    assert person.occupation == "farmer"  # restored
    assert person.contact == "+7 702 111 2233"  # not what the documenter cannot see
    # Nor does the history on their edit page show what changed in it.
    page = _text(_client("documenter").get(f"/records/person/{CODE}/edit/"))
    assert "2233" not in page
    assert_clean("documenter's edit page", page)
    assert "2233" in _text(_client("admin").get(f"/records/person/{CODE}/edit/"))


@pytest.mark.parametrize("role", ["documenter", "reviewer"])
def test_an_api_edit_by_the_team_keeps_them(sensitive_case: None, role: str) -> None:
    client = _api(role)
    body = client.get(f"/api/persons/{CODE}/").json()
    assert "contact" not in body
    body["occupation"] = "teacher"
    response = client.put(f"/api/persons/{CODE}/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert_clean("PUT answer", response.content.decode())
    person = _stored()
    assert person.occupation == "teacher"
    assert (person.contact, person.identity_document) == (CONTACT, IDENTITY)
    assert _contact_citations() == [f"phone {CONTACT}"]
    # An empty value sets nothing: it keeps what is stored.
    response = client.put(
        f"/api/persons/{CODE}/", {**body, "contact": ""}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert _stored().contact == CONTACT


@pytest.mark.parametrize("role", ["documenter", "reviewer"])
def test_the_team_cannot_set_them_through_the_api(sensitive_case: None, role: str) -> None:
    client = _api(role)
    body = client.get(f"/api/persons/{CODE}/").json()
    attempts = [
        {**body, "contact": "+7 700 999 9999"},
        {**body, "identity_document": "ID 1"},
        {**body, "citations": [{"source": "S-1", "locator": "p. 9", "field": "contact"}]},
    ]
    for attempt in attempts:
        response = client.put(f"/api/persons/{CODE}/", attempt, content_type="application/json")
        assert response.status_code == 403, response.content
        assert "only an admin may write these fields" in response.json()["detail"]
    new = {"code": "P-51", "name": "New Person", "identity_document": "ID 2"}
    response = client.post("/api/persons/", new, content_type="application/json")
    assert response.status_code == 403
    assert not m.Person.objects.filter(code="P-51").exists()
    person = _stored()
    assert (person.contact, person.identity_document) == (CONTACT, IDENTITY)
    # An admin may.
    admin = _api("admin")
    full = admin.get(f"/api/persons/{CODE}/").json()
    response = admin.put(
        f"/api/persons/{CODE}/",
        {**full, "identity_document": "ID 3"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert _stored().identity_document == "ID 3"
