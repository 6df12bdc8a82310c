"""Policies and plans: titles in 《》, quoted names and plain plan names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from graph.entities.recognizers.lexicon import _PUNCT, _lines, _suffix_pattern, suffixes
from graph.entities.recognizers.stems import _is_generic, _straddles
from graph.entities.recognizers.suffix import _MAX_LEN
from graph.entities.recognizers.tokens import Candidate, Context, name_start
from graph.records import EntityType

RANKING = "ranking"  # the method of a candidate that only keeps others out of its span
_QUOTED = re.compile(r"“([^“”]{1,30})”")
_TITLE = re.compile(r"《([^《》]{2,60})》")


def quoted_names(ctx: Context) -> Iterator[Candidate]:
    """Policies in 《》 and quoted names: “532”发展战略, “龙城英才计划”, “常州氢湾”."""
    text, tokens = ctx.text, ctx.tokens
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


def plain_policies(ctx: Context) -> Iterator[Candidate]:
    """Unquoted programme names: 重大项目突破行动, 工业产品质量提升行动 (not A计划收购B)."""
    text, tokens = ctx.text, ctx.tokens
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
