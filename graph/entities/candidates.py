"""The candidates of a sentence: the alias table, the places and every recognizer of
:mod:`graph.entities.recognizers`, each with its rule id, in one fixed order."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache

from graph.entities import recognizers as rules
from graph.entities.boundaries import (
    _boundary_words,
    _chained,
    _crosses_word,
    _cuts_word,
    _inside_word,
    checked,
)
from graph.entities.gazetteer import load_gazetteer
from graph.entities.matchers import (
    _FULL,
    _UNIVERSITY,
    _ascii_bounded,
    _company_after,
    _context_words,
    _listed_automaton,
    _Matchers,
    _short_place_names,
    _town_names,
    _view,
    _widen,
    needs_context,
)
from graph.entities.recognizers import Candidate, Context
from graph.entities.recognizers.lexicon import DATA
from graph.entities.recognizers.tokens import _word_tags
from graph.records import EntityType, Sentence
from graph.rules_registry import RECOGNIZERS, entity_rule

_LIST_SEPARATORS = "、和与及，,"


_ITEM_STOPS = '、和与及，,。；;！？!?：:（）()“”"\n 等'


def _enumeration_end(text: str, b: int, e: int, items: int = 6, size: int = 12) -> int | None:
    """Where the 等 that closes an enumeration holding ``text[b:e]`` stands (明阳智能、
    中车株洲所等, 甲、明阳智能等: the index of 等), or None when it is in no 等-list."""
    listed = b > 0 and text[b - 1] in "、和与及"
    pos = e
    for _ in range(items):
        if pos < len(text) and text[pos] == "等":
            return pos if pos > e or listed else None
        if pos >= len(text) or text[pos] not in "、和与及":
            return None
        j = pos + 1
        while j < len(text) and j - pos <= size and text[j] not in _ITEM_STOPS:
            j += 1
        if j - pos < 3 or j >= len(text) or text[j] not in "、和与及等":
            return None
        pos = j
    return None


def _coined(name: str) -> bool:
    """A listed short name that is a coined trade name, cut into characters, before a word of
    its trade (明阳智能: 明 阳 智能), not
    a word of the dictionary or a place (长城, 中国) nor a common phrase (新产业, 线上线下)."""
    import jieba

    if len(name) < 4 or _word_tags().get(name) is not None or name in load_gazetteer().names:
        return False
    pieces = jieba.lcut(name, HMM=False)
    return len(pieces[-1]) >= 2 and sum(len(p) == 1 for p in pieces[:-1]) >= 2


def _in_company_context(
    text: str, b: int, e: int, companies: list[tuple[int, int]], name: str = ""
) -> bool:
    """Company context around ``text[b:e]``: a company word after or before it, a firm's
    action after it (阳光宣布投资, 阳光在合肥扩产), or another company next to it in an
    enumeration (比亚迪、阳光、宁德时代). A coined name (:func:`_coined`) also has it in a
    等-list that a firm's word or action follows (明阳智能、中车株洲所等已在…投产, 明阳智能、X等企业)."""
    if _company_after().match(text, e):
        return True
    if name and _coined(name):
        end = _enumeration_end(text, b, e)
        if end is not None and (
            _company_after().match(text, end) or _company_after().match(text, end + 1)
        ):
            return True
    if text[:b].endswith(_context_words()["before"]):
        return True
    for cb, ce in companies:
        if ce == b - 1 and text[b - 1] in _LIST_SEPARATORS:
            return True
        if cb == e + 1 and text[e] in _LIST_SEPARATORS:
            return True
    return False


def _listed_candidates(ctx: Context) -> list[Candidate]:
    """Listed companies (full names; short names alone or in company context) and
    universities, below every other source of the same length (lower confidence)."""
    text, tokens, found = ctx.text, ctx.tokens, ctx.found
    view, keep = ctx.matching or _view(text)
    spans = []
    for end, (kind, name) in _listed_automaton().iter(view):
        b, e = end - len(name) + 1, end + 1
        if not _ascii_bounded(view, b, e):
            continue
        begin, stop = _widen(text, keep[b], keep[e - 1] + 1)
        spans.append((begin, stop, kind, name))
    if not spans:
        return []
    companies = [(c.begin, c.end) for c in found if c.type is EntityType.COMPANY and c.tier > 0] + [
        (b, e) for b, e, kind, name in spans if kind == _FULL or not needs_context(name)
    ]
    out = []
    for begin, stop, kind, name in spans:
        if kind == _UNIVERSITY:
            out.append(Candidate(begin, stop, EntityType.ORGANIZATION, "listed", 0.9))
        elif kind == _FULL:
            out.append(Candidate(begin, stop, EntityType.COMPANY, "listed", 0.9))
        else:
            c = Candidate(begin, stop, EntityType.COMPANY, "listed", 0.7)
            if _crosses_word(tokens, c):
                continue  # 万科 in 万科学园, 国新能源 in 中国新能源: part of other words
            if not needs_context(name):
                out.append(c)
            elif _in_company_context(
                text, begin, stop, [s for s in companies if s[0] != begin], name
            ):
                out.append(Candidate(begin, stop, EntityType.COMPANY, "listed", 0.6))
    return out


