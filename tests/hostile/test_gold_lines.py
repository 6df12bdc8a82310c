"""Gold files are split at "\\n" only: separators inside a JSON string are text."""

from __future__ import annotations

import json

import pytest

from graph.eval.gold import load_gold

SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c"]


@pytest.mark.parametrize("separator", SEPARATORS, ids=[f"U+{ord(s):04X}" for s in SEPARATORS])
def test_gold_line_with_a_separator_inside_a_string_is_read(tmp_path, separator):
    rows = [
        {"id": "a", "type": "Company", "name": f"中创新航{separator}", "docs": ["d1"]},
        {"id": "b", "type": "Place", "name": "金坛", "docs": ["d1"]},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    (tmp_path / "entities.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = load_gold(tmp_path)
    assert len(gold.entities) == 2
