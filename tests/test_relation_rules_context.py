"""Facts an article implies by where it stands: its home place, enumerations that settle
somewhere, projects in their park, local subsidiaries named after their parent.

Every case runs the real stages (recognition with a small alias table, the article's home,
resolution, relations) on sentences written in the style of regional-industry news. Each
table lists sentences where a rule must state the fact and sentences where it must not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS

from graph import pipeline
from graph.entities import recognize as entities
from graph.entities.aliases import parse_table
from graph.entities.resolve import article_homes
from graph.relations.extract import extract
from graph.text.normalize import split_sentences

TABLE = parse_table(
    "\n".join(
        "\t".join(row)
        for row in [
            ("id", "type", "name", "aliases", "external"),
            ("place/320400", "Place", "常州", "常州市", "adcode:320400"),
            ("place/320412", "Place", "武进", "武进区", "adcode:320412"),
            ("place/320481", "Place", "溧阳", "溧阳市", "adcode:320481"),
            ("place/330200", "Place", "宁波", "宁波市", "adcode:330200"),
            ("place/340100", "Place", "合肥", "合肥市", "adcode:340100"),
            ("place/440300", "Place", "深圳", "深圳市", "adcode:440300"),
            ("company/hx", "Company", "恒翔电子", "", ""),
            ("company/lk", "Company", "澜科新材", "", ""),
            ("company/qy", "Company", "启元储能", "", ""),
            ("company/bd", "Company", "北斗锂业", "", ""),
            ("company/zs", "Company", "中晟汽车", "", ""),
            ("company/yg", "Company", "宇光科技", "", ""),
            ("platform/wj-hz", "Platform", "武进高新区", "", ""),
            ("org/gov", "Organization", "常州市人民政府", "常州市政府", ""),
        ]
    )
)


def stated(*lines: str) -> dict[tuple[str, str, str], set[str]]:
    """(head name, relation, tail name) of every fact the stages find in one article, with
    the ids of the rules that state it."""
    sentences = split_sentences("a", "\n\n".join(lines))
    mentions = entities.recognize(sentences, TABLE)
    homes = article_homes(mentions, TABLE, sentences)
    mentions, found = entities.resolve(mentions, TABLE, homes)
    names = {e.id: e.name for e in found}
    return {
        (names[r.head], r.rel.value, names[r.tail]): {e.method for e in r.evidence}
        for r in extract(sentences, mentions, found, homes)
    }


def facts(*lines: str) -> set[tuple[str, str, str]]:
    return set(stated(*lines))


# --- the home place: one computation for names and relations ---------------------------


# Named twice, and no other city: the bare 市政府 and 我市 are both 常州's.
TWICE = (
    "常州新能源产业发展迅速。",
    "常州将继续推动产业集聚。",
    "市政府出台《关于加快新能源产业发展的若干政策》。",
    "我市汇聚恒翔电子、澜科新材等重点企业。",
)


@pytest.mark.parametrize(
    "fact",
    [
        ("《关于加快新能源产业发展的若干政策》", "issuedBy", "常州市人民政府"),
        ("恒翔电子", "locatedIn", "常州"),
        ("澜科新材", "locatedIn", "常州"),
    ],
)
def test_home_is_the_same_for_bodies_and_relations(fact):
    assert fact in facts(*TWICE)


def test_home_needs_a_dominant_place():
    found = facts("常州新能源产业发展迅速。", "宁波也在发力。", "我市汇聚恒翔电子等重点企业。")
    assert not {f for f in found if f[0] == "恒翔电子" and f[1] == "locatedIn"}


def test_home_byline_decides_for_resolution_and_relations():
    found = facts(
        "中共常州市武进区委", "武进区地处长三角腹地。", "全区集聚恒翔电子、澜科新材等企业。"
    )
    assert ("恒翔电子", "locatedIn", "武进") in found


# --- the rules, case by case ----------------------------------------------------------------

# An article by a district's committee: its home is 武进 (district) and 常州 (city).
BY_WUJIN = ("中共常州市武进区委", "武进区地处长三角腹地，是制造业大区。")
# An article that names places once each: none is its own.
NO_HOME = ("产业观察", "武进区位于常州南部。")
# Parents named in an article (names inside longer names are found through known ones).
PARENTS = (*NO_HOME, "恒翔电子、北斗锂业、启元储能均是行业龙头。")

# (article lines, the fact, the id of the rule that must state it; None: no rule may)
CASES = [
    # home-settled: the subject of a verb of settling, no place after it
    (
        (*BY_WUJIN, "恒翔电子、澜科新材等一批行业龙头企业坚定扎根、持续壮大。"),
        ("恒翔电子", "locatedIn", "武进"),
        "home-settled",
    ),
    (
        (*BY_WUJIN, "恒翔电子、澜科新材等一批行业龙头企业坚定扎根、持续壮大。"),
        ("澜科新材", "locatedIn", "武进"),
        "home-settled",
    ),
    (
        (*BY_WUJIN, "中晟汽车、宇光科技等重点企业实现“拿地即开工”，跑出建设加速度。"),
        ("宇光科技", "locatedIn", "武进"),
        "home-settled",
    ),
    # home-counted: an enumeration next to a count of the home place's companies
    (
        (*BY_WUJIN, "启元储能、北斗锂业等优质企业增势强劲，全区新能源领域规上企业超80家。"),
        ("北斗锂业", "locatedIn", "武进"),
        "home-counted",
    ),
    # home-headed: an enumeration headed by the home word
    (
        (*BY_WUJIN, "我区共有恒翔电子、宇光科技等5家企业入选省级智能制造示范工厂。"),
        ("宇光科技", "locatedIn", "武进"),
        "home-headed",
    ),
    (
        (*BY_WUJIN, "全区规上工业企业宇光科技、启元储能今年产值均突破百亿元。"),
        ("启元储能", "locatedIn", "武进"),
        "home-headed",
    ),
    # not: a partner from elsewhere, an investment abroad, another place, no home at all
    (
        (*BY_WUJIN, "恒翔电子与宁波的澜科新材签约合作，项目将于年内落地。"),
        ("澜科新材", "locatedIn", "武进"),
        None,
    ),
    (
        (*BY_WUJIN, "恒翔电子、澜科新材等企业已在海外投资建厂，加快布局全球市场。"),
        ("澜科新材", "locatedIn", "武进"),
        None,
    ),
    (
        (*BY_WUJIN, "来自深圳的启元储能、北斗锂业等企业已纷纷落户。"),
        ("启元储能", "locatedIn", "武进"),
        None,
    ),
    (
        (*BY_WUJIN, "中晟汽车在合肥投资建厂，宇光科技等配套企业相继落户。"),
        ("宇光科技", "locatedIn", "武进"),
        None,
    ),
    (
        (*BY_WUJIN, "我区积极争取恒翔电子、澜科新材等企业落户。"),
        ("恒翔电子", "locatedIn", "武进"),
        None,
    ),
    (
        (*BY_WUJIN, "启元储能、北斗锂业等企业增势强劲，全国同类企业超过300家。"),
        ("启元储能", "locatedIn", "武进"),
        None,
    ),
    (
        (*NO_HOME, "恒翔电子、澜科新材等一批行业龙头企业坚定扎根、持续壮大。"),
        ("恒翔电子", "locatedIn", "武进"),
        None,
    ),
    # gather: the home place brings in an enumeration (配套引进, 集聚, 汇聚)
    (
        (*BY_WUJIN, "围绕整车龙头，配套引进恒翔电子、澜科新材等关键零部件企业。"),
        ("澜科新材", "locatedIn", "武进"),
        "gather-home",
    ),
    # settle / gather: an enumeration that settles in a park, a park that gathers
    (
        (*NO_HOME, "近年来，恒翔电子、澜科新材等一批企业先后落户武进高新区。"),
        ("澜科新材", "locatedIn", "武进"),
        "settle-park",
    ),
    (
        (*NO_HOME, "目前，武进高新区已集聚启元储能、北斗锂业等新能源企业60余家。"),
        ("北斗锂业", "locatedIn", "武进"),
        "gather-park",
    ),
    (
        (*NO_HOME, "今年以来，入驻武进高新区的重点企业有恒翔电子、宇光科技等。"),
        ("宇光科技", "locatedIn", "武进"),
        "settle-park",
    ),
    (
        (*NO_HOME, "截至目前，武进高新区累计引进企业200余家，其中包括恒翔电子、澜科新材等。"),
        ("澜科新材", "locatedIn", "武进"),
        "among-park",
    ),
    (
        (*NO_HOME, "武进高新区累计集聚新能源企业200余家，恒翔电子、澜科新材等企业加速发展。"),
        ("恒翔电子", "locatedIn", "武进"),
        "among-park",
    ),
    (
        (*NO_HOME, "武进高新区集聚企业200余家，产值破千亿元，恒翔电子、澜科新材等企业加速发展。"),
        ("恒翔电子", "locatedIn", "武进"),
        None,
    ),
    (
        (*NO_HOME, "武进高新区与澜科新材签署合作协议。"),
        ("澜科新材", "locatedIn", "武进"),
        None,
    ),
    # projects: in the place or park of their clause, built by their company
    (
        (*NO_HOME, "澜科新材在武进投资的年产3万吨负极材料项目已竣工投产。"),
        ("年产3万吨负极材料项目", "locatedIn", "武进"),
        "project-place",
    ),
    (
        (*NO_HOME, "澜科新材在武进投资的年产3万吨负极材料项目已竣工投产。"),
        ("年产3万吨负极材料项目", "builtBy", "澜科新材"),
        "project-builder",
    ),
    (
        (*NO_HOME, "恒翔电子今年启动年产10万套汽车电控系统项目，预计明年投产。"),
        ("年产10万套汽车电控系统项目", "builtBy", "恒翔电子"),
        "project-builder",
    ),
    (
        (*NO_HOME, "年产2万吨电解液项目于武进高新区正式开工，总投资15亿元。"),
        ("年产2万吨电解液项目", "locatedIn", "武进"),
        "project-place-park",
    ),
    (
        (*NO_HOME, "中晟汽车为宇光科技建设年产2万吨电解液项目。"),
        ("年产2万吨电解液项目", "builtBy", "宇光科技"),
        None,
    ),
    (
        (*NO_HOME, "中晟汽车为宇光科技建设年产2万吨电解液项目。"),
        ("年产2万吨电解液项目", "builtBy", "中晟汽车"),
        None,
    ),
    (
        (*NO_HOME, "北斗锂业的控股子公司投资建设年产2万吨电解液项目。"),
        ("年产2万吨电解液项目", "builtBy", "北斗锂业"),
        None,
    ),
    # local units: <parent>（<place>）…有限公司, <parent><place>基地
    (
        (*PARENTS, "北斗锂业新能源科技（常州）有限公司近日完成工商注册。"),
        ("北斗锂业新能源科技（常州）有限公司", "subsidiaryOf", "北斗锂业"),
        "legal-name",
    ),
    (
        (*PARENTS, "恒翔电子武进基地项目正在加快建设。"),
        ("恒翔电子武进基地项目", "builtBy", "恒翔电子"),
        "local-unit",
    ),
    (
        (*PARENTS, "恒翔电子武进基地项目正在加快建设。"),
        ("恒翔电子武进基地项目", "locatedIn", "武进"),
        "local-unit",
    ),
    (
        (*PARENTS, "恒翔电子二期、启元储能三期等项目加速建设。"),
        ("恒翔电子二期", "builtBy", "恒翔电子"),
        "local-unit",
    ),
    (
        (*PARENTS, "北斗锂业新能源科技股份有限公司发布年报。"),
        ("北斗锂业新能源科技股份有限公司", "subsidiaryOf", "北斗锂业"),
        None,
    ),
]


@pytest.mark.parametrize(("lines", "fact", "rule"), CASES)
def test_rule_table(lines, fact, rule):
    found = stated(*lines)
    if rule is None:
        assert fact not in found
    else:
        assert rule in found.get(fact, set())


# --- on the seeds: the analyst's question -------------------------------------------------


def _gold(name: str) -> list[dict]:
    path = Path(__file__).parent / "data" / "seeds" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_seeds_every_company_the_gold_places_in_jintan_is_found_there():
    """What `nekg query companies-in -p place=金坛` answers: every company the annotation
    places in 金坛区, including those the article names as rooted in 我区 / 全区."""
    jintan = "place/320413"
    gold_names = {e["id"]: e["name"] for e in _gold("entities.jsonl")}
    wanted = {
        gold_names[r["head"]]
        for r in _gold("relations.jsonl")
        if r["rel"] == "locatedIn" and r["tail"] == jintan and r["head"].startswith("company/")
    }
    extraction = pipeline.run([SEEDS])
    names = {e.id: e.name for e in extraction.entities}
    found = {
        names[r.head]
        for r in extraction.relations
        if r.rel.value == "locatedIn" and r.tail == jintan and r.head.startswith("company/")
    }
    assert len(wanted) > 10
    assert wanted <= found, sorted(wanted - found)
