"""Where queries run: the Result of a query, and a local graph file loaded into Oxigraph."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from graph.errors import GraphError, QueryError
from graph.files import atomic_write
from graph.query.guards import DEFAULT_TIMEOUT, _in_worker
from graph.query.syntax import _first_line, _syntax_error, _with_values, query_form
from graph.query.terms import (
    DEFAULT_GRAPH,
    DISPLAY_LABELS,
    GRAPH_FORMATS,
    LABELS,
    NEKG,
    PREFIXES,
    RDF_TYPE,
    Term,
)
from graph.text.normalize import normalize_name

# --- results ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    """What a query gave: rows of bindings (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    In a row, ``None`` stands for an unbound variable. A streamed result (``stream=True``)
    holds iterators, read once, as the engine produces them, within the timeout.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: Sequence[tuple[Term | None, ...]] | Iterator[tuple[Term | None, ...]] = ()
    boolean: bool | None = None
    triples: Sequence[ox.Triple] | Iterator[ox.Triple] = ()
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(PREFIXES))
    bound: Mapping[str, Term] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Rows, triples, or 1 for a boolean (of a result that is not streamed)."""
        if self.form == "ASK":
            return 1
        items = self.triples if self.form in ("CONSTRUCT", "DESCRIBE") else self.rows
        return len(items) if isinstance(items, Sequence) else -1


def _result(head: tuple[str, Any], items: Iterator[Any], stream: bool, **extra: Any) -> Result:
    """A :class:`Result` from the head a producer gave first and the items that follow."""
    form, value = head
    if form == "ASK":
        return Result("ASK", boolean=value, **extra)
    rest = items if stream else tuple(items)
    if form == "SELECT":
        return Result("SELECT", value, rows=rest, **extra)
    return Result(form, triples=rest, **extra)


def _answers(answer: object, form: str) -> Iterator[Any]:
    """What Oxigraph answered, as a head (form and variables, or the boolean) and items."""
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        yield ("SELECT", variables)
        count = len(variables)
        for solution in answer:
            yield tuple(solution[i] for i in range(count))
    elif isinstance(answer, ox.QueryBoolean):
        yield ("ASK", bool(answer))
    else:
        yield (form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", None)
        yield from answer


def _failures(items: Iterator[Any], what: str) -> Iterator[Any]:
    """``items``, with errors the engine raises while producing them as one-line messages."""
    try:
        yield from items
    except (RuntimeError, OSError, ValueError) as exc:
        raise QueryError(f"{what} failed: {_first_line(str(exc))}") from None


# --- sources -----------------------------------------------------------------------


class Source(Protocol):
    """Where queries run: a local graph or a remote endpoint."""

    prefixes: Mapping[str, str]
    timeout: float
    allow_remote: bool

    def execute(self, text: str, bindings: Mapping[str, Term], *, stream: bool = False) -> Result:
        """Run a query with ``bindings`` for some of its variables."""

    def update(self, text: str) -> str:
        """Run a SPARQL update; return a one-line summary."""

    def labels_of(self, iris: Iterable[str]) -> dict[str, str]:
        """The preferred label of each IRI that has one."""

    def entities_named(self, name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Entities with a label equal to ``name`` after normalization: IRI -> (label, types)."""


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


@contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on ``.NAME.lock`` next to ``path`` (waiting up to ``timeout`` s)."""
    lock = path.with_name(f".{path.name}.lock")
    try:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise GraphError(f"{lock}: cannot create the lock file: {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise GraphError(
                        f"{path}: another update has held it for {timeout:g} s; "
                        "try again when it is done"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing releases the lock


# Files `nekg build` writes next to graph.ttl from the same graph, and how to refresh them.
_DERIVED = {
    "graph.graphml": "nekg export --graph {ttl} -o {file}",
    "graph.html": "nekg html --graph {ttl} -o {file}",
}


NameIndex = Callable[[str], list[str]]


class LocalGraph:
    """A graph file loaded into an in-memory Oxigraph store (or the build's store of it)."""

    def __init__(
        self,
        store: ox.Store,
        prefixes: Mapping[str, str],
        path: Path | None = None,
        rdf_format: ox.RdfFormat | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        allow_remote: bool = False,
    ) -> None:
        self.store = store
        self.prefixes = {**prefixes, **PREFIXES}
        self.path = path
        self.rdf_format = rdf_format
        self.timeout = timeout
        self.allow_remote = allow_remote
        self._stamp = _stamp(path) if path is not None else None
        # IRIs by normalized label (the store's index); None: read the labels
        self.names: NameIndex | None = None

    @classmethod
    def load(
        cls,
        path: Path | str = DEFAULT_GRAPH,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        allow_remote: bool = False,
    ) -> LocalGraph:
        """Load a Turtle, TriG, N-Triples or N-Quads file (a folder means its ``graph.ttl``)."""
        path = Path(path)
        if path.is_dir():
            path = path / "graph.ttl"
        if not path.exists():
            raise GraphError(
                f"{path} does not exist: run `nekg build` first, or pass --graph FILE or --endpoint URL"
            )
        rdf_format = GRAPH_FORMATS.get(path.suffix.lower())
        if rdf_format is None:
            raise GraphError(
                f"{path}: cannot tell the format from the extension; use .ttl, .trig, .nt or .nq"
            )
        kept = cls._from_store(path)
        if kept is not None:
            graph = cls(
                kept[0], kept[1], path, rdf_format, timeout=timeout, allow_remote=allow_remote
            )
            graph._stamp = None  # an update reads the file into memory first
            graph.names = kept[2]
            return graph
        store, prefixes = cls._read(path, rdf_format)
        return cls(store, prefixes, path, rdf_format, timeout=timeout, allow_remote=allow_remote)

    @staticmethod
    def _from_store(path: Path) -> tuple[ox.Store, dict[str, str], NameIndex | None] | None:
        """The build's on-disk store of ``path`` (OUT/store), when it holds exactly that file,
        with its index of names."""
        from graph import store
        from graph.rdf import store_index

        found = store.fresh_oxigraph(path)
        if found is None:
            return None
        try:
            return ox.Store.read_only(str(found[0])), found[1], store_index.names_lookup(found[0])
        except OSError:
            return None

    @staticmethod
    def _read(path: Path, rdf_format: ox.RdfFormat) -> tuple[ox.Store, dict[str, str]]:
        store = ox.Store()
        try:
            parser = ox.parse(path=path, format=rdf_format, base_iri=path.resolve().as_uri())
            store.extend(parser)
        except SyntaxError as exc:
            raise GraphError(
                f"{path}: not valid {rdf_format.name}: {_first_line(str(exc))}"
            ) from None
        return store, getattr(parser, "prefixes", {}) or {}

    @classmethod
    def from_text(cls, text: str, rdf_format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> LocalGraph:
        """A graph from Turtle (or another format) in a string; handy in tests and examples."""
        store = ox.Store()
        try:
            parser = ox.parse(text, format=rdf_format)
            store.extend(parser)
        except SyntaxError as exc:
            raise GraphError(f"not valid {rdf_format.name}: {_first_line(str(exc))}") from None
        return cls(store, parser.prefixes or {}, None, rdf_format)

    def execute(self, text: str, bindings: Mapping[str, Term], *, stream: bool = False) -> Result:
        """Run a query with Oxigraph, ``bindings`` joined in as a ``VALUES`` block.

        The query runs in a worker thread and is given up after ``self.timeout`` seconds.
        """
        form = query_form(text)
        prepared, inserted = _with_values(text, bindings) if bindings else (text, (0, 0))
        prefixes = dict(self.prefixes)

        def produce() -> Iterator[Any]:
            answer = self.store.query(prepared, prefixes=prefixes, use_default_graph_as_union=True)
            return _answers(answer, form)

        items = _in_worker(produce, self.timeout)
        try:
            head = next(items)
        except SyntaxError as exc:
            raise _syntax_error(str(exc), text, self.prefixes, inserted) from None
        except (RuntimeError, OSError, ValueError) as exc:
            raise QueryError(f"query failed: {_first_line(str(exc))}") from None
        return _result(head, _failures(items, "the query"), stream, bound=dict(bindings))

    def update(self, text: str) -> str:
        """Apply a SPARQL update and write the graph back to its file.

        The file is locked from reading to writing, so concurrent updates follow each other;
        it is re-read when another process changed it since it was loaded. Turtle and TriG
        are written by the build's sorted writer, so an update changes only what it changes.
        """
        self.names = None  # the index describes the graph before the update
        if self.path is None or self.rdf_format is None:
            before = len(self.store)
            self._apply(text)
            return f"updated: {before} -> {len(self.store)} triples"
        with _locked(self.path, self.timeout):
            if _stamp(self.path) != self._stamp:
                self.store, prefixes = self._read(self.path, self.rdf_format)
                self.prefixes = {**prefixes, **PREFIXES}
            before = len(self.store)
            self._apply(text)
            atomic_write(self.path, self.serialize(self.rdf_format))
            self._stamp = _stamp(self.path)
        after = len(self.store)
        return f"updated {self.path}: {before} -> {after} triples{self._stale_note()}"

    def _apply(self, text: str) -> None:
        prefixes = dict(self.prefixes)

        def produce() -> Iterator[None]:
            self.store.update(text, prefixes=prefixes)
            yield None

        try:
            list(_in_worker(produce, self.timeout, "the update"))
        except SyntaxError as exc:
            raise _syntax_error(str(exc), text, self.prefixes) from None
        except (RuntimeError, OSError, ValueError) as exc:
            raise QueryError(f"update failed: {_first_line(str(exc))}") from None

    def _stale_note(self) -> str:
        """A note naming the views built from the old graph that sit next to it."""
        if self.path is None or self.path.name != "graph.ttl":
            return ""
        stale = [
            self.path.with_name(name) for name in _DERIVED if self.path.with_name(name).exists()
        ]
        if not stale:
            return ""
        commands = "; ".join(_DERIVED[f.name].format(ttl=self.path, file=f) for f in stale)
        names = ", ".join(f.name for f in stale)
        return f"; {names} still show the old graph: refresh with {commands}"

    def serialize(self, rdf_format: ox.RdfFormat) -> bytes:
        """The whole store in ``rdf_format``, sorted the way ``nekg build`` writes it.

        Turtle and TriG come from the build's writer (:func:`graph.rdf.write.to_turtle`);
        N-Triples and N-Quads are one statement a line, sorted.
        """
        # these import rdflib, which a query does not otherwise need
        from graph.rdf import read as rdf_read
        from graph.rdf import write as rdf_write

        quads = list(self.store)
        if rdf_format == ox.RdfFormat.TURTLE:
            return rdf_write.to_turtle(rdf_read.from_oxigraph(q.triple for q in quads)).encode(
                "utf-8"
            )
        if rdf_format == ox.RdfFormat.TRIG:
            default = [q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
            named: dict[Any, list[ox.Triple]] = {}
            for q in quads:
                if not isinstance(q.graph_name, ox.DefaultGraph):
                    named.setdefault(q.graph_name, []).append(q.triple)
            return rdf_write.to_trig(
                rdf_read.from_oxigraph(default),
                {
                    rdf_read.from_oxigraph_term(name): list(rdf_read.from_oxigraph(triples))
                    for name, triples in named.items()
                },
            ).encode("utf-8")
        data: Iterable = quads if rdf_format.supports_datasets else [q.triple for q in quads]
        lines = ox.serialize(data, format=rdf_format).decode("utf-8").splitlines(keepends=True)
        return "".join(sorted(set(lines))).encode("utf-8")

    def labels_of(self, iris: Iterable[str]) -> dict[str, str]:
        """The ``skos:prefLabel`` (else ``rdfs:label``, else ``dcterms:title``) of each IRI that has one."""
        found = {}
        for iri in iris:
            for predicate in DISPLAY_LABELS:
                label = next(self.store.quads_for_pattern(ox.NamedNode(iri), predicate, None), None)
                if label is not None:
                    found[iri] = label.object.value
                    break
        return found

    def entities_named(self, name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Every subject with a label equal to ``name`` after :func:`normalize_name`."""
        wanted = normalize_name(name)
        if self.names is not None:
            return {iri: self._describe(iri) for iri in sorted(set(self.names(wanted)))}
        hits: set[str] = set()
        for predicate in LABELS:
            for quad in self.store.quads_for_pattern(None, predicate, None):
                if (
                    isinstance(quad.subject, ox.NamedNode)
                    and _normalized(quad.object.value) == wanted
                ):
                    hits.add(quad.subject.value)
        return {iri: self._describe(iri) for iri in sorted(hits)}

    def _describe(self, iri: str) -> tuple[str, tuple[str, ...]]:
        node = ox.NamedNode(iri)
        types = tuple(
            sorted(
                _local(q.object.value) for q in self.store.quads_for_pattern(node, RDF_TYPE, None)
            )
        )
        return self.labels_of([iri]).get(iri, ""), types


@cache
def _normalized(label: str) -> str:
    return normalize_name(label)


def _local(iri: str) -> str:
    return iri[len(NEKG) :] if iri.startswith(NEKG) else iri
