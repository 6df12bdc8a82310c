"""The whole story in one screen: articles -> normalize -> entities -> relations -> rdf -> outputs.

>>> from pathlib import Path
>>> result = run([Path("tests/data/seeds/articles")])
>>> len(result.articles)
5
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from graph import parallel
from graph.entities import curation
from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.entities.resolve import article_homes
from graph.errors import NekgError
from graph.figures import extract as extract_figures
from graph.outputs import export, html
from graph.rdf import build as rdf
from graph.rdf import validate
from graph.rdf import write as rdf_write
from graph.rdf.counts import Counts, count
from graph.records import Article, ArticleRecord, Extraction
from graph.relations import extract as relations
from graph.text.articles import read_articles
from graph.text.normalize import split_sentences

DEFAULT_INPUTS = (Path("seeds"),)
DEFAULT_OUT = Path("out")

Warn = Callable[[str], None]
Progress = Callable[[Sequence, str], Iterable]


def _no_progress(items: Sequence, label: str) -> Iterable:
    return items


class _Clock:
    """Adds the seconds since the last lap to ``timings[stage]``; nothing when it is None."""

    __slots__ = ("last", "timings")

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.timings is None:
            return
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def recognize_articles(
    articles: Iterable[Article],
    table: AliasTable,
    progress: Progress = _no_progress,
    warn: Warn | None = None,
    *,
    jobs: int = 1,
    dask: str | None = None,
    timings: dict[str, float] | None = None,
) -> list[ArticleRecord]:
    """The per-article stages: split each article into sentences and find its mentions.

    ``jobs`` > 1 runs them in that many worker processes (:mod:`graph.parallel`); ``dask``
    (a scheduler's address, or ``"local"`` for a cluster of ``jobs`` workers) runs them on
    Dask workers (:mod:`graph.dask_build`). The records are the same either way.
    """
    articles = list(articles)
    clock = _Clock(timings)
    if dask is not None or (jobs > 1 and len(articles) > 1):
        if dask is not None:
            found = _dask_build().recognize_all(articles, table, dask, jobs, progress)
        else:
            found = parallel.recognize_all(articles, table, jobs, progress)
        records = [
            ArticleRecord(article, tuple(sentences), tuple(mentions))
            for article, (sentences, mentions) in zip(articles, found, strict=True)
        ]
        clock.lap("split + recognize")
        return records
    records = []
    for article in progress(articles, "reading"):
        found = split_sentences(article.id, article.text, warn)
        clock.lap("split")
        records.append(
            ArticleRecord(article, tuple(found), tuple(entities.recognize(found, table)))
        )
        clock.lap("recognize")
    return records


class DaskMissing(NekgError):
    """``--dask`` was asked for but dask.distributed is not installed."""


def _dask_build():
    try:
        from graph import dask_build
    except ModuleNotFoundError as exc:
        if exc.name not in {"dask", "distributed"} and not str(exc.name).startswith("dask."):
            raise
        raise DaskMissing(
            "--dask needs dask.distributed, which is not installed: pip install 'nekg[dask]'"
        ) from None
    return dask_build


def finish(
    records: Iterable[ArticleRecord],
    table: AliasTable,
    rejected: curation.RejectList | None = None,
    warn: Warn | None = None,
    timings: dict[str, float] | None = None,
) -> Extraction:
    """The corpus-wide stages over per-article records: resolution, the reject list,
    relations and figures.

    Records are taken in article-id order, so the result does not depend on the order
    they arrive in (a build, or a store that grew by ``nekg add``).
    """
    clock = _Clock(timings)
    records = sorted(records, key=lambda r: r.article.id)
    sentences = [s for r in records for s in r.sentences]
    mentions = [m for r in records for m in r.mentions]
    homes = article_homes(mentions, table, sentences)
    mentions, resolved = entities.resolve(mentions, table, homes)
    if rejected is not None:
        mentions, resolved = curation.apply_rejects(rejected, mentions, resolved, warn)
    clock.lap("resolve")
    facts = relations.extract(sentences, mentions, resolved, homes)
    clock.lap("relations")
    articles = [r.article for r in records]
    found = extract_figures(articles, sentences, mentions, homes, {e.id for e in resolved})
    clock.lap("figures")
    return Extraction(
        tuple(articles),
        tuple(sentences),
        tuple(mentions),
        tuple(resolved),
        tuple(facts),
        tuple(homes[a] for a in sorted(homes)),
        tuple(found),
    )


def run(
    inputs: Iterable[Path] = DEFAULT_INPUTS,
    *,
    aliases: Path | None = None,
    rejects: Path | None = None,
    skip_bad: bool = False,
    warn: Warn | None = None,
    progress: Progress = _no_progress,
    jobs: int = 1,
    dask: str | None = None,
    timings: dict[str, float] | None = None,
) -> Extraction:
    """Read ``inputs`` and extract everything the text states, with evidence.

    The names of the reject list (``rejects``, default ``reject.tsv`` beside the alias
    table) are removed after resolution: no entity, mention or fact carries them.
    ``jobs`` > 1 recognizes the articles in that many worker processes, ``dask`` on a Dask
    cluster (the result is the same for every ``jobs`` and ``dask``; see
    :func:`recognize_articles`); ``timings``, when given, gets the seconds of each stage.
    """
    return _extract(inputs, aliases, rejects, skip_bad, warn, progress, jobs, timings, dask)[1]


def _extract(
    inputs: Iterable[Path],
    aliases: Path | None,
    rejects: Path | None,
    skip_bad: bool,
    warn: Warn | None,
    progress: Progress,
    jobs: int,
    timings: dict[str, float] | None,
    dask: str | None = None,
) -> tuple[list[ArticleRecord], Extraction, AliasTable]:
    """Read, recognize and finish: the records (for the store), the extraction, the table."""
    clock = _Clock(timings)
    articles = read_articles(inputs, skip_bad=skip_bad, warn=warn)
    table = entities.load_table(aliases)
    rejected = curation.rejects_for(rejects, aliases)
    clock.lap("read")
    records = recognize_articles(
        articles, table, progress, warn, jobs=jobs, dask=dask, timings=timings
    )
    return records, finish(records, table, rejected, warn, timings), table


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What ``build`` did: the extraction, the files it wrote, how long it took.

    ``counts`` are the entities and facts of the graph as written (see :mod:`graph.counts`).
    """

    extraction: Extraction
    written: tuple[Path, ...]
    seconds: float
    validation: validate.Report | None = None
    counts: Counts | None = None


class NothingRead(NekgError):
    """A build found no article to read; the output folder was left as it was."""


def _names(inputs: Sequence[Path]) -> str:
    shown = ", ".join(str(p) for p in inputs[:3])
    return shown + (f" and {len(inputs) - 3} more" if len(inputs) > 3 else "")


def outputs(
    graph: Graph,
    timings: dict[str, float] | None = None,
    nodes: rdf.MentionNodes | None = None,
) -> dict[str, str | bytes]:
    """Every file a build writes, by name: the graph and its views.

    ``nodes`` are the mention nodes ``graph`` leaves out (:class:`graph.rdf.build.MentionNodes`):
    the files are those of one graph holding both (the page draws no mention node).
    """
    mentions = nodes.per_entity() if nodes is not None else None
    writers = {
        "graph.ttl": ("Turtle", lambda g: rdf_write.to_turtle_bytes(g, nodes)),
        "graph.graphml": ("GraphML", lambda g: export.to_graphml(g, mentions)),
        "graph.html": ("HTML", html.draw),
    }
    clock, written = _Clock(timings), {}
    for name, (stage, write) in writers.items():
        written[name] = write(graph)
        clock.lap(stage)
    return written


def build(
    inputs: Iterable[Path] = DEFAULT_INPUTS,
    out: Path = DEFAULT_OUT,
    *,
    aliases: Path | None = None,
    rejects: Path | None = None,
    skip_bad: bool = False,
    warn: Warn | None = None,
    progress: Progress = _no_progress,
    check: bool = True,
    allow_empty: bool = False,
    jobs: int = 1,
    dask: str | None = None,
    timings: dict[str, float] | None = None,
) -> BuildResult:
    """Run the pipeline and replace the graph and its views in ``out``, all together.

    With ``check`` the graph is validated against the SHACL shapes first and nothing is
    written if it breaks them (:class:`graph.validate.InvalidGraph`). When no article
    could be read, nothing is written either (:class:`NothingRead`) unless ``allow_empty``.
    The files are replaced together (:func:`graph.files.replace_outputs`): an interrupted
    build leaves the previous build's files. ``jobs``, ``dask`` and ``timings`` are as for
    :func:`run`.
    """
    started = time.perf_counter()
    inputs = list(inputs)
    records, extraction, table = _extract(
        inputs, aliases, rejects, skip_bad, warn, progress, jobs, timings, dask
    )
    if not extraction.articles and not allow_empty:
        how = "fix the files warned about above" if skip_bad else "give .txt, .md or .jsonl files"
        raise NothingRead(
            f"no article could be read from {_names(inputs)}; {out} left as it was "
            f"({how}, or give --allow-empty to write an empty graph)"
        )
    written, report, counted = publish(
        out, records, extraction, table, check=check, timings=timings
    )
    return BuildResult(extraction, tuple(written), time.perf_counter() - started, report, counted)


def publish(
    out: Path,
    records: Sequence[ArticleRecord],
    extraction: Extraction,
    table: AliasTable,
    *,
    check: bool = True,
    timings: dict[str, float] | None = None,
) -> tuple[list[Path], validate.Report | None, Counts]:
    """Write the graph of ``extraction`` and its views into ``out``, and the store beside them.

    Builds, ``nekg add`` and ``nekg remove`` all write through here, so the same articles
    give the same bytes however they arrived. See :func:`graph.store.save`.
    """
    from graph import store  # the store reads records back through this module

    clock = _Clock(timings)
    # Over half the triples are mention nodes: they stay records, made into triples batch
    # by batch for the shapes and subject by subject for the files and the store.
    graph = rdf.to_graph(extraction, mention_nodes=False)
    nodes = rdf.MentionNodes(extraction)
    clock.lap("RDF graph")
    report = validate.check(graph, nodes) if check else None
    clock.lap("SHACL")
    files = outputs(graph, timings, nodes)
    clock = _Clock(timings)
    written = store.save(out, records, table, files, store.dataset_quads(graph, nodes))
    clock.lap("write")
    return written, report, count(graph)
