"""Business relation rules (graph/relations/business.py): one table per relation.

Each row is a sentence in the style of industry and financial news and the facts of one
relation it must yield: all of them and nothing else, so an empty set means the rule must
stay silent. Mentions come from a small hand-built lexicon (longest match), so the rows test
the relation rules alone, not recognition.
"""

from __future__ import annotations

import re

import pytest

from graph.records import Entity, EntityType, Mention
from graph.relations.business import BUSINESS_RULES
from graph.relations.business_cues import cues
from graph.relations.extract import extract
from graph.relations.rules import RULES
from graph.text.normalize import normalize_name, split_sentences

T = EntityType

LEXICON = [
    ("company/byd", T.COMPANY, "比亚迪"),
    ("company/catl", T.COMPANY, "宁德时代"),
    ("company/calb", T.COMPANY, "中创新航"),
    ("company/svolt", T.COMPANY, "蜂巢能源"),
    ("company/trina", T.COMPANY, "天合光能"),
    ("company/longi", T.COMPANY, "隆基绿能"),
    ("company/tongwei", T.COMPANY, "通威股份"),
    ("company/eve", T.COMPANY, "亿纬锂能"),
    ("company/gotion", T.COMPANY, "国轩高科"),
    ("company/vw", T.COMPANY, "大众汽车"),
    ("company/jac", T.COMPANY, "江淮汽车"),
    ("company/saic", T.COMPANY, "上汽集团"),
    ("company/huawei", T.COMPANY, "华为"),
    ("company/seres", T.COMPANY, "赛力斯"),
    ("company/changan", T.COMPANY, "长安汽车"),
    ("company/geely", T.COMPANY, "吉利控股"),
    ("company/volvo", T.COMPANY, "沃尔沃"),
    ("company/jv", T.COMPANY, "时代长安动力电池有限公司"),
    ("place/shenzhen", T.PLACE, "深圳"),
    ("place/changzhou", T.PLACE, "常州"),
    ("place/liyang", T.PLACE, "溧阳"),
    ("place/hefei", T.PLACE, "合肥"),
    ("place/jintan", T.PLACE, "金坛"),
    ("org/tsinghua", T.ORGANIZATION, "清华大学"),
    ("org/hefei-gov", T.ORGANIZATION, "合肥市人民政府"),
    ("platform/htz", T.PLATFORM, "溧阳高新区"),
    ("policy/frame", T.POLICY, "《战略合作框架协议》"),
    ("chain/nev", T.INDUSTRY_CHAIN, "新能源汽车"),
    ("chain/pb", T.INDUSTRY_CHAIN, "动力电池"),
    ("chain/pv", T.INDUSTRY_CHAIN, "光伏"),
    ("chain/li", T.INDUSTRY_CHAIN, "锂电"),
    ("chain/es", T.INDUSTRY_CHAIN, "储能"),
]
ENTITIES = {ident: Entity(ident, kind, name) for ident, kind, name in LEXICON}
_NAMES = sorted(
    {(form, ident) for ident, _, name in LEXICON for form in (name, normalize_name(name))},
    key=lambda item: -len(item[0]),
)


def facts(text: str, relation: str) -> set[tuple[str, str]]:
    """(head, tail) of every ``relation`` fact extracted from ``text`` as one article."""
    sentences = split_sentences("a", text)
    mentions = []
    for s in sentences:
        taken: list[tuple[int, int]] = []
        for name, ident in _NAMES:
            for m in re.finditer(re.escape(name), s.text):
                if all(m.end() <= a or m.start() >= b for a, b in taken):
                    taken.append((m.start(), m.end()))
                    start, end = s.span(m.start(), m.end())
                    kind = ENTITIES[ident].type
                    mentions.append(
                        Mention("a", s.index, start, end, m.group(), kind, ident, "test", 1.0)
                    )
    found = extract(sentences, mentions, list(ENTITIES.values()))
    return {(r.head, r.tail) for r in found if r.rel.value == relation}


def test_business_rules_are_registered_with_their_cues():
    assert all(rule in RULES for rule in BUSINESS_RULES)
    assert all(rule.__doc__ and rule.__doc__.strip() for rule in BUSINESS_RULES)
    table = cues()
    assert {"lead", "agree", "acquire", "not_done", "not_yet", "joint_found"} <= set(table)
    assert all(words for words in table.values())


# --- leadsChain ------------------------------------------------------------------------

