"""Every command of the CLI is documented in the README (as sqlite-utils does)."""

from pathlib import Path

import typer.main

from mentions.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names += [f"{name} {sub}" for sub in subcommands]
        else:
            names.append(name)
    return sorted(names)


def test_every_command_is_in_the_readme():
    commands = _commands()
    assert {"demo", "run", "query", "classify"} <= set(commands)
    missing = [c for c in commands if f"mentions {c}" not in README]
    assert not missing, f"undocumented commands: {missing}"
