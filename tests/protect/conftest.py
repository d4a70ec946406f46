"""Shared by the protection tests: the Korday case loaded, and the `docket` command run in
process with its output and exit code checked."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from docket.cli import cli
from docket.records.services import bundle_load
from tests.conftest import KORDAY


@pytest.fixture
def loaded() -> None:
    bundle_load(folder=KORDAY, actor="test")


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def ok(runner: CliRunner, *args: str) -> str:
    """The output of a command that must succeed."""
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    return result.output


def fails(runner: CliRunner, *args: str) -> str:
    """The output of a command that must fail with exit code 1 (a user's error)."""
    result = run(runner, *args)
    assert result.exit_code == 1, result.output
    return result.output
