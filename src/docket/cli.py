"""The ``docket`` command: a thin layer over services and selectors.

Errors a user can cause are ``DocketError``s; they become one clear message and exit status
1, never a traceback.
"""

from __future__ import annotations

import functools
import getpass
import json
import os
import secrets
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
        from django.db.utils import OperationalError, ProgrammingError

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


@cli.command()
@handles_errors
def init() -> None:
    """Create the database tables (safe to run again: it only applies what is missing)."""
    _migrate()
    click.echo(f"Database ready: {_database_label()}")


def _print_report(report: Any) -> None:
    click.echo(
        f"Case {report.case}: {report.total('created')} created, "
        f"{report.total('updated')} updated, {report.total('unchanged')} unchanged."
    )


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@handles_errors
def load(folder: Path) -> None:
    """Load the case bundle in FOLDER: all of it, or nothing if any record is wrong.

    Loading the same bundle again changes nothing. Every problem is listed with its file,
    record and field.
    """
    from docket.records.services import bundle_load

    _migrate()
    report = bundle_load(folder=folder, actor=_actor())
    _print_report(report)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bundle"]),
    default="bundle",
    show_default=True,
    help="bundle: the folder of YAML files described in docs/bundle-format.md.",
)
@click.option("--case", "case_code", metavar="CODE", help="Case to export (default: the only one).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the bundle into (created if missing).",
)
@handles_errors
def export(fmt: str, case_code: str | None, out: Path) -> None:
    """Write a case out as a bundle folder that `docket load` reads back."""
    from docket.records.bundle import write_bundle
    from docket.records.selectors import bundle_export
    from docket.records.services import case_get

    case = case_get(case_code)
    files = write_bundle(out, bundle_export(case))
    click.echo(f"Wrote {len(files)} files to {out}")


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


@cli.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Day to report (2020-05-13); default today.")
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@handles_errors
def status(as_of: str | None, case_code: str | None, as_json: bool) -> None:
    """Custody and legal stage of every person as of a day, derived from their events."""
    from docket.records.selectors import status_rows
    from docket.records.services import case_get

    day = _as_of(as_of)
    rows = status_rows(case_get(case_code), day)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _table(
        rows,
        [
            ("code", "CODE"),
            ("name", "NAME"),
            ("birth_date", "BORN"),
            ("ethnicity", "ETHNICITY"),
            ("custody", "CUSTODY"),
            ("custody_since", "SINCE"),
            ("legal_stage", "STAGE"),
            ("charges", "CHARGES"),
            ("sources", "SOURCES"),
        ],
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


@cli.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Day to report (2020-05-13); default today.")
@click.option(
    "--of",
    "of",
    type=click.Choice(["persons", "events"]),
    default="persons",
    show_default=True,
    help="Count persons and counted groups (by status on the day), or events.",
)
@click.option(
    "--by",
    default=None,
    metavar="FIELD[,FIELD…]",
    help="Group by. Persons: kind, custody, in_custody, legal_stage, ethnicity, sex, citizenship, "
    "residence, article (default custody). Events: type, month, year, place (default type).",
)
@click.option(
    "--series",
    type=click.Choice(["week", "month"]),
    help="Persons only: repeat the count at the end of every week or month from --from to --as-of.",
)
@click.option(
    "--from", "date_from", metavar="DATE", help="Start of a series, or of the events counted."
)
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@_audience_option
@handles_errors
def stats(
    as_of: str | None,
    of: str,
    by: str | None,
    series: str | None,
    date_from: str | None,
    case_code: str | None,
    as_json: bool,
    audience: str,
) -> None:
    """Counts as of a day: persons and counted groups (by best, low and high size), or events."""
    from docket.core.dates import parse_date
    from docket.records import statistics as st
    from docket.records.services import case_get

    default = "custody" if of == "persons" else "type"
    fields = st.check_fields([f.strip() for f in (by or default).split(",") if f.strip()], of)
    day = _as_of(as_of)
    start = parse_date(date_from, where="--from").earliest if date_from else None
    if series and of == "events":
        raise DocketError("--series counts persons; for events group --by month or year")
    if series and start is None:
        raise DocketError("a series needs --from DATE (its first day)")
    case = case_get(case_code)
    if of == "events":
        rows = st.event_stats_rows(case, fields, audience=audience, date_from=start, date_to=day)
        columns = [*((f, f.upper()) for f in fields), ("events", "EVENTS"), ("victims", "VICTIMS")]
    elif series and start is not None:
        dates = st.period_ends(start, day, series)
        rows = st.series_rows(case, dates, fields, audience=audience)
        columns = [("date", "DATE"), *((f, f.upper()) for f in fields), ("count", "COUNT")]
    else:
        rows = st.stats_rows(case, day, fields, audience=audience)
        columns = [*((f, f.upper()) for f in fields), ("count", "COUNT"), ("range", "LOW–HIGH")]
        for row in rows:
            row_range = f"{row['count_low']}–{row['count_high']}"
            row["range"] = row_range if row["count_low"] != row["count_high"] else ""
    if as_json:
        for row in rows:
            row.pop("range", None)
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _table(rows, columns)


@cli.command()
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@click.option("--person", metavar="CODE", help="Only events of this person (P-0004).")
@click.option("--place", metavar="CODE", help="Only events at this place or inside it.")
@click.option(
    "--organization", metavar="CODE", help="Only events with this organization or a unit of it."
)
@click.option(
    "--type", "types", metavar="TYPE", multiple=True, help="Only this event type (repeatable)."
)
@click.option(
    "--from", "date_from", metavar="DATE", help="Only events that may end on or after DATE."
)
@click.option(
    "--to", "date_to", metavar="DATE", help="Only events that may begin on or before DATE."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "html"]),
    default="table",
    show_default=True,
    help="table for the terminal, md (Markdown with footnotes) or html (one page).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@_audience_option
