"""The RDF stage: records in, an rdflib graph out; the only module that builds rdflib terms.

The data model (see README, "The graph (RDF)"):

- an entity is ``id/<Entity.id>`` with its class, one ``skos:prefLabel``, ``rdfs:label``,
  ``skos:altLabel`` per alias, ``nekg:adminCode`` and ``skos:exactMatch`` to Wikidata;
- a fact is one plain triple ``<head> nekg:<rel> <tail>``, plus one ``rdf:Statement`` +
  ``prov:Entity`` node per piece of evidence (article, sentence, offsets, method, confidence,
  the ids of the rules that stated it, ``nekg:rule``);
- a mention is ``<article> schema:mentions <entity>`` plus one ``nekg:Mention`` node per
  occurrence (with the ``nekg:rule`` id of the recognizer that found it); an article is
  ``nekg:Article, schema:NewsArticle`` with its metadata.

IRIs depend only on the content they name, never on the order articles are read in, and
:func:`to_turtle` writes them sorted, so the same input gives byte-identical Turtle.

>>> from graph.records import Article, Entity, EntityType
>>> ex = Extraction(articles=(Article("a1", "金坛区位于常州。", title="金坛"),),
...                 entities=(Entity("place/320413", EntityType.PLACE, "金坛区"),))
>>> print(to_turtle(to_graph(ex)).split("\\n\\n")[1])
place:320413 a nekg:Place ;
    skos:prefLabel "金坛区"@zh ;
    rdfs:label "金坛区"@zh .
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.display import shown
from graph.errors import GraphError
from graph.figures import canonical
from graph.files import replace_outputs
from graph.rdf.vocab import ID, NEKG, PREFIXES, SCHEMA, WD
from graph.records import (
    SYMMETRIC_RELATIONS,
    Article,
    Entity,
    Extraction,
    Figure,
    Mention,
    Relation,
    Sentence,
)
from graph.rules_registry import relation_rules
from graph.text.chars import scalar_text
from graph.text.normalize import sentence_at

Triple = tuple[Node, Node, Node]

# The store to_graph and read_graph use. Measured on a 179k-triple graph: building through
# rdflib's API takes the same time in both stores (4.5 s memory, 4.1 s Oxigraph), but
# everything that walks the graph from Python (sorted Turtle, GraphML, pySHACL) is 1.5-3x
# faster in rdflib's memory store, where no term crosses from Rust to Python. Oxigraph is
# what reading files (pyoxigraph parses 15x faster than rdflib) and SPARQL are done with;
# pass store="Oxigraph" to get a graph for SPARQL queries.
STORE = "default"

# An entity or article id becomes the tail of an IRI: keep it ASCII and IRI-safe.
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/-]*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ADMIN_CODE = re.compile(r"^[0-9]{6}([0-9]{3}|[0-9]{6})?$")
_STOCK_CODE = re.compile(r"^(?:[0-9]{6}\.(?:SZ|SH|BJ)|[0-9]{5}\.HK)$")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


_IRIS = 1 << 14  # entity and article IRIs kept for reuse (see _TERMS below)


def new_graph(store: str = STORE) -> Graph:
    """An empty graph with the nekg prefixes bound."""
    graph = Graph(store=store)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    graph.bind("id", ID, override=True)
    return graph


# --- IRIs ----------------------------------------------------------------------------


def _digest(*parts: object) -> str:
    text = "|".join(str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@lru_cache(maxsize=_IRIS)
def entity_iri(entity_id: str) -> URIRef:
    """The IRI of an entity: ``id/`` + its ASCII id.

    >>> entity_iri("company/calb")
    rdflib.term.URIRef('https://w3id.org/nekg/id/company/calb')
    >>> entity_iri("公司/x")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: entity id '公司/x' cannot be an IRI: use ASCII letters, digits and ._~/- only
    """
    if not _SAFE_ID.match(entity_id) or "//" in entity_id:
        raise GraphError(
            f"entity id {entity_id!r} cannot be an IRI: use ASCII letters, digits and ._~/- only"
        )
    return URIRef(f"{ID}{entity_id}")


@lru_cache(maxsize=_IRIS)
def article_iri(article_id: str) -> URIRef:
    """The IRI of an article: ``id/article/<Article.id>``."""
    if not _SAFE_ID.match(article_id) or "/" in article_id:
        raise GraphError(
            f"article id {article_id!r} cannot be an IRI: use ASCII letters, digits and ._~- only"
        )
    return URIRef(f"{ID}article/{article_id}")


def statement_iri(
    head: str, rel: str, tail: str, article_id: str, start: int, end: int, role: str = ""
) -> URIRef:
    """The IRI of one piece of evidence for a fact.

    ``id/statement/`` + 16 hex digits of SHA-1 over ``head|rel|tail|article|start|end``
    (entity ids, relation name, article id, sentence offsets), ``|role`` appended when
    a ``hasRole`` fact names one.

    >>> statement_iri("company/calb", "locatedIn", "place/320413", "a1", 0, 21)[-16:] == (
    ...     hashlib.sha1(b"company/calb|locatedIn|place/320413|a1|0|21").hexdigest()[:16])
    True
    """
    parts: list[object] = [head, rel, tail, article_id, start, end]
    if role:
        parts.append(role)
    return URIRef(f"{ID}statement/{_digest(*parts)}")


def mention_iri(mention: Mention) -> URIRef:
    """The IRI of one mention: ``id/mention/`` + 16 hex of SHA-1 over ``entity|article|start|end``."""
    return URIRef(
        f"{ID}mention/{_digest(mention.entity_id, mention.article_id, mention.start, mention.end)}"
    )


# --- literals --------------------------------------------------------------------------


# The same literal or IRI recurs in many triples (a sentence in each of its mentions, a
# method, a confidence, an offset): one shared term each keeps the graph smaller and skips
# rdflib's parsing of the lexical form for every repeat. Bounded, so memory is too.
_TERMS = 1 << 16


@lru_cache(maxsize=_TERMS)
def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


@lru_cache(maxsize=_TERMS)
def _plain(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=_TERMS)
def _integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


def _decimal(value: float, what: str) -> Literal:
    """A confidence as a canonical xsd:decimal: 0.90 -> "0.9", 1.0 -> "1".

    Oxigraph stores decimals in canonical form, so only canonical lexical forms read back
    as the same term in every store.
    """
    if not math.isfinite(value):
        raise GraphError(f"{what}: confidence {value!r} is not a number between 0 and 1")
    return _canonical_decimal(value)


@lru_cache(maxsize=_TERMS)
def _canonical_decimal(value: float) -> Literal:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return Literal("0" if text in ("-0", "") else text, datatype=XSD.decimal)


def _url(url: str) -> URIRef | None:
    """A web address as an IRI (characters not allowed in IRIs percent-encoded), or None."""
    url = scalar_text(url).strip()
    if not re.match(r"^https?://[^/\s]", url):
        return None
    return URIRef(quote(url, safe=_URL_SAFE))


# --- records -> triples -----------------------------------------------------------------


def article_triples(article: Article) -> Iterator[Triple]:
    """An article node with its metadata (date, publisher and url only when known)."""
    node = article_iri(article.id)
    yield node, RDF.type, NEKG.Article
    yield node, RDF.type, SCHEMA.NewsArticle
    if article.title:
        yield node, DCTERMS.title, _zh(article.title)
    if article.date:
        yield node, DCTERMS.date, Literal(article.date)
    if article.source:
        yield node, DCTERMS.publisher, _zh(article.source)
    url = _url(article.url)
    if url is not None:
        yield node, SCHEMA.url, url
    digest = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    yield node, NEKG.contentHash, Literal(f"sha256:{digest}")


def entity_triples(entity: Entity) -> Iterator[Triple]:
    """An entity node: class, labels, aliases and external identifiers."""
    node = entity_iri(entity.id)
    yield node, RDF.type, NEKG[entity.type.value]
    yield node, SKOS.prefLabel, _zh(entity.name)
    yield node, RDFS.label, _zh(entity.name)
    for alias in sorted(set(entity.aliases) - {entity.name}):
        if alias:
            yield node, SKOS.altLabel, _zh(alias)
    for scheme, value in entity.external:
        if scheme in ("adcode", "admin_code"):
            code = value.strip()
            if not _ADMIN_CODE.match(code):
                raise GraphError(
                    f"entity {entity.id}: administrative code {value!r} is not 6, 9 or 12 digits"
                )
            yield node, NEKG.adminCode, Literal(code)
        elif scheme == "stock":
            if not _STOCK_CODE.match(value.strip()):
                raise GraphError(
                    f"entity {entity.id}: stock code {value!r} is not like 300750.SZ or 00700.HK"
                )
            yield node, NEKG.stockCode, Literal(value.strip())
        elif scheme == "wikidata":
            if not _QID.match(value.strip()):
                raise GraphError(
                    f"entity {entity.id}: Wikidata id {value!r} is not a Q-number like Q1094"
                )
            yield node, SKOS.exactMatch, WD[value.strip()]
        else:
            yield node, DCTERMS.identifier, Literal(f"{scheme}:{value}")


def fact_ends(relation: Relation) -> tuple[str, str]:
    """``(head, tail)`` of a fact; a symmetric fact is stored once, its ends ordered by IRI."""
    head, tail = relation.head, relation.tail
    if relation.rel in SYMMETRIC_RELATIONS and str(entity_iri(tail)) < str(entity_iri(head)):
        head, tail = tail, head
    return head, tail


def relation_triples(relation: Relation) -> Iterator[Triple]:
    """The plain fact triple and one provenance node per piece of evidence."""
    head, tail = fact_ends(relation)
    subject, predicate, obj = entity_iri(head), NEKG[relation.rel.value], entity_iri(tail)
    yield subject, predicate, obj
    for ev in relation.evidence:
        node = statement_iri(
            head, relation.rel.value, tail, ev.article_id, ev.start, ev.end, relation.role
        )
        yield node, RDF.type, RDF.Statement
        yield node, RDF.type, PROV.Entity
        yield node, RDF.subject, subject
        yield node, RDF.predicate, predicate
        yield node, RDF.object, obj
        yield node, PROV.wasDerivedFrom, article_iri(ev.article_id)
        yield node, NEKG.evidence, _zh(ev.sentence)
        yield node, NEKG.start, _integer(ev.start)
        yield node, NEKG.end, _integer(ev.end)
        yield node, NEKG.method, _plain(ev.method)
        for rule in relation_rules(ev.method):
            yield node, NEKG.rule, _plain(rule)
        yield (
            node,
            NEKG.confidence,
            _decimal(ev.confidence, f"evidence for {head} {relation.rel} {tail}"),
        )
        if relation.role:
            yield node, NEKG.role, _zh(relation.role)


def mention_triples(mention: Mention, sentence: str | None) -> Iterator[Triple]:
    """``<article> schema:mentions <entity>`` and the mention's own evidence node."""
    entity, article = entity_iri(mention.entity_id), article_iri(mention.article_id)
    yield article, SCHEMA.mentions, entity
    node = mention_iri(mention)
    yield node, RDF.type, NEKG.Mention
    yield node, RDF.type, PROV.Entity
    yield node, NEKG.mentionOf, entity
    yield node, PROV.wasDerivedFrom, article
    yield node, NEKG.surface, _zh(mention.text)
    if sentence is not None:
        yield node, NEKG.evidence, _zh(sentence)
    yield node, NEKG.start, _integer(mention.start)
    yield node, NEKG.end, _integer(mention.end)
    if mention.method:
        yield node, NEKG.method, _plain(mention.method)
    if mention.rule:
        yield node, NEKG.rule, _plain(mention.rule)
    yield (
        node,
        NEKG.confidence,
        _decimal(mention.confidence, f"mention {mention.text!r} in {mention.article_id}"),
    )


