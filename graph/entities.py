"""Entity recognition: the curated alias table plus recognizers that generalize.

Every sentence is matched, in its normalized form, against

1. the alias table, every normalized name in one Aho-Corasick automaton whose values are
   the canonical entity ids (every occurrence, overlapping ones too);
2. the gazetteer of administrative divisions, countries and regions (Aho-Corasick);
3. the rules of :mod:`graph.rules` for names no table lists.

Overlapping candidates are settled longest first; weak candidates (jieba tags)
only fill gaps. Each :class:`~graph.records.Mention` carries its original
offsets (``Sentence.span``); :func:`resolve` maps mentions to entities.

>>> from graph.normalize import split_sentences
>>> table = load_table(None)
>>> [m.text for m in recognize(split_sentences("a", "常州大学位于江苏。"), table)]
['常州大学', '江苏']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph import rules
from graph.aliases import AliasTable, TableEntry
from graph.aliases import load_table as _read_table
from graph.gazetteer import load_gazetteer
from graph.normalize import normalize_name
from graph.records import Entity, EntityType, Mention, Sentence
from graph.resolve import resolve as _resolve
from graph.rules import Candidate

DEFAULT_TABLE = Path("seeds") / "aliases.tsv"

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
    for candidate in (DEFAULT_TABLE, Path(__file__).resolve().parent.parent / DEFAULT_TABLE):
        if candidate.is_file():
            return _read_table(candidate)
    return AliasTable()


# --- matching view -----------------------------------------------------------------


def _view(text: str) -> tuple[str, list[int]]:
    """The sentence without spaces and quotes, and for each kept char its index."""
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
    automaton = ahocorasick.Automaton()
    for name in load_gazetteer().names:
        if len(name) >= 2:
            automaton.add_word(name, name)
    automaton.make_automaton()
    return _Matchers(table, names, automaton)


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


def _candidates(
    text: str, matchers: _Matchers, continues: EntityType | None = None
) -> tuple[list[Candidate], EntityType | None]:
    """The candidates of one sentence, and the type of an enumeration that opens it.

    ``continues`` is the type of the enumeration the next piece of the same sentence
    opens with, when the sentence was cut inside a list of names.
    """
    view, keep = _view(text)
    found: list[Candidate] = []
    if view:
        for b, e, entry in matchers.table_spans(view):
            begin, end = _widen(text, keep[b], keep[e - 1] + 1)
            found.append(Candidate(begin, end, entry.type, "alias", 1.0, entry.id))
        for b, e, name in matchers.place_spans(view):
            begin, end = _widen(text, keep[b], keep[e - 1] + 1)
            short = name in _short_place_names()
            found.append(
                Candidate(begin, end, EntityType.PLACE, "gazetteer", 0.8 if short else 0.95)
            )
    tokens = rules.tokenize(text)
    # A gazetteer name inside a longer word (海南 in 海南岛) is not a mention.
    found = [c for c in found if c.method != "gazetteer" or not _inside_word(tokens, c)]
    found.extend(rules.suffix_names(text, tokens))
    found.extend(rules.quoted_names(text, tokens))
    found.extend(rules.plain_policies(text, tokens))
    found.extend(rules.persons(text, tokens))
    found.extend(rules.streets(text, tokens))
    found.extend(rules.body_names(text, tokens))
    found.extend(rules.industry_names(text, tokens))
    groups = rules.enumeration_groups(text, tokens, found, continues)
    found.extend(rules.enumerations(text, tokens, found, groups))
    found.extend(rules.phases(text, found))
    found.extend(rules.projects(text, found))
    found.extend(rules.subsidiaries(text, tokens))
    found.extend(rules.branches(text, found))
    found.extend(rules.faculties(text, found))
    found.extend(rules.forces(text, tokens))
    found.extend(rules.teams(text, tokens))
    found.extend(rules.home_bodies(text, tokens))
    found.extend(rules.subunits(text, tokens, found))
    found.extend(rules.weak_candidates(tokens))
    lead = next((g.type for g in groups if g.from_start), None)
    return found, lead


def _inside_word(tokens: Sequence[rules.Token], c: Candidate) -> bool:
    t = rules.token_across(tokens, c.begin) or rules.token_across(tokens, c.end)
    # Crossing a jieba word boundary: accept only if jieba split a name it did not know.
    return t is not None and len(t.word) >= 2 and t.flag not in ("ns", "nr", "nz", "x", "eng")


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
    units share (新城区), counts only when its province or city is named in the same article."""
    if c.method != "gazetteer":
        return True
    gaz = load_gazetteer()
    name = text[c.begin : c.end]
    units = [d for d in gaz.find(name) if d.code]
    if not units or any(d.level < 3 for d in units):
        return True
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
    rf"([{rules._CJK}A-Za-z0-9]{{2,12}})[”\"’']?\s*[）)]"
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
                )
            )
    return mentions


def resolve(
    mentions: Sequence[Mention], table: AliasTable | None = None
) -> tuple[list[Mention], list[Entity]]:
    """Map every mention to one entity; see :mod:`graph.resolve`."""
    return _resolve(mentions, table if table is not None else AliasTable())
