"""partnersWith and builtBy rules: the parties of an agreement and what they build."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import combinations

from graph.records import EntityType, RelationType
from graph.relations import patterns as P
from graph.relations.business_cues import (
    apart,
    named_parties,
    object_of_with,
    planned,
    undone,
    unsigned_after,
)
from graph.relations.located import _BARE_LEAD, _OTHER_UNIT
from graph.relations.view import Fact, View, _facts

R = RelationType

# --- partnersWith, builtBy ------------------------------------------------------------

_AGREEMENT = re.compile(
    f"(?P<a>{P.ENUM_PARTY}){P.gap(16)}{P.AGREEMENT_CUES}{P.gap(10)}{P.AGREEMENT_OBJECTS}"
)
_COOPERATE = re.compile(
    f"(?P<a>{P.ENUM_PARTY})(?:与|和|同){P.gap(14)}(?P<b>{P.ENUM_PARTY}){P.gap(6)}{P.COOPERATE_CUES}"
)
# The with-word inside an enumeration of parties, and the count that makes all of them one
# agreement (A与B、C三方签署…).
_WITH_SIDE = re.compile("与|和|同|跟")
_ALL_SIDES = re.compile("[三四五六七八多]方")
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
# 由A牵头，B、C等企业共同建设X; 由A牵头、B参与建设的X: A leads, all build X.
_LED_THEN_BUILD = re.compile(
    f"由(?P<a>{P.ENUM_PARTY})(?:牵头|主导|领衔)[，,、](?P<b>{P.ENUM_PARTY}){P.gap(8)}(?:共同|联合|参与)"
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
                side = _WITH_SIDE.search(m.group("a"))
                if side and not _ALL_SIDES.search(clause):
                    # A与B、C签署协议: A signs with B and with C, not B with C.
                    first = view.ids(m.group("a")[: side.start()], P.PARTY)
                    second = view.ids(m.group("a")[side.end() :], P.PARTY)
                    yield from _across(first, second, "agreement", 0.95)
                else:
                    yield from _pairs(parties, "agreement", 0.95)
        for pattern, method in ((_COOPERATE, "cooperate"), (_HAND_IN_HAND, "hand-in-hand")):
            for m in pattern.finditer(clause):
                if planned(clause[m.end("a") : m.end()]):
                    continue  # A与B拟共建: a plan
                if undone(m.group()) or unsigned_after(clause, m.end()):
                    continue  # A与B终止合作, A未与B达成合作, A与B的合作协议尚未签署
                a = named_parties(view, m.group("a"), clause, m.end("a"))
                b = named_parties(view, m.group("b"), clause, m.end("b"))
                if _ALL_SIDES.search(clause) and not P.CO_HOSTING.match(clause, m.end()):
                    yield from _pairs(a + b, method, 0.9)  # A与B、C三方合作: all of them
                elif not P.CO_HOSTING.match(clause, m.end()):
                    # A与B、C合作: A with each; B and C, one side, are not partners of each other
                    yield from _pairs(a, method, 0.9)
                    yield from _across(a, b, method, 0.9)
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
            last = "b" if "b" in m.groupdict() and m.group("b") else "a"
            if planned(view.template[m.end(last) : m.start("t")]):
                continue  # A与B拟共建X: a plan, not a build
            parties = view.ids(m.group("a"), P.PARTY)
            if "b" in m.groupdict() and m.group("b"):
                parties += view.ids(m.group("b"), P.PARTY)
            target = view.ids(m.group("t"), P.BUILT)
            yield from _facts(target[:1], R.BUILT_BY, parties, method, 0.9)
            yield from _pairs([p for p in parties if p not in target], method, 0.9)
