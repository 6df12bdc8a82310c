"""Prefixes, graph formats and term types shared by the query modules."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from graph.rdf.namespaces import DCTERMS, ID, NEKG, QUERY_PREFIXES, RDF, RDFS, SKOS  # noqa: F401 (ID, NEKG: for the query modules)
from graph.records import EntityType

PREFIXES: dict[str, str] = dict(QUERY_PREFIXES)
DEFAULT_GRAPH = Path("out") / "graph.ttl"

RDF_TYPE = ox.NamedNode(RDF + "type")
PREF_LABEL = ox.NamedNode(SKOS + "prefLabel")
ALT_LABEL = ox.NamedNode(SKOS + "altLabel")
RDFS_LABEL = ox.NamedNode(RDFS + "label")
LABELS = (PREF_LABEL, ALT_LABEL, RDFS_LABEL)
# What --labels shows for an IRI, first found wins: an entity's name, else an article's title.
DISPLAY_LABELS = (PREF_LABEL, RDFS_LABEL, ox.NamedNode(DCTERMS + "title"))

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
