"""Build docs/cli.md from the commands' own --help, so the reference cannot drift.

python -m docket.clidoc > docs/cli.md      (tests/test_docs.py checks it is current)
"""

from __future__ import annotations

import click

from docket.cli import cli

INTRO = """# The `docket` command

This page is generated from `docket --help` by `python -m docket.clidoc > docs/cli.md`;
`make test` fails when it is out of date.
"""


def reference() -> str:
    parts = [INTRO]
    ctx = click.Context(
        cli, info_name="docket", terminal_width=88, max_content_width=88, **cli.context_settings
    )
    parts.append(f"## docket\n\n```\n{cli.get_help(ctx)}\n```\n")
    parts.extend(_commands(cli, ctx, "docket"))
    return "\n".join(parts)


def _commands(group: click.Group, ctx: click.Context, path: str) -> list[str]:
    """Every command under ``group``, subcommands of subgroups included."""
    out = []
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        assert command is not None
        sub = click.Context(command, info_name=name, parent=ctx)
        out.append(f"## {path} {name}\n\n```\n{command.get_help(sub)}\n```\n")
        if isinstance(command, click.Group):
            out.extend(_commands(command, sub, f"{path} {name}"))
    return out


if __name__ == "__main__":
    print(reference(), end="")
