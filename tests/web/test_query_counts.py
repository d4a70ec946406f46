"""Query counts of the pages and API lists: they must not grow with the size of the record.

Each page is measured twice on the same case: the synthetic bundle plus N extra units, first
N=5, then N=25 (the same bundle, reloaded with 20 more units). One unit is a person (draft,
with a residence, a name variant, a citation and a relationship to P-2), a source, a place,
an organization, a group, a damage with an item, and two events: a search of the person with
P-2 as a witness (cited) and a further charge in P-1's proceeding PR-1. So every
list grows by 20 rows, and so do the person pages of P-1 (proceeding steps) and P-2 (events,
relationships). A query made per row (N+1) adds at least 20 queries; the tests allow none
(the counts must be equal), and each page has an absolute ceiling as well.

Each page is requested once before it is measured, so that per-process caches (vocabularies,
content types, the session's user) are warm in both measurements alike.

Measured counts (SQLite and PostgreSQL alike), N=5 / N=25, and the ceiling:

    page                                         who          N=5  N=25  ceiling
    /persons/?as_of=2020-05-13                   documenter    13    13     18
    /persons/?as_of=…&custody=unknown            documenter    13    13     18
    /persons/?as_of=… (HX-Request: the part)     documenter    13    13     18
    /persons/?as_of=…&custody=unknown (HX)       documenter    13    13     18
    /persons/?as_of=2020-05-13                   anonymous      7     7     12
    /persons/P-1/?as_of=… (PR-1 steps grow)      documenter    28    28     33
    /persons/P-2/?as_of=… (events grow)          documenter    26    26     31
    /persons/P-2/?as_of=…                        admin         25    25     30
    /?as_of=2020-05-13                           documenter    24    24     29
    /?as_of=2020-05-13 (HX)                      documenter    22    22     27
    /chronology/                                 documenter    15    15     20
    /sources/                                    documenter    10    10     15
    /places/, /organizations/, /groups/          documenter     9     9     14
    /damages/                                    documenter    10    10     15
    /search/?q=Extra                             documenter    12    12     18
    /search/?q=Person                            documenter    13    12     18
    /review/                                     reviewer      17    17     22
    /api/{sources,places,organizations,groups,proceedings,figures}/
                                                 token         28    28     38
                                                 session       31    31     38
    /api/persons/                                token/session 29/32 29/32  38
    /api/{events,damages,interventions}/         token/session 30/33 30/33  38

Before the fix in docket.records.people.person_dossier (the charges of each step of a
proceeding read with prefetch_related), P-1's page made 35 queries at N=5 and 55 at N=25:
one query per proceeding step.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from docket.records.services import bundle_load
from tests.web.helpers import login

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 25


def _unit(i: int) -> dict[str, str]:
    """YAML for extra unit ``i``, per bundle file."""
    day = 1 + i % 28
    return {
        "sources.yaml": f"- code: S-{100 + i}\n  kind: testimony\n  title: Witness X{i}\n",
        "places.yaml": (
            f"- code: PL-{100 + i}\n  kind: village\n  name: Village X{i}\n  parent: PL-1\n"
        ),
        "organizations.yaml": (
            f"- code: O-{100 + i}\n  kind: police\n  name: Police unit X{i}\n"
            f"  place: PL-{100 + i}\n"
        ),
        "groups.yaml": (
            f"- code: G-{100 + i}\n  name: Group X{i}\n  size: {i + 2}\n"
            f"  size_low: {i + 1}\n  size_high: {i + 3}\n"
        ),
        "persons.yaml": (
            f"- code: P-{100 + i}\n  name: Extra Person {i}\n  birth_date: 19{50 + i % 50}\n"
            f"  ethnicity: dungan\n  residence: PL-{100 + i}\n  consent: full_name\n"
            f"  names:\n    - {{text: Экстра {i}, script: Cyrl, kind: transliteration,"
            f" source: S-{100 + i}}}\n"
            f"  relationships: [{{type: relative, person: P-2}}]\n"
            f"  citations: [{{source: S-{100 + i}, locator: p. {i}}}]\n"
        ),
        "events.yaml": (
            f"- code: E-{100 + i}\n  type: search\n  date: 2020-03-{day:02d}\n"
            f"  title: Search of Extra Person {i}\n  place: PL-{100 + i}\n"
            f"  participants: [{{person: P-{100 + i}, role: victim}},"
            f" {{person: P-2, role: witness}}, {{organization: O-{100 + i}, role: perpetrator}}]\n"
            f"  citations: [{{source: S-{100 + i}, locator: para {i}}}]\n"
            f"- code: E-{200 + i}\n  type: charge\n  date: 2020-04-{day:02d}\n"
            f"  title: Person One charged again ({i})\n  proceeding: PR-1\n"
            f'  charges: [{{article: "KZ-CC-2014:272", part: 2}}]\n'
        ),
        "damages.yaml": (
            f"- code: D-{100 + i}\n  owner_person: P-{100 + i}\n  place: PL-{100 + i}\n"
            f"  agreement: refused\n"
            f'  as_of: "2020-05-13"\n  items:\n    - kind: house\n'
            f"      description: House {i}\n      assessed: {{amount: {1000 + i}, currency: KZT}}\n"
            f"      assessed_by: O-{100 + i}\n"
        ),
    }


def _load(bundle: Path, originals: dict[str, str], n: int) -> None:
    """Load the synthetic bundle with ``n`` extra units (a reload adds the ones not there)."""
    extra: dict[str, list[str]] = {}
    for i in range(1, n + 1):
        for name, text in _unit(i).items():
            extra.setdefault(name, []).append(text)
    for name, texts in extra.items():
        base = originals[name]
        (bundle / name).write_text(base + ("" if base.endswith("\n") else "\n") + "".join(texts))
    bundle_load(folder=bundle, actor="test")


def _user(role: str) -> Any:
    user = get_user_model().objects.create_user(f"qc-{role}", password="a long password 9")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _web(role: str) -> Client:
    return login(Client(), _user(role))


def _token(role: str) -> Client:
    token, _ = Token.objects.get_or_create(user=_user(role))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def _count(client: Client, url: str, headers: dict[str, str]) -> int:
    assert client.get(url, headers=headers).status_code == 200  # warm: same state at both sizes
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _sizes(
    synthetic_bundle: Path, client: Callable[[], Client], url: str, headers: dict[str, str]
) -> tuple[int, int, int, int]:
    """Query count of ``url`` at N=SMALL and N=LARGE, and the response sizes (rows grew)."""
    originals = {
        name: (synthetic_bundle / name).read_text()
        for name in _unit(0)  # the files the units add to
    }
    _load(synthetic_bundle, originals, SMALL)
    c = client()
    small = _count(c, url, headers)
    small_len = len(c.get(url, headers=headers).content)
    _load(synthetic_bundle, originals, LARGE)
    large = _count(c, url, headers)
    large_len = len(c.get(url, headers=headers).content)
    return small, large, small_len, large_len


HX = {"HX-Request": "true"}
AS_OF = "as_of=2020-05-13"

# (url, who, headers, ceiling): each ceiling is the count measured + 5, far below the 20 or
# more that a query per added row would add.
PAGES = [
    (f"/persons/?{AS_OF}", "documenter", {}, 18),
    (f"/persons/?{AS_OF}&custody=unknown", "documenter", {}, 18),
    (f"/persons/?{AS_OF}", "documenter", HX, 18),
    (f"/persons/?{AS_OF}&custody=unknown", "documenter", HX, 18),
    (f"/persons/?{AS_OF}", "anonymous", {}, 12),
    (f"/persons/P-1/?{AS_OF}", "documenter", {}, 33),
    (f"/persons/P-2/?{AS_OF}", "documenter", {}, 31),
    (f"/persons/P-2/?{AS_OF}", "admin", {}, 30),
    (f"/?{AS_OF}", "documenter", {}, 29),
    (f"/?{AS_OF}", "documenter", HX, 27),
    ("/chronology/", "documenter", {}, 20),
    ("/sources/", "documenter", {}, 15),
    ("/places/", "documenter", {}, 14),
    ("/organizations/", "documenter", {}, 14),
    ("/groups/", "documenter", {}, 14),
    ("/damages/", "documenter", {}, 15),
    ("/search/?q=Extra", "documenter", {}, 18),
    ("/search/?q=Person", "documenter", {}, 18),
    ("/review/", "reviewer", {}, 22),
]

API = [
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


def _client_for(who: str) -> Callable[[], Client]:
    if who == "anonymous":
        return Client
    return lambda: _web(who)


@pytest.mark.parametrize(("url", "who", "headers", "ceiling"), PAGES)
def test_page_queries_do_not_grow_with_the_record(
    synthetic_bundle: Path, url: str, who: str, headers: dict[str, str], ceiling: int
) -> None:
    small, large, small_len, large_len = _sizes(synthetic_bundle, _client_for(who), url, headers)
    assert large_len > small_len or who == "anonymous"  # the page did get longer
    counts = f"{url} ({who}): {small} queries at N={SMALL}, {large} at N={LARGE}"
    if url.startswith("/search/"):
        # Search shows the best 50 hits and reads their titles with one query per kind of
        # record among them (persons, events, sources): more persons can push the sources out
        # of the 50 and save that query, so the count may fall by up to 2, never grow.
        assert small - 2 <= large <= small, counts
    else:
        assert large == small, counts
    assert large <= ceiling, f"{counts}; ceiling {ceiling}"


@pytest.mark.parametrize("path", API)
@pytest.mark.parametrize("auth", ["token", "session"])
def test_api_list_queries_do_not_grow_with_the_record(
    synthetic_bundle: Path, path: str, auth: str
) -> None:
    client = (lambda: _token("documenter")) if auth == "token" else (lambda: _web("documenter"))
    url = f"/api/{path}/"
    small, large, _, _ = _sizes(synthetic_bundle, client, url, {})
    assert small == large, f"{url}: {small} queries at N={SMALL}, {large} at N={LARGE}"
    assert large <= API_CEILING, f"{url}: {large} queries, ceiling {API_CEILING}"


API_CEILING = 38  # the most measured (33, session) + 5
