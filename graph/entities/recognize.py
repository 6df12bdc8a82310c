"""Entity recognition: the curated alias table plus recognizers that generalize.

Every sentence is matched, in its normalized form, against

1. the alias table, every normalized name in one Aho-Corasick automaton whose values are
   the canonical entity ids (every occurrence, overlapping ones too);
2. the gazetteer of administrative divisions, countries and regions (Aho-Corasick);
3. the recognizers of :mod:`graph.entities.recognizers` for names no table lists;
4. the listed companies and universities of ``graph/data/gazetteer/`` (Aho-Corasick):
   full names always, a short name (宁德时代) alone only when it is no ordinary word,
   otherwise only in company context (阳光公司, 龙头企业阳光, 阳光宣布投资…, next to another
   company in an enumeration); see :mod:`graph.entities.matchers`.

The candidates of a sentence are made in :mod:`graph.entities.candidates` and checked at
their edges in :mod:`graph.entities.boundaries`; overlapping candidates are settled in
:mod:`graph.entities.select`, longest first; at equal length the listed names come after the
alias table, the places and the rules; weak candidates (jieba tags) only fill gaps. Each
:class:`~graph.records.Mention` carries its original offsets (``Sentence.span``);
:func:`resolve` maps mentions to entities.

>>> from graph.text.normalize import split_sentences
>>> table = load_table(None)
>>> [m.text for m in recognize(split_sentences("a", "常州大学位于江苏。"), table)]
['常州大学', '江苏']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from graph.entities import recognizers as rules
from graph.entities.aliases import AliasTable
from graph.entities.aliases import load_table as _read_table
from graph.entities.boundaries import bounded, checked
from graph.entities.candidates import _all_candidates
from graph.entities.gazetteer import load_listings
from graph.entities.matchers import _matchers, needs_context
from graph.entities.resolve import resolve as _resolve
from graph.entities.select import (
    _abbreviations,
    _is_byline,
    _place_context,
    _place_fits,
    _select,
    _short_uses,
)
from graph.records import Entity, EntityType, Mention, Sentence
from graph.rules_registry import entity_rule
from graph.text.normalize import normalize_name

__all__ = [
    "DEFAULT_TABLE",
    "bounded",
    "checked",
    "load_table",
    "needs_context",
    "recognize",
    "resolve",
    "with_stock_codes",
]

DEFAULT_TABLE = Path("seeds") / "aliases.tsv"


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
