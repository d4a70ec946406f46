from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "docket.records"
    label = "records"
    verbose_name = "Case record"
    default_auto_field = "django.db.models.BigAutoField"
