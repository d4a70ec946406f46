"""The canary: a person at the restricted level and a witness who agreed to initials only never
appear in any public or partner output — pages, API, search, documents, the command line's
audience outputs, error pages, logs — and do appear where the team (or an admin) reads.

docs/security.md describes the rules this checks. Every output is searched for each word of
both names (Latin and Cyrillic), the canary's code and the witness's birth date, so a partial
leak ("Witnessova said…") fails as surely as a whole name.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token

from docket.cli import cli
from docket.records.schema import BY_NAME
from docket.records.services import bundle_load, case_get, record_save
from tests.web.helpers import login  # admins and reviewers pass the TOTP step

pytestmark = pytest.mark.django_db

CANARY = "Zyxqvort Canarybek"
CANARY_RU = "Зыксворт Канарыбек"
CANARY_CODE = "P-7391"
WITNESS = "Wilhelmina Witnessova"
WITNESS_RU = "Вильгельмина Витнесова"
WITNESS_CODE = "P-7392"
EVENT = "E-7390"
SOURCE = "S-7390"
DAY = "2020-05-13"

# Words that must never reach a public or partner reader.
CANARY_WORDS = ("Zyxqvort", "Canarybek", "Зыксворт", "Канарыбек", CANARY_CODE)
WITNESS_WORDS = ("Wilhelmina", "Witnessova", "Вильгельмина", "Витнесова")
# The witness's birth date in every way an output writes one.
WITNESS_BORN = ("1971-03-14", "14.03.1971", "14 March 1971", "14 марта 1971")
SECRETS = (*CANARY_WORDS, *WITNESS_WORDS, *WITNESS_BORN)


def leaks(text: str, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    """The secrets found in ``text`` (HTML entities and JSON escapes undone, any case)."""
    plain = html.unescape(text).casefold()
    return [s for s in secrets if s.casefold() in plain]


def assert_clean(where: str, text: str, secrets: tuple[str, ...] = SECRETS) -> None:
    found = leaks(text, secrets)
    assert not found, f"{where}: {found}"


def _save(kind: str, data: dict[str, Any]) -> None:
    record_save(case=case_get(), kind=BY_NAME[kind], data=data, actor="test")


@pytest.fixture
def canary_case(synthetic_bundle: Path) -> None:
    """The synthetic case (P-1 public) plus the canary, the witness and a public event, source,
    proceeding, intervention, damage and figure that name them in free text."""
    path = synthetic_bundle / "persons.yaml"
    path.write_text(
        path.read_text().replace(
            "  name: Person One\n", "  name: Person One\n  confidentiality: public\n"
        )
    )
    bundle_load(folder=synthetic_bundle, actor="test")
    both = f"{CANARY} ({CANARY_RU}) and {WITNESS} ({WITNESS_RU})"
    _save(
        "source",
        {
            "code": SOURCE,
            "kind": "testimony",
            "title": f"Statement of {WITNESS} about {CANARY}",
            "confidentiality": "public",
        },
    )
    _save(
        "person",
        {
            "code": CANARY_CODE,
            "name": CANARY,
            "confidentiality": "restricted",
            "consent": "full_name",
            "birth_date": "02.02.1962",
            "sex": "male",
            "ethnicity": "dungan",
            "names": [
                {"text": CANARY, "script": "Latn"},
                {"text": CANARY_RU, "script": "Cyrl", "kind": "transliteration"},
            ],
            "citations": [{"source": "S-1", "locator": "p. 9", "quote": f"{CANARY} was there"}],
        },
    )
    _save(
        "person",
        {
            "code": WITNESS_CODE,
            "name": WITNESS,
            "confidentiality": "public",
            "consent": "initials",
            "birth_date": "14.03.1971",
            "sex": "female",
            "ethnicity": "dungan",
            "names": [
                {"text": WITNESS, "script": "Latn"},
                {"text": WITNESS_RU, "script": "Cyrl", "kind": "transliteration"},
            ],
            "citations": [{"source": SOURCE, "locator": "p. 1", "quote": f"I am {WITNESS}"}],
        },
    )
    _save(
        "proceeding",
        {
            "code": "PR-7390",
            "person": "P-1",
            "case_number": "2020-7390",
            "description": f"Prosecution of Person One; {CANARY} testified, {WITNESS} too",
            "confidentiality": "public",
        },
    )
    _save(
        "event",
        {
            "code": EVENT,
            "type": "detention",
            "date": "2020-04-25",
            "title": f"Detention of {CANARY}, seen by {WITNESS}",
            "description": f"{WITNESS} said {CANARY} was beaten. {WITNESS_RU} видела, как "
            f"задержали {CANARY_RU}.",
            "confidentiality": "public",
            "review_state": "verified",
            "place": "PL-2",
            "proceeding": "PR-7390",
            "participants": [
                {"person": CANARY_CODE, "role": "victim", "note": f"{CANARY}, neighbour"},
                {"person": WITNESS_CODE, "role": "witness"},
                {"person": "P-1", "role": "victim"},
            ],
            "citations": [{"source": SOURCE, "locator": "p. 2", "quote": both}],
        },
    )
    _save(
        "intervention",
        {
            "code": "I-7390",
            "kind": "complaint",
            "date": "2020-05",
            "subject": f"Beating of {CANARY}, witnessed by {WITNESS}",
            "senders": [{"person": WITNESS_CODE}, {"person": CANARY_CODE}],
            "concerning": [CANARY_CODE, WITNESS_CODE, "P-1"],
            "status": "no_response",
            "confidentiality": "public",
        },
    )
    _save(
        "damage",
        {
            "code": "D-7390",
            "owner": CANARY,
            "place": "PL-2",
            "agreement": "refused",
            "items": [{"kind": "house", "description": f"House of {CANARY} and {WITNESS}"}],
            "pressure_events": [EVENT],
            "confidentiality": "public",
        },
    )
    _save(
        "group",
        {
            "code": "G-7390",
            "name": f"Family of {CANARY}",
            "size": 4,
            "confidentiality": "public",
        },
    )
    _save(
        "figure",
        {
            "code": "F-7390",
            "kind": "arrested",
            "value": 3,
            "as_of": DAY,
            "filter": {},
            "statement": f"3 arrested, {CANARY} among them, says {WITNESS}",
            "confidentiality": "public",
        },
    )


def _user(role: str) -> Any:
    user, _ = get_user_model().objects.get_or_create(username=f"canary-{role}")
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


@pytest.fixture(autouse=True)
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every log record of every test here (django, docket, requests) is checked too."""
    caplog.set_level(logging.DEBUG)
    yield
    text = "\n".join(f"{r.name}: {r.getMessage()} {r.args!r}" for r in caplog.records)
    assert_clean("logs", text, (*CANARY_WORDS[:-1], *WITNESS_WORDS))


