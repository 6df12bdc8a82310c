"""The whole story in one screen: articles -> normalize -> entities -> relations -> rdf -> outputs.

>>> from pathlib import Path
>>> result = run([Path("seeds")])
>>> len(result.articles)
5
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph import entities, html, rdf, relations, validate
from graph.articles import read_articles
from graph.normalize import split_sentences
from graph.records import Extraction

DEFAULT_INPUTS = (Path("seeds"),)
DEFAULT_OUT = Path("out")

Warn = Callable[[str], None]
Progress = Callable[[Sequence, str], Iterable]


def _no_progress(items: Sequence, label: str) -> Iterable:
    return items


def run(
    inputs: Iterable[Path] = DEFAULT_INPUTS,
    *,
    aliases: Path | None = None,
    skip_bad: bool = False,
    warn: Warn | None = None,
    progress: Progress = _no_progress,
) -> Extraction:
    """Read ``inputs`` and extract everything the text states, with evidence."""
    articles = read_articles(inputs, skip_bad=skip_bad, warn=warn)
    table = entities.load_table(aliases)
    sentences, mentions = [], []
    for article in progress(articles, "reading"):
        found = split_sentences(article.id, article.text, warn)
        sentences.extend(found)
        mentions.extend(entities.recognize(found, table))
    mentions, resolved = entities.resolve(mentions, table)
    facts = relations.extract(sentences, mentions, resolved)
    return Extraction(
        tuple(articles), tuple(sentences), tuple(mentions), tuple(resolved), tuple(facts)
    )


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What ``build`` did: the extraction, the files it wrote, how long it took."""

    extraction: Extraction
    written: tuple[Path, ...]
    seconds: float
    validation: validate.Report | None = None


def build(
    inputs: Iterable[Path] = DEFAULT_INPUTS,
    out: Path = DEFAULT_OUT,
    *,
    aliases: Path | None = None,
    skip_bad: bool = False,
    warn: Warn | None = None,
    progress: Progress = _no_progress,
    check: bool = True,
) -> BuildResult:
    """Run the pipeline and write the graph and its views into ``out``.

    With ``check`` the graph is validated against the SHACL shapes first and nothing is
    written if it breaks them (:class:`graph.validate.InvalidGraph`).
    """
    started = time.perf_counter()
    extraction = run(inputs, aliases=aliases, skip_bad=skip_bad, warn=warn, progress=progress)
    graph = rdf.to_graph(extraction)
    report = validate.check(graph) if check else None
    written = rdf.write_outputs(graph, extraction, out)
    written = [*written, html.write_html(graph, Path(out) / "graph.html")]
    return BuildResult(extraction, tuple(written), time.perf_counter() - started, report)
