"""Relation extraction: every pattern on hand-built sentences, with negative cases.

Mentions are built by hand (longest match of a small lexicon, the way an entity
stage with an alias table would find them), so these tests exercise the relation
rules alone. Several names here are not in seeds/ on purpose.
"""

from __future__ import annotations

import re

import pytest

from graph.records import Entity, EntityType, Mention, RelationType
from graph.relations.extract import extract
from graph.relations.places import home_places
from graph.text.normalize import normalize_name, split_sentences

T = EntityType
R = RelationType

# id, type, name, aliases, adcode
LEXICON = [
    ("place/320000", T.PLACE, "江苏", ("江苏省",), "320000"),
    ("place/320400", T.PLACE, "常州", ("常州市",), "320400"),
    ("place/320413", T.PLACE, "金坛", ("金坛区",), "320413"),
    ("place/320481", T.PLACE, "溧阳", ("溧阳市",), "320481"),
    ("place/320100", T.PLACE, "南京", ("南京市",), "320100"),
    ("place/320117", T.PLACE, "溧水", ("溧水区",), "320117"),
    ("place/440300", T.PLACE, "深圳", ("深圳市",), "440300"),
    ("place/310000", T.PLACE, "上海", ("上海市",), "310000"),
    ("place/southern-jiangsu", T.PLACE, "苏南", (), ""),
    ("place/810000", T.PLACE, "香港", (), "810000"),
    ("place/420000", T.PLACE, "湖北", ("湖北省",), "420000"),
    ("place/421281", T.PLACE, "赤壁", ("赤壁市",), "421281"),
    ("company/citi", T.COMPANY, "花旗集团", (), ""),
    ("person/ni", T.PERSON, "倪以理", (), ""),
    ("place/yrd", T.PLACE, "长三角", (), ""),
    ("place/440000", T.PLACE, "广东", ("广东省",), "440000"),
    ("place/440700", T.PLACE, "江门", ("江门市",), "440700"),
    ("place/430100", T.PLACE, "长沙", ("长沙市",), "430100"),
    ("place/511500", T.PLACE, "宜宾", ("宜宾市",), "511500"),
    ("place/320600", T.PLACE, "南通", ("南通市",), "320600"),
    ("place/320500", T.PLACE, "苏州", ("苏州市",), "320500"),
    ("company/catl-sichuan", T.COMPANY, "宁德时代（四川）新能源科技有限公司", (), ""),
    ("company/nio", T.COMPANY, "蔚来汽车", (), ""),
    ("company/gotion", T.COMPANY, "国轩高科", (), ""),
    ("company/vw-china", T.COMPANY, "大众中国", (), ""),
    ("company/powerchina", T.COMPANY, "中国电建", (), ""),
    ("company/ztt", T.COMPANY, "中天科技", (), ""),
    ("company/hengtong", T.COMPANY, "亨通光电", (), ""),
    ("platform/changsha-dz", T.PLATFORM, "长沙经开区", (), ""),
    ("project/byd-changsha", T.PROJECT, "比亚迪长沙基地项目", (), ""),
    ("project/storage-station", T.PROJECT, "储能电站项目", (), ""),
    ("person/gao", T.PERSON, "高纪凡", (), ""),
    ("company/catl", T.COMPANY, "宁德时代", (), ""),
    ("company/jsc", T.COMPANY, "江苏时代", (), ""),
    ("company/saic-catl", T.COMPANY, "上汽时代", (), ""),
    ("company/calb", T.COMPANY, "中创新航", ("中创新航科技股份有限公司",), ""),
    ("company/svolt", T.COMPANY, "蜂巢能源", ("蜂巢能源科技股份有限公司",), ""),
    ("company/byd", T.COMPANY, "比亚迪", (), ""),
    ("company/btr", T.COMPANY, "贝特瑞", (), ""),
    ("company/btr-js", T.COMPANY, "贝特瑞（江苏）新能源材料有限公司", (), ""),
    ("company/trina", T.COMPANY, "天合光能", (), ""),
    ("company/risen", T.COMPANY, "东方日升", (), ""),
    ("company/xingchen", T.COMPANY, "星辰储能", (), ""),
    ("company/huayuan", T.COMPANY, "华元新材", (), ""),
    ("company/cz-yuneng", T.COMPANY, "常州裕能石英科技有限公司", (), ""),
    ("company/sz-tianmai", T.COMPANY, "苏州天脉", (), ""),
    ("place/hutang", T.PLACE, "湖塘镇", (), ""),
    ("platform/es-lab", T.PLATFORM, "储能联合实验室", (), ""),
    ("platform/liyang-htz", T.PLATFORM, "溧阳高新区", (), ""),
    ("platform/lishui-dz", T.PLATFORM, "溧水经开区", (), ""),
    ("platform/jintan-dz", T.PLATFORM, "金坛经开区", (), ""),
    ("platform/hlg", T.PLATFORM, "华罗庚高新区", (), ""),
    ("platform/hlg-12", T.PLATFORM, "华罗庚高新区创智十二坊", (), ""),
    ("platform/lianghu", T.PLATFORM, "两湖创新区", ("“两湖”创新区",), ""),
    ("platform/hydrogen-bay", T.PLATFORM, "常州氢湾", (), ""),
    ("platform/yrd-physics", T.PLATFORM, "长三角物理研究中心", (), ""),
    ("platform/tmh", T.PLATFORM, "天目湖先进储能技术研究院", (), ""),
    ("platform/center", T.PLATFORM, "江苏省先进动力和储能电池技术创新中心", ("技术创新中心",), ""),
    ("platform/sino-german", T.PLATFORM, "中德（常州）创新产业园", (), ""),
    ("org/czu", T.ORGANIZATION, "常州大学", (), ""),
    ("org/nuaa", T.ORGANIZATION, "南航", (), ""),
    ("org/miit-center", T.ORGANIZATION, "工信部产业发展促进中心", (), ""),
    ("org/js-miit", T.ORGANIZATION, "江苏省工业和信息化厅", (), ""),
    ("org/cz-gov", T.ORGANIZATION, "常州市人民政府", (), ""),
    ("org/cz-committee", T.ORGANIZATION, "常州市委", (), ""),
    ("org/jt-committee", T.ORGANIZATION, "中共常州市金坛区委", (), ""),
    ("org/hurun", T.ORGANIZATION, "胡润研究院", (), ""),
    ("person/lu", T.PERSON, "陆秋明", (), ""),
    ("person/yang", T.PERSON, "杨红新", (), ""),
    ("person/wang", T.PERSON, "王小强", (), ""),
    ("person/xing", T.PERSON, "邢涛", (), ""),
    ("chain/pb", T.INDUSTRY_CHAIN, "动力电池", (), ""),
    ("chain/es", T.INDUSTRY_CHAIN, "储能", (), ""),
    ("chain/ne", T.INDUSTRY_CHAIN, "新能源", ("新能源产业",), ""),
    ("chain/ssb", T.INDUSTRY_CHAIN, "固态电池", (), ""),
    ("chain/nev", T.INDUSTRY_CHAIN, "新能源汽车", ("新能源整车",), ""),
    ("chain/semi", T.INDUSTRY_CHAIN, "半导体", (), ""),
    ("chain/ai", T.INDUSTRY_CHAIN, "人工智能", (), ""),
    ("place/340100", T.PLACE, "合肥", ("合肥市",), "340100"),
    ("place/330200", T.PLACE, "宁波", ("宁波市",), "330200"),
    ("org/hf-committee", T.ORGANIZATION, "合肥市委", (), ""),
    ("org/hf-gov", T.ORGANIZATION, "合肥市人民政府", (), ""),
    ("org/cvinfo", T.ORGANIZATION, "投中信息", (), ""),
    ("org/36kr", T.ORGANIZATION, "36氪", (), ""),
    ("platform/binhu", T.PLATFORM, "滨湖科学城", (), ""),
    ("platform/hf-bio", T.PLATFORM, "合肥合成生物研究院", (), ""),
    ("person/zhang", T.PERSON, "张明远", (), ""),
    ("company/haitian", T.COMPANY, "海天精工", (), ""),
    ("company/kede", T.COMPANY, "科德数控", (), ""),
    ("company/cathay", T.COMPANY, "凯赛生物", (), ""),
    ("company/huaheng", T.COMPANY, "华恒生物", (), ""),
    ("chain/mt", T.INDUSTRY_CHAIN, "工业母机", (), ""),
    ("chain/synbio", T.INDUSTRY_CHAIN, "合成生物", ("合成生物产业",), ""),
    ("chain/li", T.INDUSTRY_CHAIN, "锂电", ("锂离子电池", "锂电池"), ""),
    ("chain/pv", T.INDUSTRY_CHAIN, "光伏", (), ""),
    ("policy/532", T.POLICY, "“532”发展战略", ("532发展战略",), ""),
    ("policy/guide", T.POLICY, "《外籍人士服务指引》", (), ""),
    ("policy/list", T.POLICY, "《2024胡润中国新能源产业集聚度城市榜》", (), ""),
]
ENTITIES = {
    ident: Entity(ident, kind, name, aliases, (("adcode", code),) if code else ())
    for ident, kind, name, aliases, code in LEXICON
}
_NAMES = sorted(
    {
        (form, e.id)
        for e in ENTITIES.values()
        for n in (e.name, *e.aliases)
        for form in (n, normalize_name(n))
    },
    key=lambda item: -len(item[0]),
)


