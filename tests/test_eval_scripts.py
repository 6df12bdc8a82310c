"""scripts/eval_entities.py scores with graph.eval: its matching and its precision convention."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

HEADER = "id\ttype\tname\taliases\texternal\n"

# article text, gold entity (type, name), expected Company row (tp, fp, fn, precision, recall)
CASES = [
    pytest.param(
        "今天天气很好，大家都去公园散步。",
        ("Company", "甲乙科技"),
        (0, 0, 1, 1.0, 0.0),
        id="nothing-predicted-precision-1",
    ),
    pytest.param(
        "宁德时代新能源科技股份有限公司今天发布公告。",
        ("Company", "宁德时代新能源科技股份有限公司"),
        (1, 0, 0, 1.0, 1.0),
        id="found-by-name",
    ),
]


@pytest.mark.parametrize(("text", "gold", "expected"), CASES)
def test_eval_entities_scores_like_nekg_eval(tmp_path, text, gold, expected):
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    article = {"id": "a1", "text": text}
    (tmp_path / "articles" / "a.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n")
    kind, name = gold
    entity = {"id": "x", "type": kind, "name": name, "aliases": [], "docs": ["a1"]}
    (tmp_path / "gold" / "entities.jsonl").write_text(json.dumps(entity, ensure_ascii=False) + "\n")
    (tmp_path / "aliases.tsv").write_text(HEADER, encoding="utf-8")
    out = tmp_path / "numbers.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "eval_entities.py"),
            "--gold",
            str(tmp_path / "gold" / "entities.jsonl"),
            "--seeds",
            str(tmp_path / "articles"),
            "--aliases",
            str(tmp_path / "aliases.tsv"),
            "--cluener",
            str(tmp_path / "no-such-file.jsonl"),
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    rows = {r["label"]: r for r in json.loads(out.read_text(encoding="utf-8"))["seeds"]["rows"]}
    row = rows["Company"]
    assert (row["tp"], row["fp"], row["fn"], row["precision"], row["recall"]) == expected
