"""`make bench`: how long loading, status and export take, on the Korday case and on a
synthetic case scaled up (invented placeholder people, not real ones). Prints figures and
ratios; nothing here asserts on time.

    python bench/run.py [--persons N] [--database URL]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def synthetic_bundle(folder: Path, persons: int, seed: int = 7) -> int:
    """Write a bundle with ``persons`` persons, each detained, arrested, charged, some tried."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yaml").write_text(
        yaml.safe_dump({"code": "bench", "defaults": {"confidentiality": "internal"}})
    )
    (folder / "sources.yaml").write_text(
        yaml.safe_dump([{"code": "S-1", "kind": "testimony", "title": "Synthetic source"}])
    )
    people, events = [], []
    for i in range(persons):
        code = f"P-{i:05d}"
        people.append(
            {
                "code": code,
                "name": f"Person {i}",
                "birth_date": f"{rnd.randint(1950, 2002)}",
                "ethnicity": rnd.choice(["dungan", "kazakh", "unknown"]),
                "names": [{"text": f"Person {i}", "script": "Latn"}],
                "citations": [{"source": "S-1", "locator": f"p. {i}"}],
            }
        )
        day = datetime.date(2020, 2, 1) + datetime.timedelta(days=rnd.randint(0, 90))
        steps = [("detention", day), ("arrest", day + datetime.timedelta(days=2))]
        if rnd.random() < 0.6:
            steps.append(("charge", day + datetime.timedelta(days=10)))
        if rnd.random() < 0.3:
            steps.append(("verdict", day + datetime.timedelta(days=60)))
        for n, (etype, when) in enumerate(steps):
            event = {
                "code": f"E-{i:05d}-{n}",
                "type": etype,
                "date": when.isoformat() if n else when.strftime("%Y-%m"),
                "title": f"{etype} {i}",
                "participants": [{"person": code, "role": "victim"}],
            }
            if etype == "charge":
                event["charges"] = [{"article": "KZ-CC-2014:272"}]
            if etype == "verdict":
                event["details"] = {"outcome": "convicted", "sentence": "imprisonment"}
            events.append(event)
    (folder / "persons.yaml").write_text(yaml.safe_dump(people, allow_unicode=True))
    (folder / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True))
    return 1 + len(people) + len(events)


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"  {label:38} {seconds * 1000:9.1f} ms")
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--database", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="docket-bench-"))
    os.environ["DOCKET_DATABASE_URL"] = args.database or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    os.chdir(tmp)
    import django

    django.setup()
    from django.core.management import call_command

    from docket.records.bundle import write_bundle
    from docket.records.selectors import bundle_export, stats_rows, status_rows
    from docket.records.services import bundle_load, case_get

    call_command("migrate", verbosity=0)
    print(f"database: {os.environ['DOCKET_DATABASE_URL']}")

    for name, folder in (
        ("korday-2020", ROOT / "cases" / "korday-2020"),
        ("synthetic", tmp / "synthetic"),
    ):
        records = synthetic_bundle(folder, args.persons) if name == "synthetic" else None
        print(f"\n{name}:")
        report, first = timed("load (empty database)", bundle_load, folder=folder, actor="bench")
        records = records or report.total("created") + 1
        _, again = timed("load again (nothing changes)", bundle_load, folder=folder, actor="bench")
        case = case_get(report.case)
        day = datetime.date(2020, 5, 13)
        rows, status_s = timed("status as of 2020-05-13", status_rows, case, day)
        _, stats_s = timed(
            "stats by ethnicity,custody", stats_rows, case, day, ["ethnicity", "custody"]
        )
        bundle, export_s = timed("export to bundle (read)", bundle_export, case)
        timed("export to bundle (write files)", write_bundle, tmp / f"{name}-out", bundle)
        print(f"  records: {records}, persons: {len(rows)}")
        print(f"  load: {first / records * 1000:.2f} ms per record")
        print(f"  reload / load: {again / first:.2f}")
        print(f"  status: {status_s / max(len(rows), 1) * 1000:.3f} ms per person")
    return 0


if __name__ == "__main__":
    sys.exit(main())
