#!/usr/bin/env python3
"""Per-relation precision, recall and F1 of relation extraction against annotated articles.

Runs the pipeline over the articles (default ``seeds/``) and scores its relations
against ``GOLD/relations.jsonl`` (default ``tests/data/seeds``) with the matching rules
of ``nekg eval`` (:mod:`graph.eval`): a gold relation is found when the extracted
relation joins entities of the same type carrying the gold entities' names or aliases
(after ``normalize_name``); symmetric relations match either way round.

``--oracle`` replaces the entity stage by exact look-up of the gold entities' names, so
the numbers measure the relation rules alone, not recognition errors they inherit.

Usage::

    python3 scripts/eval_relations.py                 # the pipeline, seeds vs tests/data/seeds
    python3 scripts/eval_relations.py --oracle        # relation rules on gold mentions
    python3 scripts/eval_relations.py --errors        # also list misses and false positives
    python3 scripts/eval_relations.py --format json
    python3 scripts/eval_relations.py --list ../shared/data/cluener2020_dev_even.jsonl   # spot-check unseen text
    python3 scripts/eval_relations.py --list --method lead-home --method among   # one rule's facts
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import pipeline  # noqa: E402
from graph.errors import NekgError  # noqa: E402
from graph.eval.gold import Gold, load_gold  # noqa: E402
from graph.eval.match import evaluate  # noqa: E402
from graph.eval.score import Report  # noqa: E402
from graph.records import Entity, EntityType, Extraction, Mention, Sentence  # noqa: E402
from graph.relations import extract as relations  # noqa: E402
from graph.text.articles import read_articles  # noqa: E402
from graph.text.normalize import normalize_name, split_sentences  # noqa: E402

TARGETS = ("locatedIn", "leadsChain", "partnersWith", "subsidiaryOf")


def oracle_extraction(inputs: Sequence[Path], gold: Gold, aliases: Path | None) -> Extraction:
    """Extraction whose mentions are exact, longest-first look-ups of the gold entities' names.

    Entity records come from the alias table when it lists the id (so places keep their
    administrative codes), else from the gold record itself.
    """
    from graph.entities.aliases import load_table

    path = aliases or ROOT / "seeds" / "aliases.tsv"
    table = load_table(path) if path.is_file() else None
    entities = {}
    names: list[tuple[str, str]] = []
    for g in gold.entities:
        entry = table.get(g.id) if table is not None else None
        external = entry.external if entry is not None else ()
        entities[g.id] = Entity(g.id, EntityType(g.type), g.name, tuple(g.aliases), external)
        for name in {g.name, *g.aliases}:
            for form in {normalize_name(name), name}:
                if len(form) >= 2:
                    names.append((form, g.id))
    names.sort(key=lambda item: -len(item[0]))
    articles = read_articles(inputs)
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    for article in articles:
        for sentence in split_sentences(article.id, article.text):
            sentences.append(sentence)
            taken: list[tuple[int, int]] = []
            for name, ident in names:
                # Quotes may sit inside a name in the text: “两湖”创新区.
                pattern = "[“”‘’]?".join(re.escape(ch) for ch in name)
                for m in re.finditer(pattern, sentence.text):
                    if all(m.end() <= a or m.start() >= b for a, b in taken):
                        taken.append((m.start(), m.end()))
                        start, end = sentence.span(m.start(), m.end())
                        mentions.append(
                            Mention(
                                article.id,
                                sentence.index,
                                start,
                                end,
                                m.group(),
                                entities[ident].type,
                                ident,
                                "oracle",
                            )
                        )
    used = {m.entity_id for m in mentions}
    kept = tuple(e for e in entities.values() if e.id in used)
    facts = relations.extract(sentences, mentions, kept)
    return Extraction(tuple(articles), tuple(sentences), tuple(mentions), kept, tuple(facts))


def relation_rows(report: Report) -> list[dict]:
    """The per-relation rows of a report as dicts (label, tp, fp, fn, precision, recall, f1)."""
    section = report.relations
    return [r.to_dict() for r in section.rows] if section is not None else []


def list_relations(
    inputs: Sequence[Path], aliases: Path | None, methods: Sequence[str] = ()
) -> int:
    """Print every relation the pipeline finds with its first evidence sentence.

    With ``methods``, only relations with evidence from one of those rules, shown with
    that evidence (to judge a rule by hand on unseen text).
    """
    try:
        extraction = pipeline.run(inputs, aliases=aliases, skip_bad=True)
    except NekgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    names = {e.id: e.name for e in extraction.entities}
    shown = 0
    for r in extraction.relations:
        picked = [e for e in r.evidence if not methods or e.method in methods]
        if not picked:
            continue
        shown += 1
        ev = picked[0]
        role = f" ({r.role})" if r.role else ""
        where = f"{ev.method} {ev.confidence:.2f} | {ev.sentence}" if ev else ""
        print(f"{r.rel.value}\t{names[r.head]} -> {names[r.tail]}{role}\t{where}")
    print(
        f"{shown} of {len(extraction.relations)} relations in {len(extraction.articles)} articles",
        file=sys.stderr,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", type=Path, help="articles (default: seeds/)")
    parser.add_argument(
        "--gold", type=Path, default=ROOT / "tests" / "data" / "seeds", help="gold folder"
    )
    parser.add_argument("--aliases", type=Path, help="alias table for the pipeline")
    parser.add_argument(
        "--oracle", action="store_true", help="gold names instead of the entity stage"
    )
    parser.add_argument("--errors", action="store_true", help="list misses and false positives")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument(
        "--list", action="store_true", help="only list every relation found, to judge by hand"
    )
    parser.add_argument(
        "--method",
        action="append",
        default=[],
        help="with --list: only relations with evidence from this rule (repeatable)",
    )
    args = parser.parse_args(argv)
    inputs = args.inputs or [ROOT / "seeds"]
    if args.list:
        return list_relations(inputs, args.aliases, args.method)
    try:
        gold = load_gold(args.gold)
        if args.oracle:
            extraction = oracle_extraction(inputs, gold, args.aliases)
        else:
            extraction = pipeline.run(inputs, aliases=args.aliases)
        report = evaluate(gold, extraction, docs=gold.docs or None)
    except NekgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = relation_rows(report)
    misses = [i for i in report.misses if i.section == "relations"]
    wrong = [i for i in report.false_positives if i.section == "relations"]
    if args.format == "json":
        out = {"mode": "oracle" if args.oracle else "pipeline", "relations": rows}
        if args.errors:
            out["misses"] = [i.to_dict() for i in misses]
            out["false_positives"] = [i.to_dict() for i in wrong]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(
        f"relations ({'gold mentions' if args.oracle else 'pipeline'}), {len(extraction.articles)} articles"
    )
    print(
        f"{'relation':<14}{'gold':>6}{'found':>7}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}"
    )
    for r in rows:
        print(
            f"{r['label']:<14}{r['tp'] + r['fn']:>6}{r['tp'] + r['fp']:>7}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}"
            f"{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}"
        )
    for note in report.notes:
        print(f"note: {note}")
    if args.errors:
        for title, items in (("missed", misses), ("false positives", wrong)):
            print(f"\n{title}:")
            for i in items:
                print(f"  [{i.label}] {i.text} ({i.reason}) {i.doc[:3]}: {i.evidence[:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
