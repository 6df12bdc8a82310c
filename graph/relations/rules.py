"""The text rules of relation extraction, one small function per construction.

Each rule reads a :class:`View` of one sentence — its template (entity mentions
replaced by typed slots, see :mod:`graph.patterns`), its clauses and the subject
each clause inherits — and yields :class:`Fact` tuples naming the rule that fired.
Rules favour precision: a fact needs a cue word that states it, never mere
co-occurrence of two names in a sentence.

>>> from graph.records import EntityType as T
>>> view = View.build("金坛以中创新航、蜂巢能源为龙头，建立了完整的动力电池产业链。",
...                   [(0, 2, "place/jt", T.PLACE), (3, 7, "company/calb", T.COMPANY),
...                    (8, 12, "company/svolt", T.COMPANY), (23, 27, "chain/pb", T.INDUSTRY_CHAIN)])
>>> sorted((f.head, f.tail) for f in leads_chain(view))
[('company/calb', 'chain/pb'), ('company/svolt', 'chain/pb')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import NamedTuple

from graph.records import EntityType, RelationType
from graph.relations import patterns as P

R = RelationType


class Fact(NamedTuple):
    """One relation stated by one sentence, before facts are merged across sentences."""

    head: str
    rel: RelationType
    tail: str
    method: str
    confidence: float
    role: str = ""


@dataclass(frozen=True, slots=True)
class Slot:
    """A mention as the template sees it: entity, type, span in the normalized sentence."""

    entity_id: str
    type: EntityType
    start: int
    end: int


@dataclass(slots=True)
class View:
    """One sentence as the rules see it.

    ``template`` is the sentence with each mention replaced by one slot character;
    ``clauses`` are (start, end) ranges of the template; ``subjects[i]`` is the slot
    text clause ``i`` is about (its own leading enumeration or the one it inherits);
    ``home`` maps ``district``/``city``/``province`` to the entity the article is about.
    """

    text: str
    template: str
    slots: list[Slot]
    clauses: list[tuple[int, int]] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    home: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        text: str,
        spans: Iterable[tuple[int, int, str, EntityType]],
        home: dict[str, str] | None = None,
    ) -> View:
        """Build the view of ``text`` from mention spans ``(start, end, entity_id, type)``.

        Overlapping spans keep the longest; words such as 我区/我市 become slots for
        the place in ``home`` (keys ``district``, ``city``, ``province``) and bare 市委/市政府
        for that place's body (keys ``body:市委`` …).
        """
        home = home or {}
        chosen: list[tuple[int, int, str, EntityType]] = []
        for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            if span[1] > span[0] and all(span[1] <= o[0] or span[0] >= o[1] for o in chosen):
                chosen.append(span)
        for m in P.HOME_WORD.finditer(text):
            word = m.group()
            entity = home.get(P.HOME_WORDS[word])
            taken = any(not (m.end() <= o[0] or m.start() >= o[1]) for o in chosen)
            after_place = word.startswith("全") and any(o[1] == m.start() for o in chosen)
            if entity and not taken and not after_place:
                chosen.append((m.start(), m.end(), entity, EntityType.PLACE))
        for m in P.HOME_BODY.finditer(text):
            body = home.get(f"body:{m.group()}")
            taken = any(not (m.end() <= o[0] or m.start() >= o[1]) for o in chosen)
            named = any(o[1] == m.start() for o in chosen)  # 常州市委: the place says whose
            if body and not taken and not named:
                chosen.append((m.start(), m.end(), body, EntityType.ORGANIZATION))
        for m in _THE_PROJECT.finditer(text):
            # 该项目由A投资建设 / …，项目选址位于P: the project named last, in this sentence or
            # (home key ``project``) in the sentences before.
            taken = any(not (m.end() <= o[0] or m.start() >= o[1]) for o in chosen)
            before = [o for o in chosen if o[1] <= m.start() and o[3] is EntityType.PROJECT]
            entity = max(before)[2] if before else home.get("project")
            if entity and not taken:
                chosen.append((m.start(), m.end(), entity, EntityType.PROJECT))
        chosen.sort()
        slots: list[Slot] = []
        parts: list[str] = []
        pos = 0
        for start, end, entity_id, kind in chosen[: P.SLOTS_PER_TYPE]:
            parts.append(_plain(text[pos:start]))
            parts.append(P.slot(kind, len(slots)))
            slots.append(Slot(entity_id, EntityType(kind), start, end))
            pos = end
        parts.append(_plain(text[pos:]))
        # (以下简称技术创新中心) names what precedes it; it is not part of the construction.
        template = _ALIAS_NOTE.sub("", "".join(parts))
        view = cls(text, template, slots, home=dict(home))
        view._split_clauses()
        return view

    def _split_clauses(self) -> None:
        start = 0
        for m in _CLAUSE_END.finditer(self.template + "。"):  # one scan, in C
            i = m.start()
            if i > start:
                self.clauses.append((start, i))
            start = i + 1
        inherited = ""
        for start, end in self.clauses:
            own = _SUBJECT.match(self.template, start, end)
            if own is None:
                self.subjects.append(inherited)
                continue
            subject = own.group().rstrip("、和与及")
            self.subjects.append(subject)
            # A chain or policy opening a clause is a sub-topic: 我市…，工业机器人产量…，拥有A、B
            # still has 我市 as the subject of 拥有.
            if not _SUBTOPIC.fullmatch(subject):
                inherited = subject

    def ids(self, text: str, kinds: str = P.ANY_SLOT) -> list[str]:
        """Entity ids of the slots in ``text`` whose type matches the class ``kinds``."""
        wanted = re.compile(kinds)
        out: list[str] = []
        for ch in _ANY_SLOT.findall(text):  # the slot characters only, not every character
            index = P.slot_index(ch)
            if index is not None and wanted.match(ch) and index < len(self.slots):
                entity = self.slots[index].entity_id
                if entity not in out:
                    out.append(entity)
        return out

    def effective_clauses(self) -> Iterator[tuple[int, str, str]]:
        """(index, clause text with its inherited subject prefixed when it has none, own text)."""
        for i, (start, end) in enumerate(self.clauses):
            own = self.template[start:end]
            subject = self.subjects[i]
            if subject and not _SUBJECT.match(own):
                yield i, subject + own, own
            else:
                yield i, own, own

    def topic_place(self) -> str | None:
        """The place the sentence is about: a place slot that opens its first clause."""
        for i, subject in enumerate(self.subjects):
            if subject:
                places = self.ids(subject, P.PLACE)
                return places[0] if places else None
            if i >= 1:
                break
        return None


_ANY_SLOT = re.compile(P.ANY_SLOT)
_CLAUSE_END = re.compile(f"[{re.escape(P.CLAUSE_END)}]")

# Text from PDFs can hold private-use glyphs; in a template they would read as entities.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _plain(text: str) -> str:
    return _PRIVATE_USE.sub("\ufffd", text)


# A project referred back to: 该项目, or a clause opening with 项目 before what it does.
_THE_PROJECT = re.compile(
    f"(?:该|此|这一|这个)项目|(?:^|(?<=[{P.CLAUSE_END}]))项目(?=选址|位于|坐落|总投资|由|建成|投产)"
)
_ALIAS_NOTE = re.compile(r"[（(](?:以下|下文)?(?:简称|称)[^）)]{0,30}[）)]")
_SUBTOPIC = re.compile(f'(?:{P.CHAIN}|{P.POLICY}|[、和与及“”"‘’「」]|以及)+')
# Places in a row (盐城市大丰区, 西安市高陵区泾河工业园) are one subject: the rules read its finest.
_IN_ROW = P.slot_class(EntityType.PLACE, EntityType.PLATFORM)
_ROW = f"(?:{P.PLACE}(?={_IN_ROW}))*"
_SUBJECT = re.compile(
    f"{P.QUOTE}(?:{P.ANY_SLOT}{P.QUOTE}(?:[、和与及]|以及)(?={P.QUOTE}{P.ANY_SLOT}))*{_ROW}{P.ANY_SLOT}{P.QUOTE}"
)


Rule = Callable[[View], Iterable[Fact]]


def _facts(
    heads: Sequence[str],
    rel: RelationType,
    tails: Sequence[str],
    method: str,
    conf: float,
    role: str = "",
) -> Iterator[Fact]:
    for head in heads:
        for tail in tails:
            if head != tail:
                yield Fact(head, rel, tail, method, conf, role)


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
# What names a park (a platform that companies settle in), not a lab or a fund.
_PARK_END = ("区", "园", "园区", "港", "城", "谷", "小镇", "基地")
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
        slot = view.slots[index]
        if not view.text[slot.start : slot.end].rstrip('”’"').endswith(_PARK_END):
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


# --- leadsChain -------------------------------------------------------------------

_LEAD_WITH = re.compile(
    f"以(?P<h>{P.ENUM_COMPANY}){P.gap(12)}为(?:代表的)?{P.gap(2)}(?:主?龙头|链主|引领|牵引|领军)"
)
# 以A、<a name the recognizer cut>为链主企业: the leaders before the broken item still lead.
_LEAD_WITH_LOOSE = re.compile(
    f"以(?P<h>{P.ENUM_COMPANY})[、和及](?!{P.QUOTE}{P.COMPANY})[^{P.CLAUSE_END}为以]{{1,30}}?"
    f"为{P.gap(2)}(?:主?龙头|链主|领军)"
)
_LEADER_NOUN = re.compile(
    f"(?P<h>{P.ENUM_COMPANY}){P.gap(16)}(?:{P.PLACE}?(?P<c0>{P.CHAIN})(?:产业|行业|领域)?的?)?"
    f"(?:龙头|链主|领军|头部)(?:型)?{P.QUOTE}(?P<c>{P.CHAIN})?{P.gap(2)}(?:企业|厂商|厂家)"
)
_PILLARS = re.compile(f"(?P<h>{P.ENUM_COMPANY}){P.gap(20)}{P.PILLARS}")
_CHAIN_BEFORE_PILLARS = re.compile(
    f"(?P<c>{P.CHAIN})(?:产业|行业|领域)?的?{P.QUOTE}(?:{P.PILLARS}|龙头|链主)"
)


def _part_bounds(view: View, pos: int) -> tuple[int, int]:
    """The stretch of the sentence between semicolons around ``pos``."""
    start = view.template.rfind("；", 0, pos) + 1
    end = view.template.find("；", pos)
    return start, len(view.template) if end < 0 else end


def _chain_for(view: View, head_start: int, cue_end: int) -> str | None:
    """The chain a leadership statement names, nearest first.

    The clause before the leaders (溧阳高新区动力电池产业以…为龙头), a chain tied to
    the cue (构成新能源产业的四梁八柱), earlier clauses, then later clauses of the same
    part of the sentence — never a chain later in the same clause, which is what the
    leaders do rather than what they lead (龙头企业在固态电池领域布局).
    """
    clause = next((c for c in view.clauses if c[0] <= head_start < c[1]), (head_start, cue_end))
    before = _specific(view, view.template[clause[0] : head_start])
    if before:
        return before[-1]
    tied = _CHAIN_BEFORE_PILLARS.search(view.template, cue_end, clause[1])
    if tied:
        return view.ids(tied.group("c"), P.CHAIN)[0]
    part = _part_bounds(view, head_start)
    earlier = _specific(view, view.template[part[0] : clause[0]])
    if earlier:
        return earlier[-1]
    if view.home.get("chain") and "行业" not in view.template[head_start:cue_end]:
        # The industry the article is about, before what follows; not for 行业领军 (a leader
        # of its own, unnamed trade).
        return view.home["chain"]
    later = _specific(view, view.template[clause[1] : part[1]])
    return later[0] if later else None


def _specific(view: View, text: str) -> list[str]:
    """The chains in ``text``, without a generic one (新能源) when a more specific one is named."""
    chains: list[str] = []
    generic: list[str] = []
    for ch in text:
        index = P.slot_index(ch)
        if index is None or P.slot_type(ch) is not EntityType.INDUSTRY_CHAIN:
            continue
        slot = view.slots[index]
        name = view.text[slot.start : slot.end]
        (generic if P.GENERIC_CHAIN.fullmatch(name) else chains).append(slot.entity_id)
    return list(dict.fromkeys(chains or generic))


def _leaders(view: View) -> Iterator[tuple[re.Match[str], str, str, float]]:
    """(match, chain, method, confidence) of every leadership statement with a chain."""
    for pattern, method, conf in (
        (_LEAD_WITH, "lead-with", 0.95),
        (_LEAD_WITH_LOOSE, "lead-with", 0.85),
        (_LEADER_NOUN, "leader", 0.9),
        (_PILLARS, "pillars", 0.9),
    ):
        for m in pattern.finditer(view.template):
            if pattern is _LEADER_NOUN and not_a_leader(view.template[m.end("h") : m.end()]):
                continue  # A为…龙头企业供货, A有望成为龙头企业: not a leader (yet)
            tied = [g for g in ("c", "c0") if g in m.groupdict() and m.group(g)]
            if tied:
                chain = view.ids(m.group(tied[0]), P.CHAIN)[0]
            else:
                chain = _chain_for(view, m.start("h"), m.end())
            if chain:
                yield m, chain, method, conf


def leads_chain(view: View) -> Iterator[Fact]:
    """Companies named leaders (龙头, 链主, 领军, 头部, 四梁八柱) of the chain the sentence names."""
    for m, chain, method, conf in _leaders(view):
        yield from _facts(view.ids(m.group("h"), P.COMPANY), R.LEADS_CHAIN, [chain], method, conf)


# 溧阳高新区动力电池产业以…为龙头, 常州…的新能源产业…“四梁八柱”: the industry of a place.
_PLACE_INDUSTRY = re.compile(
    f"{P.QUOTE}(?P<p>{P.WHERE})(?:的?{P.gap(12)}(?P<c>{P.CHAIN})(?P<i>产业|行业)?|(?=以))"
)
# 全球动力电池龙头企业: a leader of the whole industry says nothing of where it is.
_WIDE_SCOPE = re.compile("全球|全国|国内|国际|世界|全省|行业")


def _is_industry(view: View, opener: re.Match[str]) -> bool:
    """Does the chain of a place opener read as an industry (新能源产业, 动力电池行业)?"""
    if opener.group("i"):
        return True
    slot = view.slots[P.slot_index(opener.group("c")) or 0]
    return view.text[slot.start : slot.end].endswith(("产业", "行业"))


def leaders_placed(view: View) -> Iterator[Fact]:
    """Leaders of a place's industry are in that place.

    溧阳高新区动力电池产业以宁德时代、上汽时代为龙头牵引 → both in 溧阳 (through the park);
    常州…的新能源产业…，A、B等龙头企业构成新能源产业的“四梁八柱” → A, B in 常州. The
    place must open a clause of the same part of the sentence, at or before the leaders,
    and name the chain they lead. Without any subject in the sentence, 以A为龙头 in an
    article about one place (在储能环节，以宁德时代、上汽集团为龙头，…) places A there.
    """
    home = view.home.get("topic")
    for m, chain, _method, _conf in _leaders(view):
        clause_end = next((e for s, e in view.clauses if s <= m.end() - 1 < e), m.end())
        if _WIDE_SCOPE.search(view.template, m.start("h"), clause_end):
            continue
        heads = view.ids(m.group("h"), P.COMPANY)
        part = _part_bounds(view, m.start("h"))
        owner: list[str] = []
        for start, end in view.clauses:
            if start < part[0] or start > m.start("h"):
                continue
            opener = _PLACE_INDUSTRY.match(view.template, start, end)
            if opener and (
                not opener.group("c")
                or (chain in view.ids(opener.group("c")) and _is_industry(view, opener))
            ):
                owner = view.ids(opener.group("p"), _PLACE_OR_PLATFORM)[-1:]
        if owner:
            yield from _facts(heads, R.LOCATED_IN, owner, "lead-in-place", 0.8)
        elif (
            home
            and m.re is _LEAD_WITH
            and not any(view.subjects)
            and not view.ids(view.template[: m.start()], _PLACE_OR_PLATFORM)
            and not P.ELSEWHERE.search(view.template)
        ):
            yield from _facts(heads, R.LOCATED_IN, [home], "lead-home", 0.7)


# --- partnersWith, builtBy ------------------------------------------------------------

_AGREEMENT = re.compile(
    f"(?P<a>{P.ENUM_PARTY}){P.gap(16)}{P.AGREEMENT_CUES}{P.gap(10)}{P.AGREEMENT_OBJECTS}"
)
_COOPERATE = re.compile(
    f"(?P<a>{P.ENUM_PARTY})(?:与|和|同){P.gap(14)}(?P<b>{P.ENUM_PARTY}){P.gap(6)}{P.COOPERATE_CUES}"
)
_HAND_IN_HAND = re.compile(f"(?P<a>{P.ENUM_PARTY}){P.gap(4)}(?:携手|联手)(?P<b>{P.ENUM_PARTY})")
_BUILD_VERB = "(?:共同|联合)?(?:建设|共建|组建|发起|成立|打造|创建|设立|建立|承建|投资建设)"
_LED_BUILD = re.compile(
    f"由(?P<a>{P.ENUM_PARTY})(?:牵头|主导|领衔)?[，,]?(?:(?:联合|会同|携手|协同|与)(?P<b>{P.ENUM_PARTY}))?"
    f"{P.gap(12)}{_BUILD_VERB}(?:而成)?的?{P.QUOTE}(?P<t>{P.BUILT})"
)
# 由A旗下B / 由A控股子公司B投资建设: the unit B builds, not its parent.
_PARENT_BEFORE = f"(?:{P.COMPANY}{P.QUOTE}(?:旗下|下属|的?(?:全资|控股)?子公司){P.QUOTE})?"
_BUILT_BY_AFTER = re.compile(
    f"(?P<t>{P.BUILT}){P.QUOTE}{P.gap(4)}由{_PARENT_BEFORE}(?P<a>{P.ENUM_PARTY})(?:牵头|主导)?[，,]?(?:(?:联合|会同|携手|与)(?P<b>{P.ENUM_PARTY}))?{P.gap(12)}{_BUILD_VERB}"
)
# M联合B、C共同建设X: M, B and C build X.
_ALLIED_BUILD = re.compile(
    f"(?P<a>{P.PARTY})(?:联合|会同|协同)(?P<b>{P.ENUM_PARTY}){P.gap(4)}(?:共同|联合)?"
    f"(?:建设|共建|组建|成立|打造|创建|设立|建立)(?:了)?{P.QUOTE}(?P<t>{P.BUILT})"
)
# 由A牵头，B、C等企业共同建设X: A leads, all build X.
_LED_THEN_BUILD = re.compile(
    f"由(?P<a>{P.ENUM_PARTY})(?:牵头|主导|领衔)[，,](?P<b>{P.ENUM_PARTY}){P.gap(8)}(?:共同|联合)"
    f"(?:建设|共建|组建|成立|打造|创建|设立|建立)(?:了)?的?{P.QUOTE}(?P<t>{P.BUILT})"
)
# A与B携手成立X: both build X.
_WITH_BUILD = re.compile(
    f"(?P<a>{P.ENUM_PARTY}){P.gap(4)}(?:与|和|同)(?P<b>{P.ENUM_PARTY}){P.gap(2)}(?:携手|联手|共同|联合)"
    f"(?:成立|组建|共建|建设|打造|创建|设立|建立)(?:了)?{P.QUOTE}(?P<t>{P.BUILT})"
)
_JOINT_BUILD = re.compile(
    f"(?P<a>{P.ENUM_PARTY}){P.gap(6)}(?:{P.JOINT_BUILD_CUES}|共建)(?:了)?{P.QUOTE}(?P<t>{P.BUILT})"
)


_HAND_IN_HAND_BARE = re.compile(f"^{_BARE_LEAD}(?:携手|联手)(?P<b>{P.ENUM_PARTY})")
# Bodies and companies right before 打造的/建设的 built it; a place is left out, since
# 常州打造的… says where rather than who.
_BUILDER = P.slot_class(EntityType.ORGANIZATION, EntityType.COMPANY)
_BUILT_BY_BEFORE = re.compile(
    f"(?<![为给替帮向])(?P<a>{P.enum(_BUILDER)})(?P<j>共同|联合|携手|联手)?(?:投资)?"
    f"(?:打造|建设|建成|组建|创建|设立|建立|兴建|承建|创办)的{P.QUOTE}(?P<t>{P.BUILT})"
)


_PLANT_BY = re.compile(
    f"(?P<a>{P.enum(_BUILDER)}){P.gap(25)}在(?P<p>{P.WHERE}){P.gap(2)}{P.PLANT_CUES}的?"
    f"{P.gap(12)}(?P<t>{P.PROJECT})"
)
# A clause opening with 与B携手/合作… after a clause that ends with the party it is about.
_WITH_BEFORE = re.compile(
    f"^与(?P<b>{P.ENUM_PARTY}){P.gap(4)}(?:携手|联手|合作|共同|联合|共建|签署|签订)"
    f"(?:(?:打造|建设|共建|组建|成立|创建)(?:了|的)?{P.QUOTE}(?P<t>{P.BUILT}))?"
)
_RELATIVE_HEAD = re.compile(
    f"的{P.QUOTE}(?P<a>{P.PARTY}){P.QUOTE}(?:股份有限公司|有限责任公司|有限公司|集团)?$"
)


def _pairs(parties: Sequence[str], method: str, conf: float) -> Iterator[Fact]:
    for a, b in combinations(sorted(set(parties)), 2):
        yield Fact(a, R.PARTNERS_WITH, b, method, conf)


def _across(a: Sequence[str], b: Sequence[str], method: str, conf: float) -> Iterator[Fact]:
    """A joins hands with B、C to host an event: A partners each of them, while B and C,
    listed together as co-hosts of one event, are not partners of each other."""
    for x, y in sorted({tuple(sorted((x, y))) for x in a for y in b if x != y}):
        yield Fact(x, R.PARTNERS_WITH, y, method, conf)


def partners(view: View) -> Iterator[Fact]:
    """Parties of an agreement, a cooperation or a joint construction: every pair of them.

    A sentence that opens with 携手 and has no subject at all is the doing of the place
    whose body wrote the article (携手清科、新财富举办…论坛 in an article by 金坛区委: 金坛
    and both partners); in other articles the subject may be a company named just before.
    """
    home = view.home.get("author")
    if home and not any(view.subjects) and not P.ELSEWHERE.search(view.template):
        m = _HAND_IN_HAND_BARE.match(view.template)
        if m:
            others = view.ids(m.group("b"), P.PARTY)
            if P.CO_HOSTING.match(view.template, m.end()):
                yield from _across([home], others, "hand-in-hand-home", 0.7)
            else:
                yield from _pairs([home, *others], "hand-in-hand-home", 0.7)
    for _, clause, _own in view.effective_clauses():
        for m in _AGREEMENT.finditer(clause):
            parties = view.ids(m.group("a"), P.PARTY)
            cue = re.search(P.AGREEMENT_CUES, m.group()[len(m.group("a")) :])
            listed = cue is not None and apart(m.group()[len(m.group("a")) :][: cue.start()])
            if object_of_with(clause, m.start("a")):
                continue  # 经开区与B、C签订协议: each signs with the unnamed first party
            if len(parties) >= 2 and not undone(m.group()) and not listed:
                yield from _pairs(parties, "agreement", 0.95)
        for pattern, method in ((_COOPERATE, "cooperate"), (_HAND_IN_HAND, "hand-in-hand")):
            for m in pattern.finditer(clause):
                if undone(m.group()) or unsigned_after(clause, m.end()):
                    continue  # A与B终止合作, A未与B达成合作, A与B的合作协议尚未签署
                a = named_parties(view, m.group("a"), clause, m.end("a"))
                b = named_parties(view, m.group("b"), clause, m.end("b"))
                if not P.CO_HOSTING.match(clause, m.end()):
                    yield from _pairs(a + b, method, 0.9)
                elif pattern is _HAND_IN_HAND:
                    yield from _across(a, b, method, 0.9)  # A携手B、C举办: A with each
                # A与B携手举办/合作举办: co-hosts of one event, not partners
    previous = ""
    for i, clause, own in view.effective_clauses():
        for m in _PLANT_BY.finditer(clause):
            # A在P投资建设X项目: A builds it (not A的子公司在P建设…).
            if not _OTHER_UNIT.search(clause, m.end("a"), m.start("p")):
                target = view.ids(m.group("t"), P.PROJECT)
                yield from _facts(
                    target, R.BUILT_BY, view.ids(m.group("a"), _BUILDER), "plant", 0.85
                )
        together = _WITH_BEFORE.match(own)
        head = _RELATIVE_HEAD.search(previous)
        if i > 0 and together and head and not view.subjects[i]:
            # 总部位于P的A，与B携手打造…: A is what the first clause is about.
            parties = view.ids(head.group("a"), P.PARTY) + view.ids(together.group("b"), P.PARTY)
            yield from _pairs(parties, "hand-in-hand", 0.85)
            if together.group("t"):
                target = view.ids(together.group("t"), P.BUILT)
                yield from _facts(target, R.BUILT_BY, parties, "joint-build", 0.85)
        previous = own
    for m in _BUILT_BY_BEFORE.finditer(view.template):
        # 市委、市政府打造的“两湖”创新区: builders of what they built, partners only if joint.
        builders = view.ids(m.group("a"), _BUILDER)
        target = view.ids(m.group("t"), P.BUILT)[:1]
        yield from _facts(target, R.BUILT_BY, builders, "built-by", 0.85)
        if m.group("j"):
            yield from _pairs([p for p in builders if p not in target], "joint-build", 0.85)
    for pattern, method in (
        (_LED_BUILD, "led-build"),
        (_BUILT_BY_AFTER, "led-build"),
        (_JOINT_BUILD, "joint-build"),
        (_WITH_BUILD, "joint-build"),
        (_ALLIED_BUILD, "joint-build"),
        (_LED_THEN_BUILD, "led-build"),
    ):
        for m in pattern.finditer(view.template):
            parties = view.ids(m.group("a"), P.PARTY)
            if "b" in m.groupdict() and m.group("b"):
                parties += view.ids(m.group("b"), P.PARTY)
            target = view.ids(m.group("t"), P.BUILT)
            yield from _facts(target[:1], R.BUILT_BY, parties, method, 0.9)
            yield from _pairs([p for p in parties if p not in target], method, 0.9)


# --- subsidiaryOf -----------------------------------------------------------------------

_AS_SUBSIDIARY = re.compile(
    f"作为{P.QUOTE}(?P<parent>{P.COMPANY}){P.QUOTE}的?{P.SUBSIDIARY_NOUN}[，,]?{P.QUOTE}(?P<child>{P.COMPANY})"
)
_IS_SUBSIDIARY = re.compile(
    f"(?P<child>{P.COMPANY}){P.QUOTE}{P.gap(4)}(?:是|为|系|作为){P.QUOTE}(?P<parent>{P.COMPANY}){P.QUOTE}的?{P.gap(4)}{P.SUBSIDIARY_NOUN}"
)
_PARENT_OF = re.compile(
    f"(?P<parent>{P.COMPANY}){P.QUOTE}(?:的?{P.SUBSIDIARY_NOUN}|旗下的?(?:{P.SUBSIDIARY_NOUN})?){P.QUOTE}(?P<child>{P.COMPANY})"
)


# A是B控股的合资公司: a joint venture B controls.
_HELD_BY = re.compile(
    f"(?P<child>{P.COMPANY}){P.QUOTE}{P.gap(4)}(?:是|为|系){P.QUOTE}(?P<parent>{P.COMPANY}){P.QUOTE}"
    "(?:全资|绝对)?控股的(?:合资|中外合资)?(?:子公司|公司|企业)"
)
# B总部位于P，旗下全资子公司A…: the parent is the subject the clause inherits.
_OWN_SUBSIDIARY = re.compile(
    f"^(?:其|并|还)?旗下(?:的|还有|拥有)?{P.SUBSIDIARY_NOUN}?{P.QUOTE}(?P<child>{P.COMPANY})"
)


def subsidiary(view: View) -> Iterator[Fact]:
    """作为B全资子公司，A; A是B的子公司; B旗下A; A是B控股的合资公司; B…，旗下子公司A."""
    for pattern in (_AS_SUBSIDIARY, _IS_SUBSIDIARY, _PARENT_OF, _HELD_BY):
        for m in pattern.finditer(view.template):
            yield from _facts(
                view.ids(m.group("child")),
                R.SUBSIDIARY_OF,
                view.ids(m.group("parent")),
                "subsidiary",
                0.95,
            )
    for i, _, own in view.effective_clauses():
        m = _OWN_SUBSIDIARY.match(own)
        if m and i > 0:
            yield from _facts(
                view.ids(m.group("child")),
                R.SUBSIDIARY_OF,
                view.ids(view.subjects[i], P.COMPANY),
                "subsidiary",
                0.9,
            )


# --- hasRole ------------------------------------------------------------------------------

_ROLE_AT_END = re.compile(f"(?P<roles>{P.ROLE_SEQ})[\\s:：]*$")
_HOLDER_AT_END = re.compile(
    f"(?P<holder>{P.HOLDER}){P.QUOTE}(?P<unit>[^{P.CLAUSE_END}、\\s{P.ANY_SLOT[1:-1]}]{{0,10}})$"
)
_UNIT = P.slot_class(EntityType.COMPANY, EntityType.ORGANIZATION, EntityType.PLATFORM)
# 经开区党工委书记、管委会主任: a post at an unnamed body of the same holder, after 、.
_UNNAMED_UNIT = re.compile(
    f"、[^{P.CLAUSE_END}、\\s{P.ANY_SLOT[1:-1]}]{{0,4}}(?:会|委|局|办|部|组|处)$"
)
# A government post is not held at a party committee (市委副书记、市长: 市长 is not at 市委).
_GOVERNMENT_ROLE = re.compile("^(?:常务)?副?(?:市长|区长|县长|省长|镇长)$")
# Roles that name their body: 区委书记 of the district the article is about.
_HOME_ROLES = (
    ("区委", "district"),
    ("区长", "district"),
    ("副区长", "district"),
    ("市委", "city"),
    ("市长", "city"),
    ("副市长", "city"),
    ("县委", "district"),
    ("县长", "district"),
)


# 黄和院士领衔的…研究院: the person heads the unit; an honorific title may sit between.
_HEADS_UNIT = re.compile(
    f"(?P<p>{P.PERSON})(?:院士|教授|研究员|博士|专家)?(?:团队)?(?P<v>领衔|牵头|挂帅|带领)"
    f"(?:组建|创办|建设|成立)?的{P.QUOTE}(?P<u>{P.HOLDER})"
)


def has_role(view: View) -> Iterator[Fact]:
    """Office holders: <organization><role> <person>, chained with 、 for several posts.

    Also a person who heads a unit (张三院士领衔的X研究院), with the verb as the role.
    """
    template = view.template
    for m in _HEADS_UNIT.finditer(template):
        units = view.ids(m.group("u"), _UNIT)
        yield from _facts(view.ids(m.group("p")), R.HAS_ROLE, units, "heads", 0.8, m.group("v"))
    for index, slot in enumerate(view.slots):
        if slot.type is not EntityType.PERSON:
            continue
        pos = template.index(P.slot(EntityType.PERSON, index))
        prefix = template[:pos]
        first = True
        while True:
            m = _ROLE_AT_END.search(prefix)
            if not m:
                break
            roles = [r for r in re.split("[兼、及]", m.group("roles")) if r]
            prefix = prefix[: m.start()]
            h = _HOLDER_AT_END.search(prefix)
            if h and h.group("unit") and P.slot_type(h.group("holder")[0]) is EntityType.PLACE:
                # 香港分公司董事, 北京地区客户总监: an unnamed body in the place, not the place.
                break
            if h:
                holder = view.ids(h.group("holder"), P.HOLDER)
                body = view.slots[P.slot_index(h.group("holder")[0]) or 0]
                committee = view.text[body.start : body.end].endswith("委")
                for role in roles:
                    if committee and _GOVERNMENT_ROLE.match(role):
                        continue
                    yield from _facts([slot.entity_id], R.HAS_ROLE, holder, "title", 0.9, role)
                prefix = prefix[: h.start()]
            elif (u := _UNNAMED_UNIT.search(prefix)) and _ROLE_AT_END.search(prefix[: u.start()]):
                # X党工委书记、管委会主任: the posts before 、 are still X's.
                prefix = prefix[: u.start()]
                first = False
                continue
            elif first:
                for role in roles:
                    level = next((lv for cue, lv in _HOME_ROLES if role.startswith(cue)), None)
                    if level and view.home.get(level):
                        yield Fact(
                            slot.entity_id, R.HAS_ROLE, view.home[level], "title-home", 0.8, role
                        )
                break
            else:
                break
            first = False
            if not prefix.endswith("、"):
                break
            prefix = prefix[:-1]


# --- issuedBy ---------------------------------------------------------------------------------

_ISSUE = re.compile(
    f"(?P<s>{P.enum(P.ISSUER)}){P.gap(20)}{P.ISSUE_CUES}(?P<rest>[^{P.CLAUSE_END}]*)"
)
# Without an issuer only what governments do (出台, 印发) is the article's place's: anyone
# 发布s a ranking (会上发布了《…榜》 after 胡润研究院举行发布会).
_ISSUE_BARE = re.compile(f"^{P.gap(8)}(?:出台|印发|制定|颁布)(?:了)?(?P<rest>[^{P.CLAUSE_END}]*)")


def issued_by(view: View) -> Iterator[Fact]:
    """A place or body that issues, proposes or publishes a named policy."""
    has_issuer = bool(view.ids(view.template, P.ISSUER))
    home = view.home.get("topic")
    for _, clause, own in view.effective_clauses():
        m = _ISSUE.search(clause)
        if m:
            yield from _facts(
                view.ids(m.group("rest"), P.POLICY),
                R.ISSUED_BY,
                view.ids(m.group("s"), P.ISSUER),
                "issue",
                0.9,
            )
        elif home and not has_issuer:
            b = _ISSUE_BARE.match(own)
            if b:
                yield from _facts(
                    view.ids(b.group("rest"), P.POLICY), R.ISSUED_BY, [home], "issue-home", 0.7
                )


# --- inIndustry ----------------------------------------------------------------------------------

# A、B等…半导体企业; 中创新航是国内头部动力电池企业; 比亚迪、理想两家新能源整车厂.
_INDUSTRY_NOUN = re.compile(
    f"(?P<h>{P.ENUM_COMPANY})(?:{P.GAP_CHAR}|{P.PLACE}){{0,16}}?(?P<c>{P.CHAIN})"
    f"(?:产业链|产业|领域|行业|相关)?{P.gap(4)}(?:企业|厂商|整车厂|厂家|公司|厂)"
)


# 我市集聚工业母机及功能部件企业近千家 / 拥有三大合成生物园区: a gathering of one industry…
_GATHER_INDUSTRY = re.compile(
    f"^{P.QUOTE}(?:{P.PLACE})?{P.gap(8)}{P.GATHER_CUES}(?:{P.GAP_CHAR}|{P.PLACE}){{0,12}}?"
    f"(?P<c>{P.CHAIN})(?:{P.GAP_CHAR}){{0,8}}?(?:企业|园区|产业园|基地|集群)"
)
# …then 拥有A、B等国际知名整机企业, 培育C、D等本土企业: the companies it gathers.
_GATHERED_COMPANIES = re.compile(
    f"^{_BARE_LEAD}{P.GATHER_CUES}(?:{P.GAP_CHAR}|{P.COMPANY})*等{P.gap(12)}(?:企业|厂商|公司)"
)
_ENUM_BEFORE_DENG = re.compile(f"(?P<h>{P.ENUM_COMPANY})等")
# 年产30GWh锂离子电池: what a company makes is its industry.
_CAPACITY = re.compile(
    "(?:年产能?|产能)(?:可?达到?|超过?|约|近|为|逾)?"
    rf"[0-9.,．]+\s*(?:[A-Za-z]+|万吨|吨|万辆|辆|万台|台|万套|套|亿只|万只|吉瓦时?|兆瓦时?)?"
    f"的?(?P<c>{P.CHAIN})"
)
# 白鲸航线的W5000是…大型货运无人机之一: a product named by its model is of the maker's industry.
_PRODUCT_IS = re.compile(
    f"(?P<h>{P.COMPANY})的[A-Za-z0-9][A-Za-z0-9+-]{{1,15}}(?:型|系列|号)?{P.QUOTE}(?:是|为|系|属于)"
    f"{P.gap(30)}(?P<c>{P.CHAIN})(?:之一|的一|产品)?$"
)
_NOT_OWN_MAKE = re.compile("为|向|给|与|和|同|帮|替|供|对")
# 国内动力电池企业装车量榜单中，…中创新航、蜂巢能源分列第3和第7: ranked among an industry's companies.
_RANKING = re.compile(
    f"(?P<c>{P.CHAIN})(?:产业|行业)?(?:企业|厂商|厂家|公司){P.gap(12)}(?:榜单|排行榜|排行|榜|排名)"
)
_RANKED = re.compile(
    f"(?P<h>{P.ENUM_COMPANY}){P.gap(2)}(?:分列|位列|分居|名列|位居|排名|排在|跻身)"
)


def in_industry(view: View) -> Iterator[Fact]:
    """Companies the sentence calls companies of an industry.

    A、B等…CHAIN企业; a product of the company named by its model that is a CHAIN
    (A的W5000是…无人机之一); a company with a yearly capacity of a chain's product (江苏时代…年产
    30GWh锂离子电池); companies ranked in a list of an industry's companies; companies a
    place gathers right after the sentence says it gathers one industry's companies or
    parks (我市集聚工业母机企业近千家，拥有A、B等整机企业，培育C、D等本土企业).
    """
    context: list[str] = []
    ranking: list[str] = []
    for i, clause, own in view.effective_clauses():
        for m in _INDUSTRY_NOUN.finditer(clause):
            between = clause[m.end("h") : m.start("c")]
            if "，" in between or re.search("在|与|和|对", between):
                continue  # 在…领域布局, 与…合作: the industry is not what they are
            chain = view.ids(m.group("c"), P.CHAIN)
            yield from _facts(
                view.ids(m.group("h"), P.COMPANY), R.IN_INDUSTRY, chain, "industry-noun", 0.85
            )
        subject = view.ids(view.subjects[i], P.COMPANY)
        for m in _CAPACITY.finditer(own):
            if subject and not _NOT_OWN_MAKE.search(own, 0, m.start()):
                yield from _facts(subject, R.IN_INDUSTRY, view.ids(m.group("c")), "capacity", 0.8)
        product = _PRODUCT_IS.search(own)
        if product:
            yield from _facts(
                view.ids(product.group("h")),
                R.IN_INDUSTRY,
                view.ids(product.group("c")),
                "product",
                0.75,
            )
        chains = view.ids(own, P.CHAIN)
        if ranking:
            for m in _RANKED.finditer(own):
                yield from _facts(
                    view.ids(m.group("h"), P.COMPANY), R.IN_INDUSTRY, ranking, "ranking", 0.8
                )
        r = _RANKING.search(own)
        ranking = view.ids(r.group("c")) if r and len(chains) == 1 else []
        g = _GATHER_INDUSTRY.match(own)
        if g and len(chains) == 1:
            context = chains
        elif context and not chains and _GATHERED_COMPANIES.match(own):
            for m in _ENUM_BEFORE_DENG.finditer(own):
                yield from _facts(
                    view.ids(m.group("h"), P.COMPANY), R.IN_INDUSTRY, context, "gathered", 0.75
                )
        else:
            context = []


# --- the article's own place ------------------------------------------------------------

# A、B等一批链主企业坚定扎根 / C、D等项目加速投产: no place named, so the article's own.
_HOME_SETTLED = re.compile(f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(30)}{P.HOME_SETTLE}")
# 全区A、B等企业…, 我区重点企业A、B: an enumeration headed by the home place.
_HOME_HEADED = re.compile(
    f"^{P.QUOTE}(?P<s>{P.PLACE})(?:内|的|共有|现有|有)?(?:{P.gap(8)}(?:企业|公司|厂商))?"
    f"(?P<h>{P.ENUM_LOCATABLE})"
)
# A、B等优质企业增势强劲，全区…企业超100家: the named are among the counted.
_ENUM_DENG = re.compile(f"^(?:其中[，,]?)?(?P<h>{P.ENUM_LOCATABLE})等")
_HOME_COUNT = re.compile(
    f"{P.HOME_COUNTED}(?:总数|数量)?(?:超过?|近|约|逾|达到?|共|有)?"
    "[0-9０-９一二三四五六七八九十百千]+余?(?:家|个)"
)


def _homes(view: View) -> set[str]:
    return {view.home[k] for k in ("district", "city", "province", "topic") if k in view.home}


def _only_home(view: View, text: str) -> bool:
    """Does ``text`` name no place or park other than the article's own?"""
    return set(view.ids(text, _PLACE_OR_PLATFORM)) <= _homes(view)


