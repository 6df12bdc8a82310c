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
:func:`graph.rdf.write.to_turtle` writes them sorted, so the same input gives byte-identical Turtle.

>>> from graph.records import Article, Entity, EntityType
>>> ex = Extraction(articles=(Article("a1", "金坛区位于常州。", title="金坛"),),
...                 entities=(Entity("place/320413", EntityType.PLACE, "金坛区"),))
>>> from graph.rdf.write import to_turtle
>>> print(to_turtle(to_graph(ex)).split("\\n\\n")[1])
place:320413 a nekg:Place ;
    skos:prefLabel "金坛区"@zh ;
    rdfs:label "金坛区"@zh .
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.errors import GraphError
from graph.figures import canonical
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
    yield article_iri(mention.article_id), SCHEMA.mentions, entity_iri(mention.entity_id)
    yield from mention_node_triples(mention, sentence)


def mention_node_triples(mention: Mention, sentence: str | None) -> Iterator[Triple]:
    """The triples of the mention's own ``nekg:Mention`` node (see :func:`mention_triples`)."""
    entity, article = entity_iri(mention.entity_id), article_iri(mention.article_id)
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
    # the rules behind it: the one that found the figure and its measure, the one that chose
    # its subject (both listed in docs/rules.md)
    yield node, NEKG.rule, _plain(ev.method)
    if figure.subject_rule:
        yield node, NEKG.rule, _plain(figure.subject_rule)
    yield node, NEKG.confidence, _decimal(ev.confidence, f"figure {figure.text!r}")


def triples(extraction: Extraction, *, mention_nodes: bool = True) -> Iterator[Triple]:
    """Every triple of the graph of ``extraction`` (duplicates included); without the
    ``nekg:Mention`` nodes when ``mention_nodes`` is False (see :class:`MentionNodes`)."""
    for article in extraction.articles:
        yield from article_triples(article)
    for entity in extraction.entities:
        yield from entity_triples(entity)
    for relation in extraction.relations:
        yield from relation_triples(relation)
    for figure in extraction.figures:
        yield from figure_triples(figure)
    for mention, sentence in _mentions_with_sentences(extraction):
        if mention_nodes:
            yield from mention_triples(mention, sentence)
        else:
            yield article_iri(mention.article_id), SCHEMA.mentions, entity_iri(mention.entity_id)


def _mentions_with_sentences(extraction: Extraction) -> Iterator[tuple[Mention, str | None]]:
    """Each resolved mention with the text of its sentence (None when no sentence holds it)."""
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
        yield mention, sentence.text if sentence else None


class MentionNodes:
    """The ``nekg:Mention`` nodes of an extraction, made from its records when asked for.

    Over half the triples of a graph are mention nodes; this keeps one entry per node (its
    IRI and the records behind it) instead of its dozen triples, and gives a node's triples
    on demand. ``to_graph(extraction, mention_nodes=False)`` plus these nodes are the
    triples of ``to_graph(extraction)``. Two mentions with the same IRI (same entity,
    article and offsets) are one node, as they are in a graph.
    """

    __slots__ = ("_by_iri",)

    def __init__(self, extraction: Extraction) -> None:
        by_iri: dict[URIRef, list[tuple[Mention, str | None]]] = {}
        for mention, sentence in _mentions_with_sentences(extraction):
            by_iri.setdefault(mention_iri(mention), []).append((mention, sentence))
        self._by_iri = by_iri

    def __iter__(self) -> Iterator[URIRef]:
        return iter(self._by_iri)

    def __len__(self) -> int:
        return len(self._by_iri)

    def __contains__(self, node: object) -> bool:
        return node in self._by_iri

    def triples_of(self, node: Node) -> Iterator[Triple]:
        """The triples whose subject is ``node`` (none when it is not a mention node)."""
        for mention, sentence in self._by_iri.get(node, ()):  # type: ignore[call-overload]
            yield from mention_node_triples(mention, sentence)

    def per_entity(self) -> dict[URIRef, int]:
        """How many mention nodes name each entity."""
        found: dict[URIRef, int] = defaultdict(int)
        for records in self._by_iri.values():
            found[entity_iri(records[0][0].entity_id)] += 1
        return dict(found)

    def __call__(self) -> Iterator[Triple]:
        """Every triple of every mention node (duplicates included)."""
        for node in self._by_iri:
            yield from self.triples_of(node)


def to_graph(extraction: Extraction, *, store: str = STORE, mention_nodes: bool = True) -> Graph:
    """The RDF graph of everything ``extraction`` found (see the module docstring).

    With ``mention_nodes=False`` the ``nekg:Mention`` nodes are left out (the
    ``schema:mentions`` triples stay): :class:`MentionNodes` gives them from the records.
    """
    graph = new_graph(store)
    graph.addN((s, p, o, graph) for s, p, o in triples(extraction, mention_nodes=mention_nodes))
    return graph
