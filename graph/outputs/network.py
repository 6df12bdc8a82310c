"""An RDF graph as a networkx multigraph of entities and the facts between them."""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.rdf.vocab import ID, NEKG, SCHEMA
from graph.records import SYMMETRIC_RELATIONS, EntityType, RelationType

ENTITY_CLASSES = {NEKG[t.value]: t.value for t in EntityType}
ARTICLE_CLASSES = {NEKG.Article, SCHEMA.NewsArticle, URIRef("http://schema.org/NewsArticle")}
# Figures (nekg:Observation) are shown in their entity's details panel, not drawn as nodes.
PROVENANCE_CLASSES = {RDF.Statement, NEKG.Mention, NEKG.Observation}
PROVENANCE_PREFIXES = (f"{ID}statement/", f"{ID}mention/", f"{ID}figure/")
# Predicates that describe a node or its provenance; their objects are never drawn.
META_PREDICATES = {
    RDF.type,
    RDF.subject,
    RDF.predicate,
    RDF.object,
    SKOS.exactMatch,
    SKOS.closeMatch,
    OWL.sameAs,
    RDFS.seeAlso,
    PROV.wasDerivedFrom,
    NEKG.mentionOf,
    SCHEMA.url,
    URIRef("http://schema.org/url"),
}
MENTIONS = {SCHEMA.mentions, URIRef("http://schema.org/mentions")}


class _Lookup:
    """Everything the page shows about nodes, read from a graph in one pass per predicate."""

    def __init__(self, graph: Graph, *, plain: bool = False) -> None:
        self.types: dict[URIRef, set[URIRef]] = defaultdict(set)
        for s, o in graph.subject_objects(RDF.type):
            self.types[s].add(o)
        self.pref = self._literals(graph, SKOS.prefLabel)
        self.label = self._literals(graph, RDFS.label)
        self.alt = self._literals(graph, SKOS.altLabel)
        self.code = self._literals(graph, NEKG.adminCode)
        self.title = self._literals(graph, DCTERMS.title)
        self.date = self._literals(graph, DCTERMS.date)
        self.publisher = self._literals(graph, DCTERMS.publisher)
        self.same: dict[URIRef, list[str]] = defaultdict(list)
        for s, o in graph.subject_objects(SKOS.exactMatch):
            self.same[s].append(str(o))
        self.evidence = self._statements(graph)
        # the page shows figures in a node's details; the exports count its mentions
        self.figures = {} if plain else self._figures(graph)
        self.mentions = (
            Counter(o for _, o in graph.subject_objects(NEKG.mentionOf)) if plain else {}
        )

    @staticmethod
    def _figures(graph: Graph) -> dict[URIRef, list[dict[str, str]]]:
        """Each entity's figures: as written, measure, value, unit, period, source sentence."""
        fields = {
            "text": NEKG.figureText,
            "measure": NEKG.measure,
            "value": NEKG.value,
            "unit": NEKG.unit,
            "period": NEKG.period,
            "sentence": NEKG.evidence,
            "article": PROV.wasDerivedFrom,
            "start": NEKG.start,
        }
        found: dict[URIRef, list[dict[str, str]]] = defaultdict(list)
        for node, entity in graph.subject_objects(NEKG.figureOf):
            row = {}
            for name, p in fields.items():
                value = graph.value(node, p)
                row[name] = str(value) if value is not None else ""
            found[entity].append(row)
        for rows in found.values():
            rows.sort(key=lambda r: (r["measure"], r["period"], r["article"], r["start"]))
        return found

    @staticmethod
    def _literals(graph: Graph, predicate: URIRef) -> dict[URIRef, list[Literal]]:
        found: dict[URIRef, list[Literal]] = defaultdict(list)
        for s, o in graph.subject_objects(predicate):
            if isinstance(o, Literal):
                found[s].append(o)
        for values in found.values():
            values.sort(key=lambda v: (v.language != "zh", str(v)))
        return found

    @staticmethod
    def _statements(graph: Graph) -> dict[tuple[URIRef, URIRef, URIRef], list[dict[str, Any]]]:
        fields = {
            "head": RDF.subject,
            "rel": RDF.predicate,
            "tail": RDF.object,
            "article": PROV.wasDerivedFrom,
            "sentence": NEKG.evidence,
            "start": NEKG.start,
            "end": NEKG.end,
            "role": NEKG.role,
            "confidence": NEKG.confidence,
            "method": NEKG.method,
        }
        columns = {name: dict(graph.subject_objects(p)) for name, p in fields.items()}
        by_fact: dict[tuple[URIRef, URIRef, URIRef], list[dict[str, Any]]] = defaultdict(list)
        for node, head in columns["head"].items():
            rel, tail = columns["rel"].get(node), columns["tail"].get(node)
            if rel is None or tail is None:
                continue
            row = {name: col[node] for name, col in columns.items() if node in col}
            by_fact[head, rel, tail].append(row)
        return by_fact

    def kind(self, node: URIRef) -> str:
        """``provenance``, ``article``, ``entity`` or ``other``."""
        types = self.types.get(node, ())
        if str(node).startswith(PROVENANCE_PREFIXES) or any(t in PROVENANCE_CLASSES for t in types):
            return "provenance"
        if any(t in ENTITY_CLASSES for t in types):
            return "entity"
        if any(t in ARTICLE_CLASSES for t in types):
            return "article"
        return "other"

    def entity_type(self, node: URIRef) -> str:
        found = sorted(ENTITY_CLASSES[t] for t in self.types.get(node, ()) if t in ENTITY_CLASSES)
        return found[0] if found else "Other"

    def name(self, node: URIRef) -> str:
        for table in (self.pref, self.label, self.title):
            if table.get(node):
                return str(table[node][0])
        return _local_name(node)


