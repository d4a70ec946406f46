"""What encryption at rest costs: the same work on a plain and on an SQLCipher-encrypted SQLite
database, with the ratio encrypted / plain (issue 5). Nothing here asserts on time.

Each database is measured in its own process (one Django database per process): loading the
Korday case and a synthetic case through ``bundle_load`` (invented placeholder people, as in
run.py), a 10,000-person case written straight into the tables (scale.py's ``build_case``),
the status query (``status_rows``) on each, and opening a connection — which, encrypted, costs
SQLCipher's key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations) every time.

    python bench/encryption.py [--persons 500] [--scale 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PASSPHRASE = "bench passphrase, not a secret"
DAY = datetime.date(2020, 5, 13)
VARIANTS = ("plain", "unkeyed", "encrypted")


def best(func: Any, repeat: int, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """The result of the last run and the fastest of ``repeat`` runs, in seconds."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return result, min(times)


def measure(variant: str, folder: Path, persons: int, scale: int, repeat: int) -> dict[str, Any]:
    """One variant, in this process: returns seconds per step."""
    sys.path.insert(0, str(BENCH))
    os.environ["DOCKET_DATABASE_URL"] = f"sqlite:///{folder / f'{variant}.sqlite3'}"
    os.environ.setdefault("DOCKET_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    os.chdir(folder)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from docket.records.sqlcipher import passphrase

    if variant != "plain":  # as `docket init --encrypt` does it
        from docket.records.sqlcipher import base

        passphrase.hold(PASSPHRASE)
        base.use_for_default()
        if variant == "unkeyed":  # the same SQLite library, without encryption
            base.key_connection = lambda conn, secret: None
    import run as bench_run
    import scale as bench_scale

    from docket.records.selectors import status_rows
    from docket.records.services import bundle_load, case_get

    out: dict[str, Any] = {"engine": settings.DATABASES["default"]["ENGINE"]}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    out["migrate"] = time.perf_counter() - start

    def reopen() -> None:
        connection.close()
        connection.ensure_connection()

    _, out["open connection"] = best(reopen, repeat)
    synthetic = folder / f"synthetic-{variant}"
    bench_run.synthetic_bundle(synthetic, persons)
    for name, bundle in (("korday", ROOT / "cases" / "korday-2020"), ("synthetic", synthetic)):
        start = time.perf_counter()
        report = bundle_load(folder=bundle, actor="bench")
        out[f"{name}: load"] = time.perf_counter() - start
        case = case_get(report.case)
        rows, out[f"{name}: status"] = best(status_rows, repeat, case, DAY)
        out[f"{name}: persons"] = len(rows)
    start = time.perf_counter()
    case, _ = bench_scale.build_case(scale)
    out[f"scale {scale}: bulk insert"] = time.perf_counter() - start
    rows, out[f"scale {scale}: status"] = best(status_rows, repeat, case, DAY)
    out[f"scale {scale}: persons"] = len(rows)
    out["sqlite"] = connection.connection.execute("SELECT sqlite_version()").fetchone()[0]
    connection.close()
    path = folder / f"{variant}.sqlite3"
    out["file bytes"] = path.stat().st_size
    out["encrypted file"] = not path.read_bytes()[:16].startswith(b"SQLite format 3")
    assert out["encrypted file"] == (variant == "encrypted"), variant
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=500, help="synthetic bundle size")
    parser.add_argument("--scale", type=int, default=10000, help="bulk-inserted case size")
    parser.add_argument("--repeat", type=int, default=3, help="status runs; the best counts")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:  # the child: measure one database, print JSON
        figures = measure(args.variant, args.folder, args.persons, args.scale, args.repeat)
        print(json.dumps(figures))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="docket-bench-encryption-"))
    results: dict[str, dict[str, Any]] = {}
    for variant in VARIANTS:
        child = subprocess.run(
            [sys.executable, __file__, "--variant", variant, "--folder", str(folder)]
            + ["--persons", str(args.persons), "--scale", str(args.scale)]
            + ["--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return 1
        results[variant] = json.loads(child.stdout.strip().splitlines()[-1])
    plain, unkeyed, encrypted = (results[v] for v in VARIANTS)
    print(f"databases in {folder}:")
    print(f"  plain      stdlib sqlite3, SQLite {plain['sqlite']}")
    print(f"  unkeyed    sqlcipher3 without a key (not encrypted), SQLite {unkeyed['sqlite']}")
    print(f"  encrypted  sqlcipher3 with a passphrase (SQLCipher 4), SQLite {encrypted['sqlite']}")
    print(
        f"\n  {'':30} {'plain':>11} {'unkeyed':>11} {'encrypted':>11}"
        f" {'enc/plain':>10} {'enc/unkeyed':>12}"
    )
    ratios: dict[str, list[float]] = {"plain": [], "unkeyed": []}
    for key, value in plain.items():
        if key in ("engine", "sqlite", "encrypted file") or key.endswith("persons"):
            continue
        cells = [unkeyed[key], encrypted[key]]
        to_plain, to_unkeyed = encrypted[key] / value, encrypted[key] / unkeyed[key]
        if key == "file bytes":
            shown = [f"{v:>11,}" for v in (value, *cells)]
        else:
            shown = [f"{v * 1000:8.1f} ms" for v in (value, *cells)]
            if key.endswith(("load", "status", "insert")):
                ratios["plain"].append(to_plain)
                ratios["unkeyed"].append(to_unkeyed)
        print(f"  {key:30} {' '.join(shown)} {to_plain:9.2f}x {to_unkeyed:11.2f}x")
    print(
        f"\n  persons: korday {plain['korday: persons']}, synthetic "
        f"{plain['synthetic: persons']}, scale {plain[f'scale {args.scale}: persons']}"
    )
    print(
        "  geometric mean of the load, insert and status ratios: "
        f"encrypted/plain {geomean(ratios['plain']):.2f}x, "
        f"encrypted/unkeyed {geomean(ratios['unkeyed']):.2f}x"
    )
    return 0


def geomean(values: list[float]) -> float:
    return statistics.geometric_mean(values) if values else float("nan")


if __name__ == "__main__":
    sys.exit(main())
