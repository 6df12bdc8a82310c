"""Relation extraction between resolved entities, each fact with all its evidence.

Three sources of facts, all rule-based and precision-first:

1. Text rules (:mod:`graph.relation_rules`) over each sentence, seen as a template in
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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path

from graph.entities.home import article_homes
from graph.records import (
    SYMMETRIC_RELATIONS,
    Entity,
    EntityType,
    Evidence,
    Home,
    Mention,
    Relation,
    RelationType,
    Sentence,
)
from graph.relations import patterns as P
from graph.relations.rules import Fact, View, apply
from graph.text.normalize import normalize_name

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

_LOCATABLE = frozenset({T.COMPANY, T.PLATFORM, T.ORGANIZATION, T.PROJECT})
# Below this a fact is not asserted: rule confidence times the weaker mention's confidence.
MIN_CONFIDENCE = 0.55
# Mentions at least this certain are taken as they are (alias-table matches are 1.0).
_SURE = 0.9
# What may surround a known name inside an uncertain mention (\0 marks the name).
_GENERIC_REST = re.compile(
    r"(?:和|与|及|、)?\0(?:的)?(?:(?:全资|控股|独资)?(?:子公司|孙公司)|[东西南北中]部|地区|境内|等|等近|和|与|及)?"
)
# A mention that is a company's name and a subsidiary noun (国轩高科控股子公司): the parent.
_SUBSIDIARY_END = re.compile(r"的?(?:全资|控股|独资)?(?:子公司|孙公司)$")
# A place inside a name, followed by one of these, names a part of the place, not a body.
_LOCATIVE_REST = re.compile(r"^(?:[东西南北中]部|地区|境内|市区|城区|全市|全区|本地|一带)")
# A local subsidiary's legal name: the parent's name, the place in brackets, the rest.
_LEGAL_NAME = re.compile(r"^(?P<parent>[^（(]{2,})[（(](?P<place>[^）)]{2,8})[）)].+")
# A legal name states where a company is registered; a brand (宁德时代) may not.
_ADMIN_STYLE = re.compile(r"有限公司|有限责任公司|集团|[（(][^）)]+[）)]")
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


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
        homes: the articles' home places (:func:`graph.resolve.article_homes`); computed
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


def _alternation(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``names``, longest first at each position."""
    ordered = sorted(set(names), key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


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


# --- places: levels, codes, names --------------------------------------------------------


class _Places:
    """The places among the entities: their codes, levels and the names to find them by."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.code: dict[str, str] = {}
        self.by_code: dict[str, str] = {}
        self.names: list[tuple[str, str]] = []  # (normalized name, place id), longest first
        self.ends: dict[str, set[str]] = {}
        for e in entities:
            if e.type is not T.PLACE:
                continue
            code = next((v for k, v in e.external if k == "adcode" and v.isdigit()), "")
            if code:
                code = code.ljust(12, "0")[:12]
                self.code[e.id] = code
                self.by_code.setdefault(code, e.id)
            names = {normalize_name(n) for n in (e.name, *e.aliases)}
            self.ends[e.id] = {n[-1] for n in names if n}
            self.names.extend((n, e.id) for n in names if len(n) >= 2)
        self.names.sort(key=lambda item: -len(item[0]))
        self._place_of: dict[str, str] = {}
        for name, place in self.names:
            self._place_of.setdefault(name, place)
        self._pattern = _alternation(self._place_of)

    def levels(self, place: str) -> set[str]:
        """``province``, ``city`` and/or ``district`` (a county-level city is both of the last two)."""
        code = self.code.get(place)
        if code:
            if code[2:] == "0" * 10:
                # 北京, 天津, 上海, 重庆 are provinces and cities at once (我市 = 上海).
                return {"province", "city"} if code[:2] in _MUNICIPALITIES else {"province"}
            if code[4:] == "0" * 8:
                return {"city"}
            if code[6:] == "0" * 6:
                return {"district", "city"} if code[4:6] >= "81" else {"district"}
            return {"town"}
        ends = self.ends.get(place, set())
        out = set()
        if "省" in ends:
            out.add("province")
        if "市" in ends:
            out.add("city")
        if ends & {"区", "县"}:
            out.add("district")
        return out

    def ancestors(self, place: str) -> list[str]:
        """Places among the entities whose code contains this place's code, nearest first."""
        code = self.code.get(place)
        if not code:
            return []
        out = []
        for keep in (9, 6, 4, 2):
            parent = code[:keep].ljust(12, "0")
            if parent != code and parent in self.by_code and self.by_code[parent] != place:
                out.append(self.by_code[parent])
        return out

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, place id) occurrences of place names in ``text``."""
        if self._pattern is None:
            return []
        return [
            (m.start(), m.end(), self._place_of[m.group()]) for m in self._pattern.finditer(text)
        ]


def _homes_of(
    sentences: Sequence[Sentence], mentions: Sequence[Mention], places: _Places
) -> dict[str, Home]:
    """The articles' homes from their sentences and their coded place mentions."""
    coded = [
        (m.article_id, places.code[m.entity_id][:6]) for m in mentions if m.entity_id in places.code
    ]
    return article_homes(sentences, coded)


