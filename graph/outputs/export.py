"""Export the graph for other tools: N-Triples, TriG, JSON-LD, GraphML, GEXF and CSV.

(``spacy``, nekg's mentions as spaCy training data, is made from the articles: see
:mod:`graph.entities.spacy_component`.)

- ``nt``: sorted N-Triples, one triple per line (diff- and grep-friendly).
- ``trig``: the same triples as a dataset with one named graph per article, named by the
  article's IRI, holding the facts, statement nodes, mentions and ``schema:mentions``
  derived from it; entities and article metadata stay in the default graph.
- ``jsonld``: JSON-LD with the nekg prefixes as its context.
- ``graphml`` / ``gexf``: the entity network for Gephi (via networkx): one node per entity
  with ``label`` and ``type``, one edge per fact with ``relation``, the number of pieces of
  evidence, the best confidence and the articles;
- ``csv``: the figures (numbers with units, see :mod:`graph.figures`), one row a figure.

>>> from graph.records import Article, Entity, EntityType, Evidence, Extraction, Relation, RelationType
>>> from graph.rdf.build import to_graph
>>> ex = Extraction(
...     articles=(Article("a1", "中创新航位于金坛区。", title="t"),),
...     entities=(Entity("company/calb", EntityType.COMPANY, "中创新航"),
...               Entity("place/320413", EntityType.PLACE, "金坛区")),
...     relations=(Relation("company/calb", RelationType.LOCATED_IN, "place/320413",
...                         (Evidence("a1", "中创新航位于金坛区。", 0, 10, "rule"),)),))
>>> from graph.outputs.network import to_network
>>> net = to_network(to_graph(ex), plain=True)
>>> sorted(net.nodes[n]["label"] for n in net), [d["relation"] for *_, d in net.edges(data=True)]
(['中创新航', '金坛区'], ['locatedIn'])
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS
from rdflib.term import Node

from graph.display import shown
from graph.errors import GraphError
from graph.files import write_output
from graph.outputs.gephi import to_gexf, to_graphml
from graph.outputs.network import _local
from graph.rdf import write as rdf_write
from graph.rdf.read import read_graph
from graph.rdf.vocab import NEKG, PREFIXES, SCHEMA
from graph.rdf.write import to_trig
from graph.text.chars import scalar_text

# --- RDF formats ----------------------------------------------------------------------


def to_ntriples(graph: Graph) -> str:
    """Sorted N-Triples (UTF-8, one triple per line; see :func:`graph.rdf.write.to_ntriples`)."""
    return rdf_write.to_ntriples(graph)


def article_claims(
    graph: Graph, nodes: rdf_write.NodeSource | None = None
) -> Callable[[tuple], frozenset[URIRef]]:
    """For a triple of ``graph``, the articles whose named graph holds it (see :func:`split_by_article`).

    A statement or mention node (anything ``prov:wasDerivedFrom`` an article) is claimed,
    with all its triples, by its article; so are the fact a statement supports and the
    ``<article> schema:mentions <entity>`` triple of a mention. Only those nodes and triples
    are remembered, not the graph's triples. The subjects of ``nodes`` (made from the
    records, see :class:`graph.rdf.build.MentionNodes`) count as nodes of ``graph``.
    """
    by_node: dict[Node, frozenset[URIRef]] = {}
    by_triple: dict[tuple, frozenset[URIRef]] = {}

    def claim(table: dict, key: object, article: URIRef) -> None:
        table[key] = table.get(key, frozenset()) | {article}

    for node, article in graph.subject_objects(PROV.wasDerivedFrom):
        if not isinstance(article, URIRef):
            continue
        claim(by_node, node, article)
        if (node, RDF.type, RDF.Statement) in graph:
            fact = (
                graph.value(node, RDF.subject),
                graph.value(node, RDF.predicate),
                graph.value(node, RDF.object),
            )
            if None not in fact and fact in graph:
                claim(by_triple, fact, article)
        entity = graph.value(node, NEKG.mentionOf)
        if entity is not None and (article, SCHEMA.mentions, entity) in graph:
            claim(by_triple, (article, SCHEMA.mentions, entity), article)
    for node in nodes if nodes is not None else ():
        _claim_node(graph, node, list(nodes.triples_of(node)), claim, by_node, by_triple)
    nobody: frozenset[URIRef] = frozenset()

    def claimed(triple: tuple) -> frozenset[URIRef]:
        own, other = by_node.get(triple[0]), by_triple.get(triple)
        if own is None:
            return other or nobody
        return own if other is None else own | other

    return claimed


def _claim_node(
    graph: Graph,
    node: Node,
    triples: list[tuple],
    claim: Callable[[dict, object, URIRef], None],
    by_node: dict,
    by_triple: dict,
) -> None:
    """The claims of one node given by its own triples, as :func:`article_claims` makes them
    for a node of the graph (the triples it points at are looked up in ``graph``)."""

    def value(predicate: Node) -> Node | None:
        return next((o for _, p, o in triples if p == predicate), None)

    for _, p, article in triples:
        if p != PROV.wasDerivedFrom or not isinstance(article, URIRef):
            continue
        claim(by_node, node, article)
        if any(p == RDF.type and o == RDF.Statement for _, p, o in triples):
            fact = (value(RDF.subject), value(RDF.predicate), value(RDF.object))
            if None not in fact and fact in graph:
                claim(by_triple, fact, article)
        entity = value(NEKG.mentionOf)
        if entity is not None and (article, SCHEMA.mentions, entity) in graph:
            claim(by_triple, (article, SCHEMA.mentions, entity), article)


def split_by_article(graph: Graph) -> tuple[list, dict[URIRef, list]]:
    """``(default, named)``: the triples of ``graph`` with those derived from an article in its graph.

    A statement or mention node goes to the graph of the article it was derived from,
    together with the fact it supports (a fact stated in two articles is in both) or the
    ``<article> schema:mentions <entity>`` triple. Everything else (entities, article
    metadata, facts without evidence) stays in the default graph. The union of all graphs
    is ``graph`` again.
    """
    claimed = article_claims(graph)
    named: dict[URIRef, list] = defaultdict(list)
    default = []
    for triple in graph:
        articles = claimed(triple)
        if not articles:
            default.append(triple)
        for article in articles:
            named[article].append(triple)
    return default, dict(named)


def to_trig_text(graph: Graph) -> str:
    """TriG with one named graph per article (see :func:`split_by_article`)."""
    default, named = split_by_article(graph)
    return to_trig(default, named)


def to_jsonld(graph: Graph) -> str:
    """JSON-LD with the nekg prefixes as context; nodes and keys in a stable order."""
    ordered = Graph()
    for prefix, namespace in PREFIXES.items():
        ordered.bind(prefix, namespace, override=True)
    # rdflib's memory store keeps insertion order, so sorted input gives stable output.
    for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        ordered.add(tuple(_scalar_term(term) for term in triple))
    context = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    data = json.loads(ordered.serialize(format="json-ld", context=context, auto_compact=True))
    return json.dumps(_sorted_arrays(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _scalar_term(term: Node) -> Node:
    """``term`` with lone surrogates replaced (rdflib's writer would turn them into "?")."""
    if isinstance(term, Literal) and scalar_text(str(term)) != str(term):
        return Literal(scalar_text(str(term)), lang=term.language, datatype=term.datatype)
    if isinstance(term, URIRef) and scalar_text(str(term)) != str(term):
        return URIRef(scalar_text(str(term)))
    return term


def _sorted_arrays(value: object) -> object:
    """Sort every JSON-LD array (their order carries no meaning; nekg writes no @list).

    Strings are made encodable as UTF-8 on the way (see :func:`graph.text.chars.scalar_text`).
    """
    if isinstance(value, dict):
        return {scalar_text(k): _sorted_arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_arrays(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, str):
        return scalar_text(value)
    return value


# --- networks for Gephi -----------------------------------------------------------------


# --- figures as a table --------------------------------------------------------------

FIGURE_COLUMNS = (
    "article",
    "start",
    "end",
    "subject",
    "subject_label",
    "measure",
    "value",
    "unit",
    "qualifier",
    "period",
    "period_resolution",
    "text",
    "unit_text",
    "rule",
    "confidence",
    "sentence",
    "figure",
)
_FIGURE_PROPS = {
    "measure": NEKG.measure,
    "value": NEKG.value,
    "unit": NEKG.unit,
    "qualifier": NEKG.qualifier,
    "period": NEKG.period,
    "period_resolution": NEKG.periodResolution,
    "text": NEKG.figureText,
    "unit_text": NEKG.unitText,
    "rule": NEKG.method,
    "confidence": NEKG.confidence,
    "sentence": NEKG.evidence,
    "start": NEKG.start,
    "end": NEKG.end,
}


_FORMULA_START = frozenset("=+-@\t\r")


def to_figures_csv(graph: Graph) -> str:
    """The figures (``nekg:Observation`` nodes) as a tidy CSV table, one row a figure.

    Rows are sorted by article and offset; ``value`` is in the base ``unit``; an empty
    cell is a value not stated. Columns: see ``FIGURE_COLUMNS``.
    """
    import csv

    rows = []
    for node in set(graph.subjects(RDF.type, NEKG.Observation)):
        row = dict.fromkeys(FIGURE_COLUMNS, "")
        for column, prop in _FIGURE_PROPS.items():
            value = graph.value(node, prop)
            row[column] = scalar_text(str(value)) if value is not None else ""
        article = graph.value(node, PROV.wasDerivedFrom)
        subject = graph.value(node, NEKG.figureOf)
        row["article"] = _local(article) if isinstance(article, URIRef) else ""
        row["subject"] = str(subject) if subject is not None else ""
        label = graph.value(subject, SKOS.prefLabel) if subject is not None else None
        row["subject_label"] = str(label) if label is not None else ""
        row["figure"] = str(node)
        for column in ("subject_label", "text", "unit_text", "sentence"):
            if row[column][:1] in _FORMULA_START:  # article text must not run as a formula
                row[column] = "'" + row[column]
        rows.append(row)
    rows.sort(key=lambda r: (r["article"], int(r["start"] or 0), r["figure"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, FIGURE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# --- files ----------------------------------------------------------------------------

FORMATS: dict[str, tuple[str, Callable[[Graph], str | bytes]]] = {
    "nt": (".nt", to_ntriples),
    "trig": (".trig", to_trig_text),
    "jsonld": (".jsonld", to_jsonld),
    "graphml": (".graphml", to_graphml),
    "gexf": (".gexf", to_gexf),
    "csv": (".csv", to_figures_csv),
}


# Formats made from the articles, not from the graph (which holds no article text):
# ``spacy``, a DocBin of the sentences with the mentions as entities (graph.spacy_component).
ARTICLE_FORMATS: dict[str, str] = {"spacy": ".spacy"}


def format_for(path: Path) -> str:
    """The export format a file name asks for (by its suffix).

    >>> format_for(Path("out/graph.gexf")), format_for(Path("train.spacy"))
    ('gexf', 'spacy')
    """
    suffix = path.suffix.lower()
    for name, (ext, _) in FORMATS.items():
        if suffix == ext or (name == "jsonld" and suffix == ".json"):
            return name
    for name, ext in ARTICLE_FORMATS.items():
        if suffix == ext:
            return name
    names = ", ".join([*(ext for ext, _ in FORMATS.values()), *ARTICLE_FORMATS.values()])
    raise GraphError(
        f"{shown(path)}: cannot tell the export format from the file name; "
        f"use --format or one of {names}"
    )


def export(graph_path: Path, fmt: str, out: Path | str) -> Path | str:
    """Read the Turtle graph at ``graph_path`` and write it to ``out`` as ``fmt``.

    ``out`` is written as :func:`graph.files.write_output` does: ``"-"`` is standard
    output, a FIFO or device is written into, a regular file is replaced atomically.
    """
    if fmt in ARTICLE_FORMATS:
        raise GraphError(
            f"the {fmt} format is made from the articles, not the graph: "
            f"nekg export --format {fmt} ARTICLES... -o FILE"
        )
    if fmt not in FORMATS:
        raise GraphError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    graph = read_graph(graph_path)
    return write_output(out, FORMATS[fmt][1](graph))