def _local_name(iri: URIRef | str) -> str:
    text = str(iri).rstrip("/#")
    return re.split(r"[/#]", text)[-1] or text


def _first(values: list[Literal] | None) -> str:
    return str(values[0]) if values else ""


def to_network(
    graph: Graph,
    *,
    context: Graph | None = None,
    include_articles: bool = False,
    plain: bool = False,
    mentions: Mapping[Node, int] | None = None,
) -> nx.MultiDiGraph:
    """The drawable part of ``graph`` as a networkx multigraph keyed by IRI.

    Nodes are the entities named in ``graph`` (typed there or in ``context``), the
    ends of the facts it holds and, with ``include_articles``, its articles; edges
    are its facts (one per head, relation, tail). Labels, types, aliases and evidence are looked up in
    ``context`` (default: ``graph`` itself), so a query result that holds only
    facts still draws with names and evidence from the full graph.

    Args:
        graph: What to draw, e.g. the whole graph or a CONSTRUCT result.
        context: Where to look up what the page says about each node and edge.
        include_articles: Also draw articles and their ``schema:mentions`` edges.
        plain: The network GraphML and GEXF hold: only the nekg relations as edges,
            and attributes that are plain values (see :func:`_plain_node`).
        mentions: With ``plain``, the mention nodes of each entity that ``graph`` leaves
            out (a build keeps them as records, :class:`graph.rdf.build.MentionNodes`).

    Returns:
        A ``MultiDiGraph``. For the page, node attributes are ``label``, ``type``, ``kind``,
        ``aliases`` and ``details``, and edges are keyed by relation name and carry
        ``predicate`` and ``evidence``; ``plain`` attributes are described at
        :func:`_plain_node` and :func:`_plain_edge`.
    """
    look = _Lookup(context if context is not None else graph, plain=plain)
    if plain and mentions:
        look.mentions = look.mentions + Counter(mentions)
    if context is not None:
        for node, kind in graph.subject_objects(RDF.type):
            look.types[node].add(kind)

    net = nx.MultiDiGraph()
    if plain and context is None:
        # the whole graph, facts only: its typed nodes and its relations are all it needs
        named = set(look.types)
        triples = [(s, p, o) for p in RELATIONS for s, o in graph.subject_objects(p)]
    else:
        # one walk over the graph: rdflib spends most of the page's time handing out triples
        triples = list(graph)
        named = {s for s, _, _ in triples} | {
            o for _, p, o in triples if isinstance(o, URIRef) and p not in META_PREDICATES
        }
    drawn = ("entity", "article") if include_articles else ("entity",)
    nodes = [n for n in named if isinstance(n, URIRef) and look.kind(n) in drawn]
    for node in sorted(nodes, key=_plain_order(look) if plain else None):
        _add_node(net, look, node, plain=plain)

    edges = (
        sorted((s, p, o) for s, p, o in triples if p in RELATIONS and isinstance(o, URIRef))
        if plain
        else [(s, p, o) for s, p, o in triples if _drawn_edge(look, s, p, o, include_articles)]
    )
    for number, (s, p, o) in enumerate(edges):
        for node in (s, o):
            if str(node) not in net:
                _add_node(net, look, node, plain=plain)
        if plain:
            net.add_edge(str(s), str(o), key=f"e{number}", **_plain_edge(look, s, p, o))
            continue
        rel = "mentions" if p in MENTIONS else _local_name(p)
        net.add_edge(
            str(s), str(o), key=rel, predicate=str(p), evidence=look.evidence.get((s, p, o), [])
        )
    return net


def _drawn_edge(look: _Lookup, s: Any, p: URIRef, o: Any, include_articles: bool) -> bool:
    """Whether the page draws the triple: a fact between entities, or an article's mention."""
    if not isinstance(o, URIRef) or not isinstance(s, URIRef) or p in META_PREDICATES:
        return False
    ks, ko = look.kind(s), look.kind(o)
    if "provenance" in (ks, ko):
        return False
    both_entities = ks == ko == "entity"
    fact = str(p).startswith(str(NEKG)) and {ks, ko} <= {"entity", "other"}
    mention = include_articles and p in MENTIONS and ks == "article" and ko == "entity"
    return both_entities or fact or mention


