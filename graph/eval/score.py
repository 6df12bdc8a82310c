"""Scores and reports: counts, precision, recall and F1 per section, and the items behind them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.records import (
    EntityType,
    RelationType,
)

# --- report ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    """Counts for one row of the report, with precision, recall and F1 derived from them."""

    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.label, self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        """The row as JSON-ready data."""
        return {
            "label": self.label,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Section:
    """Rows of one kind (entities, relations, spans) and their micro total.

    ``gate`` says whether ``--min-f1`` checks this section's micro F1.
    """

    name: str
    rows: tuple[Score, ...]
    gate: bool = True

    @property
    def total(self) -> Score:
        """Micro total: the counts of every row summed."""
        total = Score("micro")
        for row in self.rows:
            total = total + row
        return total

    def row(self, label: str) -> Score | None:
        """The row labelled ``label``, if any."""
        return next((r for r in self.rows if r.label == label), None)

    def to_dict(self) -> dict:
        """The section as JSON-ready data."""
        return {
            "name": self.name,
            "rows": [r.to_dict() for r in self.rows],
            "micro": self.total.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Item:
    """A miss or a false positive, with the sentence that shows it and why it counts."""

    section: str
    label: str
    text: str
    ref: str
    doc: str = ""
    evidence: str = ""
    reason: str = ""

    def to_dict(self) -> dict:
        """The item as JSON-ready data."""
        return {
            k: getattr(self, k)
            for k in ("section", "label", "text", "ref", "doc", "evidence", "reason")
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Scores per section, the misses and false positives, and notes on what was not scored."""

    sections: tuple[Section, ...] = ()
    misses: tuple[Item, ...] = ()
    false_positives: tuple[Item, ...] = ()
    notes: tuple[str, ...] = ()

    def section(self, name: str) -> Section | None:
        """The section called ``name``, if it was scored."""
        return next((s for s in self.sections if s.name == name), None)

    @property
    def entities(self) -> Section | None:
        """Per-type entity scores (None when the gold has no entities file)."""
        return self.section("entities")

    @property
    def relations(self) -> Section | None:
        """Per-relation scores (None when no relation type was scored)."""
        return self.section("relations")

    def below(self, min_f1: float) -> list[Section]:
        """Gated sections whose micro F1 is below ``min_f1``."""
        return [s for s in self.sections if s.gate and s.total.f1 < min_f1]

    def __add__(self, other: Report) -> Report:
        return Report(
            self.sections + other.sections,
            self.misses + other.misses,
            self.false_positives + other.false_positives,
            self.notes + other.notes,
        )

    def to_dict(self) -> dict:
        """The whole report as JSON-ready data."""
        return {
            "sections": [s.to_dict() for s in self.sections],
            "misses": [i.to_dict() for i in self.misses],
            "false_positives": [i.to_dict() for i in self.false_positives],
            "notes": list(self.notes),
        }


def combine(reports: Iterable[Report]) -> Report:
    """Sum the counts of same-named sections and rows, e.g. over leave-one-article-out folds.

    >>> a = Report((Section("entities", (Score("Company", 1, 0, 1),)),))
    >>> b = Report((Section("entities", (Score("Company", 2, 1, 0), Score("Place", 1, 0, 0))),))
    >>> combine([a, b]).entities.rows
    (Score(label='Company', tp=3, fp=1, fn=1), Score(label='Place', tp=1, fp=0, fn=0))
    """
    rows: dict[str, dict[str, Score]] = {}
    gates: dict[str, bool] = {}
    misses: list[Item] = []
    false_positives: list[Item] = []
    notes: list[str] = []
    for report in reports:
        for section in report.sections:
            merged = rows.setdefault(section.name, {})
            gates[section.name] = section.gate
            for row in section.rows:
                merged[row.label] = merged[row.label] + row if row.label in merged else row
        misses += report.misses
        false_positives += report.false_positives
        notes += [n for n in report.notes if n not in notes]
    order = {label: i for i, label in enumerate([*EntityType, *RelationType])}
    sections = tuple(
        Section(
            name,
            tuple(sorted(merged.values(), key=lambda r: order.get(r.label, len(order)))),
            gates[name],
        )
        for name, merged in rows.items()
    )
    return Report(sections, tuple(misses), tuple(false_positives), tuple(notes))