@cache
def _water_words() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for line in (DATA / "water_ends.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and not line.startswith("kind\t"):
            kind, words = line.split("\t")
            table[kind] = tuple(w for w in words.split("|") if w)
    return table


@cache
def _frequent_chars() -> frozenset[str]:
    """The characters too frequent to make a one-character water name (大湖, 小河)."""
    lines = (DATA / "common_chars.txt").read_text(encoding="utf-8").splitlines()
    chars = [x.strip() for x in lines if x.strip() and not x.startswith("#")]
    return frozenset(chars[: int(_water_words()["common"][0])])


_NAME_FLAGS = frozenset({"ns", "nr", "nz"})


@cache
def _natural_names() -> frozenset[str]:
    """The names of ``natural_places.txt`` (lakes, rivers, basins, regions)."""
    rows = (DATA / "natural_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in rows if x.strip() and not x.startswith("#"))


@cache
def _natural_automaton() -> object:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for name in _natural_names():
        automaton.add_word(name, name)
    automaton.make_automaton()
    return automaton


def _heads_a_name(text: str, end: int) -> bool:
    """A lake's or river's name right before a word of a longer name (长荡湖产业发展峰会)."""
    return text.startswith(_water_words()["head"], end)


def _waters(ctx: Context) -> list[Candidate]:
    """Lakes, rivers and basins by their ending (``water_ends.tsv``): a place word the
    tokenizer knows (秦淮河, 白马湖), or one or two characters it does not know before the
    ending (滆湖, 胥河, 新孟河); 流域 after the name belongs to it (太湖流域)."""
    text, tokens = ctx.text, ctx.tokens
    words = _water_words()
    ends, not_water = words["end"], frozenset(words["not"])
    out = []
    for k, t in enumerate(tokens):
        if not t.word.endswith(ends) or t.word in not_water:
            continue
        begin = None
        if len(t.word) >= 2 and t.flag in _NAME_FLAGS and re.fullmatch(r"[\u4e00-\u9fff]+", t.word):
            begin = t.start
        elif len(t.word) == 1:
            stem = []
            for prev in reversed(tokens[max(0, k - 2) : k]):
                if len(prev.word) != 1 or prev.flag != "x" or not "\u4e00" <= prev.word <= "\u9fff":
                    break
                if prev.word in _boundary_words().get("start", ()):
                    break
                if _word_tags().get(prev.word) in words["flags"]:
                    break  # 南抱滆湖: a verb is no part of the name
                stem.insert(0, prev)
            # one rare character (滆), or two not both frequent (新孟); never 大湖, 小河
            if stem and not all(p.word in _frequent_chars() for p in stem):
                begin = stem[0].start
        if begin is None or text[begin : t.end] in not_water:
            continue
        end = t.end
        basin = next((b for b in words.get("basin", ()) if text.startswith(b, end)), "")
        if basin or not _heads_a_name(text, end):
            out.append(Candidate(begin, end + len(basin), EntityType.PLACE, "water", 0.6))
    return out


_BASE = re.compile(
    r"(?:生产基地|制造基地|产业基地|研发生产基地|超级工厂|基地|工厂)(?:[一二三四五六七八九十\d]{1,3}期)?(?:项目)?"
)


def _local_bases(ctx: Context) -> list[Candidate]:
    """A company's base or plant named by the company and a place (宁德时代溧阳基地, 理想汽车
    常州基地): a project, which the relation rules then have built by the company and located
    in the place."""
    text, found = ctx.text, ctx.found
    places = {c.begin: c for c in found if c.type is EntityType.PLACE and c.tier > 0}
    out = []
    for c in found:
        if c.type is not EntityType.COMPANY or c.tier == 0:
            continue
        place = places.get(c.end)
        if place is None or place.method not in ("gazetteer", "alias"):
            continue
        if m := _BASE.match(text, place.end):
            out.append(Candidate(c.begin, m.end(), EntityType.PROJECT, "local-base", 0.8))
    return out


def _ruled(recognizer: str, text: str, candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """The candidates of one recognizer of :mod:`graph.entities.recognizers`, each with its
    rule id."""
    template = RECOGNIZERS[recognizer]
    for c in candidates:  # a new Candidate, as dataclasses.replace makes it but cheaper
        yield Candidate(
            c.begin,
            c.end,
            c.type,
            c.method,
            c.confidence,
            c.entity_id,
            c.tier,
            entity_rule(template, c.method, c.type, text[c.begin : c.end]),
        )


# Every recognizer of a sentence, in the order it runs, each called with the sentence's
# Context: a recognizer reads the candidates of those before it (a phase needs its company
# first). A name of ``rules_registry.RECOGNIZERS`` is a rule whose candidates get their id
# here; the others are made from tables and named by their method
# (``rules_registry.METHOD_RULES``).
RECOGNIZER_ORDER: tuple[tuple[str, Callable[[Context], Iterable[Candidate]]], ...] = (
    ("suffix_names", rules.suffix_names),
    ("quoted_names", rules.quoted_names),
    ("plain_policies", rules.plain_policies),
    ("persons", rules.persons),
    ("speakers", rules.speakers),
    ("streets", rules.streets),
    ("water", _waters),
    ("body_names", rules.body_names),
    ("industry_names", rules.industry_names),
    ("industries_named", rules.industries_named),
    ("enumerations", rules.enumerations),
    ("subsidiaries", rules.subsidiaries),
    ("context_companies", rules.context_companies),
    ("branches", rules.branches),
    ("faculties", rules.faculties),
    ("forces", rules.forces),
    ("teams", rules.teams),
    ("home_bodies", rules.home_bodies),
    ("subunits", rules.subunits),
    ("listed", _listed_candidates),
    ("neighbour_companies", rules.neighbour_companies),
    # after the listed names: a listed company's phase or plant is a project (星源材质四期)
    ("phases", rules.phases),
    ("projects", rules.projects),
    ("named_projects", rules.named_projects),
    ("local-base", _local_bases),
    ("weak_candidates", rules.weak_candidates),
)


def _candidates(
    text: str, matchers: _Matchers, continues: EntityType | None = None
) -> tuple[list[Candidate], EntityType | None]:
    """The candidates of one sentence, and the type of an enumeration that opens it.

    ``continues`` is the type of the enumeration the next piece of the same sentence
    opens with, when the sentence was cut inside a list of names.
    """
    matching = view, keep = _view(text)
    found: list[Candidate] = []
    if view:
        for b, e, entry in matchers.table_spans(view):
            begin, end = _widen(text, keep[b], keep[e - 1] + 1)
            found.append(Candidate(begin, end, entry.type, "alias", 1.0, entry.id))
        for b, e, name in matchers.place_spans(view):
            begin, end = _widen(text, keep[b], keep[e - 1] + 1)
            if name in _short_place_names():
                confidence = 0.8
            elif name in _town_names():
                confidence = 0.9  # a township: kept only with its county or city (_place_fits)
            else:
                confidence = 0.95
            found.append(Candidate(begin, end, EntityType.PLACE, "gazetteer", confidence))
        for end, name in _natural_automaton().iter(view):
            b, e = end - len(name) + 1, end + 1
            begin, end = _widen(text, keep[b], keep[e - 1] + 1)
            found.append(Candidate(begin, end, EntityType.PLACE, "gazetteer", 0.9))
    tokens = rules.tokenize(text)
    # A gazetteer name inside a longer word (海南 in 海南岛) is not a mention, nor an industry
    # or common word of the alias table (储能 in 储能量).
    places = [c for c in found if c.method == "gazetteer"]
    found = [
        c
        for c in found
        if (c.method == "alias" and not _cuts_word(text, tokens, c))
        or c.method not in ("gazetteer", "alias")
        or (
            (not _inside_word(tokens, c) or _chained(tokens, c, places))
            and not (text[c.begin : c.end] in _natural_names() and _heads_a_name(text, c.end))
        )
    ]
    ctx = Context(text, tokens, found, continues, matching)
    for name, recognizer in RECOGNIZER_ORDER:
        made = recognizer(ctx)
        found.extend(_ruled(name, text, made) if name in RECOGNIZERS else made)
    lead = next((g.type for g in ctx.groups if g.from_start), None)
    return checked(text, tokens, found), lead


def _cut_inside_list(sentence: Sentence, following: Sentence | None) -> bool:
    """Was ``sentence`` cut, for its length, right after an enumeration comma?"""
    return (
        following is not None
        and following.article_id == sentence.article_id
        and sentence.text.endswith("、")
        and following.start == sentence.end
    )


def _all_candidates(
    sentences: Sequence[Sentence], matchers: _Matchers
) -> list[tuple[Sentence, list[Candidate]]]:
    """Candidates per sentence; read last to first, so that a list of names cut into
    several pieces gives its type (from the head noun after it) to all of its pieces."""
    found: list[tuple[Sentence, list[Candidate]]] = []
    lead: EntityType | None = None
    for i in range(len(sentences) - 1, -1, -1):
        sentence = sentences[i]
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        continues = lead if _cut_inside_list(sentence, following) else None
        candidates, lead = _candidates(sentence.text, matchers, continues)
        found.append((sentence, candidates))
    found.reverse()
    return found
