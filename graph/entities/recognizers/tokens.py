"""Candidates and jieba tokens: the spans recognizers yield, the words they read, and
where a name may start."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from graph.entities.gazetteer import load_gazetteer
from graph.entities.recognizers.lexicon import (
    _MEMO,
    _PUNCT,
    _lines,
    _plain_place,
    breakers,
    suffixes,
)
from graph.records import EntityType

if TYPE_CHECKING:
    from graph.entities.recognizers.lists import Enumeration


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


@dataclass(slots=True)
class Context:
    """What every recognizer reads, its one argument: a sentence's normalized text and its
    jieba tokens, and the candidates found so far (by the tables and by the recognizers that
    run before it, in the order of ``graph.entities.candidates.RECOGNIZER_ORDER``).

    ``continues`` is the type of an enumeration the sentence runs on into the next piece (a
    long sentence cut inside a list of names); ``matching`` is the text's matching view
    (``graph.entities.matchers._view``); ``groups`` are the enumerations the enumeration
    recognizer read, kept for the sentence before a cut one.
    """

    text: str
    tokens: Sequence[Token]
    found: list[Candidate] = field(default_factory=list)
    continues: EntityType | None = None
    matching: tuple[str, list[int]] | None = None
    groups: list[Enumeration] = field(default_factory=list)


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
_NAME_VERBS = frozenset(_lines("name_verbs.txt"))
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


@lru_cache(maxsize=_MEMO)
def _common_word(word: str) -> bool:
    """An ordinary dictionary word (独角兽, 传感器), not a name."""
    import jieba

    flag = _word_tags().get(word)
    return flag is not None and flag not in _PROPER_FLAGS and jieba.dt.FREQ.get(word, 0) >= 3
