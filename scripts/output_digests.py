"""SHA-256 of everything ``nekg build`` and ``nekg export`` write, to prove a change byte-neutral.

For each input folder: build into a temporary folder, export every graph format, and print
one line per file: ``<corpus> <file> <sha256>``. The Oxigraph store is compared by its
content (its quads as sorted N-Quads), the article records by name and bytes.

Usage::

    python3 scripts/output_digests.py > before.txt
    # ... change the code ...
    python3 scripts/output_digests.py | diff before.txt -

    python3 scripts/output_digests.py seeds tests/data/heldout/articles   # other inputs
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INPUTS = ("seeds", "tests/data/heldout/articles", "tests/data/heldout2/articles")
EXPORTS = ("nt", "trig", "jsonld", "graphml", "gexf", "csv")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _nekg(*args: str) -> None:
    command = [sys.executable, "-m", "graph", *args]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _store_digest(out: Path) -> str:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str((out / "store" / "current" / "oxigraph").resolve()))
    lines = sorted(str(q) for q in store)
    return _sha("\n".join(lines).encode("utf-8"))


def digests(corpus: str, jobs: int) -> list[tuple[str, str]]:
    found = []
    with tempfile.TemporaryDirectory(prefix="nekg-digests-") as tmp:
        out = Path(tmp) / "out"
        _nekg("build", corpus, "-o", str(out), "--jobs", str(jobs))
        for name in ("graph.ttl", "graph.graphml", "graph.html"):
            found.append((name, _sha((out / name).read_bytes())))
        for fmt in EXPORTS:
            target = Path(tmp) / f"export.{fmt}"
            _nekg("export", "--graph", str(out / "graph.ttl"), "--format", fmt, "-o", str(target))
            found.append((f"export.{fmt}", _sha(target.read_bytes())))
        found.append(("store/oxigraph", _store_digest(out)))
        records = sorted((out / "store" / "current" / "articles").glob("*.json"))
        joined = b"".join(p.name.encode() + p.read_bytes() for p in records)
        found.append(("store/articles", _sha(joined)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="*", default=list(INPUTS))
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    for corpus in args.inputs:
        for name, digest in digests(corpus, args.jobs):
            print(f"{corpus} {name} {digest}", flush=True)


if __name__ == "__main__":
    main()
