"""Gazetteers: listed companies, universities and townships from graph/data/gazetteer/.

Every recognition case runs without the alias table, so what is found comes from the
gazetteers and the rules alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from graph.entities.aliases import AliasTable, AliasTableError, parse_table
from graph.entities.recognize import needs_context, recognize, resolve
from graph.errors import GraphError
from graph.rdf import build as rdf
from graph.rdf import validate
from graph.rdf.vocab import ID, NEKG
from graph.records import Entity, EntityType
from graph.text.normalize import split_sentences

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "graph" / "data" / "gazetteer"
C, ORG, P = EntityType.COMPANY, EntityType.ORGANIZATION, EntityType.PLACE


def _found(text: str) -> set[tuple[str, EntityType]]:
    return {(m.text, m.type) for m in recognize(split_sentences("a", text), AliasTable())}


def _resolved(text: str) -> tuple[list, dict[str, Entity]]:
    mentions, entities = resolve(recognize(split_sentences("a", text), AliasTable()))
    return mentions, {e.id: e for e in entities}


# sentence, expected (name, type), names that must not be found as a company
RECOGNITION = [
    # full names of listed firms are strong matches
    ("宁德时代新能源科技股份有限公司在溧阳投资。", [("宁德时代新能源科技股份有限公司", C)], []),
    # short names that are no ordinary word stand alone
    ("欣旺达与科达利签署战略合作协议。", [("欣旺达", C), ("科达利", C)], []),
    ("深圳欣旺达在常州建设基地。", [("欣旺达", C), ("深圳", P)], ["深圳欣旺达"]),
    # short names that are ordinary words need company context ...
    ("阳光宣布投资10亿元建设新工厂。", [("阳光", C)], []),
    ("比亚迪、联合、宁德时代等企业纷纷落户。", [("联合", C)], []),
    ("龙头企业阳光在合肥扩产。", [("阳光", C)], []),
    ("东方日升在金坛投资建设光伏项目。", [("东方日升", C)], []),
    ("阳光在这里照耀，大家在路上投资未来。", [], ["阳光"]),
    ("万科公司发布了年报。", [], []),  # the suffix rule's 万科公司 wins over the short name
    # ... and stay words without it
    ("今天阳光明媚，老百姓出门散步。", [], ["阳光", "老百姓"]),
    ("机器人产业和新产业不断涌现。", [], ["机器人", "新产业"]),
    ("线上线下同步开展，联合各方力量。", [], ["线上线下", "联合"]),
    ("游客登上峨眉山，远眺太平洋的方向。", [], ["峨眉山", "太平洋"]),
    # a short name inside a longer word is not a mention
    ("万科学园正在招生。", [], ["万科"]),
    ("2024胡润中国新能源产业集聚度城市榜发布。", [], ["国新能源"]),
    # universities
    ("常州大学与江苏理工学院共建实验室。", [("常州大学", ORG), ("江苏理工学院", ORG)], []),
    # townships: with their county or city in the article, also after it without a break
    ("常州市金坛区直溪镇举行签约仪式。", [("直溪镇", P), ("金坛区", P)], []),
    ("北京市朝阳区望京街道新设服务站。", [("望京街道", P), ("朝阳区", P)], []),
    ("溧阳市天目湖镇发展旅游。", [("天目湖镇", P), ("溧阳市", P)], []),
]


@pytest.mark.parametrize(("text", "expected", "not_companies"), RECOGNITION)
def test_gazetteer_recognition(text, expected, not_companies):
    found = _found(text)
    for item in expected:
        assert item in found, f"{item} not in {found}"
    for name in not_companies:
        assert (name, C) not in found, f"{name} taken as a company in {found}"


# sentence, township, its expected code; None: the township must not get a code
TOWNS = [
    ("常州市金坛区直溪镇举行签约仪式。", "直溪镇", "320413106"),
    ("常州市新北区新桥街道举行招商推介会。", "新桥街道", "320411006"),
    ("深圳市宝安区新桥街道举行招商推介会。", "新桥街道", "440306023"),
    ("新桥街道举行招商推介会。", "新桥街道", None),  # eight units share the name
    ("直溪镇举行签约仪式。", "直溪镇", None),  # no county or city named
    ("江苏省直溪镇举行签约仪式。", "直溪镇", None),  # a province is not enough
]


@pytest.mark.parametrize(("text", "town", "code"), TOWNS)
def test_townships_resolve_only_with_their_county_or_city(text, town, code):
    mentions, entities = _resolved(text)
    ids = {m.entity_id for m in mentions if m.text == town}
    codes = {v for i in ids for s, v in entities[i].external if s == "adcode"}
    if code is None:
        assert not codes, f"{town} got {codes} without its county or city"
    else:
        assert ids == {f"place/{code}"}
        assert codes == {code}


# short name, needs context?
CONTEXT = [
    ("宁德时代", False),
    ("欣旺达", False),
    ("东方电气", False),  # common words, but ending like a company name
    ("万科", True),  # two characters
    ("联合", True),
    ("老百姓", True),  # a dictionary word
    ("太平洋", True),  # a place word
    ("连云港", True),  # a place of the division table
    ("新产业", True),  # common word plus a character
    ("线上线下", True),
]


@pytest.mark.parametrize(("short", "expected"), CONTEXT)
def test_needs_context(short, expected):
    assert needs_context(short) is expected


# text, entity name, stock codes it must carry
STOCK_CODES = [
    ("宁德时代新能源科技股份有限公司在宁德。", "宁德时代新能源科技股份有限公司", {"300750.SZ"}),
    ("欣旺达与科达利签署协议。", "欣旺达", {"300207.SZ"}),
    ("理想汽车在常州建设基地。", "理想汽车", {"02015.HK"}),
]


@pytest.mark.parametrize(("text", "name", "codes"), STOCK_CODES)
def test_listed_companies_carry_their_stock_code(text, name, codes):
    _, entities = _resolved(text)
    entity = next(e for e in entities.values() if e.name == name)
    assert {v for s, v in entity.external if s == "stock"} == codes


def test_short_and_full_name_of_one_listing_are_one_entity():
    mentions, entities = _resolved(
        "欣旺达电子股份有限公司是电池企业。据介绍，欣旺达计划在常州扩产。"
    )
    ids = {m.entity_id for m in mentions if "欣旺达" in m.text}
    assert len(ids) == 1
    entity = entities[ids.pop()]
    assert ("stock", "300207.SZ") in entity.external
    assert {"欣旺达", "欣旺达电子股份有限公司"} <= {entity.name, *entity.aliases}


def test_ordinary_word_found_as_company_by_a_rule_gets_no_stock_code():
    # 机器人 is also a listed short name; as an ordinary word it must not link to that firm.
    entity = Entity("company/hx", C, "机器人")
    from graph.entities.recognize import with_stock_codes

    _, (out,) = with_stock_codes([], [entity])
    assert not [v for s, v in out.external if s == "stock"]


# --- RDF, SHACL and the alias table --------------------------------------------------------


def test_stock_code_is_a_nekg_property_in_rdf():
    entity = Entity("company/catl", C, "宁德时代", external=(("stock", "300750.SZ"),))
    triples = set(rdf.entity_triples(entity))
    assert (ID["company/catl"], NEKG.stockCode, Literal("300750.SZ")) in triples


def test_bad_stock_code_stops_the_rdf_stage():
    entity = Entity("company/x", C, "某公司", external=(("stock", "3007"),))
    with pytest.raises(GraphError, match="stock code"):
        list(rdf.entity_triples(entity))


@pytest.mark.parametrize(
    ("subject", "value", "message"),
    [
        ("company/calb", "12345.SZ", "a stock code is six digits"),
        ("place/320413", "300750.SZ", "only a Company has a stock code"),
    ],
)
def test_shapes_check_stock_codes(hand_graph, subject, value, message):
    hand_graph.add((URIRef(ID[subject]), NEKG.stockCode, Literal(value)))
    report = validate.validate(hand_graph)
    assert any(message in p.message for p in report.violations), report.problems


def test_alias_table_accepts_stock_codes():
    table = parse_table(
        "id\ttype\tname\taliases\texternal\ncompany/catl\tCompany\t宁德时代\t\tstock:300750.SZ\n"
    )
    assert table.entries[0].external == (("stock", "300750.SZ"),)
    with pytest.raises(AliasTableError, match="stock"):
        parse_table("id\ttype\tname\taliases\texternal\ncompany/x\tCompany\tX\t\tstock:ABC\n")


# --- the shipped tables ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["companies", "universities", "towns", "counties"])
def test_tables_are_sorted_tab_separated_and_small(name):
    path = TABLES / f"{name}.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1].isdigit()]
    assert lines == sorted(lines)
    widths = {len(line.split("\t")) for line in lines}
    assert len(widths) == 1
    assert path.stat().st_size < 1_500_000


def test_package_data_stays_a_few_megabytes():
    total = sum(p.stat().st_size for p in (ROOT / "graph" / "data").rglob("*") if p.is_file())
    assert total < 4_000_000


SOURCES = ROOT.parent / "shared" / "data" / "gazetteers"
if not SOURCES.is_dir():
    SOURCES = ROOT.parent.parent / "shared" / "data" / "gazetteers"


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the public lists are not beside the checkout")
def test_build_script_reproduces_the_shipped_tables(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_gazetteers.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    for path in TABLES.glob("*.tsv"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_build_script_without_sources_says_how_to_fix(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_gazetteers.py"), "--source", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "--source" in done.stderr
    assert "Traceback" not in done.stderr