def home_places(
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    by_id: dict[str, Entity],
    places: _Places | None = None,
    home_of: Home | None = None,
) -> dict[str, str]:
    """The entities an article speaks of as 我区 (``district``), 我市 (``city``), 我省 (``province``).

    ``home_of`` is the article's home (:mod:`graph.home`); without it, it is computed from
    the sentences and the coded places among the mentions. ``topic`` is the single place
    the article is about, used for sentences without a subject; ``author`` is that place
    when a byline says the article is its own account. Bare bodies (``body:市委``) and
    one-character short forms (``abbr:坛``) of the home places are added.
    """
    places = places or _Places(by_id.values())
    if home_of is None:
        home_of = next(iter(_homes_of(sentences, mentions, places).values()), None)
    home: dict[str, str] = {}
    if home_of is None:
        return home
    for key in ("district", "city", "province", "topic"):
        code = getattr(home_of, key)
        entity = places.by_code.get(code.ljust(12, "0")) if code else None
        if entity:
            home[key] = entity
    if home_of.author and "topic" in home:
        home["author"] = home["topic"]
    home.update(_home_bodies(home, by_id))
    home.update(_home_abbreviations(home, by_id))
    return home


def _home_bodies(home: dict[str, str], by_id: dict[str, Entity]) -> dict[str, str]:
    """The organizations bare 市委/市政府/区委… stand for: the home place's, when known.

    For home city 常州 and an Organization named 常州市人民政府 (or 常州市政府),
    ``body:市政府`` maps to it; ``body:区委`` to 金坛区委 / 中共常州市金坛区委 alike.
    """
    orgs: dict[str, str] = {}
    for e in by_id.values():
        if e.type is T.ORGANIZATION:
            for n in (e.name, *e.aliases):
                orgs.setdefault(normalize_name(n), e.id)
    out: dict[str, str] = {}
    for word, (level, unit, tails) in P.HOME_BODIES.items():
        place = by_id.get(home.get(level, ""))
        if place is None:
            continue
        cores = {re.sub("[省市区县]$", "", normalize_name(n)) for n in (place.name, *place.aliases)}
        wanted = {f"{core}{unit}{tail}" for core in cores for tail in tails}
        wanted |= {"中共" + w for w in wanted}
        found = next((orgs[w] for w in sorted(wanted) if w in orgs), None)
        if found is None and unit in ("区", "县"):
            # 中共常州市金坛区委: a district body named with its city first.
            found = next((i for n, i in orgs.items() if any(n.endswith(w) for w in wanted)), None)
        if found:
            out[f"body:{word}"] = found
    return out


def _home_abbreviations(home: dict[str, str], by_id: dict[str, Entity]) -> dict[str, str]:
    """One-character short forms of the article's places: 坛 for 金坛, 常 for 常州 (来常投资).

    A character shared by the district and the city of the article stands for neither.
    """
    out: dict[str, str] = {}
    shared: set[str] = set()
    for level in ("district", "city"):
        place = by_id.get(home.get(level, ""))
        if place is None:
            continue
        core = re.sub("[省市区县]$", "", normalize_name(place.name))
        for ch in core:
            key = f"abbr:{ch}"
            if key in out and out[key] != place.id:
                shared.add(key)
            out.setdefault(key, place.id)
    return {k: v for k, v in out.items() if k not in shared}


# --- facts from names and codes -----------------------------------------------------------


class _Known:
    """Company and platform names, indexed once per corpus."""

    def __init__(self, by_id: dict[str, Entity]) -> None:
        self.companies = _names_of(by_id.values(), T.COMPANY)
        self.platforms = _names_of(by_id.values(), T.PLATFORM)


