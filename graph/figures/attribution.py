"""What a figure measures and which entity it is about: measure rules, the subject in the
clause, the sentence or the article, and anaphors (该项目, 全市)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from graph.figures.quantities import Quantity
from graph.figures.tables import MeasureRule, _rows, _words, measure_rules, qualifiers
from graph.records import EntityType, Home, Mention, Sentence

_CLAUSE_END = "，,；;。！？!?：:"

# --- attachment -----------------------------------------------------------------------------


# Which kinds of entity a measure may be about, nearest first; a measure not listed takes any.
SUBJECT_TYPES: dict[str, frozenset[EntityType]] = {
    "investment": frozenset(
        {EntityType.PROJECT, EntityType.COMPANY, EntityType.PLACE, EntityType.PLATFORM}
    ),
    "capacity": frozenset(
        {
            EntityType.PROJECT,
            EntityType.COMPANY,
            EntityType.PLACE,
            EntityType.PLATFORM,
            EntityType.INDUSTRY_CHAIN,
        }
    ),
    "firm-count": frozenset({EntityType.PLACE, EntityType.PLATFORM, EntityType.INDUSTRY_CHAIN}),
    "project-count": frozenset({EntityType.PLACE, EntityType.PLATFORM, EntityType.COMPANY}),
    # what is counted or sized is the chains themselves (2个千亿级产业集群), not their subject
    "count": frozenset(
        {EntityType.PLACE, EntityType.PLATFORM, EntityType.COMPANY, EntityType.PROJECT}
    ),
    "scale": frozenset(
        {EntityType.PLACE, EntityType.PLATFORM, EntityType.COMPANY, EntityType.PROJECT}
    ),
}
_COUNTED = frozenset({"count", "firm-count", "project-count", "scale"})
_LISTING = frozenset("、，,和及与等")
_NO_SUBJECT = frozenset({EntityType.PERSON, EntityType.POLICY, EntityType.ORGANIZATION})
# Measures a company has: a company or project in the clause governs before a place does.
_COMPANY_MEASURES = frozenset({"investment", "capacity", "revenue", "output-value", "tax"})
_COMPANY_KINDS = frozenset({EntityType.COMPANY, EntityType.PROJECT})
_CONFIDENCE = {
    "figure-subject-inside": 0.9,
    "figure-subject-modified": 0.9,
    "figure-subject-clause": 0.9,
    "figure-subject-anaphor": 0.8,
    "figure-subject-created": 0.8,
    "figure-subject-sentence": 0.8,
    "figure-subject-frame": 0.75,
    "figure-subject-previous": 0.7,
    "figure-subject-article": 0.7,
    "figure-subject-chain": 0.6,
}
# The method of a mention that stands for an anaphor (该公司, 全市), made by anaphor_mentions.
ANAPHOR = "figure-anaphor"
_AREA_KINDS = frozenset({EntityType.PLACE, EntityType.PLATFORM})
_TOPICS = _AREA_KINDS | _COMPANY_KINDS


def measure_of(text: str, q: Quantity) -> MeasureRule | None:
    """The rule whose cue stands nearest the figure in its clause (``None``: no cue)."""
    clause_start = max(text.rfind(c, 0, q.begin) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, q.end) for c in _CLAUSE_END) if i >= 0]
    clause_end = min(ends, default=len(text))
    best: tuple[int, int, MeasureRule] | None = None
    default: MeasureRule | None = None
    for order, rule in enumerate(measure_rules()):
        if q.unit not in rule.units or (rule.written and q.unit_text not in rule.written):
            continue
        if rule.side == "default":
            default = default or rule
            continue
        for cue in rule.cues:
            if rule.side == "self":
                distance = 0 if text[q.begin : q.end].endswith(cue) else -1
            elif rule.side == "before":
                at = text.rfind(cue, clause_start, q.begin)
                distance = q.begin - (at + len(cue)) if at >= 0 else -1
            else:
                at = text.find(cue, q.end - len(q.unit_text), clause_end)
                if rule.measure == "scale" and at != q.end - 1:
                    at = -1  # 千亿级: 级 closes the figure itself
                distance = at - q.end if at >= 0 else -1
                distance = max(distance, 0) if at >= 0 else -1
            if distance < 0:
                continue
            key = (distance, order)
            if best is None or key < best[:2]:
                best = (distance, order, rule)
    return best[2] if best else default


def _fallback(q: Quantity) -> tuple[str, str]:
    if q.unit == "count":
        return "figure-count", "count"
    if q.unit == "rank":
        return "figure-rank", "rank"
    return "figure-amount", "amount"


def _clause_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in _CLAUSE_END) + 1


def _adverbial(text: str, at: int) -> bool:
    """Whether ``text[at]`` stands in a modifier: a clause that opens with 以, 围绕, 由 …,
    up to the clause's first 的 (由A与B合资组建的C: A and B are modifiers, C is not)."""
    start = _clause_start(text, at)
    if not text.startswith(_words("figure_adverbials.txt"), start):
        return False
    de = text.find("的", start)
    ends = [i for i in (text.find(c, start) for c in _CLAUSE_END) if i >= 0]
    return de < 0 or de > min(ends, default=len(text)) or at < de


