"""``docket report``: advocacy documents generated from the record."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docket.cli import _as_of, _lang_option, cli, handles_errors

KINDS = ("appeal", "chronology", "dossier", "communication", "victims")
FORMATS = ("md", "html", "pdf", "docx", "csv", "xlsx")


@cli.command()
@click.argument("kind", type=click.Choice(KINDS))
@_lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from the --out file's ending, else md; victims: csv).",
)
@click.option(
    "--profile",
    type=click.Choice(["public", "partner", "internal"]),
    default="public",
    show_default=True,
    help="Who it is for: public and partner outputs leave out what is not cleared for them and "
    "name people only as their consent allows; internal is for the team.",
)
@click.option("--as-of", "as_of", metavar="DATE", help="Day the document speaks of; default today.")
@click.option(
    "--person", metavar="CODE", help="The person of a dossier, communication or chronology."
)
@click.option("--place", metavar="CODE", help="A chronology of this place (and places inside it).")
@click.option(
    "--requests",
    "requests_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Text file with the requests of an appeal or communication, one per paragraph.",
)
@click.option(
    "--submitter",
    metavar="CODE",
    help="Organization submitting a communication (named in internal outputs only).",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Your own templates folder, looked in before Docket's (see docs/reports.md).",
)
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write.",
)
@handles_errors
def report(
    kind: str,
    lang: str,
    fmt: str | None,
    profile: str,
    as_of: str | None,
    person: str | None,
    place: str | None,
    requests_file: Path | None,
    submitter: str | None,
    templates: Path | None,
    case_code: str | None,
    out: Path,
) -> None:
    """Write an advocacy document made from the record, with footnotes from its citations.

    \b
    KIND is one of:
      appeal         summary figures as of --as-of, chronology, persons, compensation, requests
      chronology     of the case, or of --person / --place
      dossier        one --person on a few printable pages, with a signature line
      communication  to UN special procedures about one --person
      victims        one row per prosecution of one person (csv or xlsx)

    \b
    Example:
      docket report appeal --as-of 2020-05-13 --lang ru --out appeal-ru.pdf
    """
    from docket.records.services import case_get
    from docket.reports.render import STAGES, Request, make

    fmt = fmt or _format_of(out, kind)
    req = Request(
        kind=kind,
        profile=profile,
        lang=lang,
        as_of=_as_of(as_of) if as_of or kind != "chronology" else None,
        person=person,
        place=place,
        requests=requests_file.read_text(encoding="utf-8") if requests_file else "",
        submitter=submitter or "",
    )
    case = case_get(case_code)
    with click.progressbar(
        length=STAGES,
        label=f"{kind} ({profile}, {lang}, {fmt})",
        file=sys.stderr,
    ) as bar:

        def step(stage: str) -> None:
            bar.label = f"{kind}: {stage}"
            bar.update(1)

        data = make(case, req, fmt, templates=templates, step=step)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data):,} bytes)")


def _format_of(out: Path, kind: str) -> str:
    ending = out.suffix.lower().lstrip(".")
    if ending in FORMATS:
        return ending
    return "csv" if kind == "victims" else "md"