def recognize(sentences, confidence=None):
    """Longest-match mentions of the lexicon; ``confidence`` maps surface -> confidence."""
    mentions = []
    for s in sentences:
        taken: list[tuple[int, int]] = []
        for name, ident in _NAMES:
            for m in re.finditer(re.escape(name), s.text):
                if all(m.end() <= a or m.start() >= b for a, b in taken):
                    taken.append((m.start(), m.end()))
                    start, end = s.span(m.start(), m.end())
                    conf = (confidence or {}).get(m.group(), 1.0)
                    mentions.append(
                        Mention(
                            s.article_id,
                            s.index,
                            start,
                            end,
                            m.group(),
                            ENTITIES[ident].type,
                            ident,
                            "test",
                            conf,
                        )
                    )
    return mentions


def run(*articles: str, confidence=None, extra=()):
    """Extract relations from articles given as text (ids a0, a1, ...)."""
    sentences, mentions = [], []
    for i, text in enumerate(articles):
        found = split_sentences(f"a{i}", text)
        sentences += found
        mentions += recognize(found, confidence)
    mentions += list(extra)
    # As resolution delivers them: every entity of the table, mentioned here or not.
    return extract(sentences, mentions, list(ENTITIES.values()))


def triples(*articles: str, **kwargs) -> set[tuple[str, str, str]]:
    return {(r.head, r.rel.value, r.tail) for r in run(*articles, **kwargs)}


BYLINE = "在新能源赛道上加速前行\n陆秋明\n中共常州市金坛区委\n"


# --- locatedIn --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 总部位于 with 我区 resolved through the byline
        (
            BYLINE + "总部位于我区的中创新航、蜂巢能源分列全国第3和第7。",
            {("company/calb", "place/320413"), ("company/svolt", "place/320413")},
        ),
        ("星辰储能总部位于南京。", {("company/xingchen", "place/320100")}),
        # 落户 after an enumeration with a counted noun and an industry in between
        (
            "比亚迪、华元新材两家新能源汽车企业接连落户常州。",
            {("company/byd", "place/320400"), ("company/huayuan", "place/320400")},
        ),
        # 在…建厂 after 等…企业都
        (
            "贝特瑞、华元新材等新能源汽车关键零部件知名企业都在常州建厂。",
            {("company/btr", "place/320400"), ("company/huayuan", "place/320400")},
        ),
        (
            "作为宁德时代全资子公司，江苏时代在溧阳投资建设的四期项目达产。",
            {("company/jsc", "place/320481")},
        ),
        # 位于 with two places, 地处…的
        (
            "金坛区位于常州西部、长三角地理中心。",
            {("place/320413", "place/320400"), ("place/320413", "place/yrd")},
        ),
        ("地处苏南的溧阳一直以生态环境优美闻名。", {("place/320481", "place/southern-jiangsu")}),
        # a shared subject across clauses
        (
            "中创新航是第一家入驻金坛的企业，也是第一家入驻常州的企业。",
            {("company/calb", "place/320413"), ("company/calb", "place/320400")},
        ),
        # a place that gathers companies, and 在此 = the place the sentence opens with
        (
            "常州已拥有三大园区，汇聚比亚迪、星辰储能和华元新材等重点企业72家。",
            {("company/xingchen", "place/320400"), ("company/huayuan", "place/320400")},
        ),
        (
            "常州不仅孕育了中创新航等本土企业，还吸引了宁德时代、比亚迪等企业在此建立制造中心。",
            {
                ("company/calb", "place/320400"),
                ("company/catl", "place/320400"),
                ("company/byd", "place/320400"),
            },
        ),
        # platforms of the place that opens a 以…为… sentence; platforms the place builds
        (
            "金坛以中创新航为龙头，金坛经开区、华罗庚高新区两大省级平台为阵地。",
            {("platform/hlg", "place/320413"), ("platform/jintan-dz", "place/320413")},
        ),
        ("常州在两湖创新区建设常州氢湾。", {("platform/hydrogen-bay", "place/320400")}),
        ("活动在溧阳长三角物理研究中心举行。", {("platform/yrd-physics", "place/320481")}),
    ],
)
def test_relations_located_in(text, expected):
    found = {(h, t) for h, rel, t in triples(text) if rel == "locatedIn"}
    assert expected <= found


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # the finest place of a row is where the company is; the larger through the codes
        (
            "星辰储能总部位于常州市金坛区，是行业领先企业。",
            {("company/xingchen", "place/320413"), ("place/320413", "place/320400")},
            {("company/xingchen", "place/320400")},
        ),
        # 虽 does not undo a location
        (
            "国轩高科总部虽在合肥，但与常州企业合作紧密。",
            {("company/gotion", "place/340100")},
            {("company/gotion", "place/320400")},
        ),
        (
            "天目湖先进储能技术研究院虽位于溧阳，但服务全省。",
            {("platform/tmh", "place/320481")},
            set(),
        ),
        # a project planted in a place, by the company that plants it
        (
            "其中，星辰储能在南通投资建设储能电站项目，今年投产。",
            {("project/storage-station", "place/320600"), ("company/xingchen", "place/320600")},
            set(),
        ),
    ],
)
def test_relations_located_in_finest_and_concessive(text, expected, absent):
    found = {(h, t) for h, rel, t in triples(text) if rel == "locatedIn"}
    assert expected <= found
    assert not absent & found


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a town without a code, named after its district: in that district
        (
            "总部位于金坛区湖塘镇的华元新材产销两旺。",
            {("place/hutang", "place/320413"), ("company/huayuan", "place/hutang")},
            set(),
        ),
        # places merely listed are not in each other
        ("金坛区、湖塘镇的企业纷纷参展。", set(), {("place/hutang", "place/320413")}),
        # money put into a place over the years
        ("江苏时代在溧阳累计投资已超过300亿元。", {("company/jsc", "place/320481")}, set()),
        ("江苏时代累计投资溧阳企业超过30家。", set(), {("company/jsc", "place/320481")}),
    ],
)
def test_relations_located_in_row_and_investment(text, expected, absent):
    found = {(h, t) for h, rel, t in triples(text) if rel == "locatedIn"}
    assert expected <= found
    assert not absent & found


