"""Docs are part of the product: the CLI reference is current and every command is in it."""

from __future__ import annotations

from pathlib import Path

import click

from docket.cli import cli
from docket.clidoc import reference

ROOT = Path(__file__).resolve().parents[1]


def test_the_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference(), "run: python -m docket.clidoc > docs/cli.md"


def test_every_command_and_option_explains_itself() -> None:
    def walk(group: click.Group, path: str) -> None:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None and command.help, f"{path} {name} has no help text"
            for param in command.params:
                if isinstance(param, click.Option):
                    assert param.help, f"{path} {name} {param.opts[0]} has no help text"
            if isinstance(command, click.Group):
                walk(command, f"{path} {name}")

    walk(cli, "docket")


def test_the_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:400]
    assert "make demo" in head and "make test" in head


def test_docs_the_readme_links_to_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if "](docs/" in line:
            target = line.split("](", 1)[1].split(")", 1)[0]
            assert (ROOT / target).is_file(), target
