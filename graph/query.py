"""SPARQL over the graph: a local file loaded into Oxigraph, or a remote endpoint.

A query comes as text or by name from the library in ``graph/queries/*.rq``. Each named
query starts with a one-line ``# description`` and declares its parameters::

    # Companies located in a place or anywhere inside it (a company in 金坛区 is in 常州).
    # @param place entity:Place  the place, by name (常州) or IRI

Parameters are bound, never pasted into the text: as a ``VALUES`` block at the start of the
WHERE group, of terms serialized by pyoxigraph in N-Triples syntax (so a value cannot change
the query's shape, and the planner can start from it), locally and on an endpoint alike.
A value may be a Chinese name, resolved to one entity through ``skos:prefLabel``,
``skos:altLabel`` and ``rdfs:label`` after :func:`graph.normalize.normalize_name`.

Every query is checked before it is parsed (:func:`check_limits`: size, nesting, SERVICE
and LOAD) and runs within the source's timeout (:func:`_in_worker`); an update of a file
holds a lock next to it and writes it with the build's Turtle writer.

>>> source = LocalGraph.from_text('''
...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...     <https://w3id.org/nekg/id/place/320400> skos:prefLabel "常州市"@zh ; skos:altLabel "常州"@zh .
... ''')
>>> result = run(source, "SELECT ?place ?label WHERE { ?place skos:prefLabel ?label }", {"place": "常州"})
>>> [term.value for term in result.rows[0]]
['https://w3id.org/nekg/id/place/320400', '常州市']
"""

from __future__ import annotations

import fcntl
import math
import os
import queue
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from graph.errors import GraphError, QueryError
from graph.files import atomic_write
from graph.normalize import normalize_name
from graph.records import EntityType

NEKG = "https://w3id.org/nekg/ontology#"
ID = "https://w3id.org/nekg/id/"
PREFIXES: dict[str, str] = {
    "nekg": NEKG,
    "id": ID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
}
DEFAULT_GRAPH = Path("out") / "graph.ttl"

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
PREF_LABEL = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
ALT_LABEL = ox.NamedNode(PREFIXES["skos"] + "altLabel")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
LABELS = (PREF_LABEL, ALT_LABEL, RDFS_LABEL)
# What --labels shows for an IRI, first found wins: an entity's name, else an article's title.
DISPLAY_LABELS = (PREF_LABEL, RDFS_LABEL, ox.NamedNode(PREFIXES["dcterms"] + "title"))

# The classes entities have (graph.records.EntityType values).
CLASSES = tuple(kind.value for kind in EntityType)

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

# --- limits ------------------------------------------------------------------------
# Oxigraph's SPARQL parser recurses once per bracket and per operator of a chain; a
# query nested thousands deep overflows the stack and kills the process. These bounds sit
# far below that (about 2,000 brackets or 10,000 chained operators) and far above any
# query written by hand.

DEFAULT_TIMEOUT = 60.0
MAX_QUERY_CHARS = 500_000
MAX_NESTING = 200
MAX_OPERATORS = 2_000
# An endpoint's answer is read into memory; a larger one is refused.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
LIMITS_HELP = (
    f"A query may be at most {MAX_QUERY_CHARS:,} characters long, nest brackets at most "
    f"{MAX_NESTING} deep and hold at most {MAX_OPERATORS:,} operators and UNIONs."
)
_OPEN, _CLOSE = "({[", ")}]"
_OPERATOR_PUNCT = frozenset("!|&^/+-*=<>")
_OPERATOR_WORDS = frozenset({"UNION", "MINUS"})
# Words that make the engine fetch from the network.
_REMOTE_WORDS = frozenset({"SERVICE", "LOAD"})
# Characters a message must not print raw: controls, line and paragraph separators, bidi.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def shown(value: str, limit: int = 80) -> str:
    """``value`` fit for a one-line message: control characters escaped, long text cut.

    >>> shown("a\\x00b\\nc"), shown("x" * 100, 10)
    ('a\\\\x00b\\\\nc', 'xxxxxxxxx…')
    """
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    text = _UNPRINTABLE.sub(
        lambda m: (
            named.get(m.group())
            or (
                f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
            )
        ),
        value[: limit * 2],
    )
    return text if len(text) <= limit and len(value) <= limit * 2 else text[: limit - 1] + "…"


