"""What growing a graph costs: add 10 articles to a store of N articles, then remove one.

The corpus is the seed articles repeated with fresh ids (as in ``bench_build.py``), written
as one ``.jsonl`` file. Models are loaded before timing starts. Printed per N:

- ``build N``: ``nekg build`` of the N articles (records, store and outputs included);
- ``extract 10``: recognizing the 10 new articles alone (the per-article work an add must do);
- ``add 10``: ``nekg add`` of those 10 (recognition, then resolution, relations, RDF, outputs
  and store over all N + 10 articles);
- ``remove 1``: ``nekg remove`` of one article.

Usage::

    python3 scripts/bench_store.py                 # N = 50 and 200
    python3 scripts/bench_store.py --articles 1000 --validate
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _corpus(path: Path, start: int, count: int, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + count):
            line = {"id": f"c{i:06d}", "text": texts[i % len(texts)]}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


def _timed(action, *args, **kwargs) -> float:
    started = time.perf_counter()
    action(*args, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--add", type=int, default=10, help="articles to add (default 10)")
    parser.add_argument(
        "--validate", action="store_true", help="run the SHACL check as the CLI does"
    )
    args = parser.parse_args()

    from graph import pipeline, store
    from graph.entities import recognize as entities
    from graph.text.articles import read_articles

    seeds = read_articles([ROOT / "tests" / "data" / "seeds" / "articles"])
    texts = [a.text for a in seeds]
    table = entities.load_table()
    pipeline.recognize_articles(seeds[:1], table)  # load the models before timing

    print(
        f"{'N':>6} {'build N':>9} {'extract':>9} {'add':>9} {'add - extract':>14} {'remove 1':>9}"
    )
    for n in args.articles:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            base = _corpus(folder / "base.jsonl", 0, n, texts)
            new = _corpus(folder / "new.jsonl", n, args.add, texts)
            out = folder / "out"
            build_s = _timed(pipeline.build, [base], out, check=args.validate)
            extract_s = _timed(pipeline.recognize_articles, read_articles([new]), table)
            add_s = _timed(store.add, out, [new], check=args.validate)
            remove_s = _timed(store.remove, out, ["c000000"], check=args.validate)
        print(
            f"{n:>6} {build_s:>8.2f}s {extract_s:>8.2f}s {add_s:>8.2f}s "
            f"{add_s - extract_s:>13.2f}s {remove_s:>8.2f}s"
        )


if __name__ == "__main__":
    main()