@pytest.mark.parametrize(
    ("text", "built"),
    [
        ("星辰储能在南通投资建设储能电站项目。", True),
        ("星辰储能的全资子公司在南通投资建设储能电站项目。", False),
        ("南通为星辰储能投资建设储能电站项目提供支持。", False),
    ],
)
def test_relations_project_planted_is_built_by_the_company(text, built):
    found = ("project/storage-station", "builtBy", "company/xingchen") in triples(text)
    assert found is built


@pytest.mark.parametrize(
    ("text", "paired"),
    [
        ("总部位于南京的星辰储能，与华元新材携手打造储能示范基地。", True),
        ("总部位于南京的星辰储能股份有限公司，与华元新材合作开发新品。", True),
        # the first clause is not about a party
        ("总部位于南京的研发团队，与华元新材携手打造储能示范基地。", False),
    ],
)
def test_relations_partner_of_the_party_the_sentence_opens_with(text, paired):
    found = ("company/huayuan", "partnersWith", "company/xingchen") in triples(text)
    assert found is paired


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        # mentioned near a place is not located there
        ("比亚迪、宁德时代等企业亮相深圳车展，常州企业表现亮眼。", "place/440300"),
        ("在榜单中，深圳、上海、常州位列前三，中创新航排名第三。", "place/440300"),
        ("中创新航与比亚迪在深圳召开发布会。", "place/440300"),
        # a partner of the place is not gathered there
        ("南京拥有与宁德时代合作的机会。", "place/320100"),
        # abroad is nowhere in particular
        ("中创新航、蜂巢能源等已在海外投资建厂。", "place/320400"),
        # 溧水 is not 溧阳
        ("溧水经开区引进多个项目，贝特瑞将在溧水投资建设新项目。", "place/320481"),
        # a text that contradicts the administrative codes is not believed
        ("溧阳位于南京北部。", "place/320100"),
        # a place opening a longer name is not what 位于 places
        ("长三角新城聆湖苑位于南京。", "place/320100"),
    ],
)
def test_relations_located_in_negative(text, forbidden):
    assert not [t for t in triples(text) if t[1] == "locatedIn" and t[2] == forbidden]


def test_relations_look_alike_place_from_name():
    found = triples("溧水经开区引进多个项目。贝特瑞将在溧水投资建设新项目。")
    assert ("platform/lishui-dz", "locatedIn", "place/320117") in found
    assert ("company/btr", "locatedIn", "place/320117") in found
    assert not {t for t in found if t[2] == "place/320481"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("溧阳高新区动力电池产业规模第一。", ("platform/liyang-htz", "place/320481")),
        ("中德（常州）创新产业园集聚德语区企业53家。", ("platform/sino-german", "place/320400")),
        ("中共常州市金坛区委", ("org/jt-committee", "place/320413")),
        ("常州裕能石英科技有限公司董事长朱旦表示。", ("company/cz-yuneng", "place/320400")),
    ],
)
def test_relations_located_in_from_name(text, expected):
    assert (expected[0], "locatedIn", expected[1]) in triples(text)


def test_relations_region_in_a_name_is_no_location():
    assert not [t for t in triples("长三角物理研究中心揭牌。") if t[1] == "locatedIn"]


def test_relations_subjectless_clause_uses_the_article_place():
    article = "溧阳产业强。溧阳动力电池产业规模大。溧阳创新强。在输送环节上，集聚了华元新材等行业领军企业，以及星辰储能等企业。"
    found = triples(article)
    assert ("company/huayuan", "locatedIn", "place/320481") in found
    assert ("company/xingchen", "locatedIn", "place/320481") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BYLINE + "金坛发展好。2023年，贝特瑞将进一步推进在坛项目建设。",
            {("company/btr", "place/320413")},
        ),
        (
            "常州发展好。常州很强。常州第一。星辰储能来常投资建厂。",
            {("company/xingchen", "place/320400")},
        ),
        # a one-character short form only counts for the article's own place, before a verb
        ("常州发展好。常州很强。常州第一。星辰储能在常规检查中表现良好。", set()),
        ("星辰储能来常投资建厂。", set()),
    ],
)
def test_relations_short_place_names(text, expected):
    found = {
        (h, t) for h, rel, t in triples(text) if rel == "locatedIn" and h.startswith("company/")
    }
    assert found == expected


def test_relations_platform_built_by_others_is_not_placed_by_the_article():
    article = BYLINE + "金坛发展好。围绕市委、市政府打造的两湖创新区，蜂巢能源将重点开展工作。"
    assert ("platform/lianghu", "locatedIn", "place/320413") not in triples(article)


