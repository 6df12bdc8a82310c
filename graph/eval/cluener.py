"""Entity recognition scored on span-annotated sentences in the CLUENER format.

``{"text": "...", "label": {"company": {"中创新航": [[0, 3]]}}}`` (end inclusive): each text is
split into sentences like an article, and a mention counts when its start, end and type
match a gold span exactly (``nekg eval --cluener FILE``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import NekgError
from graph.eval.gold import GoldError, read_jsonl_lines
from graph.eval.score import Item, Report, Score, Section
from graph.records import (
    EntityType,
    Mention,
    Sentence,
)

DEFAULT_CLUENER_MAP = {"company": "Company", "government": "Organization", "address": "Place"}


@dataclass(frozen=True, slots=True)
class _Span:
    line: int
    start: int
    end: int  # exclusive
    type: str
    text: str


Recognizer = Callable[[Sequence[Sentence]], Iterable[Mention]]


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["company=Company", ...]`` -> ``{"company": "Company"}``, checking the types.

    >>> parse_mapping(["government=organization"])
    {'government': 'Organization'}
    """
    mapping: dict[str, str] = {}
    types = {t.value.lower(): t.value for t in EntityType}
    for pair in pairs:
        label, sep, kind = pair.partition("=")
        if not sep or not label.strip() or not kind.strip():
            raise NekgError(f"--map {pair!r}: write LABEL=Type, e.g. company=Company")
        if kind.strip().lower() not in types:
            raise NekgError(
                f"--map {pair!r}: unknown type {kind.strip()!r} (one of: {', '.join(t.value for t in EntityType)})"
            )
        mapping[label.strip()] = types[kind.strip().lower()]
    return mapping


def load_cluener(path: Path) -> list[tuple[int, str, list[tuple[str, int, int, str]]]]:
    """(line, text, [(label, start, end exclusive, mention)]) for each line of a CLUENER file.

    Raises:
        GoldError: a line is not JSON, has no labels, or a span does not hold its mention.
    """
    path = Path(path)
    if not path.is_file():
        raise GoldError(str(path), 0, "no such file")
    records = []
    for number, record in read_jsonl_lines(path):
        text, labels = record.get("text"), record.get("label")
        if not isinstance(text, str) or not text:
            raise GoldError(str(path), number, 'needs a non-empty "text" string')
        if not isinstance(labels, dict):
            raise GoldError(
                str(path),
                number,
                'needs a "label" object ({type: {mention: [[start, end]]}}); unlabelled test splits cannot be scored',
            )
        spans = []
        for label, mentions in labels.items():
            if not isinstance(mentions, dict):
                raise GoldError(
                    str(path), number, f"label {label!r} must map mentions to [[start, end], ...]"
                )
            for mention, positions in mentions.items():
                if not isinstance(positions, list):
                    raise GoldError(
                        str(path),
                        number,
                        f"{label}/{mention}: positions must be a list of [start, end]",
                    )
                for pos in positions:
                    if not (
                        isinstance(pos, list)
                        and len(pos) == 2
                        and all(isinstance(p, int) for p in pos)
                    ):
                        raise GoldError(
                            str(path),
                            number,
                            f"{label}/{mention}: position {pos!r} is not [start, end]",
                        )
                    start, end = pos[0], pos[1] + 1
                    if text[start:end] != mention or start < 0:
                        raise GoldError(
                            str(path),
                            number,
                            f"{label}/{mention}: text[{pos[0]}..{pos[1]}] is {text[max(start, 0) : end]!r}, not the mention (end is inclusive)",
                        )
                    spans.append((label, start, end, mention))
        records.append((number, text, sorted(spans, key=lambda s: (s[1], s[2], s[0]))))
    return records


def _default_recognizer(aliases: Path | None) -> Recognizer:
    from graph.entities import recognize as entities

    table = entities.load_table(aliases) if hasattr(entities, "load_table") else None
    return lambda sentences: entities.recognize(sentences, table)


