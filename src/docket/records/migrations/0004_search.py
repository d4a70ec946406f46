# The search index (docket.records.search): one table both databases share, and a full-text
# index over it that each builds its own way. SQLite: an FTS5 table kept in step by triggers.
# PostgreSQL: a GIN index on the 'simple' text-search vector of text and keys. Stems and
# transliteration keys are computed in Python (docket.core.names, snowballstemmer) and stored
# in `keys`, so both databases match exactly the same records.

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    (
        "CREATE VIRTUAL TABLE records_searchentry_fts USING fts5("
        "text, keys, tokenize = 'unicode61 remove_diacritics 2')",
        "DROP TABLE IF EXISTS records_searchentry_fts",
    ),
    (
        "CREATE TRIGGER records_searchentry_ai AFTER INSERT ON records_searchentry BEGIN "
        "INSERT INTO records_searchentry_fts(rowid, text, keys) VALUES (new.id, new.text, new.keys); "
        "END",
        "DROP TRIGGER IF EXISTS records_searchentry_ai",
    ),
    (
        "CREATE TRIGGER records_searchentry_ad AFTER DELETE ON records_searchentry BEGIN "
        "DELETE FROM records_searchentry_fts WHERE rowid = old.id; "
        "END",
        "DROP TRIGGER IF EXISTS records_searchentry_ad",
    ),
    (
        "CREATE TRIGGER records_searchentry_au AFTER UPDATE ON records_searchentry BEGIN "
        "DELETE FROM records_searchentry_fts WHERE rowid = old.id; "
        "INSERT INTO records_searchentry_fts(rowid, text, keys) VALUES (new.id, new.text, new.keys); "
        "END",
        "DROP TRIGGER IF EXISTS records_searchentry_au",
    ),
]

POSTGRESQL = [
    (
        "CREATE INDEX records_searchentry_fts ON records_searchentry USING GIN "
        "(to_tsvector('simple'::regconfig, text || ' ' || keys))",
        "DROP INDEX IF EXISTS records_searchentry_fts",
    ),
]


def _statements(vendor):
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, [])


def full_text(apps, schema_editor):
    for create, _ in _statements(schema_editor.connection.vendor):
        schema_editor.execute(create)


def no_full_text(apps, schema_editor):
    for _, drop in reversed(_statements(schema_editor.connection.vendor)):
        schema_editor.execute(drop)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_change_chain"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("target_type", models.CharField(max_length=20)),
                ("target_id", models.UUIDField(db_index=True)),
                ("origin_id", models.UUIDField(blank=True, db_index=True, null=True)),
                ("code", models.CharField(max_length=40)),
                ("field", models.CharField(max_length=20)),
                ("text", models.TextField()),
                ("keys", models.TextField()),
                ("confidentiality", models.CharField(max_length=20)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="records.case"
                    ),
                ),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.RunPython(full_text, no_full_text),
    ]
