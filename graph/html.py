"""The HTML view: an rdflib graph in, one self-contained interactive page out.

The page draws entities and the facts between them with vis-network (the copy that
ships inside pyvis, inlined), so it opens from disk with no network at all. Statement
and mention nodes are never drawn; articles only when asked for.

Everything taken from the graph is untrusted text (names, aliases, evidence
sentences come from articles): the template escapes everything it writes, the graph
data travels as JSON inside a non-executable ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, the page builds its menus with ``textContent``,
tooltips are plain strings (vis-network shows those as text) and a Content Security
Policy allows only the page's own two scripts.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
...   @prefix nekg: <https://w3id.org/nekg/ontology#> .
...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...   <https://w3id.org/nekg/id/company/a> a nekg:Company ; skos:prefLabel "甲公司"@zh ;
...       nekg:locatedIn <https://w3id.org/nekg/id/place/b> .
...   <https://w3id.org/nekg/id/place/b> a nekg:Place ; skos:prefLabel "乙区"@zh .
... ''')
>>> net = to_network(g)
>>> sorted(net.nodes[n]["label"] for n in net)
['乙区', '甲公司']
>>> [rel for _, _, rel in net.edges(keys=True)]
['locatedIn']
>>> "<script src=" in render(net)
False
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.query import Result
from rdflib.util import guess_format

from graph.chars import NONCHARACTERS, scalar_text
from graph.display import shown
from graph.errors import GraphError, QueryError
from graph.files import write_output
from graph.records import SYMMETRIC_RELATIONS, EntityType, RelationType
from graph.vocab import ID, NEKG, PREFIXES, SCHEMA

DEFAULT_LIMIT = 2000
TOOLTIP_EVIDENCE = 5
# Above this many nodes the page opens with the entities without relations hidden (they
# stay listed and searchable) and, above CLUSTER_ABOVE, with entities grouped by place.
HIDE_ISOLATED_ABOVE = 200
CLUSTER_ABOVE = 1000
LAYOUT_SEED = 7
LAYOUT_ITERATIONS = 60
SPACING = 90  # about one node per SPACING × SPACING pixels of layout
LONER_SPACING = 70
TEMPLATES = Path(__file__).parent / "templates"

# Fonts that hold Chinese characters, most common first (Linux, macOS, Windows), then the
# generic fallback. The page and the labels vis-network draws on its canvas use the same
# list; a machine with none of them draws boxes for Chinese labels.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Droid Sans Fallback",
)


def font_stack(generic: str = "sans-serif") -> str:
    """The CJK font families as a CSS font-family list ending in ``generic``.

    >>> font_stack().split(", ")[0], font_stack().split(", ")[-1]
    ('"Noto Sans CJK SC"', 'sans-serif')
    """
    return ", ".join([*(f'"{name}"' for name in CJK_FONTS), generic])


@dataclass(frozen=True, slots=True)
class Style:
    """How one kind of node looks: its Chinese name, colour, vis-network shape, legend mark."""

    name: str
    colour: str
    shape: str
    mark: str
    dashed: bool = False


STYLES: dict[str, Style] = {
    EntityType.COMPANY: Style("公司", "#4e79a7", "dot", "●"),
    EntityType.PLACE: Style("地点", "#59a14f", "triangle", "▲"),
    EntityType.PLATFORM: Style("平台", "#f28e2b", "square", "■"),
    EntityType.POLICY: Style("政策", "#e15759", "diamond", "◆"),
    EntityType.ORGANIZATION: Style("机构", "#76b7b2", "hexagon", "⬢"),
    EntityType.PERSON: Style("人物", "#c9a227", "star", "★"),
    EntityType.INDUSTRY_CHAIN: Style("产业链", "#b07aa1", "triangleDown", "▼"),
    EntityType.PROJECT: Style("项目", "#ff7f9f", "dot", "◌", dashed=True),
    "Article": Style("文章", "#9c9c9c", "box", "▭"),
    "Other": Style("其他", "#bab0ac", "dot", "○"),
}

RELATION_NAMES: dict[str, str] = {
    RelationType.LOCATED_IN: "位于",
    RelationType.LEADS_CHAIN: "链主",
    RelationType.PARTNERS_WITH: "合作",
    RelationType.SUBSIDIARY_OF: "隶属",
    RelationType.PART_OF: "属于",
    RelationType.BUILT_BY: "建设方",
    RelationType.ISSUED_BY: "发布方",
    RelationType.IN_INDUSTRY: "产业",
    RelationType.HAS_ROLE: "任职",
    "mentions": "提及",
}

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

    def __init__(self, graph: Graph) -> None:
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
        self.figures = self._figures(graph)

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

    Returns:
        A ``MultiDiGraph`` whose node attributes are ``label``, ``type``, ``kind``,
        ``aliases`` and ``details``, and whose edges are keyed by relation name and
        carry ``predicate`` and ``evidence``.
    """
    look = _Lookup(context if context is not None else graph)
    if context is not None:
        for node, kind in graph.subject_objects(RDF.type):
            look.types[node].add(kind)

    net = nx.MultiDiGraph()
    # one walk over the graph: rdflib spends most of the page's time handing out triples
    triples = list(graph)
    named = {s for s, _, _ in triples} | {
        o for _, p, o in triples if isinstance(o, URIRef) and p not in META_PREDICATES
    }
    for node in sorted(n for n in named if isinstance(n, URIRef)):
        kind = look.kind(node)
        if kind == "entity" or (include_articles and kind == "article"):
            _add_node(net, look, node)

    for s, p, o in triples:
        if not isinstance(o, URIRef) or not isinstance(s, URIRef) or p in META_PREDICATES:
            continue
        ks, ko = look.kind(s), look.kind(o)
        if "provenance" in (ks, ko):
            continue
        both_entities = ks == ko == "entity"
        fact = str(p).startswith(str(NEKG)) and {ks, ko} <= {"entity", "other"}
        mention = include_articles and p in MENTIONS and ks == "article" and ko == "entity"
        if not (both_entities or fact or mention):
            continue
        for node in (s, o):
            if str(node) not in net:
                _add_node(net, look, node)
        rel = "mentions" if p in MENTIONS else _local_name(p)
        net.add_edge(
            str(s), str(o), key=rel, predicate=str(p), evidence=look.evidence.get((s, p, o), [])
        )
    return net