def figure_iri(figure: Figure) -> URIRef:
    """The IRI of one figure: ``id/figure/`` + 16 hex of SHA-1 over its article, offsets and subject."""
    return URIRef(
        f"{ID}figure/{_digest(figure.article_id, figure.start, figure.end, figure.subject)}"
    )


def figure_triples(figure: Figure) -> Iterator[Triple]:
    """One ``nekg:Observation`` node: what the figure is about, its value and its evidence.

    The value is a canonical xsd:decimal in the base unit; ``nekg:start``/``nekg:end`` are
    the offsets of the figure as written, ``nekg:evidence`` its sentence (see docs/figures.md).
    """
    node = figure_iri(figure)
    ev = figure.evidence
    yield node, RDF.type, NEKG.Observation
    yield node, RDF.type, PROV.Entity
    if figure.subject:
        yield node, NEKG.figureOf, entity_iri(figure.subject)
    yield node, NEKG.measure, _plain(figure.measure)
    if figure.value is not None:
        yield node, NEKG.value, Literal(canonical(figure.value), datatype=XSD.decimal)
    if figure.unit:
        yield node, NEKG.unit, _plain(figure.unit)
    if figure.unit_text:
        yield node, NEKG.unitText, _zh(figure.unit_text)
    yield node, NEKG.figureText, _zh(figure.text)
    if figure.qualifier:
        yield node, NEKG.qualifier, _plain(figure.qualifier)
    if figure.period:
        yield node, NEKG.period, _plain(figure.period)
        yield node, NEKG.periodResolution, _plain(figure.period_resolution)
    if figure.period_text:
        yield node, NEKG.periodText, _zh(figure.period_text)
    yield node, PROV.wasDerivedFrom, article_iri(figure.article_id)
    yield node, NEKG.evidence, _zh(ev.sentence)
    yield node, NEKG.start, _integer(figure.start)
    yield node, NEKG.end, _integer(figure.end)
    yield node, NEKG.method, _plain(ev.method)
    yield node, NEKG.confidence, _decimal(ev.confidence, f"figure {figure.text!r}")


