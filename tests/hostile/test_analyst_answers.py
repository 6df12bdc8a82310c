"""Answers an analyst would be misled by: rankings, honours and slogans typed as policies or
companies, and co-hosts of one event made partners. Each row is a wrong answer that must not
come back; a few rows of the right answers keep the rules from passing by finding nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable, load_table
from graph.records import EntityType, RelationType
from graph.relations import extract as relations
from graph.text.normalize import split_sentences

ROOT = Path(__file__).resolve().parent.parent.parent
EMPTY = AliasTable()
SHIPPED = ROOT / "seeds" / "aliases.tsv"

C, P = EntityType.COMPANY, EntityType.POLICY

# (text, surface, the type it must not have)
WRONG_TYPES = [
    ("9月26日，胡润研究院发布《2024胡润中国新能源产业集聚度城市榜》。", "2024胡润", P),
    ("该公司入选《2023胡润全球独角兽榜》。", "独角兽榜", P),
    ("工信部公布《第五批专精特新“小巨人”企业名单》。", "小巨人", P),
    ("常州更是提出了建设“新能源之都”的口号。", "新能源之都", P),
    ("独角兽、瞪羚、小巨人等高成长性企业竞相涌现。", "瞪羚", C),
    ("独角兽、瞪羚、小巨人等高成长性企业竞相涌现。", "小巨人", C),
    ("培育隐形冠军、单项冠军、雏鹰等一批企业。", "冠军", C),
    ("引导各类资本“投早、投小、投硬科技”。", "科技", C),
    ("强化减速器、传感器、伺服电机等核心零部件项目招引。", "伺服电机", C),
    ("重点发展减速器、伺服电机、控制器等核心部件。", "伺服电机", C),
]


def _mentions(text: str, table: AliasTable):
    return entities.recognize(split_sentences("a", text), table)


@pytest.mark.parametrize("table_name", ["no table", "shipped table"])
@pytest.mark.parametrize(("text", "surface", "wrong"), WRONG_TYPES)
def test_analyst_rankings_honours_and_slogans_are_not_policies_or_companies(
    text, surface, wrong, table_name
):
    table = EMPTY if table_name == "no table" else load_table(SHIPPED)
    found = [(m.text, m.type) for m in _mentions(text, table)]
    assert not [(t, k) for t, k in found if surface in t and k is wrong], found


def test_analyst_nothing_inside_a_ranking_title_is_a_mention():
    text = "胡润研究院发布《2024胡润中国新能源产业集聚度城市榜》。"
    mentions = _mentions(text, EMPTY)
    title = text.index("《"), text.index("》") + 1
    assert [m.text for m in mentions if title[0] <= m.start < title[1]] == []


# The right answers next to the wrong ones: policies, programmes and companies stay.
RIGHT_TYPES = [
    ("常州市出台《常州市新能源产业发展规划》。", "《常州市新能源产业发展规划》", P),
    ("以三轮“天目湖英才榜”为引领。", "天目湖英才榜", P),
    ("引进亿晶光电、正信光电等企业。", "亿晶光电", C),
    ("独角兽、瞪羚、小巨人等企业中，亿晶光电、正信光电等企业表现突出。", "正信光电", C),
]


@pytest.mark.parametrize(("text", "surface", "right"), RIGHT_TYPES)
def test_analyst_policies_and_companies_are_still_found(text, surface, right):
    assert (surface, right) in [(m.text, m.type) for m in _mentions(text, EMPTY)]


def test_analyst_the_shipped_table_types_no_ranking_or_slogan_as_a_policy():
    for entry in load_table(SHIPPED).entries:
        if entry.type is P:
            name = entry.name.strip("《》“”")
            assert not name.endswith(("城市榜", "榜单", "排行榜", "名单", "之都")), entry.name


# Co-hosting one event: (text, pairs that must not be partners, pairs that must be)
TABLE = """id\ttype\tname\taliases\texternal
org/fund\tOrganization\t鼎晖创投\t\t
org/media\tOrganization\t蓝鲸财经\t\t
org/school\tOrganization\t常州大学\t\t
company/a\tCompany\t中创新航\t\t
company/b\tCompany\t蜂巢能源\t\t
"""
BYLINE = "在新能源赛道上加速前行\n陆秋明\n中共常州市金坛区委\n"
CO_HOSTS = [
    (
        BYLINE + "金坛发展好。携手鼎晖创投、蓝鲸财经举办创业投资论坛。",
        {("org/fund", "org/media")},
        {("org/fund", "place/320413"), ("org/media", "place/320413")},
    ),
    (
        "鼎晖创投携手蓝鲸财经、常州大学举办创业投资论坛。",
        {("org/media", "org/school")},
        {("org/fund", "org/media"), ("org/fund", "org/school")},
    ),
    ("鼎晖创投与蓝鲸财经携手举办新能源论坛。", {("org/fund", "org/media")}, set()),
    ("中创新航与蜂巢能源共同主办储能大会。", {("company/a", "company/b")}, set()),
    ("中创新航、蜂巢能源联合主办电池技术论坛。", {("company/a", "company/b")}, set()),
    ("中创新航与常州大学合作举办技术交流活动。", {("company/a", "org/school")}, set()),
    # an agreement is a partnership
    ("中创新航与蜂巢能源签署战略合作协议。", set(), {("company/a", "company/b")}),
]


@pytest.mark.parametrize(("text", "not_partners", "partners"), CO_HOSTS)
def test_analyst_co_hosts_of_one_event_are_not_partners(tmp_path, text, not_partners, partners):
    path = tmp_path / "aliases.tsv"
    path.write_text(TABLE, encoding="utf-8")
    table = load_table(path)
    sentences = split_sentences("a", text)
    mentions, resolved = entities.resolve(entities.recognize(sentences, table), table)
    facts = relations.extract(sentences, mentions, resolved)
    pairs = {tuple(sorted((r.head, r.tail))) for r in facts if r.rel is RelationType.PARTNERS_WITH}
    assert not pairs & not_partners
    assert partners <= pairs
