"""Entity recognition and resolution: each rule, its negatives, ids, offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable, parse_table
from graph.entities.resolve import core_name, hashed_id
from graph.records import Article, EntityType
from graph.text.normalize import normalize_name, split_sentences

EMPTY = AliasTable()
T = EntityType


def found(text: str, table: AliasTable = EMPTY) -> set[tuple[str, str]]:
    mentions = entities.recognize(split_sentences("t", text), table)
    return {(m.text, m.type.value) for m in mentions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # suffixes, no table
        (
            "江苏时代新能源科技有限公司的生产车间里一片繁忙。",
            ("江苏时代新能源科技有限公司", "Company"),
        ),
        ("依托天目湖先进储能技术研究院开展攻关。", ("天目湖先进储能技术研究院", "Platform")),
        ("金坛区科技局局长表示要加大投入。", ("金坛区科技局", "Organization")),
        ("双方在溧阳高新区签署协议。", ("溧阳高新区", "Platform")),
        ("这是常州信息职业技术学院的新校区。", ("常州信息职业技术学院", "Organization")),
        # policies in titles and quotes
        (
            "会议出台了《关于促进产业高质量发展的若干政策》。",
            ("《关于促进产业高质量发展的若干政策》", "Policy"),
        ),
        ("大力实施“532”发展战略。", ("“532”发展战略", "Policy")),
        ("实施“龙城英才计划”新能源专项。", ("龙城英才计划", "Policy")),
        ("围绕“1650”产业体系建设。", ("“1650”产业体系", "Policy")),
        ("纵深推进重大项目突破行动。", ("重大项目突破行动", "Policy")),
        # enumerations
        ("中创新航、蜂巢能源、东方日升等一批链主企业扎根。", ("蜂巢能源", "Company")),
        ("中创新航、蜂巢能源、东方日升等一批链主企业扎根。", ("中创新航", "Company")),
        ("引培天合元氢、蓝博氢能、永安行等50多个重要企业。", ("天合元氢", "Company")),
        # persons after a role, not bylines
        ("区委书记陆秋明号召全区上下团结奋斗。", ("陆秋明", "Person")),
        ("蜂巢能源科技股份有限公司董事长 杨红新：", ("杨红新", "Person")),
        ("副市长徐军等出席活动。", ("徐军", "Person")),
        ("搭建包括黄和院士领衔的研究院。", ("黄和", "Person")),
        ("会上，王建国表示要加快发展。", ("王建国", "Person")),  # jieba nr + a speech verb
        # places from the gazetteer, projects, industries
        ("溧阳与金坛都在常州。", ("溧阳", "Place")),
        ("项目落户溧水区。", ("溧水区", "Place")),
        ("常州动力电池产业链完整。", ("动力电池", "IndustryChain")),
        # brackets, sub-units, well-known bodies, quoted zones, 为龙头 enumerations
        (
            "宁德时代（四川）新能源科技有限公司投产。",
            ("宁德时代（四川）新能源科技有限公司", "Company"),
        ),
        ("项目位于宜宾市叙州区。", ("叙州区", "Place")),
        ("工信部电子信息司司长出席。", ("工信部电子信息司", "Organization")),
        ("金坛区科技局局长李冬英表示", ("金坛区科技局", "Organization")),
        ("获住建部推广。", ("住建部", "Organization")),
        ("以“两湖”创新区为主阵地。", ("“两湖”创新区", "Platform")),
        ("产业以宁德时代、上汽时代为龙头牵引。", ("上汽时代", "Company")),
        ("红杉资本、IDG 资本、毅达资本等纷纷布局。", ("IDG 资本", "Company")),
        ("贝特瑞新材料集团股份有限公司高级副总经理", ("贝特瑞新材料集团股份有限公司", "Company")),
        (
            "搭建国家氢能装备产品质量监督检验中心。",
            ("国家氢能装备产品质量监督检验中心", "Platform"),
        ),
        (
            "包括南京师范大学常州合成生物学产业研究院在内",
            ("南京师范大学常州合成生物学产业研究院", "Platform"),
        ),
    ],
)
def test_entities_rules_recognize_unlisted_names(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("全媒体记者 师杰 王冰莹 陈月乔", "Person"),  # a byline
        ("支持企业建设省级重点实验室。", "Platform"),  # generic, no name
        ("搭建一批公共服务平台。", "Platform"),
        ("这是新能源汽车的心脏。", "Company"),  # an industry, not a company
        ("常州的格局正在改变，全部企业参与。", "Organization"),  # 局/部 inside ordinary words
        ("代表常州城市特征的新地标。", "Person"),
        ("深化“放管服”改革。", "Policy"),
        ("凤凰涅槃，凌云壮志。", "Place"),  # county short names without their city
        ("打造最美新城区。", "Place"),  # a county name several units share, no city named
        ("“龙城金谷”西区含金量越来越高。", "Place"),  # a two-character county name, no city named
        ("获批全国首个中德城镇节能示范园区。", "Place"),
        ("宁德时代全资子公司。", "Organization"),
        ("大力发展新能源产业。", "Company"),
        ("做强新能源产业。", "Company"),
    ],
)
def test_entities_rules_reject_non_names(text: str, absent: str) -> None:
    assert not [t for t in found(text) if t[1] == absent]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("泗水县文化市场综合执法。", "文化市"),
        ("宁德时代全资子公司投产。", "宁德时代全资子公司"),
        (
            "宁德时代全资子公司江苏时代新能源科技有限公司投产。",
            "宁德时代全资子公司江苏时代新能源科技有限公司",
        ),
        ("比亚迪旗下弗迪电池有限公司落户常州。", "比亚迪旗下弗迪电池有限公司"),
    ],
)
def test_entities_rules_reject_partial_words(text: str, surface: str) -> None:
    assert surface not in {name for name, _ in found(text)}


# Names from open-domain news that no table lists: each rule with its exact span.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # banks and short company suffixes
        ("他在招商银行开了一个账户。", ("招商银行", "Company")),
        ("汇通银行今年净利润增长。", ("汇通银行", "Company")),
        ("近日，华鑫证券发布研究报告。", ("华鑫证券", "Company")),
        ("由欢瑞传媒出品的纪录片上映。", ("欢瑞传媒", "Company")),
        ("他在星展银行开户。", ("星展银行", "Company")),
        ("万科、碧桂园等房企销售额下滑。", ("碧桂园", "Company")),
        ("浦发、光大两家银行推出了新产品。", ("浦发", "Company")),
        # a place, then a trade name, then an industry suffix
        ("杭州同创置业的销售经理说。", ("杭州同创置业", "Company")),
        ("湖北信达地产近日公布业绩。", ("湖北信达地产", "Company")),
        # branches of a company or a bank
        ("工商银行江苏省分行营业部表示。", ("工商银行江苏省分行", "Company")),
        ("中国人民银行南京分行发布数据。", ("中国人民银行南京分行", "Organization")),
        # government bodies: the start is the first word that reads as a body
        ("报告提交给管理部门浦东新区教育局审核。", ("浦东新区教育局", "Organization")),
        ("经过民政局和公安局核实。", ("民政局", "Organization")),
        ("市住建委相关负责人昨天表示。", ("市住建委", "Organization")),
        ("江苏银行常州分行与金坛区政府签署协议。", ("金坛区政府", "Organization")),
        ("江苏银行常州分行与金坛区政府签署协议。", ("江苏银行常州分行", "Company")),
        ("新加坡媒体发展管理局主办了活动。", ("新加坡媒体发展管理局", "Organization")),
        (
            "他是北京华夏幸福房地产开发有限公司的员工。",
            ("北京华夏幸福房地产开发有限公司", "Company"),
        ),
        ("经过民政局和公安局核实。", ("公安局", "Organization")),
        ("美国海军一艘驱逐舰抵达港口。", ("美国海军", "Organization")),
        ("日本陆上自卫队参加了演习。", ("日本陆上自卫队", "Organization")),
        ("消息传出后，香港证监会介入调查。", ("香港证监会", "Organization")),
        ("中国人民银行宣布下调存款准备金率。", ("中国人民银行", "Organization")),
        # associations, schools, hospitals, police stations
        ("昨日，省家具行业协会会长表示市场回暖。", ("省家具行业协会", "Organization")),
        ("中华诗词研究会副会长出席了活动。", ("中华诗词研究会", "Organization")),
        ("常州市光伏行业协会发布报告。", ("常州市光伏行业协会", "Organization")),
        ("中国共产党是中国工人阶级的先锋队。", ("中国共产党", "Organization")),
        ("民警从城关派出所赶到现场。", ("城关派出所", "Organization")),
        # a university's school, armed forces, teams
        ("由复旦大学心理学系和某机构共同策划。", ("复旦大学心理学系", "Organization")),
        ("这支部队由俄军改编。", ("俄军", "Organization")),
        ("纽卡斯尔队对阵斯托克城队。", ("纽卡斯尔队", "Organization")),
        ("纽卡斯尔队对阵斯托克城队。", ("斯托克城队", "Organization")),
        ("常州队在比赛中夺冠。", ("常州队", "Organization")),
        # countries, world cities and oceans
        ("他去年移居温哥华。", ("温哥华", "Place")),
        ("货轮横渡太平洋。", ("太平洋", "Place")),
        ("代表团访问了哥伦比亚和乌拉圭。", ("乌拉圭", "Place")),
        # streets and roads
        ("项目南邻广福路，北靠新昆洛路。", ("广福路", "Place")),
        ("项目南邻广福路，北靠新昆洛路。", ("新昆洛路", "Place")),
        ("限行区域为邢州大道、祥和大街围合的区域。", ("邢州大道", "Place")),
        ("限行区域为邢州大道、祥和大街围合的区域。", ("祥和大街", "Place")),
        ("门店位于上海市南京西路1266号。", ("南京西路1266号", "Place")),
        ("落户在长丰村的农户。", ("长丰村", "Place")),
        ("发展使东四环路成为新的中心带。", ("东四环路", "Place")),
        ("这条道路通往中山北路。", ("中山北路", "Place")),
    ],
)
def test_entities_rules_recognize_open_domain_names(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("他在商业银行工作。", "商业银行"),  # a kind of bank
        ("第一时间找银行确认。", "时间找银行"),
        ("附近的中介公司都接到了电话。", "中介公司"),
        ("本周全国17家商业银行共发行了44款理财产品。", "家商业银行"),  # 家 counts banks
        ("这个思路很好，走出一条新路。", "思路"),
        ("沿着公路和铁路一路向前。", "公路"),
        ("坐20路车到终点站。", "20路"),
        ("发布全国首个“车能路云”一体化方案。", "车能路"),
        ("链家地产市场研究部主任表示。", "市场研究部"),  # 市场 is not a city
        ("日本航空自卫队早日部署新一代战机。", "日本航空自卫队早日部署"),  # 部署 is a verb
        ("印度中北部地区遭遇暴雨。", "印度中北部"),
        ("司令员和政委向你交代任务。", "和政委"),  # 和政 is a county, 政委 a title
        ("开创新格局。", "新格局"),
        ("江苏企业协会成立。", "江苏企业协会"),  # a place and a generic word
        ("国内外银行等金融机构参与。", "国内外银行"),
        ("各大银行纷纷下调利率。", "各大银行"),
        ("省工信厅与市政府签署协议。", "省工信厅与市政府"),
        ("为新一代战机的引进铺平道路。", "铺平道路"),
        ("在人流如织的庙街街头走一走。", "庙街街"),
        ("在福州、济南等五市同时展开。", "等五市"),
        ("建设新农村和美丽乡村。", "新农村"),
        ("这个度假村很受欢迎。", "度假村"),
        ("消防队和施工队赶到现场。", "施工队"),
        ("国家队在主场获胜。", "国家队"),
        ("加大军费开支。", "大军"),
        ("我们请到三位来宾。", "来宾"),  # a city's short name that is an ordinary word
        ("马来西亚的代表出席。", "西亚"),
        ("常州新能源产业发展迅速。", "常州新能源"),  # a place and an industry
    ],
)
def test_entities_rules_reject_open_domain_non_names(text: str, surface: str) -> None:
    assert surface not in {name for name, _ in found(text)}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("发展集成电路产业。", ("集成电路", "Place")),  # 电路 is not a road
        ("报告提交给管理部门浦东新区教育局审核。", ("浦东新区", "Platform")),  # a district
    ],
)
def test_entities_rules_type_open_domain_words_right(text: str, absent: tuple[str, str]) -> None:
    assert absent not in found(text)


@pytest.mark.parametrize(
    ("texts", "surface", "names"),
    [
        # the article's own city, named often enough, says whose 市政府 it is
        (["常州发展快。常州企业多。常州市委、市政府提出新战略。"], "市政府", {"常州市人民政府"}),
        (["溧阳位于常州。溧阳有电池企业。溧阳市委召开会议。省委、省政府高度重视。"], "省委", set()),
        (
            ["南京很美。南京人口多。市委作出部署。", "苏州很美。苏州人口多。市委作出部署。"],
            "市委",
            {"南京市委", "苏州市委"},
        ),
        (["市委、市政府提出新战略。"], "市委", set()),  # no place: no mention
        (["常州发展快。常州企业多。常州市委书记出席。市委书记讲话。"], "市委", set()),  # a title
    ],
)
def test_entities_bare_bodies_are_the_article_places(
    texts: list[str], surface: str, names: set[str]
) -> None:
    sentences = [s for i, t in enumerate(texts) for s in split_sentences(f"a{i}", t)]
    mentions, ents = entities.resolve(entities.recognize(sentences, EMPTY), EMPTY)
    by_id = {e.id: e for e in ents}
    found_names = {by_id[m.entity_id].name for m in mentions if m.text == surface}
    assert found_names == names
    assert all(by_id[m.entity_id].type is T.ORGANIZATION for m in mentions if m.text == surface)


@pytest.mark.parametrize("table", ["default"])
def test_entities_bare_bodies_take_table_ids(table: str) -> None:
    aliases = entities.load_table(None)
    text = "常州发展快。常州企业多。常州的市委、市政府提出新战略。"
    mentions, _ = entities.resolve(entities.recognize(split_sentences("a", text), aliases), aliases)
    assert {m.entity_id for m in mentions if m.method == "home"} == {
        "org/changzhou-committee",
        "org/changzhou-government",
    }


@pytest.mark.parametrize("text", ["", "今天天气很好。", "1 2 3", "！！！"])
def test_entities_article_without_entities_is_fine(text: str) -> None:
    mentions = entities.recognize(split_sentences("t", text), entities.load_table(None))
    resolved, ents = entities.resolve(mentions, entities.load_table(None))
    assert (resolved, ents) == ([], [])


@pytest.mark.parametrize(
    ("texts", "same", "table"),
    [
        (
            [
                "中创新航是龙头。",
                "中创新航科技股份有限公司上市。",
                "中创新航科技集团股份有限公司成立。",
            ],
            True,
            "default",
        ),
        (["蜂巢能源、亿晶光电等企业。", "蜂巢能源科技有限公司投产。"], True, "empty"),
        (["溧阳是县级市。", "溧阳市位于常州。"], True, "default"),
        (["溧阳是常州的县级市。", "溧阳市位于常州。"], True, "empty"),
        (["溧水区在南京。", "溧阳市在常州。"], False, "default"),
        (["溧水区在南京。", "溧阳市在常州。"], False, "empty"),
        (["寧德時代在溧陽投資建設電池工廠。", "宁德时代在溧阳投资建设。"], True, "default"),
        (["蓝博氢能、天合元氢等企业。", "蓝博氢能、永安行等企业。"], True, "empty"),
        (["中德（常州）创新产业园开园。", "中德(常州)创新产业园开园。"], True, "empty"),
    ],
)
def test_entities_resolution_merges_variants_only(texts: list[str], same: bool, table: str) -> None:
    aliases = entities.load_table(None) if table == "default" else EMPTY
    sentences = [s for i, t in enumerate(texts) for s in split_sentences(f"a{i}", t)]
    mentions, ents = entities.resolve(entities.recognize(sentences, aliases), aliases)
    first = {m.article_id: m.entity_id for m in reversed(mentions)}
    ids = {first[f"a{i}"] for i in range(len(texts))}
    assert (len(ids) == 1) is same
    assert all(re.fullmatch(r"[a-z]+/[a-z0-9._-]+", e.id) for e in ents)


@pytest.mark.parametrize(
    ("text", "ident", "external"),
    [
        ("溧水区发展迅速。", "place/320117", ("adcode", "320117")),
        ("金坛区位于常州西部。", "place/320413", ("adcode", "320413")),
    ],
)
def test_entities_places_get_code_ids(text: str, ident: str, external: tuple[str, str]) -> None:
    _, ents = entities.resolve(entities.recognize(split_sentences("t", text), EMPTY), EMPTY)
    place = next(e for e in ents if e.id == ident)
    assert external in place.external


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_entities_ids_do_not_depend_on_article_order(order: tuple[int, int]) -> None:
    texts = ["蓝博氢能、天合元氢等企业落户。", "天合元氢科技有限公司投产。"]
    sentences = [s for i in order for s in split_sentences(f"a{i}", texts[i])]
    _, ents = entities.resolve(entities.recognize(sentences, EMPTY), EMPTY)
    assert hashed_id(T.COMPANY, "天合元氢") in {e.id for e in ents}


@pytest.mark.parametrize(
    ("text", "expected"), [("中创新航三期加速投产。", ("中创新航三期", "Project"))]
)
def test_entities_company_phase_is_project(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text, entities.load_table(None))


@pytest.mark.parametrize(
    ("name", "core"), [("蜂巢能源科技有限公司", "蜂巢能源"), ("IDG 资本", "IDG资本")]
)
def test_entities_core_name(name: str, core: str) -> None:
    assert core_name(name) == core


@pytest.mark.parametrize("table", ["default", "empty"])
def test_entities_offsets_round_trip_on_seeds(seed_articles: list[Article], table: str) -> None:
    aliases = entities.load_table(None) if table == "default" else EMPTY
    for article in seed_articles:
        mentions = entities.recognize(split_sentences(article.id, article.text), aliases)
        assert mentions
        for m in mentions:
            assert normalize_name(article.text[m.start : m.end]) == normalize_name(m.text)


@pytest.mark.parametrize("surface", ["“532”发展战略", "532发展战略"])
def test_entities_table_ids_travel_with_patterns(surface: str) -> None:
    table = parse_table(
        "id\ttype\tname\taliases\texternal\npolicy/532\tPolicy\t“532”发展战略\t\t\n"
    )
    mentions = entities.recognize(split_sentences("t", f"实施{surface}。"), table)
    mentions, ents = entities.resolve(mentions, table)
    assert [(m.entity_id, m.text) for m in mentions if m.type is T.POLICY] == [
        ("policy/532", surface)
    ]
    assert ents[0].name == "“532”发展战略"


@pytest.mark.parametrize("missing", ["nowhere.tsv"])
def test_entities_load_table_default_and_errors(tmp_path: Path, missing: str) -> None:
    assert len(entities.load_table(None)) > 100
    bad = tmp_path / "aliases.tsv"
    bad.write_text(
        "id\ttype\tname\ncompany/x\tCompany\t甲\ncompany/x\tCompany\t乙\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match=r"aliases.tsv:3: duplicate id"):
        entities.load_table(bad)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("company/x\tCompany\t甲\t\t\ncompany/x\tCompany\t乙\t\t\n", ":3: duplicate id company/x"),
        ("company/x\tFirm\t甲\t\t\n", ":2: unknown type 'Firm'"),
    ],
)
def test_entities_cli_reports_broken_table_in_one_line(
    tmp_path: Path, rows: str, message: str
) -> None:
    from click.testing import CliRunner

    from graph.cli import cli

    table = tmp_path / "aliases.tsv"
    table.write_text("id\ttype\tname\taliases\texternal\n" + rows, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("标题\n金坛区位于常州西部。\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", str(article), "-o", str(tmp_path / "out"), "--aliases", str(table)]
    )
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("texts", "ident", "aliases", "external"),
    [
        (
            ["溧阳市位于常州。", "溧陽發展很快，溧阳在常州。"],
            "place/320481",
            {"溧阳市"},
            ("adcode", "320481"),
        ),
        (["中国的新能源产业。"], "place/china", {"中华人民共和国"}, ("wikidata", "Q148")),
    ],
)
def test_entities_aliases_hold_surfaces_and_table_names(
    texts: list[str], ident: str, aliases: set[str], external: tuple[str, str]
) -> None:
    table = entities.load_table(None)
    sentences = [s for i, t in enumerate(texts) for s in split_sentences(f"a{i}", t)]
    _, ents = entities.resolve(entities.recognize(sentences, table), table)
    entity = next(e for e in ents if e.id == ident)
    assert aliases <= set(entity.aliases)
    assert entity.name not in entity.aliases
    assert external in entity.external


def _ids_of(text: str) -> tuple[dict[str, set[str]], dict[str, str]]:
    sentences = split_sentences("a", text)
    mentions, ents = entities.resolve(entities.recognize(sentences, EMPTY), EMPTY)
    ids: dict[str, set[str]] = {}
    for m in mentions:
        ids.setdefault(m.text, set()).add(m.entity_id)
    return ids, {e.id: e.name for e in ents}


@pytest.mark.parametrize(
    ("text", "names", "same", "preferred"),
    [
        # a short form defined in brackets, and its later uses
        (
            "武汉东湖新技术开发区（以下简称“东湖高新区”）发布新政。东湖高新区今年新增企业300家。",
            ["武汉东湖新技术开发区", "东湖高新区"],
            True,
            "武汉东湖新技术开发区",
        ),
        (
            "成都天府储能科技有限公司(简称“天府储能”)投产。天府储能今年扩产。",
            ["成都天府储能科技有限公司", "天府储能"],
            True,
            "成都天府储能科技有限公司",
        ),
        # a bracket that defines nothing links nothing
        (
            "成都天府新材料有限公司（成都高新区）投产。成都高新区发布政策。",
            ["成都天府新材料有限公司", "成都高新区"],
            False,
            None,
        ),
        # body variants
        ("长沙市政府与长沙市人民政府联合发布通知。", ["长沙市政府", "长沙市人民政府"], True, None),
        ("长沙市政府和株洲市人民政府签约。", ["长沙市政府", "株洲市人民政府"], False, None),
        ("无锡市惠山区委召开会议。惠山区委出台意见。", ["无锡市惠山区委", "惠山区委"], True, None),
        # 省工信厅 in an article about one province is that province's department
        (
            "湖南省工业和信息化厅发布通知。湖南省今年新增企业。湖南省出台政策。省工信厅表示支持。",
            ["湖南省工业和信息化厅", "省工信厅"],
            True,
            None,
        ),
        (
            "省工信厅表示支持。江西省工业和信息化厅发布通知。",
            ["江西省工业和信息化厅", "省工信厅"],
            False,
            None,
        ),
        # a group is not its regional member company
        (
            "丰田汽车（湖南）有限公司是丰田汽车集团控股的合资公司。",
            ["丰田汽车（湖南）有限公司", "丰田汽车集团"],
            False,
            None,
        ),
        # a company's short name without the province its full name starts with
        (
            "湖北楚天储能科技股份有限公司今年扩产。楚天储能、华菱线缆等企业参会。",
            ["湖北楚天储能科技股份有限公司", "楚天储能"],
            True,
            None,
        ),
        (
            "湖北楚天储能科技股份有限公司今年扩产。天储能源、华菱线缆等企业参会。",
            ["湖北楚天储能科技股份有限公司", "天储能源"],
            False,
            None,
        ),
    ],
)
def test_entities_one_name_one_entity(
    text: str, names: list[str], same: bool, preferred: str | None
) -> None:
    ids, labels = _ids_of(text)
    found = [ids[n] for n in names]
    assert all(len(f) == 1 for f in found)
    assert (len(set.union(*found)) == 1) is same
    if preferred is not None:
        assert labels[next(iter(found[0]))] == preferred


@pytest.mark.parametrize(
    ("text", "name", "present"),
    [
        ("长沙高新区联合湖南大学共同建设储能材料产业创新研究院。", "储能材料产业创新研究院", True),
        ("由比亚迪牵头，共同建设湖南省智能装备产业创新中心。", "湖南省智能装备产业创新中心", True),
        ("望城区将加快建设光伏新能源产业园。", "光伏新能源产业园", True),
        ("长安汽车还与重庆大学携手成立固态电池联合实验室。", "固态电池联合实验室", True),
        ("与华为携手打造的鸿途先进制造基地已实现量产。", "鸿途先进制造基地", True),
        ("宁波工业园区今年产值增长。", "宁波工业园区", True),
        ("华为在南京投资建设的华为南京研发中心已投入运营。", "华为南京研发中心", True),
        # a kind of platform, not a name
        ("建设新能源产业园。", "新能源产业园", False),
        ("支持一批储能研究院发展。", "储能研究院", False),
        ("鼓励企业建设研发中心和重点实验室。", "研发中心", False),
        ("打造先进制造基地。", "先进制造基地", False),
    ],
)
def test_entities_platforms_named_by_field_or_name(text: str, name: str, present: bool) -> None:
    assert ((name, "Platform") in found(text)) is present


@pytest.mark.parametrize(
    ("text", "name", "present"),
    [
        ("比亚迪刀片电池项目三期在长沙正式投产。", "比亚迪刀片电池项目三期", True),
        ("华友钴业在衢州建设年产5万吨电池级硫酸镍项目。", "年产5万吨电池级硫酸镍项目", True),
        ("株洲中车时代电气在株洲投资建设轨道交通装备项目。", "轨道交通装备项目", True),
        ("丰田汽车（湖南）有限公司在长沙经开区投资建设TNGA工厂。", "TNGA工厂", True),
        ("比亚迪在长沙建设智能工厂。", "智能工厂", False),
        # kinds of projects, and products without a builder
        ("加快推进整车及关键零部件项目建设。", "关键零部件项目", False),
        ("鼓励企业投资建设储能项目。", "储能项目", False),
        ("长沙今年建设重大项目30个。", "重大项目", False),
        ("望城区投资建设一批重点项目。", "一批重点项目", False),
    ],
)
def test_entities_projects_by_phase_capacity_and_product(
    text: str, name: str, present: bool
) -> None:
    assert ((name, "Project") in found(text)) is present


@pytest.mark.parametrize(
    ("text", "persons"),
    [
        # a signature under the title is no mention; the same person in the text is
        (
            "奋力打造储能产业新高地\n\n长沙经济技术开发区党工委书记 刘建华\n\n"
            "储能是长沙的关键产业。长沙经济技术开发区党工委书记刘建华表示，要加快发展。",
            1,
        ),
        ("标题一行\n\n中共株洲市委书记 曹志强\n\n正文第一句。", 0),
        ("株洲市委书记 曹志强 出席会议。", 1),
        ("会上，株洲市委书记 曹志强\n\n正文。", 1),
    ],
)
def test_entities_signature_under_title_is_no_person(text: str, persons: int) -> None:
    mentions = entities.recognize(split_sentences("a", text), EMPTY)
    assert sum(m.type is T.PERSON for m in mentions) == persons


@pytest.mark.parametrize(
    ("text", "short", "place"),
    [
        (
            "湖南时代储能科技有限公司（以下简称“湖南时代”）在长沙投产。湖南时代总部位于长沙市。",
            "湖南时代",
            "湖南",
        ),
        (
            "岳阳绿色化工高新技术产业开发区（简称“岳阳化工区”）发布规划。岳阳化工区新增企业20家。",
            "岳阳化工区",
            "岳阳",
        ),
    ],
)
def test_entities_defined_short_form_is_recognized_later(text: str, short: str, place: str) -> None:
    sentences = split_sentences("a", text)
    mentions, ents = entities.resolve(entities.recognize(sentences, EMPTY), EMPTY)
    uses = [m for m in mentions if m.text == short]
    assert len(uses) == 2
    assert len({m.entity_id for m in uses}) == 1
    assert not any(m.text == place for m in mentions)
    entity = next(e for e in ents if e.id == uses[0].entity_id)
    assert short in entity.aliases


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # 和 inside a department's name
        (
            "长沙市工业和信息化局、株洲市住房和城乡建设局联合发文。",
            {("长沙市工业和信息化局", "Organization"), ("株洲市住房和城乡建设局", "Organization")},
            set(),
        ),
        ("湘潭市自然资源和规划局批复。", {("湘潭市自然资源和规划局", "Organization")}, set()),
        # 和 between two bodies
        (
            "省工信厅和市政府联合发文。",
            {("省工信厅", "Organization")},
            {("省工信厅和市政府", "Organization")},
        ),
        # a trade name jieba cut into single characters
        (
            "湖南以长沙市鑫极能源科技有限公司、广东华九新能源有限公司为链主企业。",
            {("长沙市鑫极能源科技有限公司", "Company"), ("广东华九新能源有限公司", "Company")},
            set(),
        ),
        ("全市有三家新能源有限公司。", set(), {("家新能源有限公司", "Company")}),
        ("他在新能源有限公司工作。", set(), {("在新能源有限公司", "Company")}),
    ],
)
def test_entities_full_names_read_leftwards(
    text: str, expected: set[tuple[str, str]], absent: set[tuple[str, str]]
) -> None:
    names = found(text)
    assert expected <= names
    assert not absent & names


@pytest.mark.parametrize(
    ("text", "name", "present"),
    [
        ("南京理工大学、电子科技大学、湘潭工业大学共同参与。", "电子科技大学", True),
        ("南京理工大学、电子科技大学、湘潭工业大学共同参与。", "湘潭工业大学", True),
        ("宁波工业园区管委会发布通知。", "宁波工业园区管委会", True),
        ("国内一流大学和重点大学参与。", "重点大学", False),
        ("鼓励国内大学与企业合作。", "国内大学", False),
        ("宁德师范学院与宁德时代携手共建现代产业学院。", "现代产业学院", False),
        ("园区管委会发布通知。", "园区管委会", False),
    ],
)
def test_entities_schools_and_zone_committees(text: str, name: str, present: bool) -> None:
    assert ((name, "Organization") in found(text)) is present


@pytest.mark.parametrize(
    ("text", "name", "etype", "present"),
    [
        ("比亚迪加入中国汽车储能产业创新联盟。", "中国汽车储能产业创新联盟", "Organization", True),
        ("长沙储能产业联盟成立。", "长沙储能产业联盟", "Organization", True),
        ("组建储能产业联盟。", "储能产业联盟", "Organization", False),
        ("上海张江生命科学园开园。", "上海张江生命科学园", "Platform", True),
        (
            "依托广州（梅州）产业转移工业园建设配套基地。",
            "广州（梅州）产业转移工业园",
            "Platform",
            True,
        ),
        ("推动产业转移工业园建设。", "产业转移工业园", "Platform", False),
    ],
)
def test_entities_alliances_and_parks(text: str, name: str, etype: str, present: bool) -> None:
    assert ((name, etype) in found(text)) is present


@pytest.mark.parametrize(
    ("text", "name", "present"),
    [
        ("比亚迪全资子公司弗迪电池在长沙投资建设电池工厂。", "弗迪电池", True),
        ("株洲冶炼股份有限公司的控股子公司株冶新能源在株洲建设项目。", "株冶新能源", True),
        ("公司成立全资子公司负责运营，今年营收增长。", "负责运营", False),
        ("全资子公司今年实现营收10亿元。", "今年实现营收", False),
    ],
)
def test_entities_name_after_subsidiary_is_company(text: str, name: str, present: bool) -> None:
    assert ((name, "Company") in found(text)) is present


@pytest.mark.parametrize(
    ("text", "name", "present"),
    [
        ("下一步，常州将围绕动力电池、晶硅光伏两大主导产业发展。", "晶硅光伏", False),
        ("常州大力发展晶硅光伏产业。", "晶硅光伏", False),
        ("精测新能源、兴禾智能装备等企业开工。", "兴禾智能装备", True),
        ("亿晶光电今年营收增长。", "亿晶光电", True),
    ],
)
def test_entities_industry_is_no_short_company(text: str, name: str, present: bool) -> None:
    assert ((name, "Company") in found(text)) is present
