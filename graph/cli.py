"""The ``nekg`` command line: each command parses options, calls one library function, prints.

Errors from the library (:class:`graph.errors.NekgError`) become one line on stderr
and exit code 1; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from graph import __version__, pipeline
from graph.errors import NekgError


class _Group(click.Group):
    """A click group that turns library errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NekgError as exc:
            raise click.ClickException(str(exc)) from None
        except UnicodeDecodeError as exc:
            raise click.ClickException(f"cannot decode input as {exc.encoding}: {exc.reason}") from None
        except OSError as exc:
            name = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{name}{exc.strerror or exc}") from None


def _progress(items: Sequence, label: str) -> Iterable:
    """A progress bar on stderr for long runs, only when stderr is a terminal."""
    if not sys.stderr.isatty() or len(items) < 20:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nekg")
def cli() -> None:
    """nekg: turn Chinese regional-industry news into a knowledge graph.

    Every fact keeps the article, sentence and character offsets that state it.
    """


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=pipeline.DEFAULT_OUT, show_default=True, help="Folder to write the outputs into.")
@click.option("--aliases", type=click.Path(dir_okay=False, path_type=Path), help="Curated alias table (default: the one in seeds/).")
@click.option("--skip-bad", is_flag=True, help="Warn about unreadable input files and go on without them.")
def build(inputs: tuple[Path, ...], out: Path, aliases: Path | None, skip_bad: bool) -> None:
    """Build the graph from articles (files or folders; default: seeds/).

    Reads .txt/.md (one article each) and .jsonl (one per line) in UTF-8,
    UTF-16 or GB18030, and writes graph.ttl and its views into OUT.

    \b
    Examples:
      nekg build
      nekg build news/ extra.jsonl -o out/news
    """
    result = pipeline.build(
        inputs or pipeline.DEFAULT_INPUTS,
        out,
        aliases=aliases,
        skip_bad=skip_bad,
        warn=_warn,
        progress=_progress,
    )
    for path in result.written:
        click.echo(f"wrote {path}")
    ex = result.extraction
    empty = len({a.id for a in ex.articles} - {m.article_id for m in ex.mentions})
    note = f" ({empty} with no entities)" if empty and ex.mentions else ""
    click.echo(
        f"{len(ex.articles)} articles{note}, {len(ex.sentences)} sentences, "
        f"{len(ex.entities)} entities, {len(ex.relations)} relations in {result.seconds:.1f} s"
    )


def main() -> None:
    """Entry point of the ``nekg`` console script."""
    cli(prog_name="nekg")
