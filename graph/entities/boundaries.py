"""Boundary checks on candidates: a span that cuts or crosses a word, or whose edge is no
name's edge, is trimmed or dropped (:func:`bounded`, :func:`checked`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from graph.entities import recognizers as rules
from graph.entities.recognizers import Candidate
from graph.entities.recognizers.lexicon import DATA
from graph.entities.recognizers.stems import _straddles
from graph.entities.recognizers.tokens import _common_word
from graph.records import EntityType


def _inside_word(tokens: Sequence[rules.Token], c: Candidate) -> bool:
    t = rules.token_across(tokens, c.begin) or rules.token_across(tokens, c.end)
    # Crossing a jieba word boundary: accept only if jieba split a name it did not know.
    return t is not None and len(t.word) >= 2 and t.flag not in ("ns", "nr", "nz", "x", "eng")


def _cuts_word(text: str, tokens: Sequence[rules.Token], c: Candidate) -> bool:
    """A short industry (储能) or common word of the alias table that ends or starts inside a
    jieba word (储能量): as with the industry vocabulary, only whole words count. Longer
    table names are kept as they are: a listed name of three or more characters is rarely
    a piece of another word."""
    surface = text[c.begin : c.end]
    common = len(surface) <= 2 and (c.type is EntityType.INDUSTRY_CHAIN or _common_word(surface))
    return common and (_straddles(tokens, c.begin) or _straddles(tokens, c.end))


def _crosses_word(tokens: Sequence[rules.Token], c: Candidate) -> bool:
    """A jieba word of two or more characters runs across the start or end of ``c``."""
    return any(
        len(t.word) >= 2 and (t.start < c.begin < t.end or t.start < c.end < t.end) for t in tokens
    )


def _chained(tokens: Sequence[rules.Token], c: Candidate, places: Sequence[Candidate]) -> bool:
    """Every jieba word ``c`` crosses is covered by ``c`` and a place right next to it: in
    金坛区直溪镇 jieba reads 区直, but the two places cover it."""
    for t in tokens:
        if (t.start < c.begin < t.end or t.start < c.end < t.end) and not any(
            (p.begin == c.end or p.end == c.begin)
            and min(p.begin, c.begin) <= t.start
            and t.end <= max(p.end, c.end)
            for p in places
        ):
            return False
    return True


# --- boundaries: one check for every candidate a rule made ------------------------------

# Sources whose names are fixed lists, not read off the text: never trimmed, and they win
# over a rule's candidate that runs into them.
_FIXED = frozenset({"alias", "gazetteer", "listed", "abbreviation", "abbreviated", rules.RANKING})


@cache
def _boundary_words() -> dict[str, tuple[str, ...]]:
    """The words of ``boundaries.tsv`` by kind (start, end, inside), longest first."""
    table: dict[str, tuple[str, ...]] = {}
    for line in (DATA / "boundaries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and not line.startswith("kind\t"):
            kind, words = line.split("\t")
            table[kind] = tuple(sorted(filter(None, words.split("|")), key=len, reverse=True))
    return table


@cache
def _inside_words() -> re.Pattern[str]:
    """Any ``inside`` word of ``boundaries.tsv``, in one pattern (no match when there is none)."""
    words = _boundary_words().get("inside", ())
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


@cache
def _bare_heads() -> frozenset[str]:
    """Words that alone name nothing: every type suffix (集团, 基地) and the generic words."""
    heads = {s for items in rules.suffixes().values() for s in items}
    return frozenset(heads | rules.generic_words())


def _token_word(tokens: Sequence[rules.Token], at: int, word: str, ending: bool) -> bool:
    """Is ``word`` a word of its own in the tokens, starting (or ending) at ``at``?"""
    for t in tokens:
        if (t.end if ending else t.start) == at:
            return t.word == word or (
                # a run the tokenizer left in single characters (周/斌/及)
                len(word) == 1 and len(t.word) == 1
            )
    return False


def _policy_of_company(name: str) -> bool:
    """…有限公司计划(再投资): a company followed by the verb 计划/规划, not a programme."""
    ends = rules.suffixes().get(("Company", "strong"), ())
    for key in (("Policy", "plain"), ("Policy", "title"), ("Policy", "quoted")):
        for word in rules.suffixes().get(key, ()):
            if name.endswith(word) and name[: -len(word)].endswith(ends):
                return True
    return False


@cache
def _zone_words() -> tuple[str, ...]:
    """Zone names by their suffix (经开区, 开发区): a start word is never cut off them."""
    return tuple(z for z in rules.suffixes().get(("Platform", "strong"), ()) if z.endswith("区"))


def bounded(text: str, tokens: Sequence[rules.Token], c: Candidate) -> Candidate | None:
    """``c`` with its edges checked, whatever rule made it: a name neither starts nor ends with
    a copula, conjunction, time word, determiner or verb, and holds no piece of a clause
    (``boundaries.tsv``). A leading word is cut off when what is left is still more than a
    bare suffix (继去年上汽集团 → 上汽集团; 整个集团 → nothing); a trailing one cuts a person
    back (周斌及 → 周斌) and drops any other candidate. A person's name does not end inside a
    word (李林回应 → 李林). None when nothing is left.

    >>> from graph.entities.recognizers import tokenize
    >>> t = "继去年上汽集团在此布局"
    >>> c = bounded(t, tokenize(t), Candidate(0, 7, EntityType.COMPANY, "suffix", 0.8))
    >>> t[c.begin : c.end]
    '上汽集团'
    """
    if c.method in _FIXED:
        return c
    words = _boundary_words()
    name = text[c.begin : c.end]
    if _inside_words().search(name):
        return None
    if c.type is EntityType.POLICY and _policy_of_company(name):
        return None
    begin, end = c.begin, c.end
    trimmed = True
    while trimmed and begin < end:
        trimmed = False
        if not text.startswith(words.get("start", ()), begin):
            break  # no start word here (most names): the loop below would find none
        for w in words.get("start", ()):
            if (
                text.startswith(w, begin)
                and _token_word(tokens, begin, w, ending=False)
                and not text.startswith(_zone_words(), begin)  # 经 of 经开区党工委
            ):
                begin += len(w)
                trimmed = True
                break
    title = (
        next((w for w in words.get("title", ()) if text.endswith(w, begin, end)), None)
        if text.endswith(words.get("title", ()), begin, end)
        else None
    )
    if title and c.type is not EntityType.PERSON:
        end -= len(title)
    titled = c.type is EntityType.PERSON and text.startswith(rules.titles_after(), end)
    while begin < end and not titled:  # a title right after a name confirms its end (黄和院士)
        w = (
            next((w for w in words.get("end", ()) if text.endswith(w, begin, end)), None)
            if text.endswith(words.get("end", ()), begin, end)
            else None
        )
        if w is None or not _token_word(tokens, end, w, ending=True):
            break
        if c.type is not EntityType.PERSON:
            return None
        end -= len(w)
    if c.type is EntityType.PERSON:
        for t in tokens:
            if begin < t.start < end < t.end and len(t.word) >= 2 and t.flag not in ("nr", "x"):
                end = t.start  # 李林回应: the name stops where the verb starts
        single, double = rules.surnames()
        if end - begin < 2 or (text[begin] not in single and text[begin : begin + 2] not in double):
            return None
    if (begin, end) == (c.begin, c.end):
        return c
    rest = text[begin:end]
    if len(rest) < 2 or rest in _bare_heads() or rest in words.get("start", ()):
        return None
    return replace(c, begin=begin, end=end)


def _crosses_fixed(c: Candidate, fixed: Sequence[Candidate]) -> bool:
    """Does a rule's candidate cut into a name of a fixed list (its edge inside that name)?"""
    return any(
        f.begin < c.begin < f.end < c.end or c.begin < f.begin < c.end < f.end for f in fixed
    )


def checked(text: str, tokens: Sequence[rules.Token], found: list[Candidate]) -> list[Candidate]:
    """Every candidate through :func:`bounded`; a rule's candidate that runs into a name of
    the alias table or the gazetteers (a stronger source) is dropped."""
    fixed = [c for c in found if c.method in ("alias", "listed") and c.tier > 0]
    out = []
    for c in found:
        b = bounded(text, tokens, c)
        if b is not None and (b.method in _FIXED or not _crosses_fixed(b, fixed)):
            out.append(b)
    return out
