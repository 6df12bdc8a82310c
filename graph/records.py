"""The typed records passed between the pipeline stages.

Every stage takes and returns these frozen dataclasses; only the NLP stages touch
spaCy ``Doc`` objects and only the RDF stage touches rdflib terms.

Offsets are always character offsets into ``Article.text``, the text as it was
decoded from the file, so that evidence points at exactly what the source says:

>>> article = Article(id="a1", text="金坛区位于常州西部。")
>>> sentence = Sentence("a1", 0, "金坛区位于常州西部。", 0, 10, tuple(range(11)))
>>> sentence.span(0, 3)
(0, 3)
>>> article.text[slice(*sentence.span(5, 7))]
'常州'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class EntityType(StrEnum):
    """The kinds of entity nekg recognizes; the values are the ontology class names."""

    COMPANY = "Company"
    PLACE = "Place"
    PLATFORM = "Platform"
    POLICY = "Policy"
    ORGANIZATION = "Organization"
    PERSON = "Person"
    INDUSTRY_CHAIN = "IndustryChain"
    PROJECT = "Project"


class RelationType(StrEnum):
    """The kinds of relation nekg extracts; the values are the ontology property names."""

    LOCATED_IN = "locatedIn"
    LEADS_CHAIN = "leadsChain"
    PARTNERS_WITH = "partnersWith"
    SUBSIDIARY_OF = "subsidiaryOf"
    PART_OF = "partOf"
    BUILT_BY = "builtBy"
    ISSUED_BY = "issuedBy"
    IN_INDUSTRY = "inIndustry"
    HAS_ROLE = "hasRole"


SYMMETRIC_RELATIONS = frozenset({RelationType.PARTNERS_WITH})


@dataclass(frozen=True, slots=True)
class Article:
    """One source article as read from disk.

    ``text`` is the decoded original; ``date`` is ISO 8601 as far as known
    (``2024-09-26``, ``2024-09`` or ``2024``).
    """

    id: str
    text: str
    title: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    path: str = ""
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A normalized sentence with the map back to the original text.

    ``offsets[i]`` is the index in ``Article.text`` of ``text[i]``; ``start`` and
    ``end`` delimit the whole sentence in the original text (end exclusive).
    """

    article_id: str
    index: int
    text: str
    start: int
    end: int
    offsets: tuple[int, ...] = field(repr=False, compare=False)

    def span(self, begin: int, stop: int) -> tuple[int, int]:
        """Map ``text[begin:stop]`` to ``(start, end)`` in the original article text."""
        if not 0 <= begin < stop <= len(self.text):
            raise ValueError(f"span {begin}:{stop} outside sentence of length {len(self.text)}")
        return self.offsets[begin], self.offsets[stop - 1] + 1


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a sentence.

    ``text`` is the normalized surface form; ``start``/``end`` are original offsets.
    ``entity_id`` is filled by resolution. ``rule`` is the id of the recognizer that found
    it (see :mod:`graph.rules_registry`).
    """

    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: EntityType
    entity_id: str = ""
    method: str = ""
    confidence: float = 1.0
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity: a stable ASCII id, its type, preferred name and aliases.

    ``external`` holds identifiers in other systems as ``(scheme, value)`` pairs,
    e.g. ``("adcode", "320413")`` or ``("wikidata", "Q1094")``.
    """

    id: str
    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    external: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact is stated: the article, the sentence and its original offsets."""

    article_id: str
    sentence: str
    start: int
    end: int
    method: str
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Relation:
    """One distinct fact between two entities, with every piece of evidence for it.

    ``role`` qualifies a ``hasRole`` fact (``董事长``, ``区委书记``).
    """

    head: str
    rel: RelationType
    tail: str
    evidence: tuple[Evidence, ...] = ()
    role: str = ""


@dataclass(frozen=True, slots=True)
class Home:
    """The places an article calls its own, as 6-digit administrative codes ("" unknown).

    ``district``/``city``/``province`` are what 我区/我市/我省 (and a bare 区委, 市政府)
    stand for; ``topic`` is the one place the article is about; ``author`` is true when a
    byline makes the article that place's own account (中共常州市金坛区委).
    """

    article_id: str
    district: str = ""
    city: str = ""
    province: str = ""
    topic: str = ""
    author: bool = False


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its unit, what it measures and the period it refers to (see graph.figures).

    ``value`` is normalized to the base ``unit`` (亿元 -> CNY, GWh -> Wh), None when it could
    not be; ``unit_text`` is the unit as written; ``start``/``end`` are the original offsets
    of the figure as written; ``subject`` is an entity id ("" when none governs it), chosen
    by the rule ``subject_rule`` (its measure's rule is ``evidence.method``);
    ``period`` is an ISO 8601 year or interval with how it was resolved.
    """

    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    value: Decimal | None
    unit: str
    unit_text: str
    qualifier: str
    measure: str
    subject: str
    period: str
    period_text: str
    period_resolution: str
    evidence: Evidence
    subject_rule: str = ""  # the rule that chose ``subject`` (figure-subject-…)


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """What recognition found in one article: its sentences and its (unresolved) mentions.

    This is the per-article part of the pipeline, the expensive one; everything after it
    (resolution, relations, RDF) works on all records at once.
    """

    article: Article
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the text stages found in a corpus, ready for the RDF stage."""

    articles: tuple[Article, ...]
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    homes: tuple[Home, ...] = ()
    figures: tuple[Figure, ...] = ()