LEADS = [
    # the leader noun before the company, with the chain right before it
    ("光伏龙头隆基绿能发布新一代组件。", {("company/longi", "chain/pv")}),
    ("动力电池链主企业宁德时代带动20余家配套企业落户溧阳。", {("company/catl", "chain/pb")}),
    ("以链主企业比亚迪为核心，常州新能源汽车产业加速成势。", {("company/byd", "chain/nev")}),
    # 作为…龙头企业，A: the leader opens the next clause
    ("作为光伏龙头企业，天合光能持续加大研发投入。", {("company/trina", "chain/pv")}),
    (
        "作为深圳新能源汽车产业的链主企业之一，比亚迪今年新增配套企业50家。",
        {("company/byd", "chain/nev")},
    ),
    # A作为…产业链链主企业 / A是…龙头 (no 企业 after it)
    (
        "宁德时代作为溧阳动力电池产业链链主企业，带动一批配套企业落户。",
        {("company/catl", "chain/pb")},
    ),
    ("隆基绿能是国内光伏龙头。", {("company/longi", "chain/pv")}),
    (
        "隆基绿能、通威股份均为全球光伏行业龙头之一。",
        {("company/longi", "chain/pv"), ("company/tongwei", "chain/pv")},
    ),
    # phrasings the core rules read stay as they were
    ("比亚迪是深圳新能源汽车产业的龙头企业。", {("company/byd", "chain/nev")}),
    (
        "金坛培育了中创新航、蜂巢能源等动力电池龙头企业。",
        {("company/calb", "chain/pb"), ("company/svolt", "chain/pb")},
    ),
    # a goal, not a fact
    ("隆基绿能有望成为全球光伏龙头。", set()),
    ("天合光能力争成为光伏行业链主企业之一。", set()),
    # another company is the leader: the one who serves it is not
    ("亿纬锂能为新能源汽车龙头提供电池。", set()),
    ("国轩高科向光伏龙头企业供货。", set()),
    # no chain anywhere in the sentence
    ("龙头企业宁德时代在溧阳持续扩产。", set()),
    # a leader of a chain, then what it does: the later chain is not what it leads
    ("龙头企业宁德时代加快布局储能。", set()),
]


@pytest.mark.parametrize(("text", "expected"), LEADS)
def test_leads_chain_phrasings(text, expected):
    assert facts(text, "leadsChain") == expected


# --- partnersWith ----------------------------------------------------------------------

BYD_CATL = {("company/byd", "company/catl")}

