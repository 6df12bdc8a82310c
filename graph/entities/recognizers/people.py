"""Persons: after a role title (``区委书记陆秋明``), before a title or as a speaker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from graph.entities.recognizers.lexicon import _CJK, _PUNCT, _lines, breakers, roles, surnames
from graph.entities.recognizers.tokens import Candidate, Context, _word_tags
from graph.records import EntityType

_POST_NAME = tuple(_lines("post_name.txt"))


@cache
def _role_pattern() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(re.escape(r) for r in roles()) + r")[ ]?")


@cache
def _role_comma_pattern() -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(map(re.escape, roles())) + r")[，,]\s?")


@cache
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))


def persons(ctx: Context) -> Iterator[Candidate]:
    """Names right after a role title (区委书记陆秋明) or right before 院士."""
    text = ctx.text
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


def speakers(ctx: Context) -> Iterator[Candidate]:
    """A name after a title and a comma, right before a verb of speech (董事长，王某某表示)."""
    text = ctx.text
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
