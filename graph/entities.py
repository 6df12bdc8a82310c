"""Entity recognition: the curated alias table plus recognizers that generalize.

Every sentence is matched, in its normalized form, against

1. the alias table, as spaCy ``span_ruler`` patterns (on ``spacy.blank("zh")``'s
   character tokens) whose pattern ``id`` is the canonical entity id;
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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
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
from graph.rules_registry import RECOGNIZERS, entity_rule

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
    nlp: object
    places: object  # ahocorasick.Automaton

    def table_spans(self, view: str) -> list[tuple[int, int, TableEntry]]:
        if not len(self.table):
            return []
        doc = self.nlp(view)
        found = []
        for span in doc.spans.get("ruler", ()):
            entry = self.table.get(span.id_)
            if entry is not None and _ascii_bounded(view, span.start_char, span.end_char):
                found.append((span.start_char, span.end_char, entry))
        return found

    def place_spans(self, view: str) -> list[tuple[int, int, str]]:
        return [(end - len(name) + 1, end + 1, name) for end, name in self.places.iter(view)]


def _build(table: AliasTable) -> _Matchers:
    import ahocorasick
    import spacy

    nlp = spacy.blank("zh")
    if len(table):
        ruler = nlp.add_pipe(
            "span_ruler", config={"validate": False, "phrase_matcher_attr": "ORTH"}
        )
        patterns = []
        for entry in table.entries:
            for name in dict.fromkeys(normalize_name(n) for n in entry.names):
                patterns.append({"label": entry.type.value, "pattern": name, "id": entry.id})
        ruler.add_patterns(patterns)
    automaton = ahocorasick.Automaton()
    for name in load_gazetteer().names:
        if len(name) >= 2:
            automaton.add_word(name, name)
    automaton.make_automaton()
    return _Matchers(table, nlp, automaton)


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


def _candidates(text: str, matchers: _Matchers) -> list[Candidate]:
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
    found.extend(_ruled("suffix_names", text, rules.suffix_names(text, tokens)))
    found.extend(_ruled("quoted_names", text, rules.quoted_names(text, tokens)))
    found.extend(_ruled("plain_policies", text, rules.plain_policies(text, tokens)))
    found.extend(_ruled("persons", text, rules.persons(text, tokens)))
    found.extend(_ruled("streets", text, rules.streets(text, tokens)))
    found.extend(_ruled("body_names", text, rules.body_names(text, tokens)))
    found.extend(_ruled("industry_names", text, rules.industry_names(text, tokens)))
    found.extend(_ruled("enumerations", text, rules.enumerations(text, tokens, found)))
    found.extend(_ruled("phases", text, rules.phases(text, found)))
    found.extend(_ruled("projects", text, rules.projects(text, found)))
    found.extend(_ruled("subsidiaries", text, rules.subsidiaries(text, tokens)))
    found.extend(_ruled("branches", text, rules.branches(text, found)))
    found.extend(_ruled("faculties", text, rules.faculties(text, found)))
    found.extend(_ruled("forces", text, rules.forces(text, tokens)))
    found.extend(_ruled("teams", text, rules.teams(text, tokens)))
    found.extend(_ruled("home_bodies", text, rules.home_bodies(text, tokens)))
    found.extend(_ruled("subunits", text, rules.subunits(text, tokens, found)))
    found.extend(_ruled("weak_candidates", text, rules.weak_candidates(tokens)))
    return found


def _ruled(recognizer: str, text: str, candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """The candidates of one recognizer of :mod:`graph.rules`, each with its rule id."""
    template = RECOGNIZERS[recognizer]
    for c in candidates:
        yield replace(c, rule=entity_rule(template, c.method, c.type, text[c.begin : c.end]))


def _inside_word(tokens: Sequence[rules.Token], c: Candidate) -> bool:
    for t in tokens:
        if t.start < c.begin < t.end or t.start < c.end < t.end:
            # Crossing a jieba word boundary: accept only if jieba split a name it did not know.
            return len(t.word) >= 2 and t.flag not in ("ns", "nr", "nz", "x", "eng")
    return False


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
        if m is None or c.type is EntityType.PERSON:
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


_BYLINE = re.compile(r"(记者|通讯员|本报讯|摄影?$|供图|编辑|作者|来源)")


def recognize(sentences: Sequence[Sentence], table: AliasTable | None = None) -> list[Mention]:
    """Find entity mentions in ``sentences``; offsets point into the original text."""
    matchers = _matchers(table if table is not None else AliasTable())
    mentions: list[Mention] = []
    found = [(s, _candidates(s.text, matchers)) for s in sentences]
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
    home places from :func:`graph.resolve.article_homes`)."""
    return _resolve(mentions, table if table is not None else AliasTable(), homes)
