"""Projects: phases (``三期``), plants and works of a company, and subsidiaries."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.entities.recognizers.lexicon import (
    _CJK,
    breakers,
    project_name_verbs,
    project_not_names,
    project_stops,
)
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


_NAMED_END = re.compile(
    r"(?P<w>项目|超级工厂)(?:[（(][一二三四五六七八九十\d]{1,3}期(?:工程)?[）)]|[一二三四五六七八九十\d]{1,3}期(?:工程)?)?"
)
_COUNTED = re.compile(r"^(?:[\d一二三四五六七八九十百千几多]+|一批|若干|部分)[个批项类家大]?")
# A bare product project (储能电池项目) names one only where a clause builds or places it.
_BUILT_BEFORE = re.compile(
    r"(?:建设|投资|投建|新建|扩建|兴建|布局|实施|落地|开工建设|共建|签约|签下)(?:的)?$"
)
_BUILT_AFTER = re.compile(
    r"(?:（|\(|由|落户|落地|在|于|位于|选址|开工|投产|签约|总投资|计划总投资|开建|建成|正式|已|将|，总投资)"
)
# 建设A项目和B项目: a product project listed after one names one too.
_LISTED_AFTER = re.compile(r"项目(?:[（(][^（）()]{1,6}[）)])?(?:和|及|与|、|以及)$")
_CLAUSE_END = re.compile(r"[，。；;,！？!?：:、\s“”\"'《》]")


def named_projects(ctx: Context) -> Iterator[Candidate]:
    """A project named as news writes it, read leftwards from 项目 to the clause's verb.

    年产2万吨高端磁材及组件项目（三期）, 储能电池项目, 高端制剂国际化项目（一期）: the name
    runs left over product words, a capacity phrase (年产…, 及 inside it) and a company or
    place opening it (通威眉山高效晶硅电池项目（二期）), and stops at a verb or function word
    (投资建设, 的, 在, 由), at punctuation, and after a legal company name (…有限公司年产…项目:
    the company builds it, it is no part of the name). A phase after it joins it.
    """
    text, tokens, known = ctx.text, ctx.tokens, ctx.found
    if "项目" not in text and "工厂" not in text:
        return
    starts = {t.end: t for t in tokens}
    ends_of: dict[int, Candidate] = {}  # the longest company, place or park ending at each end
    units = (EntityType.COMPANY, EntityType.PLACE, EntityType.PLATFORM)
    for c in known:
        if (
            c.tier > 0
            and c.type in units
            and (c.end not in ends_of or ends_of[c.end].begin > c.begin)
        ):
            ends_of[c.end] = c
    claimed = {(c.begin, c.end) for c in known if c.type is EntityType.PROJECT}
    for m in _NAMED_END.finditer(text):
        s, word_end = m.start(), m.end("w")
        if _straddles(tokens, s) or _straddles(tokens, word_end):
            continue
        clause = max((p.end() for p in _CLAUSE_END.finditer(text, 0, s)), default=0)
        begin = s
        capacity = text.rfind("年产", clause, s)
        if capacity >= 0:
            begin = capacity
        while begin > clause and s - begin < 40:
            unit = ends_of.get(begin)
            if unit is not None and unit.begin >= clause:
                name = text[unit.begin : unit.end]
                if unit.type is EntityType.PLATFORM or name.endswith(("公司", "集团", "厂")):
                    break  # …有限公司年产…项目, 经开区…项目: its builder or place, no part of it
                begin = unit.begin
                continue
            tok = starts.get(begin)
            named_verb = tok is not None and tok.word in project_name_verbs()
            if tok is None or (
                not named_verb
                and (tok.word in project_stops() or _is_break(tok) or tok.flag in "pcurd")
            ):
                break
            begin = tok.start
        stem = text[begin:s]
        if (
            len(stem) < 2
            or stem[0] in "级型类个期之等"
            or _COUNTED.match(stem)
            or any(word in stem for word in project_not_names())
            or (_is_generic(stem) and not _mentions_industry(stem))
            or re.fullmatch(r"[一二三四五六七八九十\d]{1,3}期", stem)
        ):
            continue
        inside = any(c.begin >= begin and c.end <= s for c in ends_of.values())
        if m.group("w") != "项目" and not (
            re.search(r"\d", stem)
            and any(c.begin == begin and c.type is EntityType.COMPANY for c in ends_of.values())
        ):
            continue  # 亿纬锂能60GWh储能超级工厂: a plant named by its company and capacity
        plain = not (inside or m.end() > word_end or re.search(r"\d", stem))
        # 投资建设X项目 names one when the sentence names who or where (鼓励企业建设储能项目 does not)
        named = any(c.end <= begin for c in ends_of.values())
        built = (named and _BUILT_BEFORE.search(text, 0, begin)) or _BUILT_AFTER.match(
            text, word_end
        )
        if plain and not (built or _LISTED_AFTER.search(text, 0, begin)):
            continue  # 光伏项目建设情况, 最大的储能电池项目: a kind of project, not one
        if (begin, m.end()) not in claimed:  # the same span found by a rule before
            yield Candidate(begin, m.end(), EntityType.PROJECT, "named", 0.75)