def home_settled(view: View) -> Iterator[Fact]:
    """Firms, projects and platforms an article about a place names as its own are there.

    Three constructions, in a sentence that names no other place, each in a clause with no
    cue of being elsewhere or a partner (来自, 赴, 合作, 签约: graph/data/home_cues.tsv): the subject of a
    verb of settling with no place after it (A、B等企业坚定扎根, C项目加速投产); an
    enumeration headed by the home word (全区A、B等企业); an enumeration next to a count of
    the home place's companies (A、B等企业增势强劲，全区…企业超100家).
    """
    home = view.home.get("topic")
    if not home or P.ELSEWHERE.search(view.template) or not _only_home(view, view.template):
        return  # A在福安建设…，B、C等企业相继落户: B and C are where the sentence says
    homes = _homes(view)
    counted = [
        i
        for i, (start, end) in enumerate(view.clauses)
        if _HOME_COUNT.search(view.template, start, end)
        and set(view.ids(view.template[start:end], P.PLACE)) & homes
    ]
    for i, clause, own in view.effective_clauses():
        if P.HOME_AWAY.search(own):
            continue
        for m in _HOME_SETTLED.finditer(clause):
            heads = view.ids(m.group("h"), P.LOCATABLE)
            yield from _facts(heads, R.LOCATED_IN, [home], "home-settled", 0.75)
        headed = _HOME_HEADED.match(own)
        if headed and view.ids(headed.group("s"), P.PLACE)[0] in homes:
            place = view.ids(headed.group("s"), P.PLACE)
            heads = view.ids(headed.group("h"), P.LOCATABLE)
            yield from _facts(heads, R.LOCATED_IN, place, "home-headed", 0.8)
        listed = _ENUM_DENG.match(own)
        if listed and (i - 1 in counted or i + 1 in counted):
            heads = view.ids(listed.group("h"), P.LOCATABLE)
            yield from _facts(heads, R.LOCATED_IN, [home], "home-counted", 0.7)


