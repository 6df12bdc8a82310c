"""Where ``nekg build`` spends its time and memory, stage by stage, on corpora of growing size.

The corpus is the seed articles repeated with fresh ids (the same text in N copies), so the
work per article is realistic; entities and facts merge across copies while evidence and
mentions grow with N. Each size (and each repeat, and each --jobs value) runs in a fresh
child process, so start-up and peak memory are measured alone. The child times every stage
through the ``timings`` hook of :func:`graph.pipeline.build` (read, split, recognize,
resolve, relations, RDF graph, SHACL, Turtle, GraphML, HTML, write) and records the peak
resident set size reached by the end of each stage; then, in the same process, it times
``jieba.lcut`` over the same texts (dictionary already loaded) for the ratio
``build seconds / jieba seconds``.

With several ``--jobs`` values the runs alternate (1, 2, 1, 2, ...) so that a changing load
on the machine hits each alike; the tables show medians over ``--repeat`` runs.

The tables go to stdout and, with ``--write``, between the markers in
docs/performance-build.md; a plot (docs/performance-build.png) is drawn when matplotlib is
installed.

Usage::

    python3 scripts/bench_build.py                        # 5, 50 and 500 articles
    python3 scripts/bench_build.py --large                # ... and 5,000
    python3 scripts/bench_build.py --articles 250 --jobs 1 2 --repeat 3
    python3 scripts/bench_build.py --write                # update docs/performance-build.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOC = ROOT / "docs" / "performance-build.md"
PLOT = ROOT / "docs" / "performance-build.png"
START, END = "<!-- bench_build:start -->", "<!-- bench_build:end -->"
STAGES = (
    "read",
    "split",
    "recognize",
    "split + recognize",
    "resolve",
    "relations",
    "figures",
    "RDF graph",
    "SHACL",
    "Turtle",
    "GraphML",
    "HTML",
    "write",
)


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _cpu_seconds() -> float:
    """User and system CPU time of this process and its finished children (the workers)."""
    own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


class _Stages(dict):
    """The ``timings`` dict given to the pipeline; also notes the peak RSS after each stage and
    the CPU seconds of this process since the stage's previous lap (the pipeline reports a
    lap as soon as a stage ends, so they add up to the CPU seconds of each stage)."""

    def __init__(self) -> None:
        super().__init__()
        self.peak: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._last = time.process_time()

    def __setitem__(self, stage: str, seconds: float) -> None:
        super().__setitem__(stage, seconds)
        self.peak[stage] = _peak_mb()
        now = time.process_time()
        self.cpu[stage] = self.cpu.get(stage, 0.0) + now - self._last
        self._last = now


def _child(corpus: Path, out: Path, jobs: int) -> None:
    """Run one build and print its measurements as JSON (runs in a fresh interpreter)."""
    started = time.perf_counter()
    import jieba

    from graph import pipeline

    imported, cpu = time.perf_counter(), _cpu_seconds()
    stages = _Stages()  # after the imports: their CPU seconds are not the first stage's
    result = pipeline.build([corpus], out, jobs=jobs, timings=stages)
    built, cpu = time.perf_counter(), _cpu_seconds() - cpu
    texts = [a.text for a in result.extraction.articles]
    jieba.initialize()
    segmenting, jieba_cpu = time.perf_counter(), time.process_time()
    for text in texts:
        jieba.lcut(text)
    segmented, jieba_cpu = time.perf_counter(), time.process_time() - jieba_cpu
    ex = result.extraction
    print(
        json.dumps(
            {
                "articles": len(ex.articles),
                "mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
                "jobs": jobs,
                "mentions": len(ex.mentions),
                "entities": result.counts.entities,
                "facts": result.counts.facts,
                "startup": imported - started,
                "build": built - imported,
                "cpu": cpu,
                "jieba": segmented - segmenting,
                "jieba_cpu": jieba_cpu,
                "stages": dict(stages),
                "stage_peak": stages.peak,
                "stage_cpu": stages.cpu,
                "peak_mb": _peak_mb(),
                "workers_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
            }
        )
    )


def _corpus(folder: Path, articles: int) -> None:
    """``articles`` copies of the seeds, in rounds, each file under a new name (a new id)."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for n in range(articles):
        path = seeds[n % len(seeds)]
        shutil.copyfile(path, folder / f"c{n // len(seeds):05d}_{path.name}")


