"""Score relations on FinRE: real financial-news sentences, each with two named companies.

A FinRE file has one pair a line, ``head <TAB> tail <TAB> label <TAB> sentence``, lines
separated by blank lines; numbers are masked as ``<N>`` and HTML entities occur. Each pair
usually appears in both directions, with ``被…`` labels for the reverse of directed ones.

The labels map onto nekg relations as the FinRE README reads them:

- ``合作``, ``合资``, ``签约`` -> ``partnersWith`` (either direction);
- ``A 拥有 B`` -> ``B subsidiaryOf A``; ``A 被拥有 B`` -> ``A subsidiaryOf B``;
- every other label (``unknown``, ``竞争``, ``持股``, ``收购`` …) -> neither relation between the pair.

The pipeline runs on every distinct sentence as an article of its own. A pair counts as found
for a relation when the pipeline states that relation, in that sentence, between an entity
carrying the head's name and one carrying the tail's name (a name is carried by the entity's
name, aliases or its mention text in the sentence). Scoring is per distinct sentence and pair:
unordered for ``partnersWith``, ordered for ``subsidiaryOf``. Relations between other entities
of the sentence are not scored. Section ``finre names`` shows how many of the given company
names the recognizer finds at all, so a miss can be told from a recognition gap.

>>> FINRE_RELATIONS["拥有"], FINRE_RELATIONS["被拥有"]
(('subsidiaryOf', 'reverse'), ('subsidiaryOf', 'forward'))
"""

from __future__ import annotations

import html
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.eval.gold import GoldError, _norm, read_utf8_lines
from graph.eval.score import Item, Report, Score, Section
from graph.records import EntityType, Extraction, RelationType

# FinRE label -> (nekg relation, direction). ``forward``: head subsidiaryOf tail;
# ``reverse``: tail subsidiaryOf head; ``both``: symmetric.
FINRE_RELATIONS: dict[str, tuple[str, str]] = {
    "合作": ("partnersWith", "both"),
    "合资": ("partnersWith", "both"),
    "签约": ("partnersWith", "both"),
    "拥有": ("subsidiaryOf", "reverse"),
    "被拥有": ("subsidiaryOf", "forward"),
}
SCORED = (RelationType.PARTNERS_WITH, RelationType.SUBSIDIARY_OF)

Extractor = Callable[[Sequence[tuple[str, str]]], Extraction]


@dataclass(frozen=True, slots=True)
class FinrePair:
    """One line of a FinRE file: two company names, the label and the sentence."""

    line: int
    head: str
    tail: str
    label: str
    sentence: str


