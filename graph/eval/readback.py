"""Reading a written graph back into records (articles, entities, mentions, facts) to score it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from graph.display import shown
from graph.errors import GraphError
from graph.rdf import namespaces as ns
from graph.records import (
    Article,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Mention,
    Relation,
    RelationType,
    Sentence,
)

_NEKG = ns.NEKG
_ID = ns.ID
_ARTICLE = _ID + "article/"
_RDF = ns.RDF
_SKOS = ns.SKOS
_RDFS_LABEL = ns.RDFS + "label"
_PROV_FROM = ns.PROV + "wasDerivedFrom"
_DCTERMS = ns.DCTERMS
_SCHEMA = ns.SCHEMA
_WIKIDATA = ns.WD


def load_graph(path: Path):
    """Parse a graph file written by ``nekg build`` (Turtle, N-Triples, RDF/XML, JSON-LD).

    Raises:
        GraphError: the file is missing or does not parse.
    """
    from rdflib import Graph
    from rdflib.util import guess_format

    path = Path(path)
    if not path.is_file():
        raise GraphError(
            f"{shown(path)}: no such graph file; run `nekg build` first or give another --graph"
        )
    fmt = guess_format(str(path)) or "turtle"
    try:
        graph = Graph(store="Oxigraph")
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib and oxrdflib raise many kinds of parse errors
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise GraphError(f"{shown(path)}: cannot be read as {fmt} ({reason})") from None
    return graph


def _string_triples(graph) -> Iterator[tuple[str, str, str]]:
    """Every triple as (subject, predicate, object) strings: IRIs and literal lexical forms.

    Reads an Oxigraph-backed graph through pyoxigraph directly, five times faster
    than converting every term to rdflib.
    """
    inner = getattr(graph.store, "_inner", None)
    if inner is not None and hasattr(inner, "quads_for_pattern"):
        for quad in inner.quads_for_pattern(None, None, None, None):
            yield quad.subject.value, quad.predicate.value, quad.object.value
        return
    for s, p, o in graph.triples((None, None, None)):
        yield str(s), str(p), str(o)


class _Nodes:
    """The triples of a graph indexed by subject, as plain strings."""

    def __init__(self, graph) -> None:
        self.props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.typed: dict[str, list[str]] = defaultdict(list)
        self.pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        facts = {_NEKG + r.value for r in RelationType} | {_SCHEMA + "mentions"}
        for s, p, o in _string_triples(graph):
            if p == _RDF + "type":
                self.typed[o].append(s)
            elif p in facts:
                self.pairs[p].append((s, o))
            else:
                self.props[s][p].append(o)

    def of_type(self, iri: str) -> list[str]:
        return sorted(set(self.typed.get(iri, ())))

    def text(self, node: str, *predicates: str) -> str:
        values = self.props.get(node, {})
        for predicate in predicates:
            if values.get(predicate):
                return min(values[predicate])
        return ""

    def all(self, node: str, predicate: str) -> list[str]:
        return sorted(self.props.get(node, {}).get(predicate, ()))

    def number(self, node: str, predicate: str, kind: type = int, default=0):
        value = self.text(node, predicate)
        try:
            return kind(value) if value else default
        except ValueError:
            return default


def _local(iri: str, prefix: str) -> str:
    return iri[len(prefix) :] if iri.startswith(prefix) else ""


def extraction_from_graph(graph) -> Extraction:
    """Rebuild entity, relation and mention records from a graph written per nekg's data model.

    Sentences are rebuilt from the evidence texts: each distinct evidence of an
    article becomes one :class:`Sentence` (offsets exact where a fact's provenance
    gives them, else estimated from a mention), numbered in text order. Article
    texts are not in the graph and stay empty.
    """
    nodes = _Nodes(graph)
    articles = tuple(
        Article(
            id=_local(node, _ARTICLE),
            text="",
            title=nodes.text(node, _DCTERMS + "title"),
            date=nodes.text(node, _DCTERMS + "date"),
            source=nodes.text(node, _DCTERMS + "publisher"),
            url=nodes.text(node, _SCHEMA + "url"),
        )
        for node in nodes.of_type(_NEKG + "Article")
        if _local(node, _ARTICLE)
    )
    entities: dict[str, Entity] = {}
    for kind in EntityType:
        for node in nodes.of_type(_NEKG + kind.value):
            ident = _local(node, _ID)
            if not ident or ident in entities:
                continue
            name = nodes.text(node, _SKOS + "prefLabel", _RDFS_LABEL) or ident
            aliases = tuple(
                a for a in dict.fromkeys(nodes.all(node, _SKOS + "altLabel")) if a != name
            )
            external = [("adcode", code) for code in nodes.all(node, _NEKG + "adminCode")]
            external += [
                ("wikidata", _local(m, _WIKIDATA))
                for m in nodes.all(node, _SKOS + "exactMatch")
                if _local(m, _WIKIDATA)
            ]
            entities[ident] = Entity(ident, kind, name, aliases, tuple(sorted(external)))

    # Evidence of facts, with the original offsets of their sentences.
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    evidence: dict[tuple[str, RelationType, str], list[Evidence]] = defaultdict(list)
    roles: dict[tuple[str, RelationType, str], str] = {}
    for node in nodes.of_type(_RDF + "Statement"):
        head = _local(nodes.text(node, _RDF + "subject"), _ID)
        tail = _local(nodes.text(node, _RDF + "object"), _ID)
        rel_name = _local(nodes.text(node, _RDF + "predicate"), _NEKG)
        if not head or not tail or rel_name not in RelationType._value2member_map_:
            continue
        rel = RelationType(rel_name)
        article = _local(nodes.text(node, _PROV_FROM), _ARTICLE)
        sentence = nodes.text(node, _NEKG + "evidence")
        start, end = nodes.number(node, _NEKG + "start"), nodes.number(node, _NEKG + "end")
        confidence = nodes.number(node, _NEKG + "confidence", float, 1.0)
        evidence[(head, rel, tail)].append(
            Evidence(article, sentence, start, end, nodes.text(node, _NEKG + "method"), confidence)
        )
        if sentence:
            spans.setdefault((article, sentence), (start, end))
        if role := nodes.text(node, _NEKG + "role"):
            roles[(head, rel, tail)] = role
    relations = []
    for rel in RelationType:
        for s, o in sorted(set(nodes.pairs.get(_NEKG + rel.value, ()))):
            head, tail = _local(s, _ID), _local(o, _ID)
            if head in entities and tail in entities:
                key = (head, rel, tail)
                found = sorted(evidence.get(key, ()), key=lambda e: (e.article_id, e.start, e.end))
                relations.append(Relation(head, rel, tail, tuple(found), roles.get(key, "")))
    relations.sort(key=lambda r: (r.head, r.rel, r.tail))

    raw: list[tuple[str, str, str, str, str, int, int]] = []
    for node in nodes.of_type(_NEKG + "Mention"):
        entity = _local(nodes.text(node, _NEKG + "mentionOf"), _ID)
        article = _local(nodes.text(node, _PROV_FROM), _ARTICLE)
        if entity not in entities or not article:
            continue
        surface, sentence = (
            nodes.text(node, _NEKG + "surface"),
            nodes.text(node, _NEKG + "evidence"),
        )
        start, end = nodes.number(node, _NEKG + "start"), nodes.number(node, _NEKG + "end")
        if sentence and (article, sentence) not in spans:
            begin = max(start - max(sentence.find(surface), 0), 0) if surface else start
            spans[(article, sentence)] = (begin, begin + len(sentence))
        raw.append((node, entity, article, surface, sentence, start, end))
    # An article the graph says mentions an entity puts the entity in that
    # article's scope even without a mention node.
    seen = {(m[1], m[2]) for m in raw}
    for s, o in sorted(set(nodes.pairs.get(_SCHEMA + "mentions", ()))):
        article, entity = _local(s, _ARTICLE), _local(o, _ID)
        if article and entity in entities and (entity, article) not in seen:
            seen.add((entity, article))
            raw.append(("", entity, article, "", "", -1, -1))

    sentences, index, numbers = [], {}, defaultdict(int)
    for (article, text), (start, end) in sorted(
        spans.items(), key=lambda kv: (kv[0][0], kv[1], kv[0][1])
    ):
        index[(article, text)] = number = numbers[article]
        numbers[article] += 1
        sentences.append(
            Sentence(article, number, text, start, end, tuple(range(start, start + len(text))))
        )
    mentions = sorted(
        (
            Mention(
                article_id=article,
                sentence=index.get((article, sentence), -1),
                start=start,
                end=end,
                text=surface,
                type=entities[entity].type,
                entity_id=entity,
                method=nodes.text(node, _NEKG + "method"),
                confidence=nodes.number(node, _NEKG + "confidence", float, 1.0),
                rule=nodes.text(node, _NEKG + "rule"),
            )
            for node, entity, article, surface, sentence, start, end in raw
        ),
        key=lambda m: (m.article_id, m.start, m.end, m.entity_id),
    )
    return Extraction(
        articles,
        tuple(sentences),
        tuple(mentions),
        tuple(sorted(entities.values(), key=lambda e: e.id)),
        tuple(relations),
    )
