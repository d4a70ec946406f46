"""The admin serves the record to staff only, and its edits enter the change history."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from docket.records import models as m
from docket.records.services import bundle_load
from tests.web.helpers import login

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/records/person/",
    "/admin/records/event/",
    "/admin/records/change/",
    "/admin/records/citation/",
]


@pytest.fixture
def loaded(synthetic_bundle: Path) -> None:
    bundle_load(folder=synthetic_bundle, actor="test")


@pytest.fixture
def documenter() -> Client:
    user = get_user_model().objects.create_user("documenter", password="a long password 1")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return login(Client(), user)


@pytest.mark.parametrize("page", PAGES)
def test_an_outsider_is_sent_to_the_login_page(client: Client, loaded: None, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    person = m.Person.objects.get(code="P-3")
    detail = client.get(f"/admin/records/person/{person.pk}/change/")
    assert detail.status_code == 302
    assert b"Person Three" not in detail.content


def test_a_logged_in_user_without_staff_rights_sees_nothing(loaded: None) -> None:
    get_user_model().objects.create_user("neighbour", password="a long password 2")
    client = Client()
    client.force_login(get_user_model().objects.get(username="neighbour"))
    response = client.get("/admin/records/person/")
    assert response.status_code == 302
    assert b"Person One" not in response.content


def test_staff_see_the_record(documenter: Client, loaded: None) -> None:
    response = documenter.get("/admin/records/person/")
    assert response.status_code == 200
    assert b"Person One" in response.content
    assert documenter.get("/admin/records/event/").status_code == 200


def test_an_admin_edit_enters_the_history(documenter: Client, loaded: None) -> None:
    group = m.Group.objects.get(code="G-1")
    url = f"/admin/records/group/{group.pk}/change/"
    form = documenter.get(url)
    assert form.status_code == 200
    response = documenter.post(
        url,
        {
            "case": str(group.case_id),
            "code": "G-1",
            "confidentiality": "internal",
            "review_state": "draft",
            "notes": "",
            "name": "Twenty people detained for a day",
            "size": "21",
            "size_low": "18",
            "size_high": "22",
            "attributes": '{"ethnicity": "kazakh"}',
        },
    )
    assert response.status_code == 302, response.content[:2000]
    last = m.Change.objects.filter(code="G-1").order_by("seq").last()
    assert (last.action, last.actor, last.data["size"]) == ("update", "web:documenter", 21)


def test_the_history_cannot_be_edited(documenter: Client, loaded: None) -> None:
    change = m.Change.objects.first()
    response = documenter.post(f"/admin/records/change/{change.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert m.Change.objects.filter(pk=change.pk).exists()