def _plain_order(look: _Lookup) -> Callable[[URIRef], tuple[str, str]]:
    """Entities grouped by their class (the first, by IRI, of an entity with two), then IRI."""

    def key(node: URIRef) -> tuple[str, str]:
        classes = [t for t in look.types.get(node, ()) if t in ENTITY_CLASSES]
        return (min(classes, default=""), node)

    return key


def _add_node(net: nx.MultiDiGraph, look: _Lookup, node: URIRef, *, plain: bool) -> None:
    if plain:
        net.add_node(str(node), **_plain_node(look, node))
        return
    kind = look.kind(node)
    if kind == "article":
        title = _first(look.title.get(node))
        net.add_node(
            str(node),
            label=title or _local_name(node),
            type="Article",
            kind=kind,
            aliases=[],
            details={
                "date": _first(look.date.get(node)),
                "publisher": _first(look.publisher.get(node)),
            },
        )
        return
    name = look.name(node)
    aliases = sorted({str(a) for a in look.alt.get(node, [])} - {name})
    net.add_node(
        str(node),
        label=name,
        type=look.entity_type(node),
        kind=kind,
        aliases=aliases,
        details={
            "adminCode": _first(look.code.get(node)),
            "sameAs": sorted(look.same.get(node, [])),
            "figures": look.figures.get(node, []),
        },
    )


def keep_most_connected(net: nx.MultiDiGraph, limit: int) -> nx.MultiDiGraph:
    """The ``limit`` most connected nodes, grown as one region around the biggest hub.

    Starting from the node with the most relations, the next node taken is always the
    one with the most links into what is already kept (then the most relations, then
    the label): hubs come with the neighbours they share, and the part drawn stays
    connected instead of being scattered top-degree nodes with no edges between them.

    >>> net = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("e", "f")])
    >>> nx.set_node_attributes(net, "", "label")
    >>> sorted(keep_most_connected(net, 3))
    ['a', 'b', 'c']
    """
    if net.number_of_nodes() <= limit:
        return net
    simple = nx.Graph(net.to_undirected(as_view=True))
    degree = dict(simple.degree())
    label = {n: net.nodes[n].get("label", "") for n in net}
    links: dict[str, int] = defaultdict(int)
    heap = [(0, -degree[n], label[n], n) for n in net]
    heapq.heapify(heap)
    kept: set[str] = set()
    while heap and len(kept) < limit:
        negative_links, _, _, node = heapq.heappop(heap)
        if node in kept or -negative_links != links[node]:
            continue  # already taken, or an outdated entry (a fresher one is queued)
        kept.add(node)
        for other in simple[node]:
            if other not in kept:
                links[other] += 1
                heapq.heappush(heap, (-links[other], -degree[other], label[other], other))
    return net.subgraph(kept).copy()


RELATIONS = {NEKG[r.value]: r.value for r in RelationType}


_SYMMETRIC = {NEKG[r.value] for r in SYMMETRIC_RELATIONS}


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _plain_node(look: _Lookup, node: URIRef) -> dict[str, Any]:
    """An entity as GraphML/GEXF hold it: ``label``, ``type``, ``iri``, ``aliases`` (joined
    with 、), ``mentions`` (how many), ``adminCode`` and ``wikidata`` when known. The end
    of a fact that is not a typed entity has an empty type and no mentions."""
    if look.kind(node) != "entity":
        return {"label": _local(node), "type": "", "iri": str(node), "aliases": "", "mentions": 0}
    pref = look.pref.get(node)
    attrs: dict[str, Any] = {
        "label": str(pref[0]) if pref else _local(node),
        "type": look.entity_type(node),
        "iri": str(node),
        "aliases": "、".join(sorted(str(a) for a in look.alt.get(node, []))),
        "mentions": look.mentions.get(node, 0),
    }
    if look.code.get(node):
        attrs["adminCode"] = str(look.code[node][0])
    if look.same.get(node):
        attrs["wikidata"] = " ".join(_local(URIRef(m)) for m in sorted(look.same[node]))
    return attrs


def _plain_edge(look: _Lookup, s: URIRef, p: URIRef, o: URIRef) -> dict[str, Any]:
    """A fact as GraphML/GEXF hold it: ``label`` and ``relation`` (its name), ``symmetric``,
    ``evidence`` (how many statements), their best ``confidence``, ``articles`` and
    ``role`` (only when a statement names one)."""
    statements = look.evidence.get((s, p, o), [])
    confidences = [
        float(row["confidence"]) for row in statements if isinstance(row.get("confidence"), Literal)
    ]
    articles = sorted({_local(row["article"]) for row in statements if "article" in row})
    roles = sorted({str(row["role"]) for row in statements if "role" in row})
    attrs: dict[str, Any] = {
        "label": RELATIONS[p],
        "relation": RELATIONS[p],
        "symmetric": p in _SYMMETRIC,
        "evidence": len(statements),
        "confidence": max(confidences, default=0.0),
        "articles": " ".join(articles),
    }
    if roles:
        attrs["role"] = "、".join(roles)
    return attrs
