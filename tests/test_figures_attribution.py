"""Figures: ranges, size classes of any unit, periods of months and runs of years, and
subjects named by an anaphor in an earlier sentence, through the real stages."""

from __future__ import annotations

import pytest
from test_figure_rule_examples import _run

from graph.figures import canonical, period_for, periods, quantities

# (text, [(figure as written, value, unit, qualifier)])
RANGE_CASES = [
    (
        "计划投资10-15亿元",
        [("10", "1000000000", "CNY", "at-least"), ("15亿元", "1500000000", "CNY", "at-most")],
    ),
    (
        "计划投资10至15亿元",
        [("10", "1000000000", "CNY", "at-least"), ("15亿元", "1500000000", "CNY", "at-most")],
    ),
    (
        "投资1亿-2亿元",
        [("1亿", "100000000", "CNY", "at-least"), ("2亿元", "200000000", "CNY", "at-most")],
    ),
    ("产能3到5万吨", [("3", "30000", "t", "at-least"), ("5万吨", "50000", "t", "at-most")]),
    ("规划建设3至5个项目", [("3", "3", "count", "at-least"), ("5个", "5", "count", "at-most")]),
    # not ranges: a span of years or months, a falling pair, a size class
    ("2023-2025年", []),
    ("1-11月", []),
    ("投资15-10亿元", [("10亿元", "1000000000", "CNY", "")]),
    ("10兆瓦级风电主轴轴承", [("10兆瓦级", "10000000", "W", "level")]),
    ("全市企业一百二十余家", [("一百二十余家", "120", "count", "over")]),
    ("规上企业1.2万余家", [("1.2万余家", "12000", "count", "over")]),
]


@pytest.mark.parametrize(("text", "expected"), RANGE_CASES)
def test_figures_ranges_and_classes(text, expected):
    found = [
        (text[q.begin : q.end], canonical(q.value), q.unit, q.qualifier) for q in quantities(text)
    ]
    assert found == expected


# (text, article date, period of the figure, how it was resolved)
PERIOD_CASES = [
    ("1至11月，产量达到61.3万吨", "2026-12-12", "2026-01/2026-11", "relative to article date"),
    ("今年1-11月，产量达到61.3万吨", "2026-12-12", "2026-01/2026-11", "relative to article date"),
    ("2023年1至6月，产量达到61.3万吨", "2024-03", "2023-01/2023-06", "stated"),
    ("今年前7个月，产量达到61.3万吨", "2026-08-28", "2026-01/2026-07", "relative to article date"),
    # said in January, the months are of the year before
    ("1至11月，产量达到61.3万吨", "2027-01-05", "2026-01/2026-11", "relative to article date"),
    ("产量连续三年位居全省首位", "2026-12-12", "2024/2026", "3 years up to article date"),
    ("力争三年内产值突破1200亿元", "2026-11-20", "2029", "target 3 years after article date"),
    # a plan's span and a duration in months are no period
    ("计划在3年内新增投资20亿元", "2023-05", "2023", "article date"),
    ("3到5个月内新增投资20亿元", "2023-05", "2023", "article date"),
]


@pytest.mark.parametrize(("text", "date", "period", "how"), PERIOD_CASES)
def test_figures_periods_of_months_and_years(text, date, period, how):
    q = quantities(text)[-1]
    value, _, resolution = period_for(q.begin, periods(text, date), date)
    assert value == period
    assert resolution.startswith(how)


# (article, figure, a name of its subject (contained in the entity's name or an alias), rule)
ARTICLE_CASES = [
    # 该公司 is the company the sentence before named last (a subsidiary, not its parent)
    (
        "隆基绿能旗下银川隆基光伏科技有限公司的单晶硅棒项目投产。至此，该公司在银川的产能达到50GW。",
        "50GW",
        "银川隆基",
        "figure-subject-anaphor",
    ),
    # 该公司 after a sentence that named only a project: that project
    (
        "在溧阳，江苏时代新能源科技有限公司年产30GWh储能电池项目封顶。该公司是全市首个百亿级项目。",
        "百亿级",
        "江苏时代",
        "figure-subject-anaphor",
    ),
    # 全市 in an article of a district is that district's city
    (
        "溧阳市召开新能源大会。会议提出，溧阳将加快发展。如今，全市已集聚动力电池企业80余家。",
        "80余家",
        "溧阳",
        "figure-subject-anaphor",
    ),
    # a time may open the clause before the anaphor
    (
        "溧阳市召开新能源大会。会议提出，溧阳将加快发展。2022年全区新增市场主体超1.2万户。",
        "超1.2万户",
        "溧阳",
        "figure-subject-anaphor",
    ),
    # A与B共建的C: A and B modify C, which is what the next clause speaks of
    (
        "河海大学与常州市人民政府共建的常州储能技术研究院正式运行，首批引进科研团队12个。",
        "12个",
        "常州储能技术研究院",
        "figure-subject-sentence",
    ),
    # a university is the subject of what it does (a plain count), not only a source
    ("南京大学每年为园区输送毕业生500人以上。", "500人以上", "南京大学", "figure-subject-clause"),
    # an enumeration is the object of its clause, not the subject of the next one
    (
        "如今，溧阳已集聚宁德时代、上汽时代等龙头企业，以及天目先导、贝特瑞等配套企业，"
        "动力电池产能位居全省第一。",
        "第一",
        "溧阳",
        "figure-subject-sentence",
    ),
]


@pytest.mark.parametrize(("text", "figure", "subject", "rule"), ARTICLE_CASES)
def test_figures_subject_across_sentences(text, figure, subject, rule):
    found = [(f, names) for f, names in _run(text) if f.text == figure]
    assert found, [f.text for f, _ in _run(text)]
    (f, names), *_ = found
    assert f.subject_rule == rule
    assert any(subject in n for n in names), (f.subject, names)
