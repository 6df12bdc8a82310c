"""Entity recognition: the curated alias table plus recognizers that generalize.

Every sentence is matched, in its normalized form, against

1. the alias table, every normalized name in one Aho-Corasick automaton whose values are
   the canonical entity ids (every occurrence, overlapping ones too);
2. the gazetteer of administrative divisions, countries and regions (Aho-Corasick);
3. the rules of :mod:`graph.rules` for names no table lists;
4. the listed companies and universities of ``graph/data/gazetteer/`` (Aho-Corasick):
   full names always, a short name (宁德时代) alone only when it is no ordinary word,
   otherwise only in company context (阳光公司, 龙头企业阳光, 阳光宣布投资…, next to another
   company in an enumeration); see :func:`_listed_candidates`.

Overlapping candidates are settled longest first; at equal length the listed names come
after the alias table, the places and the rules; weak candidates (jieba tags) only fill gaps. Each :class:`~graph.records.Mention` carries its original
offsets (``Sentence.span``); :func:`resolve` maps mentions to entities.

>>> from graph.text.normalize import split_sentences
>>> table = load_table(None)
>>> [m.text for m in recognize(split_sentences("a", "常州大学位于江苏。"), table)]
['常州大学', '江苏']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from graph.entities import recognizers as rules
from graph.entities.aliases import AliasTable, TableEntry
from graph.entities.aliases import load_table as _read_table
from graph.entities.gazetteer import load_gazetteer, load_listings, load_universities, no_gc
from graph.entities.recognizers import Candidate
from graph.entities.recognizers.lexicon import _CJK
from graph.entities.recognizers.stems import _straddles
from graph.entities.recognizers.tokens import _common_word, _word_tags
from graph.entities.resolve import resolve as _resolve
from graph.records import Entity, EntityType, Mention, Sentence
from graph.rules_registry import RECOGNIZERS, entity_rule
from graph.text.normalize import normalize_name

DEFAULT_TABLE = Path("seeds") / "aliases.tsv"
DATA = resources.files("graph") / "data"

# Characters left out of the matching view of a sentence (as normalize_name does).
_SKIP = frozenset(" “”‘’\"'《》")
_PAIRS = {"“": "”", "‘": "’", "《": "》"}


def load_table(path: Path | None = None) -> AliasTable:
    """Load the alias table at ``path``, or the default ``seeds/aliases.tsv``.

    The default is looked up in the current directory, then beside the package;
    when neither exists the table is empty (recognition still works, without ids
    from the table).

    Raises:
        AliasTableError: when the table has a broken row.
    """
    if path is not None:
        return _read_table(path)
    for candidate in (DEFAULT_TABLE, Path(__file__).resolve().parents[2] / DEFAULT_TABLE):
        if candidate.is_file():
            return _read_table(candidate)
    return AliasTable()


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


# --- the recognizer ----------------------------------------------------------------


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


_LIST_SEPARATORS = "、和与及，,"


def _in_company_context(text: str, b: int, e: int, companies: list[tuple[int, int]]) -> bool:
    """Company context around ``text[b:e]``: a company word after or before it, a firm's
    action after it (阳光宣布投资, 阳光在合肥扩产), or another company next to it in an
    enumeration (比亚迪、阳光、宁德时代)."""
    if _company_after().match(text, e):
        return True
    if text[:b].endswith(_context_words()["before"]):
        return True
    for cb, ce in companies:
        if ce == b - 1 and text[b - 1] in _LIST_SEPARATORS:
            return True
        if cb == e + 1 and text[e] in _LIST_SEPARATORS:
            return True
    return False


def _listed_candidates(
    text: str,
    tokens: Sequence[rules.Token],
    found: Sequence[Candidate],
    matching: tuple[str, list[int]] | None = None,
) -> list[Candidate]:
    """Listed companies (full names; short names alone or in company context) and
    universities, below every other source of the same length (lower confidence).
    ``matching`` is ``_view(text)`` when the caller has it already."""
    view, keep = matching or _view(text)
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
            elif _in_company_context(text, begin, stop, [s for s in companies if s[0] != begin]):
                out.append(Candidate(begin, stop, EntityType.COMPANY, "listed", 0.6))
    return out


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
    found.extend(_ruled("suffix_names", text, rules.suffix_names(text, tokens)))
    found.extend(_ruled("quoted_names", text, rules.quoted_names(text, tokens)))
    found.extend(_ruled("plain_policies", text, rules.plain_policies(text, tokens)))
    found.extend(_ruled("persons", text, rules.persons(text, tokens)))
    found.extend(_ruled("speakers", text, rules.speakers(text, tokens)))
    found.extend(_ruled("streets", text, rules.streets(text, tokens)))
    found.extend(_waters(text, tokens))
    found.extend(_ruled("body_names", text, rules.body_names(text, tokens)))
    found.extend(_ruled("industry_names", text, rules.industry_names(text, tokens)))
    groups = rules.enumeration_groups(text, tokens, found, continues)
    found.extend(_ruled("enumerations", text, rules.enumerations(text, tokens, found, groups)))
    found.extend(_ruled("subsidiaries", text, rules.subsidiaries(text, tokens)))
    found.extend(_ruled("context_companies", text, rules.context_companies(text, tokens)))
    found.extend(_ruled("branches", text, rules.branches(text, found)))
    found.extend(_ruled("faculties", text, rules.faculties(text, found)))
    found.extend(_ruled("forces", text, rules.forces(text, tokens)))
    found.extend(_ruled("teams", text, rules.teams(text, tokens)))
    found.extend(_ruled("home_bodies", text, rules.home_bodies(text, tokens)))
    found.extend(_ruled("subunits", text, rules.subunits(text, tokens, found)))
    found.extend(_listed_candidates(text, tokens, found, matching))
    found.extend(
        _ruled("neighbour_companies", text, rules.neighbour_companies(text, tokens, found))
    )
    # after the listed names: a listed company's phase or plant is a project (星源材质四期)
    found.extend(_ruled("phases", text, rules.phases(text, found)))
    found.extend(_ruled("projects", text, rules.projects(text, found)))
    found.extend(_local_bases(text, found))
    found.extend(_ruled("weak_candidates", text, rules.weak_candidates(tokens)))
    lead = next((g.type for g in groups if g.from_start), None)
    return checked(text, tokens, found), lead


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


def _waters(text: str, tokens: Sequence[rules.Token]) -> list[Candidate]:
    """Lakes, rivers and basins by their ending (``water_ends.tsv``): a place word the
    tokenizer knows (秦淮河, 白马湖), or one or two characters it does not know before the
    ending (滆湖, 胥河, 新孟河); 流域 after the name belongs to it (太湖流域)."""
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


def _local_bases(text: str, found: Sequence[Candidate]) -> list[Candidate]:
    """A company's base or plant named by the company and a place (宁德时代溧阳基地, 理想汽车
    常州基地): a project, which the relation rules then have built by the company and located
    in the place."""
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
    """The candidates of one recognizer of :mod:`graph.rules`, each with its rule id."""
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
    common = len(surface) <= 2 and (
        c.type is EntityType.INDUSTRY_CHAIN or _common_word(surface)
    )
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


def _select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: strong before weak, longer before shorter."""
    order = sorted(
        candidates,
        key=lambda c: (-c.tier, -(c.end - c.begin), -c.confidence, c.begin),
    )
    taken: list[Candidate] = []
    used = set()
    for c in order:
        span = range(c.begin, c.end)
        if any(i in used for i in span):
            continue
        taken.append(c)
        used.update(span)
    return sorted(taken, key=lambda c: c.begin)