# --- place hierarchy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        (
            "金坛、常州和江苏都在发展。",
            {("place/320413", "place/320400"), ("place/320400", "place/320000")},
            {("place/320413", "place/320000")},
        ),
        ("金坛和江苏都在发展。", {("place/320413", "place/320000")}, set()),
        ("溧水和常州都在发展。", set(), {("place/320117", "place/320400")}),
        ("深圳和上海领跑。", set(), {("place/440300", "place/310000")}),
    ],
)
def test_relations_place_hierarchy_from_codes(text, expected, absent):
    found = {(h, t) for h, rel, t in triples(text) if rel == "locatedIn"}
    assert expected <= found
    assert not (absent & found)


# --- leadsChain -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "溧阳高新区动力电池产业以宁德时代、上汽时代为龙头牵引，集聚了企业100余家。",
            {("company/catl", "chain/pb"), ("company/saic-catl", "chain/pb")},
        ),
        (
            "金坛以中创新航、蜂巢能源两家“独角兽”企业为龙头，建立了完整的动力电池产业链。",
            {("company/calb", "chain/pb"), ("company/svolt", "chain/pb")},
        ),
        ("中创新航是国内头部动力电池企业。", {("company/calb", "chain/pb")}),
        (
            "天合光能、东方日升等大量优质龙头企业构成新能源产业的“四梁八柱”。",
            {("company/trina", "chain/ne"), ("company/risen", "chain/ne")},
        ),
        (
            "将新能源产业作为主攻方向，天合光能、东方日升等一批链主企业坚定扎根。",
            {("company/trina", "chain/ne"), ("company/risen", "chain/ne")},
        ),
        # the chain the framing clause names, not the one the result names
        (
            "在储能环节，以宁德时代为龙头，已成为动力电池及储能产业集群。",
            {("company/catl", "chain/es")},
        ),
    ],
)
def test_relations_leads_chain(text, expected):
    found = {(h, t) for h, rel, t in triples(text) if rel == "leadsChain"}
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        # the chain is what the leaders do, not what they lead
        "中创新航、蜂巢能源等龙头企业在固态电池领域进行前瞻性布局。",
        "发挥龙头企业集聚效应，围绕动力电池产业链招商。",
        "中创新航、蜂巢能源分列全国第3和第7，动力电池装车量增长。",
        # no chain named
        "常州孕育了中创新航等本土领军企业。",
        "推动长三角物理研究中心等平台发展，一批科技领军人才脱颖而出。",
    ],
)
def test_relations_leads_chain_negative(text):
    assert not [t for t in triples(text) if t[1] == "leadsChain"]


@pytest.mark.parametrize(
    ("text", "chain", "not_chain"),
    [
        # a specific chain next to a generic one: the specific one
        ("溧阳锂电新能源产业以中创新航为链主企业，形成完整产业链。", "chain/li", "chain/ne"),
        # the chain named after the leaders, in the next clause
        (
            "金坛以中创新航、天元精密新材料公司为链主企业，推动动力电池产业集群发展。",
            "chain/pb",
            "chain/ne",
        ),
        # the industry of a place the company leads
        ("中创新航作为金坛锂电产业的领军企业，与多家高校合作。", "chain/li", "chain/ne"),
        # only a generic chain named: that one
        ("常州新能源产业以中创新航为链主企业。", "chain/ne", "chain/pb"),
    ],
)
def test_relations_leads_the_specific_chain(text, chain, not_chain):
    found = triples(text)
    assert ("company/calb", "leadsChain", chain) in found
    assert ("company/calb", "leadsChain", not_chain) not in found


# --- partnersWith, builtBy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        (
            "工信部产业发展促进中心与溧阳高新区签署战略合作协议。",
            {("org/miit-center", "platform/liyang-htz")},
        ),
        ("江苏省工业和信息化厅与常州市人民政府签署战略合作协议。", {("org/cz-gov", "org/js-miit")}),
        ("支持中创新航与南航重组省级重点实验室。", {("company/calb", "org/nuaa")}),
        (
            "江苏省工业和信息化厅（以下简称省工信厅）与常州市人民政府签署战略合作协议。",
            {("org/cz-gov", "org/js-miit")},
        ),
        ("溧阳与作为新能源板块风向标的宁德时代第一次牵手。", {("company/catl", "place/320481")}),
        ("星辰储能携手华元新材共建储能实验室。", {("company/huayuan", "company/xingchen")}),
        (
            "由长三角物理研究中心牵头，联合天目湖先进储能技术研究院、常州大学和中创新航等单位共同建设的“江苏省先进动力和储能电池技术创新中心”揭牌。",
            {
                ("company/calb", "org/czu"),
                ("company/calb", "platform/tmh"),
                ("company/calb", "platform/yrd-physics"),
                ("org/czu", "platform/tmh"),
                ("org/czu", "platform/yrd-physics"),
                ("platform/tmh", "platform/yrd-physics"),
            },
        ),
    ],
)
def test_relations_partners_with_all_pairs_once(text, pairs):
    relations = [r for r in run(text) if r.rel is R.PARTNERS_WITH]
    assert {(r.head, r.tail) for r in relations} == pairs
    assert all(r.head < r.tail for r in relations)


@pytest.mark.parametrize(
    "text",
    [
        "中创新航扎实开展建设，蜂巢能源加速争创灯塔工厂，金坛经开区、华罗庚高新区积极创建示范区，携手跑进新时代。",
        "与多家银行签订350亿元战略合作协议。",
        "中创新航和蜂巢能源分列全国第3和第7。",
        "比亚迪与宁德时代的电池装车量分列前二。",
    ],
)
def test_relations_partners_with_negative(text):
    assert not [t for t in triples(text) if t[1] == "partnersWith"]


@pytest.mark.parametrize(
    ("text", "builders"),
    [
        # the party that allies with others builds too
        (
            "溧阳高新区联合常州大学、南航共同建设储能联合实验室。",
            {"platform/liyang-htz", "org/czu", "org/nuaa"},
        ),
        # one leads, the others named after it build with it
        (
            "由中天科技牵头，亨通光电、华元新材等企业共同建设储能联合实验室。",
            {"company/ztt", "company/hengtong", "company/huayuan"},
        ),
        # the party the sentence opens with and its partner
        (
            "总部位于南京的星辰储能，与华元新材携手打造的储能联合实验室已投用。",
            {"company/xingchen", "company/huayuan"},
        ),
        (
            "星辰储能与华元新材携手打造的储能联合实验室已投用。",
            {"company/xingchen", "company/huayuan"},
        ),
        # allied without building anything named: nobody
        ("溧阳高新区联合常州大学举办论坛，储能联合实验室同期揭牌。", set()),
    ],
)
def test_relations_built_by_allies(text, builders):
    found = {t for h, rel, t in triples(text) if rel == "builtBy" and h == "platform/es-lab"}
    assert found == builders