def _add_node(net: nx.MultiDiGraph, look: _Lookup, node: URIRef) -> None:
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


def _article_info(look_titles: dict[str, dict[str, str]], article: str) -> dict[str, str]:
    return look_titles.get(article, {"title": _local_name(article), "date": ""})


def _node_tooltip(attrs: dict[str, Any]) -> str:
    style = STYLES.get(attrs["type"], STYLES["Other"])
    lines = [attrs["label"], f"类型 Type: {style.name} ({attrs['type']})"]
    details = attrs["details"]
    if attrs["aliases"]:
        lines.append("别名 Aliases: " + "、".join(attrs["aliases"]))
    if details.get("adminCode"):
        lines.append(f"行政区划代码 Admin code: {details['adminCode']}")
    if details.get("date"):
        lines.append(f"日期 Date: {details['date']}")
    if details.get("publisher"):
        lines.append(f"来源 Publisher: {details['publisher']}")
    lines.extend(details.get("sameAs", []))
    lines.append(attrs["iri"])
    return "\n".join(lines)


def _edge_tooltip(head: str, tail: str, rel: str, evidence: list[dict[str, Any]]) -> str:
    lines = [f"{head} —{RELATION_NAMES.get(rel, rel)} ({rel})→ {tail}"]
    if evidence:
        lines.append(f"证据 Evidence ({len(evidence)}):")
    for number, ev in enumerate(evidence[:TOOLTIP_EVIDENCE], 1):
        role = f"【{ev['role']}】" if ev["role"] else ""
        lines.append(f"{number}. {role}「{ev['sentence']}」")
        where = "，".join(x for x in (f"《{ev['title']}》", ev["date"]) if x.strip("《》"))
        lines.append(f"   — {where} [{ev['start']}–{ev['end']}]")
    if len(evidence) > TOOLTIP_EVIDENCE:
        lines.append(f"… {len(evidence) - TOOLTIP_EVIDENCE} more: click the edge")
    return "\n".join(lines)


