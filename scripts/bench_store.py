"""What growing a graph costs: add 10 articles to a store of N articles, then remove one.

The corpus is the seed articles repeated with fresh ids (as in ``bench_build.py``), written
as one ``.jsonl`` file. Models are loaded before timing starts. Printed per N:

- ``build N``: ``nekg build`` of the N articles (records, store and outputs included);
- ``extract 10``: recognizing the 10 new articles alone (the per-article work an add must do);
- ``add 10``: ``nekg add`` of those 10 (recognition, then resolution, relations, RDF, outputs
  and store over all N + 10 articles);
- ``remove 1``: ``nekg remove`` of one article.

With ``--stages``, the work of an add is then done again stage by stage over the same
N + 10 records and each stage timed: where an add's time goes.

Usage::

    python3 scripts/bench_store.py                 # N = 50 and 200
    python3 scripts/bench_store.py --articles 1000 --validate
    python3 scripts/bench_store.py --articles 100 --stages
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
    parser.add_argument(
        "--stages", action="store_true", help="then time each stage of an add (see above)"
    )
    args = parser.parse_args()

    from graph import grow, pipeline
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
            add_s = _timed(grow.add, out, [new], check=args.validate)
            remove_s = _timed(grow.remove, out, ["c000000"], check=args.validate)
            stages = _stages(out, new, table, folder) if args.stages else {}
        print(
            f"{n:>6} {build_s:>8.2f}s {extract_s:>8.2f}s {add_s:>8.2f}s "
            f"{add_s - extract_s:>13.2f}s {remove_s:>8.2f}s"
        )
        for stage, seconds in stages.items():
            print(f"{'':>6}   {stage:<34} {seconds:>8.2f}s")


def _stages(out: Path, new: Path, table, folder: Path) -> dict[str, float]:
    """The stages of an add of ``new`` to the store in ``out``, timed one by one."""
    import pyoxigraph

    from graph import pipeline, store
    from graph.entities import curation
    from graph.rdf import build as rdf
    from graph.text.articles import read_articles

    seconds: dict[str, float] = {}

    def lap(stage: str, action, *args):
        started = time.perf_counter()
        result = action(*args)
        seconds[stage] = time.perf_counter() - started
        return result

    kept = lap("read the kept records", lambda: store.current(out).records())
    new_ids = {a.id for a in read_articles([new])}
    kept = [r for r in kept if r.article.id not in new_ids]
    added = lap("recognize the new", pipeline.recognize_articles, read_articles([new]), table)
    records = kept + added
    extraction = pipeline.finish(records, table, curation.rejects_for(None, None), None, seconds)
    graph = lap("RDF graph", rdf.to_graph, extraction)
    pipeline.outputs(graph, seconds)
    quads = lap("store: split by article, convert", lambda: list(store.dataset_quads(graph)))

    def load() -> None:
        oxigraph = pyoxigraph.Store(str(folder / "stages-oxigraph"))
        oxigraph.bulk_extend(quads)
        oxigraph.flush()

    lap("store: Oxigraph load", load)
    lap("store: records to JSON", lambda: [store.record_json(r) for r in records])
    return seconds


if __name__ == "__main__":
    main()