def evaluate_ner(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    recognizer: Recognizer | None = None,
    aliases: Path | None = None,
) -> Report:
    """Score the entity recognizer on a CLUENER-format span file.

    Each text is split into sentences like an article; the recognizer's mentions
    (original offsets) are compared with the gold spans whose label ``mapping``
    maps to a nekg type. Section ``spans`` counts exact matches (same start, end
    and type); ``spans (overlap)`` counts a gold span as found when a mention of
    the same type overlaps it, and a mention as right when it overlaps a gold span
    of its type. Mentions of types no label maps to are not scored.

    Args:
        path: the JSONL file.
        mapping: CLUENER label -> nekg type value (default :data:`DEFAULT_CLUENER_MAP`).
        recognizer: ``sentences -> mentions``; default :func:`graph.entities.recognize`.
        aliases: alias table for the default recognizer.
    """
    from graph.text.normalize import split_sentences

    mapping = dict(mapping or DEFAULT_CLUENER_MAP)
    for label, kind in mapping.items():
        if kind not in EntityType._value2member_map_:
            raise NekgError(
                f"mapping {label}={kind}: unknown type (one of: {', '.join(t.value for t in EntityType)})"
            )
    recognize = recognizer or _default_recognizer(aliases)
    scored = set(mapping.values())
    gold: list[_Span] = []
    predicted: list[_Span] = []
    texts: dict[int, str] = {}
    unmapped: dict[str, int] = defaultdict(int)
    for number, text, spans in load_cluener(path):
        texts[number] = text
        for label, start, end, mention in spans:
            if label in mapping:
                gold.append(_Span(number, start, end, mapping[label], mention))
            else:
                unmapped[label] += 1
        seen = set()
        for m in recognize(split_sentences(f"line-{number}", text)):
            key = (m.start, m.end, m.type.value)
            if m.type.value in scored and key not in seen:
                seen.add(key)
                predicted.append(_Span(number, m.start, m.end, m.type.value, text[m.start : m.end]))
    gold_keys = {(s.line, s.start, s.end, s.type) for s in gold}
    pred_keys = {(s.line, s.start, s.end, s.type) for s in predicted}
    by_line: dict[int, list[_Span]] = defaultdict(list)
    for s in predicted:
        by_line[s.line].append(s)
    gold_by_line: dict[int, list[_Span]] = defaultdict(list)
    for s in gold:
        gold_by_line[s.line].append(s)

    def overlapping(span: _Span, pool: Sequence[_Span]) -> list[_Span]:
        return [o for o in pool if o.start < span.end and span.start < o.end]

    exact: dict[str, list[int]] = {t: [0, 0, 0] for t in sorted(scored)}
    loose: dict[str, list[int]] = {t: [0, 0, 0] for t in sorted(scored)}
    misses: list[Item] = []
    false_positives: list[Item] = []
    name = Path(path).name
    for g in gold:
        near = overlapping(g, by_line[g.line])
        hit = (g.line, g.start, g.end, g.type) in pred_keys
        exact[g.type][0 if hit else 2] += 1
        loose[g.type][0 if any(o.type == g.type for o in near) else 2] += 1
        if not hit:
            misses.append(
                Item(
                    "spans",
                    g.type,
                    g.text,
                    f"{g.start}:{g.end}",
                    f"{name}:{g.line}",
                    texts[g.line],
                    _span_reason(near, "found"),
                )
            )
    for p in predicted:
        near = overlapping(p, gold_by_line[p.line])
        hit = (p.line, p.start, p.end, p.type) in gold_keys
        exact[p.type][1] += 0 if hit else 1
        loose[p.type][1] += 0 if any(o.type == p.type for o in near) else 1
        if not hit:
            false_positives.append(
                Item(
                    "spans",
                    p.type,
                    p.text,
                    f"{p.start}:{p.end}",
                    f"{name}:{p.line}",
                    texts[p.line],
                    _span_reason(near, "gold has"),
                )
            )
    order = {t.value: i for i, t in enumerate(EntityType)}
    rows = sorted(exact, key=order.__getitem__)
    notes = []
    if unmapped:
        notes.append(
            "gold spans of unmapped labels not scored: "
            + ", ".join(f"{n} {k}" for k, n in sorted(unmapped.items()))
        )
    return Report(
        (
            Section("spans", tuple(Score(t, *exact[t]) for t in rows)),
            Section("spans (overlap)", tuple(Score(t, *loose[t]) for t in rows), gate=False),
        ),
        tuple(misses),
        tuple(false_positives),
        tuple(notes),
    )


def _span_reason(near: Sequence[_Span], verb: str) -> str:
    if not near:
        return "nothing found here" if verb == "found" else "no gold span here"
    o = near[0]
    return f"{verb} {o.text!r} as {o.type} [{o.start}:{o.end}]"
