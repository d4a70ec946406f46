"""The REST API: every kind of record, for every role, with the pages' rules of who sees what."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from docket.records import models as m
from docket.records.history import verify_history
from docket.records.schema import KINDS
from docket.records.services import bundle_load

pytestmark = pytest.mark.django_db

PATHS = {k.name: k.file.removesuffix(".yaml") for k in KINDS}
ROLES = (None, "viewer", "documenter", "reviewer", "admin")
# A record of every kind with only what it needs, for the copies made at each confidentiality.
MINIMAL: dict[str, dict[str, Any]] = {
    "source": {"kind": "testimony", "title": "A source"},
    "place": {"kind": "village", "name": "A village"},
    "organization": {"kind": "police", "name": "A police unit"},
    "person": {"name": "A person"},
    "group": {"name": "A group"},
    "proceeding": {"person": "P-1"},
    "event": {"type": "detention", "title": "A detention"},
    "figure": {"kind": "arrested", "value": 3, "statement": "Three arrested"},
    "damage": {"owner": "A household"},
    "intervention": {"kind": "complaint", "subject": "A complaint"},
}
LEVELS = {"PUB": "public", "INT": "internal", "RES": "restricted"}

# The canary: a restricted person whose name must never leave the team, and a witness who
# agreed to initials only. Both appear in a public event and a public person's relationships.
SECRET = "Zorvanthe Quillamir"
SECRET_RU = "Зорвант Квилламир"
WITNESS = "Wenceslas Oduyabeke"


def _append(folder: Path, file: str, records: list[dict[str, Any]]) -> None:
    path = folder / file
    old = yaml.safe_load(path.read_text()) if path.exists() else []
    path.write_text(yaml.safe_dump([*(old or []), *records], allow_unicode=True))


@pytest.fixture
def loaded(synthetic_bundle: Path) -> m.Case:
    for kind in KINDS:
        prefix = kind.file.removesuffix(".yaml")
        records = [
            {"code": f"{kind.prefix}{tag}", "confidentiality": level, **MINIMAL[kind.name]}
            for tag, level in LEVELS.items()
        ]
        _append(synthetic_bundle, f"{prefix}.yaml", records)
    _append(
        synthetic_bundle,
        "persons.yaml",
        [
            {
                "code": "P-SECRET",
                "name": SECRET,
                "names": [{"text": SECRET_RU, "script": "Cyrl"}],
                "birth_date": "1971-03-04",
                "confidentiality": "restricted",
                "consent": "full_name",
            },
            {
                "code": "P-WIT",
                "name": WITNESS,
                "birth_date": "1968-11-23",
                "occupation": "baker",
                "consent": "initials",
                "confidentiality": "public",
                "relationships": [{"type": "sibling", "person": "P-SECRET"}],
            },
        ],
    )
    _append(
        synthetic_bundle,
        "sources.yaml",
        [
            {
                "code": "S-WIT",
                "kind": "testimony",
                "title": f"Testimony of {WITNESS}",
                "identity_confidential": True,
                "confidentiality": "public",
            }
        ],
    )
    _append(
        synthetic_bundle,
        "events.yaml",
        [
            {
                "code": "E-CANARY",
                "type": "detention",
                "date": "2020-02-08",
                "title": f"{SECRET} detained, {WITNESS} saw it",
                "description": f"{WITNESS.upper()} said {SECRET_RU} was beaten.",
                "confidentiality": "public",
                "participants": [
                    {"person": "P-SECRET", "role": "victim"},
                    {"person": "P-WIT", "role": "witness", "note": f"neighbour of {SECRET}"},
                ],
                "citations": [{"source": "S-WIT", "locator": "p. 2", "quote": f"I, {WITNESS}"}],
                "notes": f"Ask {WITNESS} again",
            }
        ],
    )
    bundle_load(folder=synthetic_bundle, actor="test")
    return m.Case.objects.get()


def _user(role: str | None) -> Any:
    if role is None:
        return None
    user = get_user_model().objects.filter(username=f"u-{role}").first()
    if user is None:
        user = get_user_model().objects.create_user(f"u-{role}", password="a long password 9")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _client(role: str | None) -> APIClient:
    client = APIClient()
    user = _user(role)
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


EXPECTED = {  # operation -> status for anonymous, viewer, documenter, reviewer, admin
    "list": (200, 200, 200, 200, 200),
    "public": (200, 200, 200, 200, 200),
    "internal": (404, 200, 200, 200, 200),
    "restricted": (404, 404, 404, 404, 200),
    "create": (401, 403, 201, 201, 201),
}


@pytest.mark.parametrize("operation", list(EXPECTED))
@pytest.mark.parametrize("kind", list(PATHS))
def test_every_kind_answers_every_role_as_the_pages_do(
    loaded: m.Case, kind: str, operation: str
) -> None:
    prefix = next(k.prefix for k in KINDS if k.name == kind)
    base = f"/api/{PATHS[kind]}/"
    for role, expected in zip(ROLES, EXPECTED[operation], strict=True):
        client = _client(role)
        if operation == "list":
            response = client.get(base)
        elif operation == "create":
            body = {"code": f"{prefix}NEW-{role}", **MINIMAL[kind]}
            response = client.post(base, body, format="json")
        else:
            tag = {"public": "PUB", "internal": "INT", "restricted": "RES"}[operation]
            response = client.get(f"{base}{prefix}{tag}/")
        assert response.status_code == expected, (role, response.content[:300])
        if operation == "list":
            codes = {r["code"] for r in response.json()["results"]}
            assert f"{prefix}PUB" in codes
            assert (f"{prefix}RES" in codes) == (role == "admin"), role
        if expected == 404:
            assert b"restricted" not in response.content and b"internal" not in response.content


def _everything(client: APIClient) -> str:
    """Every answer the API gives this client, as one text."""
    out = []
    for path in PATHS.values():
        listing = client.get(f"/api/{path}/?limit=500")
        assert listing.status_code == 200
        out.append(listing.content.decode())
        for record in listing.json()["results"]:
            out.append(client.get(f"/api/{path}/{record['code']}/").content.decode())
    for code in ("P-SECRET", "P-WIT", "E-CANARY", "S-WIT"):
        for path in ("persons", "events", "sources"):
            out.append(client.get(f"/api/{path}/{code}/").content.decode())
    out.append(client.get("/api/status/?as_of=2020-05-13").content.decode())
    out.append(client.get("/api/events/?since=2020-02&until=2020-02").content.decode())
    return json.dumps(json.loads("[" + ",".join(out) + "]"), ensure_ascii=False)


@pytest.mark.parametrize("role", [None, "viewer"])
def test_the_canary_never_leaves_the_team(loaded: m.Case, role: str | None) -> None:
    text = _everything(_client(role))
    for secret in (SECRET, SECRET_RU, "Zorvanthe", "Quillamir", "1971", "P-SECRET"):
        assert secret not in text, secret
    for secret in (WITNESS, "Wenceslas", "Oduyabeke", WITNESS.upper(), "1968", "baker"):
        assert secret not in text, secret
    assert "S-WIT" not in text and "Ask " not in text  # confidential source, notes
    event = _client(role).get("/api/events/E-CANARY/").json()
    assert event["title"] == "[name withheld] detained, W. O. saw it"
    assert event["participants"] == [
        {"person": "P-WIT", "role": "witness", "note": "neighbour of [name withheld]"}
    ]
    assert event["citations"] == [{"source": "confidential source"}]
    witness = _client(role).get("/api/persons/P-WIT/").json()
    assert witness == {"code": "P-WIT", "name": "W. O.", "consent": "initials"} | {
        k: v for k, v in witness.items() if k in ("confidentiality",)
    }
    status = _client(role).get("/api/status/?as_of=2020-05-13").json()["results"]
    assert {"code": "P-WIT", "name": "W. O.", "names": ["W. O."]}.items() <= next(
        r for r in status if r["code"] == "P-WIT"
    ).items()


def test_the_team_sees_the_canonical_form(loaded: m.Case) -> None:
    admin = _everything(_client("admin"))
    for secret in (SECRET, SECRET_RU, WITNESS, "1971-03-04", "Ask "):
        assert secret in admin
    documenter = _client("documenter")
    assert documenter.get("/api/persons/P-SECRET/").status_code == 404
    event = documenter.get("/api/events/E-CANARY/").json()
    assert WITNESS in event["title"] and event["notes"] == f"Ask {WITNESS} again"
    codes = [r["code"] for r in documenter.get("/api/status/?as_of=2020-05-13").json()["results"]]
    assert "P-WIT" in codes and "P-SECRET" not in codes


def test_filters(loaded: m.Case) -> None:
    client = _client("admin")

    def codes(url: str) -> set[str]:
        response = client.get(url)
        assert response.status_code == 200, response.content
        return {r["code"] for r in response.json()["results"]}

    assert codes("/api/events/?type=release") == {"E-2", "E-8"}
    assert codes("/api/persons/?ethnicity=dungan") == {"P-1", "P-2"}
    assert codes("/api/persons/?confidentiality=restricted") == {"P-RES", "P-SECRET"}
    assert codes("/api/events/?since=2020-04-24&until=2020-04-24") >= {"E-6", "E-7"}
    assert "E-8" not in codes("/api/events/?since=2020-04-24&until=2020-04-24")
    assert codes("/api/sources/?type=testimony") >= {"S-1", "S-WIT"}
    assert codes("/api/events/?review_state=verified") == set()
    bad = client.get("/api/events/?since=2020-02-30")
    assert bad.status_code == 400 and bad.json()["errors"][0]["where"] == "since"
    assert client.get("/api/groups/?ethnicity=dungan").status_code == 400
    assert client.get("/api/persons/?ethnicity=martian").status_code == 400
    page = client.get("/api/events/?limit=2&offset=1").json()
    assert len(page["results"]) == 2 and page["count"] > 2 and page["next"]


def test_token_and_session_authentication(loaded: m.Case) -> None:
    anonymous = APIClient()
    assert anonymous.get("/api/persons/P-INT/").status_code == 404
    assert _client("viewer").get("/api/persons/P-INT/").status_code == 200
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get("/api/persons/").status_code == 401
    session = APIClient()
    session.force_login(_user("documenter"))
    assert session.get("/api/persons/P-INT/").status_code == 200


def test_a_bad_post_is_refused_with_every_fault_and_changes_nothing(loaded: m.Case) -> None:
    before = (m.Event.objects.count(), m.Change.objects.count())
    response = _client("documenter").post(
        "/api/events/",
        {
            "code": "E-BAD",
            "type": "not-a-type",
            "title": "x",
            "date": "2020-02-30",
            "participants": [{"person": "P-NOBODY", "role": "victim"}],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    where = {e["where"] for e in errors}
    assert {"type", "date", "participants[1]: person"} <= where, errors
    assert all(e["message"] for e in errors)
    assert (m.Event.objects.count(), m.Change.objects.count()) == before
    assert _client("documenter").post("/api/events/", [1], format="json").status_code == 400
    duplicate = _client("documenter").post(
        "/api/events/", {"code": "E-1", "type": "detention", "title": "x"}, format="json"
    )
    assert duplicate.status_code == 400 and duplicate.json()["errors"][0]["where"] == "code"


def test_a_good_post_and_put_write_the_record_and_its_history(loaded: m.Case) -> None:
    client = _client("documenter")
    body = {
        "code": "E-NEW",
        "type": "search",
        "date": "24.04.2020",
        "title": "Search of a house",
        "place": "PL-2",
        "participants": [{"person": "P-2", "role": "victim"}],
    }
    response = client.post("/api/events/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["date"] == "2020-04-24"
    assert m.Event.objects.get(code="E-NEW").review_state == "draft"
    change = m.Change.objects.filter(code="E-NEW").get()
    assert change.action == "create" and change.actor == "api:u-documenter"
    assert client.get("/api/events/E-NEW/").json()["title"] == "Search of a house"
    updated = client.put("/api/events/E-NEW/", {**body, "title": "Night search"}, format="json")
    assert updated.status_code == 200 and updated.json()["title"] == "Night search"
    assert m.Change.objects.filter(code="E-NEW").count() == 2
    assert client.put("/api/events/E-NOPE/", body, format="json").status_code == 404
    assert client.put("/api/events/E-RES/", body, format="json").status_code == 404
    result = verify_history()
    assert result.ok, result.problems


def test_only_reviewers_verify_and_a_verified_record_needs_a_citation(loaded: m.Case) -> None:
    body = {"code": "E-V", "type": "search", "title": "Search", "review_state": "verified"}
    assert _client("documenter").post("/api/events/", body, format="json").status_code == 403
    assert _client("viewer").put("/api/events/E-1/", body, format="json").status_code == 403
    reviewer = _client("reviewer")
    response = reviewer.post("/api/events/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["where"] == "review_state"
    cited = {**body, "citations": [{"source": "S-1", "locator": "p. 3"}]}
    assert reviewer.post("/api/events/", cited, format="json").status_code == 201
    restricted = {"code": "E-R", "type": "search", "title": "x", "confidentiality": "restricted"}
    assert reviewer.post("/api/events/", restricted, format="json").status_code == 403
    assert _client("admin").post("/api/events/", restricted, format="json").status_code == 201
    assert verify_history().ok


def test_the_openapi_schema_validates(loaded: m.Case) -> None:
    from drf_spectacular.validation import validate_schema

    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # against the OpenAPI 3.0 JSON schema, with jsonschema
    assert schema["info"]["title"] == "Docket API"
    for path in PATHS.values():
        assert f"/api/{path}/" in schema["paths"]
        assert {"get", "post"} <= set(schema["paths"][f"/api/{path}/"])
        assert {"get", "put"} <= set(schema["paths"][f"/api/{path}/{{code}}/"])
    assert "/api/status/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_user_add_and_token_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from docket.cli import cli

    runner = CliRunner()
    monkeypatch.setenv("DOCKET_PASSWORD", "short")
    result = runner.invoke(cli, ["user", "add", "ana", "--role", "reviewer"])
    assert result.exit_code == 1 and "at least 12 characters" in result.output
    monkeypatch.setenv("DOCKET_PASSWORD", "a long password 9")
    result = runner.invoke(cli, ["user", "add", "ana", "--role", "reviewer"])
    assert result.exit_code == 0, result.output
    ana = get_user_model().objects.get(username="ana")
    assert ana.is_staff and not ana.is_superuser and ana.check_password("a long password 9")
    assert list(ana.groups.values_list("name", flat=True)) == ["reviewer"]
    result = runner.invoke(cli, ["user", "add", "ana", "--role", "admin"])
    ana.refresh_from_db()
    assert ana.is_superuser and list(ana.groups.values_list("name", flat=True)) == ["admin"]
    first = runner.invoke(cli, ["user", "token", "ana"])
    assert first.exit_code == 0 and first.output.strip() == Token.objects.get(user=ana).key
    assert runner.invoke(cli, ["user", "token", "ana"]).output == first.output
    missing = runner.invoke(cli, ["user", "token", "nobody"])
    assert missing.exit_code == 1 and "no login 'nobody'" in missing.output
    monkeypatch.delenv("DOCKET_PASSWORD")
    prompted = runner.invoke(
        cli, ["user", "add", "bo", "--role", "viewer"], input="another long one\n" * 2
    )
    assert prompted.exit_code == 0, prompted.output
    assert not get_user_model().objects.get(username="bo").is_staff


@pytest.mark.skipif(
    not __import__("docket.api.views").api.views.search_available(), reason="no search yet"
)
def test_search_finds_only_what_the_audience_may_see(loaded: m.Case) -> None:
    def codes(client: APIClient, url: str) -> set[str]:
        response = client.get(url)
        assert response.status_code == 200, response.content
        assert SECRET not in response.content.decode()
        return {r["code"] for r in response.json()["results"]}

    admin, public = _client("admin"), _client(None)
    assert admin.get("/api/persons/?q=Quillamir").json()["results"][0]["name"] == SECRET
    assert codes(public, "/api/persons/?q=Quillamir") == set()
    assert "P-SECRET" not in codes(public, "/api/events/?q=Quillamir")
    assert "E-PUB" in codes(public, "/api/events/?q=detention")
    assert codes(public, "/api/events/?q=Twenty") == set()  # internal events
    assert admin.get("/api/places/?q=village").status_code == 400


@pytest.mark.parametrize("role", [None, "viewer"])
def test_quotes_are_for_the_team_only(loaded: m.Case, role: str | None) -> None:
    event = _client(role).get("/api/events/E-CANARY/").json()
    assert event["citations"] and all("quote" not in c for c in event["citations"])
    team = _client("documenter").get("/api/events/E-CANARY/").json()
    assert any("quote" in c for c in team["citations"])
