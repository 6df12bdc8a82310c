"""``nekg query`` and ``nekg queries``: SPARQL over a graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph import display
from graph.cli.common import _seconds, graph_option
from graph.files import is_stdout, write_output
from graph.query import engine as querying
from graph.query import guards as query_guards
from graph.query import named as query_named
from graph.query import params as query_params
from graph.query import results


@click.command("query", epilog=query_guards.LIMITS_HELP)
@click.argument("query_text", metavar="QUERY", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Read the query from this UTF-8 file (- for stdin).",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter: an entity name (常州), an IRI or prefix:name (repeatable).",
)
@graph_option("Query this Turtle/TriG/N-Triples file (default: out/graph.ttl).", short=True)
@click.option(
    "-e", "--endpoint", metavar="URL", help="Query this remote SPARQL endpoint instead of a file."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(results.FORMATS + tuple(results.ALIASES), case_sensitive=False),
    metavar="FORMAT",
    help="table (default), csv, tsv, json, xml; turtle, ntriples, jsonld for CONSTRUCT/DESCRIBE.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the results to this file (format from its extension unless --format; - for stdout).",
)
@click.option("--labels", is_flag=True, help="Show entity names instead of IRIs.")
@click.option(
    "--update",
    "allow_update",
    is_flag=True,
    help="Allow a SPARQL UPDATE (it changes the graph file or endpoint).",
)
@click.option(
    "--timeout",
    type=float,
    default=query_guards.DEFAULT_TIMEOUT,
    show_default=True,
    callback=_seconds,
    help="Seconds a query, update or endpoint request may take before it is stopped.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow SERVICE and LOAD, which fetch data from the network (within --timeout).",
)
def query_command(
    query_text: str | None,
    query_file: str | None,
    params: tuple[str, ...],
    graph_file: Path | None,
    endpoint: str | None,
    fmt: str | None,
    output: str | None,
    labels: bool,
    allow_update: bool,
    timeout: float,
    allow_remote: bool,
) -> None:
    """Ask the graph a SPARQL question: QUERY is text, a .rq file, - for stdin, or a name.

    Reads out/graph.ttl unless --graph or --endpoint. Named queries (see
    `nekg queries`) take parameters; a Chinese name is resolved to its entity.
    Updates are refused unless --update is given. Results are printed as they
    come; a table shows at most 10,000 rows, cut to the terminal's width.

    \b
    Examples:
      nekg query companies-in --param place=常州 --labels
      nekg query 'SELECT ?c WHERE { ?c a nekg:Company }' --format csv
      nekg query -f mine.rq --graph other.trig -o rows.json
      nekg query about -p entity=中创新航 --endpoint http://localhost:7878/query
    """
    reads_stdin = query_text == "-" or query_file == "-"
    stdin = sys.stdin.buffer.read() if reads_stdin else None
    file_text = None
    if query_file == "-":
        file_text = query_guards.decode_query(stdin or b"", "stdin")
    elif query_file is not None:
        file_text = query_guards.read_query_file(query_file)
    text, named = query_named.request(query_text, file_text, stdin=stdin)
    source = querying.open_source(graph_file, endpoint, timeout, allow_remote=allow_remote)
    answer = querying.run(
        source,
        text,
        query_params.parse_param_options(params),
        declared=named.params if named else None,
        name=named.name if named else "the query",
        allow_update=allow_update,
        stream=True,
    )
    if isinstance(answer, str):
        click.echo(answer)
        return
    fmt = fmt.lower() if fmt else (results.format_for(output) if output else None)
    answer, count = results.counted(answer)
    to_stdout = output is None or is_stdout(output)
    chunks = results.render_chunks(
        answer,
        fmt,
        labels=source.labels_of if labels and answer.form == "SELECT" else None,
        width=results.terminal_width() if output is None else None,
    )
    if to_stdout:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    write_output(output, "".join(chunks))
    unit = {"ASK": "answer", "CONSTRUCT": "triples", "DESCRIBE": "triples"}.get(answer.form, "rows")
    size = 1 if answer.form == "ASK" else count.count
    click.echo(f"wrote {display.shown(output)} ({size} {unit})", err=True)


@click.command("queries")
@click.argument("name", required=False)
def queries_command(name: str | None) -> None:
    """List the named queries, or show the text of one.

    \b
    Examples:
      nekg queries
      nekg queries companies-in
    """
    if name:
        click.echo(query_named.named_query(name).text, nl=False)
        return
    rows = querying.describe_queries()
    width = [max(results.display_width(row[i]) for row in rows) for i in range(2)]
    for qname, usage, description in rows:
        click.echo(
            f"{results.pad(qname, width[0])}  {results.pad(usage, width[1])}  {description}".rstrip()
        )
