"""Time reading and normalization (``nekg build`` before extraction) on large inputs.

Two inputs are generated from the seed articles in a temporary folder: one large
``.txt`` file (the seeds repeated to ``--mb`` megabytes) and one ``.jsonl`` file of
``--lines`` articles (one seed paragraph each). For each, reading (decoding, encoding
detection, JSON) and normalization with sentence splitting are timed separately, at
two sizes, so that growth that is worse than linear shows.

Usage::

    python3 scripts/bench_reading.py                   # 20 MB and 10,000 lines
    python3 scripts/bench_reading.py --mb 5 --lines 2000
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

from graph.text.articles import read_articles  # noqa: E402
from graph.text.normalize import split_sentences  # noqa: E402


def _seed_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))


def make_text(folder: Path, megabytes: float) -> Path:
    text = _seed_text() + "\n"
    size = int(megabytes * 1_000_000)
    repeated = text * (size // len(text.encode("utf-8")) + 1)
    path = folder / f"big-{megabytes:g}mb.txt"
    path.write_bytes(repeated.encode("utf-8")[:size].decode("utf-8", "ignore").encode("utf-8"))
    return path


def make_jsonl(folder: Path, lines: int) -> Path:
    paragraphs = [p for p in _seed_text().split("\n") if len(p) > 30]
    path = folder / f"many-{lines}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(lines):
            record = {"id": f"n{i}", "text": paragraphs[i % len(paragraphs)]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def measure(path: Path) -> dict[str, float]:
    started = time.perf_counter()
    articles = read_articles([path])
    read = time.perf_counter()
    sentences = sum(len(split_sentences(a.id, a.text)) for a in articles)
    done = time.perf_counter()
    return {
        "MB": path.stat().st_size / 1e6,
        "articles": len(articles),
        "sentences": sentences,
        "read s": read - started,
        "normalize s": done - read,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the large .txt file")
    parser.add_argument("--lines", type=int, default=10_000, help="lines of the .jsonl file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = [
            make_text(folder, args.mb / 2),
            make_text(folder, args.mb),
            make_jsonl(folder, args.lines // 2),
            make_jsonl(folder, args.lines),
        ]
        print(
            f"{'input':<22} {'MB':>6} {'articles':>8} {'sentences':>9} {'read s':>7} {'norm s':>7}"
        )
        for path in inputs:
            row = measure(path)
            print(
                f"{path.name:<22} {row['MB']:>6.1f} {row['articles']:>8} {row['sentences']:>9} "
                f"{row['read s']:>7.2f} {row['normalize s']:>7.2f}"
            )


if __name__ == "__main__":
    main()
