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

from graph import entities, export, html, parallel, rdf, relations, validate
from graph.articles import read_articles
from graph.counts import Counts, count
from graph.errors import NekgError
from graph.files import replace_outputs
from graph.normalize import split_sentences
from graph.records import Extraction
from graph.resolve import article_homes

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


def run(
    inputs: Iterable[Path] = DEFAULT_INPUTS,
    *,
    aliases: Path | None = None,
    skip_bad: bool = False,
    warn: Warn | None = None,
    progress: Progress = _no_progress,
    jobs: int = 1,
    timings: dict[str, float] | None = None,
) -> Extraction:
    """Read ``inputs`` and extract everything the text states, with evidence.

    ``jobs`` > 1 splits and recognizes the articles in that many worker processes
    (:mod:`graph.parallel`); the result is the same for every ``jobs``. When ``timings`` is
    given, the seconds each stage took are added to it by stage name.
    """
    clock = _Clock(timings)
    articles = read_articles(inputs, skip_bad=skip_bad, warn=warn)
    table = entities.load_table(aliases)
    clock.lap("read")
    sentences, mentions = [], []
    if jobs > 1 and len(articles) > 1:
        for found, recognized in parallel.recognize_all(articles, table, jobs, progress):
            sentences.extend(found)
            mentions.extend(recognized)
        clock.lap("split + recognize")
    else:
        for article in progress(articles, "reading"):
            found = split_sentences(article.id, article.text)
            clock.lap("split")
            sentences.extend(found)
            mentions.extend(entities.recognize(found, table))
            clock.lap("recognize")
    homes = article_homes(mentions, table, sentences)
    mentions, resolved = entities.resolve(mentions, table, homes)
    clock.lap("resolve")
    facts = relations.extract(sentences, mentions, resolved, homes)
    clock.lap("relations")
    return Extraction(
        tuple(articles),
        tuple(sentences),
        tuple(mentions),
        tuple(resolved),
        tuple(facts),
        tuple(homes[a] for a in sorted(homes)),
    )


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


def outputs(graph: Graph, timings: dict[str, float] | None = None) -> dict[str, str | bytes]:
    """Every file a build writes, by name: the graph and its views."""
    writers = {
        "graph.ttl": ("Turtle", rdf.to_turtle),
        "graph.graphml": ("GraphML", export.to_graphml),
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
    skip_bad: bool = False,
    warn: Warn | None = None,
    progress: Progress = _no_progress,
    check: bool = True,
    allow_empty: bool = False,
    jobs: int = 1,
    timings: dict[str, float] | None = None,
) -> BuildResult:
    """Run the pipeline and replace the graph and its views in ``out``, all together.

    With ``check`` the graph is validated against the SHACL shapes first and nothing is
    written if it breaks them (:class:`graph.validate.InvalidGraph`). When no article
    could be read, nothing is written either (:class:`NothingRead`) unless ``allow_empty``.
    The files are replaced together (:func:`graph.files.replace_outputs`): an interrupted
    build leaves the previous build's files. ``jobs`` and ``timings`` are as for :func:`run`.
    """
    started = time.perf_counter()
    inputs = list(inputs)
    extraction = run(
        inputs,
        aliases=aliases,
        skip_bad=skip_bad,
        warn=warn,
        progress=progress,
        jobs=jobs,
        timings=timings,
    )
    if not extraction.articles and not allow_empty:
        how = "fix the files warned about above" if skip_bad else "give .txt, .md or .jsonl files"
        raise NothingRead(
            f"no article could be read from {_names(inputs)}; {out} left as it was "
            f"({how}, or give --allow-empty to write an empty graph)"
        )
    clock = _Clock(timings)
    graph = rdf.to_graph(extraction)
    clock.lap("RDF graph")
    report = validate.check(graph) if check else None
    clock.lap("SHACL")
    files = outputs(graph, timings)
    clock = _Clock(timings)
    written = replace_outputs(out, files)
    clock.lap("write")
    return BuildResult(
        extraction, tuple(written), time.perf_counter() - started, report, count(graph)
    )
