"""inIndustry rules: a company in an industry by what it makes or where it is counted."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.records import RelationType
from graph.relations import patterns as P
from graph.relations.located import _BARE_LEAD
from graph.relations.view import Fact, View, _facts

R = RelationType

# --- inIndustry ----------------------------------------------------------------------------------

# A、B等…半导体企业; 中创新航是国内头部动力电池企业; 比亚迪、理想两家新能源整车厂.
_INDUSTRY_NOUN = re.compile(
    f"(?P<h>{P.ENUM_COMPANY})(?:{P.GAP_CHAR}|{P.PLACE}){{0,16}}?(?P<c>{P.CHAIN})"
    f"(?:产业链|产业|领域|行业|相关)?{P.gap(4)}(?:企业|厂商|整车厂|厂家|公司|厂)"
)


# 我市集聚工业母机及功能部件企业近千家 / 拥有三大合成生物园区: a gathering of one industry…
_GATHER_INDUSTRY = re.compile(
    f"^{P.QUOTE}(?:{P.PLACE})?{P.gap(8)}{P.GATHER_CUES}(?:{P.GAP_CHAR}|{P.PLACE}){{0,12}}?"
    f"(?P<c>{P.CHAIN})(?:{P.GAP_CHAR}){{0,8}}?(?:企业|园区|产业园|基地|集群)"
)
# …then 拥有A、B等国际知名整机企业, 培育C、D等本土企业: the companies it gathers.
_GATHERED_COMPANIES = re.compile(
    f"^{_BARE_LEAD}{P.GATHER_CUES}(?:{P.GAP_CHAR}|{P.COMPANY})*等{P.gap(12)}(?:企业|厂商|公司)"
)
_ENUM_BEFORE_DENG = re.compile(f"(?P<h>{P.ENUM_COMPANY})等")
# 年产30GWh锂离子电池: what a company makes is its industry.
_CAPACITY = re.compile(
    "(?:年产能?|产能)(?:可?达到?|超过?|约|近|为|逾)?"
    rf"[0-9.,．]+\s*(?:[A-Za-z]+|万吨|吨|万辆|辆|万台|台|万套|套|亿只|万只|吉瓦时?|兆瓦时?)?"
    f"的?(?P<c>{P.CHAIN})"
)
# 白鲸航线的W5000是…大型货运无人机之一: a product named by its model is of the maker's industry.
_PRODUCT_IS = re.compile(
    f"(?P<h>{P.COMPANY})的[A-Za-z0-9][A-Za-z0-9+-]{{1,15}}(?:型|系列|号)?{P.QUOTE}(?:是|为|系|属于)"
    f"{P.gap(30)}(?P<c>{P.CHAIN})(?:之一|的一|产品)?$"
)
_NOT_OWN_MAKE = re.compile("为|向|给|与|和|同|帮|替|供|对")
# 国内动力电池企业装车量榜单中，…中创新航、蜂巢能源分列第3和第7: ranked among an industry's companies.
_RANKING = re.compile(
    f"(?P<c>{P.CHAIN})(?:产业|行业)?(?:企业|厂商|厂家|公司){P.gap(12)}(?:榜单|排行榜|排行|榜|排名)"
)
_RANKED = re.compile(
    f"(?P<h>{P.ENUM_COMPANY}){P.gap(2)}(?:分列|位列|分居|名列|位居|排名|排在|跻身)"
)


def in_industry(view: View) -> Iterator[Fact]:
    """Companies the sentence calls companies of an industry.

    A、B等…CHAIN企业; a product of the company named by its model that is a CHAIN
    (A的W5000是…无人机之一); a company with a yearly capacity of a chain's product (江苏时代…年产
    30GWh锂离子电池); companies ranked in a list of an industry's companies; companies a
    place gathers right after the sentence says it gathers one industry's companies or
    parks (我市集聚工业母机企业近千家，拥有A、B等整机企业，培育C、D等本土企业).
    """
    context: list[str] = []
    ranking: list[str] = []
    for i, clause, own in view.effective_clauses():
        for m in _INDUSTRY_NOUN.finditer(clause):
            between = clause[m.end("h") : m.start("c")]
            if "，" in between or re.search("在|与|和|对", between):
                continue  # 在…领域布局, 与…合作: the industry is not what they are
            chain = view.ids(m.group("c"), P.CHAIN)
            yield from _facts(
                view.ids(m.group("h"), P.COMPANY), R.IN_INDUSTRY, chain, "industry-noun", 0.85
            )
        subject = view.ids(view.subjects[i], P.COMPANY)
        for m in _CAPACITY.finditer(own):
            if subject and not _NOT_OWN_MAKE.search(own, 0, m.start()):
                yield from _facts(subject, R.IN_INDUSTRY, view.ids(m.group("c")), "capacity", 0.8)
        product = _PRODUCT_IS.search(own)
        if product:
            yield from _facts(
                view.ids(product.group("h")),
                R.IN_INDUSTRY,
                view.ids(product.group("c")),
                "product",
                0.75,
            )
        chains = view.ids(own, P.CHAIN)
        if ranking:
            for m in _RANKED.finditer(own):
                yield from _facts(
                    view.ids(m.group("h"), P.COMPANY), R.IN_INDUSTRY, ranking, "ranking", 0.8
                )
        r = _RANKING.search(own)
        ranking = view.ids(r.group("c")) if r and len(chains) == 1 else []
        g = _GATHER_INDUSTRY.match(own)
        if g and len(chains) == 1:
            context = chains
        elif context and not chains and _GATHERED_COMPANIES.match(own):
            for m in _ENUM_BEFORE_DENG.finditer(own):
                yield from _facts(
                    view.ids(m.group("h"), P.COMPANY), R.IN_INDUSTRY, context, "gathered", 0.75
                )
        else:
            context = []
