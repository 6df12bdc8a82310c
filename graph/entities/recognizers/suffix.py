"""Names that end in a type suffix: companies (``有限公司``), organizations (``研究院``),
government bodies (``局``), platforms and zones (``高新区``)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from graph.entities.gazetteer import load_gazetteer
from graph.entities.recognizers.lexicon import (
    _CJK,
    _MEMO,
    _PUNCT,
    _is_term,
    _lines,
    _plain_place,
    _suffix_pattern,
    bodies,
    breakers,
    honours,
    roles,
    suffixes,
    trade_verbs,
)
from graph.entities.recognizers.stems import (
    _ASSOCIATIONS,
    _SCHOOLS,
    _ZONE_BODIES,
    _ends_industry,
    _field_platform,
    _has_proper,
    _is_generic,
    _mentions_industry,
    _names_a_field,
    _names_industry,
    _national,
    _only_place_and_generic,
    _place_prefix,
    _school_stem,
    _starts_with_place,
    _stem_tokens,
    _straddles,
    _trade_name,
    _zone_stem,
    park_pieces,
)
from graph.entities.recognizers.tokens import (
    _BREAK_FLAGS,
    _CONJUNCTIONS,
    _NAME_VERBS,
    _PROPER_FLAGS,
    _VERB_FLAGS,
    Candidate,
    Context,
    Token,
    _is_strong_start,
    _positions,
    _token_ending_at,
    _token_index_at,
    _word_tags,
    name_start,
    token_across,
    tokens_before,
    tokens_from,
)
from graph.records import EntityType

_MAX_LEN = {
    EntityType.COMPANY: 22,
    EntityType.PLATFORM: 26,
    EntityType.ORGANIZATION: 20,
    EntityType.PROJECT: 34,
    EntityType.POLICY: 24,
    EntityType.PLACE: 6,
}


# Ordinary words that end like a government body.
_NOT_BODIES = frozenset(_lines("not_bodies.txt"))


# Company suffixes that also follow ordinary nouns; kinds of companies (贷款公司, 个别银行) are
# in generic.txt, and a stem ending in a verb (找银行) is no name.
_BARE_COMPANY = frozenset(_lines("bare_company.txt"))


def _skip_common_lead(tokens: Sequence[Token], start: int, s: int, legal: bool = False) -> int:
    """Start the name at its first place when only ordinary nouns stand before it.

    The walk leftwards crosses nouns (报告提交给管理部门浦东新区教育局): when a place
    follows words that are neither proper nor places, the name starts at the place. A legal
    company name (``legal``) keeps what stands before its place when that is a parent's name
    (骆驼集团襄阳再生资源有限公司) or a trade name jieba cut into characters (中车株洲…).
    """
    lead = tokens_from(tokens, start, s)
    for i, tok in enumerate(lead):
        if tok.flag == "x" and len(tok.word) == 1 and re.match(rf"[{_CJK}]", tok.word):
            continue  # a lone character jieba does not know (新 in 新引擎) names nothing
        if tok.flag in _PROPER_FLAGS or tok.flag == "x" or load_gazetteer().find(tok.word):
            if i and _plain_place(tok.word) and len(tok.word) >= 2:
                if legal and _parent_lead(lead[:i]):
                    return start
                return tok.start
            return start
    return start


_PARENT_ENDS = ("集团", "控股", "股份")


def _parent_lead(lead: Sequence[Token]) -> bool:
    """Do the words before a legal name's place name its parent (骆驼集团, 中车)?"""
    if lead and lead[-1].word in _PARENT_ENDS and len(lead) >= 2:
        return True
    return len(lead) >= 2 and all(
        len(t.word) == 1 and t.flag == "x" and t.word not in _FUNCTION_CHARS for t in lead
    )


# Single characters that are function words, never part of a trade name.
_FUNCTION_CHARS = frozenset(
    "在与和及为以是等由将对向从把被了的并或也还已均各该其这那每本我你他她它之于而且就都又再才"
    "所即则使让给据按经至到自如若当因"
)


_LEGAL_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
_LEGAL_IN_STEM = re.compile("有限责任公司|有限公司")


