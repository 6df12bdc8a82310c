"""Weak candidates from jieba's part-of-speech tags; they only fill gaps."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from graph.entities.recognizers.lexicon import _PUNCT, _lines, generic_words, suffixes, surnames
from graph.entities.recognizers.stems import _is_generic
from graph.entities.recognizers.tokens import (
    Candidate,
    Context,
    Token,
    _common_word,
    _token_index_at,
)
from graph.records import EntityType

_WEAK_TYPES = {"nt": EntityType.ORGANIZATION, "ns": EntityType.PLACE, "nr": EntityType.PERSON}
_SPEECH = tuple(_lines("speech_verbs.txt"))


def weak_candidates(ctx: Context) -> Iterator[Candidate]:
    """jieba's organization and place words, as low-confidence candidates."""
    tokens = ctx.tokens
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
    # no platform ends: a jieba word ending in 研究院/研究所 carries the platform suffix, so
    # the suffix rule (suffix-platform) names it whole before any weak candidate could
    ends += [("党", EntityType.ORGANIZATION)]  # 中国共产党
    return tuple(sorted(ends, key=lambda item: -len(item[0])))


def _organization_kind(word: str) -> EntityType | None:
    """The type a jieba organization word (nt) names by its suffix, if its stem is a name."""
    for end, etype in _organization_ends():
        if word.endswith(end) and len(word) > len(end):
            return None if _is_generic(word[: -len(end)]) else etype
    return None