def _measure(articles: int, jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="nekg-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        _corpus(corpus, articles)
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(corpus), str(Path(tmp) / "out"), str(jobs)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    if done.returncode != 0:
        sys.exit(f"bench_build: the build of {articles} articles failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _stage_median(runs: list[dict], field: str, stage: str) -> float | None:
    values = [r[field][stage] for r in runs if stage in r[field]]
    return statistics.median(values) if values else None


def _summary(groups: dict[tuple[int, int], list[dict]]) -> list[str]:
    lines = [
        "| articles | MB of text | jobs | runs | start-up s | build s | build CPU s | MB/s "
        "| jieba.lcut s | build / jieba | CPU / jieba CPU | peak RSS MB | workers' peak RSS MB | entities | facts "
        "| load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for (articles, jobs), runs in groups.items():
        build, jieba = _median(runs, "build"), _median(runs, "jieba")
        mb = runs[0]["mb"]
        workers = _median(runs, "workers_peak_mb")
        lines.append(
            f"| {articles} | {mb:.2f} | {jobs} | {len(runs)} | {_median(runs, 'startup'):.1f} "
            f"| {build:.1f} | {_median(runs, 'cpu'):.1f} | {mb / build:.3f} | {jieba:.2f} "
            f"| {build / jieba:.1f} | {_median(runs, 'cpu') / _median(runs, 'jieba_cpu'):.1f} "
            f"| {_median(runs, 'peak_mb'):.0f} | {f'{workers:.0f}' if jobs > 1 else '-'} "
            f"| {runs[0]['entities']} | {runs[0]['facts']} | {_median(runs, 'load'):.1f} |"
        )
    return lines


def _stages(groups: dict[tuple[int, int], list[dict]]) -> list[str]:
    keys = list(groups)
    head = "| stage | " + " | ".join(
        f"{a} art. ({j} job{'s' * (j > 1)}): s, CPU s, CPU / jieba CPU, MB/s, RSS MB"
        for a, j in keys
    )
    lines = [head + " |", "| --- |" + " ---: |" * len(keys)]
    for stage in STAGES:
        cells = []
        for key in keys:
            runs = groups[key]
            seconds = _stage_median(runs, "stages", stage)
            if seconds is None:
                cells.append("-")
                continue
            rate = runs[0]["mb"] / seconds if seconds > 0 else float("inf")
            peak = _stage_median(runs, "stage_peak", stage)
            cpu = _stage_median([r for r in runs if "stage_cpu" in r], "stage_cpu", stage)
            share = f"{cpu:.2f}, {cpu / _median(runs, 'jieba_cpu'):.2f}" if cpu else "-, -"
            cells.append(f"{seconds:.2f} s, {share}, {rate:.2f}, {peak:.0f}")
        if any(c != "-" for c in cells):
            lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return lines


def _plot(groups: dict[tuple[int, int], list[dict]]) -> bool:
    """Stacked seconds per stage for each run kind; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    keys = list(groups)
    labels = [f"{a} art.\n{j} job{'s' * (j > 1)}" for a, j in keys]
    fig, ax = plt.subplots(figsize=(2 + 1.2 * len(keys), 5))
    bottom = [0.0] * len(keys)
    for stage in STAGES:
        values = [_stage_median(groups[k], "stages", stage) or 0.0 for k in keys]
        if any(values):
            ax.bar(labels, values, bottom=bottom, label=stage)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.plot(labels, [_median(groups[k], "jieba") for k in keys], "k*", label="jieba.lcut")
    ax.set_ylabel("seconds (median)")
    ax.set_title("nekg build, seconds per stage")
    ax.legend(fontsize="small", loc="upper left")
    fig.tight_layout()
    fig.savefig(PLOT, dpi=100)
    return True


def _write_doc(block: str) -> None:
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else f"# Build performance\n\n{START}\n{END}\n"
    )
    if START not in text or END not in text:
        sys.exit(
            f"bench_build: {DOC} has no {START} ... {END} markers; add them where the tables go"
        )
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(f"{head}{START}\n{block}\n{END}{tail}", encoding="utf-8")
    tmp.replace(DOC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, nargs="+", default=[5, 50, 500], help="corpus sizes (articles)"
    )
    parser.add_argument("--large", action="store_true", help="add a corpus of 5,000 articles")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1], help="--jobs values to compare")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind (medians shown)")
    parser.add_argument("--write", action="store_true", help="update docs/performance-build.md")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))
        return
    if any(n < 1 for n in args.articles + args.jobs) or args.repeat < 1:
        parser.error("--articles, --jobs and --repeat take whole numbers of 1 or more")
    sizes = args.articles + ([5000] if args.large else [])
    groups: dict[tuple[int, int], list[dict]] = {}
    for articles in sizes:
        for _ in range(args.repeat):
            for jobs in args.jobs:  # alternate, so that load changes hit every kind alike
                run = _measure(articles, jobs)
                run["load"] = os.getloadavg()[0]
                groups.setdefault((articles, jobs), []).append(run)
                print(
                    f"# {articles} articles, --jobs {jobs}: build {run['build']:.1f} s "
                    f"({run['cpu']:.1f} s CPU), jieba {run['jieba']:.2f} s, "
                    f"peak {run['peak_mb']:.0f} MB, load {os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
    load = os.getloadavg()
    plotted = _plot(groups)
    block = "\n".join(
        [
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average at the end {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}. "
            f"Command: `python3 scripts/bench_build.py {' '.join(sys.argv[1:])}`.",
            "",
            *_summary(groups),
            "",
            "Per stage (median seconds; CPU seconds of the main process, and their ratio to "
            "the CPU seconds of `jieba.lcut` over the same text; MB of text per second; peak RSS "
            "of the main process by the end of the stage):",
            "",
            *_stages(groups),
            "",
            f"![seconds per stage]({PLOT.name})"
            if plotted
            else "No plot: matplotlib is not installed (the tables are the whole result).",
        ]
    )
    print(block)
    if args.write:
        _write_doc(block)
        print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
