"""The article's home place: the place it calls 我区 / 我市 / 我省 and is about.

Computed once per article, before resolution, and used by every stage that needs it:
resolution names a bare 市政府 after it (常州市人民政府), relation extraction reads
我区 / 全市 as it and places the firms an article names as its own there.

A byline naming the authoring body decides (中共常州市金坛区委 → district 金坛区, city
常州市); otherwise, per level, the unit the article's place mentions are dominated by: named
at least :data:`MIN_MENTIONS` times and :data:`DOMINANCE` times as often as any other unit of
that level. ``topic`` is the one place the article is about (for sentences without a
subject); ``author`` says the byline makes the article that place's own account.

>>> from graph.text.normalize import split_sentences
>>> s = split_sentences("a", "中共常州市金坛区委\\n\\n全区发展好。")
>>> h = article_homes(s, [])["a"]
>>> h.district, h.city, h.topic, h.author
('320413', '320400', '320413', True)
>>> article_homes([], [("b", "320400")] * 3 + [("b", "320481")])["b"].city
'320400'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from graph.entities.gazetteer import Division, load_gazetteer
from graph.records import Home, Sentence
from graph.text.normalize import normalize_name

# How far a place must dominate an article to be the place 我市/我区/市政府 refers to.
MIN_MENTIONS = 2
DOMINANCE = 2.0
# A byline: one of the first lines, short, without sentence punctuation, naming a body.
BYLINE_WINDOW = 8
BYLINE_MAX_LEN = 30
BYLINE_BODY = re.compile(r"(区委|市委|县委|省委|区政府|市政府|县政府|人民政府|管委会)$")
# Province-level municipalities are their own city (我市 in a 上海 article is 上海).
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
LEVELS = ("district", "city", "province")


def levels(code: str) -> set[str]:
    """``province``, ``city`` and/or ``district`` of a 6-digit code; a county-level city
    (溧阳市 320481) is both a district and a city, a municipality both a province and a city."""
    code = code[:6]
    if len(code) < 6 or not code.isdigit():
        return set()
    if code[2:] == "0000":
        return {"province", "city"} if code[:2] in _MUNICIPALITIES else {"province"}
    if code[4:] == "00":
        return {"city"}
    return {"district", "city"} if code[4:6] >= "81" else {"district"}


def _byline_codes(text: str) -> list[str]:
    """Codes of the divisions a byline names, largest first (中共常州市金坛区委 → 常州, 金坛)."""
    gaz = load_gazetteer()
    found: list[Division] = []
    i = 0
    while i < len(text):
        for j in range(min(len(text), i + 12), i + 1, -1):
            units = [d for d in gaz.find(text[i:j]) if d.code]
            if units:
                found.append(units[0] if len(units) == 1 else _nearest(units, found))
                i = j - 1
                break
        i += 1
    return [d.code for d in found]


def _nearest(units: Sequence[Division], before: Sequence[Division]) -> Division:
    """Of several units under one name, the one inside a unit named before it."""
    gaz = load_gazetteer()
    for unit in units:
        if any(d.code in gaz.ancestors(unit.code) for d in before):
            return unit
    return units[0]


def article_homes(
    sentences: Iterable[Sentence], places: Iterable[tuple[str, str]]
) -> dict[str, Home]:
    """The home of every article, from its sentences (bylines) and its place mentions.

    Args:
        sentences: the articles' sentences in order (only the first lines are read).
        places: ``(article_id, adcode)`` for every place mention with a code.
    """
    homes: dict[str, dict[str, str]] = defaultdict(dict)
    authors: set[str] = set()
    firsts: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        if sentence.index < BYLINE_WINDOW:
            firsts[sentence.article_id].append(sentence)
    for article, lines in firsts.items():
        for sentence in sorted(lines, key=lambda s: s.index):
            text = sentence.text.strip()
            if len(text) > BYLINE_MAX_LEN or re.search("[，。；]", text):
                continue
            if not BYLINE_BODY.search(text):
                continue
            codes = _byline_codes(normalize_name(text))
            for code in codes:
                for level in levels(code):
                    homes[article][level] = code
            if codes:
                homes[article]["topic"] = codes[-1]
                authors.add(article)
                break
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article, code in places:
        if levels(code) and not code[6:].strip("0"):  # a town counts for nothing here
            counts[article][code[:6]] += 1
    for article, counter in counts.items():
        home = homes[article]
        ranked = counter.most_common()
        for level in LEVELS:
            if level not in home:
                candidates = [(c, n) for c, n in ranked if level in levels(c)]
                if _dominant(candidates):
                    home[level] = candidates[0][0]
        if "topic" not in home:
            candidates = [(c, n) for c, n in ranked if levels(c) & {"district", "city"}]
            if _dominant(candidates):
                home["topic"] = candidates[0][0]
    return {
        article: Home(article, **home, author=article in authors)
        for article, home in homes.items()
        if home
    }


def _dominant(ranked: Sequence[tuple[str, int]]) -> bool:
    if not ranked or ranked[0][1] < MIN_MENTIONS:
        return False
    return len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]
