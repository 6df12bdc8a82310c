"""How extraction time grows with the size of pathological inputs.

Each kind of input is built at growing sizes and run through the extraction stages
(sentence splitting, recognition, resolution, relations) in this process; the table
shows seconds per stage and, per kind, the growth exponent ``b`` fitted to
``seconds ≈ a · size^b`` by least squares on the log–log points (1 is linear, 2 is
quadratic). The inputs:

- ``unpunctuated``: the seed articles' text with every punctuation mark and space
  removed, as one run of characters (one "sentence" without a break);
- ``enumeration``: one sentence listing N company names (华天光电、华宏光电、…等一批企业);
- ``enumeration-legal``: the same names with 有限公司 after each;
- ``suffix-run``: 有限公司 repeated N times.

A kind stops growing once one size takes longer than ``--budget`` seconds.

Usage::

    python3 scripts/bench_scaling.py                      # default sizes
    python3 scripts/bench_scaling.py --kinds enumeration --sizes 250 500 1000 2000
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_FURNITURE = (
    "版权所有|Copyright|责任编辑|扫一扫|分享到|关注我们|返回顶部|打印本页|关闭窗口|中国文明网|ICP备"
)
_TRADE = "华天宏博瑞恒盛泰嘉鼎信达德隆欣源丰安晟锦润翔鸿"
_FIELDS = ("光电", "新材", "能源", "电子", "智能", "精工", "动力", "微电", "储能", "芯片")


def _seed_text() -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    # Words of page furniture would drop the run as a whole; leave them out.
    return re.sub(rf"[^\u4e00-\u9fffA-Za-z0-9]|{_FURNITURE}", "", text)


def _names(n: int) -> list[str]:
    names = (a + b + field for a, b, field in itertools.product(_TRADE, _TRADE, _FIELDS) if a != b)
    found = list(itertools.islice(names, n))
    if len(found) < n:
        raise SystemExit(f"at most {len(found)} distinct names; choose smaller sizes")
    return found


def unpunctuated(n: int) -> str:
    plain = _seed_text()
    return (plain * (n // len(plain) + 1))[:n]


def enumeration(n: int) -> str:
    return "引进" + "、".join(_names(n)) + "等一批企业。"


def enumeration_legal(n: int) -> str:
    return "引进" + "、".join(name + "有限公司" for name in _names(n)) + "等企业。"


def suffix_run(n: int) -> str:
    return "有限公司" * n


KINDS: dict[str, tuple[Callable[[int], str], tuple[int, ...]]] = {
    "unpunctuated": (unpunctuated, (5_000, 10_000, 20_000, 40_000)),
    "enumeration": (enumeration, (250, 500, 1_000, 2_000)),
    "enumeration-legal": (enumeration_legal, (250, 500, 1_000, 2_000)),
    "suffix-run": (suffix_run, (1_000, 2_000, 4_000, 8_000)),
}


def exponent(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of log(seconds) over log(size)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-4)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def run_once(text: str, table) -> dict[str, float | int]:
    from graph.entities import recognize as entities
    from graph.relations import extract as relations
    from graph.text.normalize import split_sentences

    t0 = time.perf_counter()
    sentences = split_sentences("bench", text)
    t1 = time.perf_counter()
    mentions = entities.recognize(sentences, table)
    t2 = time.perf_counter()
    mentions, resolved = entities.resolve(mentions, table)
    t3 = time.perf_counter()
    facts = relations.extract(sentences, mentions, resolved)
    t4 = time.perf_counter()
    return {
        "sentences": len(sentences),
        "longest": max((len(s.text) for s in sentences), default=0),
        "entities": len(resolved),
        "facts": len(facts),
        "split": t1 - t0,
        "recognize": t2 - t1,
        "resolve": t3 - t2,
        "relations": t4 - t3,
        "total": t4 - t0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="+", choices=sorted(KINDS), default=list(KINDS))
    parser.add_argument("--sizes", nargs="+", type=int, help="sizes for every kind chosen")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds; stop growing after")
    args = parser.parse_args()

    from graph.entities import recognize as entities
    from graph.text.normalize import split_sentences

    table = entities.load_table(ROOT / "seeds" / "aliases.tsv")
    entities.recognize(split_sentences("warm", "常州大学位于江苏。"), table)  # load once

    header = (
        f"{'kind':<18} {'size':>7} {'chars':>8} {'sent':>5} {'longest':>7} {'ents':>5} "
        f"{'facts':>5} {'split':>7} {'recog':>7} {'resolve':>7} {'relat':>7} {'total':>7}"
    )
    print(header)
    print("-" * len(header))
    fits = []
    for kind in args.kinds:
        make, sizes = KINDS[kind]
        points = []
        for n in args.sizes or sizes:
            text = make(n)
            r = run_once(text, table)
            points.append((n, r["total"]))
            print(
                f"{kind:<18} {n:>7} {len(text):>8} {r['sentences']:>5} {r['longest']:>7} "
                f"{r['entities']:>5} {r['facts']:>5} {r['split']:>7.2f} {r['recognize']:>7.2f} "
                f"{r['resolve']:>7.2f} {r['relations']:>7.2f} {r['total']:>7.2f}",
                flush=True,
            )
            if r["total"] > args.budget:
                break
        if len(points) >= 2:
            fits.append((kind, exponent(points)))
    print()
    for kind, b in fits:
        print(f"{kind:<18} growth exponent {b:.2f}  (1 = linear, 2 = quadratic)")


if __name__ == "__main__":
    main()
