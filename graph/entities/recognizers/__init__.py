"""Recognizers for entities that no table lists, built on Chinese naming structure.

Each recognizer takes a sentence's text and its jieba tokens and yields
:class:`Candidate` spans (indices into the normalized sentence text):

- names ending in a type suffix (``有限公司``, ``研究院``, ``高新区``, ``局``), whose
  left edge is found by reading jieba tokens leftwards until a verb or function word;
- policy titles in 《》 and quoted names followed by ``战略``/``行动``/``体系``;
- enumerations (``中创新航、蜂巢能源、东方日升等一批链主企业``): every item takes the
  type of the head noun or of the items already recognized;
- persons after a role title (``区委书记陆秋明``, ``董事长 杨红新``) or before ``院士``;
- a company followed by a phase (``中创新航三期``) as a project;
- industries from a shipped vocabulary, and jieba ``nt``/``ns`` words as weak candidates.

Word lists live in ``graph/data/``.

>>> text = "引进亿晶光电、正信光电等企业"
>>> sorted((text[c.begin:c.end], c.type.value) for c in enumerations(text, tokenize(text), []))
[('亿晶光电', 'Company'), ('正信光电', 'Company')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from graph.entities.gazetteer import load_gazetteer
from graph.records import EntityType
from graph.relations import patterns as P

DATA = resources.files("graph") / "data"

_CJK = "\u3400-\u9fff"
_MEMO = 1 << 16  # answers kept for the pure look-ups on short strings that rules repeat
_PUNCT = re.compile(rf"[^0-9A-Za-z{_CJK}+＋]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of the normalized sentence that may name an entity."""

    begin: int
    end: int
    type: EntityType
    method: str
    confidence: float
    entity_id: str = ""
    tier: int = 1  # 0: weak (jieba tags); weak candidates never displace others
    rule: str = ""  # the recognizer's id (graph.rules_registry), set where it is called


class Token(NamedTuple):
    """A jieba word with its part-of-speech flag and position in the sentence.

    A named tuple, not a frozen dataclass: a sentence makes dozens of them, and a tuple is
    made several times faster.
    """

    start: int
    end: int
    word: str
    flag: str


# --- data ------------------------------------------------------------------------


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def breakers() -> frozenset[str]:
    """Words that end a name when reading leftwards."""
    return frozenset(_lines("breakers.txt"))


@cache
def generic_words() -> frozenset[str]:
    """Words that alone do not make a name."""
    return frozenset(_lines("generic.txt"))


@cache
def honours() -> frozenset[str]:
    """Titles and honours (瞪羚, 专精特新“小巨人”, 独角兽) that name no company."""
    return frozenset(_lines("honours.txt"))


@cache
def _terms() -> tuple[str, ...]:
    """Common terms that end like a company name (硬科技, 伺服电机), longest first."""
    return tuple(sorted(_lines("terms.txt"), key=len, reverse=True))


@cache
def trade_verbs() -> frozenset[str]:
    """Verbs that name a trade inside a legal company name (冶炼 in …集团冶炼有限责任公司)."""
    return frozenset(_lines("trade_verbs.txt"))


def _is_term(name: str) -> bool:
    """Is ``name`` a common term, maybe after one more character (投硬科技, 伺服电机)?"""
    return any(name.endswith(t) and len(name) - len(t) < 2 for t in _terms())


@cache
def suffixes() -> dict[tuple[str, str], tuple[str, ...]]:
    """(type, strength) -> suffixes, longest first."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    for line in _lines("suffixes.tsv")[1:]:
        type_name, strength, items = line.split("\t")
        table[(type_name, strength)] = tuple(sorted(items.split("|"), key=len, reverse=True))
    return table


@cache
def roles() -> tuple[str, ...]:
    """Role titles, longest first."""
    return tuple(sorted(_lines("roles.txt"), key=len, reverse=True))


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single-character and two-character surnames."""
    lines = _lines("surnames.txt")
    single = frozenset(ch for ch in lines[0])
    double = frozenset(w for line in lines[1:] for w in line.split())
    return single, double


@cache
def industries() -> tuple[str, ...]:
    """The shipped industry vocabulary, longest first."""
    return tuple(sorted(_lines("industries.txt"), key=len, reverse=True))


@cache
def _common_words() -> frozenset[str]:
    """Generic words and industry terms: neither names anything by itself."""
    return generic_words() | frozenset(industries())


@cache
def bodies() -> tuple[str, ...]:
    """Well-known organizations under their usual short names, longest first."""
    return tuple(sorted(_lines("bodies.txt"), key=len, reverse=True))


@cache
def _suffix_pattern(type_name: str, strength: str) -> re.Pattern[str]:
    items = suffixes().get((type_name, strength), ())
    return re.compile("|".join(re.escape(s) for s in items)) if items else re.compile(r"(?!)")


# --- tokens ------------------------------------------------------------------------


@cache
def _word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tags (read once; cheaper than jieba.posseg's HMM)."""
    import marshal
    import os
    import tempfile
    from pathlib import Path

    import jieba

    source = Path(jieba.__file__).with_name("dict.txt")
    stat = source.stat()
    cached = (
        Path(tempfile.gettempdir()) / f"nekg-jieba-tags-{stat.st_size}-{int(stat.st_mtime)}.marshal"
    )
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tags: dict[str, str] = {}
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    try:  # a cache like jieba's own; a failure to write it only costs time
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(tags))
        os.replace(partial, cached)
    except OSError:
        pass
    return tags


class Tokens(list):
    """A sentence's tokens, with the set of word boundaries and the tokens' starts and ends
    (both ascending) for quick look-ups."""

    bounds: frozenset[int] = frozenset()
    starts: list[int] | None = None
    ends: list[int] | None = None


