"""Figures: numbers with units and the period they refer to, attached to what they measure.

A figure is a quantity found in a normalized sentence (总投资超10亿元, 年产40GWh, 链上企业超百家,
位列第五), its value normalized to a base unit as a :class:`~decimal.Decimal`, the qualifier
written with it (超 -> ``over``), the entity it is about, what it measures and the period
it refers to. Units, qualifiers, measure cues and period words are data files in
``graph/data/figure_*``; see docs/figures.md.

>>> parse_number("1.5万亿")
Decimal('1500000000000')
>>> parse_number("五百") , parse_number("一二三四"), parse_number("1..5")
(Decimal('500'), None, None)
>>> [(q.value, q.unit, q.qualifier) for q in quantities("总投资超10亿元，年产40GWh")]
[(Decimal('1000000000'), 'CNY', 'over'), (Decimal('40000000000'), 'Wh', '')]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from graph.figures.attribution import (
    _CONFIDENCE,
    SUBJECT_TYPES,
    _Context,
    _fallback,
    anaphor_mentions,
    measure_of,
    subject_of,
)
from graph.figures.periods import Period, _carried, period_for, periods
from graph.figures.quantities import Quantity, canonical, parse_number, quantities
from graph.figures.tables import MeasureRule, Unit, _words, measure_rules, qualifiers, units
from graph.records import Article, Evidence, Figure, Home, Mention, Sentence

__all__ = [
    "SUBJECT_TYPES",
    "MeasureRule",
    "Period",
    "Quantity",
    "Unit",
    "anaphor_mentions",
    "canonical",
    "extract",
    "measure_of",
    "measure_rules",
    "parse_number",
    "period_for",
    "periods",
    "qualifiers",
    "quantities",
    "subject_of",
    "units",
]


def extract(
    articles: Iterable[Article],
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    homes: Mapping[str, Home] | None = None,
    entity_ids: Collection[str] = (),
) -> list[Figure]:
    """Every figure in ``sentences``, with its subject, measure, period and evidence.

    ``homes`` give each article's own place (see :mod:`graph.entities.home`), the subject of
    last resort when it is one of ``entity_ids``.
    """
    dates = {a.id: a.date for a in articles}
    topics = {}
    for article_id, home in (homes or {}).items():
        code = home.topic or home.district or home.city
        if code and f"place/{code}" in entity_ids:
            topics[article_id] = f"place/{code}"
    by_sentence: dict[tuple[str, int], list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault((m.article_id, m.sentence), []).append(m)
    figures: list[Figure] = []
    carried: dict[str, list[Period]] = {}  # the last periods each article named
    contexts: dict[str, _Context] = {}  # what each article named so far
    for sentence in sentences:
        date = dates.get(sentence.article_id, "")
        context = contexts.setdefault(sentence.article_id, _Context())
        here = sorted(
            by_sentence.get((sentence.article_id, sentence.index), []), key=lambda m: m.start
        )
        topic = topics.get(sentence.article_id, "")
        home = (homes or {}).get(sentence.article_id)
        anaphors = anaphor_mentions(sentence, here, context, home, topic, entity_ids)
        previous = context.previous
        context.update(sentence, here, anaphors)
        found = quantities(sentence.text)
        named = periods(sentence.text, date)
        if not named and sentence.text.startswith(_words("figure_continuations.txt")):
            named = carried.get(sentence.article_id, [])
        elif named:
            carried[sentence.article_id] = [_carried(named[-1])]
        if not found:
            continue
        here = sorted([*here, *anaphors], key=lambda m: m.start)
        for q in found:
            if any(p.begin <= q.begin < p.end and p.clause_start >= 0 for p in named):
                continue
            rule = measure_of(sentence.text, q)
            rule_id, measure = (rule.id, rule.measure) if rule else _fallback(q)
            subject, how = subject_of(q.begin, measure, sentence, here, topic, previous)
            period, period_text, resolution = period_for(q.begin, named, date)
            start, end = sentence.span(q.begin, q.end)
            confidence = _CONFIDENCE.get(how, 0.6)
            figures.append(
                Figure(
                    article_id=sentence.article_id,
                    sentence=sentence.index,
                    start=start,
                    end=end,
                    text=sentence.text[q.begin : q.end],
                    value=q.value,
                    unit=q.unit,
                    unit_text=q.unit_text,
                    qualifier=q.qualifier,
                    measure=measure,
                    subject=subject,
                    period=period,
                    period_text=period_text,
                    period_resolution=resolution,
                    evidence=Evidence(
                        sentence.article_id,
                        sentence.text,
                        sentence.start,
                        sentence.end,
                        rule_id,
                        confidence,
                    ),
                    subject_rule=how,
                )
            )
    return figures