def load_finre(path: Path) -> list[FinrePair]:
    """The pairs of a FinRE file, HTML entities decoded.

    Raises:
        GoldError: the file is missing or not UTF-8, or a line lacks one of its four fields.
    """
    path = Path(path)
    if not path.is_file():
        raise GoldError(str(path), 0, "no such file")
    pairs = []
    for number, line in enumerate(read_utf8_lines(path), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4 or not all(f.strip() for f in fields):
            raise GoldError(
                str(path),
                number,
                f"has {len(fields)} tab-separated fields; a FinRE line is "
                "head<TAB>tail<TAB>relation<TAB>sentence, all four non-empty",
            )
        head, tail, label, sentence = (html.unescape(f.strip()) for f in fields)
        pairs.append(FinrePair(number, head, tail, label, sentence))
    if not pairs:
        raise GoldError(
            str(path), 0, "holds no FinRE lines (head<TAB>tail<TAB>relation<TAB>sentence)"
        )
    return pairs


def _pipeline_extractor(aliases: Path | None) -> Extractor:
    """Run the whole pipeline on (id, text) articles, read from a temporary JSONL file."""

    def extract(articles: Sequence[tuple[str, str]]) -> Extraction:
        from graph import pipeline

        with tempfile.TemporaryDirectory(prefix="nekg-finre-") as folder:
            source = Path(folder) / "finre.jsonl"
            with source.open("w", encoding="utf-8") as out:
                for ident, text in articles:
                    out.write(json.dumps({"id": ident, "text": text}, ensure_ascii=False) + "\n")
            return pipeline.run([source], aliases=aliases)

    return extract


def _gold_facts(pairs: Iterable[FinrePair]) -> set[tuple[str, str, str, str]]:
    """(sentence, relation, head, tail) facts the labels state; partnersWith pairs sorted."""
    facts: set[tuple[str, str, str, str]] = set()
    for p in pairs:
        rel, direction = FINRE_RELATIONS.get(p.label, ("", ""))
        if rel == "partnersWith":
            facts.add((p.sentence, rel, *sorted((p.head, p.tail))))
        elif rel == "subsidiaryOf":
            child, parent = (p.head, p.tail) if direction == "forward" else (p.tail, p.head)
            facts.add((p.sentence, rel, child, parent))
    return facts


def evaluate_finre(
    path: Path, *, aliases: Path | None = None, extractor: Extractor | None = None
) -> Report:
    """Pair-level precision, recall and F1 of partnersWith and subsidiaryOf on a FinRE file.

    Args:
        path: the FinRE file.
        aliases: alias table for the pipeline.
        extractor: ``[(article id, text)] -> Extraction``; default: the whole pipeline.
    """
    pairs = load_finre(path)
    name = Path(path).name
    sentences = list(dict.fromkeys(p.sentence for p in pairs))
    ids = {s: f"finre-{i + 1}" for i, s in enumerate(sentences)}
    extraction = (extractor or _pipeline_extractor(aliases))([(ids[s], s) for s in sentences])

    entities = {e.id: e for e in extraction.entities}
    carried: dict[tuple[str, str], set[str]] = defaultdict(set)  # (article, name) -> entity ids
    companies: dict[tuple[str, str], bool] = {}
    for m in extraction.mentions:
        if not m.entity_id or m.entity_id not in entities:
            continue
        e = entities[m.entity_id]
        for n in {_norm(m.text), *(_norm(x) for x in (e.name, *e.aliases))} - {""}:
            carried[(m.article_id, n)].add(e.id)
            if e.type == EntityType.COMPANY:
                companies[(m.article_id, n)] = True
    stated: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for r in extraction.relations:
        if r.rel in SCORED:
            for ev in r.evidence:
                stated[(ev.article_id, r.rel.value)].add((r.head, r.tail))

    def holds(sentence: str, rel: str, a: str, b: str) -> bool:
        article = ids[sentence]
        heads, tails = (
            carried.get((article, _norm(a)), set()),
            carried.get((article, _norm(b)), set()),
        )
        links = stated.get((article, rel), set())
        found = any((h, t) in links for h in heads for t in tails)
        if rel == "partnersWith":
            found = found or any((t, h) in links for h in heads for t in tails)
        return found

    gold = _gold_facts(pairs)
    counts = {rel.value: [0, 0, 0] for rel in SCORED}
    misses: list[Item] = []
    false_positives: list[Item] = []
    labels: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    first_line: dict[tuple[str, str, str], int] = {}
    for p in pairs:
        unit = (p.sentence, *sorted((p.head, p.tail)))
        labels[unit].add(p.label)
        first_line.setdefault(unit, p.line)
    for unit, seen in labels.items():
        sentence, a, b = unit
        key, doc = f"{a}|{b}", f"{name}:{first_line[unit]}"
        label_text = ", ".join(sorted(seen))
        candidates = [("partnersWith", a, b, f"{a} partnersWith {b}")]
        candidates += [("subsidiaryOf", x, y, f"{x} subsidiaryOf {y}") for x, y in ((a, b), (b, a))]
        for rel, x, y, fact in candidates:
            ends = tuple(sorted((x, y))) if rel == "partnersWith" else (x, y)
            expected = (sentence, rel, *ends) in gold
            found = holds(sentence, rel, x, y)
            if expected and found:
                counts[rel][0] += 1
            elif found:
                counts[rel][1] += 1
                false_positives.append(
                    Item("finre", rel, fact, key, doc, sentence, f"FinRE label: {label_text}")
                )
            elif expected:
                counts[rel][2] += 1
                misses.append(
                    Item(
                        "finre",
                        rel,
                        fact,
                        key,
                        doc,
                        sentence,
                        _miss_reason(ids[sentence], x, y, carried),
                    )
                )
    recognized = [0, 0, 0]
    for sentence, company in dict.fromkeys(
        (p.sentence, n) for p in pairs for n in (p.head, p.tail)
    ):
        recognized[0 if companies.get((ids[sentence], _norm(company))) else 2] += 1
    mapped = sum(1 for p in pairs if p.label in FINRE_RELATIONS)
    notes = (
        f"{name}: {len(pairs)} lines, {len(labels)} distinct sentence pairs, {mapped} lines "
        f"labelled {'/'.join(FINRE_RELATIONS)}; every other label counts as no relation",
    )
    return Report(
        (
            Section("finre", tuple(Score(rel, *counts[rel]) for rel in counts)),
            Section("finre names", (Score("Company", *recognized),), gate=False),
        ),
        tuple(misses),
        tuple(false_positives),
        notes,
    )


def _miss_reason(article: str, a: str, b: str, carried: dict[tuple[str, str], set[str]]) -> str:
    lost = [n for n in (a, b) if not carried.get((article, _norm(n)))]
    if lost:
        return "not recognized: " + ", ".join(lost)
    return "both names recognized, relation not stated"