def _positions(tokens: Sequence[Token]) -> tuple[list[int], list[int]]:
    starts, ends = getattr(tokens, "starts", None), getattr(tokens, "ends", None)
    if starts is None or ends is None:
        return [t.start for t in tokens], [t.end for t in tokens]
    return starts, ends


def tokens_from(tokens: Sequence[Token], begin: int, end: int) -> Sequence[Token]:
    """The tokens that start at or after ``begin`` and before ``end``."""
    starts, _ = _positions(tokens)
    return tokens[bisect.bisect_left(starts, begin) : bisect.bisect_left(starts, end)]


def tokens_before(tokens: Sequence[Token], at: int) -> Sequence[Token]:
    """The tokens that end at or before ``at``."""
    _, ends = _positions(tokens)
    return tokens[: bisect.bisect_right(ends, at)]


def token_across(tokens: Sequence[Token], at: int) -> Token | None:
    """The token that runs across position ``at`` (start < at < end), if any."""
    starts, _ = _positions(tokens)
    i = bisect.bisect_left(starts, at) - 1
    return tokens[i] if i >= 0 and tokens[i].end > at else None


def _token_index_at(tokens: Sequence[Token], at: int) -> int | None:
    """The index of the token that starts at ``at``, if any."""
    starts, _ = _positions(tokens)
    i = bisect.bisect_left(starts, at)
    return i if i < len(starts) and starts[i] == at else None


def _token_ending_at(tokens: Sequence[Token], at: int) -> Token | None:
    _, ends = _positions(tokens)
    i = bisect.bisect_left(ends, at)
    return tokens[i] if i < len(ends) and ends[i] == at else None


@cache
def _lcut():
    """jieba's ``lcut``, its dictionary set to load quietly (once, not per sentence)."""
    import jieba

    jieba.setLogLevel(60)
    return jieba.lcut


def tokenize(text: str) -> Tokens:
    """jieba words with part-of-speech flags and their offsets in ``text``.

    Words jieba does not know come out as single characters (flag ``x``).
    """
    tags = _word_tags()
    tokens, pos = [], 0
    for word in _lcut()(text, HMM=False):
        flag = tags.get(word)
        if flag is None:
            flag = "eng" if word.isascii() and word.isalnum() else "x"
        if word.isdigit():
            flag = "m"
        elif len(word) == 1 and (
            flag not in _FUNCTION_FLAGS or (flag == "m" and word not in _NUMERALS)
        ):
            flag = "x"  # a lone character is most likely part of an unknown name
        tokens.append(Token(pos, pos + len(word), word, flag))
        pos += len(word)
    result = Tokens(tokens)
    result.starts = [t.start for t in tokens]
    result.ends = [t.end for t in tokens]
    result.bounds = frozenset(result.starts) | frozenset(result.ends)
    return result


_NUMERALS = frozenset("一二三四五六七八九十几两多第")
_FUNCTION_FLAGS = frozenset(
    {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d", "y", "e", "o", "w", "m"}
)
_BREAK_FLAGS = frozenset(
    {
        "p",
        "c",
        "u",
        "uj",
        "ul",
        "uz",
        "ug",
        "uv",
        "ud",
        "r",
        "d",
        "y",
        "e",
        "o",
        "w",
        "q",
        "m",
        "mq",
    }
)
_VERB_FLAGS = frozenset({"v", "vd", "vg", "vi", "vq", "vn"})
# Verbs that are common inside names (创新中心, 产业发展促进中心, 检验中心).
_NAME_VERBS = frozenset(
    [
        "创新",
        "发展",
        "促进",
        "服务",
        "研究",
        "检验",
        "监督",
        "孵化",
        "加速",
        "转化",
        "制造",
        "设计",
        "测试",
        "检测",
        "应用",
        "管理",
        "交流",
        "示范",
        "培训",
        "监测",
        "孵化器",
        "创业",
        "改革",
        "开放",
        "保障",
        "推广",
        "合作",
        "交易",
        "运营",
        "储能",
        "引领",
        "智造",
        "融合",
        "突破",
        "提升",
        "振兴",
        "攻坚",
        "倍增",
        "赋能",
        "升级",
        "招商",
        "引才",
        "育才",
        "认证",
        "质量",
        "评价",
        "集聚",
        "试验",
        "实验",
        "研发",
        "展示",
        "体验",
        "共享",
        "循环",
        "转移",
        "回收",
        # verbs that name a field rather than an action (合成生物学, 压缩空气)
        "开发",
        "合成",
        "压缩",
        "储存",
        "传感",
        "控制",
        "驱动",
        "封装",
        "测控",
        "计算",
        "通信",
        "显示",
        "照明",
        "存储",
    ]
)
_PROPER_FLAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "eng", "j"})
_CONJUNCTIONS = frozenset({"和", "及", "与"})


def _is_break(tok: Token) -> bool:
    word = tok.word
    if word in breakers() or _PUNCT.search(word):
        return True
    if tok.flag in _VERB_FLAGS:
        # a place jieba tags as a verb (包头, 射洪) starts a name: 包头市委, 射洪市委
        return word not in _NAME_VERBS and not (len(word) >= 2 and load_gazetteer().find(word))
    return tok.flag in _BREAK_FLAGS and not (
        word.isascii() and word.isalnum() and not word.isdigit()
    )


@cache
def _complete_ends() -> tuple[str, ...]:
    """Words that end a complete name (strong suffixes of companies, bodies, platforms):
    a conjunction after one is not inside a name."""
    ends = {"政府", "管委会"}
    for (type_name, strength), items in suffixes().items():
        if strength == "strong" and type_name in ("Company", "Organization", "Platform"):
            ends.update(x for x in items if len(x) >= 2)
    return tuple(sorted(ends))


