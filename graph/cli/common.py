"""Options and helpers every command module shares."""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from graph import display
from graph.query.terms import DEFAULT_GRAPH


def _lazy(name: str):
    """Module ``name``, loaded on first use: `nekg query` starts without the extraction stack."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)  # as `import graph.pipeline` would
    return module


pipeline = _lazy("graph.pipeline")
DEFAULT_OUT = DEFAULT_GRAPH.parent  # pipeline.DEFAULT_OUT, without loading it


def _progress(items: Sequence, label: str) -> Iterable:
    """A progress bar on stderr for long runs, only when stderr is a terminal."""
    if not sys.stderr.isatty() or len(items) < 20:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _graph_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A graph given as a build's output folder means the graph.ttl inside it."""
    if value is not None and Path(value).is_dir():
        return Path(value) / "graph.ttl"
    return value


def graph_option(
    help: str, *, default: Path | None = None, short: bool = False, keep_folder: bool = False
):
    """``--graph``, as every command that reads a written graph takes it: a Turtle, TriG or
    N-Triples file, or a build's output folder (meaning its graph.ttl).

    With ``keep_folder`` a folder is passed on as it is, for a command that names its
    output after it (``nekg html`` titles the page with the folder's name); the reader it
    calls takes the folder's graph.ttl."""
    names = ("-g", "--graph") if short else ("--graph",)
    return click.option(
        *names,
        "graph_file",
        default=default,
        show_default=default is not None,
        type=click.Path(path_type=Path),
        callback=None if keep_folder else _graph_file,
        help=help,
    )


# Options shared by several commands.
_aliases_option = click.option(
    "--aliases",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Curated alias table (default: seeds/aliases.tsv).",
)
_reject_option = click.option(
    "--reject",
    "rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Names never to extract, one per row: name, type, note "
    "(default: reject.tsv beside the alias table, if there is one).",
)


def _seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise click.BadParameter(f"{value} is not a number of seconds above 0, e.g. 60")
    return value


_out_option = click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder the graph and its store were built into.",
)


def _report_change(result: pipeline.BuildResult) -> None:
    for problem in result.validation.warnings if result.validation else ():
        from graph.rdf.validate import format_problem

        click.echo(format_problem(problem), err=True)
    for path in result.written:
        click.echo(f"wrote {display.shown(path)}")
    ex, counted = result.extraction, result.counts
    click.echo(
        f"{len(ex.articles)} articles, {counted.entities} entities, "
        f"{counted.facts} relations in {result.seconds:.1f} s"
    )
