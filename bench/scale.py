"""Statistics and the chronology at 10,000 and 100,000 persons (issue 3).

The synthetic case (invented placeholder people) is written straight into the tables with
bulk inserts — the load path has its own benchmark in run.py — then each read is timed.

    python bench/scale.py [--sizes 10000,100000] [--database URL]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any


def build_case(size: int, seed: int = 11) -> Any:
    from docket.records import models as m

    rnd = random.Random(seed)
    code = f"scale-{size}"
    m.Case.objects.filter(code=code).delete()
    case = m.Case.objects.create(
        code=code, title={"en": f"Synthetic {size}"}, defaults={"confidentiality": "internal"}
    )
    source = m.Source.objects.create(case=case, code="S-1", kind="testimony", title="Synthetic")
    places = [
        m.Place(case=case, code=f"PL-{i}", kind="village", name=f"Village {i}") for i in range(20)
    ]
    m.Place.objects.bulk_create(places)
    persons, events, parts, charges, cites = [], [], [], [], []
    for i in range(size):
        p = m.Person(
            id=uuid.uuid4(),
            case=case,
            code=f"P-{i:06d}",
            name=f"Person {i}",
            ethnicity=rnd.choice(["dungan", "kazakh", "unknown"]),
            sex=rnd.choice(["male", "female"]),
            residence=rnd.choice(places),
            birth_date=str(rnd.randint(1950, 2002)),
        )
        persons.append(p)
        day = datetime.date(2020, 2, 1) + datetime.timedelta(days=rnd.randint(0, 100))
        steps = [("detention", day), ("arrest", day + datetime.timedelta(days=2))]
        if rnd.random() < 0.6:
            steps.append(("charge", day + datetime.timedelta(days=10)))
        if rnd.random() < 0.3:
            steps.append(("verdict", day + datetime.timedelta(days=60)))
        if rnd.random() < 0.2:
            steps.append(("release", day + datetime.timedelta(days=30)))
        for n, (etype, when) in enumerate(steps):
            e = m.Event(
                id=uuid.uuid4(),
                case=case,
                code=f"E-{i:06d}-{n}",
                type=etype,
                date=when.isoformat(),
                date_earliest=when,
                date_latest=when,
                date_precision="day",
                title=f"{etype} {i}",
                place=p.residence,
                details={"outcome": "convicted", "sentence": "imprisonment"}
                if etype == "verdict"
                else {},
            )
            events.append(e)
            parts.append(m.Participant(event=e, person=p, role="victim"))
            if etype == "charge":
                charges.append(m.Charge(event=e, article="KZ-CC-2014:272"))
            cites.append(
                m.Citation(
                    case=case, target_type="event", target_id=e.id, source=source, locator=f"p. {i}"
                )
            )
    batch = 5000
    m.Person.objects.bulk_create(persons, batch_size=batch)
    m.Event.objects.bulk_create(events, batch_size=batch)
    m.Participant.objects.bulk_create(parts, batch_size=batch)
    m.Charge.objects.bulk_create(charges, batch_size=batch)
    m.Citation.objects.bulk_create(cites, batch_size=batch)
    return case, len(events)


def timed(label: str, func: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"  {label:44} {seconds:8.2f} s")
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--database", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="docket-scale-"))
    os.environ["DOCKET_DATABASE_URL"] = args.database or f"sqlite:///{tmp / 'scale.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    os.chdir(tmp)
    import django

    django.setup()
    from django.core.management import call_command

    from docket.records import statistics as st
    from docket.records.chronology import timeline

    call_command("migrate", verbosity=0)
    print(f"database: {os.environ['DOCKET_DATABASE_URL']}")
    day = datetime.date(2020, 5, 13)
    results: dict[int, dict[str, float]] = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"\n{size:,} persons:")
        (case, n_events), _ = timed("build (bulk insert)", build_case, size)
        print(f"  events: {n_events:,}")
        r = results.setdefault(size, {})
        _, r["stats"] = timed(
            "stats --by ethnicity,custody", st.stats_rows, case, day, ["ethnicity", "custody"]
        )
        dates = st.period_ends(datetime.date(2020, 2, 1), day, "month")
        _, r["series"] = timed(
            f"stats --series month ({len(dates)} dates)",
            st.series_rows,
            case,
            dates,
            ["in_custody", "ethnicity"],
        )
        _, r["events"] = timed(
            "stats --of events --by type,month", st.event_stats_rows, case, ["type", "month"]
        )
        tl, r["timeline"] = timed("timeline (every event)", timeline, case)
        _, r["timeline_person"] = timed(
            "timeline --person P-000001", timeline, case, person="P-000001"
        )
        print(f"  timeline entries: {len(tl.entries):,}")
    sizes = sorted(results)
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        print(f"\nratio {big:,} / {small:,} persons (x{big // small} data):")
        for key in results[small]:
            print(f"  {key:16} {results[big][key] / results[small][key]:6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
