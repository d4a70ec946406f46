"""`python -m docket.web.pgcheck URL`: exit 0 when the PostgreSQL server at URL answers.

The Makefile uses it so that a missing server is reported plainly instead of as a wall of
test errors.
"""

from __future__ import annotations

import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    cfg = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=cfg.get("HOST") or None,
            port=cfg.get("PORT") or None,
            user=cfg.get("USER") or None,
            password=cfg.get("PASSWORD") or None,
            dbname=cfg.get("NAME") or None,
            connect_timeout=5,
        ) as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        print(f"PostgreSQL at {url} is not reachable: {exc}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
