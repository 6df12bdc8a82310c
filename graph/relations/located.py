"""locatedIn rules: a company, park or project in a place or park (located-in, gathered-in)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from graph.records import EntityType, RelationType
from graph.relations import patterns as P
from graph.relations.view import Fact, View, _facts

R = RelationType

# --- locatedIn ------------------------------------------------------------------

_PLACE_OR_PLATFORM = P.slot_class(EntityType.PLACE, EntityType.PLATFORM)
_LOCATABLE_OR_PLACE = P.slot_class(
    EntityType.COMPANY,
    EntityType.PLATFORM,
    EntityType.ORGANIZATION,
    EntityType.PROJECT,
    EntityType.PLACE,
)
_HQ_BEFORE = re.compile(f"{P.HQ_CUES}(?P<p>{P.WHERE})的?(?P<h>{P.ENUM_LOCATABLE})")
_HQ_AFTER = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(6)}(?:{P.HQ_CUES}|总部(?:迁至|迁往|搬至))(?P<p>{P.WHERE})"
)
# A等企业的华南基地相继落户P: a region may name the unit that settles (the company's base).
_REGION_UNIT = f"(?:{P.PLACE}(?:生产|制造|研发|运营|结算)?(?:基地|总部|工厂|中心))?"
_SETTLE = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(14)}{_REGION_UNIT}{P.gap(8)}{P.SETTLE_CUES}(?P<p>{P.WHERE})"
)
_SETTLED_IN = re.compile(f"{P.SETTLE_CUES}(?P<p>{P.WHERE})的(?P<h>{P.ENUM_LOCATABLE})")
# 入驻P的企业有A、B: the listed are in P.
_SETTLED_LIST = re.compile(
    f"{P.SETTLE_CUES}(?P<p>{P.WHERE})的{P.gap(10)}(?:有|包括|包含|涵盖|如)(?P<h>{P.ENUM_LOCATABLE})"
)
# 在P、Q加快布局: each place of the list.
_WHERE_LIST = f"{P.WHERE}(?:[、和及与]{P.WHERE})*"
_PLANT = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(25)}在(?P<p>{_WHERE_LIST}){P.gap(2)}{P.PLANT_CUES}"
)
# 东风汽车在谷城县石花镇的零部件工厂: the company's own plant in P.
_PLANT_OWNED = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(6)}在(?P<p>{_WHERE_LIST})的{P.gap(8)}"
    "(?:工厂|生产基地|制造基地|基地|生产线|研发中心|厂区)"
)
_PLANT_HERE = re.compile(f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(25)}在{P.HERE}{P.gap(2)}{P.PLANT_CUES}")
_LOCATED = re.compile(
    f"(?P<h>{P.enum(_LOCATABLE_OR_PLACE)})(?P<g>{P.gap(6)}){P.LOCATED_CUES}"
    f"(?P<p>{P.PLACE}(?:{P.gap(4)}[、和及与]{P.PLACE}|{P.PLACE})*)"
)
# What may stand between a place and 位于 when the place itself is located: adverbs only.
_PLACE_HEAD_GAP = re.compile("[则就正恰也均都还便即地]{0,2}")
_LOCATED_BEFORE = re.compile(
    f"{P.LOCATED_CUES}(?P<p>{P.PLACE})的(?P<h>{P.enum(_LOCATABLE_OR_PLACE)})"
)
# 在P投资建设年产5万吨X项目: the project is in P.
_PLANT_PROJECT = re.compile(
    f"在(?P<p>{P.WHERE}){P.gap(2)}{P.PLANT_CUES}的?{P.gap(12)}(?P<h>{P.PROJECT})"
)
_AT_PLACE = re.compile(f"(?:在|于)(?P<p>{P.PLACE})(?P<h>{P.LOCATABLE})")
_GATHER = re.compile(f"^{P.QUOTE}(?P<s>{P.WHERE}){P.gap(12)}{P.GATHER_CUES}(?P<rest>.*)$")
# Without a subject only an adverb may precede the verb (聚力打造, 已布局), never an actor
# (围绕市委、市政府打造的…), and the verb must not start a relative clause (打造的).
_BARE_LEAD = f"[^{P.CLAUSE_END}、的{P.ANY_SLOT[1:-1]}]{{0,4}}"
_GATHER_BARE = re.compile(f"^{_BARE_LEAD}{P.GATHER_CUES}(?!的)(?P<rest>.*)$")
_BUILD_PLATFORM = re.compile(f"^{P.QUOTE}(?P<s>{P.PLACE}){P.gap(20)}{P.BUILD_CUES}(?P<rest>.*)$")
_BUILD_PLATFORM_BARE = re.compile(f"^{_BARE_LEAD}{P.BUILD_CUES}(?!的)(?P<rest>.*)$")
# 在“两湖”创新区建设“常州氢湾”: a platform built inside another.
_BUILT_INSIDE = re.compile(
    f"在{P.QUOTE}(?P<outer>{P.PLATFORM}){P.QUOTE}(?:内|中|里)?{P.gap(2)}{P.BUILD_CUES}{P.QUOTE}(?P<inner>{P.PLATFORM})"
)
_BASE_FOR = re.compile(
    f"^{P.QUOTE}(?P<s>{P.PLACE}){P.gap(3)}以?(?P<h>{P.enum(P.PLATFORM)}){P.gap(8)}为主?(?:阵地|载体|主战场|主阵地)"
)
# 金坛以A、B为龙头，C、D两大省级平台为阵地: the platforms of the place the sentence opens with.
_BASE_FOR_PARALLEL = re.compile(
    f"^{P.QUOTE}(?P<h>{P.enum(P.PLATFORM)}){P.gap(8)}为主?(?:阵地|载体|主战场|主阵地)"
)
_NOT_GATHERED = re.compile(f"(?:与|同|向|对|跟|为){P.enum(P.LOCATABLE)}")
# 汇聚低空经济重点企业近300家，…，其中整机制造方面，白鲸航线的W5000…: a member of the gathered.
_COMPANIES_COUNTED = re.compile(
    "(?:企业|公司|厂商)(?:超|近|约|逾)?[0-9０-９一二三四五六七八九十百千]+余?家"
)
_AMONG = re.compile(f"^(?:其中[，,]?(?:包括|包含|有|如)?)?(?P<h>{P.ENUM_COMPANY})(?![、和与及])")
_CONTINUES = re.compile("^(?:以及|及|和|还有)")
_PLACE_WITH = re.compile(f"^{P.QUOTE}(?P<s>{P.PLACE}){P.gap(3)}以")


_PLACE_OR_PLATFORM_RE = re.compile(_PLACE_OR_PLATFORM)
# After a place: a position along a river or coast, which locates nothing inside it.
_BY_THE_WATER = re.compile("上游|中游|下游|沿岸|[东南西北]岸|两岸|之滨|之畔|岸边|入海口")


def _by_the_water(view: View, clause: str, end: int) -> bool:
    """Does the place ending at ``end`` name a stretch of a river or coast (长江中游, 汉江南岸)?"""
    if _BY_THE_WATER.match(clause, end):
        return True
    index = P.slot_index(clause[end - 1]) if end else None
    if index is None or index >= len(view.slots):
        return False
    slot = view.slots[index]
    return bool(_BY_THE_WATER.search(view.text[slot.start : slot.end][-3:]))


# Between a company and a place: the thing located is another unit of the company.
_OTHER_UNIT = re.compile("子公司|孙公司|分公司|旗下|控股的|合资公司|参股")


def _finest(where: str) -> str:
    """Places named in a row, largest first (宁德市蕉城区, 常州金坛经开区): the last one of each row."""
    return "".join(
        ch
        for ch, after in zip(where, where[1:] + " ", strict=True)
        if not (P.slot_type(ch) is not None and _PLACE_OR_PLATFORM_RE.match(after))
    )


def _row(view: View, where: str) -> Iterator[Fact]:
    """Places named in a row, largest first (南海区丹灶镇): each is in the one before it."""
    for before, after in pairwise(where):
        outer = view.ids(before, P.PLACE)
        inner = view.ids(after, _PLACE_OR_PLATFORM)
        yield from _facts(inner, R.LOCATED_IN, outer, "row", 0.85)


def _is_where(view: View, where: str) -> bool:
    """Is every slot of ``where`` a place or a park (武进高新区, 中德产业园), not a lab?"""
    for ch in where:
        index = P.slot_index(ch)
        if index is None or P.slot_type(ch) is EntityType.PLACE:
            continue
        if not view.names_park(view.slots[index]):
            return False
    return True


def located_in(view: View) -> Iterator[Fact]:
    """Companies, platforms, projects and places located in a place, clause by clause."""
    previous = ""
    short = {k[5:]: v for k, v in view.home.items() if k.startswith("abbr:")}
    abbreviated = (
        re.compile(
            f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(20)}(?:在|来|落户|扎根)(?P<a>[{''.join(short)}])"
            f"(?:{P.PLANT_CUES}|投资|项目|发展|布局)"
        )
        if short
        else None
    )
    for _, clause, own in view.effective_clauses():
        elsewhere = bool(P.ELSEWHERE.search(own))
        for m in abbreviated.finditer(clause) if abbreviated and not elsewhere else ():
            # 贝特瑞将进一步推进在坛项目建设: 坛 is the article's 金坛.
            heads = view.ids(m.group("h"), P.LOCATABLE)
            yield from _facts(heads, R.LOCATED_IN, [short[m.group("a")]], "short-name", 0.8)
        for pattern, method, conf in (
            (_HQ_BEFORE, "headquarters", 0.95),
            (_HQ_AFTER, "headquarters", 0.95),
            (_SETTLE, "settle", 0.9),
            (_SETTLED_IN, "settle", 0.9),
            (_SETTLED_LIST, "settle", 0.85),
            (_PLANT, "plant", 0.9),
            (_PLANT_OWNED, "plant", 0.85),
            (_LOCATED, "located", 0.9),
            (_LOCATED_BEFORE, "located", 0.9),
            (_AT_PLACE, "at-place", 0.75),
            (_PLANT_PROJECT, "plant", 0.85),
            (_BASE_FOR, "base-for", 0.8),
        ):
            for m in pattern.finditer(clause):
                if _OTHER_UNIT.search(clause, m.end("h"), m.start("p")):
                    # A的控股子公司B在P建设: B is in P, not A (nothing when B is not known).
                    continue
                # Only 位于/地处 place a place in a place (金坛区位于常州西部、长三角地理中心).
                place_heads = pattern is _LOCATED or pattern is _LOCATED_BEFORE
                heads = view.ids(m.group("h"), _LOCATABLE_OR_PLACE if place_heads else P.LOCATABLE)
                if "g" in m.groupdict() and not _PLACE_HEAD_GAP.fullmatch(m.group("g")):
                    # 大西洋新城聆湖苑位于…: a place opening a longer name is not the subject.
                    heads = view.ids(m.group("h"), P.LOCATABLE)
                # A park as the place (落户长沙经开区) is resolved to its place by the caller.
                places = view.ids(
                    _finest(m.group("p")), P.PLACE if place_heads else _PLACE_OR_PLATFORM
                )
                if _by_the_water(view, clause, m.end("p")):
                    places = []  # 地处汉江中游, 位于长江南岸: by a river, not inside a division
                yield from _row(view, m.group("p"))
                if elsewhere and not place_heads:
                    continue
                if "分别" in m.group():
                    # A、B分别位于P和Q: respectively, one place each, or nothing when unsure.
                    if len(heads) == len(places):
                        for head, place in zip(heads, places, strict=True):
                            yield from _facts([head], R.LOCATED_IN, [place], method, conf)
                    continue
                yield from _facts(heads, R.LOCATED_IN, places, method, conf)
        topic = view.topic_place()
        parallel = _BASE_FOR_PARALLEL.match(own)
        opener = _PLACE_WITH.match(previous)
        if parallel and opener:
            place = view.ids(opener.group("s"), P.PLACE)
            yield from _facts(
                view.ids(parallel.group("h"), P.PLATFORM), R.LOCATED_IN, place, "base-for", 0.8
            )
        previous = own
        if not elsewhere:
            for m in _PLANT_HERE.finditer(clause):
                if topic and not _OTHER_UNIT.search(clause, m.end("h"), m.end()):
                    yield from _facts(
                        view.ids(m.group("h"), P.LOCATABLE),
                        R.LOCATED_IN,
                        [topic],
                        "plant-here",
                        0.85,
                    )


def gathered_in(view: View) -> Iterator[Fact]:
    """A place that gathers, attracts or fosters named companies and platforms (P集聚了A、B等企业).

    A clause without a subject of its own or inherited from an earlier clause is read as
    being about the place the article is about (an article on 溧阳: 集聚了上上电缆等行业领军企业).
    """
    home = view.home.get("topic")
    gathering: tuple[list[str], str, float] | None = None  # the place of the last gathering clause
    # The place of an earlier gathering of companies in the sentence, for 其中 (among them).
    members: list[str] = []
    counted_at = -2  # the clause that counted the gathered companies
    among = False
    for i, clause, own in view.effective_clauses():
        subjectless = not view.subjects[i]
        if P.ELSEWHERE.search(own):
            gathering = None
            members, among = [], False
            continue
        # …集聚企业200余家，A、B等龙头企业加速发展: the next clause names some of them.
        listed = i == counted_at + 1 and _ENUM_DENG.match(own) is not None
        if members and (among or own.startswith("其中") or listed):
            named = _AMONG.match(own)
            if named:
                yield from _facts(
                    view.ids(named.group("h"), P.COMPANY), R.LOCATED_IN, members, "among", 0.7
                )
                members, among = [], False
            else:
                among = own.startswith("其中") and not view.ids(own)
        m = _GATHER.match(clause)
        if m and not _is_where(view, _finest(m.group("s"))):
            m = None
        bare = _GATHER_BARE.match(own) if home and subjectless else None
        if m:
            gathering = (view.ids(_finest(m.group("s")), _PLACE_OR_PLATFORM), "gather", 0.85)
            rest = m.group("rest")
        elif bare:
            gathering = ([home], "gather-home", 0.7)
            rest = bare.group("rest")
        elif gathering and _CONTINUES.match(own):
            rest = own  # …集聚了上上电缆等企业，以及安靠智电等企业
        else:
            gathering = None
            rest = ""
        if gathering and rest:
            # 拥有与宁德时代合作的机会: a partner or addressee is not gathered.
            rest = _NOT_GATHERED.sub("", rest)
            yield from _facts(view.ids(rest, P.LOCATABLE), R.LOCATED_IN, *gathering)
            if _COMPANIES_COUNTED.search(rest) and len(gathering[0]) == 1:
                members = gathering[0]
                counted_at = i
        b = _BUILD_PLATFORM.match(clause)
        bare_build = _BUILD_PLATFORM_BARE.match(own) if home and subjectless else None
        if b:
            place = view.ids(b.group("s"), P.PLACE)
            yield from _facts(
                view.ids(b.group("rest"), P.PLATFORM), R.LOCATED_IN, place, "build-platform", 0.8
            )
        elif bare_build:
            yield from _facts(
                view.ids(bare_build.group("rest"), P.PLATFORM),
                R.LOCATED_IN,
                [home],
                "build-home",
                0.7,
            )
        for inside in _BUILT_INSIDE.finditer(own):
            yield from _facts(
                view.ids(inside.group("inner")),
                R.PART_OF,
                view.ids(inside.group("outer")),
                "built-inside",
                0.85,
            )


# A、B等优质企业增势强劲，全区…企业超100家: the named are among the counted.
_ENUM_DENG = re.compile(f"^(?:其中[，,]?)?(?P<h>{P.ENUM_LOCATABLE})等")
