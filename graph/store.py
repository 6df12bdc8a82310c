"""The store beside a build's outputs: what lets a graph grow and shrink without a rebuild.

``nekg build`` writes ``OUT/store/`` next to ``graph.ttl``::

    OUT/store/
      .lock                 held by every add, remove and build writing into OUT
      current -> gen-…      the complete generation (a relative symbolic link)
      gen-…/
        version.json        nekg version, store format, alias-table digest, graph digest, prefixes
        articles/*.json     one record per article: the article, its sentences, its mentions
        oxigraph/           an Oxigraph on-disk store holding graph.ttl

Recognition (reading, normalizing, finding mentions) is the expensive, per-article part
of a build; its results are kept per article. Resolution, relations and the RDF are
corpus-wide and are re-run over all records on every change, through the same function a
build writes with (:func:`graph.pipeline.publish`). So the outputs after any sequence of
``nekg add`` and ``nekg remove`` are byte for byte those of a fresh build of the articles
that remain.

Writes are atomic: a new generation is written into a hidden staging folder, the outputs
are replaced (:func:`graph.files.replace_outputs`), and only then does ``current`` switch
to the new generation, with one rename. A run killed before that leaves the store as it
was (leftovers are removed by the next run). Two runs into the same folder take turns
through the lock. A store written by another nekg version is refused.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from graph import __version__
from graph.errors import NekgError
from graph.rdf import store_index
from graph.records import Article, ArticleRecord, EntityType, Mention, Sentence

if TYPE_CHECKING:
    pass

STORE_DIR = "store"
CURRENT = "current"
VERSION_FILE = "version.json"
ARTICLES_DIR = "articles"
OXIGRAPH_DIR = "oxigraph"
STAMP_FILE = "graph.stamp"
LOCK_FILE = ".lock"
FORMAT = 2

_GEN_PREFIX = "gen-"
_STAGING_PREFIX = ".staging-"
_LINK_PREFIX = ".current-"
_PREFIX_LINE = re.compile(r"^@prefix ([A-Za-z][\w.-]*|): <([^>]*)> \.$", re.MULTILINE)

Warn = Callable[[str], None]


class StoreError(NekgError):
    """The store cannot be used as asked (missing, from another version, unknown article)."""


# --- records as JSON ------------------------------------------------------------------------


def _runs(offsets: Sequence[int]) -> list[list[int]]:
    """``offsets`` as ``[index, offset]`` pairs where they stop counting up by one."""
    runs: list[list[int]] = []
    for i, offset in enumerate(offsets):
        if not runs or offset != offsets[i - 1] + 1:
            runs.append([i, offset])
    return runs


def _unruns(runs: Sequence[Sequence[int]], length: int) -> tuple[int, ...]:
    offsets: list[int] = []
    bounds = [*(r[0] for r in runs[1:]), length]
    for (begin, offset), end in zip(runs, bounds, strict=True):
        offsets.extend(range(offset, offset + end - begin))
    return tuple(offsets)


# Every field of a mention but its article (the record's): a field added to Mention is
# stored without a change here, so records read back equal the records written.
_MENTION_FIELDS = tuple(f.name for f in fields(Mention) if f.name != "article_id")


def _mention_row(m: Mention) -> list:
    return [
        getattr(m, name).value if name == "type" else getattr(m, name) for name in _MENTION_FIELDS
    ]


def _mention_from(article_id: str, row: list) -> Mention:
    values = dict(zip(_MENTION_FIELDS, row, strict=True))
    values["type"] = EntityType(values["type"])
    return Mention(article_id=article_id, **values)


def record_json(record: ArticleRecord) -> str:
    """One record as compact JSON (sentence offsets as runs)."""
    return json.dumps(
        {
            "article": asdict(record.article),
            "sentences": [
                [s.index, s.text, s.start, s.end, _runs(s.offsets)] for s in record.sentences
            ],
            "mentions": [_mention_row(m) for m in record.mentions],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def record_from_json(text: str) -> ArticleRecord:
    """The record :func:`record_json` wrote."""
    data = json.loads(text)
    article = Article(**data["article"])
    return ArticleRecord(
        article,
        tuple(
            Sentence(article.id, index, body, start, end, _unruns(runs, len(body)))
            for index, body, start, end, runs in data["sentences"]
        ),
        tuple(_mention_from(article.id, row) for row in data["mentions"]),
    )


def table_digest(table: object) -> str:
    """A digest of an alias table's entries: records recognized with another table are stale."""
    entries = [
        (e.id, e.type.value, e.name, e.aliases, e.external) for e in getattr(table, "entries", ())
    ]
    return hashlib.sha256(repr(entries).encode("utf-8", "surrogatepass")).hexdigest()


# --- the folder -----------------------------------------------------------------------------


