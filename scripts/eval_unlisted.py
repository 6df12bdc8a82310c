"""Recall on gold entities the alias table does not list, next to those it does.

Usage: python3 scripts/eval_unlisted.py GOLD [INPUTS ...] [--graph out/graph.ttl]
       [--aliases seeds/aliases.tsv] [--json out.json]

A gold entity is *listed* when its name or one of its aliases, after name normalization,
is a name or alias of an alias-table row (any type); otherwise it is *unlisted*, and only
the recognizer's general rules can find it. Found means what ``nekg eval`` counts as found
(an extracted entity of the same type carries one of its names). The pipeline runs on INPUTS
(default: the ``articles`` folder beside GOLD), or ``--graph`` is read.

Example (the second held-out set):

    python3 scripts/eval_unlisted.py tests/data/heldout2
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.entities.aliases import load_table  # noqa: E402
from graph.eval.evaluate import evaluate_folder  # noqa: E402
from graph.eval.gold import load_gold  # noqa: E402
from graph.text.normalize import normalize_name  # noqa: E402


def unlisted_recall(
    gold_dir: Path, inputs: list[Path], graph: Path | None, aliases: Path
) -> dict[str, dict[str, int]]:
    """``{"listed"|"unlisted"|"<kind>:<Type>": {"found": n, "total": m}}``."""
    table = load_table(aliases)
    listed = {normalize_name(n) for entry in table.entries for n in entry.names}
    gold = load_gold(gold_dir)
    report = evaluate_folder(gold_dir, graph=graph, inputs=inputs, aliases=aliases)
    missed = {m.ref for m in report.misses if m.section == "entities"}
    total, found = Counter(), Counter()
    for e in gold.entities:
        kind = "listed" if {normalize_name(n) for n in e.names} & listed else "unlisted"
        for key in (kind, f"{kind}:{e.type}"):
            total[key] += 1
            found[key] += e.id not in missed
    return {k: {"found": found[k], "total": total[k]} for k in sorted(total)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("inputs", type=Path, nargs="*")
    parser.add_argument("--graph", type=Path)
    parser.add_argument("--aliases", type=Path, default=ROOT / "seeds" / "aliases.tsv")
    parser.add_argument("--json", type=Path, help="also write the counts as JSON here")
    args = parser.parse_args(argv)
    inputs = args.inputs or ([] if args.graph else [args.gold / "articles"])
    counts = unlisted_recall(args.gold, inputs, args.graph, args.aliases)
    for key, c in counts.items():
        share = c["found"] / c["total"] if c["total"] else 1.0
        print(f"{key:24s} {c['found']:4d} / {c['total']:<4d} recall {share:.3f}")
    if args.json:
        args.json.write_text(json.dumps(counts, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
