"""Measure entity recognition against the annotated seeds and CLUENER2020.

Usage: python3 scripts/eval_entities.py [--gold tests/data/seeds/entities.jsonl]
       [--cluener ../shared/data/cluener2020_dev_even.jsonl] [--json out.json]

Three measurements:

1. seeds: per-type precision/recall/F1 of (article, entity) pairs against the gold
   file, with the full alias table;
2. leave-one-article-out: for each article, the table without every entity that
   article mentions, so all its entities are unlisted; recall on those;
3. CLUENER2020 dev (every other line): recall of gold company, government/organization
   and address spans (exact span and type, and overlapping span with the right type),
   and precision of the Company/Organization/Place mentions the build keeps after
   resolution (exact span and type,
   and overlapping a gold span of the type: 北京市 inside the address 北京市东城区…).
   CLUENER leaves many places unlabelled (countries, cities in passing), so its place
   precision is a lower bound. Its labels are read only here, never at build time.

A predicted entity matches a gold one in an article when the ids are equal or one of
the surfaces it was found under in that article is a name of the gold entity.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.entities import recognize as entities  # noqa: E402
from graph.entities.aliases import AliasTable  # noqa: E402
from graph.records import Article, EntityType  # noqa: E402
from graph.text.articles import read_articles  # noqa: E402
from graph.text.normalize import normalize_name, split_sentences  # noqa: E402

CLUENER_TYPES = {
    "company": "Company",
    "government": "Organization",
    "organization": "Organization",
    "address": "Place",
}


def load_gold(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def predict(articles: list[Article], table: AliasTable) -> dict[str, dict[str, dict]]:
    """article id -> entity id -> {"type", "surfaces"}."""
    sentences = [s for a in articles for s in split_sentences(a.id, a.text)]
    mentions = entities.recognize(sentences, table)
    mentions, _ = entities.resolve(mentions, table)
    found: dict[str, dict[str, dict]] = defaultdict(dict)
    for m in mentions:
        item = found[m.article_id].setdefault(
            m.entity_id, {"type": m.type.value, "surfaces": set()}
        )
        item["surfaces"].add(normalize_name(m.text))
    return found


def score(
    gold: list[dict], found: dict[str, dict[str, dict]], articles: list[str]
) -> dict[str, Counter]:
    """Per-type tp/fp/fn over (article, entity) pairs."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for doc in articles:
        golds = [g for g in gold if doc in g["docs"]]
        names = {g["id"]: {normalize_name(n) for n in [g["name"], *g["aliases"]]} for g in golds}
        matched = set()
        for ident, item in found.get(doc, {}).items():
            hit = next(
                (
                    g
                    for g in golds
                    if g["id"] not in matched
                    and (g["id"] == ident or item["surfaces"] & names[g["id"]])
                ),
                None,
            )
            if hit is not None and hit["type"] == item["type"]:
                matched.add(hit["id"])
                counts[item["type"]]["tp"] += 1
            else:
                counts[item["type"]]["fp"] += 1
        for g in golds:
            if g["id"] not in matched:
                counts[g["type"]]["fn"] += 1
    return counts


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def table_rows(counts: dict[str, Counter]) -> list[tuple[str, int, int, int, float, float, float]]:
    rows = []
    total: Counter = Counter()
    for etype in [t.value for t in EntityType]:
        c = counts.get(etype, Counter())
        total.update(c)
        if c["tp"] + c["fp"] + c["fn"]:
            rows.append((etype, c["tp"], c["fp"], c["fn"], *prf(c)))
    rows.append(("all", total["tp"], total["fp"], total["fn"], *prf(total)))
    return rows


def print_rows(title: str, rows: list) -> None:
    print(
        f"\n{title}\n| type | tp | fp | fn | precision | recall | F1 |\n| --- | --- | --- | --- | --- | --- | --- |"
    )
    for name, tp, fp, fn, p, r, f in rows:
        print(f"| {name} | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {f:.3f} |")