# --- projects --------------------------------------------------------------------------

_PROJECT_VERB = f"(?:总投资|投资|投建|签约|实施|推进|启动|{P.PLANT_CUES})"
# 在P投资的X项目, 在P签约了A、B项目: the projects are in P.
_PROJECT_IN = re.compile(
    f"在(?P<p>{P.WHERE})(?:内|境内)?{P.gap(4)}{_PROJECT_VERB}(?:了)?的?{P.gap(12)}"
    f"(?P<t>{P.enum(P.PROJECT)})"
)
# X项目落户P / 于P开工 / 选址P: the project is in P.
_PROJECT_AT = re.compile(
    f"(?P<t>{P.enum(P.PROJECT)}){P.gap(10)}(?:在|于|落户|落地|入驻|选址|位于|坐落于)(?:于|在)?"
    f"(?P<p>{P.WHERE})"
)
# A投资建设X项目, A在P新建的X项目: the company builds it (not 为A建设, 与A合作建设).
_BUILDS_PROJECT = re.compile(
    f"(?<![为给替帮向与和同])(?P<a>{P.enum(_BUILDER)}){P.gap(25)}(?:在{P.WHERE})?{P.gap(6)}"
    f"(?:投资建设|投资|投建|建设|新建|兴建|扩建|启动|实施){P.gap(2)}的?{P.gap(12)}"
    f"(?P<t>{P.enum(P.PROJECT)})"
)