def _legal_start(text: str, tokens: Sequence[Token], start: int, s: int) -> int:
    """Reach further left for a legal company name (…有限公司) than a bare walk does.

    The walk stops at verbs; inside a legal name a verb may name the trade (洛阳栾川钼业集团
    冶炼有限责任公司) and a place may be tagged as a verb (包头通威光伏科技有限公司, 射洪天齐锂业
    有限公司). Such a word is crossed when a name (or, for a place, the clause's start) stands
    before it.
    """
    while True:
        tok = _token_ending_at(tokens, start)
        if tok is None or tok.flag not in _VERB_FLAGS:
            return start
        if tok.word in trade_verbs():
            before = name_start(text, tokens, tok.start, _MAX_LEN[EntityType.COMPANY])
            if (
                before >= tok.start
                or s - before > _MAX_LEN[EntityType.COMPANY]
                or not _has_proper(
                    text[before : tok.start], _stem_tokens(tokens, before, tok.start)
                )
            ):
                return start
            start = before
        elif len(tok.word) >= 2 and load_gazetteer().find(tok.word):
            if s - tok.start > _MAX_LEN[EntityType.COMPANY]:
                return start
            start = tok.start  # the place starts the name: 包头|通威光伏科技有限公司
        else:
            return start


def _body_reach(tokens: Sequence[Token], start: int, s: int, limit: int = 20) -> int:
    """How far left a government body may reach: like :func:`name_start`, but across
    the verbs that name a field (新加坡媒体发展管理局); the caller then looks for the
    first word from which the stem reads as a body."""
    for tok in reversed(tokens_before(tokens, start)):
        if s - tok.start > limit or _PUNCT.search(tok.word) or tok.flag in _BREAK_FLAGS:
            break
        if tok.flag in _VERB_FLAGS and tok.word not in _NAME_VERBS and tok.word != "发展":
            break
        start = tok.start
    return start


def _gov_name(text: str, tokens: Sequence[Token], start: int, s: int, e: int) -> int | None:
    """Start of the government body ending in the suffix ``text[s:e]``, or None.

    The walk leftwards from the suffix may overshoot (注册管理部门虹口区教育局): the body
    starts at the leftmost word from which it reads as a body (a place, 国家, 中共 ...).
    Without such a start, a single word that jieba knows as an organization (民政局,
    建设部) is a body by itself.
    """
    start = _body_reach(tokens, start, s)
    # 省工信厅与市政府: a conjunction ends the body that stands before it; 和 inside a
    # department's name (工业和信息化局, 住房和城乡建设局) does not.
    start = max(
        [start]
        + [
            t.end
            for t in tokens_from(tokens, start, s)
            if t.word in _CONJUNCTIONS and not _inner_conjunction(text, tokens, t, start, s)
        ]
    )
    i = bisect.bisect_left(_positions(tokens)[0], e) - 1
    word = tokens[i] if i >= 0 and tokens[i].end >= e else None
    if word is not None and word.flag in _VERB_FLAGS:
        return None  # 部署, 审计署 used as verbs
    if word is not None and re.match(r"[东西南北中]部$", text[max(0, e - 2) : e]):
        return None  # 中北部, 东南部
    for tok in tokens_from(tokens, start, s):
        stem = text[tok.start : s]
        if len(stem) < 2 or _PUNCT.search(re.sub(r"[（(][^（）()]+[）)]", "", stem)):
            continue
        if (
            _gov_start_ok(stem)
            and _unit_word_ok(tok.word)
            and not _is_generic(stem.lstrip("省市区县"))
            and not re.search("公司|集团", stem)
        ):
            return _zone_body_start(text, tokens, tok.start)  # 公关部 of a company is no body
    if (
        word is not None
        and word.end == e
        and word.start < s
        and len(word.word) >= 3
        and word.flag == "nt"
        and not word.word.endswith(tuple(_NOT_BODIES))  # 新格局
    ):
        return word.start
    return None


def _zone_body_start(text: str, tokens: Sequence[Token], at: int) -> int:
    """A body read from inside a zone's name belongs to the zone (经开区党工委, 芜湖高新区
    党工委): it starts with the zone's name, and with the place right before it."""
    starts = [
        zs
        for z in suffixes().get(("Platform", "strong"), ())
        if z.endswith("区") and len(z) > 1
        for zs in range(max(0, at - len(z) + 1), at + 1)
        if text.startswith(z, zs) and zs + len(z) > at
    ]
    if not starts:
        return at
    begin = min(starts)
    before = _token_ending_at(tokens, begin)
    if before is not None and _plain_place(before.word):
        return before.start
    return begin


