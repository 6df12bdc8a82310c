"""``nekg build``, ``add``, ``remove`` and ``serve``: making the graph and keeping it current."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph import display
from graph.cli.common import (
    DEFAULT_OUT,
    _aliases_option,
    _out_option,
    _progress,
    _reject_option,
    _report_change,
    _warn,
    pipeline,
)


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
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
    from graph.rdf.validate import InvalidGraph, format_problem

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


@click.command("add")
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
    from graph import grow

    _check_dask(dask, None)
    _report_change(
        grow.add(
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


@click.command("remove")
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
    from graph import grow

    _report_change(
        grow.remove(
            out, list(article_ids), aliases=aliases, progress=_progress, check=not no_validate
        )
    )


@click.command("serve")
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

    from graph import serve

    command = serve.serve_command(out, bind=bind, port=port, writable=writable)
    click.echo(f"serving {display.shown(out)} at http://{bind}:{port}/query", err=True)
    sys.stderr.flush()
    sys.stdout.flush()
    # The server's own errors as one line, without a Rust backtrace.
    os.execve(command[0], command, {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"})
