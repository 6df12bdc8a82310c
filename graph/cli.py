"""The ``nekg`` command line: each command parses options, calls one library function, prints.

Errors from the library (:class:`graph.errors.NekgError`) become one line on stderr
and exit code 1; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from graph import __version__, display, pipeline, results
from graph import query as querying
from graph.errors import NekgError
from graph.files import is_stdout, write_output


class _Group(click.Group):
    """A click group that turns library errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NekgError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except UnicodeDecodeError as exc:
            raise click.ClickException(
                f"cannot decode input as {exc.encoding}: {exc.reason}"
            ) from None
        except OSError as exc:
            name = f"{display.shown(exc.filename)}: " if exc.filename else ""
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


def _graph_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A graph given as a build's output folder means the graph.ttl inside it."""
    if value is not None and Path(value).is_dir():
        return Path(value) / "graph.ttl"
    return value


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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nekg")
def cli() -> None:
    """nekg: turn Chinese regional-industry news into a knowledge graph.

    Every fact keeps the article, sentence and character offsets that state it.
    """


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=pipeline.DEFAULT_OUT,
    show_default=True,
    help="Folder to write the outputs into.",
)
@_aliases_option
@_reject_option
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Warn about each unreadable file, .jsonl line, manifest row or taken id; go on without it.",
)
@click.option(
    "--no-validate",
    "--force",
    "no_validate",
    is_flag=True,
    help="Write the graph even if it breaks the SHACL shapes (ontology/shapes.ttl).",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Write an empty graph when no article can be read (default: refuse, keep OUT).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes that recognize articles in parallel (default: the cores available; "
    "1 runs in this process). The output is the same for every value.",
)
@click.option(
    "--dask",
    metavar="SCHEDULER",
    help="Recognize articles on a Dask cluster: a scheduler address (tcp://HOST:8786), or "
    "'local' for --jobs worker processes here. Needs nekg[dask]; the output is the same.",
)
def build(
    inputs: tuple[Path, ...],
    out: Path,
    aliases: Path | None,
    rejects: Path | None,
    skip_bad: bool,
    no_validate: bool,
    allow_empty: bool,
    jobs: int | None,
    dask: str | None,
) -> None:
    """Build the graph from articles (files or folders; default: seeds/).

    Reads .txt/.md (one article each) and .jsonl (one per line) in UTF-8,
    UTF-16, GB18030 or Big5, and writes graph.ttl and its views into OUT, replacing the
    previous build's files all together (other files in OUT are left alone). When no
    article can be read, OUT is left as it was unless --allow-empty is given.

    \b
    Examples:
      nekg build
      nekg build news/ extra.jsonl -o out/news
    """
    from graph.parallel import available_cores
    from graph.validate import InvalidGraph, format_problem

    _check_dask(dask, jobs)
    try:
        result = pipeline.build(
            inputs or pipeline.DEFAULT_INPUTS,
            out,
            aliases=aliases,
            rejects=rejects,
            skip_bad=skip_bad,
            warn=_warn,
            progress=_progress,
            check=not no_validate,
            allow_empty=allow_empty,
            jobs=jobs or available_cores(),
            dask=dask,
        )
    except InvalidGraph as exc:
        shown = exc.report.problems[:20]
        for problem in shown:
            click.echo(format_problem(problem), err=True)
        if len(exc.report.problems) > len(shown):
            click.echo(f"... and {len(exc.report.problems) - len(shown)} more", err=True)
        raise
    for problem in result.validation.warnings if result.validation else ():
        click.echo(format_problem(problem), err=True)
    for path in result.written:
        click.echo(f"wrote {display.shown(path)}")
    ex, counted = result.extraction, result.counts
    empty = len({a.id for a in ex.articles} - {m.article_id for m in ex.mentions})
    note = f" ({empty} with no entities)" if empty and ex.mentions else ""
    click.echo(
        f"{len(ex.articles)} articles{note}, {len(ex.sentences)} sentences, "
        f"{counted.entities} entities, {counted.facts} relations in {result.seconds:.1f} s"
    )


def _check_dask(dask: str | None, jobs: int | None) -> None:
    """--jobs sizes a local cluster only: a scheduler's workers are started apart."""
    if dask is not None and dask != "local" and jobs is not None:
        raise click.UsageError(
            "--jobs sets the workers of --dask local only; the workers of a Dask scheduler "
            "are those started with `dask worker SCHEDULER` (leave out --jobs)"
        )
    if dask is not None and not dask.strip():
        raise click.UsageError("--dask needs a scheduler address (tcp://HOST:8786) or 'local'")


@cli.command("eval")
@click.argument("gold", required=False, type=click.Path(path_type=Path))
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(path_type=Path),
    callback=_graph_file,
    help="Evaluate this written graph (out/graph.ttl, or the folder out/) instead of running "
    "the pipeline on INPUTS.",
)
@_aliases_option
@_reject_option
@click.option(
    "--doc",
    "docs",
    multiple=True,
    metavar="ID",
    help="Score only this article (repeatable; default: every article the gold names).",
)
@click.option(
    "--cluener",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also score entity recognition on a CLUENER-format span file.",
)
@click.option(
    "--finre",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also score partnersWith/subsidiaryOf per company pair on a FinRE-format file.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="LABEL=Type",
    help="Map a CLUENER label to a nekg type (repeatable; default company=Company, government=Organization, address=Place).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--min-f1",
    type=click.FloatRange(0, 1),
    help="Exit 1 when the micro F1 of entities, relations or exact spans is below this.",
)
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=20,
    show_default=True,
    help="List at most this many misses and false positives per section (0: all).",
)
@click.option(
    "--by-rule",
    is_flag=True,
    help="Score per rule id instead: how many entities and facts each recognizer and "
    "relation rule got right and wrong (docs/rules.md).",
)
def eval_command(
    gold: Path | None,
    inputs: tuple[Path, ...],
    graph_file: Path | None,
    aliases: Path | None,
    rejects: Path | None,
    docs: tuple[str, ...],
    cluener: Path | None,
    finre: Path | None,
    mapping: tuple[str, ...],
    fmt: str,
    min_f1: float | None,
    limit: int,
    by_rule: bool = False,
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
      nekg eval --finre valid.txt
    """
    from graph import cluener as cluener_eval
    from graph import evaluate as evaluation

    if gold is None and cluener is None and finre is None:
        raise click.UsageError(
            "give a GOLD folder or --cluener FILE or --finre FILE to evaluate against"
        )
    if graph_file is not None and inputs:
        raise click.UsageError("give either --graph or INPUTS, not both")
    if gold is None and (inputs or graph_file or docs):
        raise click.UsageError("INPUTS, --graph and --doc need a GOLD folder")
    if mapping and cluener is None:
        raise click.UsageError("--map applies to --cluener; add --cluener FILE")
    if by_rule and (gold is None or cluener is not None or finre is not None):
        raise click.UsageError(
            "--by-rule scores a GOLD folder; give one, without --cluener/--finre"
        )
    report = evaluation.Report()
    if by_rule:
        from graph import eval_rules

        report, rules = eval_rules.evaluate_folder(
            gold, graph=graph_file, inputs=inputs, aliases=aliases, docs=docs or None
        )
    elif gold is not None:
        report += evaluation.evaluate_folder(
            gold,
            graph=graph_file,
            inputs=inputs,
            aliases=aliases,
            rejects=rejects,
            docs=docs or None,
        )
    if cluener is not None:
        labels = cluener_eval.parse_mapping(mapping) if mapping else None
        report += cluener_eval.evaluate_ner(cluener, mapping=labels, aliases=aliases)
    if finre is not None:
        from graph.finre import evaluate_finre

        report += evaluate_finre(finre, aliases=aliases)
    if by_rule:
        text = eval_rules.format_json(rules) if fmt == "json" else None
        click.echo(text or eval_rules.format_table(rules, limit=limit or None), nl=False)
    elif fmt == "json":
        click.echo(evaluation.format_json(report), nl=False)
    else:
        click.echo(evaluation.format_report(report, limit=limit or None), nl=False)
    failing = report.below(min_f1) if min_f1 is not None else []
    if failing:
        raise click.ClickException(
            "; ".join(
                f"{s.name} micro F1 {s.total.f1:.3f} is below --min-f1 {min_f1:g}" for s in failing
            )
        )


@cli.command("candidates")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(path_type=Path),
    help="Read this written graph (a file, or a build's folder) instead of running on INPUTS.",
)
@_aliases_option
@_reject_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the TSV to this file instead of stdout (- is stdout).",
)
@click.option(
    "--skip-bad", is_flag=True, help="Warn about unreadable input files and go on without them."
)
def candidates_command(
    inputs: tuple[Path, ...],
    graph_file: Path | None,
    aliases: Path | None,
    rejects: Path | None,
    output: str | None,
    skip_bad: bool,
) -> None:
    """List the entities the alias table does not hold, as rows to paste into it.

    Each TSV row is id, type, name, aliases, external (the table's columns), then
    a # cell after which the table ignores the rest: mentions, articles, methods,
    article ids and one evidence sentence. Most mentioned first. Copy a row into
    the alias table to accept the entity, or its name into reject.tsv to drop it.

    \b
    Examples:
      nekg candidates
      nekg candidates news/ -o candidates.tsv
      nekg candidates --graph out/
    """
    from graph import curation

    if graph_file is not None and inputs:
        raise click.UsageError("give either --graph or INPUTS, not both")
    rows, table = curation.find_candidates(
        inputs, graph=graph_file, aliases=aliases, rejects=rejects, skip_bad=skip_bad, warn=_warn
    )
    text = curation.candidate_tsv(rows)
    if output is None or is_stdout(output):
        click.echo(text, nl=False)
    else:
        write_output(output, text)
        click.echo(f"wrote {display.shown(output)}", err=True)
    where = table.path or "no alias table"
    click.echo(f"{len(rows)} entities not in {where}", err=True)


@cli.command("validate")
@click.argument(
    "graph_file",
    metavar="[GRAPH]",
    required=False,
    default=pipeline.DEFAULT_OUT / "graph.ttl",
    type=click.Path(path_type=Path),
    callback=_graph_file,
)
def validate_command(graph_file: Path) -> None:
    """Check a graph (default: out/graph.ttl) against the SHACL shapes.

    Prints every violation and warning with the sentence behind it; exits 1
    if there is any violation.

    \b
    Examples:
      nekg validate
      nekg validate out/news/graph.ttl
    """
    from graph import validate

    report = validate.validate_file(graph_file)
    for problem in report.problems:
        click.echo(validate.format_problem(problem))
    click.echo(validate.summary(report, str(graph_file)))
    if not report.conforms:
        sys.exit(1)


@cli.command("export")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--graph",
    "graph_file",
    default=pipeline.DEFAULT_OUT / "graph.ttl",
    show_default=True,
    type=click.Path(path_type=Path),
    callback=_graph_file,
    help="The Turtle graph to export (a build's folder means its graph.ttl).",
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
    from graph import export

    if fmt is None and (output is None or is_stdout(output)):
        raise click.UsageError("give --format or an -o FILE whose suffix names the format")
    fmt = fmt or export.format_for(Path(output))
    if fmt in export.ARTICLE_FORMATS:
        from graph import spacy_component

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


def _seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise click.BadParameter(f"{value} is not a number of seconds above 0, e.g. 60")
    return value


@cli.command("query", epilog=querying.LIMITS_HELP)
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
@click.option(
    "-g",
    "--graph",
    "graph_file",
    type=click.Path(path_type=Path),
    help="Query this Turtle/TriG/N-Triples file (default: out/graph.ttl).",
)
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
    default=querying.DEFAULT_TIMEOUT,
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
        file_text = querying.decode_query(stdin or b"", "stdin")
    elif query_file is not None:
        file_text = querying.read_query_file(query_file)
    text, named = querying.request(query_text, file_text, stdin=stdin)
    source = querying.open_source(graph_file, endpoint, timeout, allow_remote=allow_remote)
    answer = querying.run(
        source,
        text,
        querying.parse_param_options(params),
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


@cli.command("queries")
@click.argument("name", required=False)
def queries_command(name: str | None) -> None:
    """List the named queries, or show the text of one.

    \b
    Examples:
      nekg queries
      nekg queries companies-in
    """
    if name:
        click.echo(querying.named_query(name).text, nl=False)
        return
    rows = querying.describe_queries()
    width = [max(results.display_width(row[i]) for row in rows) for i in range(2)]
    for qname, usage, description in rows:
        click.echo(
            f"{results.pad(qname, width[0])}  {results.pad(usage, width[1])}  {description}".rstrip()
        )


@cli.command("html")
@click.option(
    "--graph",
    "graph_file",
    default=pipeline.DEFAULT_OUT / "graph.ttl",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The graph to draw (Turtle, N-Triples, RDF/XML, JSON-LD; a folder means its graph.ttl).",
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
def html_command(
    graph_file: Path,
    query: str | None,
    query_file: Path | None,
    output: str,
    limit: int,
    articles: bool,
    title: str | None,
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
    from graph import html

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
    )
    if not is_stdout(path):
        click.echo(f"wrote {display.shown(path)}")


_out_option = click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=pipeline.DEFAULT_OUT,
    show_default=True,
    help="Folder the graph and its store were built into.",
)


def _report_change(result: pipeline.BuildResult) -> None:
    for problem in result.validation.warnings if result.validation else ():
        from graph.validate import format_problem

        click.echo(format_problem(problem), err=True)
    for path in result.written:
        click.echo(f"wrote {display.shown(path)}")
    ex, counted = result.extraction, result.counts
    click.echo(
        f"{len(ex.articles)} articles, {counted.entities} entities, "
        f"{counted.facts} relations in {result.seconds:.1f} s"
    )


@cli.command("add")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_out_option
@_aliases_option
@click.option("--replace", is_flag=True, help="Replace articles whose id is already in the graph.")
@click.option(
    "--skip-bad", is_flag=True, help="Warn about each unreadable input; go on without it."
)
@click.option("--no-validate", "no_validate", is_flag=True, help="Skip the SHACL check.")
@click.option(
    "--dask",
    metavar="SCHEDULER",
    help="Recognize the new articles on a Dask cluster (a scheduler address, or 'local'), "
    "as `nekg build --dask` does.",
)
def add_command(
    inputs: tuple[Path, ...],
    out: Path,
    aliases: Path | None,
    replace: bool,
    skip_bad: bool,
    no_validate: bool,
    dask: str | None,
) -> None:
    """Add articles to a built graph: only they are read; every output is rewritten.

    The result is byte for byte what `nekg build` of all the articles writes. An
    article whose id is already in the graph is refused unless --replace.

    \b
    Examples:
      nekg add today/ -o out
      nekg add fixed.txt --replace
    """
    from graph import store

    _check_dask(dask, None)
    _report_change(
        store.add(
            out,
            list(inputs),
            aliases=aliases,
            replace=replace,
            skip_bad=skip_bad,
            warn=_warn,
            progress=_progress,
            check=not no_validate,
            dask=dask,
        )
    )


@cli.command("remove")
@click.argument("article_ids", metavar="ARTICLE_ID...", nargs=-1, required=True)
@_out_option
@_aliases_option
@click.option("--no-validate", "no_validate", is_flag=True, help="Skip the SHACL check.")
def remove_command(
    article_ids: tuple[str, ...], out: Path, aliases: Path | None, no_validate: bool
) -> None:
    """Remove articles from a built graph by id (the manifest id, else the file name).

    Their mentions and evidence go, and so do facts and entities left without any; every
    output is rewritten as a build of the remaining articles would write it.

    \b
    Example:
      nekg remove 003_07c0f74417fcbfb6 -o out
    """
    from graph import store

    _report_change(
        store.remove(
            out, list(article_ids), aliases=aliases, progress=_progress, check=not no_validate
        )
    )


@cli.command("serve")
@_out_option
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--writable",
    is_flag=True,
    help="Accept SPARQL updates (they change the store only, until the next add, remove or build).",
)
def serve_command(out: Path, port: int, bind: str, writable: bool) -> None:
    """Serve the graph in OUT as a SPARQL 1.1 endpoint (Oxigraph), read-only by default.

    Queries go to http://BIND:PORT/query. Stop it with Ctrl-C; restart it after
    `nekg add` or `nekg remove` to serve the new graph.

    \b
    Example:
      nekg serve -o out --port 7878 &
      nekg query companies-in -p place=常州 --endpoint http://127.0.0.1:7878/query
    """
    import os

    from graph import store

    command = store.serve_command(out, bind=bind, port=port, writable=writable)
    click.echo(f"serving {display.shown(out)} at http://{bind}:{port}/query", err=True)
    sys.stderr.flush()
    sys.stdout.flush()
    # The server's own errors as one line, without a Rust backtrace.
    os.execve(command[0], command, {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"})


def main() -> None:
    """Entry point of the ``nekg`` console script."""
    cli(prog_name="nekg")