def decode_query(data: bytes, name: str) -> str:
    """Query text from a file's bytes: UTF-8, with or without a byte order mark."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise QueryError(f"{name}: a binary file, not a SPARQL query; give a UTF-8 text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QueryError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the query as UTF-8"
        ) from None


def read_query_file(path: Path | str) -> str:
    """The text of a query file, read as UTF-8 (a leading byte order mark is dropped)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise QueryError(
            f"{shown(str(path))}: cannot read the query: {exc.strerror or exc}"
        ) from None
    return decode_query(data, shown(str(path)))


def check_limits(text: str, *, allow_remote: bool = False) -> None:
    """Refuse a query too large or too deeply nested to parse safely, or one that goes online.

    >>> check_limits("SELECT * {" * 300)
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: query too deeply nested: brackets 300 deep, at most 200; flatten it
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too large: {len(text):,} characters, at most {MAX_QUERY_CHARS:,}; "
            "split it into smaller queries"
        )
    depth = deepest = operators = 0
    remote = ""
    for token in _tokens(text):
        if token.kind == "punct":
            if token.text in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif token.text in _CLOSE:
                depth -= 1
            elif token.text in _OPERATOR_PUNCT:
                operators += 1
        elif token.kind == "number" and token.text[0] in "+-":
            operators += 1
        elif token.kind == "word":
            word = token.text.upper()
            operators += word in _OPERATOR_WORDS
            remote = remote or (word if word in _REMOTE_WORDS else "")
    if deepest > MAX_NESTING:
        raise QueryError(
            f"query too deeply nested: brackets {deepest} deep, at most {MAX_NESTING}; flatten it"
        )
    if operators > MAX_OPERATORS:
        raise QueryError(
            f"query too large: {operators:,} operators and UNIONs, at most {MAX_OPERATORS:,}; "
            "split it, or list alternatives with VALUES"
        )
    if remote and not allow_remote:
        raise QueryError(
            f"refusing {remote}: it fetches data from the network; "
            "add --allow-remote to allow it (bounded by --timeout)"
        )


class QueryTimeout(QueryError):
    """A query ran out of time."""


def _in_worker(
    produce: Callable[[], Iterator[Any]], timeout: float, what: str = "the query"
) -> Iterator[Any]:
    """The items of ``produce()``, computed in a daemon thread, given up after ``timeout`` s.

    Oxigraph evaluates without holding the interpreter lock, so the caller waits with a
    deadline and stays responsive to Ctrl-C. A query cannot be cancelled: an abandoned
    worker stops at its next item and runs on only inside one long step (an aggregate);
    the command line exits right after, which ends it.
    """
    channel: queue.Queue = queue.Queue(maxsize=8)
    stop = threading.Event()

    def put(message: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                channel.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            batch: list[Any] = []
            handed = 0.0  # the first item (the head) goes at once, then batches
            for item in produce():
                batch.append(item)
                now = time.monotonic()
                if len(batch) >= 512 or now - handed > 0.02:
                    if not put(("items", batch)):
                        return
                    batch, handed = [], now
            if put(("items", batch)):
                put(("end", None))
        except BaseException as exc:  # handed to the reader, raised there
            put(("error", exc))

    deadline = time.monotonic() + timeout
    size = threading.stack_size()
    threading.stack_size(64 * 1024 * 1024)  # headroom for the parser's recursion
    try:
        threading.Thread(target=work, name="nekg-query", daemon=True).start()
    finally:
        threading.stack_size(size)
    try:
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise queue.Empty
                kind, value = channel.get(timeout=remaining)
            except queue.Empty:
                raise QueryTimeout(
                    f"{what} ran longer than --timeout {timeout:g} s and was stopped; "
                    "narrow it (LIMIT, fewer joins) or give a larger --timeout"
                ) from None
            if kind == "items":
                yield from value
            elif kind == "end":
                return
            else:
                raise value
    finally:
        stop.set()


# --- reading query text ----------------------------------------------------------

_TOKENS = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<var>[?$]\w+)"
    r"|(?P<bnode>_:[\w.-]+)"
    r"|(?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<punct>\S)"
)
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_QUERY_WORDS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    """SPARQL tokens (strings, IRIs and comments kept whole), comments left out."""
    return [
        _Token(m.lastgroup or "", m.group(), m.start())
        for m in _TOKENS.finditer(text)
        if m.lastgroup != "comment"
    ]


def _after_prologue(tokens: Sequence[_Token]) -> int:
    """Index of the first token after the ``PREFIX``/``BASE`` declarations."""
    i = 0
    while (
        i < len(tokens)
        and tokens[i].kind == "word"
        and tokens[i].text.upper() in ("PREFIX", "BASE")
    ):
        i += 3 if tokens[i].text.upper() == "PREFIX" else 2
    return i


def query_form(text: str) -> str:
    """The form of a SPARQL request: SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or "" if unclear.

    >>> query_form("PREFIX ex: <http://e/#> # a comment\\nselect * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("INSERT DATA { <a:b> <a:c> <a:d> }")
    'UPDATE'
    """
    tokens = _tokens(text)
    i = _after_prologue(tokens)
    if i >= len(tokens):
        return ""
    word = tokens[i].text.upper()
    if word in _QUERY_WORDS:
        return word
    return "UPDATE" if word in _UPDATE_WORDS else ""


def query_variables(text: str) -> list[str]:
    """The variables a query mentions, in order of first appearance.

    >>> query_variables("SELECT ?a WHERE { ?a <p> $b . FILTER(?a != '?c') }")
    ['a', 'b']
    """
    seen: dict[str, None] = {}
    for token in _tokens(text):
        if token.kind == "var":
            seen.setdefault(token.text[1:], None)
    return list(seen)


def _declared_prefixes(tokens: Sequence[_Token]) -> set[str]:
    return {
        tokens[i + 1].text[:-1]
        for i in range(len(tokens) - 1)
        if tokens[i].kind == "word"
        and tokens[i].text.upper() == "PREFIX"
        and tokens[i + 1].kind == "pname"
    }


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unknown_prefix(text: str, known: Iterable[str]) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix is neither declared nor known, with its position."""
    tokens = _tokens(text)
    defined = _declared_prefixes(tokens) | set(known)
    for i, token in enumerate(tokens):
        if token.kind != "pname" or (i and tokens[i - 1].text.upper() == "PREFIX"):
            continue
        prefix = token.text.split(":", 1)[0]
        if prefix not in defined:
            return prefix, *_line_col(text, token.offset)
    return None


_ERROR_AT = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)


