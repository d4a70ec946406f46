"""Render time of the person list and the person page with 10,000 persons (issue 4).

The synthetic case (invented placeholder people) is written with bulk inserts (bench/scale.py);
pages are requested through Django's test client as a documenter, so the figures are server
time: query, status derivation, template rendering.

    python bench/pages.py [--persons 10000] [--runs 30] [--database URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="docket-pages-"))
    os.environ["DOCKET_DATABASE_URL"] = args.database or f"sqlite:///{tmp / 'pages.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    os.environ["DOCKET_ALLOWED_HOSTS"] = "testserver"
    os.chdir(tmp)
    import django

    django.setup()
    import scale
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    case, events = scale.build_case(args.persons)
    print(f"database: {os.environ['DOCKET_DATABASE_URL']}")
    print(f"{args.persons:,} persons, {events:,} events")
    user = get_user_model().objects.create_user("bench")
    user.groups.add(Group.objects.get_or_create(name="documenter")[0])
    client = Client()
    client.force_login(user)
    pages = {
        "person list (page 1, as of 2020-05-13)": "/persons/?as_of=2020-05-13",
        "person list filtered (custody)": "/persons/?as_of=2020-05-13&custody=imprisoned",
        "person page": "/persons/P-000001/?as_of=2020-05-13",
        "overview": "/?as_of=2020-05-13",
    }
    for label, url in pages.items():
        runs = args.runs if "overview" not in label else max(3, args.runs // 10)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        print(
            f"  {label:40} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms"
            f"   mean {statistics.mean(times):8.1f} ms  ({runs} runs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
