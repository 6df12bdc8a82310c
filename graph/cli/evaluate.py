"""``nekg eval`` and ``nekg candidates``: measuring extraction, growing the alias table."""

from __future__ import annotations

from pathlib import Path

import click

from graph import display
from graph.cli.common import _aliases_option, _reject_option, _warn, graph_option
from graph.files import is_stdout, write_output


@click.command("eval")
@click.argument("gold", required=False, type=click.Path(path_type=Path))
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@graph_option(
    "Evaluate this written graph (out/graph.ttl, or the folder out/) instead of running "
    "the pipeline on INPUTS."
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
    from graph.eval import cluener as cluener_eval
    from graph.eval import evaluate as evaluation
    from graph.eval import report as eval_report
    from graph.eval import score as eval_score

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
    report = eval_score.Report()
    if by_rule:
        from graph.eval import by_rule as eval_rules

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
        from graph.eval.finre import evaluate_finre

        report += evaluate_finre(finre, aliases=aliases)
    if by_rule:
        text = eval_rules.format_json(rules) if fmt == "json" else None
        click.echo(text or eval_rules.format_table(rules, limit=limit or None), nl=False)
    elif fmt == "json":
        click.echo(eval_report.format_json(report), nl=False)
    else:
        click.echo(eval_report.format_report(report, limit=limit or None), nl=False)
    failing = report.below(min_f1) if min_f1 is not None else []
    if failing:
        raise click.ClickException(
            "; ".join(
                f"{s.name} micro F1 {s.total.f1:.3f} is below --min-f1 {min_f1:g}" for s in failing
            )
        )


@click.command("candidates")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@graph_option("Read this written graph (a file, or a build's folder) instead of running on INPUTS.")
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
    from graph.entities import curation
    from graph.eval.candidates import find_candidates

    if graph_file is not None and inputs:
        raise click.UsageError("give either --graph or INPUTS, not both")
    rows, table = find_candidates(
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