OUTSIDERS = [(None, "public"), ("viewer", "partner")]

PAGES = [
    "/",
    f"/?as_of={DAY}",
    "/persons/",
    f"/persons/?as_of={DAY}",
    f"/persons/?as_of={DAY}&sort=name",
    f"/persons/{WITNESS_CODE}/",
    f"/persons/{WITNESS_CODE}/?as_of={DAY}",
    "/persons/P-1/",
    "/chronology/",
    "/chronology/?from=2020-04&to=2020-05",
    "/sources/",
    "/places/",
    "/organizations/",
    "/groups/",
    "/damages/",
    "/documents/",
    "/login/",
]


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _unechoed(text: str, *typed: str) -> str:
    """``text`` without what the visitor typed (the search box, the language link's "next")."""
    for value in sorted(typed, key=len, reverse=True):
        plus = quote_plus(value)
        for form in (value, quote(value), plus, quote(plus, safe=""), quote(quote(value))):
            text = text.replace(form, "<typed>")
    return text


UNKNOWN = "P-7399"  # a code no record has


def _normal(text: str, code: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return text.replace(code, "<code>")


def assert_like_unknown(where: str, fetch: Any) -> None:
    """Asking for the canary's code answers exactly as asking for a code nobody has."""
    canary, unknown = fetch(CANARY_CODE), fetch(UNKNOWN)
    assert _normal(canary, CANARY_CODE) == _normal(unknown, UNKNOWN), where
    assert_clean(where, canary.replace(CANARY_CODE, "<code>"))


@pytest.mark.parametrize(("role", "audience"), OUTSIDERS)
def test_no_page_names_them_to_outsiders(
    canary_case: None, role: str | None, audience: str
) -> None:
    for lang in ("en", "ru"):
        client = _client(role)
        client.cookies["django_language"] = lang
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_clean(f"{audience} {lang} {url}", _text(response))
            htmx = client.get(url, headers={"HX-Request": "true"})
            assert_clean(f"{audience} {lang} {url} (htmx)", _text(htmx))
    witness = _text(_client(role).get(f"/persons/{WITNESS_CODE}/?as_of={DAY}"))
    assert "W. W." in witness
    chronology = _text(_client(role).get("/chronology/"))
    assert "Detention of [name withheld], seen by W. W." in chronology


@pytest.mark.parametrize(("role", "audience"), OUTSIDERS)
def test_the_canary_is_a_404_like_a_code_nobody_has(
    canary_case: None, role: str | None, audience: str
) -> None:
    client = _client(role)
    for template in (
        "/persons/{}/",
        "/persons/{}/?as_of=" + DAY,
        "/api/persons/{}/",
        "/api/persons/{}/?lang=ru",
        "/records/person/{}/edit/",
    ):
        responses = {}

        def fetch(code: str, template: str = template, responses: dict = responses) -> str:
            responses[code] = client.get(template.format(code))
            return _text(responses[code])

        assert_like_unknown(f"{audience} {template}", fetch)
        assert responses[CANARY_CODE].status_code == responses[UNKNOWN].status_code
        assert responses[CANARY_CODE].status_code in (302, 403, 404)
    for url in ("/persons/Zyxqvort%20Canarybek/", "/no-such-page/Zyxqvort/"):
        response = client.get(url)
        assert response.status_code == 404, url
        page = _unechoed(_text(response), "Zyxqvort%20Canarybek", "Zyxqvort Canarybek", "Zyxqvort")
        assert_clean(f"{audience} {url}", page)


def test_the_500_page_names_no_one(canary_case: None) -> None:
    from django.views.defaults import server_error

    request = RequestFactory().get(f"/persons/{CANARY_CODE}/?q={CANARY}")
    response = server_error(request)
    assert response.status_code == 500
    assert_clean("500", response.content.decode())


SEARCHES = [
    CANARY,
    "Canarybek",
    "Zyxqvort",
    CANARY_RU,
    "Канарыбек",
    "Канарыбеку",
    "Kanarybek",
    CANARY_CODE,
    WITNESS,
    "Witnessova",
    WITNESS_RU,
    "Витнесова",
    "Vitnesova",
]


@pytest.mark.parametrize(("role", "audience"), OUTSIDERS)
def test_search_finds_nothing_by_their_names(
    canary_case: None, role: str | None, audience: str
) -> None:
    from docket.records.search import search

    client = _client(role)
    for query in SEARCHES:
        hits = search(case_get(), query, audience=audience)
        assert not [h for h in hits if h.code in (CANARY_CODE, WITNESS_CODE, EVENT, SOURCE)], (
            query,
            hits,
        )
        for hit in hits:
            assert_clean(f"search {query}", f"{hit.title} {hit.snippet}")
        page = _text(client.get("/search/", {"q": query}))
        # The box shows the visitor's own query back; nothing else may name them.
        assert_clean(f"{audience} /search/?q={query}", _unechoed(page, query))
        api = client.get("/api/persons/", {"q": query}).content.decode()
        assert json.loads(api)["count"] == 0, (query, api)
        for path in ("events", "sources"):
            api = client.get(f"/api/{path}/", {"q": query}).content.decode()
            assert_clean(f"{audience} /api/{path}/?q={query}", _unechoed(api, query))
    # What they may search for: the witness by her initials, the event by its other words.
    found = search(case_get(), "Detention seen", audience=audience)
    assert any(h.code == EVENT for h in found)
    for hit in found:
        assert_clean("search: Detention seen", f"{hit.title} {hit.snippet}")


def _api_paths() -> list[str]:
    from docket.api.views import PATHS

    return sorted(PATHS)


@pytest.mark.parametrize(("role", "audience"), OUTSIDERS)
def test_no_api_answer_names_them_to_outsiders(
    canary_case: None, role: str | None, audience: str
) -> None:
    client = Client()
    if role:
        token = Token.objects.create(user=_user(role))
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    seen_witness = False
    for lang in ("en", "ru"):
        for path in _api_paths():
            listing = client.get(f"/api/{path}/", {"limit": 1000, "lang": lang})
            assert listing.status_code == 200, path
            assert_clean(f"{audience} /api/{path}/", listing.content.decode("unicode_escape"))
            assert_clean(f"{audience} /api/{path}/", listing.content.decode())
            for record in listing.json()["results"]:
                detail = client.get(f"/api/{path}/{record['code']}/", {"lang": lang})
                assert detail.status_code == 200
                assert_clean(f"{audience} /api/{path}/{record['code']}/", detail.content.decode())
                if record["code"] == WITNESS_CODE:
                    seen_witness = record["name"] == ("W. W." if lang == "en" else "W. W.")
        status = client.get("/api/status/", {"as_of": DAY, "lang": lang})
        assert status.status_code == 200
        assert_clean(f"{audience} /api/status/", status.content.decode())
    assert seen_witness
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert_clean("/api/schema/", schema.content.decode())
    assert client.get(f"/api/persons/{CANARY_CODE}/").status_code == 404


def _documents(client: Client, profile: str) -> Iterator[tuple[str, bytes]]:
    """Every document kind of the Documents page, previewed and downloaded."""
    base = {"lang": "en", "profile": profile, "as_of": DAY, "preview": "1"}
    kinds = [
        ("appeal", {}),
        ("chronology", {}),
        ("chronology", {"person": WITNESS_CODE}),
        ("chronology", {"place": "PL-2"}),
        ("dossier", {"person": WITNESS_CODE}),
        ("communication", {"person": WITNESS_CODE, "submitter": "O-2"}),
    ]
    for lang in ("en", "ru"):
        for kind, extra in kinds:
            data = {**base, "lang": lang, "kind": kind, "fmt": "pdf", **extra}
            yield f"{kind} {extra} {lang} preview", client.post("/documents/", data).content
            data = {**data, "fmt": "md", "download": "1"}
            yield f"{kind} {extra} {lang} md", client.post("/documents/", data).content
        for fmt in ("csv", "xlsx"):
            data = {**base, "lang": lang, "kind": "victims", "fmt": fmt}
            yield f"victims {lang} {fmt}", client.post("/documents/", data).content


def _readable(data: bytes) -> str:
    """The text of a file: PDF through pypdf, DOCX and XLSX by every XML part, else UTF-8."""
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        xml = "\n".join(parts)
        return xml + "\n" + re.sub(r"<[^>]+>", "", xml)
    return data.decode("utf-8")


@pytest.mark.parametrize(
    ("role", "profiles"), [(None, ["public"]), ("viewer", ["public", "partner"])]
)
def test_the_documents_page_names_them_in_no_document(
    canary_case: None, role: str | None, profiles: list[str]
) -> None:
    client = _client(role)
    for profile in profiles:
        for what, content in _documents(client, profile):
            assert_clean(f"{profile} {what}", _readable(content))
    for kind in ("dossier", "communication", "chronology"):

        def fetch(code: str, kind: str = kind) -> str:
            data = {"kind": kind, "person": code, "lang": "en", "fmt": "pdf",
                    "profile": profiles[-1], "as_of": DAY}  # fmt: skip
            return _text(client.post("/documents/", data))

        assert_like_unknown(f"{kind} of the canary", fetch)
    preview = _text(
        client.post(
            "/documents/",
            {
                "kind": "dossier",
                "person": WITNESS_CODE,
                "lang": "en",
                "fmt": "pdf",
                "profile": profiles[-1],
                "as_of": DAY,
            },
        )
    )
    assert "W. W." in preview


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


REPORTS = [
    ("appeal", ("md", "html", "pdf", "docx"), ()),
    ("chronology", ("md", "html", "pdf", "docx"), ()),
    ("chronology", ("md",), ("--person", WITNESS_CODE)),
    ("dossier", ("md", "html", "pdf", "docx"), ("--person", WITNESS_CODE)),
    ("communication", ("md", "html", "pdf", "docx"), ("--person", WITNESS_CODE)),
    ("victims", ("csv", "xlsx"), ()),
]


@pytest.mark.parametrize("profile", ["public", "partner"])
def test_no_report_names_them(canary_case: None, profile: str, tmp_path: Path) -> None:
    witness_shown = False
    for kind, formats, extra in REPORTS:
        for fmt in formats:
            for lang in ("en", "ru"):
                out = tmp_path / f"{kind}-{lang}.{fmt}"
                _run(
                    "report", kind, "--profile", profile, "--lang", lang, "--as-of", DAY,
                    *extra, "--out", str(out),
                )  # fmt: skip
                text = _readable(out.read_bytes())
                assert_clean(f"report {kind} {profile} {lang} {fmt}", text)
                witness_shown |= "W. W." in text or "В. В." in text
    assert witness_shown
    for kind in ("dossier", "communication", "chronology"):

        def fetch(code: str, kind: str = kind) -> str:
            args = ["report", kind, "--person", code, "--profile", profile, "--out",
                    str(tmp_path / "c.md")]  # fmt: skip
            result = CliRunner().invoke(cli, args)
            assert result.exit_code != 0
            return result.output

        assert_like_unknown(f"report {kind} of the canary ({profile})", fetch)


@pytest.mark.parametrize("audience", ["public", "partner"])
def test_no_audience_output_of_the_command_line_names_them(
    canary_case: None, audience: str, tmp_path: Path
) -> None:
    for lang in ("en", "ru"):
        for fmt in ("md", "html"):
            out = tmp_path / f"timeline.{fmt}"
            _run("timeline", "--audience", audience, "--lang", lang, "--format", fmt,
                 "--out", str(out))  # fmt: skip
            assert_clean(f"timeline {audience} {fmt} {lang}", out.read_text())
        text = _run("timeline", "--audience", audience, "--lang", lang, "--json")
        assert_clean(f"timeline {audience} json {lang}", text)
        assert "W. W." in text or "В. В." in text
    for by in ("custody", "ethnicity,custody"):
        text = _run("stats", "--audience", audience, "--as-of", DAY, "--by", by, "--json")
        assert_clean(f"stats {audience} {by}", text)
    for query in SEARCHES:
        text = _run("search", query, "--audience", audience, "--json")
        assert_clean(f"docket search {query} --audience {audience}", text.replace(query, ""))
        for hit in json.loads(text) if text.strip().startswith("[") else []:
            assert hit.get("code") not in (CANARY_CODE, WITNESS_CODE, EVENT)


def test_export_is_the_team_s_whole_record_and_has_no_audience(
    canary_case: None, tmp_path: Path
) -> None:
    """``docket export`` needs the database itself, which holds everything: it writes the whole
    case, restricted records too, and offers no audience to pretend otherwise (docs/security.md)."""
    help_text = _run("export", "--help")
    assert "--audience" not in help_text and "--profile" not in help_text
    _run("export", "--out", str(tmp_path / "bundle"))
    written = "\n".join(p.read_text() for p in (tmp_path / "bundle").iterdir())
    assert CANARY in written and WITNESS in written


def test_the_team_and_the_admin_do_see_them(canary_case: None, tmp_path: Path) -> None:
    """So that the test can fail: the names are there for those who may read them."""
    admin = _text(_client("admin").get(f"/persons/{CANARY_CODE}/?as_of={DAY}"))
    assert CANARY in admin and CANARY_RU in admin
    team = _client("documenter")
    assert team.get(f"/persons/{CANARY_CODE}/").status_code == 404  # restricted: admins only
    witness = _text(team.get(f"/persons/{WITNESS_CODE}/?as_of={DAY}"))
    assert WITNESS in witness and WITNESS_RU in witness and "14 March 1971" in witness
    chronology = _text(team.get("/chronology/"))
    assert f"Detention of [name withheld], seen by {WITNESS}" in chronology
    assert_clean("internal chronology", chronology, CANARY_WORDS)
    text = _run("report", "appeal", "--profile", "internal", "--as-of", DAY,
                "--out", str(tmp_path / "a.md"))  # fmt: skip
    internal = (tmp_path / "a.md").read_text()
    assert WITNESS in internal, text
    assert_clean("internal appeal", internal, CANARY_WORDS)
    timeline = _run("timeline", "--audience", "restricted", "--json")
    assert CANARY in timeline


def test_the_team_s_search_hides_the_restricted_canary_but_names_the_witness(
    canary_case: None,
) -> None:
    """Documenters and reviewers (internal) may not see restricted records: a search by the
    canary's name finds nothing, and no hit's title or snippet carries it; an admin finds it."""
    from docket.records.search import search

    case = case_get()
    for query in (CANARY, "Canarybek", "Канарыбек", "Kanarybek", "Detention seen"):
        for hit in search(case, query, audience="internal"):
            assert hit.code != CANARY_CODE
            assert_clean(f"internal search {query}", f"{hit.title} {hit.snippet}", CANARY_WORDS)
        page = _text(_client("documenter").get("/search/", {"q": query}))
        assert_clean(f"internal /search/?q={query}", _unechoed(page, query), CANARY_WORDS)
    assert {h.code for h in search(case, "Witnessova", audience="internal")} >= {WITNESS_CODE}
    assert CANARY_CODE in {h.code for h in search(case, "Canarybek", audience="restricted")}
