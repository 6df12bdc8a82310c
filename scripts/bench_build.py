"""Throughput and peak memory of ``nekg build`` on corpora of growing size.

The corpus is the seed articles repeated with fresh ids (the same text in N copies), so the
work per article is realistic; entities and facts merge across copies while evidence and
mentions grow with N. Each size runs in a child process so start-up and peak memory are
measured alone:

- ``start-up``: importing nekg and loading spaCy, jieba and the alias table;
- ``pipeline``: reading, normalizing, recognizing, resolving and extracting relations;
- ``rdf + outputs``: building the graph, SHACL validation, writing Turtle, GraphML and HTML;
- ``peak RSS``: the child's maximum resident set size.

Usage::

    python3 scripts/bench_build.py                  # 5, 50 and 250 articles
    python3 scripts/bench_build.py --copies 1 20
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _child(corpus: Path, out: Path) -> None:
    """Run one build and print its timings as JSON (runs in a fresh interpreter)."""
    started = time.perf_counter()
    from graph import entities, pipeline, rdf, validate
    from graph.counts import count
    from graph.files import replace_outputs

    entities.load_table(None)
    loaded = time.perf_counter()
    extraction = pipeline.run([corpus])
    extracted = time.perf_counter()
    graph = rdf.to_graph(extraction)
    validate.check(graph)
    replace_outputs(out, pipeline.outputs(graph))
    done = time.perf_counter()
    chars = sum(len(a.text) for a in extraction.articles)
    counted = count(graph)  # entities and facts as graph.ttl holds them
    print(
        json.dumps(
            {
                "articles": len(extraction.articles),
                "chars": chars,
                "mentions": len(extraction.mentions),
                "entities": counted.entities,
                "relations": counted.facts,
                "evidence": sum(len(r.evidence) for r in extraction.relations),
                "triples": len(graph),
                "startup": loaded - started,
                "pipeline": extracted - loaded,
                "outputs": done - extracted,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def _corpus(folder: Path, copies: int) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for n in range(copies):
        for path in seeds:
            shutil.copyfile(path, folder / f"c{n:04d}_{path.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--copies", type=int, nargs="+", default=[1, 10, 50], help="copies of the five seeds"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]))
        return
    print(
        "| articles | MB of text | mentions | entities | facts | evidence | triples | start-up s | pipeline s | articles/s | rdf + outputs s | peak RSS MB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            _corpus(corpus, copies)
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(corpus), str(Path(tmp) / "out")],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"| {r['articles']} | {r['chars'] * 3 / 1e6:.2f} | {r['mentions']} | {r['entities']} | {r['relations']} "
            f"| {r['evidence']} | {r['triples']} | {r['startup']:.1f} | {r['pipeline']:.1f} "
            f"| {r['articles'] / r['pipeline']:.1f} | {r['outputs']:.1f} | {r['peak_mb']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
