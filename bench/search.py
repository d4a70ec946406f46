"""Search latency on a 10,000-person synthetic case (issue 4, part 5).

Invented placeholder people get surnames built from syllables, each recorded in Latin script
and, for half of them, in Cyrillic; consents vary. Every person has 2-4 events whose titles
name them, and every event a citation with a quote. The index is built with ``reindex``, then
200 queries — Cyrillic surnames (found through transliteration), Latin spelling variants,
words of event titles in other grammatical forms, quote words — are timed for the team
(internal) and the public audience.

    python bench/search.py [--size 10000] [--queries 200] [--database URL]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

SYLLABLES = ["da", "ur", "ov", "yu", "khu", "sei", "zo", "ma", "li", "ker", "bek", "ra", "sha"]
CYR = {
    "da": "да",
    "ur": "ур",
    "ov": "ов",
    "yu": "ю",
    "khu": "ху",
    "sei": "сей",
    "zo": "зо",
    "ma": "ма",
    "li": "ли",
    "ker": "кер",
    "bek": "бек",
    "ra": "ра",
    "sha": "ша",
}
FIRST = ["Ersa", "Bekir", "Rahim", "Zakir", "Ismar", "Nabi", "Aydir", "Lohash", "Shamil"]
TITLES = ["{} detained", "{} arrested", "Search in the house of {}", "{} sentenced to prison"]


def surname(rnd: random.Random) -> tuple[str, str]:
    parts = [rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3))] + ["ov"]
    latin = "".join(parts).capitalize()
    return latin, "".join(CYR[p] for p in parts).capitalize()


def build_case(size: int, seed: int = 5) -> tuple[Any, list[str]]:
    from docket.records import models as m

    rnd = random.Random(seed)
    code = f"search-{size}"
    m.Case.objects.filter(code=code).delete()
    case = m.Case.objects.create(code=code, title={"en": f"Synthetic {size}"})
    source = m.Source.objects.create(
        case=case, code="S-1", kind="testimony", title="Synthetic", confidentiality="public"
    )
    persons, names, events, cites, surnames = [], [], [], [], []
    for i in range(size):
        latin, cyrillic = surname(rnd)
        surnames.append(cyrillic)
        full = f"{rnd.choice(FIRST)} {latin}"
        p = m.Person(
            id=uuid.uuid4(),
            case=case,
            code=f"P-{i:06d}",
            name=full,
            consent=rnd.choice(["full_name", "initials", "anonymous"]),
            confidentiality=rnd.choice(["public", "public", "internal", "confidential"]),
        )
        persons.append(p)
        names.append(m.NameVariant(case=case, target_type="person", target_id=p.id, text=full))
        if i % 2:
            names.append(
                m.NameVariant(
                    case=case, target_type="person", target_id=p.id, text=cyrillic, script="Cyrl"
                )
            )
        for n in range(rnd.randint(2, 4)):
            e = m.Event(
                id=uuid.uuid4(),
                case=case,
                code=f"E-{i:06d}-{n}",
                type="detention",
                title=rnd.choice(TITLES).format(full),
                description=f"Relatives of {full} report the detention at night.",
                confidentiality=p.confidentiality,
            )
            events.append(e)
            cites.append(
                m.Citation(
                    case=case,
                    target_type="event",
                    target_id=e.id,
                    source=source,
                    quote=f"{full} was taken away by officers of a special unit",
                )
            )
    m.Person.objects.bulk_create(persons, batch_size=5000)
    m.NameVariant.objects.bulk_create(names, batch_size=5000)
    m.Event.objects.bulk_create(events, batch_size=5000)
    m.Citation.objects.bulk_create(cites, batch_size=5000)
    return case, surnames


def queries(surnames: list[str], count: int, seed: int = 9) -> list[str]:
    rnd = random.Random(seed)
    words = ["detentions", "arrests", "searches", "sentences", "officers", "relatives night"]
    out = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            out.append(rnd.choice(surnames))  # Cyrillic: found through transliteration
        elif kind == 1:
            out.append(rnd.choice(surnames).replace("ов", "овым"))  # another case ending
        elif kind == 2:
            out.append(rnd.choice(words))
        else:
            out.append(f"{rnd.choice(FIRST)} {rnd.choice(surnames)}")
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="docket-search-"))
    os.environ["DOCKET_DATABASE_URL"] = args.database or f"sqlite:///{tmp / 'search.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    os.chdir(tmp)
    import django

    django.setup()
    from django.core.management import call_command

    from docket.records.models import SearchEntry
    from docket.records.search import reindex, search

    call_command("migrate", verbosity=0)
    print(f"database: {os.environ['DOCKET_DATABASE_URL']}")
    start = time.perf_counter()
    case, surnames = build_case(args.size)
    print(f"build {args.size:,} persons (bulk insert)   {time.perf_counter() - start:8.2f} s")
    start = time.perf_counter()
    entries = reindex(case)
    print(f"reindex ({entries:,} texts)             {time.perf_counter() - start:8.2f} s")
    assert SearchEntry.objects.filter(case=case).count() == entries
    qs = queries(surnames, args.queries)
    for audience in ("internal", "public"):
        search(case, qs[0], audience=audience)  # warm: stemmer tables, name redaction cache
        times, found = [], 0
        for q in qs:
            start = time.perf_counter()
            hits = search(case, q, audience=audience)
            times.append((time.perf_counter() - start) * 1000)
            found += bool(hits)
        print(
            f"{audience:9} {len(qs)} queries: p50 {percentile(times, 0.5):7.1f} ms, "
            f"p95 {percentile(times, 0.95):7.1f} ms, max {max(times):7.1f} ms; "
            f"{found} with results"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
