"""Entering and reviewing records in the browser forms: same checks as a bundle load."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from docket.records import models as m
from docket.records.history import verify_history
from docket.records.services import bundle_load
from tests.records.helpers import snapshot
from tests.web.helpers import login

pytestmark = pytest.mark.django_db


def _client(role: str) -> Client:
    user = get_user_model().objects.create_user(f"u-{role}", password="a long password 9")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return login(Client(), user)


def _formset(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def _person(**fields: str) -> dict[str, str]:
    data = {
        "name": "Person Four",
        "birth_date": "March 1985",
        "sex": "female",
        "ethnicity": "dungan",
        "consent": "initials",
        "confidentiality": "internal",
        "review_state": "draft",
    }
    data.update(fields)
    data.update(
        _formset("names", [{"text": "Лицо Четыре", "script": "Cyrl", "kind": "transliteration"}])
    )
    data.update(_formset("relationships", []))
    data.update(_formset("citations", [{"source": "S-1", "locator": "p. 4"}]))
    return data


def _event(person: str, **fields: str) -> dict[str, str]:
    data = {
        "type": "detention",
        "date": "24-25.04.2020",
        "title": "Detained at home",
        "confidentiality": "internal",
        "review_state": "draft",
    }
    data.update(fields)
    data.update(_formset("charges", []))
    data.update(_formset("participants", [{"party": f"person:{person}", "role": "victim"}]))
    data.update(_formset("citations", [{"source": "S-1", "locator": "p. 5"}]))
    return data


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")


def test_a_documenter_enters_a_person_and_a_detention_and_sees_the_custody(loaded: None) -> None:
    client = _client("documenter")
    response = client.post("/records/person/new/", _person())
    assert response.status_code == 302 and response["Location"] == "/records/person/P-0004/edit/"
    person = m.Person.objects.get(code="P-0004")
    assert (person.birth_date, person.birth_date_latest.isoformat()) == ("1985-03", "1985-03-31")
    response = client.post("/records/event/new/", _event("P-0004"))
    assert response.status_code == 302
    event = m.Event.objects.get(code="E-0009")
    assert (event.date, event.type) == ("2020-04-24/2020-04-25", "detention")
    page = client.get("/persons/P-0004/?as_of=2020-04-26").content.decode()
    assert "Detained" in page and "24–25 April 2020" in page
    assert verify_history().ok
    assert m.Change.objects.filter(code="E-0009", actor="web:u-documenter").exists()


def test_a_bad_value_is_shown_next_to_its_field_and_nothing_is_saved(loaded: None) -> None:
    client = _client("documenter")
    before = snapshot()
    response = client.post("/records/person/new/", _person(birth_date="31.02.1985"))
    assert response.status_code == 200
    assert "February 1985 has 28 days" in response.content.decode()
    response = client.post("/records/event/new/", _event("P-404"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_only_a_reviewer_marks_a_record_verified_and_only_with_a_source(loaded: None) -> None:
    documenter = _client("documenter")
    response = documenter.post("/records/person/new/", _person(review_state="verified"))
    assert "Only a reviewer can mark a record verified." in response.content.decode()
    assert documenter.post("/records/person/P-2/verify/").status_code == 403
    reviewer = _client("reviewer")
    assert "P-2" in reviewer.get("/review/").content.decode()
    reviewer.post("/records/person/P-2/verify/")  # P-2 has no citation: refused
    assert m.Person.objects.get(code="P-2").review_state == "draft"
    reviewer.post("/records/person/P-1/verify/")
    assert m.Person.objects.get(code="P-1").review_state == "verified"
    assert verify_history().ok


def test_a_correction_keeps_the_record_and_its_history(loaded: None) -> None:
    client = _client("documenter")
    form = client.get("/records/person/P-2/edit/")
    assert form.status_code == 200 and "Person Two" in form.content.decode()
    data = _person(name="Person Two Corrected", code="P-2", consent="anonymous")
    response = client.post("/records/person/P-2/edit/", data)
    assert response.status_code == 302
    person = m.Person.objects.get(code="P-2")
    assert person.name == "Person Two Corrected"
    assert [c.action for c in m.Change.objects.filter(code="P-2").order_by("seq")] == [
        "create",
        "update",
    ]


@pytest.mark.parametrize("role", [None, "viewer"])
def test_visitors_and_partners_cannot_change_the_record(loaded: None, role: str | None) -> None:
    client = _client(role) if role else Client()
    before = snapshot()
    response = client.post("/records/person/new/", _person())
    assert response.status_code in (302, 403)
    if role is None:
        assert response["Location"].startswith("/login/")
    assert client.get("/review/").status_code in (302, 403)
    assert snapshot() == before


def test_an_earlier_version_can_be_restored_and_the_restore_is_recorded(loaded: None) -> None:
    client = _client("documenter")
    data = _person(name="Person Two Corrected", code="P-2", consent="anonymous")
    client.post("/records/person/P-2/edit/", data)
    first = m.Change.objects.filter(code="P-2").order_by("seq").first()
    page = client.get("/records/person/P-2/edit/").content.decode()
    assert "Restore this version" in page
    assert "<strong>name</strong>: Person Two → Person Two Corrected" in page
    response = client.post(f"/records/person/P-2/restore/{first.seq}/")
    assert response.status_code == 302
    assert m.Person.objects.get(code="P-2").name == "Person Two"
    assert [c.action for c in m.Change.objects.filter(code="P-2").order_by("seq")] == [
        "create",
        "update",
        "update",
    ]
    assert verify_history().ok
    assert _client("viewer").post(f"/records/person/P-2/restore/{first.seq}/").status_code == 403


def test_places_organizations_groups_and_damages_pages(loaded: None) -> None:
    client = _client("documenter")
    assert "Village B" in client.get("/places/").content.decode()
    assert "Police unit C" in client.get("/organizations/").content.decode()
    assert "18–22" in client.get("/groups/").content.decode()
    damages = client.get("/damages/").content.decode()
    assert "Person Two" in damages and "1,000,000 KZT" in damages and "Refused" in damages
    public = Client().get("/damages/").content.decode()
    assert "Person Two" not in public  # the synthetic case is internal


def _damage(**fields: str) -> dict[str, str]:
    data = {
        "owner_person": "P-1",
        "place": "PL-2",
        "agreement": "refused",
        "as_of": "May 2020",
        "confidentiality": "internal",
        "review_state": "draft",
    }
    data.update(fields)
    item = {
        "kind": "vehicle",
        "description": "Burnt car",
        "assessed": "1 200 000 KZT",
        "assessed_by": "O-2",
        "offered": "300000,50 KZT",
    }
    data.update(_formset("items", [item, {}]))
    data.update(_formset("pressure_events", [{"event": "E-6"}, {"event": ""}]))
    data.update(_formset("citations", [{"source": "S-1", "locator": "p. 7"}]))
    return data


def _intervention(**fields: str) -> dict[str, str]:
    data = {
        "kind": "complaint",
        "date": "24-28.04.2020",
        "addressee": "O-2",
        "reference": "No. 12",
        "subject": "Detention without a warrant",
        "status": "sent",
        "confidentiality": "internal",
        "review_state": "draft",
    }
    data.update(fields)
    data.update(_formset("senders", [{"party": "person:P-2"}, {"party": "group:G-1"}]))
    data.update(_formset("concerning", [{"person": "P-1"}]))
    data.update(_formset("citations", [{"source": "S-1", "locator": "p. 8"}]))
    return data


def test_a_documenter_enters_a_damage_with_amounts_and_pressure_events(loaded: None) -> None:
    client = _client("documenter")
    form = client.get("/records/damage/new/").content.decode()
    assert 'name="items-0-assessed"' in form and 'name="pressure_events-0-event"' in form
    response = client.post("/records/damage/new/", _damage())
    assert response.status_code == 302, response.content.decode()
    code = response["Location"].split("/")[-3]
    damage = m.Damage.objects.get(code=code)
    assert code.startswith("D-") and code != "D-1"
    assert (damage.owner_person.code, damage.place.code, damage.agreement) == (
        "P-1",
        "PL-2",
        "refused",
    )
    assert damage.review_state == "draft" and damage.as_of == "2020-05"
    item = damage.items.get()
    assert (item.kind, item.assessed_amount, item.assessed_currency) == ("vehicle", 1200000, "KZT")
    assert float(item.offered_amount) == 300000.5 and item.assessed_by.code == "O-2"
    assert [e.code for e in damage.pressure_events.all()] == ["E-6"]
    assert m.Citation.objects.filter(target_id=damage.pk, source__code="S-1").exists()
    assert m.Change.objects.filter(code=code, actor="web:u-documenter", action="create").exists()
    assert verify_history().ok
    # The saved record comes back into its form as it was typed, amounts with currency.
    page = client.get(f"/records/damage/{code}/edit/").content.decode()
    assert 'value="1200000 KZT"' in page and 'value="300000.5 KZT"' in page
    assert '<option value="E-6" selected>' in page
    # And the damages page links to it for a documenter, not for an anonymous visitor.
    assert f'href="/records/damage/{code}/edit/"' in client.get("/damages/").content.decode()
    assert "/records/damage/" not in Client().get("/damages/").content.decode()


def test_a_correction_of_a_damage_keeps_its_items_and_history(loaded: None) -> None:
    client = _client("documenter")
    form = client.get("/records/damage/D-1/edit/").content.decode()
    assert 'value="1000000 KZT"' in form and 'value="250000.5 KZT"' in form
    data = _damage(owner_person="P-2", agreement="signed", code="D-1")
    response = client.post("/records/damage/D-1/edit/", data)
    assert response.status_code == 302
    damage = m.Damage.objects.get(code="D-1")
    assert damage.agreement == "signed" and damage.items.get().kind == "vehicle"
    assert [c.action for c in m.Change.objects.filter(code="D-1").order_by("seq")] == [
        "create",
        "update",
    ]


def test_a_documenter_enters_an_intervention_with_senders_and_persons(loaded: None) -> None:
    client = _client("documenter")
    response = client.post("/records/intervention/new/", _intervention())
    assert response.status_code == 302, response.content.decode()
    code = response["Location"].split("/")[-3]
    item = m.Intervention.objects.get(code=code)
    assert (item.kind, item.date, item.status, item.addressee.code) == (
        "complaint",
        "2020-04-24/2020-04-28",
        "sent",
        "O-2",
    )
    senders = [(s.person.code if s.person else s.group.code) for s in item.senders.all()]
    assert senders == ["P-2", "G-1"]
    assert [p.code for p in item.concerning.all()] == ["P-1"]
    assert verify_history().ok
    page = client.get(f"/records/intervention/{code}/edit/").content.decode()
    assert '<option value="person:P-2" selected>' in page
    assert "Detention without a warrant" in page


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("damage", {"items-0-assessed": "a lot"}, "Write the amount and its currency"),
        ("damage", {"items-0-paid": "1,000,000 KZT"}, "Write the amount and its currency"),
        ("damage", {"as_of": "31.02.2020"}, "February 2020 has 29 days"),
        ("damage", {"pressure_events-0-event": "E-404"}, "Select a valid choice"),
        ("damage", {"items-0-kind": ""}, "kind: is required"),
        ("intervention", {"subject": ""}, "This field is required"),
        ("intervention", {"date": "2020-13"}, "2020-13"),
        ("intervention", {"senders-0-party": "person:P-404"}, "Select a valid choice"),
    ],
)
def test_bad_damages_and_interventions_are_refused_next_to_the_field(
    loaded: None, kind: str, typed: dict[str, str], message: str
) -> None:
    data = _damage() if kind == "damage" else _intervention()
    data.update(typed)
    client = _client("documenter")
    before = snapshot()
    response = client.post(f"/records/{kind}/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'class="error" role="alert"' in page
    assert snapshot() == before


def test_a_verified_damage_needs_a_reviewer_and_a_citation(loaded: None) -> None:
    before = snapshot()
    documenter = _client("documenter")
    response = documenter.post("/records/damage/new/", _damage(review_state="verified"))
    assert "Only a reviewer can mark a record verified." in response.content.decode()
    reviewer = _client("reviewer")
    data = _damage(review_state="verified")
    data.update(_formset("citations", []))
    response = reviewer.post("/records/damage/new/", data)
    assert response.status_code == 200
    assert "a verified record needs at least one citation" in response.content.decode()
    assert snapshot() == before
    response = reviewer.post("/records/intervention/new/", _intervention(review_state="verified"))
    assert response.status_code == 302
    assert m.Intervention.objects.exclude(code="I-1").get().review_state == "verified"


@pytest.mark.parametrize("role", [None, "viewer"])
@pytest.mark.parametrize("kind", ["damage", "intervention"])
def test_visitors_and_partners_cannot_enter_damages_or_interventions(
    loaded: None, role: str | None, kind: str
) -> None:
    client = _client(role) if role else Client()
    before = snapshot()
    data = _damage() if kind == "damage" else _intervention()
    response = client.post(f"/records/{kind}/new/", data)
    assert response.status_code == (302 if role is None else 403)
    assert client.get(f"/records/{kind}/new/").status_code == (302 if role is None else 403)
    code = "D-1" if kind == "damage" else "I-1"
    assert client.post(f"/records/{kind}/{code}/edit/", data).status_code in (302, 403)
    assert client.post(f"/records/{kind}/{code}/verify/").status_code == 403
    assert snapshot() == before
    page = client.get("/damages/").content.decode()
    assert "/records/damage/" not in page and "New damage" not in page