def layout(net: nx.MultiDiGraph, *, seed: int = LAYOUT_SEED) -> dict[str, tuple[int, int]]:
    """Fixed page positions (pixels) for every node of ``net``: the same graph, the same numbers.

    The relation graph (entities with at least one relation) is laid out one connected
    part at a time by a seeded force-directed layout (Fruchterman–Reingold), the parts
    packed in rows, the biggest first; the entities without relations sit in a grid
    below them, one row block per type, in label order. The browser only draws.

    >>> net = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> net.add_node("d")
    >>> nx.set_node_attributes(net, "Company", "type")
    >>> nx.set_node_attributes(net, "x", "label")
    >>> pos = layout(net)
    >>> sorted(pos) == ["a", "b", "c", "d"] and pos == layout(net)
    True
    >>> pos["d"][1] > max(pos[n][1] for n in "abc")
    True
    """
    related = nx.Graph()
    related.add_nodes_from(sorted(n for n in net if any(m != n for m in nx.all_neighbors(net, n))))
    related.add_edges_from(
        sorted({(min(h, t), max(h, t)) for h, t in net.edges() if h != t and h in related})
    )
    parts = sorted(nx.connected_components(related), key=lambda p: (-len(p), min(p)))
    boxes = [_spread(related.subgraph(part), seed) for part in parts]
    # Rows as wide as the biggest part, or as the square all parts would fill.
    area = sum(_extent(box)[0] * _extent(box)[1] for box in boxes)
    width = max(SPACING * 8, _extent(boxes[0])[0] if boxes else 0, int(area**0.5))
    positions: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0
    for box in boxes:
        w, h = _extent(box)
        if x and x + w > width:
            x, y, row_height = 0, y + row_height + SPACING, 0
        positions.update({n: (x + px, y + py) for n, (px, py) in box.items()})
        x, row_height = x + w + SPACING, max(row_height, h)
    y += row_height + 2 * SPACING if positions else 0
    order = list(STYLES)
    loners = sorted(
        (n for n in net if n not in positions),
        key=lambda n: (
            order.index(net.nodes[n].get("type")) if net.nodes[n].get("type") in order else 99,
            net.nodes[n].get("label", ""),
            n,
        ),
    )
    per_row = max(width // LONER_SPACING, 1)
    column, kind = 0, None
    for node in loners:
        if kind is not None and (net.nodes[node].get("type") != kind or column == per_row):
            y += LONER_SPACING * (1 if net.nodes[node].get("type") == kind else 2)
            column = 0
        kind = net.nodes[node].get("type")
        positions[node] = (column * LONER_SPACING, y)
        column += 1
    return positions


def _extent(box: dict[str, tuple[int, int]]) -> tuple[int, int]:
    return (max(x for x, _ in box.values()), max(y for _, y in box.values()))


def _spread(part: nx.Graph, seed: int) -> dict[str, tuple[int, int]]:
    """A force-directed layout of one connected graph, in pixels from (0, 0).

    Fruchterman–Reingold with a cooling step, in numpy (networkx's spring layout needs
    scipy above 500 nodes and its ForceAtlas2 is many times slower), repulsion computed in
    float32 blocks of rows so that memory stays linear in the number of nodes.
    """
    nodes = sorted(part)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0, 0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array(sorted((index[a], index[b]) for a, b in part.edges()), dtype=np.int64)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = (1.0 / n) ** 0.5
    step = 0.1
    cooling = step / (LAYOUT_ITERATIONS + 1)
    block = max(1, 2_000_000 // n)
    for _ in range(LAYOUT_ITERATIONS):
        move = np.zeros((n, 2))
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        for start in range(0, n, block):
            dx = x[start : start + block, None] - x[None, :]
            dy = y[start : start + block, None] - y[None, :]
            push = dx * dx
            push += dy * dy
            np.maximum(push, np.float32(1e-6), out=push)
            np.divide(np.float32(k * k), push, out=push)  # repulsion k² / distance, over distance
            move[start : start + block, 0] += (dx * push).sum(axis=1)
            move[start : start + block, 1] += (dy * push).sum(axis=1)
        delta = pos[edges[:, 0]] - pos[edges[:, 1]]
        pull = delta * (np.hypot(delta[:, 0], delta[:, 1]) / k)[:, None]
        np.add.at(move, edges[:, 0], -pull)
        np.add.at(move, edges[:, 1], pull)
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 1e-9)
        pos += move * (np.minimum(length, step) / length)[:, None]
        step -= cooling
    pos -= pos.min(axis=0)
    span = max(float(pos.max()), 1e-9)
    pixels = np.rint(pos / span * SPACING * max(n**0.5, 1.5)).astype(int)
    return {node: (int(x), int(y)) for node, (x, y) in zip(nodes, pixels, strict=True)}


def place_clusters(net: nx.MultiDiGraph) -> dict[str, str]:
    """Node → the place it is grouped under when the page clusters by place.

    A place heads its own group; an entity located in a place joins that place's group
    (the first by IRI when it is in several); an entity with one neighbour only follows that
    neighbour (a person with a role in a company, a project built by it).

    >>> net = nx.MultiDiGraph()
    >>> net.add_nodes_from([("p", {"type": "Place"}), ("c", {"type": "Company"}),
    ...                     ("h", {"type": "Person"})])
    >>> net.add_edge("c", "p", key="locatedIn")
    'locatedIn'
    >>> net.add_edge("h", "c", key="hasRole")
    'hasRole'
    >>> place_clusters(net)
    {'c': 'p', 'p': 'p', 'h': 'p'}
    """
    place = EntityType.PLACE.value
    found: dict[str, str] = {}
    for node in sorted(net):
        if net.nodes[node].get("type") == place:
            found[node] = node
            continue
        homes = sorted(
            tail
            for _, tail, rel in net.out_edges(node, keys=True)
            if rel == RelationType.LOCATED_IN.value and net.nodes[tail].get("type") == place
        )
        if homes:
            found[node] = homes[0]
    for node in sorted(net):
        neighbours = set(nx.all_neighbors(net, node)) - {node}
        if node not in found and len(neighbours) == 1:
            (only,) = neighbours
            if only in found:
                found[node] = found[only]
    return found


def _view_data(net: nx.MultiDiGraph, articles: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The JSON the page draws: vis-network node and edge records plus the page's own fields."""
    degree = dict(net.degree())
    positions = layout(net)
    clusters = place_clusters(net)
    nodes = []
    for iri in sorted(net):
        attrs = dict(net.nodes[iri], iri=iri)
        style = STYLES.get(attrs["type"], STYLES["Other"])
        node = {
            "id": iri,
            "label": attrs["label"],
            "type": attrs["type"],
            "aliases": attrs["aliases"],
            "title": _node_tooltip(attrs),
            "shape": style.shape,
            "color": style.colour,
            "value": degree[iri] + 1,
            "degree": degree[iri],
            "details": attrs["details"],
            "x": positions[iri][0],
            "y": positions[iri][1],
        }
        if iri in clusters:
            node["cluster"] = clusters[iri]
        if style.dashed:
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["color"] = {"background": "#ffffff", "border": style.colour}
            node["borderWidth"] = 3
        nodes.append(node)
    edges = []
    for head, tail, rel, attrs in sorted(net.edges(keys=True, data=True), key=lambda e: e[:3]):
        evidence = sorted(
            (
                {
                    "sentence": str(ev.get("sentence", "")),
                    "article": str(ev.get("article", "")),
                    **_article_info(articles, str(ev.get("article", ""))),
                    "start": _number(ev.get("start")),
                    "end": _number(ev.get("end")),
                    "role": str(ev.get("role", "")),
                    "confidence": _number(ev.get("confidence")),
                    "method": str(ev.get("method", "")),
                }
                for ev in attrs["evidence"]
            ),
            key=lambda ev: (
                ev["date"],
                ev["title"],
                ev["article"],
                ev["start"] or 0,
                ev["sentence"],
            ),
        )
        roles = sorted({ev["role"] for ev in evidence if ev["role"]})
        label = RELATION_NAMES.get(rel, rel) + (f"：{'、'.join(roles)}" if roles else "")
        edge = {
            "id": f"{head} {rel} {tail}",
            "from": head,
            "to": tail,
            "rel": rel,
            "label": label,
            "title": _edge_tooltip(
                net.nodes[head]["label"], net.nodes[tail]["label"], rel, evidence
            ),
            "evidence": evidence,
            "predicate": attrs["predicate"],
        }
        if rel in SYMMETRIC_RELATIONS:
            edge["arrows"] = {"to": {"enabled": False}}
        edges.append(edge)
    return {"nodes": nodes, "edges": edges}


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _articles(graph: Graph) -> dict[str, dict[str, str]]:
    """Article IRI → title and date, for the evidence shown with each edge."""
    titles = _Lookup._literals(graph, DCTERMS.title)
    dates = _Lookup._literals(graph, DCTERMS.date)
    return {
        str(node): {
            "title": _first(titles.get(node)) or _local_name(node),
            "date": _first(dates.get(node)),
        }
        for node in set(titles) | set(dates)
    }


def vis_options() -> dict[str, Any]:
    """vis-network options: no physics (positions come from :func:`layout`), straight edges,
    labels drawn only once zoomed in far enough to read them (hubs first)."""
    options: dict[str, Any] = {"physics": {"enabled": False}}
    options["edges"] = {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "color": {"color": "#8a8a8a", "highlight": "#d62728", "hover": "#444444"},
        "font": {
            "size": 11,
            "color": "#555555",
            "strokeWidth": 3,
            "align": "horizontal",
            "face": font_stack(),
        },
        "width": 1.2,
        "selectionWidth": 2,
    }
    # Labels grow with a node's relations and are drawn once they would be at least
    # drawThreshold pixels high: zoomed out, only the hubs are named.
    options["edges"]["scaling"] = {"label": {"drawThreshold": 8}}
    options["nodes"] = {
        "scaling": {
            "min": 10,
            "max": 32,
            "label": {"enabled": True, "min": 12, "max": 30, "drawThreshold": 7},
        },
        "font": {
            "size": 14,
            "face": font_stack(),
        },
        "borderWidth": 1,
    }
    options["layout"] = {"randomSeed": LAYOUT_SEED, "improvedLayout": False}
    options["interaction"] = {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "hideEdgesOnZoom": True,
        "navigationButtons": False,
    }
    return options


def _vis_script() -> str:
    path = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    """Script text that cannot end its ``<script>`` element early."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.I).replace("<!--", "<\\!--")


# Escaped inside the page's JSON: what could end the <script> element, the line
# separators, and what HTML calls a parse error (DEL, C1 controls, noncharacters).
_SCRIPT_ESCAPE = re.compile(f"[<>&\u2028\u2029\x7f-\x9f{NONCHARACTERS}]")


# Dropped from text the template writes: controls and noncharacters (HTML parse errors).
_NOT_PAGE_TEXT = re.compile(f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f{NONCHARACTERS}]")


def _page_text(text: str) -> str:
    return _NOT_PAGE_TEXT.sub("", scalar_text(text))


def _script_json(value: Any) -> str:
    r"""JSON safe inside a ``<script>`` element: no ``</``, ``<!--``, ``]]>`` or line separators.

    >>> print(_script_json({"label": "</script>\x85\ud800"}))
    {"label":"\u003c/script\u003e\u0085�"}
    """
    text = scalar_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return _SCRIPT_ESCAPE.sub(lambda m: _json_escape(m.group()), text)


def _json_escape(char: str) -> str:
    """``char`` as a JSON escape; beyond U+FFFF as the two halves of a surrogate pair."""
    units = char.encode("utf-16-be")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode(
        "ascii"
    )


def render(
    net: nx.MultiDiGraph,
    *,
    title: str = "nekg 知识图谱",
    total: tuple[int, int] | None = None,
    articles: dict[str, dict[str, str]] | None = None,
) -> str:
    """The page for ``net`` as one HTML string with vis-network inlined.

    Args:
        net: What to draw, as made by :func:`to_network` (and :func:`keep_most_connected`).
        title: The page heading (escaped).
        total: Nodes and edges of the whole graph when ``net`` is only its most
            connected part; the page then says so and points to the full exports.
        articles: Article IRI → title and date, for the evidence of edges.
    """
    data = _view_data(net, articles or {})
    count = len(data["nodes"])
    data["view"] = {
        "hideIsolated": count > HIDE_ISOLATED_ABOVE,
        "clusterBy": "place" if count > CLUSTER_ABOVE else "none",
        "typeNames": {t: style.name for t, style in STYLES.items()},
    }
    vis = _inline_script(_vis_script())
    app = _inline_script((TEMPLATES / "graph.js").read_text(encoding="utf-8"))
    types = sorted(
        {n["type"] for n in data["nodes"]},
        key=lambda t: list(STYLES).index(t) if t in STYLES else 99,
    )
    relations = sorted({e["rel"] for e in data["edges"]})
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        keep_trailing_newline=True,
    )
    page = env.get_template("graph.html").render(
        title=_page_text(title),
        vis_js=Markup(vis),
        app_js=Markup(app),
        data_json=Markup(_script_json(data)),
        options_json=Markup(_script_json(vis_options())),
        font_stack=Markup(font_stack("system-ui, sans-serif")),
        csp_scripts=" ".join(f"'{_sha256(code)}'" for code in (vis, app)),
        node_count=count,
        isolated=sum(n["degree"] == 0 for n in data["nodes"]),
        view=data["view"],
        edge_count=len(data["edges"]),
        total=total,
        types=[
            (t, STYLES.get(t, STYLES["Other"]), sum(n["type"] == t for n in data["nodes"]))
            for t in types
        ],
        relations=[
            (r, RELATION_NAMES.get(r, r), sum(e["rel"] == r for e in data["edges"]))
            for r in relations
        ],
    )
    return page


def draw(
    graph: Graph,
    *,
    context: Graph | None = None,
    title: str = "nekg 知识图谱",
    limit: int = DEFAULT_LIMIT,
    include_articles: bool = False,
    warn: Callable[[str], None] | None = None,
) -> str:
    """The page for ``graph``: :func:`to_network`, cut to ``limit`` nodes, :func:`render`.

    When there is nothing to draw, ``warn`` (if given) is told why the page is empty.
    """
    if limit < 1:
        raise GraphError(f"node limit must be at least 1, not {limit}")
    full = to_network(graph, context=context, include_articles=include_articles)
    if warn is not None and full.number_of_nodes() == 0:
        warn(
            "the query selected nothing to draw, so the page is empty; check the names "
            "and language tags it matches, e.g. nekg query "
            "'SELECT ?e ?name WHERE { ?e skos:prefLabel ?name }'"
            if context is not None
            else "the graph has no entities to draw, so the page is empty"
        )
    shown = keep_most_connected(full, limit)
    total = (full.number_of_nodes(), full.number_of_edges()) if shown is not full else None
    return render(
        shown,
        title=title,
        total=total,
        articles=_articles(context if context is not None else graph),
    )


def write_html(
    graph: Graph,
    path: Path | str,
    *,
    context: Graph | None = None,
    title: str = "nekg 知识图谱",
    limit: int = DEFAULT_LIMIT,
    include_articles: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Path | str:
    """Write the page for ``graph`` to ``path``; return the path.

    ``"-"`` is standard output, a FIFO or device is written into, a regular file is
    replaced atomically (:func:`graph.files.write_output`).
    """
    page = draw(
        graph,
        context=context,
        title=title,
        limit=limit,
        include_articles=include_articles,
        warn=warn,
    )
    return write_output(path, page)


def from_file(
    graph_file: Path | str,
    output: Path | str,
    *,
    query: str | None = None,
    title: str | None = None,
    limit: int = DEFAULT_LIMIT,
    include_articles: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Path | str:
    """Draw a graph file, or the part of it a SPARQL query returns, into ``output``.

    Args:
        graph_file: A graph written by ``nekg build`` or any Turtle/N-Triples file.
        output: The HTML file to write (``"-"``: standard output).
        query: A SPARQL CONSTRUCT, DESCRIBE or SELECT query; see :func:`select`.
        title: The page heading; defaults to the graph file's name.
        limit: Draw at most this many nodes, the most connected ones.
        include_articles: Also draw articles and their mentions.
        warn: Told when there is nothing to draw (an empty page is still written).
    """
    graph = load_graph(graph_file)
    drawn, asked_articles = (graph, False) if query is None else select(graph, query)
    heading = title or f"nekg 知识图谱 · {Path(graph_file).name}" + (
        " · 查询结果 query result" if query else ""
    )
    return write_html(
        drawn,
        output,
        context=None if query is None else graph,
        title=heading,
        limit=limit,
        include_articles=include_articles or asked_articles,
        warn=warn,
    )


# rdflib's name of a format → the Oxigraph parser for it (Rust, much faster on big files).
READABLE = {
    "turtle": "ox-turtle",
    "nt": "ox-ntriples",
    "xml": "ox-xml",
    "json-ld": "ox-json-ld",
    "n3": "ox-n3",
}


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return (text[:200] + " …" if len(text) > 200 else text) or type(exc).__name__


def load_graph(path: Path | str) -> Graph:
    """Read a Turtle/N-Triples/RDF-XML/JSON-LD file (a folder: its ``graph.ttl``) into rdflib on Oxigraph.

    >>> load_graph("no/such/graph.ttl")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: no/such/graph.ttl: no such graph file; run `nekg build` first or give --graph FILE
    """
    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise GraphError(
            f"{shown(path)}: no such graph file; run `nekg build` first or give --graph FILE"
        )
    fmt = guess_format(str(path)) or "turtle"
    if fmt not in READABLE:
        raise GraphError(
            f"{shown(path)}: cannot draw {fmt} files; give a Turtle, N-Triples, RDF/XML or JSON-LD graph"
        )
    graph = Graph(store="Oxigraph")
    try:
        graph.parse(path, format=READABLE[fmt])
    except Exception as exc:  # parsers raise many unrelated types; report one line
        raise GraphError(f"{shown(path)}: cannot read as {fmt}: {_one_line(exc)}") from None
    return graph


def select(graph: Graph, query: str) -> tuple[Graph, bool]:
    """The part of ``graph`` a SPARQL query asks about, ready for :func:`draw`.

    The usual prefixes (``nekg:``, ``skos:``, ``schema:`` …) need no declaration.
    A CONSTRUCT or DESCRIBE result is drawn as is. A SELECT result gives the IRIs in
    its rows (statements and mentions stand for what they are about) plus every
    relation among them. Returns the graph to draw and whether articles were asked for.
    """
    # the query library's own reading of the query's form, and its one-line syntax errors
    from graph.query import _ERROR_AT, _syntax_error, _unknown_prefix, query_form

    if query_form(query) == "UPDATE":
        raise QueryError("cannot draw a SPARQL update; give a CONSTRUCT, DESCRIBE or SELECT query")
    try:
        result = graph.query(query, initNs=PREFIXES)
    except Exception as exc:  # rdflib and Oxigraph raise parser-specific types
        if _ERROR_AT.match(str(exc)) or _unknown_prefix(query, PREFIXES):
            raise _syntax_error(str(exc), query, PREFIXES) from None
        raise QueryError(f"cannot run the query: {_one_line(exc)}") from None
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        drawn = Graph()
        for triple in result:
            drawn.add(triple)
        return drawn, False
    if result.type == "ASK":
        raise QueryError(
            "an ASK query gives only true/false; use SELECT or CONSTRUCT to draw a graph"
        )
    return _subgraph(graph, _iris(result))


def _iris(result: Result) -> set[URIRef]:
    return {value for row in result for value in row if isinstance(value, URIRef)}


def _subgraph(graph: Graph, iris: Iterable[URIRef]) -> tuple[Graph, bool]:
    look_types: dict[URIRef, set[URIRef]] = {}
    wanted: set[URIRef] = set()
    for iri in iris:
        types = set(graph.objects(iri, RDF.type))
        look_types[iri] = types
        if str(iri).startswith(PROVENANCE_PREFIXES) or types & PROVENANCE_CLASSES:
            for p in (RDF.subject, RDF.object, NEKG.mentionOf):
                wanted.update(o for o in graph.objects(iri, p) if isinstance(o, URIRef))
        else:
            wanted.add(iri)
    drawn = Graph()
    articles = False
    for iri in sorted(wanted):
        types = look_types.get(iri) or set(graph.objects(iri, RDF.type))
        articles = articles or bool(types & ARTICLE_CLASSES)
        for t in types:
            drawn.add((iri, RDF.type, t))
        for p, o in graph.predicate_objects(iri):
            if isinstance(o, URIRef) and o in wanted:
                drawn.add((iri, p, o))
    return drawn, articles