def _is_strong_start(tok: Token) -> bool:
    gaz = load_gazetteer()
    return tok.flag in _PROPER_FLAGS or bool(gaz.find(tok.word)) or tok.word[-1:] in "省市区县"


def _walk(tokens: Sequence[Token], k: int, limit: int) -> int:
    """Index of the leftmost token of a name whose last token is ``tokens[k]`` (k+1: none)."""
    i = k
    while i >= 0:
        tok = tokens[i]
        if tok.start < limit:
            break
        if tok.word in _CONJUNCTIONS and i < k and i > 0:
            if _is_strong_start(tokens[i + 1]):
                break  # the right-hand name has its own start (A与常州市人民政府)
            if tokens[i - 1].word.endswith(_complete_ends()):
                break  # the left-hand name is complete (河南科技大学与伊滨区管委会)
            j = _walk(tokens, i - 1, limit)
            if j <= i - 1 and _is_strong_start(tokens[j]):
                return j
            break
        if (
            tok.word == " "
            and i > 0
            and tokens[i - 1].word.isascii()
            and tokens[i - 1].word.isalnum()
        ):
            i -= 1
            continue
        if (
            tok.word in ")）"
            and i >= 2
            and tokens[i - 2].word in "(（"
            and load_gazetteer().find(tokens[i - 1].word)
        ):
            i -= 3  # a place in brackets belongs to the name: 宁德时代（四川）新能源科技有限公司
            continue
        if (
            _ORDINAL.fullmatch(tok.word)
            and 0 < i < k
            and (tokens[i - 1].flag == "ns" or _plain_place(tokens[i - 1].word))
        ):
            i -= 1  # a numbered unit of a place: 上海市|第二|中级人民法院, 常州市|第一|人民医院
            continue
        if _is_break(tok):
            break
        i -= 1
    return i + 1


_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]{1,3}")


def name_start(text: str, tokens: Sequence[Token], at: int, max_len: int = 20) -> int:
    """Where a name ending right before position ``at`` most likely starts.

    Reads tokens leftwards from ``at`` and stops at punctuation, verbs and function
    words; ``和``/``及``/``与`` are crossed only when what lies left of them starts
    like a name (a place or proper noun).
    """
    k = bisect.bisect_left(_positions(tokens)[0], at) - 1
    if k < 0:
        return at
    first = _walk(tokens, k, at - max_len)
    if first > k:
        return at if tokens[k].end <= at else tokens[k].start
    start = tokens[first].start
    # A measure word after a number (17家商业银行, 第112期中央银行) belongs to the number.
    if 0 < start < at - 1 and text[start] in _MEASURES and text[start - 1] in _NUMBER_CHARS:
        start += 1
    # Leading generic words (一批, 重点) are not part of the name.
    while start < at:
        i = _token_index_at(tokens, start)
        if i is None or tokens[i].word not in breakers():
            break
        start = tokens[i].end
    return start


_MEASURES = frozenset("家个期名位所座项批只")
_NUMBER_CHARS = frozenset("0123456789一二三四五六七八九十百千万两几多")


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
_FIELD_SUFFIXES = frozenset(
    [
        "研究院",
        "研究中心",
        "创新中心",
        "技术中心",
        "工程中心",
        "产业园",
        "创新研究院",
        "实验室",
        "联合实验室",
    ]
)
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


# --- recognizers ---------------------------------------------------------------------

_MAX_LEN = {
    EntityType.COMPANY: 22,
    EntityType.PLATFORM: 26,
    EntityType.ORGANIZATION: 20,
    EntityType.PROJECT: 34,
    EntityType.POLICY: 24,
    EntityType.PLACE: 6,
}


# Ordinary words that end like a government body.
_NOT_BODIES = frozenset(
    [
        "公司",
        "子公司",
        "分公司",
        "总公司",
        "总部",
        "全部",
        "内部",
        "外部",
        "东部",
        "西部",
        "南部",
        "北部",
        "中部",
        "局部",
        "干部",
        "俱乐部",
        "头部",
        "底部",
        "布局",
        "格局",
        "大局",
        "结局",
        "开局",
        "当局",
        "邮局",
        "赌局",
        "主委",
        "编委",
        "评委",
    ]
)


# Company suffixes that also follow ordinary nouns; kinds of companies (贷款公司, 个别银行) are
# in generic.txt, and a stem ending in a verb (找银行) is no name.
_BARE_COMPANY = frozenset(
    ["公司", "银行", "商业银行", "证券公司", "保险公司", "信托公司", "基金公司"]
)


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


@lru_cache(maxsize=_MEMO)
def _plain_place(name: str) -> bool:
    """A place name that needs no context: a country, a province or city, or a county in
    full (和政 alone, a county's short name, is more often an ordinary word)."""
    return any(d.level < 3 or d.name == name for d in load_gazetteer().find(name))


