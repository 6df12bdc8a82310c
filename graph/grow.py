"""A graph that grows: add articles to a built graph and remove them, through its store.

Only the new articles are recognized; every output is then written by the pipeline's one
writer (:func:`graph.pipeline.publish`), so the result is byte-identical to a fresh build of
the articles the store holds (docs/store.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from graph import pipeline
from graph.entities import curation
from graph.entities import recognize as entities
from graph.pipeline import BuildResult
from graph.records import ArticleRecord
from graph.store import StoreError, Warn, current, locked, table_digest
from graph.text.articles import read_articles


def _refreshed(
    records: Iterable[ArticleRecord],
    table: object,
    stale: bool,
    progress: Callable,
    dask: str | None = None,
) -> list[ArticleRecord]:
    """``records``, recognized again when they were made with another alias table."""

    records = list(records)
    if not stale:
        return records
    articles = [r.article for r in records]
    return pipeline.recognize_articles(articles, table, progress, dask=dask, jobs=_jobs(dask))


def _jobs(dask: str | None) -> int:
    """The workers of ``--dask local``; one process otherwise (a scheduler has its own)."""
    from graph.parallel import available_cores

    return available_cores() if dask == "local" else 1


def _shown_ids(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:5])
    return shown + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def add(
    out: Path | str,
    inputs: Sequence[Path],
    *,
    aliases: Path | None = None,
    replace: bool = False,
    skip_bad: bool = False,
    warn: Warn | None = None,
    progress: Callable = lambda items, label: items,
    check: bool = True,
    dask: str | None = None,
) -> BuildResult:
    """Add the articles under ``inputs`` to the graph in ``out``; rewrite every output.

    Only the new articles are recognized: on Dask workers when ``dask`` names a scheduler
    (or ``"local"``, see :mod:`graph.dask_build`). An article whose id is already in the
    store is refused (:class:`StoreError`, nothing changed) unless ``replace``.
    """

    started = time.perf_counter()
    out = Path(out)
    with locked(out):
        generation = current(out)
        table = entities.load_table(aliases)
        new = read_articles(inputs, skip_bad=skip_bad, warn=warn)
        if not new:
            raise StoreError(
                f"no article could be read from {', '.join(map(str, inputs[:3]))}; "
                f"{out} left as it was (give .txt, .md or .jsonl files)"
            )
        old = generation.records()
        new_ids = {a.id for a in new}
        taken = sorted(new_ids & {r.article.id for r in old})
        if taken and not replace:
            raise StoreError(
                f"article {_shown_ids(taken)} is already in {out}; give --replace to replace it, "
                f"or `nekg remove` it first; {out} left as it was"
            )
        stale = generation.meta.get("table") != table_digest(table)
        kept = _refreshed(
            (r for r in old if r.article.id not in new_ids), table, stale, progress, dask
        )
        records = kept + pipeline.recognize_articles(
            new, table, progress, warn, dask=dask, jobs=_jobs(dask)
        )
        extraction = pipeline.finish(records, table, curation.rejects_for(None, aliases), warn)
        written, report, counted = pipeline.publish(out, records, extraction, table, check=check)
    return pipeline.BuildResult(
        extraction, tuple(written), time.perf_counter() - started, report, counted
    )


def remove(
    out: Path | str,
    article_ids: Sequence[str],
    *,
    aliases: Path | None = None,
    progress: Callable = lambda items, label: items,
    check: bool = True,
) -> BuildResult:
    """Remove articles from the graph in ``out`` by id; rewrite every output.

    An id the store does not hold is an error (:class:`StoreError`) and nothing changes.
    """

    started = time.perf_counter()
    out = Path(out)
    with locked(out):
        generation = current(out)
        old = generation.records()
        held = {r.article.id for r in old}
        unknown = [i for i in dict.fromkeys(article_ids) if i not in held]
        if unknown:
            raise StoreError(
                f"no article {_shown_ids(unknown)} in {out} (ids are the manifest id, else the "
                f"file name without extension); nothing removed"
            )
        table = entities.load_table(aliases)
        stale = generation.meta.get("table") != table_digest(table)
        gone = set(article_ids)
        records = _refreshed((r for r in old if r.article.id not in gone), table, stale, progress)
        extraction = pipeline.finish(records, table, curation.rejects_for(None, aliases))
        written, report, counted = pipeline.publish(out, records, extraction, table, check=check)
    return pipeline.BuildResult(
        extraction, tuple(written), time.perf_counter() - started, report, counted
    )
