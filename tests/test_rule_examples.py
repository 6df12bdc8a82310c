"""Every registered rule runs on its examples: ``tests/rules/<id>.tsv``.

Each table holds sentences where the rule must fire (``expect`` = ``fire``) with the span
(entity recognizers: ``span`` and ``type``) or the fact (relation rules: ``head``,
``relation``, ``tail``) it must produce, and near misses where it must not (``expect`` =
``not``). A row runs through the real stages (recognize, resolve, relations) with the
shipped alias table, or with an empty one where its ``aliases`` column says ``empty`` (a
name in the alias table is found as ``alias-table`` before any other recognizer sees it).
A mention satisfies a row when its surface is the span and it carries the rule id (and,
where the rule must fire, has the type); a fact does when its head and tail have those
surfaces (a mention's text, the entity's name or alias) and one of its evidences names
the rule. A registered rule without a table, or with no row
of either kind, fails unless it is listed in ``NO_EXAMPLE`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from conftest import ROOT
from stages import read_rows, run_stages

from graph.entities import recognize as entities
from graph.entities.aliases import AliasTable
from graph.rules_registry import ENTITY_RULES, RELATION_RULES, relation_rules

RULES_DIR = ROOT / "tests" / "rules"
ENTITY_COLUMNS = ["expect", "text", "span", "type", "aliases", "note"]
RELATION_COLUMNS = ["expect", "text", "head", "relation", "tail", "aliases", "note"]
EXPECT = {"fire", "not"}

# Registered rules that have no working positive example yet, with the reason. A rule
# listed here still needs its table for the near misses; remove it once a row fires.
NO_EXAMPLE: dict[str, str] = {}


@dataclass(frozen=True)
class Row:
    rule: str
    line: int
    expect: str
    text: str
    target: tuple[str, ...]  # (span, type) or (head, relation, tail)
    aliases: str
    note: str

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.line}:{self.expect}"


def _read(rule: str) -> list[Row]:
    path = RULES_DIR / f"{rule}.tsv"
    if not path.is_file():
        return []
    columns = ENTITY_COLUMNS if rule in ENTITY_RULES else RELATION_COLUMNS
    return [
        Row(
            rule,
            line,
            record["expect"],
            record["text"].replace("\\n", "\n"),
            tuple(record[c] for c in columns[2:-2]),
            record["aliases"] or "shipped",
            record["note"] or "",
        )
        for line, record in read_rows(path, columns)
    ]


RULES = sorted(ENTITY_RULES) + sorted(RELATION_RULES)
ROWS = [row for rule in RULES for row in _read(rule)]


@cache
def _table(kind: str) -> AliasTable:
    return AliasTable() if kind == "empty" else entities.load_table()


@dataclass(frozen=True)
class Found:
    mentions: frozenset[tuple[str, str, str]]  # (surface, type, rule)
    facts: frozenset[tuple[str, str, str, str]]  # (head surface, relation, tail surface, rule)


@cache
def _run(text: str, aliases: str) -> Found:
    """What the real stages find in one article ``text`` (once per text and table)."""
    mentions, _, facts, names, *_ = run_stages(text, _table(aliases))
    return Found(
        frozenset((m.text, str(m.type), m.rule) for m in mentions),
        frozenset(
            (head, str(fact.rel), tail, rule)
            for fact in facts
            for rule in {r for ev in fact.evidence for r in relation_rules(ev.method)}
            for head in names.get(fact.head, {fact.head})
            for tail in names.get(fact.tail, {fact.tail})
        ),
    )


def _produced(row: Row) -> bool:
    found = _run(row.text, row.aliases)
    if row.rule in ENTITY_RULES:
        span, etype = row.target
        return any(
            surface == span and rule == row.rule and (etype == kind or row.expect == "not")
            for surface, kind, rule in found.mentions
        )
    return (*row.target, row.rule) in found.facts


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_rule_example(row):
    assert row.expect in EXPECT, f"{row.id}: expect is fire or not"
    assert row.aliases in {"shipped", "empty"}, f"{row.id}: aliases is shipped or empty"
    assert all(row.target), f"{row.id}: every column of the span or fact is filled"
    found = _run(row.text, row.aliases)
    shown = found.mentions if row.rule in ENTITY_RULES else found.facts
    if row.expect == "fire":
        assert _produced(row), f"{row.id}: {row.rule} must produce {row.target}; found {shown}"
    else:
        assert not _produced(row), f"{row.id}: {row.rule} must not produce {row.target}"


@pytest.mark.parametrize("rule", RULES)
def test_every_registered_rule_has_examples_both_ways(rule):
    kinds = {row.expect for row in ROWS if row.rule == rule}
    assert "not" in kinds, f"add a near miss (expect=not) to tests/rules/{rule}.tsv"
    if rule in NO_EXAMPLE:
        assert "fire" not in kinds, f"{rule} has a positive row now: drop it from NO_EXAMPLE"
        return
    assert "fire" in kinds, f"add a row where {rule} fires (expect=fire) to tests/rules/{rule}.tsv"


def test_every_table_names_a_registered_rule():
    names = {path.stem for path in RULES_DIR.glob("*.tsv")}
    assert names - set(RULES) == set(), "tables are named <rule id>.tsv"
    assert set(NO_EXAMPLE) <= set(RULES)