def _listed(m: Mention, origin: int, mentions: Sequence[Mention], sentence: Sentence) -> bool:
    """Whether ``m`` is one of the things a count lists (A、B等十余家): only other mentions
    and listing marks stand between it and the figure."""
    gap = set(range(m.end, origin))
    for other in mentions:
        gap -= set(range(other.start, other.end))
    by_offset = dict(zip(sentence.offsets, sentence.text, strict=False))
    return all(by_offset.get(i, "") in _LISTING or i not in by_offset for i in gap)


def _locative(text: str, index: int | None) -> bool:
    """Whether the mention at ``text[index]`` follows 在, 于 …: a place where, not a subject."""
    return index is not None and text.endswith(_words("figure_locatives.txt"), 0, index)


_MODIFIED_KINDS = (EntityType.PROJECT, EntityType.PLATFORM, EntityType.COMPANY)
_MODIFIER_REACH = 12  # how far after the figure its 的 may stand (总投资约108亿元的)


def _modified(
    text: str, q_begin: int, by_index: Mapping[int, int], mentions: Sequence[Mention]
) -> str:
    """The project, platform or company a figure modifies (总投资50亿元的X项目 → X项目,
    占地500亩的X产业园 → X产业园), or "": the first such mention after the figure's 的 in
    its clause, a project before the others."""
    ends = [i for i in (text.find(c, q_begin) for c in _CLAUSE_END) if i >= 0]
    stop = min(ends, default=len(text))
    de = text.find("的", q_begin, min(stop, q_begin + _MODIFIER_REACH))
    if de < 0:
        return ""
    after = []
    for m in mentions:
        i = by_index.get(m.start)
        if i is None or not m.entity_id or m.type == EntityType.INDUSTRY_CHAIN:
            continue
        if q_begin < i < de:
            return ""  # 总投资50亿元、宁德时代的…: the figure does not modify what follows
        if de < i < stop and m.type in _MODIFIED_KINDS:
            after.append((i, m))
    if not after:
        return ""
    after.sort(key=lambda im: (im[1].type != EntityType.PROJECT, im[0]))
    return after[0][1].entity_id


def by_offset_index(sentence: Sentence) -> dict[int, int]:
    """Original offset -> index in the sentence's normalized text."""
    return {o: i for i, o in enumerate(sentence.offsets)}


@cache
def _cue_words() -> tuple[str, ...]:
    words = {c for rule in measure_rules() for c in rule.cues if c != "-"}
    words |= {w for pairs in qualifiers().values() for w, _ in pairs}
    return tuple(sorted(words, key=len, reverse=True))