def name_facts(
    sentence: Sentence,
    mentions: Sequence[Mention],
    by_id: dict[str, Entity],
    places: _Places,
    known: _Known | None = None,
    named: Collection[str] | None = None,
) -> Iterator[Fact]:
    """Facts a name states by itself: the place inside it, its parent company, its parent platform.

    A company's brand that starts with a place (宁德时代) places it there only in an
    article about that place, a place inside it or one containing it (``named``: the
    places the article is about); a legal name (常州XX有限公司,
    X（江苏）有限公司) always does.
    """
    known = known or _Known(by_id)
    company_names = known.companies
    for mention in mentions:
        entity = by_id[mention.entity_id]
        if entity.type not in _LOCATABLE:
            continue
        surface = normalize_name(sentence.text[slice(*_norm_span(sentence, mention))])
        place = _place_in_name(surface, places, curated=mention.confidence >= _SURE)
        brand = entity.type is T.COMPANY and not _ADMIN_STYLE.search(surface)
        if brand and named is not None and place and not _near(place, named, places):
            place = None
        if place and place != entity.id:
            yield Fact(entity.id, R.LOCATED_IN, place, "name", 0.75)
        if entity.type is T.COMPANY:
            for name in {surface, normalize_name(entity.name)}:
                legal = _LEGAL_NAME.match(name)
                parent = _parent_named(legal.group("parent"), company_names) if legal else None
                if parent and parent != entity.id and _is_region(legal.group("place"), places):
                    yield Fact(entity.id, R.SUBSIDIARY_OF, parent, "legal-name", 0.85)
        unit = list(_local_unit(entity, surface, company_names, places))
        yield from unit
        if entity.type is T.PROJECT and not unit:
            yield from _named_builder(entity, surface, company_names)
        if entity.type in (T.PLATFORM, T.PROJECT):
            # The longest other platform whose name the name starts with (华罗庚高新区创智十二坊).
            for cut in range(len(surface) - 2, 1, -1):
                platform = known.platforms.get(surface[:cut])
                if platform and platform != entity.id:
                    yield Fact(entity.id, R.PART_OF, platform, "name", 0.8)
                    break


def title_issuers(
    mentions: Sequence[Mention], by_id: dict[str, Entity], places: _Places, known: _Known
) -> Iterator[Fact]:
    """A policy whose title opens with a park or an administrative division is issued by it.

    《宜春市锂资源开发利用管理办法》 → 宜春; 《芜湖经济技术开发区…培育计划》 → the park. Not a
    region (《长三角…规划》) nor a place further into the title (《关于支持常州…的意见》).
    """
    for mention in mentions:
        entity = by_id[mention.entity_id]
        if entity.type is not T.POLICY or not mention.text.startswith("《"):
            continue  # a document's title, not a programme's name (“龙城英才计划”)
        title = normalize_name(mention.text).strip('《》〈〉“”"')
        park = next(
            (
                known.platforms[title[:cut]]
                for cut in range(len(title) - 2, 1, -1)
                if title[:cut] in known.platforms
            ),
            None,
        )
        if park:
            yield Fact(entity.id, R.ISSUED_BY, park, "policy-title", 0.8)
            continue
        hits = [h for h in places.find(title) if h[0] == 0 and h[2] in places.code]
        if hits:
            yield Fact(entity.id, R.ISSUED_BY, hits[0][2], "policy-title", 0.8)


# What a company's unit in a place is called: 澜科新材常州公司, 恒翔电子武进基地(项目).
_UNIT_END = re.compile(
    r"(?:有限责任公司|有限公司|分公司|子公司|公司|工厂|生产基地|制造基地|研发中心|基地)"
    r"(?:[一二三四五六七八九十\d]{1,3}期)?(?:项目)?$"
)


_PHASE_OF = re.compile(r"^(?P<parent>.{2,12}?)[一二三四五六七八九十\d]{1,3}期(?:项目|工程)?$")


def _parent_named(text: str, company_names: dict[str, str]) -> str | None:
    """The known company ``text`` names: itself, or the longest known name it starts with
    (宁德时代新能源科技 → 宁德时代), when what follows is only the company's trade words."""
    if text in company_names:
        return company_names[text]
    for name, ident in company_names.items():  # longest first
        if (
            len(name) >= 3
            and text.startswith(name)
            and re.fullmatch(
                r"[\u4e00-\u9fff]{0,8}?(?:科技|技术|新能源|新材料|能源|材料|电子|汽车|集团|股份)?",
                text[len(name) :],
            )
        ):
            return ident
    return None


def _local_unit(
    entity: Entity, surface: str, company_names: dict[str, str], places: _Places
) -> Iterator[Fact]:
    """<parent><place>公司 / 基地: a unit of a known company in a place.

    A company so named is the parent's subsidiary, a base or project is built by the
    parent; both are in the place (the place must follow the parent's name directly).
    """
    if entity.type is T.PROJECT and (phase := _PHASE_OF.match(surface)):
        # 中创新航三期: a phase of a company's plant is built by the company.
        parent = company_names.get(phase.group("parent"))
        if parent and parent != entity.id:
            yield Fact(entity.id, R.BUILT_BY, parent, "local-unit", 0.8)
            return  # else a phase of a company's unit in a place (中创新航常州工厂二期)
    if not _UNIT_END.search(surface):
        return
    for name, parent in company_names.items():  # longest first
        if parent == entity.id or len(name) < 2 or not surface.startswith(name):
            continue
        hits = [h for h in places.find(surface[len(name) :]) if h[0] == 0]
        if not hits or hits[0][2] not in places.code:
            return
        rel = R.SUBSIDIARY_OF if entity.type is T.COMPANY else R.BUILT_BY
        yield Fact(entity.id, rel, parent, "local-unit", 0.8)
        yield Fact(entity.id, R.LOCATED_IN, hits[0][2], "local-unit", 0.8)
        return


