"""Facts an article implies by where it stands: its home place, enumerations that settle
somewhere, projects in their park, local subsidiaries named after their parent.

Every case runs the real stages (recognition with a small alias table, the article's home,
resolution, relations) on sentences written in the style of regional-industry news. Each
table lists sentences where a rule must state the fact and sentences where it must not.
"""

from __future__ import annotations

import pytest

from graph import entities, relation_rules
from graph.aliases import parse_table
from graph.normalize import split_sentences
from graph.relations import extract
from graph.resolve import article_homes

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


def facts(*lines: str) -> set[tuple[str, str, str]]:
    """(head name, relation, tail name) of every fact the stages find in one article."""
    sentences = split_sentences("a", "\n\n".join(lines))
    mentions = entities.recognize(sentences, TABLE)
    homes = article_homes(mentions, TABLE, sentences)
    mentions, found = entities.resolve(mentions, TABLE, homes)
    names = {e.id: e.name for e in found}
    return {
        (names[r.head], r.rel.value, names[r.tail])
        for r in extract(sentences, mentions, found, homes)
    }


# --- the home place: one computation for names and relations ---------------------------


@pytest.mark.parametrize(
    ("lines", "fact"),
    [
        # Named twice, and no other city: 市政府 and 我市 are both 常州.
        (
            (
                "常州新能源产业发展迅速。",
                "常州将继续推动产业集聚。",
                "我市汇聚恒翔电子、澜科新材等重点企业。",
            ),
            ("恒翔电子", "locatedIn", "常州"),
        ),
        (
            (
                "常州新能源产业发展迅速。",
                "常州将继续推动产业集聚。",
                "我市汇聚恒翔电子、澜科新材等重点企业。",
            ),
            ("澜科新材", "locatedIn", "常州"),
        ),
    ],
)
def test_home_is_the_same_for_bodies_and_relations(lines, fact):
    assert fact in facts(*lines)


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

# (article lines, the fact, must it be found?)
CASES = [
    # home-settled: the subject of a verb of settling, no place after it
    (
        (*BY_WUJIN, "恒翔电子、澜科新材等一批行业龙头企业坚定扎根、持续壮大。"),
        ("恒翔电子", "locatedIn", "武进"),
        True,
    ),
    (
        (*BY_WUJIN, "恒翔电子、澜科新材等一批行业龙头企业坚定扎根、持续壮大。"),
        ("澜科新材", "locatedIn", "武进"),
        True,
    ),
    (
        (*BY_WUJIN, "中晟汽车、宇光科技等重点企业实现“拿地即开工”，跑出建设加速度。"),
        ("宇光科技", "locatedIn", "武进"),
        True,
    ),
    # home-counted: an enumeration next to a count of the home place's companies
    (
        (*BY_WUJIN, "启元储能、北斗锂业等优质企业增势强劲，全区新能源领域规上企业超80家。"),
        ("北斗锂业", "locatedIn", "武进"),
        True,
    ),
    # home-headed: an enumeration headed by the home word
    (
        (*BY_WUJIN, "我区共有恒翔电子、宇光科技等5家企业入选省级智能制造示范工厂。"),
        ("宇光科技", "locatedIn", "武进"),
        True,
    ),
    # not: a partner from elsewhere, an investment abroad, another place, no home at all
    (
        (*BY_WUJIN, "恒翔电子与宁波的澜科新材签约合作，项目将于年内落地。"),
        ("澜科新材", "locatedIn", "武进"),
        False,
    ),
    (
        (*BY_WUJIN, "恒翔电子、澜科新材等企业已在海外投资建厂，加快布局全球市场。"),
        ("澜科新材", "locatedIn", "武进"),
        False,
    ),
    (
        (*BY_WUJIN, "来自深圳的启元储能、北斗锂业等企业已纷纷落户。"),
        ("启元储能", "locatedIn", "武进"),
        False,
    ),
    (
        (*BY_WUJIN, "中晟汽车在合肥投资建厂，宇光科技等配套企业相继落户。"),
        ("宇光科技", "locatedIn", "武进"),
        False,
    ),
    (
        (*NO_HOME, "恒翔电子、澜科新材等一批行业龙头企业坚定扎根、持续壮大。"),
        ("恒翔电子", "locatedIn", "武进"),
        False,
    ),
    # settle / gather: an enumeration that settles in a park, a park that gathers
    (
        (*NO_HOME, "近年来，恒翔电子、澜科新材等一批企业先后落户武进高新区。"),
        ("澜科新材", "locatedIn", "武进"),
        True,
    ),
    (
        (*NO_HOME, "目前，武进高新区已集聚启元储能、北斗锂业等新能源企业60余家。"),
        ("北斗锂业", "locatedIn", "武进"),
        True,
    ),
    (
        (*NO_HOME, "今年以来，入驻武进高新区的重点企业有恒翔电子、宇光科技等。"),
        ("宇光科技", "locatedIn", "武进"),
        True,
    ),
    (
        (*NO_HOME, "武进高新区与澜科新材签署合作协议。"),
        ("澜科新材", "locatedIn", "武进"),
        False,
    ),
]


@pytest.mark.parametrize(("lines", "fact", "expected"), CASES)
def test_rule_table(lines, fact, expected):
    assert (fact in facts(*lines)) is expected


def test_rules_are_registered_with_a_description():
    for rule in relation_rules.RULES:
        assert rule.__doc__ and rule.__doc__.strip().splitlines()[0]
    assert relation_rules.home_settled in relation_rules.RULES
    assert relation_rules.projects in relation_rules.RULES
