"""Business relations as news states them: leaders, partners, subsidiaries, joint ventures.

Rules in the style of :mod:`graph.relations.rules` (one function per construction over the
sentence template, each yielding facts that name the construction as their method), for
phrasings the core rules do not read:

- leadsChain with the leader noun before the company (龙头企业宁德时代, 作为光伏龙头企业，A),
  after an industry chain (A作为动力电池产业链链主企业, A是锂电龙头);
- partnersWith between the parties of a signing or a cooperation with words in between
  (A与B在深圳签署《战略合作框架协议》, A将与B深化合作, A与B签约, A牵手B), never for
  co-hosting or attending an event, nor when the clause says it stopped or is only sought;
- a joint venture (A与B合资成立C, A、B共同出资设立C): C is a subsidiary of each parent and
  the parents are partners;
- subsidiaryOf, child -> parent: A收购B / B被A收购 (not a plan, not a minority stake),
  A旗下/下属…B, B隶属于A, B的母公司A, A控股的B (not when a negation before the cue denies it:
  B不隶属于A, A并不是B的控股股东).

Cue words live in ``graph/data/business_cues.tsv``. The facts flow through the same
merging and type signatures as every other rule (a place never becomes a subsidiary).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from graph.records import RelationType
from graph.relations import patterns as P
from graph.relations.business_cues import (
    _CODE,
    _LISTED,
    _OPEN,
    _SETTLING,
    _alt,
    _aspire,
    _cross,
    _each,
    _event,
    _not_done,
    _own_subject,
    _pairs,
    _several,
    _span,
    apart,
    named_parties,
    object_of_with,
    serves_other,
    unsigned_after,
)
from graph.relations.leads import _chain_for
from graph.relations.located import _finest
from graph.relations.view import _SUBJECT, Fact, View

R = RelationType

# --- leadsChain ---------------------------------------------------------------------


@cache
def _leader_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lead, kind, tail = _alt("lead"), _alt("leader_kind"), _alt("chain_tail")
    chain = f"(?:(?P<c>{P.CHAIN}){tail}?的?)"
    noun = f"{lead}型?{kind}?"
    # 龙头企业宁德时代, 光伏龙头隆基绿能, 以链主企业比亚迪为核心: the noun right before the names.
    before = re.compile(f"{chain}?{P.QUOTE}{noun}{P.QUOTE}(?P<h>{P.ENUM_COMPANY})")
    # 作为光伏龙头企业，天合光能…: the leaders open the next clause.
    as_leader = re.compile(
        f"作为{_span(8)}{P.PLACE}?{chain}?{_span(4)}{noun}(?:之一)?[，,]{P.QUOTE}(?P<h>{P.ENUM_COMPANY})"
    )
    # A作为动力电池产业链链主企业, A是锂电龙头: a chain tied to the noun after the names.
    after = re.compile(
        f"(?P<h>{P.ENUM_COMPANY})(?P<g>{_span(16)}){P.PLACE}?{chain}{P.QUOTE}{noun}"
        f"{P.QUOTE}(?=之一|[{P.CLAUSE_END}]|$)"
    )
    return before, as_leader, after


def leader_named(view: View) -> Iterator[Fact]:
    """leadsChain: 龙头企业A / 作为X龙头企业，A / A是X产业链链主, with the chain the sentence names."""

    before, as_leader, after = _leader_patterns()
    aspire = _aspire()
    for pattern, method in (
        (before, "leader-before"),
        (as_leader, "leader-as"),
        (after, "leader-after"),
    ):
        for m in pattern.finditer(view.template):
            gap = m.groupdict().get("g") or ""
            if serves_other(gap) or aspire.search(view.template, m.start(), m.end()):
                continue
            if m.group("c"):
                chain = view.ids(m.group("c"), P.CHAIN)[0]
            else:
                chain = _chain_for(view, m.start("h"), m.end())
            if chain:
                yield from _each(
                    view.ids(m.group("h"), P.COMPANY), R.LEADS_CHAIN, [chain], method, 0.9
                )


# --- partnersWith -------------------------------------------------------------------


@cache
def _partner_patterns() -> dict[str, re.Pattern[str]]:
    agree = f"{_alt('agree')}(?:了)?(?:{_span(12, _OPEN)}{_alt('agree_object')}|{P.QUOTE}{P.POLICY})|签约"
    verb = f"(?:{agree}|{_alt('cooperate')})"
    party = P.ENUM_PARTY
    return {
        # A与B签署…协议 / A将与B深化合作 / A在深圳与B签约.
        "with": re.compile(
            f"(?P<a>{party})(?P<g1>{_span(12, _OPEN)})(?<![参共协合相不如陪]){_alt('with')}"
            f"{P.QUOTE}(?P<b>{party})"
            f"(?P<g2>{_span(20, _OPEN)})(?P<v>{verb})"
        ),
        # A、B签署战略合作协议 / A和B达成合作: the parties named together before the verb.
        "together": re.compile(f"(?P<a>{party})(?P<g2>{_span(12, _OPEN)})(?P<v>{agree})"),
        # A、B联合研发…, A和B合作开发…, A、B组成联合体: several parties acting as one.
        "jointly": re.compile(
            f"(?P<a>{party})(?P<g2>{_span(6)})(?:(?:联合|共同|携手|联手|合作)(?P<v>{_alt('joint_act')})"
            f"|组成联合体|(?:组成|以)?联合体(?:形式)?(?:中标|投标))"
        ),
        # A牵手B / A联合B推出…: the second party right after the verb.
        "ally": re.compile(
            f"(?P<a>{party})(?P<g1>{_span(6)})(?P<v>{_alt('ally')}){P.QUOTE}(?P<b>{party})"
            f"(?P<rest>[^{P.CLAUSE_END}]*)"
        ),
        # A与B合资成立C, A、B共同出资设立C, 由A与B合资成立的C.
        "venture": re.compile(
            f"(?P<a>{party})(?:{_alt('with')}(?P<b>{party}))?(?P<g2>{_span(10)})"
            f"{_alt('joint_found')}(?:了)?(?:一家|新公司|合资公司|合资企业)?(?:[，,]?名为)?"
            f"的?{P.QUOTE}(?P<t>{P.COMPANY})"
        ),
        # A与B成立合资公司C.
        "venture-named": re.compile(
            f"(?P<a>{party})(?:{_alt('with')}(?P<b>{party}))?(?P<g2>{_span(10)})"
            f"(?:成立|设立|组建|新设|创办)(?:了)?(?:一家)?合资(?:公司|企业)(?:[，,]?名为)?"
            f"{P.QUOTE}(?P<t>{P.COMPANY})"
        ),
        # C由A与B合资成立.
        "venture-after": re.compile(
            f"(?P<t>{P.COMPANY}){P.QUOTE}(?:是|系|为)?由(?P<a>{party})(?:{_alt('with')}(?P<b>{party}))?"
            f"(?P<g2>{_span(10)}){_alt('joint_found')}"
        ),
    }


def partners_stated(view: View) -> Iterator[Fact]:
    """partnersWith between the parties of a signing or cooperation, and joint-venture parents."""
    patterns = _partner_patterns()
    not_done, event, not_yet = _not_done(), _event(), _not_yet()
    for _, clause, own in view.effective_clauses():
        inherited = len(clause) - len(own)
        for m in patterns["with"].finditer(clause):
            between = (m.group("g1") or "") + m.group("g2")
            if not_done.search(between) or event.search(between + m.group("v")):
                continue
            if _plan().search(between) or (_future_signing(between, m.group("v"))):
                continue  # A拟与B签署协议, A与B拟共建, A将与B签署: not signed yet
            if m.end("a") <= inherited and _own_subject().search(m.group("g1") or ""):
                continue  # X表示，研究院将与B共建…: the clause has a subject of its own
            if unsigned_after(clause, m.end()):
                continue  # A与B的合作协议尚未签署: not signed yet
            if P.CO_HOSTING.match(clause, m.end()):
                continue  # A与B携手举办…论坛: co-hosts of one event, not partners
            settling = "签" in m.group("v") and _SETTLING.match(clause, m.end())
            if _LISTED.search(m.group("g2")) or settling:
                continue  # A与B等企业签约落户: each signs with the place, not with the other
            first = named_parties(view, m.group("a"), clause, m.end("a"))
            second = named_parties(view, m.group("b"), clause, m.end("b"))
            if _several(clause):
                yield from _pairs(first + second, "partner-with", 0.95)
            else:
                # A与B、C分别签约: A with each, not B with C.
                yield from _cross(first, second, "partner-with", 0.95)
        for m in patterns["together"].finditer(clause):
            parties = view.ids(m.group("a"), P.PARTY)
            gap = m.group("g2")
            # A、B分别签署协议, A、B等项目集中签约: each with someone else.
            if len(parties) < 2 or not_done.search(gap) or event.search(gap) or apart(gap):
                continue
            if object_of_with(clause, m.start("a")):
                continue  # 开发区与B、C签订协议: each signs with the unnamed first party
            if _SETTLING.match(clause, m.end()):
                continue
            side = _WITH_SIDE.search(m.group("a"))
            if side and not _ALL_SIDES.search(clause):
                # A与B、C签署协议: A signs with B and with C, not B with C.
                first = view.ids(m.group("a")[: side.start()], P.PARTY)
                second = view.ids(m.group("a")[side.end() :], P.PARTY)
                yield from _cross(first, second, "partner-sign", 0.95)
            else:
                yield from _pairs(parties, "partner-sign", 0.95)
        for m in patterns["jointly"].finditer(clause):
            parties = view.ids(m.group("a"), P.PARTY)
            gap = m.group("g2")
            if object_of_with(clause, m.start("a")):
                continue  # 我们与B、C合作组建: each partners the unnamed subject, not each other
            if len(parties) >= 2 and not (not_done.search(gap) or apart(gap)):
                yield from _pairs(parties, "partner-jointly", 0.85)
        for m in patterns["ally"].finditer(clause):
            if not_done.search(m.group("g1")) or event.search(m.group("rest")):
                continue
            first = named_parties(view, m.group("a"), clause, m.end("a"))
            second = named_parties(view, m.group("b"), clause, m.end("b"))
            yield from _cross(first, second, "partner-ally", 0.85)
        for name in ("venture", "venture-named", "venture-after"):
            for m in patterns[name].finditer(clause):
                if not_yet.search(m.group("g2")):
                    continue  # 拟合资成立: a plan, not a company yet
                parents = view.ids(m.group("a"), P.PARTY)
                if m.group("b"):
                    parents += view.ids(m.group("b"), P.PARTY)
                child = view.ids(m.group("t"), P.COMPANY)
                parents = [p for p in parents if p not in child]
                if len(parents) < 2:
                    continue  # one founder: a subsidiary, said by other rules when at all
                # A与柳州市投资控股集团合资: 柳州市 opens the other parent's name, it is no parent.
                named = named_parties(view, m.group("a"), clause, m.end("a"))
                if m.group("b"):
                    named += named_parties(view, m.group("b"), clause, m.end("b"))
                parents = [p for p in parents if p in named]
                yield from _pairs(parents, "joint-venture", 0.95)
                yield from _each(child, R.SUBSIDIARY_OF, parents, "joint-venture", 0.9)


# --- builtBy: what the parties of an agreement build together -----------------------


@cache
def _agreed_build_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    party = P.ENUM_PARTY
    # A与B签署战略合作协议 / A与B、C三方签约 / A并与B合作: the parties, then the act.
    parties = re.compile(
        f"(?P<a>{party})(?:(?P<g1>{_span(8)}){_alt('with')}{P.QUOTE}(?P<b>{party}))?"
        f"(?P<g2>{_span(14, _OPEN)})(?P<v>{_alt('agree')}|{_alt('cooperate')})"
    )
    build = f"{_alt('joint_build')}(?:了)?{P.QUOTE}(?P<t>{P.BUILT})"
    # …合作共建X, …签约共建X: the build in the same clause, right after the act.
    same = re.compile(f"{_span(10, _OPEN)}{build}")  # matched at the end of the act
    # …签署协议，双方将共建X / 共同建设X: the build opens a later clause of the sentence.
    later = re.compile(f"^{_alt('both_sides')}?{_span(14)}{build}")
    return parties, same, later


def agreed_build(view: View) -> Iterator[Fact]:
    """builtBy: the parties of an agreement or cooperation build what they build together.

    A与B签署战略合作协议，双方将共建X; A与B签署合作协议，共同建设X; A与B、C三方签约，合作组建X;
    A…，并与B合作共建X (A the clause's inherited subject): X is built by every party. Not when
    the agreement did not happen or is only sought (not_done), nor a build that is only planned
    (拟共建), nor across a clause with a subject of its own.
    """

    parties_re, same, later = _agreed_build_patterns()
    not_done, not_yet = _not_done(), _plan()
    clauses = list(view.effective_clauses())
    for i, clause, _own in clauses:
        for m in parties_re.finditer(clause):
            between = (m.group("g1") or "") + m.group("g2")
            if not_done.search(between) or _event().search(between + m.group("v")):
                continue
            parties = named_parties(view, m.group("a"), clause, m.end("a"))
            if m.group("b"):
                parties += named_parties(view, m.group("b"), clause, m.end("b"))
            if len(set(parties)) < 2:
                continue
            found = [same.match(clause, m.end())]
            for _j, _clause, own in clauses[i + 1 : i + 3]:
                if _SUBJECT.match(own):
                    break  # a clause with a subject of its own is about someone else
                found.append(later.match(own))
            for b in found:
                if b is None or not_yet.search(b.group()):
                    continue
                targets = [t for t in view.ids(b.group("t"), P.BUILT) if t not in parties]
                yield from _each(
                    targets[:1], R.BUILT_BY, list(dict.fromkeys(parties)), "agreed-build", 0.85
                )


# The with-word inside an enumeration of parties, and the count that makes all of them one
# agreement (A与B、C三方签署…).
_WITH_SIDE = re.compile("与|和|同|跟")
_ALL_SIDES = re.compile("[三四五六七八多]方")


def _future_signing(between: str, verb: str) -> bool:
    """A将与B签署…协议: a signing still to come (A将与B深化合作 is a partnership going on)."""
    return "将" in between and "签" in verb


@cache
def _plan() -> re.Pattern[str]:
    """Words that make a build a plan: 拟共建, 计划共同建设."""
    return re.compile(_alt("plan"))


# --- subsidiaryOf -------------------------------------------------------------------


@cache
def _subsidiary_patterns() -> dict[str, re.Pattern[str]]:
    company, children = P.COMPANY, P.ENUM_COMPANY
    acquire = _alt("acquire")
    unit = _alt("held_unit")
    return {
        # A收购B, A完成对B的收购, B被A收购.
        "acquire": re.compile(
            f"(?P<p>{company}){P.QUOTE}{_CODE}(?P<g>{_span(8)}){acquire}(?:了)?{P.QUOTE}(?P<c>{children})"
            f"(?P<rest>[^{P.CLAUSE_END}]{{0,16}})"
        ),
        "acquire-of": re.compile(
            f"(?P<p>{company}){P.QUOTE}{_CODE}(?P<g>{_span(8)})对{P.QUOTE}(?P<c>{company}){P.QUOTE}"
            f"的?(?P<rest>全资|全部|全面|控股)?{acquire}"
        ),
        "acquired": re.compile(
            f"(?P<c>{children}){P.QUOTE}(?P<g>{_span(6)})被{P.QUOTE}(?P<p>{company}){P.QUOTE}"
            f"(?P<rest>{_span(4)}){acquire}"
        ),
        # A旗下B、C, A下属企业B, A旗下品牌B.
        "held": re.compile(
            f"(?P<p>{company}){P.QUOTE}{_CODE}的?(?:旗下|下属|所属|麾下)(?:的)?(?:{unit})?(?:的)?"
            f"{P.QUOTE}(?P<c>{children})"
        ),
        # A（300750）全资子公司B、C: the parent with its code, several children.
        "subsidiary-noun": re.compile(
            f"(?P<p>{company}){P.QUOTE}{_CODE}(?:的|及其|和其|与其)?(?:全资|控股|独资)?(?:子公司|孙公司)"
            f"(?:[，,]?(?:即|为))?{P.QUOTE}(?P<c>{children})"
        ),
        # B是A旗下的(企业), B系A下属公司.
        "held-is": re.compile(
            f"(?P<c>{company}){P.QUOTE}(?P<g>{_span(4)})(?:是|为|系|属于|归属){P.QUOTE}(?P<p>{company})"
            f"{P.QUOTE}的?(?:旗下|下属)"
        ),
        # B隶属于A.
        "belong": re.compile(
            f"(?P<c>{children}){P.QUOTE}(?P<g>{_span(4)}){_alt('belong')}{P.QUOTE}(?P<p>{company})"
        ),
        # A成为B控股股东, A入主B.
        "gain-control": re.compile(
            f"(?P<p>{company}){P.QUOTE}{_CODE}(?P<g>{_span(8)})(?:成为{P.QUOTE}(?P<c>{company}){P.QUOTE}"
            f"的?(?:控股股东|实际控制人|母公司)|入主{P.QUOTE}(?P<c2>{company}))"
        ),
        # B的母公司A, B的控股股东为A.
        "parent": re.compile(
            f"(?P<c>{company}){P.QUOTE}{_CODE}的?{_alt('parent_noun')}(?:为|是|系)?{P.QUOTE}(?P<p>{company})"
        ),
        # A是B的控股股东, A系B母公司: the parent first.
        "parent-is": re.compile(
            f"(?P<p>{company}){P.QUOTE}{_CODE}(?P<g>{_span(4)})(?:是|为|系){P.QUOTE}(?P<c>{company})"
            f"{P.QUOTE}的?{_alt('parent_noun')}"
        ),
        # B（A旗下公司）, B（A全资子公司）: a note after the child names its parent.
        "held-note": re.compile(
            f"(?P<c>{company}){P.QUOTE}[（(]{P.QUOTE}(?P<p>{company}){P.QUOTE}的?"
            f"(?:(?:旗下|下属|所属)(?:{_alt('held_unit')})?|(?:全资|控股)?(?:子公司|孙公司))[）)]"
        ),
        # A控股的B, 由A控股的B, A全资控股B.
        "controlled": re.compile(
            f"(?P<p>{company}){P.QUOTE}{_CODE}(?:全资|绝对|间接|直接)?(?:控股的?|控制的)"
            f"{P.QUOTE}(?P<c>{children})"
            f"(?![0-9<＜])"
        ),
    }


# After the acquired: a stake that is not control (收购B 30%股权, 收购B持有的…, 收购B旗下…).
_STAKE = re.compile(r"^(?:的|持有的|所持)?[^，,。；;]{0,10}?(?:股权|股份|资产|业务)")
# Text is normalized before the rules run: digits are ASCII (graph.normalize.unify_chars).
_WHOLE = re.compile(r"全部|全资|100\s*[%％]|百分之百|控股权|控制权")
_SHARE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*[%％]")
_NOT_THE_COMPANY = re.compile("^(?:持有的|所持|旗下|下属|的子公司|部分)")


def _takes_control(rest: str) -> bool:
    """Does what follows ``A收购B`` leave B controlled by A (no stake named, all, or a majority)?"""
    if _NOT_THE_COMPANY.match(rest):
        return False
    stake = _STAKE.match(rest)
    if not stake:
        return True
    if _WHOLE.search(stake.group()):
        return True
    share = _SHARE.search(stake.group())
    return bool(share) and float(share.group(1)) > 50


@cache
def _not_yet() -> re.Pattern[str]:
    return re.compile(_alt("not_yet"))


@cache
def _negation() -> re.Pattern[str]:
    return re.compile(_alt("negation"))


@cache
def _affirm() -> re.Pattern[str]:
    return re.compile(_alt("affirm"))


def denied(gap: str) -> bool:
    """Does the text before a cue deny it (B不隶属于A, B并非A旗下, A不是B的控股股东)?"""
    return bool(_negation().search(_affirm().sub("", gap)))


def subsidiary_stated(view: View) -> Iterator[Fact]:
    """subsidiaryOf child -> parent: acquisitions of control, 旗下/下属, 隶属于, 母公司, 控股的."""
    patterns = _subsidiary_patterns()
    not_yet = _not_yet()
    for _, clause, _own in view.effective_clauses():
        for m in patterns["gain-control"].finditer(clause):
            if not not_yet.search(m.group("g")):
                yield from _each(
                    view.ids(m.group("c") or m.group("c2"), P.COMPANY),
                    R.SUBSIDIARY_OF,
                    view.ids(m.group("p"), P.COMPANY),
                    "gain-control",
                    0.95,
                )
        for name in ("acquire", "acquire-of", "acquired"):
            for m in patterns[name].finditer(clause):
                if not_yet.search(m.group("g")):
                    continue
                rest = m.group("rest") or ""
                if name == "acquire" and not _takes_control(rest):
                    continue
                yield from _each(
                    view.ids(m.group("c"), P.COMPANY),
                    R.SUBSIDIARY_OF,
                    view.ids(m.group("p"), P.COMPANY),
                    "acquired",
                    0.95,
                )
        for name in (
            "held",
            "subsidiary-noun",
            "held-is",
            "belong",
            "parent",
            "parent-is",
            "held-note",
            "controlled",
        ):
            for m in patterns[name].finditer(clause):
                if denied(m.groupdict().get("g") or ""):
                    continue  # B不隶属于A, A并非B的控股股东: the tie is denied
                yield from _each(
                    view.ids(m.group("c"), P.COMPANY),
                    R.SUBSIDIARY_OF,
                    view.ids(m.group("p"), P.COMPANY),
                    name,
                    0.95,
                )


@cache
def _invested_pattern() -> re.Pattern[str]:
    # A在P投资建设的B有限公司 / A投资设立的B: a company A sets up on its own is A's subsidiary.
    return re.compile(
        f"(?<![为给替帮向与和同、及])(?P<p>{P.COMPANY}){P.QUOTE}{_CODE}(?P<g>{_span(6)})"
        f"(?:在(?P<w>{P.WHERE}))?(?P<g2>{_span(4)})(?:独资|全资)?(?:投资)?"
        f"(?:建设|设立|成立|组建|新设|兴建|创办|注册)的{P.QUOTE}(?P<c>{P.COMPANY})"
    )


def invested_unit(view: View) -> Iterator[Fact]:
    """subsidiaryOf: A在P投资建设的B公司 → B is A's subsidiary, and B is in P.

    Not when a partner is named in the gap (A与B合资成立的C is a joint venture), when A acts for
    another (为A建设的), or when the setting up is only planned (拟投资设立的).
    """

    pattern = _invested_pattern()
    not_yet = _not_yet()
    for _, clause, _own in view.effective_clauses():
        for m in pattern.finditer(clause):
            gap = m.group("g") + m.group("g2")
            if not_yet.search(gap) or re.search(f"{_alt('with')}|合资|联合|共同", gap):
                continue
            child = view.ids(m.group("c"), P.COMPANY)
            yield from _each(
                child, R.SUBSIDIARY_OF, view.ids(m.group("p"), P.COMPANY), "invested-unit", 0.85
            )
            if m.group("w"):
                places = view.ids(_finest(m.group("w")))
                yield from _each(child, R.LOCATED_IN, places, "invested-unit", 0.85)


Rule = Callable[["View"], Iterable["Fact"]]

# Registered in graph.relations.rules.RULES, after the core rules.
BUSINESS_RULES: tuple[Rule, ...] = (
    leader_named,
    partners_stated,
    agreed_build,
    subsidiary_stated,
    invested_unit,
)
