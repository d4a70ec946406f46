"""`docket verify` over a history of 100,000 changes (issue 5). Prints figures; asserts nothing.

How the history is built, and why: synthetic persons (invented placeholders, each with a name
variant and a citation, so the canonical form has children to read) are written with
bulk_create, then each gets its "create" change through ``history.change_record`` — the one
writer of the chain, exactly as a load calls it — inside one transaction. That times the append
path itself without the bundle reader and validator, which bench/run.py already measures, and
gives one change per record, so the state comparison reads as many records as the chain has
changes.

    python bench/verify.py [--changes 100000] [--database URL]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def build_history(changes: int, seed: int = 5) -> Any:
    """A case of ``changes - 1`` persons and one source, each with its change; one transaction."""
    from django.db import transaction

    from docket.records import models as m
    from docket.records.canonical import Index, dump_record
    from docket.records.history import change_record

    rnd = random.Random(seed)
    case = m.Case.objects.create(
        code="bench-verify", title={"en": "Synthetic"}, defaults={"confidentiality": "internal"}
    )
    source = m.Source.objects.create(case=case, code="S-1", kind="testimony", title="Synthetic")
    persons, names, cites = [], [], []
    for i in range(changes - 1):
        p = m.Person(
            id=uuid.uuid4(),
            case=case,
            code=f"P-{i:06d}",
            name=f"Person {i}",
            sex=rnd.choice(["male", "female"]),
            ethnicity=rnd.choice(["dungan", "kazakh", "unknown"]),
            birth_date=str(rnd.randint(1950, 2002)),
        )
        persons.append(p)
        attached = {"case": case, "target_type": "person", "target_id": p.id}
        names.append(m.NameVariant(**attached, text=f"Person {i}", script="Latn"))
        cites.append(m.Citation(**attached, source=source, locator=f"p. {i}"))
    m.Person.objects.bulk_create(persons, batch_size=5000)
    m.NameVariant.objects.bulk_create(names, batch_size=5000)
    m.Citation.objects.bulk_create(cites, batch_size=5000)
    index = Index(case)
    with transaction.atomic():
        for obj in [source, *m.Person.objects.filter(case=case).prefetch_related("relationships")]:
            change_record(
                case=case,
                target_type=obj.KIND,
                target_id=obj.pk,
                code=obj.code,
                action="create",
                actor="bench",
                data=dump_record(obj, index),
            )
    return case


def timed(label: str, func: Any, *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func(*args)
    seconds = time.perf_counter() - start
    print(f"  {label:44} {seconds:8.2f} s")
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--database", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="docket-verify-"))
    os.environ["DOCKET_DATABASE_URL"] = args.database or f"sqlite:///{tmp / 'verify.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    os.chdir(tmp)
    import django

    django.setup()
    from django.core.management import call_command

    from docket.records import history as h
    from docket.records import models as m

    call_command("migrate", verbosity=0)
    if m.Case.objects.filter(code="bench-verify").exists():
        print("this database already holds the bench case: give a new one", file=sys.stderr)
        return 2
    print(f"database: {os.environ['DOCKET_DATABASE_URL']}")
    print(f"\n{args.changes:,} changes:")
    _, build = timed("build (bulk insert + change_record each)", build_history, args.changes)
    print(f"  appends per second{'':26} {args.changes / build:8.0f}")
    links, _ = timed("read the chain", lambda: list(h.read_chain()))
    broken, _ = timed("recompute the chain (sha256 per change)", h.check_chain, links)
    (records, problems), _ = timed(
        "compare every record with the history", h.compare_state, h.expected_state(links)
    )
    print(f"  chain intact: {broken is None}; records: {records:,}; problems: {len(problems)}")
    docket = Path(sys.executable).with_name("docket")
    start = time.perf_counter()
    run = subprocess.run([str(docket), "verify"], capture_output=True, text=True, check=False)
    print(
        f"  {'docket verify (whole command, new process)':44} {time.perf_counter() - start:8.2f} s"
    )
    print(f"  -> exit {run.returncode}: {run.stdout.strip() or run.stderr.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
