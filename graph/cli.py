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


@cli.command("eval")
@click.argument("gold", required=False, type=click.Path(path_type=Path))
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path), help="Evaluate this written graph (e.g. out/graph.ttl) instead of running the pipeline on INPUTS.")
@click.option("--aliases", type=click.Path(dir_okay=False, path_type=Path), help="Curated alias table for the pipeline run (default: the one in seeds/).")
@click.option("--doc", "docs", multiple=True, metavar="ID", help="Score only this article (repeatable; default: every article the gold names).")
@click.option("--cluener", type=click.Path(dir_okay=False, path_type=Path), help="Also score entity recognition on a CLUENER-format span file.")
@click.option("--map", "mapping", multiple=True, metavar="LABEL=Type", help="Map a CLUENER label to a nekg type (repeatable; default company=Company, government=Organization, address=Place).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@click.option("--min-f1", type=click.FloatRange(0, 1), help="Exit 1 when the micro F1 of entities, relations or exact spans is below this.")
@click.option("--limit", type=click.IntRange(0), default=20, show_default=True, help="List at most this many misses and false positives per section (0: all).")
def eval_command(
    gold: Path | None,
    inputs: tuple[Path, ...],
    graph_file: Path | None,
    aliases: Path | None,
    docs: tuple[str, ...],
    cluener: Path | None,
    mapping: tuple[str, ...],
    fmt: str,
    min_f1: float | None,
    limit: int,
) -> None:
    """Measure extraction quality against your own annotations in GOLD.

    GOLD is a folder with entities.jsonl and/or relations.jsonl (format in the
    README). The graph comes from --graph, or from running the pipeline on
    INPUTS (default: seeds/). Prints precision, recall and F1 per type and per
    relation, then every miss and false positive with its sentence.

    \b
    Examples:
      nekg eval gold/ --graph out/graph.ttl
      nekg eval gold/ news/ --min-f1 0.6
      nekg eval --cluener dev.json --map company=Company --map address=Place
    """
    from graph import evaluate as evaluation

    if gold is None and cluener is None:
        raise click.UsageError("give a GOLD folder or --cluener FILE to evaluate against")
    if graph_file is not None and inputs:
        raise click.UsageError("give either --graph or INPUTS, not both")
    if gold is None and (inputs or graph_file or docs):
        raise click.UsageError("INPUTS, --graph and --doc need a GOLD folder")
    if mapping and cluener is None:
        raise click.UsageError("--map applies to --cluener; add --cluener FILE")
    report = evaluation.Report()
    if gold is not None:
        report += evaluation.evaluate_folder(gold, graph=graph_file, inputs=inputs, aliases=aliases, docs=docs or None)
    if cluener is not None:
        labels = evaluation.parse_mapping(mapping) if mapping else None
        report += evaluation.evaluate_ner(cluener, mapping=labels, aliases=aliases)
    if fmt == "json":
        click.echo(evaluation.format_json(report), nl=False)
    else:
        click.echo(evaluation.format_report(report, limit=limit or None), nl=False)
    failing = report.below(min_f1) if min_f1 is not None else []
    if failing:
        raise click.ClickException("; ".join(f"{s.name} micro F1 {s.total.f1:.3f} is below --min-f1 {min_f1:g}" for s in failing))


def main() -> None:
    """Entry point of the ``nekg`` console script."""
    cli(prog_name="nekg")