PARTNERS = [
    # signing, with a place or a named document in between
    ("比亚迪与宁德时代在深圳签署战略合作协议。", BYD_CATL),
    ("比亚迪与宁德时代签署了《战略合作框架协议》，双方将在储能领域开展合作。", BYD_CATL),
    ("比亚迪与宁德时代正式签约。", BYD_CATL),
    ("比亚迪、宁德时代签署战略合作框架协议。", BYD_CATL),
    ("宁德时代与长安汽车签署合作意向书。", {("company/catl", "company/changan")}),
    # cooperation with an adverb or a verb before 与
    ("比亚迪将与宁德时代深化合作。", BYD_CATL),
    ("比亚迪与宁德时代合作项目在溧阳落地。", BYD_CATL),
    ("比亚迪宣布与宁德时代达成战略合作。", BYD_CATL),
    ("国轩高科与合肥市人民政府携手共建储能产业园。", {("company/gotion", "org/hefei-gov")}),
    # the second party right after the verb
    ("华为联合赛力斯推出新车型。", {("company/huawei", "company/seres")}),
    ("国轩高科牵手大众汽车，布局动力电池回收。", {("company/gotion", "company/vw")}),
    ("国轩高科与大众汽车联姻，共同开拓动力电池市场。", {("company/gotion", "company/vw")}),
    # several parties acting as one
    ("宁德时代、长安汽车联合研发新一代电池。", {("company/catl", "company/changan")}),
    ("江淮汽车和大众汽车组成联合体中标。", {("company/jac", "company/vw")}),
    # one party with each of several: not the several with each other
    (
        "比亚迪与宁德时代、亿纬锂能分别签署供货协议。",
        {("company/byd", "company/catl"), ("company/byd", "company/eve")},
    ),
    # a three-party agreement joins everyone
    (
        "比亚迪与宁德时代、亿纬锂能签署三方合作协议。",
        {
            ("company/byd", "company/catl"),
            ("company/byd", "company/eve"),
            ("company/catl", "company/eve"),
        },
    ),
    # a joint venture: the parents are partners
    ("宁德时代与长安汽车合资成立时代长安动力电池有限公司。", {("company/catl", "company/changan")}),
    # co-hosting or attending an event is not a partnership
    ("江淮汽车与大众汽车共同主办新能源汽车论坛。", set()),
    ("江淮汽车与大众汽车在合肥共同举办签约仪式。", set()),
    ("华为联合赛力斯举办新车发布会。", set()),
    ("宁德时代、长安汽车等企业参与联合研发。", set()),
    # stopped, refused or only sought
    ("比亚迪与宁德时代终止合作。", set()),
    ("比亚迪未与宁德时代达成合作。", set()),
    ("比亚迪正与宁德时代洽谈合作。", set()),
    ("比亚迪与宁德时代的电池装车量分列前二。", set()),
    # 与 inside a word (参与) joins nobody
    ("比亚迪参与宁德时代牵头的合作项目。", set()),
    ("比亚迪、宁德时代分别签署投资协议。", set()),
    # signers of investment deals with a host place are not partners of each other
    ("比亚迪、宁德时代等企业签订投资协议。", set()),
    ("比亚迪与宁德时代等12个项目集中签约。", set()),
    ("比亚迪与宁德时代签约落户溧阳高新区。", set()),
    (
        "比亚迪、宁德时代等企业与金坛签订投资协议。",
        {("company/byd", "place/jintan"), ("company/catl", "place/jintan")},
    ),
    ("比亚迪与宁德时代等企业代表参加签约仪式。", set()),
    # an agreement not signed yet makes no partners
    ("比亚迪与宁德时代的战略合作协议尚未签署。", set()),
    ("比亚迪与宁德时代的合作协议仍未正式签署。", set()),
    ("比亚迪与宁德时代的合作协议暂未签订。", set()),
    ("比亚迪与宁德时代签署合作协议，未来将共建工厂。", {("company/byd", "company/catl")}),
    # a place that only modifies 企业/高校 is no party
    ("比亚迪在金坛建厂，并与金坛企业合作。", set()),
    ("金坛高校与比亚迪开展合作。", set()),
    ("比亚迪与宁德时代、金坛企业合作。", {("company/byd", "company/catl")}),
]


@pytest.mark.parametrize(("text", "expected"), PARTNERS)
def test_partners_with_as_news_states_it(text, expected):
    assert facts(text, "partnersWith") == expected


# --- subsidiaryOf ----------------------------------------------------------------------

