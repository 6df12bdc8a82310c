"""Selection among the candidates of a sentence: non-overlapping spans, places that fit
the article, short forms, bylines and signatures."""

from __future__ import annotations

import re

from graph.entities import recognizers as rules
from graph.entities.gazetteer import load_gazetteer
from graph.entities.recognizers import Candidate
from graph.entities.recognizers.lexicon import _CJK
from graph.records import EntityType, Sentence
from graph.text.normalize import normalize_name


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


_BYLINE = re.compile(r"(记者|通讯员|本报讯|摄影?$|供图|编辑|作者|来源)")