@pytest.mark.parametrize(
    ("text", "built"),
    [
        ("中天科技还与常州大学携手成立储能联合实验室。", True),
        ("中天科技与常州大学共同组建了储能联合实验室。", True),
        ("常州大学与中天科技签约，储能联合实验室同期成立。", False),
    ],
)
def test_relations_built_together_with(text, built):
    found = triples(text)
    builders = {t for h, rel, t in found if rel == "builtBy" and h == "platform/es-lab"}
    assert (builders == {"company/ztt", "org/czu"}) is built
    if built:
        assert ("company/ztt", "partnersWith", "org/czu") in found


@pytest.mark.parametrize(
    ("text", "builders"),
    [
        (
            "由长三角物理研究中心牵头，联合天目湖先进储能技术研究院、常州大学和中创新航等单位共同建设的“江苏省先进动力和储能电池技术创新中心”（以下简称技术创新中心）揭牌。",
            {"platform/yrd-physics", "platform/tmh", "org/czu", "company/calb"},
        ),
        ("常州大学与中创新航共同建设长三角物理研究中心。", {"org/czu", "company/calb"}),
        ("长三角物理研究中心由常州大学牵头建设。", {"org/czu"}),
    ],
)
def test_relations_built_by(text, builders):
    built = {(h, t) for h, rel, t in triples(text) if rel == "builtBy"}
    target = next(iter(built))[0] if built else None
    assert {t for _, t in built} == builders
    assert {h for h, _ in built} == {target}


# --- subsidiaryOf ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "作为宁德时代全资子公司，江苏时代在溧阳投资建设四期项目。",
        "江苏时代是宁德时代的控股子公司。",
        "宁德时代旗下的江苏时代产能领先。",
    ],
)
def test_relations_subsidiary_of(text):
    assert ("company/jsc", "subsidiaryOf", "company/catl") in triples(text)


@pytest.mark.parametrize(
    ("text", "child", "parent"),
    [
        # the unit another company controls, by a cue after the parent
        ("中天科技的控股子公司华元新材在南通建设储能项目。", "company/huayuan", "company/ztt"),
        (
            "华元新材是中天科技控股的合资公司，在南通投资建设储能项目。",
            "company/huayuan",
            "company/ztt",
        ),
        # the parent is the subject an earlier clause gives
        (
            "亨通光电总部位于苏州，旗下全资子公司星辰储能今年在南通投资建设新基地。",
            "company/xingchen",
            "company/hengtong",
        ),
    ],
)
def test_relations_subsidiary_is_the_one_located(text, child, parent):
    found = triples(text)
    assert (child, "subsidiaryOf", parent) in found
    assert (child, "locatedIn", "place/320600") in found
    assert (parent, "locatedIn", "place/320600") not in found


@pytest.mark.parametrize(
    "text",
    [
        # an unnamed subsidiary places nobody
        "中天科技的控股子公司在南通建设新项目。",
        "中天科技旗下企业在南通投资建设新基地。",
    ],
)
def test_relations_unnamed_subsidiary_places_nothing(text):
    assert ("company/ztt", "locatedIn", "place/320600") not in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        "亨通光电总部位于苏州，旗下产品覆盖光纤领域，星辰储能也在南通落户。",
        "华元新材是中天科技的重要客户。",
    ],
)
def test_relations_subsidiary_cues_negative(text):
    assert not [t for t in triples(text) if t[1] == "subsidiaryOf"]


@pytest.mark.parametrize(
    ("article", "placed"),
    [
        # a brand that starts with a place, in an article about another place: not there,
        # even when a list names that place too
        ("合肥经开区迎来新项目。苏州天脉在合肥投资建设储能基地。", False),
        (
            "合肥产业强。合肥创新活跃。合肥与苏州、常州等城市一同上榜。苏州天脉在合肥建厂。",
            False,
        ),
        # an article about that place
        ("苏州天脉发布新品。苏州产业强。苏州创新活跃。苏州的生物医药产业基础雄厚。", True),
        # with no clear place, nothing by the brand
        ("苏州天脉发布新品。", False),
    ],
)
def test_relations_brand_starting_with_a_place(article, placed):
    assert (("company/sz-tianmai", "locatedIn", "place/320500") in triples(article)) is placed


def test_relations_subsidiary_from_legal_name():
    found = triples("贝特瑞（江苏）新能源材料有限公司董事长杨红强表示，贝特瑞将扩产。")
    assert ("company/btr-js", "subsidiaryOf", "company/btr") in found
    assert ("company/btr-js", "locatedIn", "place/320000") in found


@pytest.mark.parametrize(
    "text",
    [
        "宁德时代与江苏时代签署合作协议。",
        "中创新航的子公司数量增加，蜂巢能源产能提升。",
        "江苏时代和宁德时代都是龙头。",
    ],
)
def test_relations_subsidiary_of_negative(text):
    assert not [t for t in triples(text) if t[1] == "subsidiaryOf"]


# --- hasRole, issuedBy --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "蜂巢能源科技股份有限公司董事长、首席执行官 杨红新：",
            {
                ("person/yang", "company/svolt", "董事长"),
                ("person/yang", "company/svolt", "首席执行官"),
            },
        ),
        (
            "中创新航副总裁王小强表示，中创新航将继续做大做强。",
            {("person/wang", "company/calb", "副总裁")},
        ),
        (
            "工信部产业发展促进中心党委书记、副主任邢涛出席活动。",
            {
                ("person/xing", "org/miit-center", "党委书记"),
                ("person/xing", "org/miit-center", "副主任"),
            },
        ),
        (
            BYLINE + "金坛召开大会，区委书记陆秋明号召全区上下奋斗。",
            {("person/lu", "org/jt-committee", "书记")},
        ),
        # a bare title names the article's place when no body of it is known
        (
            "溧阳发展好。溧阳很强。溧阳第一。市长王小强出席。",
            {("person/wang", "place/320481", "市长")},
        ),
        ("王小强表示，中创新航将继续做大做强。", set()),
        # an unnamed body in a place is not the place
        ("麦肯锡香港分公司董事倪以理在接受记者采访时表示。", set()),
        ("陆秋明出席活动。", set()),
    ],
)
def test_relations_has_role(text, expected):
    found = {(r.head, r.tail, r.role) for r in run(text) if r.rel is R.HAS_ROLE}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("常州市人民政府出台了《外籍人士服务指引》。", {("policy/guide", "org/cz-gov")}),
        (
            "常州市委、常州市人民政府提出在十四五期间大力实施“532”发展战略。",
            {("policy/532", "org/cz-committee"), ("policy/532", "org/cz-gov")},
        ),
        (
            "9月26日，胡润研究院发布《2024胡润中国新能源产业集聚度城市榜》。",
            {("policy/list", "org/hurun")},
        ),
        ("深入实施“532”发展战略。", set()),
        (
            "常州发展好。常州很强。常州第一。今年出台了《外籍人士服务指引》。",
            {("policy/guide", "place/320400")},
        ),
        ("常州发展好。常州很强。常州第一。会上发布了《外籍人士服务指引》。", set()),
        ("常州市人民政府学习《外籍人士服务指引》。", set()),
    ],
)
def test_relations_issued_by(text, expected):
    assert {(h, t) for h, rel, t in triples(text) if rel == "issuedBy"} == expected