def _syntax_error(
    message: str, text: str, known: Iterable[str], inserted: tuple[int, int] = (0, 0)
) -> QueryError:
    """One line for a SPARQL syntax error: line and column, and what was expected.

    ``inserted`` is ``(offset, length)`` of text added to ``text`` before parsing (bound
    parameters); positions after it are mapped back.
    """
    unknown = _unknown_prefix(text, known)
    if unknown:
        prefix, line, col = unknown
        names = ", ".join(sorted(known)) or "none"
        return QueryError(
            f"unknown prefix '{prefix}:' at line {line}, column {col}; defined prefixes: {names} "
            f"(declare others with PREFIX {prefix}: <…>)"
        )
    match = _ERROR_AT.match(message)
    if not match:
        return QueryError(f"SPARQL syntax error: {_first_line(message)}")
    line, col, detail = match.groups()
    at, length = inserted
    if length and (int(line), int(col)) > _line_col(text, at):
        prepared = text[:at] + " " * length + text[at:]
        offset = sum(len(x) + 1 for x in prepared.split("\n")[: int(line) - 1]) + int(col) - 1
        line, col = (str(n) for n in _line_col(text, max(offset - length, at)))
    lines = text.split("\n")
    near = (
        lines[int(line) - 1][max(int(col) - 12, 0) : int(col) + 8].strip()
        if int(line) <= len(lines)
        else ""
    )
    near_note = f" near '{shown(near)}'" if near else ""
    return QueryError(
        f"SPARQL syntax error at line {line}, column {col}{near_note}: {_first_line(detail)}"
    )