def triples(extraction: Extraction) -> Iterator[Triple]:
    """Every triple of the graph of ``extraction`` (duplicates included)."""
    for article in extraction.articles:
        yield from article_triples(article)
    for entity in extraction.entities:
        yield from entity_triples(entity)
    for relation in extraction.relations:
        yield from relation_triples(relation)
    for figure in extraction.figures:
        yield from figure_triples(figure)
    sentences = {(s.article_id, s.index): s for s in extraction.sentences}
    by_article: dict[str, list[Sentence]] = defaultdict(list)
    for s in extraction.sentences:
        by_article[s.article_id].append(s)
    for mention in extraction.mentions:
        if not mention.entity_id:  # an unresolved mention names no entity
            continue
        sentence = sentences.get((mention.article_id, mention.sentence))
        if sentence is None or not sentence.start <= mention.start < sentence.end:
            sentence = sentence_at(by_article[mention.article_id], mention.start)
        yield from mention_triples(mention, sentence.text if sentence else None)


def to_graph(extraction: Extraction, *, store: str = STORE) -> Graph:
    """The RDF graph of everything ``extraction`` found (see the module docstring)."""
    graph = new_graph(store)
    graph.addN((s, p, o, graph) for s, p, o in triples(extraction))
    return graph


# --- reading ------------------------------------------------------------------------------


