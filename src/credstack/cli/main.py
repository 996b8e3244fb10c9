"""The ``credstack`` command: one Typer app; each capability registers its commands."""

from __future__ import annotations

import importlib

import typer

from credstack import __version__

app = typer.Typer(
    name="credstack",
    help="Competency-based micro-credentials: registry, quality, alignment, badges.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines ``register(app)``; listed here so `credstack --help` shows them all.
COMMAND_MODULES = (
    "credstack.cli.registry",
    "credstack.cli.serve",
    "credstack.cli.quality",
    "credstack.cli.taxonomy",
    "credstack.cli.align",
    "credstack.cli.assess",
    "credstack.cli.badges",
    "credstack.cli.accounts",
    "credstack.cli.interop",
    "credstack.cli.review",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:  # capability not installed in this build
                continue
            raise
        module.register(app)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)


_register_all()