@_lang_option
@handles_errors
def timeline(
    case_code: str | None,
    person: str | None,
    place: str | None,
    organization: str | None,
    types: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    fmt: str,
    as_json: bool,
    out: Path | None,
    audience: str,
    lang: str,
) -> None:
    """The chronology: events in date order with their sources as footnotes."""
    from docket.records.chronology import timeline as build
    from docket.records.services import case_get
    from docket.reports import timeline as render

    tl = build(
        case_get(case_code),
        audience=audience,
        lang=lang,
        person=person,
        place=place,
        organization=organization,
        types=types,
        date_from=date_from,
        date_to=date_to,
    )
    if as_json:
        text = json.dumps(tl.entries, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        text = render.markdown(tl)
    elif fmt == "html":
        text = render.html(tl)
    else:
        _table(
            [{**e, "sources": [s["footnote"] for s in e["sources"]]} for e in tl.entries],
            [
                ("date_text", "DATE"),
                ("code", "CODE"),
                ("type", "TYPE"),
                ("title", "TITLE"),
                ("sources", "NOTES"),
            ],
        )
        return
    _emit(text, out)


@cli.command()
@click.option("--event", metavar="CODE", help="Cohort: the people this event happened to (E-0006).")
@click.option(
    "--where",
    "where",
    metavar="FIELD=VALUE",
    multiple=True,
    help="Cohort (without --event): persons with ethnicity, sex, citizenship or residence "
    "equal to VALUE (repeatable).",
)
@click.option(
    "--by",
    default="ethnicity",
    show_default=True,
    help="Compare groups by: ethnicity, sex, citizenship, residence.",
)
@click.option(
    "--outcome",
    default="in_custody",
    show_default=True,
    metavar="OUTCOME",
    help="in_custody (held on --as-of), custody, legal_stage, or event:TYPE (a later event, "
    "e.g. event:charge).",
)
@click.option("--positive", metavar="VALUE", help="The custody or legal_stage value compared.")
@click.option("--exposed", metavar="VALUE", help="The group compared (default: highest share).")
@click.option(
    "--reference", metavar="VALUE", help="The group compared with (default: largest other)."
)
@click.option("--as-of", "as_of", metavar="DATE", help="Day the outcome is read (default today).")
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@_audience_option
@_lang_option
@handles_errors
def disparity(
    event: str | None,
    where: tuple[str, ...],
    by: str,
    outcome: str,
    positive: str | None,
    exposed: str | None,
    reference: str | None,
    as_of: str | None,
    case_code: str | None,
    as_json: bool,
    audience: str,
    lang: str,
) -> None:
    """Did a cohort's outcome differ by group? Table, relative risk, Fisher's exact test."""
    from docket.records.disparities import cohort_disparity
    from docket.records.services import case_get

    filters = {}
    for item in where:
        key, sep, value = item.partition("=")
        if not sep:
            raise DocketError(f'--where takes FIELD=VALUE, not "{item}"')
        filters[key.strip()] = value.strip()
    if event and filters:
        raise DocketError("choose the cohort either with --event or with --where, not both")
    day = _as_of(as_of)
    result, labels = cohort_disparity(
        case_get(case_code),
        by=by,
        as_of=day,
        event=event,
        where=filters,
        outcome=outcome,
        positive=positive,
        exposed=exposed,
        reference=reference,
        audience=audience,
    )
    if as_json:
        data = result.to_dict()
        data["summary"] = result.summary(lang, labels=labels[lang])
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    words = labels[lang]
    rows = [
        {"group": words.get(g, g), "outcome": words.get(o, o), "count": n}
        for g, o, n in result.table
    ]
    _table(rows, [("group", by.upper()), ("outcome", "OUTCOME"), ("count", "COUNT")])
    click.echo("")
    click.echo(result.summary(lang, labels=words))


@cli.command()
@click.argument("name", type=click.Choice(["custody", "detentions", "events"]))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: .svg or .png.",
)
@click.option("--from", "date_from", metavar="DATE", required=True, help="First day shown.")
@click.option("--as-of", "as_of", metavar="DATE", help="Last day shown (default today).")
@click.option(
    "--step",
    type=click.Choice(["week", "month"]),
    default="month",
    show_default=True,
    help="Period of the custody series and of the detention counts.",
)
@click.option(
    "--by",
    default="ethnicity",
    show_default=True,
    help="custody chart: stack by ethnicity, sex, citizenship or residence.",
)
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@_audience_option
@_lang_option
@handles_errors
def chart(
    name: str,
    out: Path,
    date_from: str,
    as_of: str | None,
    step: str,
    by: str,
    case_code: str | None,
    audience: str,
    lang: str,
) -> None:
    """Draw a chart: custody over time (stacked by --by), detentions per period, events by type."""
    from docket.core.charts import render
    from docket.core.dates import parse_date
    from docket.records.services import case_get
    from docket.records.statistics import check_fields
    from docket.reports.charts import build

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise DocketError(f"--out must end in .svg or .png, not {out.name!r}")
    check_fields([by])
    start = parse_date(date_from, where="--from").earliest
    if start is None:
        raise DocketError("--from needs a date")
    end = _as_of(as_of)
    figure = build(
        case_get(case_code),
        name,
        start=start,
        end=end,
        step=step,
        by=by,
        lang=lang,
        audience=audience,
    )
    out.write_bytes(render(figure, fmt))
    click.echo(f"Wrote {out}")