SUBSIDIARIES = [
    # acquisitions of control: the acquired is the child
    ("吉利控股收购沃尔沃。", {("company/volvo", "company/geely")}),
    ("吉利控股以18亿美元完成收购沃尔沃。", {("company/volvo", "company/geely")}),
    ("沃尔沃被吉利控股正式收购。", {("company/volvo", "company/geely")}),
    ("吉利控股完成对沃尔沃的全资收购。", {("company/volvo", "company/geely")}),
    ("吉利控股收购沃尔沃100%股权。", {("company/volvo", "company/geely")}),
    ("吉利控股收购沃尔沃51%股权，取得控制权。", {("company/volvo", "company/geely")}),
    # a minority stake, a plan, or what the target holds: no subsidiary
    ("吉利控股收购沃尔沃30%股权。", set()),
    ("吉利控股持有沃尔沃30%股权。", set()),
    ("吉利控股拟收购沃尔沃。", set()),
    ("吉利控股终止收购沃尔沃。", set()),
    ("吉利控股收购沃尔沃持有的部分股权。", set()),
    ("吉利控股参股沃尔沃。", set()),
    # 旗下, 下属, 麾下, with or without a stock code and a kind of unit
    ("吉利控股旗下品牌沃尔沃销量增长。", {("company/volvo", "company/geely")}),
    ("吉利控股（00175）旗下沃尔沃发布新车。", {("company/volvo", "company/geely")}),
    ("江淮汽车下属企业沃尔沃投产。", {("company/volvo", "company/jac")}),
    (
        "通威股份（600438）全资子公司隆基绿能、天合光能投产。",
        {("company/longi", "company/tongwei"), ("company/trina", "company/tongwei")},
    ),
    # the child first
    ("沃尔沃隶属于吉利控股。", {("company/volvo", "company/geely")}),
    ("沃尔沃是吉利控股旗下的品牌。", {("company/volvo", "company/geely")}),
    ("沃尔沃的母公司吉利控股发布年报。", {("company/volvo", "company/geely")}),
    ("沃尔沃的控股股东为吉利控股。", {("company/volvo", "company/geely")}),
    # the parent first, or in a note after the child
    ("吉利控股是沃尔沃的控股股东。", {("company/volvo", "company/geely")}),
    ("吉利控股系沃尔沃母公司。", {("company/volvo", "company/geely")}),
    ("沃尔沃（吉利控股旗下公司）发布新车。", {("company/volvo", "company/geely")}),
    ("沃尔沃（吉利控股全资子公司）发布新车。", {("company/volvo", "company/geely")}),
    ("吉利控股及其子公司沃尔沃发布公告。", {("company/volvo", "company/geely")}),
    # a note that is not about holding
    ("沃尔沃（吉利控股的合作伙伴）发布新车。", set()),
    ("沃尔沃（吉利控股）发布新车。", set()),
    ("吉利控股是沃尔沃的第二大股东。", set()),
    # control
    ("吉利控股成为沃尔沃控股股东。", {("company/volvo", "company/geely")}),
    ("吉利控股入主沃尔沃。", {("company/volvo", "company/geely")}),
    ("吉利控股有望入主沃尔沃。", set()),
    ("上汽集团控股的江淮汽车发布新车。", {("company/jac", "company/saic")}),
    ("上汽集团控制的江淮汽车发布新车。", {("company/jac", "company/saic")}),
    # a joint venture is a subsidiary of each parent
    (
        "宁德时代与长安汽车合资成立时代长安动力电池有限公司。",
        {("company/jv", "company/catl"), ("company/jv", "company/changan")},
    ),
    (
        "宁德时代、长安汽车共同出资设立时代长安动力电池有限公司。",
        {("company/jv", "company/catl"), ("company/jv", "company/changan")},
    ),
    (
        "时代长安动力电池有限公司由宁德时代与长安汽车合资成立。",
        {("company/jv", "company/catl"), ("company/jv", "company/changan")},
    ),
    (
        "宁德时代与长安汽车成立合资公司时代长安动力电池有限公司。",
        {("company/jv", "company/catl"), ("company/jv", "company/changan")},
    ),
    # one founder is not a joint venture; a plan to found one is not one
    ("宁德时代出资设立时代长安动力电池有限公司。", set()),
    ("宁德时代与长安汽车拟合资成立时代长安动力电池有限公司。", set()),
    # a negation before the cue denies the tie; 不仅 does not
    ("沃尔沃不隶属吉利控股。", set()),
    ("沃尔沃并不属于吉利控股旗下。", set()),
    ("沃尔沃已不再隶属于吉利控股。", set()),
    ("吉利控股并不是沃尔沃的控股股东。", set()),
    ("沃尔沃不仅隶属于吉利控股，还共享其渠道。", {("company/volvo", "company/geely")}),
    # partners and customers are not parents
    ("沃尔沃是吉利控股的重要客户。", set()),
    ("吉利控股与沃尔沃签署战略合作协议。", set()),
]


@pytest.mark.parametrize(("text", "expected"), SUBSIDIARIES)
def test_subsidiary_of_as_news_states_it(text, expected):
    assert facts(text, "subsidiaryOf") == expected


# --- direction: the child is always the one held, whichever company comes first ---------

# (template with {p} for the parent and {c} for the child)
DIRECTED = [
    "{p}收购{c}。",
    "{c}被{p}收购。",
    "{p}完成对{c}的收购。",
    "{p}旗下{c}发布新品。",
    "{c}隶属于{p}。",
    "{c}的母公司{p}发布公告。",
    "{p}控股的{c}发布新品。",
    "{p}全资子公司{c}投产。",
    "{p}成为{c}控股股东。",
    "{p}是{c}的控股股东。",
    "{c}（{p}旗下公司）发布新品。",
]
PAIRS = [
    ("吉利控股", "沃尔沃"),
    ("沃尔沃", "吉利控股"),
    ("上汽集团", "江淮汽车"),
    ("通威股份", "隆基绿能"),
]
IDS = {name: ident for ident, _, name in LEXICON}


@pytest.mark.parametrize("template", DIRECTED)
@pytest.mark.parametrize(("parent", "child"), PAIRS)
def test_subsidiary_direction(template, parent, child):
    found = facts(template.format(p=parent, c=child), "subsidiaryOf")
    assert found == {(IDS[child], IDS[parent])}
