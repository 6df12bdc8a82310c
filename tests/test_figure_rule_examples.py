"""Every registered figure rule runs on its examples: ``tests/rules/figures/<id>.tsv``.

A row is a short article: where the rule must fire (``expect`` = ``fire``), the figure
written as ``figure`` carries the rule, as its measure rule (``evidence.method``) or as the
rule that chose its subject (``subject_rule``), with the ``measure`` and a ``subject`` whose
name or alias contains the one given, where these columns are filled; where it must not
(``not``), the figure is still found but does not carry the rule. Rows run through the real
stages (sentences, recognition with the shipped alias table, resolution, figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from conftest import ROOT
from stages import read_rows, run_stages

from graph import figures
from graph.entities import recognize as entities
from graph.records import Article, Figure
from graph.rules_registry import FIGURE_RULES

RULES_DIR = ROOT / "tests" / "rules" / "figures"
COLUMNS = ["expect", "text", "figure", "measure", "subject", "note"]
DATE = "2025-06-30"


@dataclass(frozen=True)
class Row:
    rule: str
    line: int
    expect: str
    text: str
    figure: str
    measure: str
    subject: str

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.line}:{self.expect}"


def _read(rule: str) -> list[Row]:
    path = RULES_DIR / f"{rule}.tsv"
    if not path.is_file():
        return []
    return [
        Row(
            rule,
            line,
            r["expect"],
            r["text"].replace("\\n", "\n"),
            r["figure"],
            r["measure"],
            r["subject"],
        )
        for line, r in read_rows(path, COLUMNS)
    ]


RULES = sorted(FIGURE_RULES)
ROWS = [row for rule in RULES for row in _read(rule)]


@cache
def _run(text: str) -> tuple[tuple[Figure, frozenset[str]], ...]:
    """The figures of one article ``text``, each with its subject's names."""
    mentions, resolved, _, _, sentences, homes = run_stages(text, entities.load_table())
    article = Article("example", text, date=DATE)
    found = figures.extract([article], sentences, mentions, homes, {e.id for e in resolved})
    names: dict[str, set[str]] = {}
    for entity in resolved:
        names.setdefault(entity.id, set()).update((entity.name, *entity.aliases))
    return tuple((f, frozenset(names.get(f.subject, set()))) for f in found)


def _carries(figure: Figure, rule: str) -> bool:
    return rule in (figure.evidence.method, figure.subject_rule)


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_figure_rule_example(row):
    assert row.expect in {"fire", "not"}, f"{row.id}: expect is fire or not"
    found = [(f, names) for f, names in _run(row.text) if f.text == row.figure]
    shown = [
        (f.text, f.measure, f.evidence.method, f.subject, f.subject_rule) for f, _ in _run(row.text)
    ]
    assert found, f"{row.id}: no figure {row.figure!r} found; found {shown}"
    if row.expect == "not":
        assert not any(_carries(f, row.rule) for f, _ in found), f"{row.id}: {shown}"
        return
    assert any(
        _carries(f, row.rule)
        and (not row.measure or f.measure == row.measure)
        and (not row.subject or any(row.subject in n for n in names))
        for f, names in found
    ), f"{row.id}: {row.rule} must give {row.figure} {row.measure} {row.subject}; {shown}"


@pytest.mark.parametrize("rule", RULES)
def test_every_figure_rule_has_examples_both_ways(rule):
    kinds = {row.expect for row in ROWS if row.rule == rule}
    assert kinds == {"fire", "not"}, f"add fire and not rows to tests/rules/figures/{rule}.tsv"


def test_every_figure_rule_is_registered():
    in_data = {r.id for r in figures.measure_rules()}
    in_code = set(figures._CONFIDENCE) | {"figure-count", "figure-rank", "figure-amount"}
    assert (in_data | in_code) == set(FIGURE_RULES), "register them in graph/rules_registry.py"
    tables = {path.stem for path in RULES_DIR.glob("*.tsv")}
    assert tables <= set(FIGURE_RULES), "tables are named <rule id>.tsv"
