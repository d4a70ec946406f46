"""The `docket` command as a user runs it: tables, JSON, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import cli

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_load_then_status_as_json(runner: CliRunner, synthetic_bundle: Path) -> None:
    assert "22 created" in _ok(runner, "load", str(synthetic_bundle))
    assert "22 unchanged" in _ok(runner, "load", str(synthetic_bundle))
    rows = json.loads(_ok(runner, "status", "--as-of", "2020-05-13", "--json"))
    p1 = next(r for r in rows if r["code"] == "P-1")
    assert p1["custody"] == "imprisoned" and p1["charges"] == ["KZ-CC-2014:272"]


def test_status_table_is_readable(runner: CliRunner, synthetic_bundle: Path) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    out = _ok(runner, "status", "--as-of", "13.05.2020")
    header, rule, *lines = out.splitlines()
    assert header.split() == [
        "CODE",
        "NAME",
        "BORN",
        "ETHNICITY",
        "CUSTODY",
        "SINCE",
        "STAGE",
        "CHARGES",
        "SOURCES",
    ]
    assert any(line.startswith("P-1 ") and "imprisoned" in line for line in lines)


def test_stats_as_json(runner: CliRunner, synthetic_bundle: Path) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    rows = json.loads(
        _ok(runner, "stats", "--as-of", "2020-02-09", "--by", "kind,custody", "--json")
    )
    assert {
        "kind": "group",
        "custody": "detained",
        "count": 20,
        "count_low": 18,
        "count_high": 22,
    } in rows
    table = _ok(runner, "stats", "--as-of", "2020-02-09", "--by", "kind")
    assert "18–22" in table
    events = json.loads(_ok(runner, "stats", "--of", "events", "--by", "type", "--json"))
    assert {
        "type": "release",
        "events": 2,
        "victims": 21,
        "victims_low": 19,
        "victims_high": 23,
    } in events
    series = json.loads(
        _ok(
            runner,
            "stats",
            "--series",
            "month",
            "--from",
            "2020-02",
            "--as-of",
            "2020-04-30",
            "--by",
            "in_custody",
            "--json",
        )
    )
    assert [r["date"] for r in series if r["in_custody"] == "yes"] == ["2020-03-31", "2020-04-30"]


def test_export_writes_a_bundle(runner: CliRunner, synthetic_bundle: Path, tmp_path: Path) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    out = tmp_path / "out"
    assert "Wrote 11 files" in _ok(runner, "export", "--format", "bundle", "--out", str(out))
    assert (out / "events.yaml").read_text().startswith("- code: E-1\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--as-of", "2020-02-30"], 'Error: --as-of: "2020-02-30" is not a date'),
        (["status", "--as-of", "2020-05"], "Error: --as-of:"),
        (
            ["stats", "--as-of", "2020-05-13", "--by", "colour"],
            'Error: cannot group persons by "colour"',
        ),
        (["stats", "--series", "week"], "Error: a series needs --from DATE"),
        (["export", "--out", "x", "--case", "nope"], 'Error: no case "nope"'),
        (["status"], "Error: the database holds no case yet"),
    ],
)
def test_errors_are_one_line_and_exit_1(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert "Traceback" not in result.output


def test_a_bad_bundle_lists_its_problems(runner: CliRunner, synthetic_bundle: Path) -> None:
    path = synthetic_bundle / "persons.yaml"
    path.write_text(path.read_text().replace("ethnicity: dungan", "ethnicity: dungn", 1))
    result = runner.invoke(cli, ["load", str(synthetic_bundle)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Error: nothing was loaded; 1 problem(s):"
    assert lines[1].startswith(
        '  persons.yaml: P-1: ethnicity: unknown ethnicity "dungn"; valid: dungan'
    )


def test_vocab_lists_terms_in_both_languages(runner: CliRunner) -> None:
    assert "ethnicities" in _ok(runner, "vocab")
    assert "pretrial_detention" in _ok(runner, "vocab", "custody_states")


def test_the_installed_command_runs_on_its_own_database(
    tmp_path: Path, synthetic_bundle: Path
) -> None:
    docket = Path(sys.executable).with_name("docket")
    db = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    run = subprocess.run(
        [str(docket), "--database", db, "load", str(synthetic_bundle)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    run = subprocess.run(
        [str(docket), "--database", db, "status", "--as-of", "2020-05-13", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert json.loads(run.stdout)[0]["code"] == "P-1"
    missing = subprocess.run(
        [str(docket), "--database", f"sqlite:///{tmp_path / 'empty.sqlite3'}", "status"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: the database has no Docket tables yet")


def test_timeline_in_every_format(
    runner: CliRunner, synthetic_bundle: Path, tmp_path: Path
) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    rows = json.loads(_ok(runner, "timeline", "--json"))
    assert rows[0]["code"] == "E-1" and rows[0]["date"] == "2020-02-08/2020-02-09"
    assert _ok(runner, "timeline", "--format", "md", "--lang", "ru").startswith("# Хронология")
    out = tmp_path / "chronology.html"
    assert f"Wrote {out}" in _ok(runner, "timeline", "--format", "html", "--out", str(out))
    assert out.read_text().startswith("<!doctype html>")
    table = _ok(runner, "timeline", "--type", "release")
    assert "E-2" in table and "E-8" in table and "E-1 " not in table


def test_disparity_table_and_json(runner: CliRunner, synthetic_bundle: Path) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    out = _ok(
        runner, "disparity", "--where", "ethnicity=dungan", "--by", "sex", "--as-of", "2020-05-13"
    )
    assert out.splitlines()[0].split() == ["SEX", "OUTCOME", "COUNT"]
    data = json.loads(
        _ok(
            runner,
            "disparity",
            "--where",
            "ethnicity=dungan",
            "--by",
            "sex",
            "--as-of",
            "2020-05-13",
            "--json",
            "--lang",
            "ru",
        )
    )
    assert set(data) >= {"table", "relative_risk", "test", "summary"}
    assert data["summary"].startswith("Из ")
    bad = runner.invoke(cli, ["disparity", "--where", "ethnicity"])
    assert bad.exit_code == 1 and "FIELD=VALUE" in bad.output


@pytest.mark.parametrize("name", ["custody", "detentions", "events"])
def test_charts_are_written_as_svg_and_png(
    runner: CliRunner, synthetic_bundle: Path, tmp_path: Path, name: str
) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    svg, png = tmp_path / f"{name}.svg", tmp_path / f"{name}.png"
    args = ["chart", name, "--from", "2020-02-01", "--as-of", "2020-05-13", "--step", "week"]
    _ok(runner, *args, "--out", str(svg), "--lang", "ru")
    _ok(runner, *args, "--out", str(png))
    assert svg.read_text().startswith("<?xml") and "Docket, дело" in svg.read_text()
    assert png.read_bytes().startswith(b"\x89PNG")


def test_custody_chart_counts_the_people_held(
    runner: CliRunner, synthetic_bundle: Path, tmp_path: Path
) -> None:
    from docket.records.services import case_get
    from docket.reports.charts import build

    _ok(runner, "load", str(synthetic_bundle))
    import datetime

    chart = build(
        case_get(), "custody", start=datetime.date(2020, 2, 1), end=datetime.date(2020, 4, 30)
    )
    assert chart.x_labels == ("2020-02-29", "2020-03-31", "2020-04-30")
    dungans = next(s for s in chart.series if s.label == "Dungans")
    assert dungans.values == (0, 1, 1)
    bad = runner.invoke(cli, ["chart", "events", "--from", "2020-02", "--out", "x.pdf"])
    assert bad.exit_code == 1 and ".svg or .png" in bad.output


def test_check_lists_findings_and_exits_0(runner: CliRunner, synthetic_bundle: Path) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    out = _ok(runner, "check")
    assert "[warning] uncited:" in out and out.rstrip().splitlines()[-1].endswith("warning")
    data = json.loads(_ok(runner, "check", "--json", "--kind", "figure_mismatch"))
    assert {f["kind"] for f in data} == {"figure_mismatch"}
    assert set(data[0]) == {"kind", "severity", "message", "records"}
    assert "Замечаний нет." in _ok(runner, "check", "--kind", "possible_duplicate", "--lang", "ru")


def test_person_add_prints_the_new_code(runner: CliRunner, synthetic_bundle: Path) -> None:
    from docket.records import models as m

    _ok(runner, "load", str(synthetic_bundle))
    out = _ok(
        runner,
        "person",
        "add",
        "--name",
        "Canary Zqx",
        "--confidentiality",
        "restricted",
        "--consent",
        "initials",
    )
    assert out.strip() == "P-0004"
    person = m.Person.objects.get(code="P-0004")
    assert (person.confidentiality, person.consent, person.review_state) == (
        "restricted",
        "initials",
        "draft",
    )
    assert m.Change.objects.filter(code="P-0004", action="create").exists()


def test_report_writes_each_document_and_says_what_is_wrong(
    runner: CliRunner, synthetic_bundle: Path, tmp_path: Path
) -> None:
    _ok(runner, "load", str(synthetic_bundle))
    requests = tmp_path / "requests.txt"
    requests.write_text("Release the detainees.\n\nInvestigate the torture.\n", encoding="utf-8")
    appeal = tmp_path / "appeal.md"
    out = _ok(
        runner,
        "report",
        "appeal",
        "--as-of",
        "2020-05-13",
        "--requests",
        str(requests),
        "--out",
        str(appeal),
    )
    assert f"Wrote {appeal}" in out
    text = appeal.read_text(encoding="utf-8")
    assert text.startswith("# Appeal") and "1. Investigate the torture." not in text
    assert "2. Investigate the torture." in text
    pdf = tmp_path / "dossier.pdf"
    _ok(
        runner,
        "report",
        "dossier",
        "--person",
        "P-1",
        "--profile",
        "internal",
        "--lang",
        "ru",
        "--out",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF-")
    sheet = tmp_path / "victims.xlsx"
    _ok(runner, "report", "victims", "--profile", "partner", "--out", str(sheet))
    assert sheet.read_bytes().startswith(b"PK")
    bad = runner.invoke(cli, ["report", "dossier", "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1 and "(--person CODE)" in bad.output
    assert not (tmp_path / "x.pdf").exists()
    bad = runner.invoke(cli, ["report", "appeal", "--format", "csv", "--out", str(tmp_path / "y")])
    assert bad.exit_code == 1 and "written as md, html, pdf, docx" in bad.output
