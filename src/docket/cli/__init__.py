"""The ``docket`` command: a thin layer over services and selectors.

Errors a user can cause are ``DocketError``s; they become one clear message and exit status
1, never a traceback.
"""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from docket.core.errors import BundleError, DocketError

F = TypeVar("F", bound=Callable[..., Any])
DEMO_CASE = "korday-2020"
MAX_PROBLEMS = 40


def _setup(database: str | None) -> None:
    """Point Django at the chosen database and start it (once per process)."""
    if database:
        os.environ["DOCKET_DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def handles_errors(func: F) -> F:
    """Turn domain and database errors into a message and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from django.db.utils import DatabaseError, OperationalError, ProgrammingError

        try:
            return func(*args, **kwargs)
        except BundleError as exc:
            click.echo(f"Error: nothing was loaded; {len(exc.problems)} problem(s):", err=True)
            for problem in exc.problems[:MAX_PROBLEMS]:
                click.echo(f"  {problem}", err=True)
            if len(exc.problems) > MAX_PROBLEMS:
                click.echo(f"  … and {len(exc.problems) - MAX_PROBLEMS} more", err=True)
            sys.exit(1)
        except DocketError as exc:
            raise click.ClickException(str(exc)) from exc
        except (OperationalError, ProgrammingError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if "no such table" in first or "does not exist" in first:
                raise click.ClickException(
                    f"the database has no Docket tables yet ({first}); run: docket init"
                ) from exc
            raise click.ClickException(f"database error: {first}") from exc
        except DatabaseError as exc:  # SQLCipher: a wrong key reads as "file is not a database"
            if "file is not a database" not in str(exc):
                raise
            raise click.ClickException(
                "the database cannot be read: wrong passphrase, or not a database file"
            ) from exc

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docket")
@click.option(
    "--database",
    envvar="DOCKET_DATABASE_URL",
    metavar="URL",
    help="sqlite:///path/file.sqlite3 or postgresql://user@host:port/db. "
    "Default: $DOCKET_DATABASE_URL, else docket.sqlite3 in the current folder.",
)
def cli(database: str | None) -> None:
    """Docket: a sourced record of persecution, and the appeals made from it.

    Start with `docket demo` to load and serve the Korday 2020 case, or `docket init`
    then `docket load FOLDER` for your own case bundle (see docs/bundle-format.md).
    """
    _setup(database)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"]:
        return f"SQLite file {db['NAME']}"
    return f"PostgreSQL database {db['NAME']} on {db.get('HOST') or 'localhost'}"


def _print_report(loaded: Any) -> None:
    click.echo(
        f"Case {loaded.case}: {loaded.total('created')} created, "
        f"{loaded.total('updated')} updated, {loaded.total('unchanged')} unchanged."
    )


def _as_of(value: str | None) -> Any:
    import datetime

    from docket.core.dates import to_date

    return datetime.date.today() if not value else to_date(value, where="--as-of")


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> None:
    def cell(row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return "" if value is None else str(value)

    widths = [max([len(title)] + [len(cell(r, key)) for r in rows]) for key, title in columns]
    click.echo(
        "  ".join(title.ljust(w) for (_, title), w in zip(columns, widths, strict=True)).rstrip()
    )
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo(
            "  ".join(
                cell(row, key).ljust(w) for (key, _), w in zip(columns, widths, strict=True)
            ).rstrip()
        )


def _audience_option(func: F) -> F:
    return click.option(
        "--audience",
        type=click.Choice(["public", "partner", "internal", "restricted"]),
        default="internal",
        show_default=True,
        help="Who the output is for: it shows only records cleared for them, and names people "
        "only as their consent allows (public, partner).",
    )(func)


def _lang_option(func: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["en", "ru"]),
        default="en",
        show_default=True,
        help="Language of labels and dates.",
    )(func)


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {out}")


def main() -> None:
    cli(prog_name="docket")


# The commands register themselves on ``cli`` when their modules are imported.
from docket.cli import analysis, encryption, protect, record, report  # noqa: E402, F401

if __name__ == "__main__":
    main()