@cli.command()
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(
        ["uncited", "figure_mismatch", "contradiction", "impossible_sequence", "possible_duplicate"]
    ),
    help="Only findings of this kind (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@_lang_option
@handles_errors
def check(case_code: str | None, kinds: tuple[str, ...], as_json: bool, lang: str) -> None:
    """Where the record and its sources disagree: uncited records, figures the record counts
    differently, contradictions, impossible sequences, possible duplicates.

    Exits 0 whatever it finds: findings are for documenters to review, not failures.
    """
    from docket.records.consistency import findings
    from docket.records.services import case_get

    found = [f for f in findings(case_get(case_code)) if not kinds or f.kind in kinds]
    if as_json:
        click.echo(json.dumps([f.to_dict(lang) for f in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No findings." if lang == "en" else "Замечаний нет.")
        return
    for f in found:
        click.echo(f"[{f.severity}] {f.kind}: {f.text(lang)}")
    counts = {s: sum(1 for f in found if f.severity == s) for s in ("error", "warning", "info")}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items() if n))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@handles_errors
def verify(as_json: bool) -> None:
    """Prove the record untouched: recompute the hash chain of the change history, then
    compare every stored record with what the history says it became.

    Exits 0 when all holds, 1 with each problem (the first break first). See docs/integrity.md.
    """
    from docket.records.history import verify_history

    result = verify_history()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "changes": result.changes,
                    "records": result.records,
                    "ok": result.ok,
                    "problems": [p.to_dict() for p in result.problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif result.ok:
        click.echo(
            f"Verified: {result.changes} changes, chain intact, "
            f"{result.records} records match the history."
        )
    else:
        for problem in result.problems[:MAX_PROBLEMS]:
            click.echo(str(problem))
        if len(result.problems) > MAX_PROBLEMS:
            click.echo(f"… and {len(result.problems) - MAX_PROBLEMS} more")
        click.echo(
            f"NOT verified: {len(result.problems)} problem(s) in {result.changes} changes "
            f"and {result.records} records."
        )
    if not result.ok:
        sys.exit(1)


@cli.group()
def user() -> None:
    """Logins for the pages and the API, each with a role (docs/web.md, docs/api.md)."""


def _password() -> str:
    password = os.environ.get("DOCKET_PASSWORD")
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise DocketError("the password must have at least 10 characters")
    return password


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "reviewer", "documenter", "viewer"]),
    required=True,
    help="What the login may do: admin (everything), reviewer (verify), documenter (enter "
    "records), viewer (read as a partner).",
)
@handles_errors
def user_add(name: str, role: str) -> None:
    """Create login NAME with a role (an existing one gets the role and a new password).

    The password comes from $DOCKET_PASSWORD, or is asked for twice (hidden); at least 10
    characters.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from docket.web.roles import ROLES

    _migrate()
    password = _password()
    with transaction.atomic():
        account, created = get_user_model().objects.get_or_create(username=name)
        account.is_superuser = role == "admin"
        account.is_staff = role in ("admin", "reviewer", "documenter")
        account.set_password(password)
        account.save()
        account.groups.remove(*Group.objects.filter(name__in=ROLES))
        account.groups.add(Group.objects.get_or_create(name=role)[0])
    click.echo(f"{'Created' if created else 'Updated'} login {name!r} with role {role}.")


@user.command("token")
@click.argument("name")
@handles_errors
def user_token(name: str) -> None:
    """Print the API token of login NAME, creating it if it has none (docs/api.md)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    _migrate()
    account = get_user_model().objects.filter(username=name).first()
    if account is None:
        raise DocketError(f"no login {name!r}; create it with: docket user add {name} --role ROLE")
    token, _ = Token.objects.get_or_create(user=account)
    click.echo(token.key)


