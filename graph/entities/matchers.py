"""The matching view of a sentence and the automata run over it: the alias table, the
gazetteer of places, the listed companies and universities; when a listed short name
needs company context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graph.entities import recognizers as rules
from graph.entities.aliases import AliasTable, TableEntry
from graph.entities.gazetteer import load_gazetteer, load_listings, load_universities, no_gc
from graph.entities.recognizers.lexicon import DATA
from graph.entities.recognizers.tokens import _common_word, _word_tags
from graph.text.normalize import normalize_name

# Characters left out of the matching view of a sentence (as normalize_name does).
_SKIP = frozenset(" “”‘’\"'《》")
_PAIRS = {"“": "”", "‘": "’", "《": "》"}


# --- matching view -----------------------------------------------------------------


_SKIPPED = re.compile("[" + re.escape("".join(sorted(_SKIP))) + "]")


def _view(text: str) -> tuple[str, list[int]]:
    """The sentence without spaces and quotes, and for each kept char its index."""
    if _SKIPPED.search(text) is None:  # most sentences: nothing to leave out
        return text, list(range(len(text)))
    keep = [i for i, ch in enumerate(text) if ch not in _SKIP]
    return "".join(text[i] for i in keep), keep


def _widen(text: str, begin: int, end: int) -> tuple[int, int]:
    """Take in a quote or bracket that the match left unbalanced (“532”发展战略)."""
    inner = text[begin:end]
    for opener, closer in _PAIRS.items():
        if inner.count(closer) > inner.count(opener) and begin > 0 and text[begin - 1] == opener:
            begin -= 1
        if inner.count(opener) > inner.count(closer) and end < len(text) and text[end] == closer:
            end += 1
    return begin, end  # a name wholly in quotes (“龙城芯谷”) keeps its quotes outside the mention


def _ascii_bounded(view: str, b: int, e: int) -> bool:
    """An ASCII name (UL, IDG) must not be part of a longer ASCII word."""
    if view[b].isascii() and b > 0 and view[b - 1].isascii() and view[b - 1].isalnum():
        return False
    return not (view[e - 1].isascii() and e < len(view) and view[e].isascii() and view[e].isalnum())


# --- the alias table and the places -------------------------------------------------


@dataclass
class _Matchers:
    table: AliasTable
    names: object  # ahocorasick.Automaton: normalized name -> (length, entity ids)
    places: object  # ahocorasick.Automaton

    def table_spans(self, view: str) -> list[tuple[int, int, TableEntry]]:
        """Every occurrence of a table name in ``view``, ordered by start and end."""
        if not len(self.table):
            return []
        found = []
        for end, (size, ids) in self.names.iter(view):
            b, e = end - size + 1, end + 1
            if _ascii_bounded(view, b, e):
                found.extend((b, e, entry) for i in ids if (entry := self.table.get(i)))
        found.sort(key=lambda f: (f[0], f[1]))
        return found

    def place_spans(self, view: str) -> list[tuple[int, int, str]]:
        return [(end - len(name) + 1, end + 1, name) for end, name in self.places.iter(view)]


def _build(table: AliasTable) -> _Matchers:
    import ahocorasick

    owners: dict[str, list[str]] = {}
    for entry in table.entries:
        for name in dict.fromkeys(normalize_name(n) for n in entry.names):
            if name and entry.id not in owners.setdefault(name, []):
                owners[name].append(entry.id)
    names = ahocorasick.Automaton()
    for name, ids in owners.items():
        names.add_word(name, (len(name), tuple(ids)))
    if owners:
        names.make_automaton()
    return _Matchers(table, names, _place_automaton())


@cache
def _place_automaton() -> object:
    """Every place name of the gazetteer, built once per process whatever the alias table."""
    import ahocorasick

    names = load_gazetteer().names
    with no_gc():
        automaton = ahocorasick.Automaton()
        for name in names:
            if len(name) >= 2:
                automaton.add_word(name, name)
        automaton.make_automaton()
    return automaton


_MATCHERS: dict[int, tuple[AliasTable, _Matchers]] = {}


def _matchers(table: AliasTable) -> _Matchers:
    cached = _MATCHERS.get(id(table))
    if cached is None or cached[0] is not table:
        _MATCHERS.clear()
        cached = (table, _build(table))
        _MATCHERS[id(table)] = cached
    return cached[1]


@cache
def _short_place_names() -> frozenset[str]:
    return frozenset(load_gazetteer().short_names)


def _town_names() -> set[str]:
    """Names under which only township-level units are known."""
    return load_gazetteer().town_names


# --- listed companies and universities ----------------------------------------------

# Kinds of names in the listed-names automaton.
_FULL, _SHORT, _UNIVERSITY = "full", "short", "university"


@cache
def _listed_automaton() -> object:
    """One Aho-Corasick automaton over every listed company and university name (built once)."""
    import ahocorasick

    listed, universities = load_listings(), load_universities()
    with no_gc():
        return _listed_words(ahocorasick.Automaton(), listed, universities)


def _listed_words(automaton, listed, universities) -> object:
    for name, listings in listed.items():
        kind = _FULL if any(x.full == name for x in listings) else _SHORT
        if len(name) >= (3 if kind == _FULL else 2):
            automaton.add_word(name, (kind, name))
    for name in universities:
        if len(name) >= 4:
            automaton.add_word(name, (_UNIVERSITY, name))
    automaton.make_automaton()
    return automaton


@cache
def _context_words() -> dict[str, tuple[str, ...]]:
    rows = (DATA / "company_context.tsv").read_text(encoding="utf-8").splitlines()
    table: dict[str, tuple[str, ...]] = {}
    for line in rows:
        if line.strip() and not line.startswith("#") and not line.startswith("side\t"):
            side, words = line.split("\t")
            table[side] = tuple(sorted(words.split("|"), key=len, reverse=True))
    return table


@cache
def _company_after() -> re.Pattern[str]:
    words = _context_words()
    adverbs = "|".join(map(re.escape, words["adverb"]))
    verbs = "|".join(map(re.escape, words["verb"]))
    after = "|".join(map(re.escape, words["after"]))
    # 阳光已在合肥投资: adverbs, then a place or time the firm acts in, then the verb
    where = r"(?:在[^，。；！？、,;]{1,10}?)?"
    return re.compile(rf"(?:{after})|(?:{adverbs}){{0,3}}{where}(?:{adverbs}){{0,2}}(?:{verbs})")


# jieba flags of dictionary words that are names of firms, brands or people (比亚迪 nr,
# 京东方 nz, 中信证券 nt); any other dictionary word is an ordinary word (机器人 n, 老百姓 n)
# or a place (太平洋 ns, 天目湖 ns).
_BRAND_FLAGS = frozenset({"nz", "nr", "nrt", "nrfg", "nt", "j", "eng"})


@cache
def needs_context(short: str) -> bool:
    """A listed short name that alone may be an ordinary word: too short (万科), a dictionary
    word that is not a name (老百姓, 机器人, 太平洋), a place name, or common words plus single
    characters, not ending like a company name (新产业, 线上线下; but 南方精工 ends in 精工,
    and 宁德时代 starts with a place).

    >>> needs_context("宁德时代"), needs_context("联合"), needs_context("老百姓")
    (False, True, True)
    >>> needs_context("新产业"), needs_context("欣旺达"), needs_context("东方电气")
    (True, False, False)
    """
    import jieba

    jieba.setLogLevel(60)  # its dictionary loads quietly, whichever stage uses it first
    flag = _word_tags().get(short)
    if len(short) < 3 or (flag is not None and flag not in _BRAND_FLAGS):
        return True
    if short in load_gazetteer().names:
        return True
    words = [p for p in jieba.lcut(short, HMM=False) if len(p) >= 2]
    if len(words) == 1 and words[0] == short:
        return False
    if not words or not all(_common_word(p) for p in words):
        return False
    endings = rules.suffixes().get(("Company", "strong"), ()) + rules.suffixes().get(
        ("Company", "weak"), ()
    )
    return not short.endswith(endings)