def _owner_named(text: str, by_index: Mapping[int, int], m: Mention, q_begin: int) -> bool:
    """Whether the name ``m`` holding a figure names its owner before it (比亚迪株洲基地年产…,
    not 年产20GWh动力电池项目, whose owner the clause names)."""
    first = by_index.get(m.start)
    if first is None:
        return False
    prefix = text[first:q_begin]
    changed = True
    while changed and prefix:
        changed = False
        for cue in _cue_words():
            if prefix.endswith(cue):
                prefix, changed = prefix[: -len(cue)], True
                break
    return len(prefix.strip("（）()，、 ")) >= 2


def _modifies(text: str, at: int, clause: Sequence[tuple[int, Mention]]) -> bool:
    """Whether the mention at ``text[at]`` stands before a 的 that another mention of its
    clause follows (河南科技大学与伊滨区管委会共建的洛阳…研究院): a modifier of that one."""
    later = [i for i, _ in clause if i > at]
    return any("的" in text[at:i] for i in later)


def _enumerated(text: str, by_index: Mapping[int, int], m: Mention) -> bool:
    """Whether ``m`` is an item of an enumeration (A、B等企业): an object, not a subject."""
    first = by_index.get(m.start)
    last = by_index.get(m.end - 1)
    if first is None or last is None:
        return False
    return text[last + 1 : last + 2] in ("、", "等") or text[first - 1 : first] == "、"


def _created_after(text: str, clause: int) -> int | None:
    """Where the last verb of founding (成立, 设立 …) in the clause at ``clause`` ends."""
    ends = [i for i in (text.find(c, clause) for c in _CLAUSE_END) if i >= 0]
    stop = min(ends, default=len(text))
    found = [
        i + len(w)
        for w in _words("figure_creations.txt")
        for i in [text.rfind(w, clause, stop)]
        if i >= 0
    ]
    return max(found, default=None)


def _frame(text: str, clause: int, by_index: Mapping[int, int], mentions: Sequence[Mention]) -> str:
    """The place or platform of the nearest clause before ``clause`` that only sets the
    scene (在石峰区田心街道，…两家龙头企业带动350余家配套企业集聚 → 田心街道), or ""."""
    best: tuple[int, int, str] | None = None
    for m in mentions:
        i = by_index.get(m.start)
        if i is None or i >= clause or m.type not in _AREA_KINDS:
            continue
        opens = _clause_start(text, i)
        if not text.startswith("在", opens) or (best and (opens, i) < best[:2]):
            continue
        best = (opens, i, m.entity_id)
    return best[2] if best else ""


