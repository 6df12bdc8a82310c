"""What a store keeps beside its graph to open fast: an index of names (each label, normalized
as names are compared, to the IRIs it names, so that ``nekg query -p place=…`` resolves a name
without reading every label) and a stamp of graph.ttl (so an unchanged file is not hashed)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

NAMES_FILE = "names.sqlite"

# Labels a name is resolved through (as graph.query.LABELS).
_LABEL_IRIS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)


def write_names(oxigraph: object, path: Path) -> None:
    """An index from each label, normalized as names are compared, to the IRIs it names.

    ``nekg query`` resolves a name through it (:func:`names_lookup`) instead of reading
    every label of the graph.
    """
    import pyoxigraph

    from graph.text.normalize import normalize_name

    pairs = set()
    normalized: dict[str, str] = {}  # an entity's labels often repeat
    for predicate in _LABEL_IRIS:
        for quad in oxigraph.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                label = quad.object.value
                if label not in normalized:
                    normalized[label] = normalize_name(label)
                pairs.add((normalized[label], quad.subject.value))
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE names (name TEXT NOT NULL, iri TEXT NOT NULL)")
        db.executemany("INSERT INTO names VALUES (?, ?)", sorted(pairs))
        db.execute("CREATE INDEX names_by_name ON names (name)")
        db.commit()
    finally:
        db.close()


def names_lookup(oxigraph_path: Path) -> Callable[[str], list[str]] | None:
    """IRIs by normalized label from the index beside a generation's Oxigraph store, if any."""
    index = oxigraph_path.parent / NAMES_FILE
    if not index.is_file():
        return None
    try:
        db = sqlite3.connect(
            f"{index.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        db.execute("SELECT 1 FROM names LIMIT 1")
    except sqlite3.Error:
        return None

    def lookup(normalized: str) -> list[str]:
        rows = db.execute("SELECT DISTINCT iri FROM names WHERE name = ?", (normalized,))
        return [iri for (iri,) in rows]

    return lookup


def stamp_of(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def write_stamp(graph_file: Path, path: Path, write: Callable[[Path, str], None]) -> None:
    """What ``graph_file`` looks like on disk once written (inode, size, times).

    A query finding it unchanged trusts the store without hashing the file; any change to
    the file (an edit, a copy, ``nekg query --update``) changes its inode or change time.
    """
    stamp = stamp_of(graph_file)
    if stamp is not None:
        with contextlib.suppress(OSError):  # without it a query hashes graph.ttl
            write(path, json.dumps(stamp))
