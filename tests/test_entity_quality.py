"""A regional member named after its parent stays its own company (table of cases).

A legal name that is the parent's name, then a place, then a trade (骆驼集团襄阳再生资源
有限公司, 中车南京浦镇车辆有限公司) names a member company: it is recognized whole and never
merged into the parent, even when the article also names the parent bare.
"""

from __future__ import annotations

import pytest

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.entities.resolve import article_homes
from graph.text.normalize import split_sentences

CASES = [
    # (article, parent's name, member's legal name)
    (
        "骆驼集团旗下的骆驼集团襄阳再生资源有限公司投产。骆驼集团营收增长。",
        "骆驼集团",
        "骆驼集团襄阳再生资源有限公司",
    ),
    (
        "中车南京浦镇车辆有限公司交付新车。中车集团表示将继续扩产。",
        "中车集团",
        "中车南京浦镇车辆有限公司",
    ),
    (
        "欣旺达惠州动力新能源有限公司今年投产，欣旺达表示将加大投入。",
        "欣旺达",
        "欣旺达惠州动力新能源有限公司",
    ),
]


def _entities(text: str) -> dict[str, str]:
    table = AliasTable()
    sentences = split_sentences("example", text)
    mentions = entities.recognize(sentences, table)
    homes = article_homes(mentions, table, sentences)
    mentions, _ = entities.resolve(mentions, table, homes)
    ids = {}
    for m in mentions:
        if m.entity_id:
            ids[m.text] = m.entity_id
    return ids


@pytest.mark.parametrize(("text", "parent", "member"), CASES)
def test_member_is_its_own_company(text, parent, member):
    ids = _entities(text)
    assert member in ids, f"{member} not recognized whole: {sorted(ids)}"
    assert parent in ids, f"{parent} not recognized: {sorted(ids)}"
    assert ids[member] != ids[parent]