def _place_context(found: list[tuple[Sentence, list[Candidate]]]) -> dict[str, set[str]]:
    """Per article, the codes of places named in full or at province/prefecture level."""
    gaz = load_gazetteer()
    context: dict[str, set[str]] = {}
    for sentence, candidates in found:
        codes = context.setdefault(sentence.article_id, set())
        for c in candidates:
            if c.type is EntityType.PLACE and c.method in ("gazetteer", "alias"):
                units = [
                    d for d in gaz.find(normalize_name(sentence.text[c.begin : c.end])) if d.code
                ]
                if len(units) == 1 and (units[0].level < 3 or c.confidence > 0.9):
                    codes.add(units[0].code)
    return context


def _place_fits(text: str, c: Candidate, context: set[str]) -> bool:
    """A county's short name (金坛, 凌云), or a county name that is short (西区) or that several
    units share (新城区), counts only when its province or city is named in the same article;
    a township's name only when its county or city is."""
    if c.method != "gazetteer":
        return True
    gaz = load_gazetteer()
    name = text[c.begin : c.end]
    units = [d for d in gaz.find(name) if d.code]
    if not units or any(d.level < 3 for d in units):
        return True
    if all(d.level == 4 for d in units):
        # A township (直溪镇) only with its county or city: names repeat across the country.
        return any(set(gaz.ancestors(d.code)[:2]) & context for d in units)
    if c.confidence > 0.9 and len(units) == 1 and len(name) > 2:
        return True
    return any(set(gaz.ancestors(d.code)) & context for d in units)