# --- partOf ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("聚力打造华罗庚高新区创智十二坊。", ("platform/hlg-12", "platform/hlg")),
        ("常州在两湖创新区建设常州氢湾。", ("platform/hydrogen-bay", "platform/lianghu")),
    ],
)
def test_relations_part_of(text, expected):
    assert (expected[0], "partOf", expected[1]) in triples(text)


# --- the article's own place ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BYLINE + "金坛发展好。",
            {"district": "place/320413", "city": "place/320400", "topic": "place/320413"},
        ),
        (
            "常州发展好。常州很强。常州第一。溧阳也好。",
            {"city": "place/320400", "topic": "place/320400"},
        ),
        ("常州发展好。溧阳也好。常州第一。溧阳很强。", {}),
        # a municipality is its own city
        ("上海发展好。上海很强。上海第一。", {"city": "place/310000", "topic": "place/310000"}),
    ],
)
def test_relations_home_places(text, expected):
    sentences = split_sentences("a", text)
    mentions = recognize(sentences)
    home = home_places(sentences, mentions, ENTITIES)
    assert {k: v for k, v in home.items() if k in expected or k in ("city", "topic")} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "常州发展好。常州很强。常州第一。常州市委、市政府提出大力实施“532”发展战略。",
            {("policy/532", "org/cz-committee"), ("policy/532", "org/cz-gov")},
        ),
        ("常州发展好。溧阳也好。市政府提出大力实施“532”发展战略。", set()),
    ],
)
def test_relations_bare_bodies_are_the_article_places(text, expected):
    assert {(h, t) for h, rel, t in triples(text) if rel == "issuedBy"} == expected


def test_relations_my_city_without_a_clear_place_places_nothing():
    found = triples("常州发展好。溧阳也好。我市汇聚星辰储能等企业。")
    assert not [t for t in found if t[0] == "company/xingchen"]


# --- evidence ---------------------------------------------------------------------------------------------------


def test_relations_one_relation_per_fact_with_all_evidence():
    one = "江苏时代在溧阳投资建设电池工厂。"
    two = "新闻\n\n江苏时代已在溧阳投资建设四期项目，\n产能领先。"
    relations = [
        r
        for r in run(one, two)
        if (r.head, r.rel.value, r.tail) == ("company/jsc", "locatedIn", "place/320481")
    ]
    assert len(relations) == 1
    evidence = relations[0].evidence
    assert [e.article_id for e in evidence] == ["a0", "a1"]
    originals = {"a0": one, "a1": two}
    for e in evidence:
        assert e.method == "plant"
        assert 0 < e.confidence <= 1
        span = originals[e.article_id][e.start : e.end]
        assert span.startswith("江苏时代")
        assert span.endswith("。")


def test_relations_one_evidence_per_sentence_even_when_two_rules_fire():
    text = "常州不仅孕育了中创新航等本土企业，还吸引了宁德时代等企业在此建立制造中心。"
    catl = next(r for r in run(text) if r.head == "company/catl" and r.rel is R.LOCATED_IN)
    assert len(catl.evidence) == 1


@pytest.mark.parametrize(("confidence", "found"), [(1.0, True), (0.7, True), (0.4, False)])
def test_relations_uncertain_mentions_assert_nothing(confidence, found):
    result = triples("星辰储能总部位于南京。", confidence={"星辰储能": confidence})
    assert (("company/xingchen", "locatedIn", "place/320100") in result) is found


def test_relations_known_name_inside_an_uncertain_mention():
    text = "宁德时代发展迅速。作为宁德时代全资子公司，江苏时代在溧阳投资建设四期项目。"
    sentences = split_sentences("a0", text)
    mentions = [m for m in recognize(sentences) if not (m.sentence == 1 and m.text == "宁德时代")]
    s = sentences[1]
    begin = s.text.index("宁德时代全资子公司")
    start, end = s.span(begin, begin + len("宁德时代全资子公司"))
    mentions.append(
        Mention(
            "a0", 1, start, end, "宁德时代全资子公司", T.COMPANY, "company/catl-sub", "suffix", 0.6
        )
    )
    entities = [*ENTITIES.values(), Entity("company/catl-sub", T.COMPANY, "宁德时代全资子公司")]
    found = {(r.head, r.rel.value, r.tail) for r in extract(sentences, mentions, entities)}
    assert ("company/jsc", "subsidiaryOf", "company/catl") in found


def test_relations_types_are_respected():
    for r in run(
        "溧阳高新区动力电池产业以宁德时代为龙头牵引。常州市人民政府出台了《外籍人士服务指引》。"
    ):
        kinds = (ENTITIES[r.head].type, ENTITIES[r.tail].type)
        if r.rel is R.LEADS_CHAIN:
            assert kinds == (T.COMPANY, T.INDUSTRY_CHAIN)
        if r.rel is R.LOCATED_IN:
            assert kinds[1] in (T.PLACE, T.PLATFORM)
        if r.rel is R.ISSUED_BY:
            assert kinds[0] is T.POLICY


def test_relations_nothing_in_nothing_out():
    assert extract([], [], []) == []
    assert run("今天天气很好。") == []


