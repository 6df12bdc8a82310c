"""Measure entity recognition against the annotated seeds and CLUENER2020.

Usage: python3 scripts/eval_entities.py [--gold tests/data/seeds/entities.jsonl]
       [--cluener ../shared/data/cluener2020_dev_even.jsonl] [--json out.json]

Three measurements, all scored by :mod:`graph.eval` (the scorer of ``nekg eval``: its
matching, and its convention that precision is 1.0 when nothing is predicted):

1. seeds: per-type precision/recall/F1 of (article, entity) pairs of a build of the seed
   articles against the gold folder, with the full alias table;
2. leave-one-article-out: for each article, the table without every entity that
   article mentions, so all its entities are unlisted; the scores of that article, summed;
3. CLUENER2020 dev (every other line): ``nekg eval --cluener``, exact span and type, and
   overlapping span with the right type. CLUENER leaves many places unlabelled
   (countries, cities in passing), so its place precision is a lower bound. Its labels
   are read only here, never at build time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import pipeline  # noqa: E402
from graph.entities import curation  # noqa: E402
from graph.entities import recognize as entities  # noqa: E402
from graph.entities.aliases import AliasTable  # noqa: E402
from graph.eval.cluener import evaluate_ner  # noqa: E402
from graph.eval.gold import Gold, load_gold  # noqa: E402
from graph.eval.match import evaluate  # noqa: E402
from graph.eval.score import Report, Section, combine  # noqa: E402
from graph.records import Article  # noqa: E402
from graph.text.articles import read_articles  # noqa: E402


def extract(articles: list[Article], table: AliasTable, rejects: curation.RejectList):
    """The extraction a build makes of ``articles`` with ``table`` and ``rejects``."""
    return pipeline.finish(pipeline.recognize_articles(articles, table), table, rejects)


def leave_one_out(
    gold: Gold, articles: list[Article], table: AliasTable, rejects: curation.RejectList
) -> Report:
    """Each article scored with its own entities removed from the table, summed."""
    reports = []
    for article in articles:
        held = [g.id for g in gold.entities if article.id in g.docs]
        reports.append(
            evaluate(gold, extract([article], table.without(held), rejects), docs={article.id})
        )
    return combine(reports)


def print_section(title: str, section: Section | None) -> None:
    print(f"\n{title}")
    print(
        "| type | tp | fp | fn | precision | recall | F1 |\n| --- | --- | --- | --- | --- | --- | --- |"
    )
    if section is None:
        return
    for name, row in [*((r.label, r) for r in section.rows), ("all", section.total)]:
        print(
            f"| {name} | {row.tp} | {row.fp} | {row.fn} |"
            f" {row.precision:.3f} | {row.recall:.3f} | {row.f1:.3f} |"
        )


def _section(report: Report, name: str) -> Section | None:
    return next((s for s in report.sections if s.name == name), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests/data/seeds/entities.jsonl")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--aliases", type=Path, default=ROOT / "seeds/aliases.tsv")
    parser.add_argument(
        "--cluener", type=Path, default=ROOT.parent / "shared/data/cluener2020_dev_even.jsonl"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args()

    gold = load_gold(args.gold.parent if args.gold.is_file() else args.gold)
    articles = read_articles([args.seeds])
    table = entities.load_table(args.aliases)
    rejects = curation.rejects_for(None, args.aliases)
    numbers: dict[str, object] = {}

    started = time.perf_counter()
    extraction = extract(articles, table, rejects)
    by_article = combine(evaluate(gold, extraction, docs={a.id}) for a in articles)
    seeds = _section(by_article, "entities")
    print_section(f"Seeds, full alias table ({time.perf_counter() - started:.1f} s)", seeds)
    numbers["seeds"] = seeds.to_dict() if seeds else None

    unlisted = _section(leave_one_out(gold, articles, table, rejects), "entities")
    print_section("Leave one article out: entities the table does not list", unlisted)
    numbers["leave_one_out"] = unlisted.to_dict() if unlisted else None

    if args.cluener.is_file():
        report = evaluate_ner(args.cluener, aliases=args.aliases)
        numbers["cluener"] = {}
        for section in report.sections:
            print_section(f"CLUENER2020 dev (even lines), {section.name}", section)
            numbers["cluener"][section.name] = section.to_dict()
    else:
        print(f"\n(no {args.cluener}: CLUENER skipped)")
    if args.json:
        args.json.write_text(json.dumps(numbers, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