_BODY_END = re.compile(r"(?:局|厅|委|部|办|署|司|政府|中心|院|会)$")


def _inner_conjunction(text: str, tokens: Sequence[Token], conj: Token, start: int, s: int) -> bool:
    """Is ``和`` part of the department's name (工业和信息化局), not between two bodies?"""
    if conj.word != "和":
        return False
    before, after = text[start : conj.start], text[conj.end : s]
    if _BODY_END.search(before) or not before or not after:
        return False
    at = _token_index_at(tokens, conj.end)
    following = None if at is None else tokens[at]
    if following is None or _is_strong_start(following) or after[0] in "省市区县":
        return False
    word = re.sub(r"^.*?[省市区县]", "", before) if _place_prefix(before) else before
    return 2 <= len(word) <= 4 and 2 <= len(after) <= 6


# Single characters that end a name read leftwards even when jieba leaves them alone.
_NOT_IN_TRADE_NAME = frozenset(
    "在与和及为以是等由将对向从把被了的并或也还已均各该其这那每本我你他她它之于而且就都又再"
    "才所即则使让给据按经后前中上下内外里至到自如若当因家个名位座项批只两几多第"
)


def _split_trade_name(text: str, tokens: Sequence[Token], start: int) -> int:
    """Take in a trade name jieba cut into single characters (广东|华|九|新能源有限公司).

    Up to three such characters are crossed leftwards when a place or the start of
    the clause stands before them.
    """
    k = _token_index_at(tokens, start)
    if k is None:
        return start
    i = k - 1
    while i >= 0 and k - i <= 3:
        tok = tokens[i]
        if len(tok.word) != 1 or not re.match(rf"[{_CJK}]", tok.word):
            break
        if tok.word in _NOT_IN_TRADE_NAME or tok.word in breakers():
            return start
        i -= 1
    if i == k - 1:
        return start
    if i < 0 or _PUNCT.search(tokens[i].word):
        return tokens[i + 1].start
    if _plain_place(tokens[i].word.rstrip("省市区县")) or _plain_place(tokens[i].word):
        return tokens[i].start
    return start


def _unit_word_ok(word: str) -> bool:
    """A first word starting with 省/市/区/县/镇 must be the unit itself (省, 市委), not an
    ordinary word (市场, 区域, 县城)."""
    return (
        len(word) == 1
        or word[0] not in "省市区县镇"
        or bool(re.search("(委|政府)$", word))
        or _plain_place(word)
    )


@lru_cache(maxsize=_MEMO)
def _gov_start_ok(stem: str) -> bool:
    if re.match(r"^(中共|国家|中国|中央|国务院)", stem) or stem.startswith(bodies()):
        return True
    if re.match(r"^[省市区县镇][\u4e00-\u9fff]{1,}", stem) and len(stem) >= 3:
        return True
    return any(_plain_place(stem[:size]) for size in range(2, min(9, len(stem)) + 1))


