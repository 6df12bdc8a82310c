"""What a graph holds, counted one way everywhere (build summary, HTML page, GraphML).

An *entity* is a node typed with one of the entity classes (``nekg:Company`` …). A
*fact* (also called a relation) is a distinct ``(head, relation, tail)`` triple between
two entities whose predicate is one of the relation properties (``nekg:locatedIn`` …),
as stored in ``graph.ttl``: a fact stated by several sentences counts once, and a
symmetric fact is stored, and counted, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph.rdf.vocab import NEKG
from graph.records import EntityType, RelationType

ENTITY_CLASSES = frozenset(NEKG[t.value] for t in EntityType)
RELATION_PREDICATES = frozenset(NEKG[r.value] for r in RelationType)


@dataclass(frozen=True, slots=True)
class Counts:
    """How many entities and facts a graph holds."""

    entities: int
    facts: int


def entities(graph: Graph) -> set[URIRef]:
    """Every node typed with an entity class."""
    return {
        s for cls in ENTITY_CLASSES for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)
    }


def facts(graph: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    """Every distinct ``(head, relation, tail)`` between two entities."""
    known = entities(graph)
    return {
        (s, p, o)
        for p in RELATION_PREDICATES
        for s, o in graph.subject_objects(p)
        if s in known and o in known
    }


def count(graph: Graph) -> Counts:
    """The :class:`Counts` of ``graph``."""
    return Counts(len(entities(graph)), len(facts(graph)))