def folder_of(out: Path | str) -> Path:
    return Path(out) / STORE_DIR


_held: dict[str, int] = {}


@contextlib.contextmanager
def locked(out: Path | str) -> Iterator[None]:
    """Hold the store's lock for a whole read-modify-write; re-entrant within a process."""
    folder = folder_of(out)
    key = str(folder.resolve())
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    _check_ours(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        with contextlib.suppress(OSError):  # a file system that cannot lock: as before
            fcntl.flock(fd, fcntl.LOCK_EX)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
    finally:
        os.close(fd)


def _check_ours(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise StoreError(f"{folder} is not a folder nekg wrote; move it away and build again")
    if folder.is_dir():
        names = {p.name for p in folder.iterdir()}
        if names and not names & {LOCK_FILE, CURRENT}:
            raise StoreError(
                f"{folder} holds files nekg did not write; move it away or build into another -o"
            )


def _tidy(folder: Path) -> None:
    """Remove what interrupted runs left: staging folders and generations not current."""
    current = os.readlink(folder / CURRENT) if (folder / CURRENT).is_symlink() else None
    for item in folder.iterdir():
        if item.name.startswith((_STAGING_PREFIX, _GEN_PREFIX)) and item.name != current:
            shutil.rmtree(item, ignore_errors=True)
        elif item.name.startswith(_LINK_PREFIX):
            item.unlink(missing_ok=True)


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _head(turtle: bytes) -> str:
    """The text of a Turtle file up to its first blank line (the prefixes)."""
    end = turtle.find(b"\n\n")
    return bytes(turtle if end < 0 else turtle[:end]).decode("utf-8")


def _prefixes(turtle: str) -> dict[str, str]:
    head = turtle[: turtle.find("\n\n") if "\n\n" in turtle else len(turtle)]
    return {m[1]: m[2] for m in _PREFIX_LINE.finditer(head)}


def save(
    out: Path | str,
    records: Sequence[ArticleRecord],
    table: object,
    outputs: Mapping[str, str | bytes],
    dataset: Iterable[object] | None = None,
) -> list[Path]:
    """Replace the build's ``outputs`` in ``out`` and the store's generation, together.

    The Oxigraph store is loaded with ``dataset`` (pyoxigraph quads, see
    :func:`dataset_quads`), else with ``graph.ttl`` in the default graph. The new
    generation is written first into a staging folder; then the outputs are replaced;
    then ``current`` is switched. Returns the output files written.
    """
    out = Path(out)
    folder = folder_of(out)
    turtle = outputs["graph.ttl"]
    turtle_bytes = turtle.encode("utf-8") if isinstance(turtle, str) else turtle
    created = not out.exists()
    try:
        return _save(out, folder, records, table, outputs, turtle_bytes, dataset)
    except BaseException:
        if created:  # a failed first build leaves no folder behind, as before
            shutil.rmtree(out, ignore_errors=True)
        raise


def _save(
    out: Path,
    folder: Path,
    records: Sequence[ArticleRecord],
    table: object,
    outputs: Mapping[str, str | bytes],
    turtle_bytes: bytes,
    dataset: Iterable[object] | None,
) -> list[Path]:
    import pyoxigraph

    from graph.files import _fsync_dir, _write_error, replace_outputs
    from graph.rdf import read as rdf_read

    with locked(out):
        _tidy(folder)
        token = secrets.token_hex(6)
        staging = folder / f"{_STAGING_PREFIX}{token}"
        try:
            (staging / ARTICLES_DIR).mkdir(parents=True)
            previous = folder / CURRENT / ARTICLES_DIR
            for record in records:
                text = record_json(record)
                name = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
                target = staging / ARTICLES_DIR / f"{name}.json"
                try:  # an unchanged record is shared with the previous generation
                    os.link(previous / target.name, target)
                except OSError:
                    _write_synced(target, text)
            oxigraph = pyoxigraph.Store(str(staging / OXIGRAPH_DIR))
            if dataset is None:
                oxigraph.bulk_load(turtle_bytes, pyoxigraph.RdfFormat.TURTLE)
            else:
                rdf_read.bulk_load(oxigraph, dataset)
            oxigraph.flush()
            store_index.write_names(oxigraph, staging / store_index.NAMES_FILE)
            del oxigraph
            meta = {
                "nekg": __version__,
                "format": FORMAT,
                "table": table_digest(table),
                "graph": hashlib.sha256(turtle_bytes).hexdigest(),
                "articles": len(records),
                "prefixes": _prefixes(_head(turtle_bytes)),
            }
            _write_synced(staging / VERSION_FILE, json.dumps(meta, indent=1, sort_keys=True))
            for written_folder in (staging / ARTICLES_DIR, staging):
                _fsync_dir(written_folder)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise _write_error(folder, exc, left=out) from None
        try:
            written = replace_outputs(out, outputs)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        store_index.write_stamp(out / "graph.ttl", staging / STAMP_FILE, _write_synced)
        # The switch: from here on the new generation is the store.
        generation = folder / f"{_GEN_PREFIX}{token}"
        os.rename(staging, generation)
        link = folder / f"{_LINK_PREFIX}{token}"
        os.symlink(generation.name, link)
        os.replace(link, folder / CURRENT)
        _fsync_dir(folder)
        _tidy(folder)
    return written


def dataset_quads(graph: object, nodes: object | None = None) -> Iterator[object]:
    """The graph as pyoxigraph quads: what an article states in the article's named graph.

    Mentions, evidence and the facts only it supports go to the graph named by the
    article's IRI; entities, article metadata and facts stated in several articles or in
    none to the default graph (see :func:`graph.export.split_by_article`, which
    ``nekg export --format trig`` uses too). The union of all graphs is graph.ttl.
    ``nodes`` adds subjects made from the records (:class:`graph.rdf.build.MentionNodes`)
    as if they were in ``graph``: the quads are the same.
    """
    import pyoxigraph

    from graph.outputs.export import article_claims
    from graph.rdf import build as rdf
    from graph.rdf import read as rdf_read

    convert = functools.lru_cache(maxsize=rdf._TERMS)(rdf_read._term_to_oxigraph)
    claimed = article_claims(graph, nodes)
    # A fact stated in several articles stays in the default graph: each triple is in one
    # graph only, so the union holds it once (SPARQL counts come out as on graph.ttl).
    in_default = pyoxigraph.DefaultGraph()
    for s, p, o in graph:
        articles = claimed((s, p, o))
        where = convert(next(iter(articles))) if len(articles) == 1 else in_default
        yield pyoxigraph.Quad(convert(s), convert(p), convert(o), where)
    for node in nodes if nodes is not None else ():
        for s, p, o in dict.fromkeys(nodes.triples_of(node)):
            if (s, p, o) in graph:  # already given by the graph
                continue
            articles = claimed((s, p, o))
            where = convert(next(iter(articles))) if len(articles) == 1 else in_default
            yield pyoxigraph.Quad(convert(s), convert(p), convert(o), where)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Generation:
    """The store's complete generation: where it is and what its version file says."""

    path: Path
    meta: dict

    @property
    def oxigraph(self) -> Path:
        return self.path / OXIGRAPH_DIR

    def records(self) -> list[ArticleRecord]:
        """Every article record, in article-id order."""
        found = [
            record_from_json(p.read_text(encoding="utf-8"))
            for p in (self.path / ARTICLES_DIR).glob("*.json")
        ]
        return sorted(found, key=lambda r: r.article.id)


def _read_meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / CURRENT / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def current(out: Path | str) -> Generation:
    """The store in ``out``, or :class:`StoreError` saying how to get a usable one."""
    out = Path(out)
    folder = folder_of(out)
    meta = _read_meta(folder)
    if meta is None:
        if not (out / "graph.ttl").exists():
            raise StoreError(
                f"{out} holds no graph: build one first with `nekg build INPUTS -o {out}`"
            )
        raise StoreError(
            f"{out} has no usable store ({folder}): rebuild it with `nekg build INPUTS -o {out}`"
        )
    if meta.get("nekg") != __version__ or meta.get("format") != FORMAT:
        raise StoreError(
            f"{folder} was written by nekg {meta.get('nekg', '?')} (this is nekg {__version__}): "
            f"rebuild it with `nekg build INPUTS -o {out}`"
        )
    return Generation(folder / CURRENT, meta)


def fresh_oxigraph(graph_file: Path) -> tuple[Path, dict[str, str]] | None:
    """The Oxigraph store holding exactly ``graph_file`` (an ``OUT/graph.ttl``), if there is one.

    Returns the store's path and the graph's prefixes, or None when there is no store, it
    was written by another version, or graph.ttl has changed since (the file wins).
    """
    if graph_file.name != "graph.ttl":
        return None
    folder = graph_file.parent / STORE_DIR
    meta = _read_meta(folder)
    if not meta or meta.get("nekg") != __version__ or meta.get("format") != FORMAT:
        return None
    path = (folder / CURRENT).resolve() / OXIGRAPH_DIR
    try:
        stamp = json.loads((path.parent / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = None
    if stamp is not None and stamp == store_index.stamp_of(graph_file) and path.is_dir():
        return path, dict(meta.get("prefixes") or {})
    digest = hashlib.sha256()
    try:
        with open(graph_file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    if digest.hexdigest() != meta.get("graph"):
        return None
    return (path, dict(meta.get("prefixes") or {})) if path.is_dir() else None