def suffix_names(ctx: Context) -> Iterator[Candidate]:
    """Names that end in a type suffix, with their left edge found from the tokens."""
    text, tokens = ctx.text, ctx.tokens
    for (type_name, strength), _items in suffixes().items():
        if strength in ("quoted", "title", "plain", "ranking") and type_name == "Policy":
            continue
        if strength == "quoted":
            continue
        etype = EntityType(type_name)
        for m in _suffix_pattern(type_name, strength).finditer(text):
            s, e = m.span()
            if _straddles(tokens, e) and not (
                type_name == "Organization" and text.startswith(roles(), e)
            ):
                continue  # the suffix is part of a longer word (集团化), unless a title follows (局局长)
            if strength == "gov" and _straddles(tokens, s):
                # 布局, 格局, 全部: the suffix character belongs to an ordinary word,
                # unless that word is itself a body (发改局, 科技局).
                inside = token_across(tokens, s)
                word = inside.word
                if (
                    not re.search(r"(局|厅|委|部|办|署|司|政府)$", word)
                    or word in breakers()
                    or word in _NOT_BODIES
                    # 部署, 政委: a two-character word is an ordinary one, unless it is the
                    # short form of a body (建委)
                    or (len(word) < 3 and inside.flag != "j")
                ):
                    continue
            start = name_start(text, tokens, s, _MAX_LEN[etype])
            if strength == "gov":
                if (body := _gov_name(text, tokens, start, s, e)) is not None:
                    yield Candidate(body, e, etype, "suffix", 0.8)
                continue
            inside = token_across(tokens, s)
            if inside is not None and _plain_place(inside.word):
                continue  # 浦东新区 is a district, not a 新区 zone
            legal = etype is EntityType.COMPANY and m.group().endswith(_LEGAL_FORMS)
            if legal:
                start = _legal_start(text, tokens, start, s)
            if etype is EntityType.COMPANY and m.group().endswith("公司"):
                start = _split_trade_name(text, tokens, start)
            start = _skip_common_lead(tokens, start, s, legal)
            if etype is EntityType.PROJECT:
                # …有限公司年产10GW电池项目: the company is a name of its own, the project
                # starts after it
                cut = [m_.end() for m_ in _LEGAL_IN_STEM.finditer(text, start, s)]
                if cut and s - cut[-1] >= 2:
                    start = cut[-1]
            stem = text[start:s]
            if len(stem) < 2 or _PUNCT.search(re.sub(r"[（(][^（）()]+[）)]| ", "", stem)):
                continue
            stem_tokens = _stem_tokens(tokens, start, s)
            if etype is EntityType.COMPANY and text[start:e] in bodies():
                continue  # 人民银行 is a government body
            if etype is EntityType.COMPANY and (stem in honours() or _is_term(text[start:e])):
                continue  # 独角兽公司, 伺服电机: a title or a kind of thing
            elif strength == "weak":
                if _names_industry(text, start, e):
                    continue  # 晶硅光伏两大主导产业: an industry, not a company
                if (place := _place_prefix(stem)) and _trade_name(
                    text, tokens, start + len(place), s, e
                ):
                    yield Candidate(start, e, etype, "suffix", 0.6)  # 深圳华强电子, 重庆同创置业
                    continue
                if (
                    not 2 <= len(stem) <= 4
                    or _is_generic(stem)
                    or re.search(r"\d", stem)
                    or _starts_with_place(stem)
                    or _mentions_industry(stem)
                    or _ends_industry(text[start:e], e - s)
                    or not _has_proper(stem, stem_tokens)
                ):
                    continue
                yield Candidate(start, e, etype, "suffix", 0.6)
            else:
                field = (
                    (etype is EntityType.PLATFORM and _field_platform(stem, m.group()))
                    or (m.group() in _SCHOOLS and _school_stem(stem))
                    or (m.group() in _ZONE_BODIES and _zone_stem(stem))
                    or (
                        m.group().endswith("联盟")
                        and _mentions_industry(stem)
                        and (bool(_place_prefix(stem)) or stem.startswith(("中国", "全国")))
                    )
                )
                if not field and (
                    _is_generic(stem)
                    or (
                        _only_place_and_generic(stem)
                        # 常州市光伏行业协会: an association of a place's industry
                        and not (m.group() in _ASSOCIATIONS and _mentions_industry(stem))
                    )
                    or stem[-1] in "子分母总该本其"
                ):
                    continue
                if (
                    etype is EntityType.COMPANY
                    and m.group() in _BARE_COMPANY
                    and _word_tags().get(text[start:e]) not in ("nt", "nz")
                    and len(stem_tokens) > 1
                    and len(stem_tokens[-1].word) == 1
                    and len(stem_tokens[-2].word) > 1
                    and _word_tags().get(stem_tokens[-1].word, "") in _VERB_FLAGS
                ):
                    continue  # 时间找银行: a verb is not part of the name
                if etype is not EntityType.COMPANY and not (
                    field
                    or _has_proper(stem, stem_tokens)
                    or (etype is EntityType.PLATFORM and _names_a_field(stem, stem_tokens))
                    or (
                        etype is EntityType.ORGANIZATION
                        and (
                            _national(stem)
                            or (_gov_start_ok(stem) and _unit_word_ok(stem_tokens[0].word))
                        )
                    )
                ):
                    continue
                if etype is EntityType.PROJECT and re.search(r"最|首|第一|IPO", stem):
                    continue
                if etype is EntityType.PLACE and (len(stem) > 3 or _straddles(tokens, s)):
                    continue  # 直溪镇, not 中德城镇
                if etype is EntityType.PLATFORM:
                    for b, end in park_pieces(text, start, s, e):
                        yield Candidate(b, end, etype, "suffix", 0.8)
                    continue
                yield Candidate(start, e, etype, "suffix", 0.8)