# --- sentences in the style of other regions' news, not from seeds/ --------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "宁德时代（四川）新能源科技有限公司位于宜宾市叙州区。",
            {
                ("company/catl-sichuan", "locatedIn", "place/511500"),
                ("company/catl-sichuan", "subsidiaryOf", "company/catl"),
            },
        ),
        (
            "比亚迪长沙基地项目正式落户长沙经开区。",
            {
                ("project/byd-changsha", "locatedIn", "place/430100"),
                ("project/byd-changsha", "locatedIn", "platform/changsha-dz"),
            },
        ),
        (
            # the finest of the places in a row; the larger one through the codes
            "中创新航拟在广东江门投资建设动力电池项目。",
            {
                ("company/calb", "locatedIn", "place/440700"),
                ("place/440700", "locatedIn", "place/440000"),
            },
        ),
        ("总部设在上海的蔚来汽车发布新车。", {("company/nio", "locatedIn", "place/310000")}),
        (
            "国轩高科与大众中国签订战略合作框架协议。",
            {("company/gotion", "partnersWith", "company/vw-china")},
        ),
        (
            "储能电站项目由中国电建承建。",
            {("project/storage-station", "builtBy", "company/powerchina")},
        ),
        (
            "宁德时代作为全球动力电池龙头企业，持续加大研发投入。",
            {("company/catl", "leadsChain", "chain/pb")},
        ),
        (
            "天合光能董事长高纪凡表示，光伏行业将持续增长。",
            {("person/gao", "hasRole", "company/trina")},
        ),
        (
            "花旗集团将在湖北省赤壁市开设另一家贷款公司。",
            {
                ("company/citi", "locatedIn", "place/421281"),
                ("place/421281", "locatedIn", "place/420000"),
            },
        ),
        (
            "中天科技、亨通光电等企业分别位于南通市和苏州市。",
            {
                ("company/ztt", "locatedIn", "place/320600"),
                ("company/hengtong", "locatedIn", "place/320500"),
            },
        ),
    ],
)
def test_relations_generalize_beyond_the_seeds(text, expected):
    assert expected <= triples(text)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        (
            "中天科技、亨通光电等企业分别位于南通市和苏州市。",
            {("company/ztt", "place/320500"), ("company/hengtong", "place/320600")},
        ),
        (
            "中天科技、亨通光电分别位于南通市、苏州市和上海市。",
            {("company/ztt", "place/320500"), ("company/ztt", "place/310000")},
        ),
    ],
)
def test_relations_respectively_pairs_in_order(text, wrong):
    found = {(h, t) for h, rel, t in triples(text) if rel == "locatedIn"}
    assert not (wrong & found)


# --- inIndustry ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "我市引进星辰储能、华元新材等近130家半导体企业。",
            {("company/xingchen", "chain/semi"), ("company/huayuan", "chain/semi")},
        ),
        ("中创新航是第一家入驻金坛的大型动力电池企业。", {("company/calb", "chain/pb")}),
        (
            "比亚迪、华元新材两家新能源整车厂接连落户常州。",
            {("company/byd", "chain/nev"), ("company/huayuan", "chain/nev")},
        ),
        (
            "培育星辰储能、华元新材等人工智能相关企业近百家。",
            {("company/xingchen", "chain/ai"), ("company/huayuan", "chain/ai")},
        ),
        # what they do, whom they work with, what follows the noun: not their industry
        ("中创新航、蜂巢能源等龙头企业在固态电池领域进行前瞻性布局。", set()),
        ("比亚迪与人工智能企业合作。", set()),
        ("比亚迪、宁德时代等企业亮相深圳车展。", set()),
    ],
)
def test_relations_in_industry(text, expected):
    assert {(h, t) for h, rel, t in triples(text) if rel == "inIndustry"} == expected


def test_relations_private_use_characters_in_the_text_are_not_entities():
    # \ue001 is the template character of a company as the sentence's second mention.
    assert triples("\ue001总部位于南京，星辰储能发展好。") == set()


# --- recall on constructions found by a second reading of the seeds -----------------------------
# Sentences written for these tests in the style of regional news; names are mostly not in seeds/.

HOME_NINGBO = "宁波发展好。宁波很强。宁波第一。"
HOME_HEFEI = "合肥发展好。合肥很强。合肥第一。"
BYLINE_NINGBO = "宁波加速前行\n张明远\n中共宁波市委\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the place's industry, then its leaders (in the park, and in the place the park names)
        (
            "溧阳高新区储能产业以星辰储能、华元新材为龙头牵引，集聚了上下游企业百余家。",
            {
                ("company/xingchen", "place/320481"),
                ("company/huayuan", "place/320481"),
                ("company/xingchen", "platform/liyang-htz"),
                ("company/huayuan", "platform/liyang-htz"),
            },
        ),
        (
            "目前，宁波超千亿元的光伏产业产值中，东方日升、天合光能等大量优质龙头企业构成光伏产业的“四梁八柱”。",
            {("company/risen", "place/330200"), ("company/trina", "place/330200")},
        ),
        (
            "合肥以蔚来汽车、国轩高科为龙头，建设新能源汽车产业集群。",
            {("company/nio", "place/340100"), ("company/gotion", "place/340100")},
        ),
        # a sentence without a subject in an article about one place
        (
            HOME_NINGBO + "在储能环节，以星辰储能、华元新材为龙头，累计引进项目80多个。",
            {("company/xingchen", "place/330200"), ("company/huayuan", "place/330200")},
        ),
    ],
)
def test_relations_leaders_of_a_place_industry_are_there(text, expected):
    found = {
        (h, t) for h, rel, t in triples(text) if rel == "locatedIn" and h.startswith("company/")
    }
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        # a ranking list is not a location
        "在榜单中，深圳、上海、常州位列前三，中创新航是动力电池龙头企业。",
        # a leader of the whole industry, a different chain, an industry not tied to the place
        "常州动力电池产业发展迅速，宁德时代是全球动力电池龙头企业。",
        "常州光伏产业发展迅速，宁德时代是动力电池龙头企业。",
        "深圳召开大会，比亚迪是新能源汽车龙头企业。",
        # no clear place for the article, or another place in the sentence
        "常州发展好。溧阳也好。在储能环节，以星辰储能为龙头，累计引进项目80多个。",
        HOME_NINGBO + "在上海，以星辰储能为龙头，累计引进项目80多个。",
        HOME_NINGBO + "在海外，以星辰储能为龙头，布局储能市场。",
    ],
)
def test_relations_leaders_of_a_place_industry_negative(text):
    found = {
        (h, t) for h, rel, t in triples(text) if rel == "locatedIn" and h.startswith("company/")
    }
    assert found == set()


def test_relations_leaders_in_a_look_alike_park_are_not_in_the_look_alike_place():
    found = triples("溧水经开区储能产业以星辰储能为龙头牵引。")
    assert ("company/xingchen", "locatedIn", "place/320117") in found
    assert ("company/xingchen", "locatedIn", "place/320481") not in found


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        # a subjectless 携手 in an article about one place: the place and every partner; the
        # partners, listed together as co-hosts of one event, are not partners of each other
        (
            BYLINE_NINGBO + "携手投中信息、36氪举办创业投资论坛，发布产业引导基金。",
            {
                ("org/36kr", "place/330200"),
                ("org/cvinfo", "place/330200"),
            },
        ),
        (BYLINE + "积极携手南航举办人才对接会。", {("org/nuaa", "place/320413")}),
        # no clear place, no named partner, or a subject of its own: nothing new
        ("常州发展好。溧阳也好。携手投中信息举办论坛。", set()),
        (BYLINE_NINGBO + "携手共进，发布产业引导基金。", set()),
        # an article about a place but not by it: the subject may be the company before
        (HOME_NINGBO + "星辰储能发布新品。携手36氪举办论坛。", set()),
        (HOME_NINGBO + "投中信息携手36氪举办论坛。", {("org/36kr", "org/cvinfo")}),
    ],
)
def test_relations_hand_in_hand_without_subject(text, pairs):
    found = {(r.head, r.tail) for r in run(text) if r.rel is R.PARTNERS_WITH}
    assert found == pairs


