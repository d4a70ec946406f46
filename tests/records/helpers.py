from __future__ import annotations

from typing import Any

from docket.records import models as m

# Children first, so that nothing protected is deleted before what points at it.
ALL_MODELS: list[Any] = [
    m.Change,
    m.Citation,
    m.NameVariant,
    m.Sender,
    m.Intervention,
    m.DamageItem,
    m.Damage,
    m.Figure,
    m.Charge,
    m.Participant,
    m.Event,
    m.Proceeding,
    m.Group,
    m.Relationship,
    m.Person,
    m.Organization,
    m.Place,
    m.Source,
    m.Case,
]


def snapshot() -> dict[str, list[Any]]:
    """Every row of every table, to compare the database before and after."""
    return {model.__name__: sorted(map(str, model.objects.values())) for model in ALL_MODELS}


def wipe() -> None:
    """Empty the record, as a fresh database would be."""
    for model in ALL_MODELS:
        if model in (m.Place, m.Organization):
            model.objects.update(parent=None)
        model.objects.all().delete()
