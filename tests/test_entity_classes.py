"""Entity classes on news no rule was written against: each table holds sentences written in
the style of regional-industry news, the span and type expected, and spans that must not be
found (the neighbouring word a rule used to swallow)."""

from __future__ import annotations

import pytest

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.text.normalize import split_sentences

EMPTY = AliasTable()


def found(text: str) -> set[tuple[str, str]]:
    mentions = entities.recognize(split_sentences("t", text), EMPTY)
    return {(m.text, m.type.value) for m in mentions}


def spans(text: str) -> set[str]:
    return {name for name, _ in found(text)}


def check(text: str, expected: tuple[str, str] | None, never: tuple[str, ...]) -> None:
    got = found(text)
    if expected is not None:
        assert expected in got, got
    names = {name for name, _ in got}
    assert not names & set(never), got


# --- span boundaries: a name neither starts nor ends with a function word or verb -----------

BOUNDARIES = [
    # sentence, expected (span, type) or None, spans that must not be found
    ("宜兴市是全市光伏产业的主阵地，今年新增企业12家。", None, ("是全市",)),
    ("副县长吴海及相关部门负责人陪同调研。", ("吴海", "Person"), ("吴海及",)),
    ("区长赵明和副区长孙立回答了记者提问。", ("孙立", "Person"), ("孙立回", "和孙立")),
    (
        "继去年华星控股集团在园区扩产后，今年又有三家企业跟进。",
        ("华星控股集团", "Company"),
        ("继去年华星控股集团", "去年华星控股集团"),
    ),
    ("整个集团上半年营收同比增长两成。", None, ("整个集团",)),
    (
        "江苏瑞丰锂能科技有限公司计划再投资20亿元扩建产线。",
        ("江苏瑞丰锂能科技有限公司", "Company"),
        ("江苏瑞丰锂能科技有限公司计划",),
    ),
    (
        "盐城市委常委、副市长刘建平出席签约仪式。",
        ("刘建平", "Person"),
        ("盐城市委常委",),
    ),
    (
        "园区将打造成全国乃至全球最大的储能电池研发生产基地。",
        None,
        ("打造成全国乃至全球最大的储能电池研发生产基地", "全球最大的储能电池研发生产基地"),
    ),
]


@pytest.mark.parametrize(("text", "expected", "never"), BOUNDARIES)
def test_boundaries(text: str, expected: tuple[str, str] | None, never: tuple[str, ...]) -> None:
    check(text, expected, never)


# --- persons: before a title, in a chain of titles, after a title and a comma -------------

PERSONS = [
    ("欧阳明高院士团队在会上发布了最新成果。", ("欧阳明高", "Person"), ()),
    ("会上，钱建华董事长介绍了公司的海外布局。", ("钱建华", "Person"), ("钱建华董事长",)),
    ("市委常委、常务副市长韩立新主持会议。", ("韩立新", "Person"), ()),
    ("公司总经理，周海涛表示，新工厂明年投产。", ("周海涛", "Person"), ()),
    ("孟凡东董事长和许文静总经理共同为基地揭牌。", ("许文静", "Person"), ("和许文静",)),
    ("公司董事长在会上致辞。", None, ("公司",)),
]


@pytest.mark.parametrize(("text", "expected", "never"), PERSONS)
def test_persons(text: str, expected: tuple[str, str] | None, never: tuple[str, ...]) -> None:
    check(text, expected, never)


# --- places below the county, natural places and regions -----------------------------------

PLACES = [
    ("常州市金坛区直溪镇今年新落户项目9个。", ("直溪镇", "Place"), ()),
    ("常州市武进区潞城街道建成一批标准厂房。", ("潞城街道", "Place"), ()),
    ("沿着长荡湖畔，一批文旅项目加快建设。", ("长荡湖", "Place"), ()),
    ("滆湖水质连续三年保持稳定。", ("滆湖", "Place"), ()),
    ("长江岸线整治让沿江企业加快转型。", ("长江", "Place"), ()),
    ("太湖流域水环境综合治理取得新进展。", ("太湖流域", "Place"), ("太湖",)),
    ("胥河两岸的老厂房正在改造。", ("胥河", "Place"), ()),
    ("白马湖流域禁止新建化工项目。", ("白马湖流域", "Place"), ()),
    ("企业深耕长三角，辐射粤港澳大湾区。", ("粤港澳大湾区", "Place"), ()),
    ("他在江湖上闯荡多年，小河边有一片树林。", None, ("江湖", "小河")),
    ("成功举办茅山、长荡湖产业发展峰会。", None, ("长荡湖",)),
    ("长江汽车在南海区投产新车型。", ("长江汽车", "Company"), ("长江",)),
    ("这座城市北枕长江、西抱洮湖，水网密布。", ("洮湖", "Place"), ("抱洮湖",)),
]


@pytest.mark.parametrize(("text", "expected", "never"), PLACES)
def test_places(text: str, expected: tuple[str, str] | None, never: tuple[str, ...]) -> None:
    check(text, expected, never)


# --- projects: phases in brackets, a company's base in a place, joint ventures -------------

PROJECTS = [
    (
        "比亚迪刀片电池产业化项目（二期）正式开工。",
        ("比亚迪刀片电池产业化项目（二期）", "Project"),
        (),
    ),
    ("欣旺达三期项目在园区开工建设。", ("欣旺达三期项目", "Project"), ()),
    ("宁德时代溧阳基地今年产值再创新高。", ("宁德时代溧阳基地", "Project"), ()),
    ("国轩高科合肥工厂二期项目年内投产。", ("国轩高科合肥工厂二期项目", "Project"), ()),
    (
        "东风汽车与宁德时代合资建设的动力电池项目落户武汉。",
        ("动力电池项目", "Project"),
        ("合资建设的动力电池项目",),
    ),
]


@pytest.mark.parametrize(("text", "expected", "never"), PROJECTS)
def test_projects(text: str, expected: tuple[str, str] | None, never: tuple[str, ...]) -> None:
    check(text, expected, never)


def test_bounded_cuts_a_leading_word_and_keeps_fixed_names() -> None:
    from graph.entities.recognizers import Candidate, tokenize
    from graph.records import EntityType

    text = "整个集团和该公司都在扩产。"
    tokens = tokenize(text)
    assert (
        entities.bounded(text, tokens, Candidate(0, 4, EntityType.COMPANY, "suffix", 0.8)) is None
    )
    fixed = Candidate(0, 4, EntityType.COMPANY, "alias", 1.0)
    assert entities.bounded(text, tokens, fixed) is fixed
