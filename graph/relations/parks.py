"""locatedIn a park: companies, bodies and projects that news places inside a park or zone.

A park (经开区, 高新区, 新区, 产业园) is a Platform; ``_through_parks`` in
:mod:`graph.relations.extract` adds the place its name holds. The rules here read the
phrasings that put something inside a park rather than in a division:

- ``in-park``: 位于P园区的A; P高新区内的A、B; A位于P产业园; A是P开发区的龙头企业;
  在P，A的X项目正在调试 (the park opening the sentence);
- ``settle`` (extended): 在P，A、B等企业也相继入驻 (the park opening the sentence);
  吸引A、B等企业在P集聚;
- ``home-park``: 区内/园区内 in an article about one park (区内以A、B为代表的企业超过60家).

A park named as a partner (与P管委会签约), a destination (赴P考察) or an example elsewhere
gives nothing: the clause must not hold such a word before the park.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from graph.records import Entity, EntityType, Mention, RelationType
from graph.relations import patterns as P
from graph.relations.view import Fact, View, _facts

R = RelationType

# A park named as a partner, a destination or a model is not where the subject is.
_AWAY = re.compile("与|同|跟|赴|到|前往|考察|参观|调研|学习|对标|借鉴|签约|签署|对接|相比")
_PARK_WHERE = f"{P.QUOTE}[{P.PLACE[1:-1]}{P.PLATFORM[1:-1]}]*{P.PLATFORM}{P.QUOTE}"
# 位于P园区的A / P高新区内的A、B
_LOCATED_BEFORE = re.compile(
    f"(?:{P.LOCATED_CUES}(?P<p1>{_PARK_WHERE})(?:内|里)?的"
    f"|(?P<p2>{_PARK_WHERE})(?:内|里)的?(?:企业|公司)?)(?P<h>{P.ENUM_LOCATABLE})"
)
# A位于P产业园
_LOCATED_AFTER = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE})[则就正也均都还]{{0,2}}{P.LOCATED_CUES}(?P<p>{_PARK_WHERE})"
)
# A是P开发区的龙头企业 / A作为P高新区的骨干企业
_MEMBER = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE})(?:是|作为|为|系)(?P<p>{_PARK_WHERE})(?:内|里)?的?"
    f"{P.gap(8)}(?:企业|公司|项目)"
)
# 在P，A、B等企业也相继入驻: the park opens the sentence, the settling clause names none.
_OPENER = re.compile(f"^在(?P<p>{P.WHERE})$")
_SETTLE_HERE = re.compile(
    f"^(?P<h>{P.ENUM_LOCATABLE}){P.gap(14)}(?:也|均|都|已|先后|相继|纷纷|陆续){{0,2}}"
    f"(?:落户|入驻|扎根|进驻|安家|集聚|聚集|汇聚)(?:于此|此地)?(?:[了]|$)"
)
# 在P，A的X项目正在进行设备调试: the project (and the unit building it) is in the park.
_WORKS_HERE = re.compile(
    f"^(?P<h>(?:{P.LOCATABLE}|[^{P.CLAUSE_END}{P.ANY_SLOT[1:-1]}]){{0,40}}?{P.PROJECT})"
    f"{P.gap(12)}(?:开工|投产|竣工|封顶|建成|开建|动工|调试|试产|达产|试运行|点火)"
)
# Companies, bodies and platforms: what in-park places itself (projects have their own rule).
_UNITS = P.slot_class(EntityType.COMPANY, EntityType.ORGANIZATION, EntityType.PLATFORM)
# Between a parent and its unit: only the unit is in the park.
_OTHER_UNIT = re.compile("子公司|孙公司|分公司|旗下|控股的|合资公司|参股|与|和|携手|联合")
# 吸引A、B等企业在P集聚
_GATHER_AT = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(12)}在(?P<p>{P.WHERE})(?:内|里)?"
    "(?:集聚|聚集|汇聚|扎堆|集群发展|抱团发展|落户|扎根)"
)
# 区内以A、B为代表的企业 / 园区内企业A、B / A、B等企业入驻园区
_HOME_IN = re.compile(
    "^(?:目前|当前|如今|现在)?[，,]?(?:区内|园区内|园内|园区里|区里)"
    f"(?:现有|已有|共有|拥有)?(?:[^{P.CLAUSE_END}{P.ANY_SLOT[1:-1]}]{{0,6}}(?:企业|公司))?"
    f"以?(?P<h>{P.ENUM_LOCATABLE})"
)
_HOME_SETTLE = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(14)}(?:落户|入驻|扎根|进驻)(?:于|到|在)?(?:本?园区|园内|区内)"
)
# A、B等企业也纷纷在园区设立研发及生产基地
_HOME_PLANT = re.compile(
    f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(14)}在(?:本?园区|园内|区内){P.gap(2)}{P.PLANT_CUES}"
)
# A作为南海区储能产业的领军企业: a leader of a place's (or park's) industry is there.
_LEADER_OF = re.compile(
    f"(?P<h>{P.ENUM_COMPANY})(?:是|作为|为|系)(?P<p>{P.WHERE})的?"
    f"(?:{P.CHAIN}|[^{P.CLAUSE_END}{P.ANY_SLOT[1:-1]}]){{0,8}}?"
    "(?:龙头|领军|骨干|链主|头部|本土|重点)(?:企业|公司)"
)


def _park_tails(view: View, where: str) -> list[str]:
    """The park of a row of places and parks (射洪经开区锂电产业园 → the last), if it is one."""
    last = where.strip('“”"‘’「」')[-1:]
    index = P.slot_index(last) if last else None
    if index is None or index >= len(view.slots) or P.slot_type(last) is not EntityType.PLATFORM:
        return []
    if not view.names_park(view.slots[index]):
        return []
    return view.ids(last, P.PLATFORM)


def _away(clause: str, end: int) -> bool:
    return bool(_AWAY.search(clause, 0, end) or P.ELSEWHERE.search(clause))


def in_park(view: View) -> Iterator[Fact]:
    """Companies, bodies and projects a sentence places inside a park."""
    opener: list[str] = []
    for _, clause, own in view.effective_clauses():
        for m in _LOCATED_BEFORE.finditer(clause):
            where = m.group("p1") or m.group("p2")
            if P.ELSEWHERE.search(clause):
                continue  # 与位于P的A签约: A is in P whatever the clause does with it
            # a project placed this way is read by placed-project (graph/relations/projects.py)
            heads = view.ids(m.group("h"), _UNITS)
            yield from _facts(heads, R.LOCATED_IN, _park_tails(view, where), "in-park", 0.85)
        for pattern in (_LOCATED_AFTER, _MEMBER):
            for m in pattern.finditer(clause):
                if _away(clause, m.start("p")):
                    continue
                heads = view.ids(m.group("h"), P.LOCATABLE)
                tails = _park_tails(view, m.group("p"))
                yield from _facts(heads, R.LOCATED_IN, tails, "in-park", 0.85)
        for m in _LEADER_OF.finditer(clause):
            if _away(clause, m.start("p")) or _park_tails(view, m.group("p")):
                continue  # a park is read by _MEMBER above
            places = view.ids(m.group("p"), P.PLACE)[-1:]
            heads = view.ids(m.group("h"), P.COMPANY)
            yield from _facts(heads, R.LOCATED_IN, places, "lead-in-place", 0.85)
        for m in _GATHER_AT.finditer(own):
            if _away(own, m.start("p")):
                continue
            heads = view.ids(m.group("h"), P.LOCATABLE)
            yield from _facts(heads, R.LOCATED_IN, _park_tails(view, m.group("p")), "settle", 0.85)
        if opener:
            m = _SETTLE_HERE.match(own)
            if m and not _away(own, len(own)):
                heads = view.ids(m.group("h"), P.LOCATABLE)
                yield from _facts(heads, R.LOCATED_IN, opener, "settle", 0.8)
            w = _WORKS_HERE.match(own)
            if w and not _away(own, w.end()):
                units = w.group("h")
                cut = [u.end() for u in _OTHER_UNIT.finditer(units)]
                # the unit building it; the project itself is placed by placed-project
                heads = view.ids(units[cut[-1] :] if cut else units, _UNITS)
                yield from _facts(heads, R.LOCATED_IN, opener, "in-park", 0.8)
        start = _OPENER.match(own)
        if start:
            opener = _park_tails(view, start.group("p"))
        elif view.ids(own, P.slot_class(EntityType.PLACE, EntityType.PLATFORM)):
            opener = []  # another place or park takes over
    park = view.home.get("park")
    if not park:
        return
    for _, _, own in view.effective_clauses():
        for pattern in (_HOME_IN, _HOME_SETTLE, _HOME_PLANT):
            m = pattern.search(own)
            if m and not _away(own, m.end()):
                heads = view.ids(m.group("h"), P.LOCATABLE)
                yield from _facts(heads, R.LOCATED_IN, [park], "home-park", 0.85)


_DIVISION_END = re.compile("(?:市|区|县|旗|自治县|新区)$")


def park_place(view: View) -> Iterator[Fact]:
    """A park whose name opens with the short form of a place the sentence names is in that
    place (在天元区、渌口区，…入驻渌口经开区 → 渌口经开区 in 渌口区; 长兴县…长兴经开区)."""
    places: list[tuple[str, str]] = []
    parks: list[tuple[str, str]] = []
    for slot in view.slots:
        surface = view.text[slot.start : slot.end]
        if slot.type is EntityType.PLACE:
            short = _DIVISION_END.sub("", surface)
            if len(short) >= 2:
                places.append((short, slot.entity_id))
        elif slot.type is EntityType.PLATFORM and surface.endswith(P.PARK_END):
            parks.append((surface, slot.entity_id))
    for surface, park in parks:
        for short, place in places:
            if surface.startswith(short) and len(surface) > len(short) + 1:
                yield from _facts([park], R.LOCATED_IN, [place], "park-place", 0.85)


def article_park(mentions: Sequence[Mention], by_id: Mapping[str, Entity]) -> str | None:
    """The park an article is about: the park it names at least twice and twice as often as
    any other park (an article about 仲恺高新区, where 区内 means that park)."""
    counts = Counter(
        m.entity_id
        for m in mentions
        if (entity := by_id.get(m.entity_id or "")) is not None
        and entity.type is EntityType.PLATFORM
        and entity.name.endswith(P.PARK_END)
    )
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]
