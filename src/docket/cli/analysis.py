"""Commands that read the record: status, statistics, chronology, disparity, checks, charts,
search."""

from __future__ import annotations

import json
from pathlib import Path

import click

from docket.cli import (
    _as_of,
    _audience_option,
    _emit,
    _lang_option,
    _migrate,
    _table,
    cli,
    handles_errors,
)
from docket.core.errors import DocketError


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
