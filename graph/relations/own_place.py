"""Rules for the article's own place: what settles or is counted in 我区/我市."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.records import RelationType
from graph.relations import patterns as P
from graph.relations.located import _ENUM_DENG, _PLACE_OR_PLATFORM
from graph.relations.view import Fact, View, _facts

R = RelationType

# --- the article's own place ------------------------------------------------------------

# A、B等一批链主企业坚定扎根 / C、D等项目加速投产: no place named, so the article's own.
_HOME_SETTLED = re.compile(f"(?P<h>{P.ENUM_LOCATABLE}){P.gap(30)}{P.HOME_SETTLE}")
# 全区A、B等企业…, 我区重点企业A、B: an enumeration headed by the home place.
_HOME_HEADED = re.compile(
    f"^{P.QUOTE}(?P<s>{P.PLACE})(?:内|的|共有|现有|有)?(?:{P.gap(8)}(?:企业|公司|厂商))?"
    f"(?P<h>{P.ENUM_LOCATABLE})"
)
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
