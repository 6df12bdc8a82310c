"""Bodies, units and teams: branches, faculties, armed forces, sports teams, the home
government, well-known bodies and industries from the shipped vocabularies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from graph.entities.gazetteer import load_gazetteer
from graph.entities.recognizers.lexicon import (
    _CJK,
    _PUNCT,
    _plain_place,
    bodies,
    breakers,
    industries,
    industry_stems,
    roles,
)
from graph.entities.recognizers.people import _words_pattern
from graph.entities.recognizers.stems import _stem_tokens, _straddles
from graph.entities.recognizers.tokens import (
    _CONJUNCTIONS,
    _NAME_VERBS,
    _PROPER_FLAGS,
    _VERB_FLAGS,
    Candidate,
    Context,
    Token,
    _token_ending_at,
    tokens_before,
)
from graph.records import EntityType
from graph.relations import patterns as P

_BRANCH = re.compile(r"分行|支行|总行|分公司|子公司|分部|办事处|分局|分院")


def branches(ctx: Context) -> Iterator[Candidate]:
    """A company or body, maybe a place, then a branch word: 工商银行广东省分行, 某某公司上海分公司."""
    text, known = ctx.text, ctx.found
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


def faculties(ctx: Context) -> Iterator[Candidate]:
    """A university followed by one of its schools: 清华大学心理学系, 北京大学光华管理学院."""
    text, known = ctx.text, ctx.found
    for c in known:
        if c.type is not EntityType.ORGANIZATION or not text.endswith(("大学", "学院"), 0, c.end):
            continue
        m = _FACULTY.match(text, c.end)
        if m and not _PUNCT.search(m.group()) and not any(w in m.group() for w in _CONJUNCTIONS):
            yield Candidate(c.begin, m.end(), c.type, "faculty", 0.75)


# A country's armed forces by its one-character short form: 美军, 俄军.
_FORCES = re.compile("[美日俄英法德苏韩朝以印越意澳加]军(?!队|人|事|官|衔|区|训|团|营|工)")


def forces(ctx: Context) -> Iterator[Candidate]:
    """美军, 日军, 俄军 as organizations when they stand as their own word."""
    text, tokens = ctx.text, ctx.tokens
    for m in _FORCES.finditer(text):
        if not _straddles(tokens, m.start()) and not _straddles(tokens, m.end()):
            yield Candidate(m.start(), m.end(), EntityType.ORGANIZATION, "vocabulary", 0.7)


# jieba's flags for the parts of a transliterated name (纽卡斯尔, 斯托克) and unknown characters.
_TRANSLITERATED = frozenset({"x", "nr", "nrt", "nrfg"})


def teams(ctx: Context) -> Iterator[Candidate]:
    """Teams named after a place or a transliterated name: 常州队, 纽卡斯尔队.

    The name before 队 must be a place, or three or more characters of a transliteration
    or of characters jieba does not know; ordinary words (消防队, 国家队) are not names.
    """
    text, tokens = ctx.text, ctx.tokens
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


def home_bodies(ctx: Context) -> Iterator[Candidate]:
    """Bare 市委/市政府/区委/省政府… standing as their own words; resolution maps them to
    the body of the article's own place (or drops them when the article has none)."""
    text, tokens = ctx.text, ctx.tokens
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


_BODY_TAIL = re.compile(rf"[{_CJK}]{{0,10}}?(?:司|局|处|厅|中心|研究院|研究所|办公室|委员会)")


def body_names(ctx: Context) -> Iterator[Candidate]:
    """Well-known bodies (工信部, 证监会), alone or with a department or centre after them."""
    text, tokens = ctx.text, ctx.tokens
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


def industry_names(ctx: Context) -> Iterator[Candidate]:
    """Industries from the shipped vocabulary, as whole words."""
    text, tokens = ctx.text, ctx.tokens
    for found in _words_pattern(industries()).finditer(text):
        start, end = found.span()
        if not _straddles(tokens, start) and not _straddles(tokens, end):
            yield Candidate(start, end, EntityType.INDUSTRY_CHAIN, "vocabulary", 0.7)


# After an industry's name: what makes it an industry named as such (X产业链, X领域).
_INDUSTRY_WORD = "产业链|产业集群|产业|行业|领域|企业|龙头"
# What turns X产业 into the name of a place or body (X产业园, X产业联盟).
_NOT_INDUSTRY_AFTER = re.compile("园|基地|城|港|小镇|研究院|联盟|协会|基金|大会|论坛|发展有限")


@cache
def _industry_named_pattern() -> re.Pattern[str]:
    stems = "|".join(re.escape(w) for w in industry_stems())
    return re.compile(f"(?P<x>{stems})(?:装备制造|装备)?(?:{_INDUSTRY_WORD})")


def industries_named(ctx: Context) -> Iterator[Candidate]:
    """An industry named as such: a known industry's stem right before 产业/产业链/产业集群/
    行业/领域/企业/龙头 (稀土产业, 电子信息龙头; 海上风电装备产业集群: the equipment of
    海上风电), as the stem alone.

    Not a park or body named after the industry (电子信息产业园), not a stem cut out of a
    longer word (a token that starts before it).
    """
    text, tokens = ctx.text, ctx.tokens
    for m in _industry_named_pattern().finditer(text):
        start, end = m.span("x")
        if _straddles(tokens, start) or _NOT_INDUSTRY_AFTER.match(text, m.end()):
            continue
        yield Candidate(start, end, EntityType.INDUSTRY_CHAIN, "vocabulary", 0.7)