def read_graph(path: Path | str, *, store: str = STORE) -> Graph:
    """Load a Turtle graph file, or raise :class:`GraphError` saying what is wrong.

    The file is parsed by pyoxigraph either way (15x faster than rdflib's parser).

    >>> read_graph("no/such/graph.ttl")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: no/such/graph.ttl: no such graph file; build it with `nekg build` first
    """
    path = Path(path)
    if path.is_dir():
        raise GraphError(
            f"{shown(path)}: is a folder; give the graph file in it, e.g. {shown(path / 'graph.ttl')}"
        )
    if not path.is_file():
        raise GraphError(f"{shown(path)}: no such graph file; build it with `nekg build` first")
    graph = new_graph(store)
    try:
        if store == "Oxigraph":
            graph.parse(path, format="ox-turtle")
        else:
            convert = _from_oxigraph_factory()
            with path.open("rb") as handle:
                quads = pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.TURTLE)
                graph.addN((*convert(q), graph) for q in quads)
    except (SyntaxError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise GraphError(
            f"{shown(path)}: not valid Turtle ({reason[:200]}); rebuild it with `nekg build`"
        ) from None
    return graph


def _converter(make: Callable[[object], object]) -> Callable[[object], object]:
    cache: dict[object, object] = {}

    def convert(term: object) -> object:
        found = cache.get(term)
        if found is None:
            found = cache[term] = make(term)
        return found

    return convert


def _term_from_oxigraph(term: object) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib reads "x" as a literal without datatype; Oxigraph says xsd:string
        return Literal(
            term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype)
        )
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    raise GraphError(f"cannot read {term} into rdflib (RDF 1.2 triple terms are not supported)")


def _term_to_oxigraph(term: Node) -> object:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = pyoxigraph.NamedNode(str(term.datatype or XSD.string))
        return pyoxigraph.Literal(str(term), datatype=datatype)
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    raise GraphError(f"cannot store {term!r} in Oxigraph")


