"""Writing RDF deterministically: sorted Turtle, TriG and N-Triples, byte-identical for the
same graph whatever order its triples were added in."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.errors import GraphError
from graph.rdf.build import _TERMS, Triple
from graph.rdf.read import _converter
from graph.rdf.vocab import ID, NEKG, PREFIXES
from graph.text.chars import scalar_text

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]*)$")
_KIND = re.compile(r"^[a-z][a-z0-9]*$")
_RESERVED_PREFIXES = frozenset(PREFIXES) | {
    "id",
    "org",
    "sh",
    "dc",
    "foaf",
    "wdt",
    "geo",
    "nif",
    "its",
}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
# Predicates shown first, in this order; the rest follow sorted by IRI.
_FIRST = (
    RDF.type,
    SKOS.prefLabel,
    RDFS.label,
    SKOS.altLabel,
    RDF.subject,
    RDF.predicate,
    RDF.object,
)
# Subjects grouped by kind: entities, articles, evidence of facts, mentions.
_SUBJECT_RANK = {NEKG.Article: 1, RDF.Statement: 2, NEKG.Mention: 3}


class NodeSource(Protocol):
    """Subject blocks made on demand (e.g. :class:`graph.rdf.build.MentionNodes`): the
    subjects, and the triples of one subject."""

    def __iter__(self) -> Iterator[Node]: ...

    def triples_of(self, node: Node) -> Iterable[Triple]: ...


def _escape(text: str) -> str:
    r"""The body of a quoted Turtle/N-Triples string holding ``text``.

    Quotes, backslashes and control characters are escaped (``\n``, ``\u001B``); a
    lone surrogate, which no UTF-8 file can hold, becomes U+FFFD. Everything else is
    written as it is: escaping U+FFFE as ``\uFFFE`` makes rapper refuse the file.

    >>> print(_escape('say "hi" \\ \n\x1b|\ud800'))
    say \"hi\" \\ \n\u001B|�
    """
    text = scalar_text(text)
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)


class _TurtleWriter:
    """Writes triples as sorted Turtle; prefixes are the nekg ones plus one per id kind."""

    def __init__(self) -> None:
        self.namespaces = {str(ns): prefix for prefix, ns in PREFIXES.items()}
        self.used: set[str] = set()
        self.cache: dict[Node, str] = {}

    def term(self, node: Node) -> str:
        text = self.cache.get(node)
        if text is None:
            if len(self.cache) >= _TERMS:  # most terms occur in one block only
                self.cache.clear()
            if isinstance(node, URIRef):
                text = self._iri(str(node))
            elif isinstance(node, Literal):
                text = self._literal(node)
            elif isinstance(node, BNode):
                text = f"_:{node}"
            else:
                raise GraphError(f"cannot write {node!r} as Turtle")
            self.cache[node] = text
        return text

    def _iri(self, iri: str) -> str:
        if _IRI_FORBIDDEN.search(iri):
            raise GraphError(f"IRI {iri!r} holds characters not allowed in IRIs")
        if iri == str(RDF.type):
            return "a"
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        namespace, local = iri[:cut], iri[cut:]
        prefix = self.namespaces.get(namespace)
        if prefix is None and namespace.startswith(str(ID)):
            kind = namespace[len(str(ID)) : -1]
            if _KIND.match(kind):
                # company:calb; but not org: or sh:, which readers know as other vocabularies
                prefix = kind if kind not in _RESERVED_PREFIXES else f"{kind}id"
                self.namespaces[namespace] = prefix
        if prefix is not None and _PN_LOCAL.match(local):
            self.used.add(prefix)
            return f"{prefix}:{local}"
        return f"<{iri}>"

    def _literal(self, node: Literal) -> str:
        lexical = str(node)
        if node.language:
            return f'"{_escape(lexical)}"@{node.language}'
        datatype = node.datatype
        if datatype == XSD.integer and _INTEGER.match(lexical):
            return lexical
        if datatype == XSD.decimal and _DECIMAL.match(lexical):
            return lexical
        if datatype is None or datatype == XSD.string:
            return f'"{_escape(lexical)}"'
        return f'"{_escape(lexical)}"^^{self._iri(str(datatype))}'

    def body(self, triples: Graph | Iterable[Triple], nodes: NodeSource | None = None) -> str:
        """Subject blocks, sorted: entities, articles, statements, mentions, then the rest."""
        return "\n".join(self.blocks(triples, nodes))

    def blocks(
        self, triples: Graph | Iterable[Triple], nodes: NodeSource | None = None
    ) -> Iterator[str]:
        """The subject blocks of :meth:`body`, one at a time.

        A graph is walked one subject at a time through its index, so besides the text
        only the sorted subjects are held; other triples are grouped by subject first.
        The triples of ``nodes`` are written as if they were in ``triples``: each of its
        subjects' blocks is made when its turn in the sorted stream comes, merged with
        what ``triples`` says about the same subject.
        """
        if isinstance(triples, Graph):
            graph = triples
            subjects: Iterable[Node] = set(graph.subjects(unique=True))

            def types_of(subject: Node) -> Iterable[Node]:
                return graph.objects(subject, RDF.type)

            def properties_of(subject: Node) -> dict[Node, set[Node]]:
                found: dict[Node, set[Node]] = defaultdict(set)
                for p, o in graph.predicate_objects(subject):
                    found[p].add(o)
                return found
        else:
            by_subject: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
            for s, p, o in triples:
                by_subject[s][p].add(o)
            subjects = by_subject

            def types_of(subject: Node) -> Iterable[Node]:
                return by_subject[subject].get(RDF.type, ())

            def properties_of(subject: Node) -> dict[Node, set[Node]]:
                return by_subject[subject]

        if nodes is not None:
            base_subjects, base_types, base_properties = subjects, types_of, properties_of
            subjects = set(base_subjects)
            subjects.update(nodes)

            def types_of(subject: Node) -> Iterable[Node]:
                yield from base_types(subject)
                yield from (o for _, p, o in nodes.triples_of(subject) if p == RDF.type)

            def properties_of(subject: Node) -> dict[Node, set[Node]]:
                found: dict[Node, set[Node]] = defaultdict(set)
                for p, objects in base_properties(subject).items():
                    found[p].update(objects)
                for _, p, o in nodes.triples_of(subject):
                    found[p].add(o)
                return found

        def subject_key(subject: Node) -> tuple[int, str]:
            ranks = (
                _SUBJECT_RANK.get(t, 0 if str(t).startswith(str(NEKG)) else 4)
                for t in types_of(subject)
            )
            return min(ranks, default=4), self.term(subject)

        def predicate_key(predicate: Node) -> tuple[int, str]:
            return (_FIRST.index(predicate) if predicate in _FIRST else len(_FIRST)), str(predicate)

        for _, subject in sorted((subject_key(s), s) for s in subjects):
            properties = properties_of(subject)
            lines = []
            for p in sorted(properties, key=predicate_key):
                objects = sorted(self.term(o) for o in properties[p])
                line = f"{self.term(p)} " + ", ".join(objects)
                if len(line) > 100 and len(objects) > 1:  # long lists: one object a line
                    line = f"{self.term(p)}\n        " + ",\n        ".join(objects)
                lines.append(line)
            yield f"{self.term(subject)} " + " ;\n    ".join(lines) + " .\n"

    def header(self) -> str:
        """``@prefix`` lines for the prefixes the body used."""
        prefixes = {prefix: ns for ns, prefix in self.namespaces.items() if prefix in self.used}
        return "".join(f"@prefix {p}: <{prefixes[p]}> .\n" for p in sorted(prefixes))


def to_turtle(graph: Graph | Iterable[Triple], nodes: NodeSource | None = None) -> str:
    """Serialize as sorted Turtle: same triples, same bytes, whatever the store or order.

    ``nodes`` adds subject blocks made on demand (see :class:`NodeSource`): the text is
    that of one graph holding both.
    """
    writer = _TurtleWriter()
    body = writer.body(graph, nodes)
    return writer.header() + "\n" + body


def to_turtle_bytes(graph: Graph | Iterable[Triple], nodes: NodeSource | None = None) -> bytearray:
    """``to_turtle(graph, nodes)`` as UTF-8, encoded block by block: the text is held once,
    not as blocks, body, whole text and bytes in turn."""
    writer = _TurtleWriter()
    out = bytearray()
    for block in writer.blocks(graph, nodes):
        if out:
            out += b"\n"
        out += block.encode("utf-8")
    out[0:0] = f"{writer.header()}\n".encode()
    return out


def to_trig(default: Iterable[Triple], named: dict[URIRef, Iterable[Triple]]) -> str:
    """Serialize a default graph and named graphs as sorted TriG."""
    writer = _TurtleWriter()
    parts = [writer.body(default)]
    for name in sorted(named, key=str):
        parts.append(f"{writer.term(name)} {{\n{writer.body(named[name])}}}\n")
    return writer.header() + "\n" + "\n".join(p for p in parts if p)


def _nt_term(node: Node) -> str:
    if isinstance(node, URIRef):
        iri = scalar_text(str(node))
        if _IRI_FORBIDDEN.search(iri):
            raise GraphError(f"IRI {iri!r} holds characters not allowed in IRIs")
        return f"<{iri}>"
    if isinstance(node, Literal):
        quoted = f'"{_escape(str(node))}"'
        if node.language:
            return f"{quoted}@{node.language}"
        if node.datatype is None or node.datatype == XSD.string:
            return quoted
        return f"{quoted}^^{_nt_term(node.datatype)}"
    if isinstance(node, BNode):
        return f"_:{node}"
    raise GraphError(f"cannot write {node!r} as N-Triples")


def to_ntriples(graph: Graph | Iterable[Triple]) -> str:
    r"""Serialize as sorted N-Triples: one triple a line, whatever the literals hold.

    Line breaks and other controls in literals are escaped, so a line is a triple.

    >>> print(to_ntriples([(ID["a"], RDFS.label, Literal("x\ty\nz", lang="zh"))]), end="")
    <https://w3id.org/nekg/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "x\ty\nz"@zh .
    """
    convert = _converter(_nt_term)
    lines = {f"{convert(s)} {convert(p)} {convert(o)} .\n" for s, p, o in graph}
    return "".join(sorted(lines))
