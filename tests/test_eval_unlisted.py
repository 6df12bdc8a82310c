"""scripts/eval_unlisted.py: recall split by whether the alias table lists a gold entity."""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import ROOT

GOLD = ROOT / "tests" / "data" / "eval" / "gold"
ARTICLES = ROOT / "tests" / "data" / "eval" / "articles"
HEADER = "id\ttype\tname\taliases\texternal\n"


def _script():
    spec = importlib.util.spec_from_file_location(
        "eval_unlisted", ROOT / "scripts" / "eval_unlisted.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_count() -> int:
    return sum(
        1
        for line in GOLD.joinpath("entities.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    )


# rows of the alias table -> gold entities that count as listed
TABLES = [
    ([], 0),
    (["company/x\tCompany\t中创新航\t\t\n"], 1),  # by the gold name
    (["company/y\tCompany\t宁德时代新能源科技股份有限公司\t\t\n"], 1),  # by a gold alias
    (["company/z\tCompany\t某某公司\t中创新航|蜂巢能源\t\n"], 2),  # by table aliases
]


@pytest.mark.parametrize(("rows", "listed"), TABLES)
def test_listed_and_unlisted_split_the_gold(tmp_path, rows, listed):
    table = tmp_path / "aliases.tsv"
    table.write_text(HEADER + "".join(rows), encoding="utf-8")
    counts = _script().unlisted_recall(GOLD, [ARTICLES], None, table)
    assert counts.get("listed", {"total": 0})["total"] == listed
    assert counts["unlisted"]["total"] == _gold_count() - listed
    for c in counts.values():
        assert 0 <= c["found"] <= c["total"]


def test_main_writes_json(tmp_path, capsys):
    out = tmp_path / "counts.json"
    table = tmp_path / "aliases.tsv"
    table.write_text(HEADER, encoding="utf-8")
    assert (
        _script().main([str(GOLD), str(ARTICLES), "--aliases", str(table), "--json", str(out)]) == 0
    )
    data = json.loads(out.read_text("utf-8"))
    assert data["unlisted"]["total"] == _gold_count()
    assert "unlisted" in capsys.readouterr().out
