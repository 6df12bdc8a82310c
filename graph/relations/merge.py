"""Facts weighed and merged: each fact as certain as its rule and its mentions, one relation
per (head, rel, tail) with every sentence that states it, within each relation's type signature."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from graph.records import (
    SYMMETRIC_RELATIONS,
    Entity,
    EntityType,
    Evidence,
    Mention,
    Relation,
    RelationType,
    Sentence,
)
from graph.relations.places import _Places
from graph.relations.rules import Fact

T = EntityType
R = RelationType


# Which entity types each relation may join (head types, tail types).
SIGNATURES: dict[RelationType, tuple[frozenset[EntityType], frozenset[EntityType]]] = {
    R.LOCATED_IN: (
        frozenset({T.COMPANY, T.PLATFORM, T.ORGANIZATION, T.PROJECT, T.PLACE}),
        frozenset({T.PLACE, T.PLATFORM}),
    ),
    R.LEADS_CHAIN: (frozenset({T.COMPANY}), frozenset({T.INDUSTRY_CHAIN})),
    R.PARTNERS_WITH: (
        frozenset({T.COMPANY, T.PLATFORM, T.ORGANIZATION, T.PLACE}),
        frozenset({T.COMPANY, T.PLATFORM, T.ORGANIZATION, T.PLACE}),
    ),
    R.SUBSIDIARY_OF: (frozenset({T.COMPANY}), frozenset({T.COMPANY})),
    R.PART_OF: (frozenset({T.PLATFORM, T.PROJECT}), frozenset({T.PLATFORM})),
    R.BUILT_BY: (
        frozenset({T.PLATFORM, T.PROJECT, T.ORGANIZATION}),
        frozenset({T.COMPANY, T.PLATFORM, T.ORGANIZATION, T.PLACE}),
    ),
    R.ISSUED_BY: (frozenset({T.POLICY}), frozenset({T.PLACE, T.ORGANIZATION, T.PLATFORM})),
    R.HAS_ROLE: (
        frozenset({T.PERSON}),
        frozenset({T.COMPANY, T.ORGANIZATION, T.PLATFORM, T.PLACE}),
    ),
    R.IN_INDUSTRY: (frozenset({T.COMPANY, T.PLATFORM, T.PROJECT}), frozenset({T.INDUSTRY_CHAIN})),
}

# Below this a fact is not asserted: rule confidence times the weaker mention's confidence.
MIN_CONFIDENCE = 0.55
# Mentions at least this certain are taken as they are (alias-table matches are 1.0).
_SURE = 0.9


def _certainty(mentions: Iterable[Mention]) -> dict[str, float]:
    """How sure recognition is of each entity in a sentence (its best mention there)."""
    sure: dict[str, float] = {}
    for m in mentions:
        sure[m.entity_id] = max(sure.get(m.entity_id, 0.0), m.confidence)
    return sure


def _weigh(fact: Fact, sure: dict[str, float]) -> Fact:
    """A fact is as certain as its rule times the less certain of its two mentions.

    Entities the sentence names only by 我区/我市 or not at all (the article's place)
    count as certain.
    """
    weight = min(sure.get(fact.head, 1.0), sure.get(fact.tail, 1.0))
    return fact._replace(confidence=round(fact.confidence * weight, 3))


# --- merging ------------------------------------------------------------------------------------


def merge(
    found: Iterable[tuple[Fact, Sentence]], by_id: dict[str, Entity], places: _Places
) -> list[Relation]:
    """One relation per distinct fact, with one piece of evidence per sentence (best rule wins)."""
    evidence: dict[tuple[str, RelationType, str, str], dict[tuple[str, int, int], Evidence]] = (
        defaultdict(dict)
    )
    for fact, sentence in found:
        head, tail = fact.head, fact.tail
        if fact.rel in SYMMETRIC_RELATIONS and tail < head:
            head, tail = tail, head
        if not _allowed(head, fact.rel, tail, by_id, places):
            continue
        key = (head, fact.rel, tail, fact.role)
        where = (sentence.article_id, sentence.start, sentence.end)
        old = evidence[key].get(where)
        if old is None or fact.confidence > old.confidence:
            evidence[key][where] = Evidence(
                sentence.article_id,
                sentence.text,
                sentence.start,
                sentence.end,
                fact.method,
                fact.confidence,
            )
    relations = [
        Relation(
            head, rel, tail, tuple(sorted(ev.values(), key=lambda e: (e.article_id, e.start))), role
        )
        for (head, rel, tail, role), ev in evidence.items()
    ]
    relations.sort(key=lambda r: (r.rel.value, r.head, r.tail, r.role))
    return relations


def _allowed(
    head: str, rel: RelationType, tail: str, by_id: dict[str, Entity], places: _Places
) -> bool:
    """Type signature holds, no self-loop, and a place is never put in a place its code contradicts."""
    if head == tail or head not in by_id or tail not in by_id:
        return False
    heads, tails = SIGNATURES[rel]
    if by_id[head].type not in heads or by_id[tail].type not in tails:
        return False
    if rel is R.LOCATED_IN and by_id[head].type is T.PLACE:
        child, parent = places.code.get(head), places.code.get(tail)
        if child and parent and tail not in places.ancestors(head):
            return False
    return True
