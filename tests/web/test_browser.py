"""The pages in a real browser: Debian's Chromium driven by Playwright, with axe-core.

Chromium is required: when it is missing these tests fail (with how to install it), they do
not skip. Screenshots are written to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, Page, expect, sync_playwright

from docket.records.services import bundle_load

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (fixtures) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SERIOUS = ("serious", "critical")


def chromium_path() -> str:
    path = os.environ.get("DOCKET_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Chromium is required for the browser tests: install Debian's package "
            "(apt-get install chromium) or set DOCKET_CHROMIUM to its path."
        )
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def site(live_server: Any, synthetic_bundle: Path, transactional_db: None) -> str:
    path = synthetic_bundle / "persons.yaml"
    path.write_text(
        path.read_text().replace(
            "  name: Person One\n", "  name: Person One\n  confidentiality: public\n"
        )
    )
    bundle_load(folder=synthetic_bundle, actor="test")
    user = get_user_model().objects.create_user("documenter", password="a long password 7")
    user.groups.add(Group.objects.get_or_create(name="documenter")[0])
    return str(live_server.url)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    yield context.new_page()
    context.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _no_serious_violations(page: Page) -> None:
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not bad, [(v["id"], v["impact"], v["help"]) for v in bad]


def test_a_documenter_logs_in_reads_a_dossier_and_switches_to_russian(
    site: str, page: Page
) -> None:
    page.goto(f"{site}/login/?next=/persons/")
    _no_serious_violations(page)
    page.get_by_label("User name").fill("documenter")
    page.get_by_label("Password").fill("a long password 7")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/persons/")
    page.get_by_label("As of").fill("2020-05-13")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Person One").click()
    assert "Imprisoned" in page.locator("#status").inner_text()
    _no_serious_violations(page)
    _shot(page, "person-en")
    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert (
        "Лишение свободы" in page.locator("#status").inner_text()
        or "На " in page.locator("#status").inner_text()
    )
    assert page.get_by_role("heading", name="Статус во времени").is_visible()
    _no_serious_violations(page)
    _shot(page, "person-ru")


def test_an_anonymous_visitor_cannot_open_a_non_public_record(site: str, page: Page) -> None:
    response = page.goto(f"{site}/persons/P-2/")
    assert response is not None and response.status == 404
    assert "Person Two" not in page.content()
    page.goto(f"{site}/persons/?as_of=2020-05-13")
    assert "P. O." in page.content() and "Person One" not in page.content()
    _no_serious_violations(page)
    _shot(page, "persons-public")


def test_the_dashboard_is_accessible_on_a_small_screen(site: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    small = context.new_page()
    small.goto(f"{site}/?as_of=2020-02-09")
    assert small.get_by_role("heading", level=1).is_visible()
    _no_serious_violations(small)
    _shot(small, "dashboard-small")
    context.close()


def test_a_documenter_enters_a_person_and_a_detention_and_sees_the_custody(
    site: str, page: Page
) -> None:
    page.goto(f"{site}/login/?next=/records/person/new/")
    page.get_by_label("User name").fill("documenter")
    page.get_by_label("Password").fill("a long password 7")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/records/person/new/")
    _no_serious_violations(page)
    page.get_by_label("Name", exact=True).fill("Person Four")
    page.get_by_label("Birth date").fill("March 1985")
    page.get_by_label("Ethnicity").select_option("dungan")
    page.locator("#id_citations-0-source").select_option("S-1")
    page.locator("#id_citations-0-locator").fill("p. 4")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{site}/records/person/P-0004/edit/")
    assert "Saved P-0004." in page.content()
    page.goto(f"{site}/records/event/new/")
    page.get_by_label("Type").select_option("detention")
    page.get_by_label("Date", exact=True).fill("24-25.04.2020")
    page.get_by_label("Title").fill("Detained at home")
    page.locator("#id_participants-0-party").select_option("person:P-0004")
    page.locator("#id_participants-0-role").select_option("victim")
    page.locator("#id_citations-0-source").select_option("S-1")
    page.locator("#id_citations-0-locator").fill("p. 5")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{site}/records/event/E-0009/edit/")
    page.goto(f"{site}/persons/P-0004/?as_of=2020-04-26")
    assert "Detained" in page.locator("#status").inner_text()
    _shot(page, "entered-person")
    page.goto(f"{site}/persons/P-0004/?as_of=2020-04-01")
    assert "Detained" not in page.locator("#status").inner_text()


def test_the_header_search_finds_a_latin_name_from_a_cyrillic_query(site: str, page: Page) -> None:
    page.goto(f"{site}/login/?next=/persons/")
    page.get_by_label("User name").fill("documenter")
    page.get_by_label("Password").fill("a long password 7")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/persons/")
    # P-2 is recorded only in Latin script, as "Person Two".
    page.get_by_label("Search", exact=True).fill("Персон")
    page.get_by_label("Search", exact=True).press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("ol.hits")
    assert results.get_by_role("link", name="Person Two", exact=True).is_visible()
    _no_serious_violations(page)
    _shot(page, "search-cyrillic")
    results.get_by_role("link", name="Person Two", exact=True).click()
    page.wait_for_url(f"{site}/persons/P-2/")


def test_a_filter_change_replaces_only_the_table(site: str, page: Page) -> None:
    page.goto(f"{site}/persons/?as_of=2020-05-13")
    results = page.locator("#results")
    assert "P. O." in results.inner_text()
    # Something kept in the window survives only if the page is not loaded again.
    page.evaluate("window.docketMarker = 'kept'")
    with page.expect_response(lambda r: "custody=free" in r.url) as answer:
        page.locator("select[name=custody]").select_option("free")
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_url("**/persons/?*custody=free*")
    assert "P. O." not in results.inner_text()
    assert page.locator("#person-count").inner_text() == "0 persons"
    assert page.evaluate("window.docketMarker") == "kept"
    _no_serious_violations(page)
    _shot(page, "persons-filtered-htmx")
    # The address was pushed: back shows the list as it was, a reload the filtered one.
    page.go_back()
    page.wait_for_url(f"{site}/persons/?as_of=2020-05-13")
    expect(page.locator("#results")).to_contain_text("P. O.")
    page.go_forward()
    page.wait_for_url("**/persons/?*custody=free*")
    expect(page.locator("#person-count")).to_have_text("0 persons")
    expect(page.locator("select[name=custody]")).to_have_value("free")


def test_the_persons_page_works_without_javascript(site: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"{site}/persons/?as_of=2020-05-13")
    plain.locator("select[name=custody]").select_option("free")
    assert "P. O." in plain.locator("#results").inner_text()  # nothing happens until Show
    plain.get_by_role("button", name="Show").click()
    plain.wait_for_url("**/persons/?*custody=free*")
    assert plain.locator("#person-count").inner_text() == "0 persons"
    context.close()


def test_a_visitor_previews_an_appeal_and_downloads_it_as_pdf(site: str, page: Page) -> None:
    page.goto(f"{site}/documents/")
    _no_serious_violations(page)
    page.get_by_label("Document").select_option("appeal")
    page.get_by_label("As of").fill("2020-05-13")
    page.get_by_label("Requests").fill("Release the detainees.\n\nInvestigate the torture.")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    frame = page.frame_locator("iframe.preview")
    assert frame.get_by_role("heading", level=1).inner_text().startswith("Appeal")
    body = frame.locator("body").inner_text()
    assert "P. O." in body and "Person One" not in body and "Investigate the torture." in body
    _no_serious_violations(page)
    _shot(page, "documents-preview")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("iframe.preview").screenshot(path=str(ARTIFACTS / "documents-preview-frame.png"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith("-appeal-en.pdf")
    assert Path(path).read_bytes().startswith(b"%PDF-")
