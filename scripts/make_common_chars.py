"""Write graph/data/common_chars.txt: the most frequent Chinese characters, most frequent first.

The counts come from jieba's dictionary (``jieba/dict.txt``, MIT licence): every word's
frequency is added to each of its characters. The list is in simplified script; readers
map traditional text to simplified before looking characters up. The output depends only on
the installed jieba version, so running the script again gives the same file.

Usage::

    python3 scripts/make_common_chars.py            # writes graph/data/common_chars.txt
    python3 scripts/make_common_chars.py --top 4000
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "graph" / "data" / "common_chars.txt"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def counts(dictionary: Path) -> Counter[str]:
    """Character counts weighted by word frequency."""
    found: Counter[str] = Counter()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) < 2 or not parts[1].isdigit():
            continue
        for ch in parts[0]:
            if _HAN.match(ch):
                found[ch] += int(parts[1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=4000, help="how many characters to keep")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    ranked = sorted(counts(dictionary).items(), key=lambda item: (-item[1], item[0]))
    chars = [ch for ch, _ in ranked[: args.top]]
    header = (
        "# The most frequent Chinese characters, most frequent first (one per line).\n"
        f"# Made by scripts/make_common_chars.py from jieba {jieba.__version__} dict.txt "
        "(MIT licence): word frequencies summed per character.\n"
    )
    args.out.write_text(header + "\n".join(chars) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(chars)} characters)")


if __name__ == "__main__":
    main()