def _from_oxigraph_factory() -> Callable[[pyoxigraph.Quad], Triple]:
    convert = _converter(_term_from_oxigraph)

    def triple(quad: pyoxigraph.Quad) -> Triple:
        return convert(quad.subject), convert(quad.predicate), convert(quad.object)

    return triple


def from_oxigraph_term(term: object) -> Node:
    """The rdflib term for a pyoxigraph term."""
    return _term_from_oxigraph(term)


def from_oxigraph(triples: Iterable[pyoxigraph.Triple]) -> Iterator[Triple]:
    """rdflib triples for pyoxigraph triples, e.g. to write them with :func:`to_turtle`."""
    convert = _converter(_term_from_oxigraph)
    for triple in triples:
        yield convert(triple.subject), convert(triple.predicate), convert(triple.object)


def to_oxigraph(
    graph: Graph | Iterable[Triple], path: Path | str | None = None
) -> pyoxigraph.Store:
    """A pyoxigraph store (default graph) holding the triples of ``graph``, for fast SPARQL.

    In memory, or on disk in the folder ``path``. The triples go in in chunks and only the
    most recent terms are kept converted, so loading takes little memory beyond the store's.
    """
    store = pyoxigraph.Store() if path is None else pyoxigraph.Store(str(path))
    convert = lru_cache(maxsize=_TERMS)(_term_to_oxigraph)
    quads = (
        pyoxigraph.Quad(convert(s), convert(p), convert(o), pyoxigraph.DefaultGraph())
        for s, p, o in graph
    )
    bulk_load(store, quads)
    return store


def bulk_load(store: pyoxigraph.Store, quads: Iterable[pyoxigraph.Quad]) -> None:
    """Load ``quads`` into ``store`` a chunk at a time (Oxigraph's bulk loader holds what it
    is given in memory, up to a million quads a thread)."""
    quads = iter(quads)
    while chunk := list(itertools.islice(quads, _CHUNK)):
        store.bulk_extend(chunk)


_CHUNK = 20_000  # quads per bulk load: the loader holds a chunk in memory at a time


def to_memory(graph: Graph) -> Graph:
    """``graph`` in rdflib's memory store (itself if it is there already)."""
    if type(graph.store).__name__ == "Memory":
        return graph
    copy = new_graph("default")
    convert = _from_oxigraph_factory()
    if type(graph.store).__name__ == "OxigraphStore":
        data = graph.serialize(format="ox-nt", encoding="utf-8")
        quads = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
        copy.addN((*convert(q), copy) for q in quads)
    else:
        copy.addN((s, p, o, copy) for s, p, o in graph)
    return copy


# --- deterministic Turtle -----------------------------------------------------------------

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

    def body(self, triples: Graph | Iterable[Triple]) -> str:
        """Subject blocks, sorted: entities, articles, statements, mentions, then the rest."""
        return "\n".join(self.blocks(triples))

    def blocks(self, triples: Graph | Iterable[Triple]) -> Iterator[str]:
        """The subject blocks of :meth:`body`, one at a time.

        A graph is walked one subject at a time through its index, so besides the text
        only the sorted subjects are held; other triples are grouped by subject first.
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


def to_turtle(graph: Graph | Iterable[Triple]) -> str:
    """Serialize as sorted Turtle: same triples, same bytes, whatever the store or order."""
    writer = _TurtleWriter()
    body = writer.body(graph)
    return writer.header() + "\n" + body


def to_turtle_bytes(graph: Graph | Iterable[Triple]) -> bytearray:
    """``to_turtle(graph)`` as UTF-8, encoded block by block: the text is held once, not
    as blocks, body, whole text and bytes in turn."""
    writer = _TurtleWriter()
    out = bytearray()
    for block in writer.blocks(graph):
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


# --- outputs ------------------------------------------------------------------------------


def write_outputs(graph: Graph, extraction: Extraction, out: Path) -> list[Path]:
    """Write ``graph.ttl`` and ``graph.graphml`` into ``out``; return the paths written."""
    from graph.outputs import gephi as export  # the GraphML writer; it reads no graph back

    return replace_outputs(
        out, {"graph.ttl": to_turtle(graph), "graph.graphml": export.to_graphml(graph)}
    )