def _first_line(message: str, limit: int = 160) -> str:
    return shown(" ".join(message[: limit * 4].split()), limit)


# --- named queries -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    """A declared parameter of a named query.

    ``kind`` is ``entity`` (an IRI, or a name resolved through the labels, of ``type`` when
    given), ``class`` (a nekg class such as ``Company``), ``iri``, ``string`` or ``integer``.
    """

    name: str
    kind: str = "entity"
    type: str = ""
    optional: bool = False
    help: str = ""

    def usage(self) -> str:
        """``place`` for a required parameter, ``[type]`` for an optional one."""
        return f"[{self.name}]" if self.optional else self.name


_PARAM = re.compile(
    r"#\s*@param\s+(\w+)(\??)\s+(entity|class|iri|string|integer)(?::(\w+))?\s*(.*)"
)
_PARAM_KINDS_HELP = "entity[:Type], class, iri, string or integer"


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query shipped in ``graph/queries/NAME.rq``."""

    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the ``# description`` line and the ``# @param`` lines of a named query.

    >>> q = parse_header("q", "# Things.\\n# @param place? entity:Place  where\\nSELECT ?place {}")
    >>> q.description, q.params[0]
    ('Things.', Param(name='place', kind='entity', type='Place', optional=True, help='where'))
    """
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#") or lines[0].lstrip("# ").startswith("@param"):
        raise QueryError(f"named query {name}: the first line must be a '# description' comment")
    params = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        if "@param" in line:
            match = _PARAM.match(line)
            if not match:
                raise QueryError(
                    f"named query {name}: cannot read '{shown(line.strip())}'; "
                    f"write '# @param NAME[?] KIND  help' with KIND one of {_PARAM_KINDS_HELP}"
                )
            pname, optional, kind, type_, help_ = match.groups()
            params.append(Param(pname, kind, type_ or "", bool(optional), help_.strip()))
    return NamedQuery(name, lines[0].lstrip("#").strip(), text, tuple(params))


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped with the package, by name, sorted."""
    folder = resources.files("graph") / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            found[name] = parse_header(name, entry.read_text(encoding="utf-8"))
    return found