def _named_builder(entity: Entity, surface: str, company_names: dict[str, str]) -> Iterator[Fact]:
    """A project whose name opens with a known company's name is built by that company
    (比亚迪株洲基地年产10GWh动力电池项目 → 比亚迪), the longest such name."""
    for name, company in company_names.items():  # longest first
        long_enough = len(name) >= 2 and len(surface) > len(name) + 1
        if company != entity.id and long_enough and surface.startswith(name):
            yield Fact(entity.id, R.BUILT_BY, company, "named-builder", 0.8)
            return


def _near(place: str, home: Collection[str], places: _Places) -> bool:
    """Is ``place`` one of ``home``, inside one of them or containing one of them?"""
    return (
        place in home
        or any(a in home for a in places.ancestors(place))
        or any(place in places.ancestors(h) for h in home)
    )


def _norm_span(sentence: Sentence, mention: Mention) -> tuple[int, int]:
    return bisect.bisect_left(sentence.offsets, mention.start), bisect.bisect_left(
        sentence.offsets, mention.end
    )


def _names_of(entities: Iterable[Entity], kind: EntityType | None) -> dict[str, str]:
    """Normalized name or alias -> entity id (of type ``kind``, or any), longest names first."""
    out: dict[str, str] = {}
    for e in entities:
        if kind is None or e.type is kind:
            for n in (e.name, *e.aliases):
                out.setdefault(normalize_name(n), e.id)
    return dict(sorted(out.items(), key=lambda item: -len(item[0])))


def _place_in_name(name: str, places: _Places, *, curated: bool = True) -> str | None:
    """The place a name locates its bearer in: a bracketed place, else the last coded place.

    中德（常州）创新产业园 → 常州; 中共常州市金坛区委 → 金坛; 溧阳长三角物理研究中心 → 溧阳;
    长三角青年创新创业港 → nothing (a region names a scope). A name that is only a place
    locates nothing.
    """
    hits = [
        h for h in places.find(name) if h[1] < len(name) and not _LOCATIVE_REST.match(name[h[1] :])
    ]
    for start, end, place in hits:
        if start > 0 and name[start - 1] in "（(" and name[end : end + 1] in ("）", ")"):
            return place
    # Only administrative divisions: a region in a name is its scope (长三角物理研究中心).
    coded = [h for h in hits if h[2] in places.code]
    if not curated:
        # A name a weak recognizer cut out of running text (历届金坛区委, 壮大金坛新能源) only
        # counts when it starts with the place, as legal names do.
        coded = [h for h in coded if h[0] == 0 or name[: h[0]] in ("中共", "中国")]
    return coded[-1][2] if coded else None


def _is_region(text: str, places: _Places) -> bool:
    """Is ``text`` (the bracket of a legal name) a place: a known place or a division name?"""
    return (
        bool(places.find(text))
        or re.sub("(省|市|自治区|特别行政区)$", "", text) in _division_names()
    )


@cache
def _division_names() -> frozenset[str]:
    """Province and prefecture names from the gazetteer, without their suffix (四川, 宜宾)."""
    path = Path(__file__).parent.with_name("data") / "adcodes.tsv"
    names: set[str] = set()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            code, _, name = line.partition("\t")
            if code.isdigit() and code.endswith("00") and name:
                names.add(
                    re.sub(
                        "(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$", "", name
                    )
                )
    return frozenset(names)


def code_facts(
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    by_id: dict[str, Entity],
    places: _Places,
) -> Iterator[tuple[Fact, Sentence]]:
    """Place hierarchy from administrative codes, for places an article names.

    The evidence is the first sentence naming both places, else the first naming the
    smaller one, when the article also names the larger one.
    """
    where: dict[str, list[int]] = defaultdict(list)
    for m in mentions:
        if by_id[m.entity_id].type is T.PLACE:
            where[m.entity_id].append(m.sentence)
    index = {s.index: s for s in sentences}
    for child, seen in where.items():
        # The nearest ancestor the article names (金坛区 → 常州, or → 江苏 if 常州 is absent).
        parent = next((a for a in places.ancestors(child) if a in where), "")
        if parent:
            both = sorted(set(seen) & set(where[parent]))
            at = index.get(both[0] if both else min(seen))
            if at is not None:
                yield Fact(child, R.LOCATED_IN, parent, "adcode", 1.0), at


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
