"""Numbers that look like figures but are not one, or carry no qualifier: a size class before a
noun (亿元以上项目), a duration (6个月), a verb ending in a qualifier (签约, 到达)."""

from __future__ import annotations

import pytest

from graph.figures.quantities import canonical, quantities

CASES = [
    # text, figures as written (value unit qualifier), one per figure
    ("今年以来新签约亿元以上项目56个", ["56个 56 count "]),
    ("全区千万元以上企业达到120家", ["120家 120 count "]),
    ("经开区增加值持续6个月稳居全市第一", ["第一 1 rank "]),
    ("该区今年签约20亿元项目3个", ["20亿元 2000000000 CNY ", "3个 3 count "]),
    ("该区今年签约约20亿元项目", ["约20亿元 2000000000 CNY approx"]),
    ("项目总投资亿元以上。", ["亿元以上 100000000 CNY at-least"]),
    ("五年带动8000亿元以上社会资本", ["8000亿元以上 800000000000 CNY at-least"]),
    ("全市新能源汽车产量达35万辆", ["35万辆 350000 count "]),
    ("税收500万元以上企业6家", ["6家 6 count "]),
    ("投资10亿元以上项目8个", ["8个 8 count "]),
    ("新增营收10亿元以上的企业12家", ["12家 12 count "]),
    ("带动10亿元以上社会资本", ["10亿元以上 1000000000 CNY at-least"]),
    ("项目投资10亿元以上，年产5万吨", ["10亿元以上 1000000000 CNY at-least", "5万吨 50000 t "]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_figures_of(text, expected):
    found = [
        f"{text[q.begin : q.end]} {canonical(q.value)} {q.unit} {q.qualifier}"
        for q in quantities(text)
    ]
    assert found == expected
