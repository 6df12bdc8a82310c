"""Relation extraction between resolved entities, each fact with all its evidence.

Three sources of facts, all rule-based and precision-first:

1. Text rules (:mod:`graph.relations.rules`) over each sentence, seen as a template in
   which mentions are typed slots: 总部位于我区的中创新航, 以宁德时代、上汽时代为龙头牵引,
   A与B签署战略合作协议, 由A牵头联合B、C共同建设的D, 作为宁德时代全资子公司，江苏时代….
   Words for the article's own place (我区, 我市) are resolved first, from the byline
   (中共常州市金坛区委) or the place the article is dominated by.
2. Names: a place inside a name (溧阳高新区, 贝特瑞（江苏）新能源材料有限公司) locates it;
   a company name with a parent's name and a bracketed place is a local subsidiary; a
   platform named inside another (华罗庚高新区创智十二坊) is part of it.
3. Administrative codes: a place whose code lies under another place's code is located
   in it (金坛区 320413 ⊂ 常州 320400 ⊂ 江苏 320000), with the article that names both.

Facts are merged to one :class:`Relation` per (head, rel, tail) — per role for
``hasRole`` — carrying one :class:`Evidence` per sentence that states it; symmetric
relations are stored once, head < tail.

>>> from graph.records import EntityType as T
>>> s = Sentence("a", 0, "江苏时代在溧阳投资建设电池工厂。", 0, 16, tuple(range(16)))
>>> ms = [Mention("a", 0, 0, 4, "江苏时代", T.COMPANY, "company/jsc"),
...       Mention("a", 0, 5, 7, "溧阳", T.PLACE, "place/320481")]
>>> es = [Entity("company/jsc", T.COMPANY, "江苏时代"), Entity("place/320481", T.PLACE, "溧阳")]
>>> [(r.head, r.rel.value, r.tail, r.evidence[0].method) for r in extract([s], ms, es)]
[('company/jsc', 'locatedIn', 'place/320481', 'plant')]
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from graph.records import (
    Entity,
    EntityType,
    Home,
    Mention,
    Relation,
    RelationType,
    Sentence,
)
from graph.relations import patterns as P
from graph.relations.merge import _SURE, MIN_CONFIDENCE, _certainty, _weigh, merge
from graph.relations.name_facts import (
    _Known,
    _names_of,
    _norm_span,
    code_facts,
    name_facts,
    title_issuers,
)
from graph.relations.parks import article_park
from graph.relations.places import _alternation, _homes_of, _place_in_name, _Places, home_places
from graph.relations.rules import Fact, View, apply
from graph.text.normalize import normalize_name

T = EntityType
R = RelationType


# What may surround a known name inside an uncertain mention (\0 marks the name).
_GENERIC_REST = re.compile(
    r"(?:和|与|及|、)?\0(?:的)?(?:(?:全资|控股|独资)?(?:子公司|孙公司)|[东西南北中]部|地区|境内|等|等近|和|与|及)?"
)
# A mention that is a company's name and a subsidiary noun (国轩高科控股子公司): the parent.
_SUBSIDIARY_END = re.compile(r"的?(?:全资|控股|独资)?(?:子公司|孙公司)$")
# A place inside a name, followed by one of these, names a part of the place, not a body.


def extract(
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    entities: Sequence[Entity],
    homes: Mapping[str, Home] | None = None,
) -> list[Relation]:
    """Extract relations from resolved mentions, with one piece of evidence per stating sentence.

    Args:
        sentences: every sentence of every article, as split by :mod:`graph.normalize`.
        mentions: resolved mentions (``entity_id`` set) with original offsets.
        entities: the resolved entities the mentions point to.
        homes: the articles' home places (:func:`graph.entities.home.article_homes`); computed
            from the sentences and the coded place mentions when not given.

    Returns:
        Relations sorted by (rel, head, tail, role), evidence sorted by article and offset.
    """
    by_id = {e.id: e for e in entities}
    gazetteer = _Places(entities)
    by_article: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_article[sentence.article_id].append(sentence)
    in_sentence: dict[tuple[str, int], list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.entity_id in by_id:
            in_sentence[(mention.article_id, mention.sentence)].append(mention)

    if homes is None:
        homes = _homes_of(sentences, [m for m in mentions if m.entity_id in by_id], gazetteer)
    anchors = _Anchors(mentions, by_id)
    known = _Known(by_id)
    found: list[tuple[Fact, Sentence]] = []
    titled: list[tuple[Fact, Sentence]] = []
    for article_id, article_sentences in by_article.items():
        article_sentences.sort(key=lambda s: s.index)
        article_mentions = [
            m for s in article_sentences for m in in_sentence[(article_id, s.index)]
        ]
        home = home_places(
            article_sentences,
            article_mentions,
            by_id,
            gazetteer,
            homes.get(article_id) or Home(article_id),
        )
        chain = _article_chain(article_mentions, by_id)
        if chain:
            home = {**home, "chain": chain}
        park = article_park(article_mentions, by_id)
        if park:
            home = {**home, "park": park}
        named = {home[k] for k in ("district", "city", "province", "topic") if k in home}
        last_project = ""  # the project named last, for 该项目 in a later sentence
        for sentence in article_sentences:
            here = anchors.split(sentence, in_sentence[(article_id, sentence.index)])
            sure = _certainty(here)
            spans = [span for m in here if (span := _span(sentence, m, by_id)) is not None]
            view = View.build(sentence.text, spans, {**home, "project": last_project})
            last_project = next(
                (s[2] for s in sorted(spans, reverse=True) if s[3] is T.PROJECT), last_project
            )
            facts = [
                *_through_parks(apply(view), by_id, gazetteer),
                *name_facts(sentence, here, by_id, gazetteer, known, named),
            ]
            found.extend((_weigh(fact, sure), sentence) for fact in facts)
            titled.extend((fact, sentence) for fact in title_issuers(here, by_id, gazetteer, known))
        found.extend(code_facts(article_sentences, article_mentions, by_id, gazetteer))
    # A policy's title names its issuer only when no sentence says who issued it.
    issued = {f.head for f, _ in found if f.rel is R.ISSUED_BY}
    found.extend((f, s) for f, s in titled if f.head not in issued)
    return merge([(f, s) for f, s in found if f.confidence >= MIN_CONFIDENCE], by_id, gazetteer)


def _article_chain(mentions: Sequence[Mention], by_id: dict[str, Entity]) -> str | None:
    """The industry an article is about: the specific chain it names at least 3 times and
    twice as often as any other (a generic one such as 新能源 does not count)."""
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        entity = by_id[m.entity_id]
        if entity.type is T.INDUSTRY_CHAIN and not P.GENERIC_CHAIN.fullmatch(entity.name):
            counts[entity.id] += 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < 3:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _through_parks(
    facts: Iterable[Fact], by_id: dict[str, Entity], places: _Places
) -> Iterator[Fact]:
    """Resolve a park given as a location (落户长沙经开区) to the place its name holds.

    A platform or project in a park is also part of it.
    """
    for fact in facts:
        park = by_id.get(fact.tail)
        if fact.rel is not R.LOCATED_IN or park is None or park.type is not T.PLATFORM:
            yield fact
            continue
        if by_id[fact.head].type is T.PLATFORM:
            yield fact._replace(rel=R.PART_OF)
        else:
            yield fact  # a company, body or project in the park
        place = _place_in_name(normalize_name(park.name), places)
        if place:
            yield fact._replace(tail=place, method=f"{fact.method}-park")


class _Anchors:
    """Known names inside uncertain mentions: 宁德时代全资子公司 is 宁德时代 + 全资子公司.

    A mention found by a weak recognizer that is a confidently known entity's name plus
    only generic words (a subsidiary noun, a direction, a conjunction) is read as that
    entity, so the words around it stay visible to the rules.
    """

    def __init__(self, mentions: Iterable[Mention], by_id: dict[str, Entity]) -> None:
        self.by_id = by_id
        known = {m.entity_id for m in mentions if m.confidence >= _SURE and m.entity_id in by_id}
        self.names = _names_of((by_id[i] for i in known), None)
        self._pattern = _alternation(self.names)
        # Any company, however it was found, before a subsidiary noun (国轩高科控股子公司).
        self.companies = _names_of(by_id.values(), T.COMPANY)

    def split(self, sentence: Sentence, mentions: Sequence[Mention]) -> list[Mention]:
        out: list[Mention] = []
        for m in mentions:
            out.extend(self._split_one(sentence, m) if m.confidence < _SURE else [m])
        return out

    def _split_one(self, sentence: Sentence, mention: Mention) -> list[Mention]:
        begin, stop = _norm_span(sentence, mention)
        surface = sentence.text[begin:stop]
        noun = _SUBSIDIARY_END.search(surface)
        parent = self.companies.get(normalize_name(surface[: noun.start()])) if noun else None
        if noun and parent:
            start, end = sentence.span(begin, begin + noun.start())
            name = surface[: noun.start()]
            kind = self.by_id[parent].type
            return [
                Mention(
                    mention.article_id,
                    mention.sentence,
                    start,
                    end,
                    name,
                    kind,
                    parent,
                    "anchor",
                    _SURE,
                )
            ]
        for found in self._pattern.finditer(surface) if self._pattern else ():
            name, at = found.group(), found.start()
            entity = self.names[name]
            if len(name) == len(surface):
                continue
            rest = surface[:at] + "\0" + surface[at + len(name) :]
            if _GENERIC_REST.fullmatch(rest):
                start, end = sentence.span(begin + at, begin + at + len(name))
                return [
                    Mention(
                        mention.article_id,
                        mention.sentence,
                        start,
                        end,
                        name,
                        self.by_id[entity].type,
                        entity,
                        "anchor",
                        _SURE,
                    )
                ]
            break
        return [mention]


def _span(
    sentence: Sentence, mention: Mention, by_id: dict[str, Entity]
) -> tuple[int, int, str, EntityType] | None:
    """A mention's (start, end) in the normalized sentence, with its entity and type."""
    offsets = sentence.offsets
    begin = bisect.bisect_left(offsets, mention.start)
    stop = bisect.bisect_left(offsets, mention.end)
    if begin >= stop or begin >= len(offsets):
        return None
    return begin, stop, mention.entity_id, by_id[mention.entity_id].type
