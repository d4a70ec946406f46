"""The Korday case loaded once per module, plus a canary: what public outputs must never show."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from docket.records import models as m
from docket.records.schema import BY_NAME
from docket.records.services import bundle_load, case_get, record_save
from tests.conftest import KORDAY
from tests.records.helpers import wipe

# A person at the restricted level: no public or partner output may carry this name.
CANARY = "Zyxqvort Canarybek"
# A witness who agreed to initials only: public outputs show "W. W.", never the name.
WITNESS = "Wilhelmina Witnessova"
WITNESS_RU = "Вильгельмина Витнессова"


@pytest.fixture(scope="module")
def korday_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        bundle_load(folder=KORDAY, actor="test")
        case = case_get("korday-2020")

        def save(kind: str, data: dict[str, Any]) -> None:
            record_save(case=case, kind=BY_NAME[kind], data=data, actor="test")

        save(
            "person",
            {
                "code": "P-CANARY",
                "name": CANARY,
                "confidentiality": "restricted",
                "sex": "male",
                "citations": [{"source": "S-0001", "locator": "canary para"}],
            },
        )
        save(
            "person",
            {
                "code": "P-WITNESS",
                "name": WITNESS,
                "confidentiality": "public",
                "consent": "initials",
                "birth_date": "1977-03-04",
                "names": [{"text": WITNESS_RU, "script": "Cyrl", "language": "ru"}],
                "citations": [{"source": "S-0001", "locator": "witness para"}],
            },
        )
        save(
            "event",
            {
                "code": "E-CANARY",
                "type": "detention",
                "date": "2020-04-25",
                "title": f"Detention of {CANARY}, seen by {WITNESS}",
                "confidentiality": "public",
                "participants": [
                    {"person": "P-CANARY", "role": "victim"},
                    {"person": "P-WITNESS", "role": "witness"},
                ],
                "citations": [{"source": "S-0001", "locator": "canary para"}],
            },
        )
        try:
            yield
        finally:
            wipe()


@pytest.fixture
def korday(korday_once: None) -> m.Case:
    return case_get("korday-2020")
