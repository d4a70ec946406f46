"""The permission matrix of docs/security.md, as one table: every page, API endpoint and
document profile, for each of the five kinds of visitor.

Each row is (method, address, body) and what each role gets: a status, and for a 200 words
that must and must not be on the answer. Loosening any one permission (a viewer who may write,
a documenter who may verify, a partner who may read a confidential person…) makes a row fail;
docs/security.md lists the rules that were loosened by hand to check that.

The case is the synthetic one with P-1 public (consent: initials), P-2 internal, P-3
confidential, and P-9 restricted added here.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token

from docket.records import models as m
from docket.records.schema import BY_NAME
from docket.records.services import bundle_load, case_get, record_save
from tests.web.helpers import login  # admins and reviewers pass the TOTP step

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "documenter", "reviewer", "admin")


@dataclass(frozen=True)
class E:
    """What one role gets: a status; for a 200 the words that must and must not be there; for
    a redirect where it goes (the start of the address)."""

    status: int
    has: tuple[str, ...] = ()
    hasnt: tuple[str, ...] = ()
    to: str = ""


def every(e: E) -> tuple[E, ...]:
    return (e,) * 5


OK = E(200)
LOGIN = E(302, to="/login/")
ADMIN_LOGIN = E(302, to="/admin/login/")
NOT_FOUND = E(404)
FORBIDDEN = E(403)

# Markers of the synthetic case: who is named how.
P1_PUBLIC = E(200, has=("P. O.",), hasnt=("Person One", "Person Two", "Person Three", "Restricta"))
P1_TEAM = E(200, has=("Person One",), hasnt=("Restricta",))
P1_ADMIN = E(200, has=("Person One",))

# A new person from the entry form.
PERSON_FORM = {
    "name": "Person Form",
    "consent": "initials",
    "confidentiality": "internal",
    "review_state": "draft",
    **{
        f"{p}-{k}": v
        for p in ("names", "relationships", "citations")
        for k, v in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    },
}
VERIFIED_FORM = {
    **PERSON_FORM,
    "review_state": "verified",
    "citations-TOTAL_FORMS": "1",
    "citations-0-source": "S-1",
    "citations-0-locator": "p. 7",
}
RESTRICTED_FORM = {**PERSON_FORM, "confidentiality": "restricted"}
DOC = {"kind": "appeal", "lang": "en", "fmt": "pdf", "as_of": "2020-05-13", "preview": "1"}
REFUSED_PROFILE = E(200, has=("Select a valid choice",), hasnt=("Person One", "Person Two"))

# The API: JSON bodies.
API_EVENT = {"code": "E-100", "type": "arrest", "title": "Arrest", "date": "2020-03-01"}
API_VERIFIED = {
    **API_EVENT,
    "review_state": "verified",
    "citations": [{"source": "S-1", "locator": "p. 8"}],
}
API_RESTRICTED = {**API_EVENT, "confidentiality": "restricted"}
API_P1 = {"code": "P-1", "name": "Person One", "confidentiality": "public", "consent": "initials"}

# fmt: off
# (method, address, body) -> what anonymous, viewer, documenter, reviewer, admin get.
TABLE: list[tuple[str, str, dict[str, Any] | None, tuple[E, ...]]] = [
    # --- pages ---------------------------------------------------------------------------
    ("GET", "/", None, (
        E(200, hasnt=("Consistency checks", "Person One")), E(200, hasnt=("Consistency checks",)),
        E(200, has=("Consistency checks",)), E(200, has=("Consistency checks",)),
        E(200, has=("Consistency checks",)))),
    ("GET", "/?as_of=2020-05-13", None, every(OK)),
    ("GET", "/persons/?as_of=2020-05-13", None, (
        E(200, has=("P. O.", "1 person"), hasnt=("Person One", "P-2", "P-3", "P-9")),
        E(200, has=("P. O.", "Person P-2"), hasnt=("Person One", "Person Two", "P-3", "P-9")),
        E(200, has=("Person One", "Person Two", "Person Three"), hasnt=("P-9", "Restricta")),
        E(200, has=("Person One", "Person Three"), hasnt=("P-9", "Restricta")),
        E(200, has=("Person One", "Person Three", "Restricta Nine")))),
    ("GET", "/persons/P-1/?as_of=2020-05-13", None, (
        E(200, has=("P. O.",), hasnt=("Person One", "1990", "П. Один")),
        E(200, has=("P. O.",), hasnt=("Person One", "1990", "П. Один")),
        E(200, has=("Person One", "29 January 1990", "П. Один")), P1_TEAM, P1_ADMIN)),
    ("GET", "/persons/P-2/", None, (
        NOT_FOUND, E(200, has=("Person P-2",), hasnt=("Person Two",)),
        E(200, has=("Person Two",)), E(200, has=("Person Two",)), E(200, has=("Person Two",)))),
    ("GET", "/persons/P-3/", None, (
        NOT_FOUND, NOT_FOUND, E(200, has=("Person Three",)), E(200, has=("Person Three",)),
        E(200, has=("Person Three",)))),
    ("GET", "/persons/P-9/", None, (
        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, E(200, has=("Restricta Nine",)))),
    ("GET", "/persons/P-404/", None, every(NOT_FOUND)),
    ("GET", "/chronology/", None, (
        E(200, has=("Arrest of P. O.",), hasnt=("Person One", "Restricta", "Person Two")),
        E(200, has=("Arrest of P. O.", "Person P-2"), hasnt=("Person One", "Restricta")),
        E(200, has=("Arrest of Person One",), hasnt=("Restricta",)),
        E(200, has=("Arrest of Person One",), hasnt=("Restricta",)),
        E(200, has=("Arrest of Person One", "Restricta Nine")))),
    ("GET", "/sources/", None, (
        E(200, hasnt=("Witness A",)), E(200, has=("Witness A",)), E(200, has=("Witness A",)),
        E(200, has=("Witness A",)), E(200, has=("Witness A",)))),
    ("GET", "/places/", None, (
        E(200, hasnt=("Village B",)), E(200, has=("Village B",)), E(200, has=("Village B",)),
        E(200, has=("Village B",)), E(200, has=("Village B",)))),
    ("GET", "/organizations/", None, (
        E(200, hasnt=("Police unit C",)), *(E(200, has=("Police unit C",)),) * 4)),
    ("GET", "/groups/", None, (
        E(200, hasnt=("Twenty people",)), *(E(200, has=("Twenty people",)),) * 4)),
    ("GET", "/damages/", None, (
        E(200, hasnt=("D-1",)), E(200, has=("D-1", "Person P-2"), hasnt=("Person Two",)),
        *(E(200, has=("D-1", "Person Two")),) * 3)),
    ("GET", "/search/?q=Arrest", None, (
        E(200, has=("Arrest of P. O.",), hasnt=("Person One",)),
        E(200, has=("Arrest of P. O.",), hasnt=("Person One",)),
        *(E(200, has=("Arrest of Person One",)),) * 3)),
    ("GET", "/search/?q=detained", None, (
        *(E(200, hasnt=("Restricta", "E-9")),) * 4, E(200, has=("Restricta Nine detained",)))),
    ("GET", "/search/?q=Restricta", None, (
        *(E(200, has=("0 results",), hasnt=("P-9",)),) * 4, E(200, has=("P-9",)))),
    ("GET", "/check/", None, (
        NOT_FOUND, NOT_FOUND, E(200, has=("uncited",)), E(200, has=("uncited",)),
        E(200, has=("uncited",)))),
    ("GET", "/review/", None, (LOGIN, FORBIDDEN, OK, OK, OK)),
    ("GET", "/documents/", None, (
        E(200, has=('value="public"',), hasnt=('value="partner"', 'value="internal"')),
        E(200, has=('value="public"', 'value="partner"'), hasnt=('value="internal"',)),
        *(E(200, has=('value="public"', 'value="partner"', 'value="internal"')),) * 3)),
    ("POST", "/documents/", {**DOC, "profile": "public"}, (
        *(E(200, has=("P. O.",), hasnt=("Person One", "Person Two", "Restricta")),) * 5,)),
    ("POST", "/documents/", {**DOC, "profile": "partner"}, (
        REFUSED_PROFILE, *(E(200, has=("P. O.",), hasnt=("Person One", "Restricta")),) * 4)),
    ("POST", "/documents/", {**DOC, "profile": "internal"}, (
        REFUSED_PROFILE, REFUSED_PROFILE,
        *(E(200, has=("Person One",), hasnt=("Restricta",)),) * 3)),
    ("POST", "/documents/", {**DOC, "profile": "restricted"}, every(
        E(200, has=("Select a valid choice",), hasnt=("Restricta",)))),
    # --- entering and reviewing ----------------------------------------------------------
    ("GET", "/records/person/new/", None, (LOGIN, FORBIDDEN, OK, OK, OK)),
    ("GET", "/records/event/new/", None, (LOGIN, FORBIDDEN, OK, OK, OK)),
    ("GET", "/records/nonsense/new/", None, (LOGIN, FORBIDDEN, *(NOT_FOUND,) * 3)),
    ("POST", "/records/person/new/", PERSON_FORM, (
        LOGIN, FORBIDDEN, *(E(302, to="/records/person/P-0010/edit/"),) * 3)),
    ("POST", "/records/person/new/", VERIFIED_FORM, (
        LOGIN, FORBIDDEN, E(200, has=("Only a reviewer can mark a record verified",)),
        E(302, to="/records/person/P-0010/edit/"), E(302, to="/records/person/P-0010/edit/"))),
    ("POST", "/records/person/new/", RESTRICTED_FORM, (
        LOGIN, FORBIDDEN, *(E(200, has=("Your role may not change the record",)),) * 2,
        E(302, to="/records/person/P-0010/edit/"))),
    ("GET", "/records/person/P-1/edit/", None, (
        LOGIN, FORBIDDEN, E(200, has=("Person One",)), E(200, has=("Person One",)),
        E(200, has=("Person One",)))),
    ("GET", "/records/person/P-3/edit/", None, (LOGIN, FORBIDDEN, OK, OK, OK)),
    ("GET", "/records/person/P-9/edit/", None, (
        LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, E(200, has=("Restricta Nine",)))),
    ("POST", "/records/person/P-1/verify/", {}, (
        FORBIDDEN, FORBIDDEN, FORBIDDEN, E(302, to="/review/"), E(302, to="/review/"))),
    ("GET", "/records/person/P-1/verify/", None, every(E(405))),
    ("POST", "/records/person/P-9/verify/", {}, (
        FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, E(302, to="/review/"))),
    ("POST", "/records/person/P-1/restore/{seq}/", {}, (
        FORBIDDEN, FORBIDDEN, *(E(302, to="/records/person/P-1/edit/"),) * 3)),
    ("POST", "/records/person/P-9/restore/{seq9}/", {}, (
        FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, E(302, to="/records/person/P-9/edit/"))),
    # --- the admin site: superusers (admin) only read records there ----------------------
    ("GET", "/admin/", None, (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK)),
    ("GET", "/admin/records/person/", None, (
        ADMIN_LOGIN, ADMIN_LOGIN, FORBIDDEN, FORBIDDEN, E(200, has=("Restricta Nine",)))),
    ("GET", "/admin/records/change/", None, (
        ADMIN_LOGIN, ADMIN_LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/admin/auth/user/", None, (ADMIN_LOGIN, ADMIN_LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    # --- logging in and out, the language -------------------------------------------------
    ("GET", "/login/", None, every(OK)),
    ("POST", "/logout/", {}, every(E(302, to="/"))),
    ("POST", "/i18n/setlang/", {"language": "ru", "next": "/persons/"}, every(
        E(302, to="/persons/"))),
    # --- error pages ------------------------------------------------------------------------
    ("GET", "/no-such-page/", None, every(E(404, has=("Not found",)))),
    # --- the API (token) --------------------------------------------------------------------
    ("GET", "/api/persons/", None, (
        E(200, has=('"P-1"', '"P. O."'), hasnt=('"P-2"', '"P-3"', '"P-9"', "Person One")),
        E(200, has=('"P-1"', '"P-2"'), hasnt=('"P-3"', '"P-9"', "Person One")),
        E(200, has=('"P-3"', "Person One"), hasnt=('"P-9"',)),
        E(200, has=('"P-3"', "Person One"), hasnt=('"P-9"',)),
        E(200, has=('"P-9"', "Restricta Nine")))),
    ("GET", "/api/persons/P-1/", None, (
        E(200, has=('"P. O."',), hasnt=("Person One", "1990", "notes")),
        E(200, has=('"P. O."',), hasnt=("Person One", "1990")),
        *(E(200, has=("Person One", "1990-01-29")),) * 3)),
    ("GET", "/api/persons/P-2/", None, (NOT_FOUND, OK, OK, OK, OK)),
    ("GET", "/api/persons/P-3/", None, (NOT_FOUND, NOT_FOUND, OK, OK, OK)),
    ("GET", "/api/persons/P-9/", None, (*(NOT_FOUND,) * 4, OK)),
    ("GET", "/api/persons/?confidentiality=restricted", None, (
        *(E(200, has=('"count":0',)),) * 4, E(200, has=('"count":1',)))),
    ("GET", "/api/persons/?q=Restricta", None, (
        *(E(200, has=('"count":0',)),) * 4, E(200, has=('"count":1',)))),
    ("GET", "/api/status/?as_of=2020-05-13", None, (
        E(200, has=('"P. O."',), hasnt=('"P-2"', "Person One", '"P-9"')),
        E(200, has=('"P-2"',), hasnt=('"P-3"', "Person One", '"P-9"')),
        E(200, has=('"P-3"',), hasnt=('"P-9"',)), E(200, has=('"P-3"',), hasnt=('"P-9"',)),
        E(200, has=('"P-9"',)))),
    ("GET", "/api/schema/", None, every(E(200, has=("openapi",)))),
    ("GET", "/api/nothing/", None, every(NOT_FOUND)),
    ("POST", "/api/events/", API_EVENT, (E(401), FORBIDDEN, E(201), E(201), E(201))),
    ("POST", "/api/events/", API_VERIFIED, (E(401), FORBIDDEN, FORBIDDEN, E(201), E(201))),
    ("POST", "/api/events/", API_RESTRICTED, (
        E(401), FORBIDDEN, FORBIDDEN, FORBIDDEN, E(201))),
    ("PUT", "/api/persons/P-1/", API_P1, (E(401), FORBIDDEN, OK, OK, OK)),
    ("PUT", "/api/persons/P-9/", {**API_P1, "code": "P-9", "confidentiality": "restricted"}, (
        E(401), FORBIDDEN, NOT_FOUND, NOT_FOUND, OK)),
    ("DELETE", "/api/persons/P-1/", None, (E(401), FORBIDDEN, E(405), E(405), E(405))),
]
# fmt: on

# Every kind of record has a list endpoint that every role may read (their audience's part).
API_KINDS = [
    "sources",
    "places",
    "organizations",
    "persons",
    "groups",
    "proceedings",
    "events",
    "figures",
    "damages",
    "interventions",
]
TABLE += [("GET", f"/api/{k}/", None, every(E(200, has=('"count":',)))) for k in API_KINDS]


@pytest.fixture
def case(synthetic_bundle: Path) -> m.Case:
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
    case = case_get()
    record_save(
        case=case,
        kind=BY_NAME["person"],
        data={
            "code": "P-9",
            "name": "Restricta Nine",
            "confidentiality": "restricted",
            "consent": "full_name",
            "citations": [{"source": "S-1", "locator": "p. 9"}],
        },
        actor="test",
    )
    record_save(
        case=case,
        kind=BY_NAME["event"],
        data={
            "code": "E-9",
            "type": "detention",
            "date": "2020-04-01",
            "title": "Restricta Nine detained",
            "confidentiality": "restricted",
            "participants": [{"person": "P-9", "role": "victim"}],
        },
        actor="test",
    )
    return case


def _user(role: str) -> Any:
    """A login as ``docket user add NAME --role ROLE`` makes it."""
    user = get_user_model().objects.create_user(f"perm-{role}", password="a long password 9")
    user.is_superuser = role == "admin"
    user.is_staff = role in ("admin", "reviewer", "documenter")
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _client(role: str, api: bool) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    user = _user(role)
    if api:
        token = Token.objects.create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    else:
        login(client, user)
    return client


def _address(url: str) -> str:
    if "{" not in url:
        return url
    first = {
        code: m.Change.objects.filter(target_id=m.Person.objects.get(code=code).pk)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
        for code in ("P-1", "P-9")
    }
    return url.format(seq=first["P-1"], seq9=first["P-9"])


def _rows() -> list[Any]:
    out = []
    for method, url, body, expected in TABLE:
        assert len(expected) == len(ROLES), url
        for role, e in zip(ROLES, expected, strict=True):
            out.append(pytest.param(method, url, body, role, e, id=f"{role}-{method}-{url}"))
    return out


@pytest.mark.parametrize(("method", "url", "body", "role", "expected"), _rows())
def test_permission_matrix(
    case: m.Case, method: str, url: str, body: dict[str, Any] | None, role: str, expected: E
) -> None:
    api = url.startswith("/api/")
    client = _client(role, api)
    address = _address(url)
    if api and body is not None:
        response = client.generic(
            method, address, json.dumps(body), content_type="application/json"
        )
    elif method == "GET":
        response = client.get(address)
    elif method == "POST":
        response = client.post(address, body or {})
    else:
        response = client.generic(method, address)
    text = html.unescape(response.content.decode("utf-8", "replace"))
    assert response.status_code == expected.status, f"{role} {method} {url}: {text[:300]}"
    if expected.to:
        assert response["Location"].startswith(expected.to), response["Location"]
    compact = text.replace(": ", ":") if api else text
    for word in expected.has:
        assert word in compact, f"{role} {method} {url}: {word!r} missing"
    for word in expected.hasnt:
        assert word not in compact, f"{role} {method} {url}: {word!r} shown"


def test_the_table_covers_every_page_and_api_route() -> None:
    """A new page or endpoint must get its row (and its line in docs/security.md)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: Any, prefix: str = "") -> list[str]:
        out = []
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/") or str(p.pattern) == "i18n/":
                    out.append(prefix + str(p.pattern))
                    continue
                out += walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.append(prefix + str(p.pattern))
        return out

    covered = " ".join(url for _, url, _, _ in TABLE)
    missing = []
    for route in walk(get_resolver().url_patterns):
        stem = route.replace("^", "").replace("$", "").split("<")[0].split("(")[0]
        if route.startswith("account/"):
            continue  # two-factor login pages: tests/web (accounts)
        if "/" + stem not in covered and stem not in ("", "^"):
            missing.append(route)
    assert not missing, f"routes without a row in TABLE: {missing}"
