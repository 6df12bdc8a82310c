"""Figures: numbers with units, their subject, measure and period, as observation nodes."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from rdflib.namespace import RDF

from graph import figures
from graph.figures import canonical, measure_of, parse_number, periods, quantities, subject_of
from graph.outputs import export, network
from graph.pipeline import run
from graph.query import engine as query
from graph.query import named as query_named
from graph.query import sources as query_sources
from graph.rdf.build import to_graph
from graph.rdf.validate import validate
from graph.rdf.vocab import ID as NEKG_ID
from graph.rdf.vocab import NEKG
from graph.rdf.write import to_turtle
from graph.records import (
    Article,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Figure,
    Mention,
    Relation,
    RelationType,
    Sentence,
)

# --- numbers --------------------------------------------------------------------------------

NUMBER_CASES = [
    ("1.5万", "15000"),
    ("1.5万亿", "1500000000000"),
    ("三千", "3000"),
    ("1000亿", "100000000000"),
    ("百", "100"),
    ("五百亿", "50000000000"),
    ("两千五百", "2500"),
    ("十四万", "140000"),
    ("一百二十万", "1200000"),
    ("3亿5000万", "350000000"),
    ("1,200", "1200"),
    ("亿", "100000000"),
    ("一二三四", None),  # digits without places: not a number
    ("1..5亿", None),
    ("12三", None),
    ("9" * 30, None),  # too long to be a figure
]


@pytest.mark.parametrize(("text", "value"), NUMBER_CASES)
def test_figures_parse_number(text, value):
    parsed = parse_number(text)
    assert (canonical(parsed) if parsed is not None else None) == value


@given(st.text(alphabet="0123456789.,一二两三四五六七八九十百千万亿零", max_size=30))
def test_figures_parse_number_never_crashes(text):
    value = parse_number(text)
    assert value is None or (value >= 0 and value < Decimal(10) ** 20)


@given(st.text(max_size=60))
def test_figures_quantities_never_crash_on_any_text(text):
    for q in quantities(text):
        assert 0 <= q.begin < q.end <= len(text)


# --- recognition: (sentence, [(as written, value, unit, qualifier)]) -------------------------

QUANTITY_CASES = [
    ("项目总投资150亿元", [("150亿元", "15000000000", "CNY", "")]),
    ("计划总投资1.5万亿元", [("1.5万亿元", "1500000000000", "CNY", "")]),
    ("总投资超10亿元", [("超10亿元", "1000000000", "CNY", "over")]),
    ("产值突破1000亿元", [("突破1000亿元", "100000000000", "CNY", "over")]),
    ("年产40GWh动力电池", [("40GWh", "40000000000", "Wh", "")]),
    ("产量47吉瓦时", [("47吉瓦时", "47000000000", "Wh", "")]),
    ("装机12万千瓦", [("12万千瓦", "120000000", "W", "")]),
    ("用电量67.95亿千瓦时", [("67.95亿千瓦时", "6795000000000", "Wh", "")]),
    ("光伏装机2GW", [("2GW", "2000000000", "W", "")]),
    ("年产负极材料5万吨", [("5万吨", "50000", "t", "")]),
    ("占地约300亩", [("约300亩", "300", "mu", "approx")]),
    ("面积超140万平方米", [("超140万平方米", "1400000", "m2", "over")]),
    ("规划面积3.5平方公里", [("3.5平方公里", "3500000", "m2", "")]),
    ("引进外资2亿美元", [("2亿美元", "200000000", "USD", "")]),
    ("投资5000万欧元", [("5000万欧元", "50000000", "EUR", "")]),
    ("链上企业超百家", [("超百家", "100", "count", "over")]),
    ("集聚企业3400余家", [("3400余家", "3400", "count", "over")]),
    ("引进80多个项目", [("80多个", "80", "count", "over")]),
    ("近百家机构", [("近百家", "100", "count", "nearly")]),
    ("新增5项改革", [("5项", "5", "count", "")]),
    ("增长55%", [("55%", "55", "percent", "")]),
    ("占比达40%以上", [("40%以上", "40", "percent", "at-least")]),
    ("稳定在43%左右", [("43%左右", "43", "percent", "approx")]),
    ("高于全市增速5.9个百分点", [("5.9个百分点", "5.9", "pp", "")]),
    ("两大千亿级地标产业", [("千亿级", "100000000000", "CNY", "level")]),
    ("多个百亿级特色产业", [("百亿级", "10000000000", "CNY", "level")]),
    (
        "规模突破千亿达1050亿",
        [("突破千亿", "100000000000", "CNY", "over"), ("1050亿", "105000000000", "CNY", "")],
    ),
    ("位列第五", [("第五", "5", "rank", "")]),
    ("分列全国第3和第7", [("第3", "3", "rank", ""), ("第7", "7", "rank", "")]),
    ("跃居第25位", [("第25位", "25", "rank", "")]),
    ("进入前十五", [("前十五", "15", "rank", "top")]),
    ("位居全省首位", [("首位", "1", "rank", "")]),
    ("跻身百强33位", [("33位", "33", "rank", "")]),
    ("同比增长近九成", [("近九成", "90", "percent", "nearly")]),
    ("输送毕业生500人以上", [("500人以上", "500", "count", "at-least")]),
    ("年产整车能力突破百万辆", [("突破百万辆", "1000000", "count", "over")]),
    ("营收首破千亿", [("首破千亿", "100000000000", "CNY", "over")]),
]


def _seen(text):
    return [
        (text[q.begin : q.end], canonical(q.value), q.unit, q.qualifier) for q in quantities(text)
    ]


@pytest.mark.parametrize(("text", "expected"), QUANTITY_CASES)
def test_figures_quantities(text, expected):
    assert _seen(text) == expected


NOT_FIGURE_CASES = [
    "一期项目和二期项目同步建设",  # phases
    "四期项目达产后",
    "2023年1月29日上午",  # dates are periods, not figures
    "立志成为一家全球领先的企业",  # 一家: the article "a"
    "一个个项目欣欣向荣",
    "第一家入驻金坛的企业",  # an ordinal, not a ranking
    "全国第二批创新型县市",
    "从百亿项目到千亿产业",  # a class of size
    "企业开办平均用时0.52个工作日",  # a count is whole
    "计划在3年内完成",
    "“两湖”创新区和“五大行动”",
    "打造“2+2+X”产业集群",
    "一二三四家",
    "1..5亿元",
    "排名前列",
    "人民群众和人才",  # 人 is part of a word
    "一成不变",
    "前7个月",
]


@pytest.mark.parametrize("text", NOT_FIGURE_CASES)
def test_figures_not_figures(text):
    assert _seen(text) == []


def test_figures_unknown_unit_is_kept_as_written_without_a_value(tmp_path):
    text = "2023年，某公司电池单体容量达到20Ah。"
    (q,) = quantities(text)
    assert (text[q.begin : q.end], q.value, q.unit, q.unit_text) == ("20Ah", None, "", "Ah")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    extraction = run([tmp_path / "a.txt"])
    (figure,) = extraction.figures
    graph = to_graph(extraction)
    assert validate(graph).conforms
    assert not list(graph.objects(None, NEKG.value))
    assert figure.measure == "amount"


def test_figures_unit_data_is_well_formed():
    for unit in figures.units():
        assert unit.written
        assert unit.base
        assert unit.factor > 0


# --- measures: every rule, where it fires and where it must not ------------------------------

MEASURE_CASES = [
    ("figure-investment", "项目总投资150亿元", "150亿元", True),
    ("figure-investment", "计划新增投资20亿元", "20亿元", True),
    ("figure-investment", "实现营业收入150亿元", "150亿元", False),
    ("figure-capacity", "建成后年产40GWh动力电池", "40GWh", True),
    ("figure-capacity", "已建产能120GWh", "120GWh", True),
    ("figure-capacity", "总投资40亿元", "40亿元", False),
    ("figure-capacity", "年处理废旧电池能力达到10万吨", "10万吨", True),
    ("figure-capacity-after", "刀片电池生产线已形成30吉瓦时年产能", "30吉瓦时", True),
    ("figure-capacity-after", "30吉瓦时的储能电站投运", "30吉瓦时", False),
    ("figure-capacity-count", "年产风电叶片1000套", "1000套", True),
    ("figure-capacity-count", "建成人才公寓1000套", "1000套", False),
    ("figure-output-value", "实现规上工业总产值1287.4亿元", "1287.4亿元", True),
    ("figure-output-value", "产值增长25.3%", "25.3%", False),
    ("figure-revenue", "实现营业收入98亿元", "98亿元", True),
    ("figure-revenue", "工业应税销售收入2849亿元", "2849亿元", True),
    ("figure-revenue", "总投资98亿元", "98亿元", False),
    ("figure-tax", "力争纳税突破亿元大关", "突破亿元", True),
    ("figure-gdp", "地区生产总值达8807.6亿元", "8807.6亿元", True),
    ("figure-gdp", "地区生产总值达8807.6亿元，增长9.1%", "9.1%", False),
    ("figure-scale", "两大千亿级地标产业", "千亿级", True),
    ("figure-scale", "产值1000亿元", "1000亿元", False),
    ("figure-scale-cny", "动力电池产业规模突破千亿", "突破千亿", True),
    ("figure-electricity", "工业用电量67.95亿千瓦时", "67.95亿千瓦时", True),
    ("figure-electricity", "产量47吉瓦时", "47吉瓦时", False),
    ("figure-area", "项目占地约300亩", "约300亩", True),
    ("figure-area", "总面积超140万平方米", "超140万平方米", True),
    ("figure-area", "年产5万吨", "5万吨", False),
    ("figure-growth", "同比增长116.3%", "116.3%", True),
    ("figure-growth", "高于全市增速5.9个百分点", "5.9个百分点", True),
    ("figure-growth", "占全市比重的39.4%", "39.4%", False),
    ("figure-share", "占全市规上工业总产值的比重达88.6%", "88.6%", True),
    ("figure-share", "同比增长88.6%", "88.6%", False),
    ("figure-firm-count-before", "集聚重点企业100余家", "100余家", True),
    ("figure-firm-count", "近百家省级研发机构相继落地", "近百家", True),
    ("figure-firm-count-before", "其中规上企业超过300个", "超过300个", True),
    ("figure-firm-count", "累计引进80多个产业链项目", "80多个", False),
    ("figure-project-count", "累计引进80多个产业链项目", "80多个", True),
    ("figure-project-count-before", "力争招引重大项目5个以上", "5个以上", True),
    ("figure-project-count", "推进50项改革任务", "50项", False),
    ("figure-rank", "位列全国第五", "第五", True),
    ("figure-rank", "位列全国第五", "第五", True),
    ("figure-capacity-completion", "投产后可年产电动客车5000辆", "5000辆", False),
    ("figure-capacity-completion", "项目建成后每年可生产整车10万辆", "10万辆", True),
    ("figure-capacity-plant", "20GWh固态电池工厂开工", "20GWh", True),
    ("figure-capacity-plant", "累计出货20GWh", "20GWh", False),
    ("figure-capacity-unit", "26兆瓦风电机组下线", "26兆瓦", True),
    ("figure-capacity-unit", "年发电量26亿千瓦时", "26亿千瓦时", False),
    ("figure-firm-count-unit", "产业链已集聚超300家", "超300家", True),
    ("figure-firm-count-unit", "已建成30家省级研发平台", "30家", False),
    ("figure-platform-count", "已建成30家省级研发平台", "30家", True),
    ("figure-platform-count", "已引进30家新能源企业", "30家", False),
]


@pytest.mark.parametrize(("rule_id", "text", "written", "fires"), MEASURE_CASES)
def test_figures_measure_rules(rule_id, text, written, fires):
    (q,) = [q for q in quantities(text) if text[q.begin : q.end] == written]
    rule = measure_of(text, q)
    assert (rule is not None and rule.id == rule_id) is fires


def test_figures_every_measure_rule_has_examples():
    tested = {case[0] for case in MEASURE_CASES}
    assert {r.id for r in figures.measure_rules()} <= tested


def test_figures_unmatched_measure_falls_back_by_unit():
    (q,) = quantities("全省95个县市区")
    assert measure_of("全省95个县市区", q) is None


# --- subjects: (sentence, mentions, figure, subject id, rule) --------------------------------

C, P, CH, PL, PE = (
    EntityType.COMPANY,
    EntityType.PLACE,
    EntityType.INDUSTRY_CHAIN,
    EntityType.PLATFORM,
    EntityType.PERSON,
)

SUBJECT_CASES = [
    # the nearest governing mention in the clause
    ("贝特瑞计划新增投资20亿元", [("贝特瑞", C)], "20亿元", "贝特瑞", "clause"),
    ("溧阳实现产值1287.4亿元", [("溧阳", P)], "1287.4亿元", "溧阳", "clause"),
    # a chain is passed over for a place in the same clause; what is counted is not its subject
    ("溧阳打造动力电池2个千亿级产业集群", [("溧阳", P), ("动力电池", CH)], "2个", "溧阳", "clause"),
    # a chain may be the subject of its own output
    ("光伏产业实现产值119.1亿元", [("光伏", CH)], "119.1亿元", "光伏", "chain"),
    # for what a company has, a company in the clause governs before a place
    ("金风科技大丰基地年产200台", [("金风科技", C), ("大丰", P)], "200台", "金风科技", "clause"),
    ("大丰区新增企业20家", [("大丰区", P)], "20家", "大丰区", "clause"),
    # 由A与B组建的C: A and B modify C
    (
        "其中，由甲集团与乙公司合资组建的丙公司启动二期项目，投资62亿元",
        [("甲集团", C), ("乙公司", C), ("丙公司", C)],
        "62亿元",
        "丙公司",
        "created",
    ),
    # walking back: the nearest clause with a mention, not the sentence's first
    (
        "芜湖经开区发布消息，奇瑞与开发区签署协议，投资120亿元",
        [("芜湖经开区", PL), ("奇瑞", C)],
        "120亿元",
        "奇瑞",
        "sentence",
    ),
    # the source of the news is no subject
    (
        "记者从市工信局获悉，营业收入1036亿元",
        [("市工信局", EntityType.ORGANIZATION)],
        "1036亿元",
        "",
        "",
    ),
    # a place after 在 is where, not who
    (
        "江苏时代在溧阳建设的项目年产30GWh",
        [("江苏时代", C), ("溧阳", P)],
        "30GWh",
        "江苏时代",
        "clause",
    ),
    # the members a count lists are not what it is about
    (
        "溧阳引进甲研究院、乙研究院等十余家平台",
        [("溧阳", P), ("甲研究院", PL), ("乙研究院", PL)],
        "十余家",
        "溧阳",
        "clause",
    ),
    # the scope of a ranking is not the ranked
    ("溧阳各项指标增幅均位居常州首位", [("溧阳", P), ("常州", P)], "首位", "溧阳", "clause"),
    ("荣列中国县级市百强榜第17位", [("中国", P)], "第17位", "", ""),
    # beyond the clause: the sentence's topic, not a modifier clause
    ("直溪镇将强化招引，力争新招引重大项目1个", [("直溪镇", P)], "1个", "直溪镇", "sentence"),
    ("以宁德时代为龙头，累计引进80多个项目", [("宁德时代", C)], "80多个", "", ""),
    # a person is never a figure's subject
    ("陆秋明表示，全年完成投资100亿元", [("陆秋明", PE)], "100亿元", "", ""),
    # an investment is not a chain's
    ("动力电池总投资50亿元", [("动力电池", CH)], "50亿元", "", ""),
]


def _sentence(text):
    return Sentence("a1", 0, text, 0, len(text), tuple(range(len(text) + 1)))


def _mentions(text, named):
    found = []
    for surface, kind in named:
        at = text.index(surface)
        found.append(Mention("a1", 0, at, at + len(surface), surface, kind, surface))
    return found


@pytest.mark.parametrize(("text", "named", "written", "subject", "how"), SUBJECT_CASES)
def test_figures_subject_rules(text, named, written, subject, how):
    (q,) = [q for q in quantities(text) if text[q.begin : q.end] == written]
    rule = measure_of(text, q)
    measure = rule.measure if rule else figures._fallback(q)[1]
    found, rule_id = subject_of(q.begin, measure, _sentence(text), _mentions(text, named))
    assert (found, rule_id) == (subject, f"figure-subject-{how}" if how else "")


def test_figures_subject_falls_back_to_the_article_place():
    text = "累计引进80多个项目"
    (q,) = quantities(text)
    found = subject_of(q.begin, "project-count", _sentence(text), [], topic="place/320481")
    assert found == ("place/320481", "figure-subject-article")


# --- periods ---------------------------------------------------------------------------------

PERIOD_CASES = [
    ("2023年，产值1000亿元", "2024-09-26", "2023", "stated"),
    ("2023年上半年，产值1000亿元", "2024-09-26", "2023-01/2023-06", "stated"),
    ("今年上半年，产值1000亿元", "2024-09-26", "2024-01/2024-06", "relative to article date"),
    ("去年，产值1000亿元", "2024-09", "2023", "relative to article date"),
    ("“十四五”期间，每年安排100亿元", "2022-02", "2021/2025", "five-year plan"),
    ("到2025年，规模超6500亿元", "2022-02", "2025", "target year"),
    ("产值1000亿元", "2024-09-26", "2024", "article date"),
    ("产值1000亿元", "", "", ""),
    ("前三季度，营业收入1036亿元", "2026-10-18", "2026-01/2026-09", "relative to article date"),
    ("全年完成投资100亿元", "2023", "2023", "relative to article date"),
    # a period in a later clause does not reach back
    ("产值1000亿元，在2022年首次过半", "2023", "2023", "article date"),
]


@pytest.mark.parametrize(("text", "date", "period", "resolution"), PERIOD_CASES)
def test_figures_period_resolution(text, date, period, resolution):
    (q,) = [q for q in quantities(text) if q.unit == "CNY"]
    value, _, how = figures.period_for(q.begin, periods(text, date), date)
    assert value == period
    assert how.startswith(resolution)


# --- the pipeline, RDF and queries -----------------------------------------------------------


ARTICLE = "2023年，中创新航在金坛投资建设的项目总投资150亿元，建成后年产40GWh动力电池。"


def test_figures_pipeline_finds_them_with_evidence(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    extraction = run([tmp_path / "a.txt"])
    got = {(f.text, canonical(f.value), f.unit, f.measure, f.period) for f in extraction.figures}
    assert got == {
        ("150亿元", "15000000000", "CNY", "investment", "2023"),
        ("40GWh", "40000000000", "Wh", "capacity", "2023"),
    }
    for f in extraction.figures:
        assert ARTICLE[f.start : f.end] == f.text
        assert f.evidence.method.startswith("figure-")
        assert f.evidence.sentence == ARTICLE


def _figure(subject, measure, value, unit, text, period, start=0):
    return Figure(
        "a1",
        0,
        start,
        start + len(text),
        text,
        Decimal(value),
        unit,
        "亿元",
        "",
        measure,
        subject,
        period,
        "",
        "stated",
        Evidence("a1", "s", 0, 30, f"figure-{measure}", 0.9),
    )


def _extraction(*found):
    return Extraction(
        articles=(Article("a1", "x" * 40, title="t", date="2023"),),
        entities=(
            Entity("company/calb", C, "中创新航"),
            Entity("place/320413", P, "金坛区"),
            Entity("place/320400", P, "常州市"),
            Entity("chain/power-battery", CH, "动力电池"),
        ),
        relations=(
            Relation(
                "company/calb",
                RelationType.LOCATED_IN,
                "place/320413",
                (Evidence("a1", "s", 0, 30, "test"),),
            ),
            Relation(
                "place/320413",
                RelationType.PART_OF,
                "place/320400",
                (Evidence("a1", "s", 0, 30, "test"),),
            ),
            Relation(
                "company/calb",
                RelationType.LEADS_CHAIN,
                "chain/power-battery",
                (Evidence("a1", "s", 0, 30, "test"),),
            ),
        ),
        figures=found,
    )


FIGURES = (
    _figure("company/calb", "investment", "15000000000", "CNY", "150亿元", "2023", 1),
    _figure("company/calb", "investment", "2000000000", "CNY", "20亿元", "2022", 10),
    _figure("company/calb", "capacity", "40000000000", "Wh", "40GWh", "2023", 20),
)


def test_figures_rdf_is_valid_and_deterministic():
    graph = to_graph(_extraction(*FIGURES))
    assert validate(graph).conforms
    assert len(set(graph.subjects(RDF.type, NEKG.Observation))) == 3
    assert to_turtle(graph) == to_turtle(to_graph(_extraction(*reversed(FIGURES))))
    assert '"15000000000"^^xsd:decimal' in to_turtle(graph)


def test_figures_shapes_refuse_a_bad_period():
    bad = _figure("company/calb", "investment", "1", "CNY", "1亿元", "last year")
    assert not validate(to_graph(_extraction(bad))).conforms


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("figures") / "graph.ttl"
    path.write_text(to_turtle(to_graph(_extraction(*FIGURES))), encoding="utf-8")
    return query_sources.LocalGraph.load(path)


QUERY_CASES = [
    ("figures-of", {"entity": "中创新航"}, ["40GWh", "20亿元", "150亿元"]),
    ("investments-in", {"place": "常州市"}, ["20亿元", "150亿元"]),  # by period
    ("investments-in", {"place": "常州市", "year": "2023"}, ["150亿元"]),
    ("investments-in", {"place": "金坛区", "year": "2021"}, []),
    ("capacity-by-company", {"chain": "动力电池"}, ["40GWh"]),
]


@pytest.mark.parametrize(("name", "params", "texts"), QUERY_CASES)
def test_figures_named_queries(source, name, params, texts):
    named = query_named.named_query(name)
    result = query.run(source, named.text, params, declared=named.params, name=name)
    column = result.variables.index("text")
    assert [row[column].value for row in result.rows] == texts


def test_figures_gold_is_well_formed():
    lines = (ROOT / "tests/data/figures/gold.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        row = json.loads(line)
        assert parse_number(row["value"]) is not None
        assert row["measure"]
        assert row["unit"]
    assert len(lines) >= 50


def test_figures_export_csv_is_one_row_a_figure(tmp_path):
    graph_file = tmp_path / "graph.ttl"
    graph_file.write_text(to_turtle(to_graph(_extraction(*FIGURES))), encoding="utf-8")
    out = tmp_path / "figures.csv"
    export.export(graph_file, export.format_for(out), out)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [(r["text"], r["value"], r["unit"], r["measure"], r["period"]) for r in rows] == [
        ("150亿元", "15000000000", "CNY", "investment", "2023"),
        ("20亿元", "2000000000", "CNY", "investment", "2022"),
        ("40GWh", "40000000000", "Wh", "capacity", "2023"),
    ]
    assert {r["subject_label"] for r in rows} == {"中创新航"}


def test_figures_export_csv_does_not_run_article_text_as_a_formula():
    bad = _figure("company/calb", "investment", "1", "CNY", "=1+1亿元", "2023")
    table = export.to_figures_csv(to_graph(_extraction(bad)))
    (row,) = csv.DictReader(table.splitlines())
    assert row["text"] == "'=1+1亿元"


def test_figures_html_lists_them_in_the_entity_details_not_as_nodes():
    net = network.to_network(to_graph(_extraction(*FIGURES)))
    assert not [n for n in net if "/figure/" in n]
    details = net.nodes[str(NEKG_ID["company/calb"])]["details"]
    assert [(f["text"], f["measure"], f["period"]) for f in details["figures"]] == [
        ("40GWh", "capacity", "2023"),
        ("20亿元", "investment", "2022"),
        ("150亿元", "investment", "2023"),
    ]
