"""Places no gazetteer lists: streets and the sub-units of a known place."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.entities.recognizers.lexicon import _CJK, _PUNCT, _lines
from graph.entities.recognizers.stems import _is_generic, _straddles
from graph.entities.recognizers.tokens import (
    Candidate,
    Context,
    _common_word,
    _token_index_at,
    token_across,
    tokens_before,
    tokens_from,
)
from graph.records import EntityType

_STREET = re.compile(r"(?:[东西南北中]?(?:大街|大道|路|街)|巷|胡同)(?:[0-9]+号)?")
# Single characters that stand before a street name, not in it (南邻广福路, 家住人民路).
_BEFORE_STREET = frozenset(
    "邻靠近至到往经沿在于住自从向临接通达过出进入驻落抵赴返回跨穿离绕位居处等及和与或的了是为由将把被对条使让令给"
)
_ROAD_WORDS = tuple(_lines("road_words.txt"))
_STREET_FLAGS = frozenset({"x", "ns", "nz", "nr", "nrfg", "nrt", "j"})


def streets(ctx: Context) -> Iterator[Candidate]:
    """Streets and roads with a short proper name: 广福路, 邢州大道, 南京西路1266号.

    The suffix must not belong to an ordinary word (思路, 公路, 马路, 一路); the name is
    read leftwards over two to four characters of unknown or proper words.
    """
    text, tokens = ctx.text, ctx.tokens
    for m in _STREET.finditer(text):
        e = m.end()
        if e < len(text) and re.match(r"[线口车段]", text[e]):
            continue  # 20路车站, 三路口, a bus line
        begin = m.start()
        if _straddles(tokens, m.end()) and m.group()[-1] != "号":
            continue  # 街头: the suffix starts a longer word
        word = token_across(tokens, begin)
        if word is not None:
            if word.flag not in ("ns", "nr", "nrfg", "j") or word.word.endswith(_ROAD_WORDS):
                continue  # 思路, 公路, 山路, 集成电路, 铺平道路
            begin = word.start  # 滨江路, 王府井大街: jieba knows the name
        for tok in reversed(tokens_before(tokens, begin)):
            if (
                tok.end != begin
                or tok.flag not in _STREET_FLAGS
                or _PUNCT.search(tok.word)
                or tok.word in _BEFORE_STREET
                or tok.word[-1] in "省市区县"
                or m.start() - tok.start > 4
            ):
                break
            begin = tok.start
        stem = text[begin : m.start()]
        if not re.fullmatch(rf"[{_CJK}]{{2,4}}", stem) or _is_generic(stem) or _common_word(stem):
            continue
        at = _token_index_at(tokens, e)
        after = None if at is None else tokens[at]
        if (
            after is not None
            and after.flag == "x"
            and re.fullmatch(rf"[{_CJK}]", after.word)
            and all(len(t.word) == 1 for t in tokens_from(tokens, begin, m.start()))
        ):
            continue  # unknown characters run on past the suffix (“车能路云”)
        yield Candidate(begin, e, EntityType.PLACE, "street", 0.7)


_SUBUNIT = re.compile(rf"[{_CJK}]{{2}}(?:区|县|市|镇|乡|街道)")


def subunits(ctx: Context) -> Iterator[Candidate]:
    """A unit named right after its parent: 宜宾市叙州区 → 叙州区 (even if no table lists it)."""
    text, tokens, known = ctx.text, ctx.tokens, ctx.found
    for c in known:
        if c.type is not EntityType.PLACE or c.method not in ("gazetteer", "alias"):
            continue
        m = _SUBUNIT.match(text, c.end)
        if (
            m
            and not _straddles(tokens, m.end())
            and not _is_generic(m.group()[:2])
            and not re.search(r"[等和及与各]|[一二三四五六七八九十两几多]", m.group()[:2])
            and m.group()[1] not in "新开园城市景社小街片库矿郊辖中主委"
        ):
            yield Candidate(m.start(), m.end(), EntityType.PLACE, "suffix", 0.7)
