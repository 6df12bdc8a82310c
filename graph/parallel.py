"""Document-parallel recognition: split and recognize articles in worker processes.

Each article is split into sentences and its mentions recognized independently of every
other article, so the work can be spread over processes. Each worker receives the alias
table once (through the pool's initializer) and builds its matchers on first use; the
articles go out in chunks, and the results come back in article order, so the merged
sentences and mentions are exactly what the in-process loop produces, for any number of jobs.

Resolution and relation extraction look across articles and stay in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.errors import NekgError
from graph.records import Article, Mention, Sentence
from graph.text.normalize import split_sentences

# Chunks per worker, and at least PROGRESS_STEPS in all: enough to even out articles of
# different length and to show progress, few enough that sending them costs little.
CHUNKS_PER_JOB = 8
PROGRESS_STEPS = 64

Recognized = tuple[list[Sentence], list[Mention]]

_table: AliasTable | None = None


class WorkerFailed(NekgError):
    """A worker process died (killed, or out of memory) before it finished its articles."""


def available_cores() -> int:
    """The number of cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


def _start(table: AliasTable) -> None:
    global _table
    _table = table


def recognize_one(article: Article, table: AliasTable) -> Recognized:
    """Split one article into sentences and find their mentions: the work a worker does."""
    found = split_sentences(article.id, article.text)
    return found, entities.recognize(found, table)


def _recognize(articles: Sequence[Article]) -> list[Recognized]:
    return [recognize_one(article, _table) for article in articles]


def _chunks(articles: Sequence[Article], count: int) -> list[Sequence[Article]]:
    size = max(1, -(-len(articles) // count))
    return [articles[i : i + size] for i in range(0, len(articles), size)]


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the loaded modules (spaCy, jieba, the gazetteers) with the workers for free;
    # where it does not exist, spawn loads them once per worker.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def recognize_all(
    articles: Sequence[Article],
    table: AliasTable,
    jobs: int,
    progress: Callable[[Sequence, str], Iterable] = lambda items, label: items,
) -> Iterator[Recognized]:
    """Yield ``(sentences, mentions)`` for each article, in order, computed by ``jobs`` workers.

    The first article is recognized here: that loads jieba's dictionary, the gazetteers and
    the matchers once, and forked workers start with them instead of loading them each.
    """
    if not articles:
        return
    _start(table)
    yield from _recognize(articles[:1])
    articles = articles[1:]
    if not articles:
        return
    chunks = _chunks(articles, max(jobs * CHUNKS_PER_JOB, PROGRESS_STEPS))
    workers = min(jobs, len(chunks))
    try:
        with ProcessPoolExecutor(
            workers, mp_context=_context(), initializer=_start, initargs=(table,)
        ) as pool:
            futures = [pool.submit(_recognize, chunk) for chunk in chunks]
            for future in progress(futures, "reading"):
                yield from future.result()
    except BrokenProcessPool:
        raise WorkerFailed(
            f"a worker process died while recognizing {len(articles)} articles "
            "(out of memory?); build with fewer --jobs, or --jobs 1"
        ) from None
