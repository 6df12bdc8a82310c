"""Guards every query passes before and while it runs: size, nesting, SERVICE/LOAD, timeout."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graph.errors import QueryError
from graph.query.syntax import _tokens
from graph.query.terms import shown

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
