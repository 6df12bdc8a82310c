"""Companies known by their context: a company noun after a name (``宁德时代公司``), or a
neighbour of a company in a list."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from graph.entities.gazetteer import load_gazetteer
from graph.entities.recognizers.lexicon import _CJK, _PUNCT, _lines, breakers, honours, suffixes
from graph.entities.recognizers.stems import (
    _has_proper,
    _is_generic,
    _mentions_industry,
    _stem_tokens,
)
from graph.entities.recognizers.suffix import _FUNCTION_CHARS
from graph.entities.recognizers.tokens import (
    _VERB_FLAGS,
    Candidate,
    Context,
    Token,
    _common_word,
    _is_break,
    _token_ending_at,
    _token_index_at,
)
from graph.entities.recognizers.weak import _PLACE_ENDS
from graph.records import EntityType


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


def context_companies(ctx: Context) -> Iterator[Candidate]:
    """A bare name right before a word only a firm has (新浪董事长, 璞泰来旗下): a Company.

    The name is read leftwards over proper nouns, brands and words jieba does not know, and
    stops at anything else, so a place or a kind before it stays out (深圳欣旺达旗下 →
    欣旺达); a person, a place, a generic or ordinary word is no firm.
    """
    text, tokens = ctx.text, ctx.tokens
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


def neighbour_companies(ctx: Context) -> Iterator[Candidate]:
    """A name listed right next to a known company (欣旺达和塔菲尔, 蜂巢能源、欣旺达) is a
    company too: the items of a list share their kind. The item is read up to the next list
    mark, break or punctuation and must look like a name (proper nouns, words jieba does not
    know, or a trade name before a company suffix); places, industries and ordinary words
    are not. The candidates are weak: they only fill gaps that no other rule claims."""
    text, tokens, known = ctx.text, ctx.tokens, ctx.found
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
