"""Tests on the stem before a suffix: generic words, places, fields, industries."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from graph.entities.gazetteer import load_gazetteer
from graph.entities.recognizers.lexicon import (
    _CJK,
    _MEMO,
    _common_words,
    _lines,
    _plain_place,
    breakers,
    generic_words,
    industries,
    suffixes,
)
from graph.entities.recognizers.tokens import (
    _PROPER_FLAGS,
    Token,
    _common_word,
    _positions,
    token_across,
)


def _stem_tokens(tokens: Sequence[Token], begin: int, end: int) -> list[Token]:
    starts, ends = _positions(tokens)
    return list(tokens[bisect.bisect_right(ends, begin) : bisect.bisect_left(starts, end)])


@lru_cache(maxsize=_MEMO)
def _is_generic(stem: str) -> bool:
    """True when ``stem`` is made only of generic words (or is empty)."""
    if not stem:
        return True
    words = generic_words()
    i = 0
    while i < len(stem):
        for size in range(min(6, len(stem) - i), 0, -1):
            if stem[i : i + size] in words:
                i += size
                break
        else:
            return False
    return True


def _has_proper(stem: str, tokens: Sequence[Token]) -> bool:
    """Does the stem hold something name-like: a place, a proper noun, an unknown word?"""
    import jieba

    freq = jieba.dt.FREQ
    common = _common_words()
    for tok in tokens:
        if tok.word in common:
            continue
        if tok.flag in _PROPER_FLAGS or load_gazetteer().find(tok.word):
            return True
        if len(tok.word) >= 2 and not freq.get(tok.word):
            return True
    singles = sum(1 for t in tokens if len(t.word) == 1 and re.match(rf"[{_CJK}]", t.word))
    return singles >= 2 or bool(re.search(r"[A-Za-z]{2,}", stem))


def _starts_with_place(stem: str) -> bool:
    gaz = load_gazetteer()
    return any(gaz.find(stem[:size]) for size in range(2, min(8, len(stem)) + 1))


@lru_cache(maxsize=_MEMO)
def _place_prefix(stem: str) -> str:
    """The longest place name that ``stem`` starts with, with its 省/市/区/县 (or '')."""
    for size in range(min(8, len(stem)), 1, -1):
        if _plain_place(stem[:size]):
            return stem[:size] + (
                "" if stem[size : size + 1] not in tuple("省市区县") else stem[size]
            )
    return ""


def _trade_name(text: str, tokens: Sequence[Token], begin: int, s: int, e: int) -> bool:
    """Is ``text[begin:s]``, after a place, a trade name (同创 in 重庆同创置业)?"""
    rest = text[begin:s]
    if not 2 <= len(rest) <= 4 or not re.fullmatch(rf"[{_CJK}]+", rest):
        return False
    if _is_generic(rest) or _mentions_industry(rest) or _ends_industry(text[begin:e], e - s):
        return False
    if _plain_place(rest) or _place_prefix(rest):
        return False  # 江苏常州市汽车: places and a trade word, no trade name
    if _straddles(tokens, begin):
        # jieba read the place and the trade name as one organization (深圳华强)
        return token_across(tokens, begin).flag == "nt"
    return _has_proper(rest, _stem_tokens(tokens, begin, s)) and not _common_word(rest)


def _only_place_and_generic(stem: str) -> bool:
    """常州企业, 江苏省级: a place followed by nothing that names anything."""
    gaz = load_gazetteer()
    for size in range(min(8, len(stem)), 1, -1):
        if gaz.find(stem[:size]):
            rest = stem[size:].lstrip("省市区县")
            return bool(rest) and _is_generic(rest)
    return False


def _ends_industry(name: str, suffix_len: int) -> bool:
    """Is the suffix the tail of an industry term (做强新能源: 能源 inside 新能源)?"""
    return any(name.endswith(w) and len(w) > suffix_len for w in industries())


def _mentions_industry(stem: str) -> bool:
    return any(word in stem for word in industries())


def _names_a_field(stem: str, tokens: Sequence[Token]) -> bool:
    """A national centre or a specialised institute: 国家…检验中心, 先进陶瓷智能传感技术研究院."""
    if stem.startswith(("国家", "中国")) and len(stem) >= 4:
        return True
    common = _common_words()
    content = [
        t for t in tokens if len(t.word) >= 2 and t.word not in common and t.flag.startswith("n")
    ]
    return len(stem) >= 6 and bool(content)


# Platforms a region or its partners set up for a field: a stem of field words alone
# names one (氢能产业技术创新中心, 储能光伏产业园, 湖北省智能装备产业创新中心).
_FIELD_SUFFIXES = frozenset(_lines("field_suffixes.txt"))
_JOINT_SUFFIXES = frozenset({"联合实验室"})


def _field_platform(stem: str, suffix: str) -> bool:
    """Does a stem made of industry and generic words name a platform with this suffix?

    It must hold two industry terms (光伏储能产业园), an industry term with 产业 or 技术
    (氢能产业创新中心), or start with a province or city (湖南省储能创新中心); a joint
    laboratory is named by one term (固态电池联合实验室). 新能源产业园 alone is a kind of
    park, not a name.
    """
    if suffix not in _FIELD_SUFFIXES:
        return False
    place = _place_prefix(stem)
    rest = stem[len(place) :]
    terms, i = 0, 0
    words = sorted(industries(), key=len, reverse=True)
    while i < len(rest):
        word = next((w for w in words if rest.startswith(w, i)), None)
        if word is None:
            size = next(
                (n for n in range(min(6, len(rest) - i), 0, -1) if _is_generic(rest[i : i + n])),
                0,
            )
            if not size:
                return False  # a word that is neither a field nor generic
            i += size
        else:
            terms += 1
            i += len(word)
    if not terms:
        return False
    return (
        suffix in _JOINT_SUFFIXES or terms >= 2 or bool(place) or bool(re.search("产业|技术", rest))
    )


_SCHOOLS = frozenset({"大学", "学院"})
_ZONE_BODIES = frozenset({"管委会", "管理委员会"})


def _school_stem(stem: str) -> bool:
    """Universities are named by a place and a field (湘潭工业大学) or a long field (电子科技大学)."""
    place = _place_prefix(stem)
    rest = stem[len(place) :]
    if not rest or not _is_generic(rest) or any(w in rest for w in (*breakers(), "产业")):
        return False
    return len(rest) >= 2 if place else len(rest) >= 4


def _zone_stem(stem: str) -> bool:
    """The managing committee of a named zone (宁波工业园区管委会)."""
    suffixes_ = suffixes().get(("Platform", "strong"), ())
    zone = next((x for x in suffixes_ if stem.endswith(x) and x.endswith("区")), None)
    return zone is not None and len(stem) > len(zone) + 1 and bool(_place_prefix(stem))


_INDUSTRY_AFTER = re.compile(
    r"(?:等)?(?:[两二三四五六七八九十]大)?(?:主导|新兴|优势|特色|支柱|重点)?(?:产业|行业|领域|赛道)"
)


def _names_industry(text: str, begin: int, end: int) -> bool:
    """Is ``text[begin:end]`` an industry: followed by 产业/两大主导产业, or listed next to a
    known industry (动力电池、晶硅光伏)?"""
    if _INDUSTRY_AFTER.match(text, end):
        return True
    words = set(industries())
    if begin > 0 and text[begin - 1] == "、":
        before = re.split(r"[、，。；：,;:]|围绕|发展|培育|壮大", text[: begin - 1])[-1]
        if before in words:
            return True
    if text.startswith("、", end):
        after = re.split(r"[、，。；：,;:]|等|[两二三四五六七八九十]大", text[end + 1 :])[0]
        return after in words
    return False


def _national(stem: str) -> bool:
    """A national or international body names its field after 中国/中华/全国: 中华诗词研究会."""
    rest = re.sub(r"^(中国|中华|全国|国际|世界)", "", stem)
    return len(rest) >= 2 and rest != stem and not _is_generic(rest)


def _straddles(tokens: Sequence[Token], at: int) -> bool:
    """Does a token run across position ``at`` (so the suffix is part of a longer word)?"""
    bounds = getattr(tokens, "bounds", None)
    if bounds is not None:
        return bool(tokens) and 0 < at < tokens[-1].end and at not in bounds
    return any(t.start < at < t.end for t in tokens)


_ASSOCIATIONS = frozenset(_lines("associations.txt"))


_PARK_KINDS = tuple(sorted(_lines("park_kinds.txt"), key=len, reverse=True))
_ADMIN_ENDS = "省市区县州旗盟"


def _own_name(rest: str) -> bool:
    """Does ``rest`` (a park's stem) name a park of its own: more than generic words?"""
    return len(rest) >= 2 and (not _is_generic(rest) or _mentions_industry(rest))


def park_pieces(text: str, start: int, s: int, e: int) -> list[tuple[int, int]]:
    """The park names in ``text[start:e]`` (stem ``text[start:s]``).

    Places written in full (包头市, 青山区) that open a park's name are its address when
    the park has a name of its own after them: a proper name (高陵区泾河工业园 → 泾河工业园)
    or, after a row of two places, field words (包头市青山区装备制造产业园区 → 装备制造产业园区).
    One place before field words is the park's own (常州市光伏产业园, 溧阳市工业园区), and
    so is the last place before a bare zone kind (南京市江宁区开发区 → 江宁区开发区). A place
    without its suffix is part of the name as written (长沙经济技术开发区, 苏州生物医药产业园). A park named inside another park is two
    parks (射洪经济开发区锂电高端材料产业园 → 射洪经济开发区, 锂电高端材料产业园).
    """
    places: list[int] = []
    p = start
    while True:
        size = next(
            (
                size
                for size in range(min(8, s - p - 1), 1, -1)
                if text[p + size] in _ADMIN_ENDS
                and (_plain_place(text[p : p + size]) or _plain_place(text[p : p + size + 1]))
            ),
            0,
        )
        if not size:
            break
        places.append(p)
        p += size + 1
    rest = text[p:s]
    if len(rest) < 2:
        p = places[-1] if len(places) > 1 else start  # 江宁区开发区: the place's own zone
    elif len(places) == 1 and (_is_generic(rest) or _mentions_industry(rest)):
        p = start  # 常州市光伏产业园, 溧阳市工业园区: a place's park named by its field
    for kind in _PARK_KINDS:
        k = text.find(kind, p + 2, s)
        if k >= 0 and _own_name(text[k + len(kind) : s]):
            return [(p, k + len(kind)), (k + len(kind), e)]
    return [(p, e)]