@pytest.mark.parametrize(
    ("text", "builders", "pairs"),
    [
        # bare 市委、市政府 are the article's city's bodies
        (
            HOME_HEFEI + "围绕市委、市政府打造的滨湖科学城，蔚来汽车将加大投入。",
            {"org/hf-committee", "org/hf-gov"},
            set(),
        ),
        (
            "常州大学与南航共同建设的长三角物理研究中心揭牌。",
            {"org/czu", "org/nuaa"},
            {("org/czu", "org/nuaa")},
        ),
        ("中创新航投资建设的储能电站项目开工。", {"company/calb"}, set()),
        # built for someone is not built by them
        ("常州为中创新航打造的储能电站项目开工。", set(), set()),
        # a place says where, not who; taking part is not building
        ("常州打造的两湖创新区吸引人才。", set(), set()),
        ("常州大学参与建设的长三角物理研究中心揭牌。", set(), set()),
    ],
)
def test_relations_built_by_the_bodies_before_it(text, builders, pairs):
    relations = run(text)
    assert {r.tail for r in relations if r.rel is R.BUILT_BY} == builders
    assert {(r.head, r.tail) for r in relations if r.rel is R.PARTNERS_WITH} == pairs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "搭建包括张明远院士领衔的合肥合成生物研究院在内的6个创新平台。",
            {("person/zhang", "platform/hf-bio", "领衔")},
        ),
        (
            "张明远教授团队牵头组建的合肥合成生物研究院揭牌。",
            {("person/zhang", "platform/hf-bio", "牵头")},
        ),
        # leading a team or a paper is no post in a unit
        ("张明远院士领衔的团队在合肥合成生物研究院发表论文。", set()),
        ("由张明远牵头，联合合肥合成生物研究院攻关。", set()),
    ],
)
def test_relations_person_heading_a_unit(text, expected):
    found = {(r.head, r.tail, r.role) for r in run(text) if r.rel is R.HAS_ROLE}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a gathering of one industry's companies, then the companies gathered
        (
            "我市集聚工业母机及功能部件企业近千家，拥有海天精工等国际知名整机企业，培育科德数控等本土企业及华元新材等关键部件生产企业。",
            {
                ("company/haitian", "chain/mt"),
                ("company/kede", "chain/mt"),
                ("company/huayuan", "chain/mt"),
            },
        ),
        (
            "合肥已拥有三大合成生物园区，汇聚凯赛生物、华恒生物等重点企业72家，成立产业基金。",
            {("company/cathay", "chain/synbio"), ("company/huaheng", "chain/synbio")},
        ),
        # what a company makes
        (
            "作为宁德时代全资子公司，江苏时代在溧阳投资建设的四期项目达产后可达到年产30GWh锂离子电池的生产能力。",
            {("company/jsc", "chain/li")},
        ),
        ("国轩高科在合肥建设年产20GWh动力电池项目。", {("company/gotion", "chain/pb")}),
        # ranked in a list of an industry's companies
        (
            "2023年度国内动力电池企业装车量榜单中，总部位于合肥的国轩高科、蜂巢能源分列全国第5和第7。",
            {("company/gotion", "chain/pb"), ("company/svolt", "chain/pb")},
        ),
    ],
)
def test_relations_in_industry_from_context(text, expected):
    assert {(h, t) for h, rel, t in triples(text) if rel == "inIndustry"} == expected


@pytest.mark.parametrize(
    "text",
    [
        # two industries gathered: which one is unclear
        "我市集聚光伏和储能企业近千家，拥有海天精工、科德数控等知名企业。",
        # not a gathering clause, or a partner rather than a member
        "我市集聚工业母机企业近千家，并与海天精工、科德数控等企业签约。",
        "我市集聚工业母机企业近千家，海天精工、科德数控等企业表示欢迎。",
        # building a capacity for someone else, or a place building it
        "比亚迪为宁德时代年产10GWh动力电池项目提供设备。",
        "合肥规划建设年产30GWh动力电池项目。",
        # a ranking of cities or with no industry named
        "胡润新能源产业集聚度城市榜中，深圳、常州分列前两位。",
        "世界500强企业榜单中，比亚迪、宁德时代分列第200和第300位。",
    ],
)
def test_relations_in_industry_from_context_negative(text):
    assert not [t for t in triples(text) if t[1] == "inIndustry"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 其中 names members of the companies the place gathers
        (
            "宁波汇聚低空经济重点企业近300家，覆盖电池、动力等领域，其中整机制造方面，星辰储能的W5000是国内最大的货运无人机之一。",
            {("company/xingchen", "place/330200")},
        ),
        (
            "合肥引进储能企业120余家，其中，华元新材、星辰储能产值过亿。",
            {("company/huayuan", "place/340100"), ("company/xingchen", "place/340100")},
        ),
        # no counted gathering of companies, another sentence, abroad, or not a company first
        ("宁波汇聚低空经济重点项目，其中，星辰储能产值过亿。", set()),
        ("宁波汇聚企业近300家。其中，星辰储能产值过亿。", set()),
        ("宁波汇聚企业近300家，在海外设厂，其中，星辰储能产值过亿。", set()),
        ("宁波汇聚企业近300家，其中，深圳的星辰储能产值过亿。", set()),
    ],
)
def test_relations_among_the_gathered_companies(text, expected):
    found = {
        (h, t) for h, rel, t in triples(text) if rel == "locatedIn" and h.startswith("company/")
    }
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("其中，华元新材的X90是国内领先的固态电池之一。", {("company/huayuan", "chain/ssb")}),
        ("蔚来汽车的ET7是新能源汽车。", {("company/nio", "chain/nev")}),
        # the product is someone else's, or the chain is not what it is
        ("蔚来汽车的ET7是比亚迪生产的新能源汽车。", set()),
        ("蔚来汽车的ET7是新能源汽车市场的爆款。", set()),
        ("蔚来汽车的产品是新能源汽车。", set()),
    ],
)
def test_relations_in_industry_from_a_product(text, expected):
    assert {(h, t) for h, rel, t in triples(text) if rel == "inIndustry"} == expected
