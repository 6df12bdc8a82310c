"""leadsChain rules: a company leading an industry chain, and leaders placed in a region."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.records import EntityType, RelationType
from graph.relations import patterns as P
from graph.relations.business_cues import not_a_leader
from graph.relations.located import _PLACE_OR_PLATFORM
from graph.relations.view import Fact, View, _facts

R = RelationType

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
