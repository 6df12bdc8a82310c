"""Counters of products and things (款, 片, 颗, 架, 条, 艘, 枚) are count units, except where the
character begins a word of its own (款项, 片区, 架构, 条件, 十条措施)."""

from __future__ import annotations

import pytest

from graph.figures.quantities import canonical, quantities

CASES = [
    # text, figure as written or None, value
    ("信达生物今年有两款创新药获批上市", "两款", "2"),
    ("隆基绿能今年生产电池片3亿片", "3亿片", "300000000"),
    ("该项目年产芯片5000万颗", "5000万颗", "50000000"),
    ("中国商飞今年交付C919客机12架", "12架", "12"),
    ("园区已建成两条生产线", "两条", "2"),
    ("招商局工业集团今年交付滚装船8艘", "8艘", "8"),
    ("该企业累计获得专利奖章3枚", "3枚", "3"),
    ("该区拨付奖补款项300万元", None, ""),
    ("高新区规划三片区协同发展", None, ""),
    ("公司推出三款式样的电池包", None, ""),
    ("新能源汽车产业形成两架构平台", None, ""),
    ("该区满足三条件即可申报", None, ""),
    ("高陵区出台支持新能源汽车产业高质量发展十条措施", None, ""),
    ("形成一条龙服务", None, ""),
]


@pytest.mark.parametrize(("text", "written", "value"), CASES, ids=[c[0] for c in CASES])
def test_counter(text, written, value):
    counts = [q for q in quantities(text) if q.unit == "count"]
    if written is None:
        assert counts == [], [text[q.begin : q.end] for q in counts]
        return
    assert [text[q.begin : q.end] for q in counts] == [written]
    assert canonical(counts[0].value) == value
