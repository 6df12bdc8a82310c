"""Recognition on a Dask cluster: ``nekg build --dask SCHEDULER`` or ``--dask local``.

The per-article work of :mod:`graph.parallel` (splitting each article into sentences and
recognizing its mentions) runs as Dask tasks instead of local processes:

- the alias table goes to every worker once, in a worker plugin (:class:`Recognizer`); a
  worker that joins during the build gets it too. Each worker process loads jieba, the
  gazetteers and the matchers on its first chunk and keeps them for the rest of the build;
- the articles (id, text and metadata, never a path) go out in chunks as task arguments, so
  workers need no shared filesystem; each chunk's sentences and mentions come back;
- the chunks are taken back in article order, whatever order they finish in, so the merged
  records, and every output written from them, are byte-identical to a local build.

Workers must run the same nekg version as the client (each chunk's answer names the version
it was computed with; another one ends the build). Resolution, relations and the outputs stay
in the calling process. This module needs ``dask[distributed]`` (``pip install 'nekg[dask]'``);
importing it without that raises :class:`ModuleNotFoundError` (see :func:`recognize_all`).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import ExitStack, suppress

from distributed import Client, LocalCluster, WorkerPlugin
from distributed.comm.core import CommClosedError
from distributed.scheduler import KilledWorker

from graph import __version__, parallel
from graph.entities.aliases import AliasTable
from graph.errors import NekgError
from graph.parallel import Recognized
from graph.records import Article

LOCAL = "local"
# Seconds to reach a scheduler, and then to wait for its first worker.
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 30.0

# What the plugin leaves on a worker: the alias table of each build in progress, by name.
_TABLES: dict[str, AliasTable] = {}
# One chunk at a time per worker process: recognition holds the GIL, and its caches are
# built on first use, so more threads would only race to build them.
_ONE_AT_A_TIME = threading.Lock()


class ClusterFailed(NekgError):
    """The Dask cluster could not be reached, had no workers, or lost one mid-build."""


class Recognizer(WorkerPlugin):
    """Gives each worker the build's alias table once; tasks then name it, not send it."""

    def __init__(self, name: str, table: AliasTable) -> None:
        self.name = name
        self.table = table

    def setup(self, worker: object) -> None:
        _TABLES[self.name] = self.table

    def teardown(self, worker: object) -> None:
        _TABLES.pop(self.name, None)


def _recognize_chunk(name: str, articles: Sequence[Article]) -> tuple[str, list[Recognized]]:
    """Run on a worker: the sentences and mentions of each article, and this nekg's version."""
    table = _TABLES.get(name)
    if table is None:
        raise RuntimeError("this worker has no alias table: the nekg plugin was not set up")
    with _ONE_AT_A_TIME:
        return __version__, [parallel.recognize_one(article, table) for article in articles]


def _connect(scheduler: str, jobs: int, stack: ExitStack) -> Client:
    if scheduler == LOCAL:
        try:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            )
        except Exception as exc:  # no processes or ports to be had
            raise ClusterFailed(
                f"cannot start a local Dask cluster of {jobs} workers ({_reason(exc)}); "
                "build with --jobs instead of --dask local"
            ) from None
        return stack.enter_context(Client(cluster))
    try:
        client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ClusterFailed(
            f"cannot reach the Dask scheduler at {scheduler!r} "
            f"({_reason(exc)}); start one with `dask scheduler` and give its address "
            "(tcp://HOST:8786), or use --dask local"
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError:
        raise ClusterFailed(
            f"the Dask scheduler at {scheduler} has no worker after {WORKER_TIMEOUT:.0f} s; "
            f"start one with `dask worker {scheduler}` on a machine with nekg[dask] installed"
        ) from None
    return client


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def recognize_all(
    articles: Sequence[Article],
    table: AliasTable,
    scheduler: str,
    jobs: int,
    progress: Callable[[Sequence, str], Iterable] = lambda items, label: items,
) -> Iterator[Recognized]:
    """Yield ``(sentences, mentions)`` for each article, in order, computed on Dask workers.

    ``scheduler`` is a scheduler's address, or ``"local"`` for a :class:`LocalCluster` of
    ``jobs`` worker processes on this machine (started and stopped here).
    """
    if not articles:
        return
    where = "a local Dask cluster" if scheduler == LOCAL else f"the Dask scheduler at {scheduler}"
    with ExitStack() as stack:
        client = _connect(scheduler, jobs, stack)
        name = f"nekg-recognizer-{uuid.uuid4().hex}"
        try:
            client.register_plugin(Recognizer(name, table), name=name)
            stack.callback(_unregister, client, name)
            workers = len(client.nthreads())
            steps = max(workers * parallel.CHUNKS_PER_JOB, parallel.PROGRESS_STEPS)
            chunks = parallel._chunks(articles, steps)
            futures = [client.submit(_recognize_chunk, name, chunk, pure=False) for chunk in chunks]
            for future in progress(futures, "reading"):
                version, found = future.result()
                if version != __version__:
                    raise ClusterFailed(
                        f"a worker of {where} runs nekg {version}, this is nekg {__version__}; "
                        "install the same nekg version on every worker"
                    )
                yield from found
        except KilledWorker:
            raise ClusterFailed(
                f"a worker of {where} died while recognizing articles (out of memory?); "
                "the output was left as it was: build again, or build without --dask"
            ) from None
        except (CommClosedError, CancelledError, OSError) as exc:
            raise ClusterFailed(
                f"lost {where} while recognizing articles ({_reason(exc)}); "
                "the output was left as it was: check the scheduler and build again"
            ) from None
        except ModuleNotFoundError as exc:
            raise ClusterFailed(
                f"a worker of {where} cannot import {exc.name}: install nekg[dask] "
                "(the same version as here) on every worker"
            ) from None
        except NekgError:
            raise
        except Exception as exc:  # raised on a worker and sent back
            raise ClusterFailed(
                f"a worker of {where} failed: {type(exc).__name__}: {_reason(exc)}; "
                "the output was left as it was"
            ) from None


def _unregister(client: Client, name: str) -> None:
    # Best effort: if the cluster is going away anyway, the table only takes memory there.
    with suppress(Exception):
        client.unregister_worker_plugin(name)