def _is_byline(text: str, c: Candidate, index: int) -> bool:
    """A person in a byline (记者 张三, or a line holding nothing but names), or the
    signature under an article's title (中共长沙市委书记 张三: a title, then the name
    ending a short line with no sentence punctuation)."""
    if c.method != "alias" and _BYLINE.search(text[: c.begin]):
        return True
    if _is_signature(text, c, index):
        return True
    return len(re.sub(r"[\s（）()]", "", text)) <= 4 and c.end - c.begin >= len(text.strip()) - 1


# A short form defined right after a name: （以下简称“合肥高新区”）, (简称XX), （下称“XX”）.
_ABBREVIATION = re.compile(
    r"\s*[（(]\s*(?:以下|下文)?(?:简称|下称|又称|称)\s*[:：]?\s*[“\"‘']?"
    rf"([{_CJK}A-Za-z0-9]{{2,12}})[”\"’']?\s*[）)]"
)


def _abbreviations(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """Mark a short form the text defines for the name before it (method ``abbreviation``),
    with that name's type, replacing whatever else was found inside the brackets."""
    out: list[Candidate] = []
    skip_until = -1
    for c in chosen:
        if c.begin < skip_until:
            continue
        out.append(c)
        m = _ABBREVIATION.match(text, c.end)
        if m is None or c.type is EntityType.PERSON or c.method == rules.RANKING:
            continue
        out.append(Candidate(m.start(1), m.end(1), c.type, "abbreviation", min(c.confidence, 0.9)))
        skip_until = m.end()
    return out


_SIGNATURE_WINDOW = 8  # sentences at the top of an article where a signature may stand
_SIGNATURE_MAX_LEN = 60
_SENTENCE_PUNCT = re.compile(r"[。，,；;！？!?、]")


def _is_signature(text: str, c: Candidate, index: int) -> bool:
    if index >= _SIGNATURE_WINDOW or len(text) > _SIGNATURE_MAX_LEN:
        return False
    if text[c.end :].strip() or _SENTENCE_PUNCT.search(text):
        return False
    before = text[: c.begin]
    return before != before.rstrip() and before.rstrip().endswith(rules.roles())


def _short_uses(text: str, defined: dict[str, EntityType]) -> list[Candidate]:
    """Later uses of the short forms an article has defined (四川时代 after its definition)."""
    found = []
    for short, etype in defined.items():
        for m in re.finditer(re.escape(short), text):
            found.append(Candidate(m.start(), m.end(), etype, "abbreviated", 0.85))
    return found


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


_BYLINE = re.compile(r"(记者|通讯员|本报讯|摄影?$|供图|编辑|作者|来源)")


def recognize(sentences: Sequence[Sentence], table: AliasTable | None = None) -> list[Mention]:
    """Find entity mentions in ``sentences``; offsets point into the original text."""
    matchers = _matchers(table if table is not None else AliasTable())
    mentions: list[Mention] = []
    found = _all_candidates(sentences, matchers)
    context = _place_context(found)
    shorts: dict[str, dict[str, EntityType]] = {}  # per article, the short forms defined so far
    for sentence, candidates in found:
        text = sentence.text
        candidates = [
            c for c in candidates if _place_fits(text, c, context.get(sentence.article_id, set()))
        ]
        defined = shorts.setdefault(sentence.article_id, {})
        candidates.extend(_short_uses(text, defined))
        chosen = _abbreviations(text, _select(candidates))
        for c in chosen:
            if c.method == "abbreviation":
                defined.setdefault(text[c.begin : c.end], c.type)
        for c in chosen:
            if c.method == rules.RANKING:
                continue
            if c.type is EntityType.PERSON and _is_byline(text, c, sentence.index):
                continue
            start, end = sentence.span(c.begin, c.end)
            mentions.append(
                Mention(
                    article_id=sentence.article_id,
                    sentence=sentence.index,
                    start=start,
                    end=end,
                    text=text[c.begin : c.end],
                    type=c.type,
                    entity_id=c.entity_id,
                    method=c.method,
                    confidence=c.confidence,
                    # table candidates (alias, gazetteer, abbreviation) are named by method
                    rule=c.rule or entity_rule("", c.method, c.type, text[c.begin : c.end]),
                )
            )
    return mentions


def resolve(
    mentions: Sequence[Mention], table: AliasTable | None = None, homes: dict | None = None
) -> tuple[list[Mention], list[Entity]]:
    """Map every mention to one entity; see :mod:`graph.resolve` (``homes``: the articles'
    home places). Listed companies then get their stock codes (:func:`with_stock_codes`)."""
    table = table if table is not None else AliasTable()
    return with_stock_codes(*_resolve(mentions, table, homes))


_HASHED = re.compile(r"^[a-z]+/h[0-9a-f]{10}$")  # ids of entities no table lists


def _stock_codes(entity: Entity, listed_names: set[str]) -> list[str]:
    """Stock codes of the listings one of the entity's names is: a full name, a short name that
    stands alone, or a short name the recognizer found in company context."""
    codes: list[str] = []
    for name in dict.fromkeys(normalize_name(n) for n in (entity.name, *entity.aliases)):
        for listing in load_listings().get(name, ()):
            if name == listing.full or not needs_context(name) or name in listed_names:
                codes.append(listing.code)
    return sorted(set(codes))


def with_stock_codes(
    mentions: Sequence[Mention], entities: Sequence[Entity]
) -> tuple[list[Mention], list[Entity]]:
    """Add ``("stock", code)`` to every company that a listing names, and merge companies that
    turn out to be one listing (宁德时代 and 宁德时代新能源科技股份有限公司 found apart).

    The kept entity is the one the alias table lists, else the one named by the full name;
    the others' names become its aliases and their mentions point to it.
    """
    listed_names: dict[str, set[str]] = {}
    for m in mentions:
        if m.method == "listed" and m.type is EntityType.COMPANY:
            listed_names.setdefault(m.entity_id, set()).add(normalize_name(m.text))
    coded: dict[str, list[str]] = {}
    for e in entities:
        if e.type is EntityType.COMPANY:
            codes = _stock_codes(e, listed_names.get(e.id, set()))
            if codes:
                coded[e.id] = codes
    if not coded:
        return list(mentions), list(entities)
    by_id = {e.id: e for e in entities}

    def rank(ident: str) -> tuple[bool, bool, int, str]:
        e = by_id[ident]
        full = any(x.full == normalize_name(e.name) for x in load_listings().get(e.name, ()))
        return (bool(_HASHED.match(ident)), not full, -len(e.name), ident)

    owner: dict[str, str] = {}  # entity id -> the id it merges into
    groups: dict[str, list[str]] = {}
    for ident, codes in coded.items():
        groups.setdefault(codes[0], []).append(ident)
    for members in groups.values():
        if len(members) > 1:
            keep = min(members, key=rank)
            owner.update({m: keep for m in members if m != keep})
    merged: dict[str, list[Entity]] = {}
    for ident, target in owner.items():
        merged.setdefault(target, []).append(by_id[ident])
    out_entities = []
    for e in entities:
        if e.id in owner:
            continue
        aliases = list(e.aliases)
        external = list(e.external)
        for other in merged.get(e.id, ()):
            aliases += [other.name, *other.aliases]
        codes = set(coded.get(e.id, ()))
        for other in merged.get(e.id, ()):
            codes.update(coded[other.id])
        external += [("stock", c) for c in sorted(codes) if ("stock", c) not in external]
        seen = {normalize_name(e.name)}
        unique = []
        for a in aliases:
            if normalize_name(a) not in seen:
                seen.add(normalize_name(a))
                unique.append(a)
        out_entities.append(replace(e, aliases=tuple(unique), external=tuple(external)))
    out_mentions = [
        replace(m, entity_id=owner[m.entity_id]) if m.entity_id in owner else m for m in mentions
    ]
    return out_mentions, out_entities
