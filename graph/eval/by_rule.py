"""Precision per rule: which recognizer and which relation rule was right how often.

``nekg eval GOLD --by-rule`` scores the extraction as :func:`graph.eval.match.evaluate` does,
then credits every predicted entity and fact to the rule ids that produced it (see
:mod:`graph.rules_registry`):

- an entity's rules are those of its mentions in the scored articles (an entity found by
  the alias table in one sentence and by a suffix rule in another counts for both);
- a fact (one triple, whatever roles it was stated with) counts for the rules of its
  evidence in the scored articles (a fact resolved through
  a park counts for its rule and for ``through-park``);
- it is *right* when the evaluation matched it to the gold, *wrong* when it was a false
  positive; facts of relation types the gold does not annotate are not scored;
- gold items nothing matched are *missed*: no rule produced them.

A rule's precision is right / (right + wrong). The counts of rules sharing an item add
up to more than the number of items.

>>> row = RuleScore("suffix-company", "entity", right=3, wrong=1)
>>> row.precision
0.75
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.eval.gold import load_gold
from graph.eval.match import _Corpus, evaluate
from graph.eval.readback import extraction_from_graph, load_graph
from graph.eval.report import _table
from graph.eval.score import Report
from graph.records import Extraction, Mention
from graph.rules_registry import (
    ENTITY_RULES,
    METHOD_RULES,
    RELATION_RULES,
    entity_rule,
    relation_rules,
)

UNRECORDED = "(unrecorded)"
KINDS = ("entity", "fact")


@dataclass(frozen=True, slots=True)
class RuleScore:
    """How many of one rule's predicted entities or facts were right and wrong."""

    rule: str
    kind: str  # "entity" or "fact"
    right: int = 0
    wrong: int = 0

    @property
    def precision(self) -> float:
        """right / (right + wrong); 1.0 when the rule predicted nothing scored."""
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    @property
    def description(self) -> str:
        table = ENTITY_RULES if self.kind == "entity" else RELATION_RULES
        return table.get(self.rule, "not registered in graph/rules_registry.py")

    def to_dict(self) -> dict:
        """The row as JSON-ready data."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "right": self.right,
            "wrong": self.wrong,
            "precision": round(self.precision, 4),
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class Wrong:
    """A wrong prediction of one rule, with the sentence it was made in."""

    rule: str
    kind: str
    text: str
    ref: str
    doc: str
    evidence: str
    reason: str

    def to_dict(self) -> dict:
        """The item as JSON-ready data."""
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class RuleReport:
    """Scores per rule, the misses no rule produced, the wrong items, and notes."""

    rows: tuple[RuleScore, ...] = ()
    missed: tuple[tuple[str, int], ...] = ()  # (kind, count) for each scored kind
    wrong: tuple[Wrong, ...] = ()
    notes: tuple[str, ...] = ()

    def row(self, rule: str, kind: str) -> RuleScore | None:
        """The row of ``rule`` for ``kind``, if it predicted anything scored."""
        return next((r for r in self.rows if r.rule == rule and r.kind == kind), None)

    def to_dict(self) -> dict:
        """The whole report as JSON-ready data."""
        return {
            "rules": [r.to_dict() for r in self.rows],
            "missed": dict(self.missed),
            "wrong": [w.to_dict() for w in self.wrong],
            "notes": list(self.notes),
        }


def mention_rule(mention: Mention) -> str:
    """The recognizer id of a mention; for a graph written without rule ids, the id its
    method implies where it implies one (``alias`` → ``alias-table``)."""
    if mention.rule:
        return mention.rule
    if mention.method in METHOD_RULES:
        return entity_rule("", mention.method, mention.type, mention.text)
    return UNRECORDED


def score_rules(
    report: Report, extraction: Extraction, *, docs: Collection[str] | None = None
) -> RuleReport:
    """Credit each prediction scored in ``report`` (from :func:`evaluate` with the same
    ``extraction`` and ``docs``) to the rules that produced it."""
    corpus = _Corpus(extraction, frozenset(docs) if docs is not None else None)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    wrong: list[Wrong] = []
    missed: list[tuple[str, int]] = []
    notes = list(report.notes)
    sentences = corpus.sentences
    if report.entities is not None:
        false = {i.ref: i for i in report.false_positives if i.section == "entities"}
        all_mentions: dict[str, list[Mention]] = defaultdict(list)
        for m in extraction.mentions:
            all_mentions[m.entity_id].append(m)
        for entity_id in sorted(corpus.in_scope):
            entity = corpus.entities.get(entity_id)
            if entity is None:
                continue
            mentions = corpus.mentions.get(entity_id) or all_mentions.get(entity_id, [])
            by_rule: dict[str, Mention] = {}
            for m in mentions:
                by_rule.setdefault(mention_rule(m), m)
            for rule, first in sorted(by_rule.items()) or [(UNRECORDED, None)]:
                item = false.get(entity_id)
                counts[(rule, "entity")][1 if item else 0] += 1
                if item:
                    sentence = sentences.get((first.article_id, first.sentence)) if first else None
                    wrong.append(
                        Wrong(
                            rule,
                            "entity",
                            f"{entity.name} ({entity.type.value})",
                            entity_id,
                            first.article_id if first else item.doc,
                            sentence.text if sentence else item.evidence,
                            item.reason,
                        )
                    )
        missed.append(("entity", report.entities.total.fn))
    if report.relations is not None:
        scored = {row.label for row in report.relations.rows}
        false = {i.ref: i for i in report.false_positives if i.section == "relations"}
        # One fact per triple: hasRole facts that differ only in the role are one fact.
        evidence: dict[str, list] = defaultdict(list)
        for relation in corpus.relations:
            if relation.rel.value in scored:
                ref = f"{relation.head} {relation.rel.value} {relation.tail}"
                evidence[ref].extend(relation.evidence)
        for ref, found in sorted(evidence.items()):
            item = false.get(ref)
            firsts: dict[str, object] = {}
            for ev in sorted(found, key=lambda e: (e.article_id, e.start)):
                if corpus.counts(ev.article_id):
                    for rule in relation_rules(ev.method) if ev.method else (UNRECORDED,):
                        firsts.setdefault(rule, ev)
            for rule, ev in sorted(firsts.items()):
                counts[(rule, "fact")][1 if item else 0] += 1
                if item:
                    wrong.append(
                        Wrong(rule, "fact", item.text, ref, ev.article_id, ev.sentence, item.reason)
                    )
        missed.append(("fact", report.relations.total.fn))
    rows = [RuleScore(rule, kind, *c) for (rule, kind), c in counts.items()]
    rows.sort(key=lambda r: (KINDS.index(r.kind), -r.wrong, r.precision, r.rule))
    wrong.sort(key=lambda w: (KINDS.index(w.kind), w.rule, w.ref, w.doc))
    unknown = sorted(
        {r.rule for r in rows if r.rule != UNRECORDED and r.description.startswith("not ")}
    )
    if unknown:
        notes.append(f"rule ids not registered in graph/rules_registry.py: {', '.join(unknown)}")
    return RuleReport(tuple(rows), tuple(missed), tuple(wrong), tuple(notes))


def evaluate_folder(
    gold_folder: Path,
    *,
    graph: Path | None = None,
    inputs: Sequence[Path] = (),
    aliases: Path | None = None,
    docs: Collection[str] | None = None,
) -> tuple[Report, RuleReport]:
    """Like :func:`graph.eval.evaluate.evaluate_folder`, with the scores per rule as well."""
    gold = load_gold(gold_folder)
    if graph is not None:
        extraction = extraction_from_graph(load_graph(graph))
    else:
        from graph import pipeline

        extraction = pipeline.run(inputs or pipeline.DEFAULT_INPUTS, aliases=aliases)
    if docs is None:
        docs = gold.docs or None
    report = evaluate(gold, extraction, docs=docs)
    return report, score_rules(report, extraction, docs=docs)


def _rows(rows: Iterable[RuleScore]) -> list[list[str]]:
    return [
        [r.rule, r.kind, str(r.right), str(r.wrong), f"{r.precision:.3f}", r.description]
        for r in rows
    ]


def format_table(report: RuleReport, *, limit: int | None = 20) -> str:
    """The rules as a table (worst first), the misses, then each rule's wrong items."""
    head = [["rule", "kind", "right", "wrong", "precision", "description"]]
    missed = [
        [f"(missed {kind})", kind, "-", str(n), "-", "gold items no rule produced"]
        for kind, n in report.missed
    ]
    lines = _table(head + _rows(report.rows) + missed, right=(2, 3, 4))
    for note in report.notes:
        lines.append(f"note: {note}")
    shown: dict[tuple[str, str], int] = defaultdict(int)
    wrong = []
    for w in report.wrong:
        shown[(w.rule, w.kind)] += 1
        if limit is None or shown[(w.rule, w.kind)] <= limit:
            wrong.append(w)
    if wrong:
        lines.append("")
        lines.append("wrong, by rule:")
    for w in wrong:
        lines.append(f"  {w.rule}  {w.kind}  {w.text}  {w.doc}  {w.reason}")
        if w.evidence:
            lines.append(f"      「{w.evidence}」")
    hidden = sum(max(0, n - limit) for n in shown.values()) if limit is not None else 0
    if hidden:
        lines.append(f"  … {hidden} more (--limit 0 lists all)")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def format_json(report: RuleReport) -> str:
    """The report as JSON (keys sorted; one document)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
