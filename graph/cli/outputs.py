"""``nekg validate``, ``export`` and ``html``: checking a graph and writing it in other forms."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph import display
from graph.cli.common import (
    DEFAULT_OUT,
    _aliases_option,
    _graph_file,
    _reject_option,
    _seconds,
    _warn,
    graph_option,
)
from graph.files import is_stdout
from graph.query.guards import DEFAULT_TIMEOUT


@click.command("validate")
@click.argument(
    "graph_arg",
    metavar="[GRAPH]",
    required=False,
    type=click.Path(path_type=Path),
    callback=_graph_file,
)
@graph_option(
    "The graph to check: a Turtle, TriG or N-Triples file or a build's folder "
    "(default: out/graph.ttl). Given as GRAPH too, it must name the same file."
)
def validate_command(graph_arg: Path | None, graph_file: Path | None) -> None:
    """Check a graph (default: out/graph.ttl) against the SHACL shapes.

    Prints every violation and warning with the sentence behind it; exits 1
    if there is any violation.

    \b
    Examples:
      nekg validate
      nekg validate --graph out/news
      nekg validate out/news/graph.ttl
    """
    from graph.rdf import validate

    graph_file = _one_graph(graph_arg, graph_file)
    report = validate.validate_file(graph_file)
    for problem in report.problems:
        click.echo(validate.format_problem(problem))
    click.echo(validate.summary(report, str(graph_file)))
    if not report.conforms:
        sys.exit(1)


def _one_graph(positional: Path | None, option: Path | None) -> Path:
    """The graph named by GRAPH or ``--graph`` (default: out/graph.ttl); both must agree."""
    if positional is not None and option is not None and positional.resolve() != option.resolve():
        raise click.UsageError(
            f"two graphs given: GRAPH {display.shown(positional)} and --graph "
            f"{display.shown(option)}; give one of them"
        )
    return option or positional or DEFAULT_OUT / "graph.ttl"


@click.command("export")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@graph_option(
    "The Turtle graph to export (a build's folder means its graph.ttl).",
    default=DEFAULT_OUT / "graph.ttl",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["nt", "trig", "jsonld", "graphml", "gexf", "csv", "spacy"]),
    help="Output format (default: from the -o file name).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write, - for stdout (default: the graph's name with the format's suffix).",
)
@_aliases_option
@_reject_option
def export_command(
    inputs: tuple[Path, ...],
    graph_file: Path,
    fmt: str | None,
    output: str | None,
    aliases: Path | None,
    rejects: Path | None,
) -> None:
    """Export the graph as N-Triples, TriG, JSON-LD, GraphML, GEXF or CSV, or mentions for spaCy.

    TriG holds one named graph per article with the facts and evidence derived
    from it; GraphML and GEXF hold the entity network for Gephi; CSV holds the
    figures (numbers with units), one row a figure. spacy is made from the articles
    (INPUTS, default: seeds/), not the graph: a DocBin of their sentences with nekg's
    mentions as entities, for spacy train and spacy evaluate.

    \b
    Examples:
      nekg export --format trig -o out/graph.trig
      nekg export -o out/graph.gexf
      nekg export --format nt -o - | grep calb
      nekg export seeds/ -o out/train.spacy
    """
    from graph.outputs import export

    if fmt is None and (output is None or is_stdout(output)):
        raise click.UsageError("give --format or an -o FILE whose suffix names the format")
    fmt = fmt or export.format_for(Path(output))
    if fmt in export.ARTICLE_FORMATS:
        from graph.entities import spacy_component

        target = output or graph_file.with_suffix(export.ARTICLE_FORMATS[fmt])
        spacy_component.export_articles(inputs, target, aliases, rejects, warn=_warn)
        if not is_stdout(target):
            click.echo(f"wrote {display.shown(target)}")
        return
    if inputs or aliases or rejects:
        raise click.UsageError(
            f"articles, --aliases and --reject are for --format spacy only; {fmt} is made "
            "from --graph: leave them out"
        )
    target = output or graph_file.with_suffix(export.FORMATS[fmt][0])
    export.export(graph_file, fmt, target)
    if not is_stdout(target):
        click.echo(f"wrote {display.shown(target)}")


@click.command("html")
@graph_option(
    "The graph to draw (Turtle, N-Triples, RDF/XML, JSON-LD; a folder means its graph.ttl).",
    default=DEFAULT_OUT / "graph.ttl",
    keep_folder=True,
)
@click.option(
    "-q", "--query", help="A SPARQL CONSTRUCT, DESCRIBE or SELECT query: draw only its result."
)
@click.option(
    "-f",
    "--query-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from FILE.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The HTML file to write (- for stdout).",
)
@click.option(
    "--limit",
    default=2000,  # graph.html.DEFAULT_LIMIT (not imported: it loads numpy)
    show_default=True,
    type=click.IntRange(min=1),
    help="Draw at most this many nodes, the most connected ones.",
)
@click.option(
    "--articles", is_flag=True, help="Also draw the articles and the entities they mention."
)
@click.option("--title", help="The page heading.")
@click.option(
    "--timeout",
    type=float,
    default=DEFAULT_TIMEOUT,
    show_default=True,
    callback=_seconds,
    help="Seconds the query may take before it is stopped.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow SERVICE and LOAD in the query, which fetch data from the network.",
)
def html_command(
    graph_file: Path,
    query: str | None,
    query_file: Path | None,
    output: str,
    limit: int,
    articles: bool,
    title: str | None,
    timeout: float,
    allow_remote: bool,
) -> None:
    """Draw the graph, or the part of it a SPARQL query returns, as one offline HTML page.

    A CONSTRUCT or DESCRIBE result is drawn as is; a SELECT result draws the
    entities in its rows and the relations among them. The page needs no network.

    \b
    Examples:
      nekg html -o out/all.html
      nekg html -q 'CONSTRUCT { ?c nekg:locatedIn ?p } WHERE { ?c nekg:locatedIn ?p }' -o out/located.html
      nekg html -f chain.rq --articles -o out/chain.html
    """
    from graph.outputs import html

    if query is not None and query_file is not None:
        raise click.UsageError("give the query with --query or with -f FILE, not both")
    text = query_file.read_text(encoding="utf-8") if query_file is not None else query
    path = html.from_file(
        graph_file,
        output,
        query=text,
        title=title,
        limit=limit,
        include_articles=articles,
        warn=_warn,
        timeout=timeout,
        allow_remote=allow_remote,
    )
    if not is_stdout(path):
        click.echo(f"wrote {display.shown(path)}")