def suffix_names(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Names that end in a type suffix, with their left edge found from the tokens."""
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
                yield Candidate(start, e, etype, "suffix", 0.8)


@cache
def company_nouns() -> tuple[str, ...]:
    """Words only a firm has right after its name (董事长, 旗下, 股价), longest first."""
    return tuple(sorted(_lines("company_nouns.txt"), key=len, reverse=True))


_NAME_FLAGS = frozenset({"nz", "nt", "j", "eng"})


def _name_token(tok: Token) -> bool:
    """Can ``tok`` be part of a firm's bare name: a proper noun jieba knows (not a person or
    place), an ASCII brand, a character or word it does not know?"""
    import jieba

    word = tok.word
    if _PUNCT.search(word) or word in breakers() or word in _FUNCTION_CHARS:
        return False
    if tok.flag in _NAME_FLAGS:
        return True
    if tok.flag == "x":
        return len(word) > 1 or bool(re.match(rf"[{_CJK}]", word))
    return len(word) >= 2 and not jieba.dt.FREQ.get(word) and tok.flag not in _VERB_FLAGS


def context_companies(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """A bare name right before a word only a firm has (新浪董事长, 璞泰来旗下): a Company.

    The name is read leftwards over proper nouns, brands and words jieba does not know, and
    stops at anything else, so a place or a kind before it stays out (深圳欣旺达旗下 →
    欣旺达); a person, a place, a generic or ordinary word is no firm.
    """
    nouns = company_nouns()
    for k, tok in enumerate(tokens):
        if not k or not text.startswith(nouns, tok.start):
            continue
        i = k
        while i > 0 and k - i < 4 and _name_token(tokens[i - 1]):
            i -= 1
        if i == k:
            continue
        begin, end = tokens[i].start, tok.start
        name = text[begin:end]
        if (
            not 2 <= len(name) <= 8
            or _is_generic(name)
            or _common_word(name)
            or load_gazetteer().find(name)
            or name.isdigit()
        ):
            continue
        yield Candidate(begin, end, EntityType.COMPANY, "context", 0.6)


_LIST_MARKS = frozenset("、和与及")
_NEIGHBOUR_SOURCES = frozenset({"alias", "listed", "suffix", "context"})


def _listed_item(text: str, tokens: Sequence[Token], k: int, step: int) -> tuple[int, int] | None:
    """The item that starts (``step`` 1) or ends (``step`` -1) at token ``k``: name words up
    to a list mark, a break or punctuation; None when it is no name."""
    taken: list[Token] = []
    while 0 <= k < len(tokens) and len(taken) < 4:
        tok = tokens[k]
        if tok.word in _LIST_MARKS or _PUNCT.search(tok.word) or _is_break(tok):
            break
        taken.append(tok)
        k += step
    if not taken:
        return None
    if step < 0:
        taken.reverse()
        # the words read past the item's start: 全区规上工业企业|宇光科技、启元储能
        while taken and (_is_generic(taken[0].word) or _common_word(taken[0].word)):
            taken.pop(0)
        if not taken:
            return None
    begin, end = taken[0].start, taken[-1].end
    name = text[begin:end]
    weak = suffixes().get(("Company", "weak"), ())
    if (
        not 2 <= len(name) <= 8
        or _is_generic(name)
        or _common_word(name)
        or load_gazetteer().find(name)
        or name in breakers()
        or name in honours()
        or name[-1] in _PLACE_ENDS  # a zone or place cut short (经|开区与欣旺达)
        or (_mentions_industry(name) and not name.endswith(weak))
    ):
        return None
    # transliterated names (特斯拉, 菲尔) count here: next to a company they are brands
    if all(_name_token(t) or t.flag in ("nrt", "nrfg") for t in taken):
        return begin, end
    suffix = max((len(w) for w in weak if name.endswith(w)), default=0)
    if suffix and len(name) - suffix >= 2:
        stem = name[: len(name) - suffix]
        if not _is_generic(stem) and _has_proper(stem, _stem_tokens(tokens, begin, end)):
            return begin, end
    return None


def neighbour_companies(
    text: str, tokens: Sequence[Token], known: Iterable[Candidate]
) -> Iterator[Candidate]:
    """A name listed right next to a known company (欣旺达和塔菲尔, 蜂巢能源、欣旺达) is a
    company too: the items of a list share their kind. The item is read up to the next list
    mark, break or punctuation and must look like a name (proper nouns, words jieba does not
    know, or a trade name before a company suffix); places, industries and ordinary words
    are not. The candidates are weak: they only fill gaps that no other rule claims."""
    for c in known:
        if c.type is not EntityType.COMPANY or not c.tier or c.method not in _NEIGHBOUR_SOURCES:
            continue
        if text[c.end : c.end + 1] in _LIST_MARKS:
            k = _token_index_at(tokens, c.end + 1)
            if k is not None and (span := _listed_item(text, tokens, k, 1)):
                yield Candidate(*span, EntityType.COMPANY, "neighbour", 0.6, tier=0)
        if c.begin and text[c.begin - 1] in _LIST_MARKS:
            before = _token_ending_at(tokens, c.begin - 1)
            if before is not None:
                k = _token_index_at(tokens, before.start)
                if k is not None and (span := _listed_item(text, tokens, k, -1)):
                    yield Candidate(*span, EntityType.COMPANY, "neighbour", 0.6, tier=0)


RANKING = "ranking"  # the method of a candidate that only keeps others out of its span
_QUOTED = re.compile(r"“([^“”]{1,30})”")
_TITLE = re.compile(r"《([^《》]{2,60})》")


def quoted_names(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Policies in 《》 and quoted names: “532”发展战略, “龙城英才计划”, “常州氢湾”."""
    title_suffixes = suffixes()[("Policy", "title")]
    rankings = suffixes().get(("Policy", "ranking"), ())
    for m in _TITLE.finditer(text):
        if m.group(1).endswith(rankings):
            # A ranking is no policy; it holds the span so that nothing inside is a mention.
            yield Candidate(m.start(), m.end(), EntityType.POLICY, RANKING, 0.9)
        elif m.group(1).endswith(title_suffixes):
            yield Candidate(m.start(), m.end(), EntityType.POLICY, "title", 0.9)
    after = suffixes()[("Policy", "quoted")]
    platform = suffixes()[("Platform", "quoted")] + suffixes()[("Platform", "strong")]
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        rest = text[m.end() :]
        tail = next((s for s in after if rest.startswith(s)), "")
        zone = next((s for s in suffixes()[("Platform", "strong")] if rest.startswith(s)), "")
        if zone and len(inner) >= 2 and not _straddles(tokens, m.end() + len(zone)):
            yield Candidate(m.start(), m.end() + len(zone), EntityType.PLATFORM, "quote", 0.8)
        elif tail and not _straddles(tokens, m.end() + len(tail)):
            yield Candidate(m.start(), m.end() + len(tail), EntityType.POLICY, "quote", 0.85)
        elif inner.endswith(title_suffixes) and len(inner) >= 4 and not _is_generic(inner):
            yield Candidate(m.start(1), m.end(1), EntityType.POLICY, "quote", 0.8)
        elif inner.endswith(platform) and len(inner) >= 3 and not _is_generic(inner):
            yield Candidate(m.start(1), m.end(1), EntityType.PLATFORM, "quote", 0.75)


