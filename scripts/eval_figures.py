"""Score the figures nekg finds against hand-annotated ones.

    .venv/bin/python scripts/eval_figures.py [--gold tests/data/figures/gold.jsonl]
        [--articles tests/data/seeds/articles] [--article PREFIX ...] [--errors]

A found figure matches a gold one with the same article, sentence, value and unit (each gold
figure matched once). Reported: value+unit precision and recall over the annotated articles;
over the matched figures, how often subject and measure are both right (the subject is right
when its name or an alias contains an acceptable gold name, or both name none), and how often
the period is right.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from graph.errors import NekgError
from graph.eval.score import Score
from graph.figures import canonical
from graph.pipeline import run


def _names(entity) -> set[str]:
    return {entity.name, *entity.aliases} if entity else set()


def subject_right(gold: list[str], names: set[str]) -> bool:
    """Whether an entity called ``names`` is one of the acceptable ``gold`` subjects.

    >>> subject_right(["溧阳"], {"溧阳市"}), subject_right([], set()), subject_right([], {"x"})
    (True, True, False)
    """
    if not gold:
        return not names
    return any(g in n or n in g for g in gold for n in names if n)


def score(
    gold_path: Path, articles: Path, errors: bool = False, only: tuple[str, ...] = ()
) -> dict[str, float]:
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line]
    if only:
        gold = [g for g in gold if g["article"].startswith(only)]
    wanted = {g["article"] for g in gold}
    extraction = run([articles])
    entities = {e.id: e for e in extraction.entities}
    found = [f for f in extraction.figures if f.article_id in wanted]
    pool: dict[tuple, list[dict]] = {}
    for g in gold:
        pool.setdefault((g["article"], g["sentence"], g["value"], g["unit"]), []).append(g)
    matched, unmatched = [], []
    for f in found:
        key = (f.article_id, f.sentence, canonical(f.value) if f.value is not None else "", f.unit)
        if pool.get(key):
            matched.append((f, pool[key].pop(0)))
        else:
            unmatched.append(f)
    missed = [g for left in pool.values() for g in left]
    both = period = 0
    wrong = Counter()
    for f, g in matched:
        names = _names(entities.get(f.subject))
        s_ok, m_ok = subject_right(g["subject"], names), f.measure == g["measure"]
        both += s_ok and m_ok
        period += f.period == g["period"]
        if errors and f.period != g["period"]:
            print(
                f"  period {g['article'][:3]}#{g['sentence']} {g['surface']}: {f.period} "
                f"(gold {g['period']}) [{f.period_resolution}]"
            )
        if errors and not (s_ok and m_ok):
            wrong["subject" if not s_ok else "measure"] += 1
            print(
                f"  attach {g['article'][:3]}#{g['sentence']} {g['surface']}: "
                f"subject {sorted(names) or '-'} (gold {g['subject'] or '-'}), "
                f"measure {f.measure} (gold {g['measure']}) [{f.evidence.method}]"
            )
    if errors:
        for f in unmatched:
            value = canonical(f.value) if f.value is not None else "?"
            print(f"  extra  {f.article_id[:3]}#{f.sentence} {f.text} = {value} {f.unit}")
        for g in missed:
            print(f"  missed {g['article'][:3]}#{g['sentence']} {g['surface']}")
    score = Score(
        "figures", tp=len(matched), fp=len(found) - len(matched), fn=len(gold) - len(matched)
    )
    p, r = score.precision, score.recall
    return {
        "gold": len(gold),
        "found": len(found),
        "matched": len(matched),
        "precision": round(p, 3),
        "recall": round(r, 3),
        "subject+measure": round(both / len(matched), 3) if matched else 0.0,
        "period": round(period / len(matched), 3) if matched else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=Path("tests/data/figures/gold.jsonl"))
    parser.add_argument("--articles", type=Path, default=Path("tests/data/seeds/articles"))
    parser.add_argument(
        "--article",
        action="append",
        default=[],
        metavar="PREFIX",
        help="score only the gold articles whose id starts with PREFIX (repeatable)",
    )
    parser.add_argument("--errors", action="store_true", help="list every miss and mismatch")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"error: {args.gold}: no such gold file; give --gold FILE.jsonl", file=sys.stderr)
        return 2
    try:
        result = score(args.gold, args.articles, args.errors, tuple(args.article))
    except (NekgError, json.JSONDecodeError, KeyError) as exc:
        print(f"error: {exc}; check --gold and --articles", file=sys.stderr)
        return 2
    if not result["gold"]:
        print(f"error: no gold figure of an article starting {args.article}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