# 双良硅材料（包头）有限公司的40GW单晶硅棒项目三期: a company's own project, right after it.
_OWNED_PROJECT = re.compile(
    f"(?<![为给替帮向与和同、及])(?P<a>{P.COMPANY}){P.QUOTE}的?{P.QUOTE}(?P<t>{P.PROJECT})"
)


def projects(view: View) -> Iterator[Fact]:
    """A project is in the place or park its clause names and built by its company.

    在P投资建设X项目 / X项目落户P / X项目于P开工 → X in P (a park is resolved to its
    place, and X is part of it); A投资建设X项目 → X built by A, unless the clause says A
    acts for another (为A, A的子公司).
    """
    for _, clause, _own in view.effective_clauses():
        for pattern in (_PROJECT_IN, _PROJECT_AT):
            for m in pattern.finditer(clause):
                places = view.ids(_finest(m.group("p")), _PLACE_OR_PLATFORM)
                heads = view.ids(m.group("t"), P.PROJECT)
                yield from _facts(heads, R.LOCATED_IN, places, "project-place", 0.85)
        for m in _BUILDS_PROJECT.finditer(clause):
            between = clause[m.end("a") : m.start("t")]
            if _OTHER_UNIT.search(between) or _NOT_OWN_MAKE.search(between):
                continue
            targets = view.ids(m.group("t"), P.PROJECT)
            builders = view.ids(m.group("a"), _BUILDER)
            yield from _facts(targets, R.BUILT_BY, builders, "project-builder", 0.8)
        for m in _OWNED_PROJECT.finditer(clause):
            if not re.match(f"{P.QUOTE}{P.COMPANY}", clause[m.end() :]):
                yield from _facts(
                    view.ids(m.group("t")), R.BUILT_BY, view.ids(m.group("a")), "owned-project", 0.8
                )


RULES: tuple[Rule, ...] = (
    located_in,
    gathered_in,
    home_settled,
    projects,
    leads_chain,
    leaders_placed,
    partners,
    subsidiary,
    has_role,
    issued_by,
    in_industry,
)


def apply(view: View) -> Iterator[Fact]:
    """Every fact every rule finds in one sentence."""
    for rule in RULES:
        yield from rule(view)


# Business relations as news states them: more leader phrasings, partners, subsidiaries.
from graph.relations.rules_business import (  # noqa: E402
    BUSINESS_RULES,
    apart,
    named_parties,
    not_a_leader,
    object_of_with,
    undone,
    unsigned_after,
)

RULES = (*RULES, *BUSINESS_RULES)
