"""Projects: phases (``三期``), plants and works of a company, and subsidiaries."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.entities.recognizers.lexicon import _CJK, breakers
from graph.entities.recognizers.stems import (
    _has_proper,
    _is_generic,
    _mentions_industry,
    _stem_tokens,
    _straddles,
)
from graph.entities.recognizers.tokens import _NUMBER_CHARS, Candidate, Context, _is_break
from graph.records import EntityType

_PHASE = re.compile(r"[一二三四五六七八九十\d]{1,3}期(?:项目|工程)?")


def phases(ctx: Context) -> Iterator[Candidate]:
    """A company followed by a phase number is a project (中创新航三期)."""
    text, known = ctx.text, ctx.found
    for c in known:
        if c.type is EntityType.COMPANY and (m := _PHASE.match(text, c.end)):
            yield Candidate(c.begin, m.end(), EntityType.PROJECT, "phase", 0.8)


_PROJECT_PHASE = re.compile(
    r"[一二三四五六七八九十\d]{1,3}期(?:工程)?|[（(][一二三四五六七八九十\d]{1,3}期(?:工程|项目)?[）)]"
)
_CAPACITY = re.compile(
    r"年产(?:能)?(?:达)?[\d.]+[万亿千百]?"
    r"(?:吨|套|台|辆|片|件|只|组|GWh|吉瓦时|MWh|兆瓦时|兆瓦|MW|GW|平方米) ?"
    rf"([{_CJK}A-Za-z0-9]{{2,16}}?)项目"
)
_BUILD_PROJECT = re.compile(
    r"(?:(?:合资|合作|共同投资|联合)(?:建设|新建|兴建|打造)的|投资建设|投资新建|新建|扩建|建设|投资"
    rf"|布局|实施)([{_CJK}A-Za-z0-9]{{2,12}}?)(项目|工厂)"
)
_NOT_IN_PRODUCT = re.compile(r"[的和及与或等个批些多项类期]|项目")
_CLAUSE = re.compile(r"[，。；;,！？!?：:]")


def _product_ok(product: str) -> bool:
    """Does ``product`` name what a project makes (电池级硫酸镍), not a kind of project?"""
    if _NOT_IN_PRODUCT.search(product) or product[0] in _NUMBER_CHARS:
        return False
    return _mentions_industry(product) or not _is_generic(product)


def projects(ctx: Context) -> Iterator[Candidate]:
    """Projects the tokens' suffix rule misses.

    - a project with its phase: 比亚迪刀片电池项目三期;
    - a capacity project: 年产5万吨电池级硫酸镍项目;
    - a product project built by a company or place named earlier in the clause
      (株洲中车时代电气在株洲投资建设轨道交通装备项目); 推进关键零部件项目 is no name.
    """
    text, known = ctx.text, ctx.found
    known = list(known)
    for c in known:
        project = c.type is EntityType.PROJECT and text.endswith("项目", c.begin, c.end)
        if project and (m := _PROJECT_PHASE.match(text, c.end)):
            yield Candidate(c.begin, m.end(), EntityType.PROJECT, "phase", 0.8)
    for m in _CAPACITY.finditer(text):
        if _product_ok(m.group(1)):
            yield Candidate(m.start(), m.end(), EntityType.PROJECT, "capacity", 0.8)
            if phase := _PROJECT_PHASE.match(text, m.end()):  # 年产30GWh储能电池项目二期
                yield Candidate(m.start(), phase.end(), EntityType.PROJECT, "capacity", 0.8)
    for m in _BUILD_PROJECT.finditer(text):
        begin = m.start(1)
        if not _product_ok(m.group(1)) or text.startswith("年产", begin):
            continue
        if m.group(2) == "工厂" and not re.search(r"[A-Za-z]{2}", m.group(1)):
            continue  # MEB工厂 names a plant; 智能工厂, 电池工厂 are kinds of plants
        clause = max((p.end() for p in _CLAUSE.finditer(text, 0, begin)), default=0)
        named = any(
            c.tier > 0
            and c.type in (EntityType.COMPANY, EntityType.PLACE, EntityType.PLATFORM)
            and clause <= c.begin
            and c.end <= m.start()
            for c in known
        )
        if named:
            yield Candidate(begin, m.end(), EntityType.PROJECT, "product", 0.7)


_SUBSIDIARY = re.compile(
    rf"(?:控股|全资)子公司([{_CJK}A-Za-z]{{2,8}}?)"
    r"(?=在|于|将|已|是|投资|建设|位于|落户|总部|，|、|。|（|\()"
)


def subsidiaries(ctx: Context) -> Iterator[Candidate]:
    """The short name right after 全资子公司/控股子公司 is a company (控股子公司华钨新材在…)."""
    text, tokens = ctx.text, ctx.tokens
    for m in _SUBSIDIARY.finditer(text):
        b, e = m.span(1)
        name = m.group(1)
        inner = _stem_tokens(tokens, b, e)
        if (
            _straddles(tokens, b)
            or _straddles(tokens, e)
            or _is_generic(name)
            or any(t.word in breakers() or _is_break(t) for t in inner)
            or not _has_proper(name, inner)
        ):
            continue
        yield Candidate(b, e, EntityType.COMPANY, "subsidiary", 0.7)
