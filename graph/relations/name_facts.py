"""Facts from names and administrative codes: a local unit's parent and place in its legal name,
the issuer in a policy's title, the place hierarchy from codes."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence

from graph.records import (
    Entity,
    EntityType,
    Mention,
    RelationType,
    Sentence,
)
from graph.relations.merge import _SURE
from graph.relations.places import _is_region, _place_in_name, _Places
from graph.relations.rules import Fact
from graph.text.normalize import normalize_name

T = EntityType
R = RelationType


_LOCATABLE = frozenset({T.COMPANY, T.PLATFORM, T.ORGANIZATION, T.PROJECT})
_LEGAL_NAME = re.compile(r"^(?P<parent>[^（(]{2,})[（(](?P<place>[^）)]{2,8})[）)].+")
# A legal name states where a company is registered; a brand (宁德时代) may not.
_ADMIN_STYLE = re.compile(r"有限公司|有限责任公司|集团|[（(][^）)]+[）)]")
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
