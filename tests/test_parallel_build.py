"""``nekg build --jobs N``: the same files for every N, and a clear error for a bad N."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from graph import parallel
from graph.cli import cli
from graph.entities import recognize as entities
from graph.text.articles import read_articles
from graph.text.normalize import split_sentences

OUTPUTS = ("graph.ttl", "graph.graphml", "graph.html")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seed articles twice: as shipped, and a copy under new ids (same text, new IRIs)."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEEDS, root / "a")
    copy = root / "b"
    copy.mkdir()
    with (SEEDS / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        shutil.copyfile(SEEDS / row["file"], copy / f"copy_{row['file']}")
        row["file"], row["id"] = f"copy_{row['file']}", f"copy_{row['id']}"
    with (copy / "manifest.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    return root


def _build(corpus: Path, out: Path, jobs: str) -> dict[str, bytes]:
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out), "--jobs", jobs])
    assert result.exit_code == 0, result.output
    assert "10 articles" in result.output
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_build_writes_the_same_bytes_with_one_and_two_jobs(corpus, tmp_path):
    alone = _build(corpus, tmp_path / "one", "1")
    shared = _build(corpus, tmp_path / "two", "2")
    for name in OUTPUTS:
        assert shared[name] == alone[name], f"{name} differs between --jobs 1 and --jobs 2"


@pytest.fixture(scope="module")
def in_process(corpus):
    """The articles, their table and what the in-process loop finds in each."""
    articles = read_articles([corpus])
    table = entities.load_table(None)
    expected = []
    for article in articles:
        found = split_sentences(article.id, article.text)
        expected.append((found, entities.recognize(found, table)))
    return articles, table, expected


@pytest.mark.parametrize("jobs", [2, 16])
def test_workers_return_what_the_loop_finds_in_article_order(in_process, jobs):
    articles, table, expected = in_process
    got = list(parallel.recognize_all(articles, table, jobs))
    assert len(got) == len(articles) == 10
    for (sentences, mentions), (want_sentences, want_mentions) in zip(got, expected, strict=True):
        assert [(s.article_id, s.index, s.offsets) for s in sentences] == [
            (s.article_id, s.index, s.offsets) for s in want_sentences
        ]
        assert sentences == want_sentences
        assert mentions == want_mentions


BAD_JOBS = [
    # value   what the message says
    ("0", "0 is not in the range"),
    ("-1", "-1 is not in the range"),
    ("abc", "'abc' is not a valid integer"),
    ("1.5", "'1.5' is not a valid integer"),
]


@pytest.mark.parametrize(("value", "says"), BAD_JOBS, ids=[v for v, _ in BAD_JOBS])
def test_bad_jobs_is_a_one_line_usage_error(tmp_path, value, says):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "-o", str(out), "--jobs", value])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert "--jobs" in errors[0]
    assert says in errors[0]
    assert "Traceback" not in result.output
    assert not out.exists()


_PARENT = os.getpid()


def _dies_in_a_worker(articles):
    if os.getpid() != _PARENT:
        os._exit(1)  # as the kernel's OOM killer would end it: no exception, no cleanup
    return _recognize(articles)


_recognize = parallel._recognize


def test_a_worker_that_dies_is_a_one_line_error_and_keeps_the_output(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# the previous build\n", encoding="utf-8")
    monkeypatch.setattr(parallel, "_recognize", _dies_in_a_worker)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1, result.output
    assert "worker process died" in result.output
    assert "--jobs 1" in result.output
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "# the previous build\n"