@cli.command()
@click.argument("query")
@_audience_option
@_lang_option
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many results.")
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@handles_errors
def search(
    query: str, audience: str, lang: str, limit: int, case_code: str | None, as_json: bool
) -> None:
    """Find persons (any spelling, Cyrillic or Latin), events and sources matching QUERY.

    Every word must match; word endings do not matter ("Дауровым" finds "Daurov"). Results are
    what AUDIENCE may see, people named only as their consent allows.
    """
    from dataclasses import asdict

    from docket.records.search import search as run_search
    from docket.records.services import case_get

    _migrate()
    hits = run_search(case_get(case_code), query, audience=audience, lang=lang, limit=limit)
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    _table(
        [asdict(h) for h in hits],
        [("kind", "KIND"), ("code", "CODE"), ("title", "TITLE"), ("snippet", "MATCH")],
    )


@cli.command()
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@handles_errors
def reindex(case_code: str | None) -> None:
    """Rebuild the search index of a case from its records (loads and edits keep it current)."""
    from docket.records.search import reindex as run_reindex
    from docket.records.services import case_get

    _migrate()
    case = case_get(case_code)
    click.echo(f"Indexed {run_reindex(case)} texts of case {case.code}.")


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {out}")


@cli.command()
@click.argument("name", required=False)
def vocab(name: str | None) -> None:
    """List the vocabularies, or the terms of vocabulary NAME with their labels."""
    from docket.core import vocab as v

    if not name:
        for n in v.names():
            click.echo(f"{n:22} {v.vocabulary(n).labels.get('en', '')}")
        return
    try:
        voc = v.vocabulary(name)
    except DocketError as exc:
        raise click.ClickException(str(exc)) from exc
    for term in voc.terms:
        click.echo(f"{term.code:22} {term.label('en')} / {term.label('ru')}")


def demo_folder() -> Path:
    """The demo case bundle shipped in the repository."""
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        candidate = base / "cases" / DEMO_CASE
        if (candidate / "case.yaml").is_file():
            return candidate
    raise DocketError(f"cannot find cases/{DEMO_CASE}; run this from the Docket checkout")


def _demo_user() -> tuple[str, str]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    password = secrets.token_urlsafe(9)
    user, _ = user_model.objects.get_or_create(username="demo")
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return "demo", password


@cli.command()
@click.option("--no-serve", is_flag=True, help="Only create the database and load the case.")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@handles_errors
def demo(no_serve: bool, port: int) -> None:
    """Create the database, load the Korday 2020 case and serve it on 127.0.0.1."""
    from docket.records.services import bundle_load

    _migrate()
    report = bundle_load(folder=demo_folder(), actor=_actor())
    _print_report(report)
    if no_serve:
        return
    username, password = _demo_user()
    click.echo(f"\nDocket is serving the demo case at http://127.0.0.1:{port}/")
    click.echo(f"Log in as user {username!r} with password {password!r} (new on every start).")
    click.echo("Stop with Ctrl-C.\n")
    _serve(port)


def _serve(port: int) -> None:
    """Serve with Waitress, a production WSGI server, on the loopback interface only."""
    import waitress

    from docket.web.wsgi import application

    try:
        waitress.serve(application, host="127.0.0.1", port=port, threads=8, _quiet=True)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    except OSError as exc:
        raise DocketError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}; try --port") from exc


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@handles_errors
def serve(port: int) -> None:
    """Serve the record (Django admin) on http://127.0.0.1:PORT/."""
    _migrate()
    click.echo(f"Serving at http://127.0.0.1:{port}/")
    click.echo("Create a login with: docket user add NAME --role admin")
    _serve(port)


def main() -> None:
    cli(prog_name="docket")


if __name__ == "__main__":
    main()