def named_query(name: str) -> NamedQuery:
    """The named query ``name``; the error lists the names there are."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(
            f"no named query '{name}'; there are: {', '.join(queries)}. Run `nekg queries` to list them."
        )
    return queries[name]


def looks_like_name(text: str) -> bool:
    """True for ``companies-in``, false for SPARQL text."""
    return bool(re.fullmatch(r"[a-z][a-z0-9_-]*", text))


def request(
    query: str | None, file_text: str | None = None, *, stdin: str | bytes | None = None
) -> tuple[str, NamedQuery | None]:
    """The SPARQL text to run and, for a named query, its declaration.

    ``query`` is SPARQL text, ``-`` (read ``stdin``), a path to a query file or the name of
    a named query; ``file_text`` is the content of ``-f FILE``. A query file may declare
    parameters with ``# @param`` lines just as the named queries do.
    """
    if query is not None and file_text is not None:
        raise QueryError("give the query either as an argument or with -f FILE, not both")
    if query is None and file_text is None:
        raise QueryError(
            "no query: give SPARQL text, -f FILE, - for stdin, or a name (run `nekg queries`)"
        )
    if query == "-":
        file_text = decode_query(stdin, "stdin") if isinstance(stdin, bytes) else stdin or ""
    elif query is not None and looks_like_name(query):
        named = named_query(query)
        return named.text, named
    elif query is not None and "{" not in query and "\n" not in query and _is_file(query):
        file_text = read_query_file(query)
    text = file_text if file_text is not None else query or ""
    if not text.strip():
        raise QueryError("the query is empty")
    if re.search(r"^\s*#\s*@param", text, re.M):
        return text, parse_header("the query", text)
    return text, None


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long
        return False


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

        found = store.fresh_oxigraph(path)
        if found is None:
            return None
        try:
            return ox.Store.read_only(str(found[0])), found[1], store.names_lookup(found[0])
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

        Turtle and TriG come from the build's writer (:func:`graph.rdf.to_turtle`); N-Triples
        and N-Quads are one statement a line, sorted.
        """
        from graph import rdf  # rdf imports rdflib, which a query does not otherwise need

        quads = list(self.store)
        if rdf_format == ox.RdfFormat.TURTLE:
            return rdf.to_turtle(rdf.from_oxigraph(q.triple for q in quads)).encode("utf-8")
        if rdf_format == ox.RdfFormat.TRIG:
            default = [q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
            named: dict[Any, list[ox.Triple]] = {}
            for q in quads:
                if not isinstance(q.graph_name, ox.DefaultGraph):
                    named.setdefault(q.graph_name, []).append(q.triple)
            return rdf.to_trig(
                rdf.from_oxigraph(default),
                {
                    rdf.from_oxigraph_term(name): list(rdf.from_oxigraph(triples))
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


class Endpoint:
    """A remote SPARQL endpoint spoken to over the SPARQL 1.1 protocol (HTTP POST).

    Every request is bounded by ``timeout`` seconds in all (not per read), and an answer
    larger than :data:`MAX_RESPONSE_BYTES` is refused.
    """

    ACCEPT = (
        "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
        "application/n-triples;q=0.9, text/turtle;q=0.8"
    )

    def __init__(
        self, url: str, timeout: float = DEFAULT_TIMEOUT, *, allow_remote: bool = False
    ) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError as exc:
            raise QueryError(f"--endpoint {shown(url)}: not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise QueryError(
                f"--endpoint {shown(url)}: give an http:// or https:// URL of a SPARQL endpoint"
            )
        self.url = url
        self.timeout = timeout
        self.allow_remote = allow_remote
        self.prefixes = dict(PREFIXES)

    def _post(self, url: str, form: Mapping[str, str], accept: str) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                "Accept": accept,
                "User-Agent": "nekg",
            },
        )
        deadline = time.monotonic() + self.timeout
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), _read_bounded(
                    response, deadline, url, self.timeout
                )
        except urllib.error.HTTPError as exc:
            detail = exc.read(4096).decode("utf-8", "replace").strip()
            raise QueryError(
                f"{url} answered {exc.code} {exc.reason}: {_first_line(detail) or 'no details'}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError | OSError) and "timed out" in str(reason):
                raise QueryTimeout(
                    f"{url} did not answer within --timeout {self.timeout:g} s; "
                    "check the URL or give a larger --timeout"
                ) from None
            raise QueryError(f"cannot reach {url}: {reason}") from None

    def _prepare(self, text: str, bindings: Mapping[str, Term]) -> str:
        """Declare the nekg prefixes the text uses but does not declare, and add ``bindings``."""
        tokens = _tokens(text)
        declared = _declared_prefixes(tokens)
        used = {t.text.split(":", 1)[0] for t in tokens if t.kind == "pname"}
        missing = sorted((used - declared) & set(self.prefixes))
        prologue = "".join(f"PREFIX {p}: <{self.prefixes[p]}> " for p in missing)
        return prologue + (_with_values(text, bindings)[0] if bindings else text)

    def execute(self, text: str, bindings: Mapping[str, Term], *, stream: bool = False) -> Result:
        """Send the query; read SPARQL JSON/XML results or an RDF graph back."""
        form = query_form(text)
        content_type, body = self._post(
            self.url, {"query": self._prepare(text, bindings)}, self.ACCEPT
        )
        results = {
            "application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV,
        }
        what = f"reading the answer of {self.url}"
        try:
            if content_type in results:
                items = _answers(ox.parse_query_results(body, format=results[content_type]), form)
            else:
                rdf_format = ox.RdfFormat.from_media_type(content_type)
                if rdf_format is None:
                    raise QueryError(
                        f"{self.url} answered with {content_type}, which is not a SPARQL result format"
                    )
                head = (form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", None)
                quads = ox.parse(body, format=rdf_format)
                items = iter([head, *(q.triple for q in quads)])
            head = next(items)
        except SyntaxError as exc:
            raise QueryError(
                f"cannot read the answer of {self.url}: {_first_line(str(exc))}"
            ) from None
        rows = _failures(_syntax_as_query_error(items, self.url), what)
        return _result(head, rows, stream, prefixes=self.prefixes, bound=dict(bindings))

    def update(self, text: str) -> str:
        """Send a SPARQL update (to ``…/update`` when the query URL ends in ``/query``)."""
        url = re.sub(r"/query$", "/update", self.url)
        self._post(url, {"update": self._prepare(text, {})}, "*/*")
        return f"updated {url}"

    def labels_of(self, iris: Iterable[str]) -> dict[str, str]:
        """Labels of ``iris``, asked for in batches bound through ``VALUES``."""
        iris = sorted(set(iris))
        predicates = " ".join(str(p) for p in DISPLAY_LABELS)
        best: dict[str, tuple[int, str]] = {}
        for start in range(0, len(iris), 200):
            batch = " ".join(str(ox.NamedNode(iri)) for iri in iris[start : start + 200])
            text = f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {batch} }} VALUES ?p {{ {predicates} }} ?s ?p ?l }}"
            for s, p, label in self.execute(text, {}).rows:
                if s is None or p is None or label is None:
                    continue
                rank = DISPLAY_LABELS.index(p)
                if s.value not in best or (rank, label.value) < best[s.value]:
                    best[s.value] = (rank, label.value)
        return {iri: label for iri, (_, label) in best.items()}

    def entities_named(self, name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Entities with a label equal to ``name`` or its normalized form (as plain or @zh text)."""
        forms = {name.strip(), normalize_name(name)}
        literals = " ".join(
            str(lit)
            for form in sorted(forms)
            for lit in (ox.Literal(form), ox.Literal(form, language="zh"))
        )
        text = (
            "SELECT ?s ?t WHERE { VALUES ?l { " + literals + " } "
            f"VALUES ?p {{ {PREF_LABEL} {ALT_LABEL} {RDFS_LABEL} }} ?s ?p ?l OPTIONAL {{ ?s {RDF_TYPE} ?t }} }}"
        )
        types: dict[str, set[str]] = {}
        for s, t in self.execute(text, {}).rows:
            if isinstance(s, ox.NamedNode):
                types.setdefault(s.value, set())
                if t is not None:
                    types[s.value].add(_local(t.value))
        labels = self.labels_of(types)
        return {iri: (labels.get(iri, ""), tuple(sorted(types[iri]))) for iri in sorted(types)}


def _read_bounded(response: Any, deadline: float, url: str, timeout: float) -> bytes:
    """The body of ``response``, refused past :data:`MAX_RESPONSE_BYTES` or the deadline."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise QueryError(
                f"{url} answered more than {MAX_RESPONSE_BYTES // 2**20} MB; "
                "ask for less (LIMIT) or use the endpoint's own export"
            )
        if time.monotonic() > deadline:
            raise QueryTimeout(
                f"{url} was still answering after --timeout {timeout:g} s; "
                "ask for less (LIMIT) or give a larger --timeout"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _syntax_as_query_error(items: Iterator[Any], url: str) -> Iterator[Any]:
    try:
        yield from items
    except SyntaxError as exc:
        raise QueryError(f"cannot read the answer of {url}: {_first_line(str(exc))}") from None


def _with_values(text: str, bindings: Mapping[str, Term]) -> tuple[str, tuple[int, int]]:
    """``text`` with ``VALUES`` for ``bindings`` at the start of its WHERE group.

    Returns the text and ``(offset, length)`` of what was inserted. The terms are written
    by pyoxigraph in N-Triples syntax, so a value cannot change the query's shape.

    >>> _with_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/x")})
    ('SELECT ?s WHERE { VALUES ?s { <http://e/x> } ?s ?p ?o }', (17, 27))
    """
    tokens = _tokens(text)
    i = _after_prologue(tokens)
    form = tokens[i].text.upper() if i < len(tokens) else ""
    if form in ("CONSTRUCT", "DESCRIBE"):
        while i < len(tokens) and tokens[i].text.upper() != "WHERE":
            i += 1
    while i < len(tokens) and tokens[i].text != "{":
        i += 1
    if i >= len(tokens):
        raise QueryError("cannot bind --param values in a query without a WHERE { … } group")
    values = " ".join(f"VALUES ?{name} {{ {term} }}" for name, term in bindings.items())
    at = tokens[i].offset + 1
    inserted = f" {values}"
    return f"{text[:at]}{inserted}{text[at:]}", (at, len(inserted))


# --- parameters ---------------------------------------------------------------------

_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_QUOTED = re.compile(r'^"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*))?$', re.S)


def _as_iri(value: str, prefixes: Mapping[str, str]) -> ox.NamedNode | None:
    """``<…>``, ``https://…`` or ``prefix:local`` as an IRI; None for anything else."""
    text = value.strip()
    iri = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif _IRI_SCHEME.match(text):
        iri = text
    elif re.fullmatch(r"[A-Za-z][\w.-]*:\S*", text) and text.split(":", 1)[0] in prefixes:
        prefix, local = text.split(":", 1)
        iri = prefixes[prefix] + local
    if iri is None:
        return None
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"'{shown(value)}' is not a valid IRI: {shown(str(exc))}") from None


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` for an IRI under a known namespace, else ``<iri>``.

    >>> compact("https://w3id.org/nekg/id/place/320400", PREFIXES)
    'id:place/320400'
    """
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def bind_value(param: Param, value: str, source: Source) -> Term:
    """The RDF term ``value`` stands for as ``param``; names are resolved through the labels."""
    flag = f"--param {param.name}"
    if param.kind == "integer":
        try:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
        except ValueError:
            raise QueryError(f"{flag}: '{shown(value)}' is not an integer") from None
    if param.kind == "string":
        return ox.Literal(value)
    quoted = _QUOTED.match(value.strip())
    if quoted and param.kind == "entity" and not param.type:
        return (
            ox.Literal(quoted.group(1), language=quoted.group(2))
            if quoted.group(2)
            else ox.Literal(quoted.group(1))
        )
    iri = _as_iri(value, source.prefixes)
    if iri is not None:
        return iri
    if param.kind == "iri":
        raise QueryError(
            f"{flag}: '{shown(value)}' is not an IRI; write <https://…> or prefix:name"
        )
    if param.kind == "class":
        by_name = {c.lower(): c for c in CLASSES}
        if value.strip().lower() in by_name:
            return ox.NamedNode(NEKG + by_name[value.strip().lower()])
        raise QueryError(
            f"{flag}: no class '{shown(value)}'; classes: {', '.join(CLASSES)} (or give an IRI)"
        )
    return _resolve_name(param, value, source)


def _resolve_name(param: Param, name: str, source: Source) -> ox.NamedNode:
    flag = f"--param {param.name}"
    found = source.entities_named(name)
    if param.type:
        typed = {iri: info for iri, info in found.items() if param.type in info[1]}
        if not typed and found:
            others = "; ".join(_candidate(iri, info, PREFIXES) for iri, info in found.items())
            raise QueryError(f"{flag}: '{shown(name)}' names no {param.type}, only: {others}")
        found = typed
    if not found:
        kind = f" {param.type}" if param.type else ""
        raise QueryError(
            f"{flag}: no{kind} entity is named '{shown(name)}' (skos:prefLabel, skos:altLabel or rdfs:label); "
            f"run `nekg query entities-by-type` to see the names"
        )
    if len(found) > 1:
        listing = "; ".join(_candidate(iri, info, PREFIXES) for iri, info in found.items())
        first = compact(next(iter(found)), PREFIXES)
        raise QueryError(
            f"{flag}: '{shown(name)}' is ambiguous: {listing}; pass one IRI instead, e.g. {flag}={first}"
        )
    return ox.NamedNode(next(iter(found)))


def _candidate(iri: str, info: tuple[str, tuple[str, ...]], prefixes: Mapping[str, str]) -> str:
    label, types = info
    details = ", ".join(x for x in (label, "/".join(types)) if x)
    return f"{compact(iri, prefixes)} ({details})" if details else compact(iri, prefixes)


def bind_params(
    declared: Sequence[Param] | None,
    values: Mapping[str, str],
    source: Source,
    *,
    text: str = "",
    where: str = "the query",
) -> dict[str, Term]:
    """Check ``values`` against the declared parameters and turn each into an RDF term.

    ``declared`` None means an ad-hoc query: any of its variables may be given, as an IRI,
    a quoted literal (``"常州"@zh``) or an entity name.
    """
    if declared is None:
        variables = query_variables(text)
        declared = [Param(name) for name in variables if name in values]
        allowed = variables
        listing = ", ".join(f"?{v}" for v in variables) or "none"
        what = f"its variables: {listing}"
    else:
        allowed = [p.name for p in declared]
        what = f"its parameters: {', '.join(p.usage() for p in declared) or 'none'}"
    for name in values:
        if name not in allowed:
            raise QueryError(f"{where} has no parameter '{shown(name)}'; {what}")
    for param in declared:
        if param.name not in values and not param.optional:
            hint = f" ({param.help})" if param.help else ""
            raise QueryError(f"{where} needs --param {param.name}=…{hint}; {what}")
    return {p.name: bind_value(p, values[p.name], source) for p in declared if p.name in values}


def parse_param_options(options: Iterable[str]) -> dict[str, str]:
    """``["place=常州"]`` -> ``{"place": "常州"}``.

    >>> parse_param_options(["place=常州", "n = 3"])
    {'place': '常州', 'n': '3'}
    """
    values: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", name):
            raise QueryError(
                f"--param '{shown(option)}': write NAME=VALUE, e.g. --param place=常州"
            )
        if name in values:
            raise QueryError(f"--param {name} is given twice")
        values[name] = value.strip()
    return values


# --- running ---------------------------------------------------------------------------


def open_source(
    graph: Path | str | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    allow_remote: bool = False,
) -> Source:
    """A local graph file (default ``out/graph.ttl``) or a remote endpoint, not both.

    Every query and update on it is given up after ``timeout`` seconds; SERVICE and LOAD,
    which fetch from the network, are refused unless ``allow_remote``.
    """
    if graph is not None and endpoint:
        raise QueryError("give either --graph FILE or --endpoint URL, not both")
    if not math.isfinite(timeout) or timeout <= 0:
        raise QueryError(f"--timeout {timeout}: give a number of seconds above 0")
    if endpoint:
        return Endpoint(endpoint, timeout, allow_remote=allow_remote)
    return LocalGraph.load(
        graph if graph is not None else DEFAULT_GRAPH, timeout=timeout, allow_remote=allow_remote
    )


def run(
    source: Source,
    text: str,
    values: Mapping[str, str] | None = None,
    *,
    declared: Sequence[Param] | None = None,
    name: str = "",
    allow_update: bool = False,
    stream: bool = False,
) -> Result | str:
    """Run a query (or, when allowed, an update) on ``source``.

    Returns the :class:`Result` of a query, or the summary line of an update. With
    ``stream`` the rows or triples of the result are read as they come (within the
    source's timeout) instead of all at once.
    """
    check_limits(text, allow_remote=getattr(source, "allow_remote", False))
    form = query_form(text)
    if form == "UPDATE":
        if not allow_update:
            raise QueryError(
                "refusing to run a SPARQL update: queries are read-only; add --update to change the graph"
            )
        if values:
            raise QueryError("--param cannot be used with an update")
        return source.update(text)
    bindings = bind_params(declared, values or {}, source, text=text, where=name or "the query")
    return source.execute(text, bindings, stream=stream)


def label_map(source: Source, result: Result) -> dict[str, str]:
    """Labels for every IRI in ``result``."""
    iris = {term.value for row in result.rows for term in row if isinstance(term, ox.NamedNode)} | {
        term.value
        for triple in result.triples
        for term in (triple.subject, triple.object)
        if isinstance(term, ox.NamedNode)
    }
    return source.labels_of(iris) if iris else {}


def describe_queries() -> list[tuple[str, str, str]]:
    """``(name, parameters, description)`` of every named query."""
    return [
        (q.name, " ".join(p.usage() for p in q.params), q.description)
        for q in named_queries().values()
    ]
