"""Rendering the appeal at 1,000 and 10,000 persons, as PDF and DOCX (issue 6).

The synthetic case of scale.py (invented placeholder people, internal level) is written into
a fresh SQLite database; the appeal is rendered for the internal profile, so every person is
listed. Each stage is timed: reading the record, laying out the page, writing the format.

    python bench/reports.py [--sizes 1000,10000] [--formats pdf,docx] [--database URL]
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path


class Stages:
    """Told each stage as it begins (the ``step`` of ``make``); keeps how long each took."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.current = ""
        self.since = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        if self.current:
            self.times[self.current] = now - self.since
        self.current, self.since = stage, now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--formats", default="pdf,docx")
    parser.add_argument("--database", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="docket-reports-"))
    os.environ["DOCKET_DATABASE_URL"] = args.database or f"sqlite:///{tmp / 'reports.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    sys.path.insert(0, str(Path(__file__).parent))
    import django

    django.setup()
    import scale
    from django.core.management import call_command

    from docket.reports.render import Request, make

    call_command("migrate", verbosity=0)
    print(f"database: {os.environ['DOCKET_DATABASE_URL']}")
    day = datetime.date(2020, 5, 13)
    for size in [int(s) for s in args.sizes.split(",")]:
        case, n_events = scale.build_case(size)
        print(f"\nappeal, {size:,} persons, {n_events:,} events (internal profile):")
        for fmt in args.formats.split(","):
            stages = Stages()
            start = time.perf_counter()
            data = make(case, Request("appeal", profile="internal", as_of=day), fmt, step=stages)
            end = time.perf_counter()
            stages("")
            parts = ", ".join(f"{k.split()[0]} {v:.1f} s" for k, v in stages.times.items())
            print(
                f"  {fmt:5} {end - start:7.1f} s  {len(data) / 1e6:6.1f} MB  ({parts})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