@cache
def _anaphors() -> tuple[tuple[str, str, str], ...]:
    rows = [(r[0], r[1], r[2] if len(r) > 2 else "") for r in _rows("figure_anaphors.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


# A time that may open a clause before its subject (2022年全区…, 今年上半年全市…).
_LEADING_TIME = re.compile(
    r"(?:(?:19|20)[0-9]{2}年度?|今年|去年|明年|目前|如今|当前|上半年|下半年|前三季度|全年)+"
)


def _opens(text: str, at: int) -> bool:
    """Whether ``text[at]`` opens its clause, possibly after a time (2022年全区…)."""
    start = _clause_start(text, at)
    time = _LEADING_TIME.match(text, start)
    return at == start or (time is not None and time.end() == at)


@dataclass
class _Context:
    """What an article has named so far, for the anaphors of its next sentences."""

    firms: tuple[Mention, ...] = ()  # companies and projects of the last sentence naming one
    area: Mention | None = None
    previous: Mention | None = None  # what the sentence before opened with, if anything
    platform: Mention | None = None  # the platform named last (经开区, 高新区 stand for it)

    def last(self, first: EntityType) -> Mention | None:
        """The last ``first`` (company or project) of ``firms``, else the last of the other."""
        other = EntityType.PROJECT if first == EntityType.COMPANY else EntityType.COMPANY
        for kind in (first, other):
            found = [m for m in self.firms if m.type == kind]
            if found:
                return found[-1]
        return self.firms[-1] if self.firms else None

    def update(
        self, sentence: Sentence, mentions: Sequence[Mention], anaphors: Sequence[Mention] = ()
    ) -> None:
        """Take in ``sentence``: its companies, platforms and area, and what it opens with for
        the next sentence (an anaphor opening it counts: 上半年，经开区…; a sentence naming
        nothing it could be about keeps what the one before opened with)."""
        by_index = {o: i for i, o in enumerate(sentence.offsets)}
        firms = tuple(
            m
            for m in sorted(mentions, key=lambda m: m.start)
            if m.entity_id and m.method != ANAPHOR and m.type in _COMPANY_KINDS
        )
        self.firms = firms or self.firms
        platforms = [
            m
            for m in sorted(mentions, key=lambda m: m.start)
            if m.entity_id and m.method != ANAPHOR and m.type == EntityType.PLATFORM
        ]
        self.platform = platforms[-1] if platforms else self.platform
        named = [m for m in (*mentions, *anaphors) if m.entity_id and m.type in _TOPICS]
        if named:  # 三大主导产业产值同比增长31.9%: nothing named, the paragraph goes on
            self.previous = None
        for m in sorted(named, key=lambda m: m.start):
            i = by_index.get(m.start)
            if i is not None:
                if _opens(sentence.text, i) and not _adverbial(sentence.text, i):
                    self.previous = m
                break
        for m in sorted(mentions, key=lambda m: m.start):
            i = by_index.get(m.start)
            if m.entity_id and m.type in _AREA_KINDS and i is not None:
                if i == _clause_start(sentence.text, i) and not _adverbial(sentence.text, i):
                    self.area = m
                break


def _home_place(home: Home | None, level: str, entity_ids: Collection[str]) -> str:
    """The entity id of an article's own district or city (a district's city by its code)."""
    if home is None:
        return ""
    codes = [home.district] if level == "district" else [home.city]
    if level == "city" and home.district and not home.city:
        codes.append(home.district[:4] + "00")
    for code in codes:
        if code and f"place/{code}" in entity_ids:
            return f"place/{code}"
    return ""


def anaphor_mentions(
    sentence: Sentence,
    mentions: Sequence[Mention],
    context: _Context,
    home: Home | None = None,
    topic: str = "",
    entity_ids: Collection[str] = (),
) -> list[Mention]:
    """Mentions for the anaphors that open a clause of ``sentence`` (该公司, 全市, 区内 …,
    ``graph/data/figure_anaphors.tsv``), each with the entity it stands for in ``context``
    (what the article named before) or ``home``; method :data:`ANAPHOR`."""
    text = sentence.text
    taken = {o for m in mentions for o in range(m.start, m.end)}
    found: list[Mention] = []
    for opens in sorted({0, *(j + 1 for j, ch in enumerate(text) if ch in _CLAUSE_END)}):
        time = _LEADING_TIME.match(text, opens)
        first = time.end() if time else opens  # 2022年全区新增…: after a time, still opening
        ends = [e for e in (text.find(c, opens) for c in _CLAUSE_END) if e >= 0]
        stop = min(ends, default=len(text))
        # 七期项目达产后全市…: after a condition, still opening what the clause says
        starts = [first, *(j for j in range(first + 1, stop) if _after_condition(text, j))]
        for i in starts:
            for word, kind, not_before in _anaphors():
                if not text.startswith(word, i):
                    continue
                after = text[i + len(word) : i + len(word) + 1]
                if (after and after in not_before) or sentence.offsets[i] in taken:
                    break
                if i != first and kind in ("company", "project") and not word.startswith("该"):
                    break  # 淘汰落后项目: after a condition only 该项目 points back
                target = _referent(kind, context, home, topic, entity_ids)
                if target is not None:
                    start = sentence.offsets[i]
                    found.append(
                        Mention(
                            sentence.article_id,
                            sentence.index,
                            start,
                            sentence.offsets[i + len(word) - 1] + 1,
                            word,
                            target[1],
                            target[0],
                            method=ANAPHOR,
                        )
                    )
                break
    return found


def _after_condition(text: str, at: int) -> bool:
    """Whether ``text[at]`` follows a word that closes a condition or a time inside its
    clause (达产后, 届时: ``graph/data/figure_conditions.txt``)."""
    return at > _clause_start(text, at) and text.endswith(_words("figure_conditions.txt"), 0, at)


def _referent(
    kind: str, context: _Context, home: Home | None, topic: str, entity_ids: Collection[str]
) -> tuple[str, EntityType] | None:
    chosen: Mention | None = None
    if kind == "company":
        chosen = context.last(EntityType.COMPANY)
    elif kind == "project":
        chosen = context.last(EntityType.PROJECT)
    elif kind == "platform" and context.platform is not None:
        chosen = context.platform
    elif kind in ("area", "district", "platform"):
        district = _home_place(home, "district", entity_ids)
        if kind == "district" and district:
            return district, EntityType.PLACE
        if context.area is not None:
            return context.area.entity_id, context.area.type
        if district or topic:
            return district or topic, EntityType.PLACE
        return None
    elif kind == "city":
        city = _home_place(home, "city", entity_ids) or topic
        return (city, EntityType.PLACE) if city else None
    return (chosen.entity_id, chosen.type) if chosen else None


def subject_of(
    q_begin: int,
    measure: str,
    sentence: Sentence,
    mentions: Sequence[Mention],
    topic: str = "",
    previous: Mention | None = None,
) -> tuple[str, str]:
    """The entity id a figure at ``q_begin`` is about, and the rule that chose it.

    - ``figure-subject-inside``: the company or project whose name holds the figure
      (比亚迪株洲基地年产10GWh动力电池项目);
    - ``figure-subject-modified``: the project, platform or company the figure modifies
      (总投资50亿元的宁德时代溧阳基地项目);
    - ``figure-subject-clause``: the nearest mention before the figure in its clause; for a
      company's kind of measure (investment, capacity, revenue …) a company or project there
      first (金风科技大丰基地年产200台 → 金风科技); a place right after 在/于 only when
      nothing else is there; for a rank, only mentions before the ranking word (溧阳…位居常州
      首位 → 溧阳); for counts and size classes, not the members the count lists (甲、乙等
      十余家);
    - ``figure-subject-sentence``: else, walking back clause by clause, the first mention of
      the nearest clause that has one outside a modifier (以宁德时代为龙头, 由A组建的C …)
      and outside an enumeration (A、B等企业 are objects); in a clause that founds a company
      (A与B合资成立C), ``figure-subject-created``: the company founded;
    - ``figure-subject-anaphor``: where the mention chosen above is an anaphor (该公司, 全市,
      区内: see :func:`anaphor_mentions`), what it stands for;
    - ``figure-subject-frame``: else the place of a clause before that only sets the scene
      (在石峰区田心街道，…350余家配套企业集聚);
    - ``figure-subject-previous``: else, when the sentence names nothing it could be about
      before the figure, what the sentence before opened with (``previous``: 直溪镇将…。
      全年力争引进优质项目5个以上);
    - ``figure-subject-article``: else the place the article is about (``topic``);
    - ``figure-subject-chain``: else an industry chain in the clause. A chain is the last
      resort: in 锂电上下游企业86家 or 动力电池产能15吉瓦时 it names what is counted or made.

    A person or a policy is never a subject, nor a kind the measure cannot be about; an
    organization only of a plain count (a university's graduates), and never as the source
    of the news (记者从市工信局获悉, 据市统计局: modifiers).
    """
    allowed = SUBJECT_TYPES.get(measure)
    text = sentence.text
    at = sentence.offsets[q_begin] if q_begin < len(sentence.offsets) else sentence.end
    inside = [
        m for m in mentions if m.start <= at < m.end and m.entity_id and m.type in _COMPANY_KINDS
    ]
    inside = [m for m in inside if _owner_named(text, by_offset_index(sentence), m, q_begin)]
    if inside:  # 比亚迪株洲基地年产10GWh动力电池项目: the figure is part of the name
        return min(inside, key=lambda m: m.start).entity_id, "figure-subject-inside"
    modified = _modified(text, q_begin, by_offset_index(sentence), mentions)
    if modified:  # 总投资50亿元的宁德时代溧阳基地项目
        return modified, "figure-subject-modified"
    start = _clause_start(text, q_begin)
    stop = q_begin
    if measure == "rank":
        cues = _words("figure_rank_cues.txt")
        found = [i for i in (text.find(c, start, q_begin) for c in cues) if i >= 0]
        stop = min(found, default=q_begin)
    by_index = {o: i for i, o in enumerate(sentence.offsets)}
    origin_clause = sentence.offsets[start] if start < len(text) else sentence.end
    origin = sentence.offsets[stop] if stop < len(text) else sentence.end

    def fits(m: Mention) -> bool:
        if measure == "count" and m.type == EntityType.ORGANIZATION:
            return bool(m.entity_id)  # 宁德师范学院…每年输送人才500余人: what a body does
        ok_type = allowed is None or m.type in allowed
        return bool(m.entity_id) and m.type not in _NO_SUBJECT and ok_type

    in_clause = [m for m in mentions if fits(m) and origin_clause <= m.start and m.end <= origin]
    if measure in _COUNTED:
        in_clause = [m for m in in_clause if not _listed(m, origin, mentions, sentence)]
    chains = [m for m in in_clause if m.type == EntityType.INDUSTRY_CHAIN]
    rest = [m for m in in_clause if m.type != EntityType.INDUSTRY_CHAIN]
    conditioned = [
        m
        for m in rest
        if m.method == ANAPHOR and m.start in by_index and _after_condition(text, by_index[m.start])
    ]
    if conditioned:  # 七期项目达产后全市…产能: the city, not the project of the condition
        return max(conditioned, key=lambda m: m.end).entity_id, "figure-subject-anaphor"
    if measure in _COMPANY_MEASURES:
        rest = [m for m in rest if m.type in _COMPANY_KINDS] or rest
    rest = [m for m in rest if not _locative(text, by_index.get(m.start))] or rest
    if rest:
        nearest = max(rest, key=lambda m: (m.end, -m.start))
        how = "figure-subject-anaphor" if nearest.method == ANAPHOR else "figure-subject-clause"
        return nearest.entity_id, how
    earlier = [
        (by_index[m.start], m)
        for m in mentions
        if m.end <= origin_clause
        and m.start in by_index
        and fits(m)
        and m.type != EntityType.INDUSTRY_CHAIN
        and not (measure in _COUNTED and _listed(m, origin, mentions, sentence))
        and not _adverbial(text, by_index[m.start])
        and not _enumerated(text, by_index, m)
    ]
    if earlier:
        last_clause = max(_clause_start(text, i) for i, _ in earlier)
        here = [(i, m) for i, m in earlier if _clause_start(text, i) == last_clause]
        # A与B共建的C: A and B modify C
        here = [(i, m) for i, m in here if not _modifies(text, i, here)] or here
        made = _created_after(text, last_clause)
        founded = [(i, m) for i, m in here if made is not None and i >= made]
        if founded:  # A与B合资成立C，…: C
            return min(founded, key=lambda im: (im[0], im[1].start))[1].entity_id, (
                "figure-subject-created"
            )
        chosen = min(here, key=lambda im: (im[0], im[1].start))[1]
        if chosen.method == ANAPHOR:
            return chosen.entity_id, "figure-subject-anaphor"
        return chosen.entity_id, "figure-subject-sentence"
    framed = _frame(text, start, by_index, [m for m in mentions if fits(m)])
    if framed:
        return framed, "figure-subject-frame"
    if (
        previous is not None
        and fits(previous)
        and not any(fits(m) and m.end <= origin for m in mentions)
    ):  # 直溪镇将…。全年力争引进项目5个以上: a sentence without a subject goes on
        return previous.entity_id, "figure-subject-previous"
    if topic:
        return topic, "figure-subject-article"
    if chains:
        nearest = max(chains, key=lambda m: (m.end, -m.start))
        return nearest.entity_id, "figure-subject-chain"
    return "", ""