def leave_one_out(
    gold: list[dict], articles: list[Article], table: AliasTable
) -> dict[str, Counter]:
    """Recall on each article with its own entities removed from the table."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        held = [g for g in gold if article.id in g["docs"]]
        restricted = table.without(g["id"] for g in held)
        found = predict([article], restricted)
        part = score(held, found, [article.id])
        for etype, c in part.items():
            counts[etype]["tp"] += c["tp"]
            counts[etype]["fn"] += c["fn"]
            counts[etype]["fp"] += c["fp"]
    return counts


def cluener(path: Path, table: AliasTable) -> dict[str, Counter]:
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    articles = [Article(id=f"c{i}", text=row["text"]) for i, row in enumerate(lines)]
    sentences = [s for a in articles for s in split_sentences(a.id, a.text)]
    mentions, _ = entities.resolve(entities.recognize(sentences, table), table)
    by_doc = defaultdict(list)
    for m in mentions:
        by_doc[m.article_id].append(m)
    counts: dict[str, Counter] = defaultdict(Counter)
    for i, row in enumerate(lines):
        golds = {
            (start, end + 1, CLUENER_TYPES[label])
            for label, spans in row.get("label", {}).items()
            if label in CLUENER_TYPES
            for positions in spans.values()
            for start, end in positions
        }
        predicted = {
            (m.start, m.end, m.type.value)
            for m in by_doc.get(f"c{i}", [])
            if m.type.value in CLUENER_TYPES.values()
        }
        for *_, etype in predicted:
            counts[etype]["predicted"] += 1
        for *_, etype in predicted & golds:
            counts[etype]["correct"] += 1
        for start, end, etype in predicted:
            counts[etype]["touching"] += any(
                b < end and start < e and t == etype for b, e, t in golds
            )
        for label, spans in row.get("label", {}).items():
            etype = CLUENER_TYPES.get(label)
            if etype is None:
                continue
            for positions in spans.values():
                for start, end in positions:
                    end += 1  # inclusive in the file
                    found = by_doc.get(f"c{i}", [])
                    exact = any(
                        m.start == start and m.end == end and m.type.value == etype for m in found
                    )
                    overlap = any(
                        m.start < end and start < m.end and m.type.value == etype for m in found
                    )
                    counts[etype]["gold"] += 1
                    counts[etype]["exact"] += exact
                    counts[etype]["overlap"] += overlap
    return counts


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


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

    gold = load_gold(args.gold)
    articles = read_articles([args.seeds])
    table = entities.load_table(args.aliases)
    report: dict[str, object] = {}

    started = time.perf_counter()
    found = predict(articles, table)
    seconds = time.perf_counter() - started
    rows = table_rows(score(gold, found, [a.id for a in articles]))
    print_rows(f"Seeds, full alias table ({seconds:.1f} s)", rows)
    report["seeds"] = rows

    rows = table_rows(leave_one_out(gold, articles, table))
    print_rows("Leave one article out: entities the table does not list", rows)
    report["leave_one_out"] = rows

    if args.cluener.is_file():
        counts = cluener(args.cluener, table)
        print(
            "\nCLUENER2020 dev (even lines)\n| type | gold spans | recall, exact span+type"
            " | recall, overlapping span+type | found | precision, exact span+type"
            " | precision, overlapping span+type |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        total: Counter = Counter()
        for etype, c in [*sorted(counts.items()), ("all", total)]:
            if etype != "all":
                total.update(c)
            print(
                f"| {etype} | {c['gold']} | {_ratio(c['exact'], c['gold'])} |"
                f" {_ratio(c['overlap'], c['gold'])} | {c['predicted']} |"
                f" {_ratio(c['correct'], c['predicted'])} |"
                f" {_ratio(c['touching'], c['predicted'])} |"
            )
        report["cluener"] = {k: dict(v) for k, v in counts.items()}
    else:
        print(f"\n(no {args.cluener}: CLUENER recall skipped)")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