@cache
def plan_verb_after() -> tuple[str, ...]:
    """Words after …计划 that make 计划 the verb (宁德时代计划收购…), longest first."""
    return tuple(sorted(_lines("plan_verb_after.txt"), key=len, reverse=True))


def plain_policies(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Unquoted programme names: 重大项目突破行动, 工业产品质量提升行动 (not A计划收购B)."""
    for m in _suffix_pattern("Policy", "plain").finditer(text):
        s, e = m.span()
        if _straddles(tokens, e) or _straddles(tokens, s):
            continue
        if m.group() == "计划" and text.startswith(plan_verb_after(), e):
            continue  # 宁德时代计划收购中创新航: plans to, not a programme
        start = name_start(text, tokens, s, _MAX_LEN[EntityType.POLICY])
        stem = text[start:s]
        if len(stem) >= 4 and not _PUNCT.search(stem) and not _is_generic(stem):
            yield Candidate(start, e, EntityType.POLICY, "suffix", 0.6)


# Head nouns after an enumeration and the type they give its items.
_HEADS = (
    ("整车厂", EntityType.COMPANY),
    ("车企", EntityType.COMPANY),
    ("企业", EntityType.COMPANY),
    ("公司", EntityType.COMPANY),
    ("厂商", EntityType.COMPANY),
    ("龙头", EntityType.COMPANY),
    ("集团", EntityType.COMPANY),
    ("品牌", EntityType.COMPANY),
    ("供应商", EntityType.COMPANY),
    ("银行", EntityType.COMPANY),
    ("券商", EntityType.COMPANY),
    ("房企", EntityType.COMPANY),
    ("开发商", EntityType.COMPANY),
    ("运营商", EntityType.COMPANY),
    ("平台", EntityType.PLATFORM),
    ("园区", EntityType.PLATFORM),
    ("载体", EntityType.PLATFORM),
    ("基地", EntityType.PLATFORM),
    ("机构", EntityType.ORGANIZATION),
    ("高校", EntityType.ORGANIZATION),
    ("院校", EntityType.ORGANIZATION),
    ("大学", EntityType.ORGANIZATION),
    ("部门", EntityType.ORGANIZATION),
)
_ENUM_END = re.compile(r"等|(?:[两二三四五六七八九十]|\d+)(?:家|大|个|所|位|座)|为(?:龙头|代表|首)")
_ITEM = re.compile(rf"[{_CJK}A-Za-z0-9（）()]{{2,12}}")


@dataclass(frozen=True, slots=True)
class Enumeration:
    """The items of one enumeration, the type they take (None: unknown) and whether the
    first item opens the text (the enumeration may have begun in the text before)."""

    items: tuple[tuple[int, int], ...]
    type: EntityType | None
    from_start: bool


def enumeration_groups(
    text: str,
    tokens: Sequence[Token],
    known: Sequence[Candidate],
    continues: EntityType | None = None,
) -> list[Enumeration]:
    """The enumerations of ``text`` (``A、B、C等…企业``), each read in one pass leftwards.

    ``continues`` is the type of an enumeration that runs on past the end of the text,
    which then ends in 、 (a long sentence cut inside a list of names): its last items
    take that type.
    """
    by_span = {(c.begin, c.end): c for c in known}
    ends = [(m.start(), m.end(), m.group()) for m in _ENUM_END.finditer(text)]
    if continues is not None and text.endswith("、"):
        ends.append((len(text) - 1, len(text), ""))
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)]
    groups = []
    for end, after, word in ends:
        virtual = after == len(text) and not word
        clause = "" if virtual else _CLAUSE_END.split(text[after : after + 25], maxsplit=1)[0][:24]
        head = (
            continues if virtual else next((t for noun, t in _HEADS if noun in word + clause), None)
        )
        # Walk the items leftwards: X、Y、Z等 (or "Y和Z等").
        items: list[tuple[int, int]] = []
        stop = end
        at = bisect.bisect_left(marks, end)
        floor = marks[at - 1] + 1 if at else 0
        sep = -1
        while True:
            sep = text.rfind("、", max(floor, stop - 13), stop)
            if sep < 0:
                break
            items.append((sep + 1, stop))
            stop = sep
        from_start = floor == 0 and stop <= 12
        if not items and head is None:
            continue
        first_start = max(name_start(text, tokens, stop, 12), floor)
        if word.startswith("为") and text.startswith("以", first_start, stop - 2):
            first_start += 1  # 以A、B为龙头: 以 is the preposition of the construction
        # A verb jieba did not split off (引培天合元氢) still ends the context.
        for word_ in sorted(breakers()):  # in one order: the range narrows as it goes
            if len(word_) >= 2 and (at := text.rfind(word_, first_start, stop)) >= 0:
                first_start = max(first_start, at + len(word_))
        items.append((first_start, stop))
        # "B和C等": the last item may hold two names.
        b, e = items[0]
        parts = re.split("[和与及]", text[b:e])
        if len(parts) == 2 and all(len(x) >= 2 for x in parts):
            cut = b + len(parts[0])
            items[0:1] = [(cut + 1, e), (b, cut)]
        items = [
            (b, e)
            for b, e in items
            if e - b >= 2 and _ITEM.fullmatch(text[b:e]) and "等" not in text[b:e]
        ]
        if (
            not virtual
            and len(items) < 2
            and not (
                (head and clause[:2] in ("企业", "公司", "一批"))
                or clause.startswith(("行业", "知名"))
            )
        ):
            continue
        etype = head
        if head is None:
            types = [by_span[span].type for span in items if span in by_span and by_span[span].tier]
            if types:
                best = max(set(types), key=types.count)
                if types.count(best) >= 2 and types.count(best) * 2 > len(items):
                    etype = best
        groups.append(Enumeration(tuple(items), etype, from_start))
    return groups


_CLAUSE_MARK = re.compile(r"[，。；：！？,;:]")  # where the items of an enumeration stop
_CLAUSE_END = re.compile(r"[，。；：！？,;]")  # where the words after its end stop


def enumerations(
    text: str,
    tokens: Sequence[Token],
    known: Sequence[Candidate],
    groups: Sequence[Enumeration] | None = None,
) -> Iterator[Candidate]:
    """Items of ``A、B、C等…企业`` take the type of the head noun or of their known items."""
    by_span = {(c.begin, c.end): c for c in known}
    if groups is None:
        groups = enumeration_groups(text, tokens, known)
    for group in groups:
        for b, e in group.items:
            item = text[b:e]
            if (
                (b, e) in by_span
                or _is_generic(item)
                or item in breakers()
                or item in honours()
                or _common_word(item)
            ):
                continue
            if (phase := _PHASE.search(item)) and phase.end() == len(item) and phase.start() >= 2:
                yield Candidate(
                    b, e, EntityType.PROJECT, "enumeration", 0.7
                )  # 中创新航三期、蜂巢能源三期
            elif group.type is not None:
                yield Candidate(b, e, group.type, "enumeration", 0.7)


@lru_cache(maxsize=_MEMO)
def _common_word(word: str) -> bool:
    """An ordinary dictionary word (独角兽, 传感器), not a name."""
    import jieba

    flag = _word_tags().get(word)
    return flag is not None and flag not in _PROPER_FLAGS and jieba.dt.FREQ.get(word, 0) >= 3


_POST_NAME = (
    "表示",
    "说",
    "指出",
    "认为",
    "介绍",
    "强调",
    "等",
    "号召",
    "出席",
    "主持",
    "在",
    "和",
    "与",
    "一行",
    "率",
    "带队",
    "参加",
    "致辞",
    "讲话",
    "坦言",
    "透露",
    "提出",
    "告诉",
    "领衔",
    "是",
    "的",
    "为",
)


@cache
def _role_pattern() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(re.escape(r) for r in roles()) + r")[ ]?")


@cache
def _role_comma_pattern() -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(map(re.escape, roles())) + r")[，,]\s?")


@cache
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))


def persons(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Names right after a role title (区委书记陆秋明) or right before 院士."""
    single, double = surnames()
    role_re = _role_pattern()
    for m in role_re.finditer(text):
        i = m.end()
        if i >= len(text):
            continue
        sur = 2 if text[i : i + 2] in double else 1 if text[i] in single else 0
        if not sur:
            continue
        size = _name_size(text, i, sur)
        if size:
            yield Candidate(i, i + size, EntityType.PERSON, "role", 0.85)
    for m in _words_pattern(titles_after()).finditer(text):
        i = m.start()
        for size in (2, 3, 4):
            b = i - size
            if b < 0 or not re.fullmatch(rf"[{_CJK}]+", text[b:i]):
                continue
            if not (text[b] in single and size < 4) and not (
                text[b : b + 2] in double and size > 2
            ):
                continue  # a surname, then one or two characters (欧阳明高: a double surname)
            if _word_tags().get(text[b:i], "nr") not in ("nr", "nrfg", "nrt"):
                continue  # 公司董事长, 集团总裁: an ordinary word before the title
            before = text[max(0, b - 2) : b]
            if (
                b == 0
                or _PUNCT.match(text[b - 1])
                or before in breakers()
                or text[b - 1] in breakers()
            ):
                yield Candidate(b, i, EntityType.PERSON, "role", 0.75)
                break


@cache
def titles_after() -> tuple[str, ...]:
    """Titles that follow a person's name (陈立泉院士, 张伟董事长), longest first."""
    return tuple(sorted(_lines("titles_after.txt"), key=len, reverse=True))


_SAYS = re.compile(r"(?:表示|说|介绍|指出|认为|强调|透露|坦言|告诉)")


def speakers(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """A name after a title and a comma, right before a verb of speech (董事长，王某某表示)."""
    single, double = surnames()
    for m in _role_comma_pattern().finditer(text):
        i = m.end()
        if i >= len(text):
            continue
        sur = 2 if text[i : i + 2] in double else 1 if text[i] in single else 0
        for size in (3, 2) if sur else ():
            if _SAYS.match(text, i + size) and re.fullmatch(rf"[{_CJK}]+", text[i : i + size]):
                yield Candidate(i, i + size, EntityType.PERSON, "role", 0.75)
                break


def _name_size(text: str, i: int, sur: int) -> int:
    """Length of the person name starting at ``i`` (2 or 3 characters; 0 if none)."""
    run = re.match(rf"[{_CJK}]{{2,3}}", text[i:])
    if not run:
        return 0
    name = run.group()
    if len(name) == 3 and sur == 1:
        rest = text[i + 2 :]
        if rest.startswith(_POST_NAME) or text[i + 2] in "等说在和与是的为、，：":
            return 2
    return len(name)


_STREET = re.compile(r"(?:[东西南北中]?(?:大街|大道|路|街)|巷|胡同)(?:[0-9]+号)?")
# Single characters that stand before a street name, not in it (南邻广福路, 家住人民路).
_BEFORE_STREET = frozenset(
    "邻靠近至到往经沿在于住自从向临接通达过出进入驻落抵赴返回跨穿离绕位居处等及和与或的了是为由将把被对条使让令给"
)
_ROAD_WORDS = ("道路", "公路", "马路", "铁路", "线路", "街道")
_STREET_FLAGS = frozenset({"x", "ns", "nz", "nr", "nrfg", "nrt", "j"})


def streets(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Streets and roads with a short proper name: 广福路, 邢州大道, 南京西路1266号.

    The suffix must not belong to an ordinary word (思路, 公路, 马路, 一路); the name is
    read leftwards over two to four characters of unknown or proper words.
    """
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


def subunits(text: str, tokens: Sequence[Token], known: Iterable[Candidate]) -> Iterator[Candidate]:
    """A unit named right after its parent: 宜宾市叙州区 → 叙州区 (even if no table lists it)."""
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


_BRANCH = re.compile(r"分行|支行|总行|分公司|子公司|分部|办事处|分局|分院")


def branches(text: str, known: Iterable[Candidate]) -> Iterator[Candidate]:
    """A company or body, maybe a place, then a branch word: 工商银行广东省分行, 某某公司上海分公司."""
    gaz = load_gazetteer()
    for c in known:
        if c.type not in (EntityType.COMPANY, EntityType.ORGANIZATION) or not c.tier:
            continue
        at = c.end
        for size in range(min(8, len(text) - at), 1, -1):
            if gaz.find(text[at : at + size]):
                at += size
                break
        if m := _BRANCH.match(text, at):
            yield Candidate(c.begin, m.end(), c.type, "branch", 0.8)


_FACULTY = re.compile(rf"[{_CJK}]{{2,8}}?(?:学系|系|学院|研究生院|附属医院|医院)")


def faculties(text: str, known: Iterable[Candidate]) -> Iterator[Candidate]:
    """A university followed by one of its schools: 清华大学心理学系, 北京大学光华管理学院."""
    for c in known:
        if c.type is not EntityType.ORGANIZATION or not text.endswith(("大学", "学院"), 0, c.end):
            continue
        m = _FACULTY.match(text, c.end)
        if m and not _PUNCT.search(m.group()) and not any(w in m.group() for w in _CONJUNCTIONS):
            yield Candidate(c.begin, m.end(), c.type, "faculty", 0.75)


# A country's armed forces by its one-character short form: 美军, 俄军.
_FORCES = re.compile("[美日俄英法德苏韩朝以印越意澳加]军(?!队|人|事|官|衔|区|训|团|营|工)")


def forces(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """美军, 日军, 俄军 as organizations when they stand as their own word."""
    for m in _FORCES.finditer(text):
        if not _straddles(tokens, m.start()) and not _straddles(tokens, m.end()):
            yield Candidate(m.start(), m.end(), EntityType.ORGANIZATION, "vocabulary", 0.7)


# jieba's flags for the parts of a transliterated name (纽卡斯尔, 斯托克) and unknown characters.
_TRANSLITERATED = frozenset({"x", "nr", "nrt", "nrfg"})


def teams(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Teams named after a place or a transliterated name: 常州队, 纽卡斯尔队.

    The name before 队 must be a place, or three or more characters of a transliteration
    or of characters jieba does not know; ordinary words (消防队, 国家队) are not names.
    """
    for m in re.finditer("队", text):
        s = m.start()
        if _straddles(tokens, s) or _straddles(tokens, s + 1):
            continue
        lead = tokens_before(tokens, s)
        words: list[Token] = []
        for tok in reversed(lead):
            if tok.end != (words[-1].start if words else s) or tok.word in breakers():
                break
            if not re.fullmatch(rf"[{_CJK}]+", tok.word) or tok.flag not in _TRANSLITERATED:
                break
            words.append(tok)
        if sum(len(t.word) for t in words) >= 3:
            yield Candidate(words[-1].start, s + 1, EntityType.ORGANIZATION, "suffix", 0.65)
        elif lead and lead[-1].end == s and _plain_place(lead[-1].word):
            yield Candidate(lead[-1].start, s + 1, EntityType.ORGANIZATION, "suffix", 0.65)


# A body of the article's own place named without the place: 市委、市政府提出….
HOME_BODY = P.HOME_BODY


def home_bodies(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Bare 市委/市政府/区委/省政府… standing as their own words; resolution maps them to
    the body of the article's own place (or drops them when the article has none)."""
    for m in HOME_BODY.finditer(text):
        s, e = m.span()
        if _straddles(tokens, s) or _straddles(tokens, e) or text.startswith(roles(), e):
            continue  # 区委书记 is a title; the relation stage places it
        before = _token_ending_at(tokens, s)
        if before is None or not (
            before.flag in _PROPER_FLAGS
            or (before.flag == "x" and re.fullmatch(rf"[{_CJK}]", before.word))
            or load_gazetteer().find(before.word)
        ):
            yield Candidate(s, e, EntityType.ORGANIZATION, "home", 0.85)


_PHASE = re.compile(r"[一二三四五六七八九十\d]{1,3}期(?:项目|工程)?")


def phases(text: str, known: Iterable[Candidate]) -> Iterator[Candidate]:
    """A company followed by a phase number is a project (中创新航三期)."""
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


def projects(text: str, known: Iterable[Candidate]) -> Iterator[Candidate]:
    """Projects the tokens' suffix rule misses.

    - a project with its phase: 比亚迪刀片电池项目三期;
    - a capacity project: 年产5万吨电池级硫酸镍项目;
    - a product project built by a company or place named earlier in the clause
      (株洲中车时代电气在株洲投资建设轨道交通装备项目); 推进关键零部件项目 is no name.
    """
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


def subsidiaries(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """The short name right after 全资子公司/控股子公司 is a company (控股子公司华钨新材在…)."""
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


_BODY_TAIL = re.compile(rf"[{_CJK}]{{0,10}}?(?:司|局|处|厅|中心|研究院|研究所|办公室|委员会)")


def body_names(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Well-known bodies (工信部, 证监会), alone or with a department or centre after them."""
    for found in _words_pattern(bodies()).finditer(text):
        start, end = found.span()
        if _straddles(tokens, start):
            continue
        m = _BODY_TAIL.match(text, end)
        if (
            m
            and not _PUNCT.search(m.group())
            and not re.search("[的和与及在是将等对为]", m.group())
            # the tail ends at a word's end and holds no verb (最高人民法院发布司法解释)
            and not _straddles(tokens, m.end())
            and not any(
                t.flag in _VERB_FLAGS and t.word not in _NAME_VERBS
                for t in _stem_tokens(tokens, end, m.end())
            )
        ):
            yield Candidate(start, m.end(), EntityType.ORGANIZATION, "vocabulary", 0.75)
        if not _straddles(tokens, end) or text[end : end + 1] in "（(":
            yield Candidate(start, end, EntityType.ORGANIZATION, "vocabulary", 0.8)
            # A country or region before the body is part of its name (香港证监会).
            for size in range(min(7, start), 1, -1):
                if _plain_place(text[start - size : start]) and not _straddles(
                    tokens, start - size
                ):
                    yield Candidate(start - size, end, EntityType.ORGANIZATION, "vocabulary", 0.8)
                    break


def industry_names(text: str, tokens: Sequence[Token]) -> Iterator[Candidate]:
    """Industries from the shipped vocabulary, as whole words."""
    for found in _words_pattern(industries()).finditer(text):
        start, end = found.span()
        if not _straddles(tokens, start) and not _straddles(tokens, end):
            yield Candidate(start, end, EntityType.INDUSTRY_CHAIN, "vocabulary", 0.7)


_WEAK_TYPES = {"nt": EntityType.ORGANIZATION, "ns": EntityType.PLACE, "nr": EntityType.PERSON}
_SPEECH = ("表示", "说", "指出", "认为", "介绍", "强调", "坦言", "透露", "告诉")


def weak_candidates(tokens: Sequence[Token]) -> Iterator[Candidate]:
    """jieba's organization and place words, as low-confidence candidates."""
    for tok in tokens:
        etype = _WEAK_TYPES.get(tok.flag)
        if not etype or len(tok.word) < 2 or tok.word in generic_words() or _PUNCT.search(tok.word):
            continue
        # jieba's tags alone are noisy (城市 → ns): keep only words shaped like names.
        if etype is EntityType.PLACE and (
            tok.word[-1] not in _PLACE_ENDS
            or len(tok.word) < 3
            or "城" in tok.word
            or _common_word(tok.word[:-1])
            or _is_generic(tok.word[:-1])
        ):
            continue
        if etype is EntityType.ORGANIZATION:
            kind = _organization_kind(tok.word)
            if kind is None:
                continue  # 商业银行, 国有银行: kinds, not names
            etype = kind
        if etype is EntityType.PERSON and not _speaker(tok, tokens):
            continue
        yield Candidate(tok.start, tok.end, etype, "jieba", 0.4, tier=0)


def _speaker(tok: Token, tokens: Sequence[Token]) -> bool:
    """A jieba person name that opens a clause and is followed by a speech verb (张三表示)."""
    single, double = surnames()
    if not 2 <= len(tok.word) <= 3 or not (tok.word[0] in single or tok.word[:2] in double):
        return False
    i = _token_index_at(tokens, tok.start)
    after = tokens[i + 1].word if i + 1 < len(tokens) else ""
    before = tokens[i - 1].word if i > 0 else "，"
    return after in _SPEECH and bool(_PUNCT.fullmatch(before))


_PLACE_ENDS = frozenset("省市县区镇乡村州国岛")


@cache
def _organization_ends() -> tuple[tuple[str, EntityType], ...]:
    """Suffixes of jieba organization words that say the type, longest first."""
    table = suffixes()
    ends = [(s, EntityType.COMPANY) for s in table[("Company", "strong")]]
    ends += [(s, EntityType.ORGANIZATION) for s in table[("Organization", "strong")]]
    ends += [(s, EntityType.ORGANIZATION) for s in table[("Organization", "gov")] if len(s) > 1]
    ends += [("研究院", EntityType.PLATFORM), ("研究所", EntityType.PLATFORM)]
    ends += [("党", EntityType.ORGANIZATION)]  # 中国共产党
    return tuple(sorted(ends, key=lambda item: -len(item[0])))


_ASSOCIATIONS = frozenset(
    ["协会", "商会", "促进会", "联合会", "学会", "研究会", "产业联盟", "创新联盟", "产业创新联盟"]
)


def _organization_kind(word: str) -> EntityType | None:
    """The type a jieba organization word (nt) names by its suffix, if its stem is a name."""
    for end, etype in _organization_ends():
        if word.endswith(end) and len(word) > len(end):
            return None if _is_generic(word[: -len(end)]) else etype
    return None
